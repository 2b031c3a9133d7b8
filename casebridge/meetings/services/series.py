"""Meeting series and the meetings scheduled in them."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casebridge.accounts.models import User
from casebridge.audit.services import audit_created
from casebridge.lib.working_days import working_days_before
from casebridge.meetings.models import Meeting, MeetingSeries
from casebridge.meetings.services._checks import require_coordinator
from casebridge.organisations.models import Organisation, Partnership


@transaction.atomic
def series_create(
    *,
    actor: User,
    partnership: Partnership,
    kind: str,
    name: str,
    chair: User,
    member_organisations: list[Organisation],
    attendees: list[User],
    cadence: str,
    referral_deadline_days: int = 2,
    papers_days: int = 1,
) -> MeetingSeries:
    require_coordinator(actor, partnership.pk)
    if papers_days > referral_deadline_days:
        raise ValidationError(_("The referral deadline must come on or before the papers date."))
    members = {org.pk for org in member_organisations}
    if any(org.partnerships.filter(pk=partnership.pk).count() == 0 for org in member_organisations):
        raise ValidationError(_("Every member organisation must take part in this partnership."))
    outsiders = [str(user) for user in attendees if user.organisation_id not in members]
    if outsiders:
        raise ValidationError(
            _("Attendees must work for a member organisation: %(names)s.") % {"names": ", ".join(outsiders)}
        )
    series = MeetingSeries.objects.create(
        partnership=partnership,
        kind=kind,
        name=name.strip(),
        chair=chair,
        cadence=cadence,
        referral_deadline_days=referral_deadline_days,
        papers_days=papers_days,
        created_by=actor,
    )
    series.member_organisations.set(member_organisations)
    series.attendees.set(attendees)
    audit_created(
        actor=actor,
        obj=series,
        data={
            "kind": kind,
            "chair": str(chair),
            "members": sorted(str(org) for org in member_organisations),
            "attendees": sorted(str(user) for user in attendees),
        },
    )
    return series


def meeting_dates(*, series: MeetingSeries, starts_at: datetime.datetime) -> tuple[datetime.date, datetime.date]:
    """The referral deadline and papers date, counted back in working days from the meeting."""
    day = timezone.localdate(starts_at)
    return working_days_before(day, series.referral_deadline_days), working_days_before(day, series.papers_days)


@transaction.atomic
def meeting_schedule(*, actor: User, series: MeetingSeries, starts_at: datetime.datetime, venue: str = "") -> Meeting:
    require_coordinator(actor, series.partnership_id)
    deadline, papers = meeting_dates(series=series, starts_at=starts_at)
    meeting = Meeting.objects.create(
        partnership_id=series.partnership_id,
        series=series,
        starts_at=starts_at,
        venue=venue,
        referral_deadline=deadline,
        papers_date=papers,
        created_by=actor,
    )
    audit_created(
        actor=actor,
        obj=meeting,
        data={"starts_at": starts_at.isoformat(), "referral_deadline": str(deadline), "papers_date": str(papers)},
    )
    return meeting
