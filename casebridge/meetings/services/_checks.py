"""Who may write on meetings: the checks the services share."""

from django.core.exceptions import PermissionDenied

from casebridge.accounts.models import User
from casebridge.meetings import access
from casebridge.meetings.models import Meeting


def require_coordinator(actor: User, partnership_id: int) -> None:
    if not access.coordinates(actor, partnership_id):
        raise PermissionDenied


def require_agenda_builder(actor: User, meeting: Meeting) -> None:
    if not access.builds_agenda(actor, meeting):
        raise PermissionDenied


def require_run(actor: User, meeting: Meeting) -> None:
    if not access.may_run(actor, meeting):
        raise PermissionDenied
