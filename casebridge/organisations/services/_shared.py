"""What the services share: the permission check, a user's audited details and invitations."""

from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from casebridge.organisations.tasks import invitations_send

if TYPE_CHECKING:
    from casebridge.accounts.models import User


def invite_after_commit(user_ids: list[int]) -> None:
    if user_ids:
        transaction.on_commit(lambda: invitations_send.enqueue(user_ids))


def require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def user_snapshot(user: "User") -> dict[str, Any]:
    return {
        "first_name": user.first_name,
        "last_name": user.last_name,
        "job_title": user.job_title,
        "team": user.team.name if user.team else None,
    }
