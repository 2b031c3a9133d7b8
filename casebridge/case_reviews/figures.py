"""The partnership's annual ASB Case Review figures: the statutory publication.

Years run April to March (the financial year councils and PCCs publish by). Counted:
- applications received: online or recorded by staff, by date received (reviews the partnership
  opened itself after a threshold alert are shown separately);
- threshold not met: of those received in the year, decided "not met";
- reviews carried out: reviews whose review meeting took place in the year (up to today);
- reviews with recommendations: of those, the ones with at least one recommendation.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from casebridge.case_reviews.models import APPLICATION_CHANNELS, CaseReview, Channel, Decision
from casebridge.lib.spreadsheets import csv_text
from casebridge.organisations.models import Partnership


def year_of(day: datetime.date) -> int:
    """The financial year a day falls in, named by the year it starts (April 2026 to March 2027 is 2026)."""
    return day.year if day.month >= 4 else day.year - 1


def year_label(year: int) -> str:
    return f"April {year} to March {year + 1}"


def year_bounds(year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, 4, 1), datetime.date(year + 1, 3, 31)


@dataclass(frozen=True)
class Figures:
    year: int
    applications: int
    not_met: int
    reviews_held: int
    with_recommendations: int
    opened_by_partnership: int

    @property
    def label(self) -> str:
        return year_label(self.year)

    def rows(self) -> list[tuple[str, int]]:
        return [
            (_("Applications for an ASB Case Review received"), self.applications),
            (_("Applications where the threshold was not met"), self.not_met),
            (_("ASB Case Reviews carried out"), self.reviews_held),
            (_("ASB Case Reviews that led to recommendations"), self.with_recommendations),
            (_("Reviews the partnership opened itself (not applications)"), self.opened_by_partnership),
        ]


def figures_for(*, partnership: Partnership, year: int) -> Figures:
    """One year's figures in two queries."""
    start, end = year_bounds(year)
    held_until = min(end, timezone.localdate())
    received = CaseReview.objects.filter(partnership=partnership, received_on__range=(start, end)).aggregate(
        applications=Count("pk", filter=Q(channel__in=APPLICATION_CHANNELS)),
        not_met=Count("pk", filter=Q(channel__in=APPLICATION_CHANNELS, decision=Decision.NOT_MET)),
        opened=Count("pk", filter=Q(channel=Channel.PARTNERSHIP)),
    )
    held = (
        CaseReview.objects.filter(partnership=partnership, decision=Decision.MET)
        .filter(
            Q(panel_meeting__isnull=True, panel_on__range=(start, held_until))
            | Q(panel_meeting__starts_at__date__range=(start, held_until))
        )
        .annotate(n=Count("recommendations"))
        .values_list("n", flat=True)
    )
    counts = list(held)
    return Figures(
        year=year,
        applications=received["applications"],
        not_met=received["not_met"],
        reviews_held=len(counts),
        with_recommendations=len([n for n in counts if n]),
        opened_by_partnership=received["opened"],
    )


def years_available(*, partnership: Partnership) -> list[int]:
    """Every year from the first review to this one, newest first."""
    first = (
        CaseReview.objects.filter(partnership=partnership)
        .order_by("received_on")
        .values_list("received_on", flat=True)
        .first()
    )
    this_year = year_of(timezone.localdate())
    start = year_of(first) if first else this_year
    return list(range(this_year, start - 1, -1))


def figures_csv(*, partnership: Partnership, years: list[int]) -> str:
    header = [_("Partnership"), _("Year"), _("Figure"), _("Number")]
    rows = []
    for year in years:
        figures = figures_for(partnership=partnership, year=year)
        rows += [[partnership.name, figures.label, label, number] for label, number in figures.rows()]
    return csv_text(header, rows)
