"""Writes for users, memberships, organisations and teams: each audited in its own transaction.

One module per topic: ``users`` (and their memberships), ``organisations`` (and their teams), and
``users_import`` (onboarding rows). Callers import from here.
"""

from casebridge.organisations.services.organisations import (
    organisation_add_to_partnership,
    organisation_create,
    organisation_update,
    team_create,
)
from casebridge.organisations.services.users import membership_remove, membership_set, user_invite, user_update
from casebridge.organisations.services.users_import import users_import

__all__ = [
    "membership_remove",
    "membership_set",
    "organisation_add_to_partnership",
    "organisation_create",
    "organisation_update",
    "team_create",
    "user_invite",
    "user_update",
    "users_import",
]
