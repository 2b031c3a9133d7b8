"""Who may manage which organisations and teams: the one policy every page and service uses.

Partnership administrators manage the organisations and teams in their
partnership. Who may manage which users is ``accounts.staff.permissions``.
"""

from django.db.models import QuerySet

from casebridge.lib.actors import Actor
from casebridge.organisations.models import Organisation, Partnership, Role

ORGANISATION_MANAGER_ROLES = frozenset({Role.ADMINISTRATOR})


def may_manage_organisations(actor: Actor, partnership: Partnership) -> bool:
    return actor.is_active and actor.role_in(partnership) in ORGANISATION_MANAGER_ROLES


def organisations_manageable_by(actor: Actor, partnership: Partnership) -> QuerySet[Organisation]:
    if not may_manage_organisations(actor, partnership):
        return Organisation.objects.none()
    return Organisation.objects.filter(partnerships=partnership)


def may_manage_organisation(actor: Actor, partnership: Partnership, organisation: Organisation) -> bool:
    return organisations_manageable_by(actor, partnership).filter(pk=organisation.pk).exists()
