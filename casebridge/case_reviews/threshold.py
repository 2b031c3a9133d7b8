"""The ASB Case Review threshold, decided from the complaints listed and the incidents recorded.

The common rule: a number of qualifying complaints within some months before the
application, each reported within a number of days of the incident; optionally, one hate incident
is enough. Every number comes from the partnership's ReviewRules.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from casebridge.case_reviews.models import ReviewRules


def months_before(day: datetime.date, months: int) -> datetime.date:
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    return datetime.date(year, month + 1, min(day.day, 28))


@dataclass(frozen=True)
class Report:
    """One complaint or recorded incident, reduced to what the threshold looks at."""

    occurred_on: datetime.date
    reported_on: datetime.date
    is_hate: bool
    source: str  # "complaint" or "incident"
    label: str = ""
    details_visible: bool = True


@dataclass(frozen=True)
class Verdict:
    report: Report
    qualifies: bool
    note: str


@dataclass
class ThresholdResult:
    rules: ReviewRules
    as_of: datetime.date
    window_from: datetime.date
    verdicts: list[Verdict] = field(default_factory=list)
    qualifying: int = 0
    qualifying_hate: int = 0

    @property
    def meets(self) -> bool:
        return self.qualifying >= self.rules.threshold_complaints or (
            self.rules.single_hate_incident_qualifies and self.qualifying_hate >= 1
        )


def reported_in_time(rules: ReviewRules, occurred_on: datetime.date, reported_on: datetime.date) -> bool:
    return (reported_on - occurred_on).days <= rules.reported_within_days


def evaluate(rules: ReviewRules, reports: Iterable[Report], as_of: datetime.date) -> ThresholdResult:
    """Each report's verdict and whether the threshold is met on ``as_of`` (the date of the application).

    A complaint and a recorded incident on the same day are taken to be the same report: it counts once.
    """
    window_from = months_before(as_of, rules.threshold_months)
    result = ThresholdResult(rules=rules, as_of=as_of, window_from=window_from)
    counted_days: set[datetime.date] = set()
    ordered = sorted(reports, key=lambda r: (r.occurred_on, r.source != "complaint"))
    for report in ordered:
        if report.occurred_on > as_of:
            result.verdicts.append(Verdict(report, False, _("After the application")))
        elif report.occurred_on < window_from:
            result.verdicts.append(
                Verdict(report, False, _("More than %(m)d months before") % {"m": rules.threshold_months})
            )
        elif not reported_in_time(rules, report.occurred_on, report.reported_on):
            days = (report.reported_on - report.occurred_on).days
            result.verdicts.append(Verdict(report, False, _("Reported %(d)d days after the incident") % {"d": days}))
        elif report.occurred_on in counted_days:
            result.verdicts.append(Verdict(report, False, _("Same day as another report: counted once")))
        else:
            counted_days.add(report.occurred_on)
            result.qualifying += 1
            result.qualifying_hate += report.is_hate
            result.verdicts.append(Verdict(report, True, _("Qualifies")))
    return result
