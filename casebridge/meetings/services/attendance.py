"""Who attended a meeting, and their acknowledgement of its confidentiality."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from casebridge.accounts.models import User
from casebridge.audit.services import audit_changed
from casebridge.meetings import access
from casebridge.meetings.models import Attendance, Meeting
from casebridge.meetings.services._checks import require_run


@transaction.atomic
def attendance_record(*, actor: User, meeting: Meeting, present: list[User]) -> None:
    """Mark who is present among the series' attendees (everyone else absent)."""
    require_run(actor, meeting)
    invited = list(meeting.series.attendees.all())
    present_ids = {user.pk for user in present}
    for user in invited:
        row, _created = Attendance.objects.get_or_create(
            meeting=meeting,
            user=user,
            defaults={"partnership_id": meeting.partnership_id, "recorded_by": actor},
        )
        if row.present != (user.pk in present_ids):
            row.present = user.pk in present_ids
            row.recorded_by = actor
            row.save(update_fields=["present", "recorded_by"])
    audit_changed(
        actor=actor,
        obj=meeting,
        data={"present": sorted(str(user) for user in invited if user.pk in present_ids)},
    )


@transaction.atomic
def confidentiality_acknowledge(*, actor: User, meeting: Meeting) -> Attendance:
    """An attendee confirms they have heard and accept the confidentiality statement."""
    if not access.is_attendee(actor, meeting):
        raise PermissionDenied
    row, _created = Attendance.objects.get_or_create(
        meeting=meeting, user=actor, defaults={"partnership_id": meeting.partnership_id, "recorded_by": actor}
    )
    if row.acknowledged_at is None:
        row.acknowledged_at = timezone.now()
        row.save(update_fields=["acknowledged_at"])
        audit_changed(
            actor=actor,
            obj=meeting,
            data={"confidentiality_acknowledged": True},
        )
    return row
