"""The case policy's answers, registered with the one access door (``casebridge.access.policy``)."""

from collections.abc import Callable

from django.db.models import QuerySet

from casebridge.access import policy
from casebridge.accounts.models import User
from casebridge.cases.models import Case
from casebridge.cases.policy import Act, can, visible_cases
from casebridge.organisations.models import Partnership


def _may(act: Act) -> Callable[[User, Case], bool]:
    return lambda user, case: can(user, act, case)


def _visible(act: Act) -> Callable[[User, Partnership], QuerySet[Case]]:
    return lambda user, partnership: visible_cases(user, partnership, act)


def register() -> None:
    for act in Act:
        policy.register(Case, act, may=_may(act), visible=_visible(act))
