"""Organisations and teams as staff administration changes them: each checks who may, then writes.

The rules are ``permissions`` (they read the role-to-capability table, which sits above the
organisations app); the writes and their audit events are ``organisations.services``.
"""

from django.db import transaction

from casebridge.accounts.models import User
from casebridge.accounts.staff import permissions
from casebridge.lib.actors import require
from casebridge.organisations import services as organisation_services
from casebridge.organisations.models import Organisation, Partnership, PartnershipJoinRequest, Team


@transaction.atomic
def organisation_create(*, actor: User, partnership: Partnership, name: str, type: str) -> Organisation:
    require(permissions.may_add_organisations(actor, partnership))
    return organisation_services.organisation_create(actor=actor, partnership=partnership, name=name, type=type)


@transaction.atomic
def organisation_update(
    *, actor: User, partnership: Partnership, organisation: Organisation, name: str, type: str, is_active: bool
) -> Organisation:
    """Only its own managers, or an administrator of every partnership it takes part in: the name is everyone's."""
    require(permissions.may_change_organisation(actor, partnership, organisation))
    return organisation_services.organisation_update(
        actor=actor, partnership=partnership, organisation=organisation, name=name, type=type, is_active=is_active
    )


@transaction.atomic
def organisation_ask_to_join(
    *, actor: User, partnership: Partnership, organisation: Organisation
) -> PartnershipJoinRequest:
    """An administrator asks; the organisation takes part only once one of its managers accepts."""
    require(permissions.may_add_organisations(actor, partnership))
    return organisation_services.join_request_create(actor=actor, partnership=partnership, organisation=organisation)


@transaction.atomic
def organisation_answer_join_request(
    *, actor: User, request: PartnershipJoinRequest, accept: bool
) -> PartnershipJoinRequest:
    require(permissions.may_answer_join_requests(actor, request.organisation))
    return organisation_services.join_request_decide(actor=actor, request=request, accept=accept)


@transaction.atomic
def team_create(*, actor: User, partnership: Partnership, organisation: Organisation, name: str) -> Team:
    """Teams belong to the organisation: the same people who may change it add them."""
    require(permissions.may_change_organisation(actor, partnership, organisation))
    return organisation_services.team_create(actor=actor, partnership=partnership, organisation=organisation, name=name)
