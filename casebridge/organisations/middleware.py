from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from casebridge.organisations.models import Membership

PARTNERSHIP_KEY = "casebridge_partnership"


class CurrentPartnershipMiddleware:
    """Sets request.membership: the signed-in user's role in the partnership they work in now."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.membership = current_membership(request)  # type: ignore[attr-defined]
        return self.get_response(request)


def current_membership(request: HttpRequest) -> Membership | None:
    user = request.user
    if not user.is_authenticated:
        return None
    memberships = user.cached_memberships()
    chosen = request.session.get(PARTNERSHIP_KEY)
    for membership in memberships:
        if str(membership.partnership.public_id) == chosen:
            return membership
    return memberships[0] if memberships else None
