"""Reads for sharing pages."""

from django.db.models import QuerySet

from casebridge.access.capabilities import Capability, holds
from casebridge.accounts.models import User
from casebridge.cases.models import BreakGlass
from casebridge.cases.policy import does_casework_in
from casebridge.organisations.models import Partnership


def break_glass_reviewable_by(*, user: User, partnership: Partnership) -> QuerySet[BreakGlass] | None:
    """Emergency accesses the user may review, or None if they may review none at all.

    Auditors review every one in their partnership; casework staff those on cases their
    organisation leads.
    """
    events = BreakGlass.objects.filter(partnership=partnership).select_related(
        "case", "user", "user__organisation", "reviewed_by"
    )
    if holds(user, Capability.READ_PARTNERSHIP_AUDIT, partnership.pk):
        return events
    if does_casework_in(user, partnership.pk) and user.organisation_id:
        return events.filter(case__lead_organisation_id=user.organisation_id)
    return None
