"""Who may manage which organisations and teams: the one policy every page and service uses.

Those who may add organisations to a partnership (its administrators, in
``access.capabilities``) manage the organisations and teams in it. Who may
manage which users is ``accounts.staff.permissions``.
"""

from django.db.models import QuerySet

from casebridge.access.capabilities import Capability, holds
from casebridge.lib.actors import Member
from casebridge.organisations.models import Organisation, Partnership


def may_manage_organisations(actor: Member, partnership: Partnership) -> bool:
    return holds(actor, Capability.ADD_ORGANISATION, partnership.pk)


def organisations_manageable_by(actor: Member, partnership: Partnership) -> QuerySet[Organisation]:
    if not may_manage_organisations(actor, partnership):
        return Organisation.objects.none()
    return Organisation.objects.filter(partnerships=partnership)


def may_manage_organisation(actor: Member, partnership: Partnership, organisation: Organisation) -> bool:
    return organisations_manageable_by(actor, partnership).filter(pk=organisation.pk).exists()
