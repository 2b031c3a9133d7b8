"""Request types for views behind sign-in, so the type checker knows request.user."""

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from casebridge.accounts.models import User
    from casebridge.organisations.models import Membership


class AuthenticatedRequest(HttpRequest):
    user: "User"  # type: ignore[assignment]
    membership: "Membership | None"
