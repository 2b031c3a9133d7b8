from typing import Any

from django.http import HttpRequest

from casebridge.web.navigation import navigation_for


def partnership(request: HttpRequest) -> dict[str, Any]:
    membership = getattr(request, "membership", None)
    return {
        "current_membership": membership,
        "current_partnership": membership.partnership if membership else None,
        "navigation": navigation_for(request),
    }
