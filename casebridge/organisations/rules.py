"""Who may manage which organisation (``organisations.permissions``), registered with the one access door.

An organisation takes part in several partnerships: one may manage it when one manages it in any of them.
"""

from typing import Any

from casebridge.access import policy
from casebridge.organisations.models import Organisation
from casebridge.organisations.permissions import may_manage_organisation, organisations_manageable_by

MANAGE = "manage"


def may_manage(actor: Any, organisation: Organisation) -> bool:
    return any(
        may_manage_organisation(actor, partnership, organisation) for partnership in organisation.partnerships.all()
    )


def register() -> None:
    policy.register(Organisation, MANAGE, may=may_manage, visible=organisations_manageable_by)
