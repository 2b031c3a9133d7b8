"""Which role holds which capability: the one table every role check reads.

docs/access-model.md carries the same table for people; a test fails if the two disagree.
A capability held here is necessary, not always sufficient: object rules (a case the user's
organisation may see, a user whose every membership is in the partnership) narrow it, in
``casebridge.access.policy`` and the per-app rules registered there.
"""

from collections.abc import Iterable
from enum import StrEnum

from casebridge.access.roles import Role
from casebridge.lib.actors import Member


class Capability(StrEnum):
    CASEWORK = "casework"
    TRIAGE = "triage"
    MANAGE_STAFF = "manage_staff"
    GRANT_PARTNERSHIP_ROLES = "grant_partnership_roles"
    ACCOUNT_ACTIONS = "account_actions"
    ADD_ORGANISATION = "add_organisation"
    CONFIGURE_PARTNERSHIP = "configure_partnership"
    MERGE_PEOPLE = "merge_people"
    VIEW_FIGURES = "view_figures"
    READ_PARTNERSHIP_AUDIT = "read_partnership_audit"
    READ_STAFF_AUDIT = "read_staff_audit"
    INFORMATION_GOVERNANCE = "information_governance"


# What each capability lets its holder do, as the access model documents it.
DESCRIPTIONS: dict[Capability, str] = {
    Capability.CASEWORK: "casework (open cases, add parties, notes, incidents), on cases their organisation may see",
    Capability.TRIAGE: "triage referrals, build agendas, run ASB Case Reviews",
    Capability.MANAGE_STAFF: "manage staff of their own organisation (invite, team, practitioner/manager roles)",
    Capability.GRANT_PARTNERSHIP_ROLES: "give partnership-wide roles (coordinator, analyst, auditor, administrator)",
    Capability.ACCOUNT_ACTIONS: (
        "account actions (deactivate, rename, reset two-factor, unlock): managers of the user's home "
        "organisation; an administrator only where every membership of that user is in their partnership"
    ),
    Capability.ADD_ORGANISATION: (
        "add an existing organisation to the partnership, accepted by that organisation's manager"
    ),
    Capability.CONFIGURE_PARTNERSHIP: "configure case types, forms, retention and meeting series; import spreadsheets",
    Capability.MERGE_PEOPLE: "merge and unmerge people, where they may manage every case either person is in",
    Capability.VIEW_FIGURES: "aggregate figures",
    Capability.READ_PARTNERSHIP_AUDIT: "read the whole partnership's audit trail and review emergency access",
    Capability.READ_STAFF_AUDIT: "read the audit trail of their own organisation's staff",
    Capability.INFORMATION_GOVERNANCE: "subject access, retention and disposal decisions",
}

ROLE_CAPABILITIES: dict[str, frozenset[Capability]] = {
    Role.PRACTITIONER: frozenset({Capability.CASEWORK}),
    Role.MANAGER: frozenset(
        {Capability.CASEWORK, Capability.MANAGE_STAFF, Capability.ACCOUNT_ACTIONS, Capability.READ_STAFF_AUDIT}
    ),
    Role.COORDINATOR: frozenset(
        {Capability.CASEWORK, Capability.TRIAGE, Capability.MERGE_PEOPLE, Capability.VIEW_FIGURES}
    ),
    Role.ADMINISTRATOR: frozenset(
        {
            Capability.CASEWORK,
            Capability.MANAGE_STAFF,
            Capability.GRANT_PARTNERSHIP_ROLES,
            Capability.ACCOUNT_ACTIONS,
            Capability.ADD_ORGANISATION,
            Capability.CONFIGURE_PARTNERSHIP,
            Capability.VIEW_FIGURES,
        }
    ),
    Role.ANALYST: frozenset({Capability.VIEW_FIGURES}),
    Role.AUDITOR: frozenset({Capability.READ_PARTNERSHIP_AUDIT, Capability.INFORMATION_GOVERNANCE}),
}

# Roles only an administrator may give; managers give the others, to their own organisation's staff.
PARTNERSHIP_WIDE_ROLES = frozenset({Role.COORDINATOR, Role.ANALYST, Role.AUDITOR, Role.ADMINISTRATOR})


def roles_holding(capability: Capability) -> frozenset[str]:
    """The roles that hold ``capability``, for queries such as "users who do casework"."""
    return frozenset(str(role) for role, held in ROLE_CAPABILITIES.items() if capability in held)


def role_holds(role: str | None, capability: Capability) -> bool:
    return role is not None and capability in ROLE_CAPABILITIES.get(role, frozenset())


def holds(user: Member, capability: Capability, partnership_id: int) -> bool:
    """Whether the user is signed in, active and holds ``capability`` in the partnership."""
    if not user.is_authenticated or not user.is_active:
        return False
    return any(m.partnership_id == partnership_id and role_holds(m.role, capability) for m in user.cached_memberships())


def partnership_ids_holding(user: Member, capability: Capability) -> list[int]:
    """The partnerships in which the user holds ``capability``."""
    if not user.is_authenticated or not user.is_active:
        return []
    return [m.partnership_id for m in user.cached_memberships() if role_holds(m.role, capability)]


def capabilities_of(roles: Iterable[str]) -> frozenset[Capability]:
    held: set[Capability] = set()
    for role in roles:
        held |= ROLE_CAPABILITIES.get(role, frozenset())
    return frozenset(held)
