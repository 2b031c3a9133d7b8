"""What cases/case_base.html needs, so that a page sits among a case's tabs."""

from typing import Any

from casebridge.accounts.requests import AuthenticatedRequest
from casebridge.cases.models import Case
from casebridge.cases.policy import Act, can


def case_page_context(request: AuthenticatedRequest, case: Case, tab: str, **extra: Any) -> dict[str, Any]:
    user = request.user
    return {
        "case": case,
        "tab": tab,
        "can_contribute": can(user, Act.CONTRIBUTE, case),
        "can_manage": can(user, Act.MANAGE, case),
        "is_lead": can(user, Act.LEAD, case),
        "shows_personal_data": True,
        **extra,
    }
