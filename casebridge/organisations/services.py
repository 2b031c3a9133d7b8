"""Writes for organisations, their partnerships, teams and memberships.

The organisation and team services are each audited in their own transaction. The membership
and bulk services write rows for staff administration in accounts, which checks and audits them.
"""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from casebridge.audit.models import Action
from casebridge.audit.services import audit_record, changes_between
from casebridge.lib.actors import Actor, require
from casebridge.organisations import permissions
from casebridge.organisations.models import Membership, Organisation, Partnership, Team


def _organisation_name_free(name: str, *, exclude: Organisation | None = None) -> None:
    clash = Organisation.objects.filter(name__iexact=name)
    if exclude is not None:
        clash = clash.exclude(pk=exclude.pk)
    if clash.exists():
        raise ValidationError({"name": _("An organisation with this name already exists.")})


@transaction.atomic
def organisation_create(*, actor: Actor, partnership: Partnership, name: str, type: str) -> Organisation:
    require(permissions.may_manage_organisations(actor, partnership))
    _organisation_name_free(name)
    organisation = Organisation.objects.create(name=name, type=type)
    organisation.partnerships.add(partnership)
    audit_record(
        actor=actor,
        action=Action.ORGANISATION_CREATED,
        partnership_id=partnership.pk,
        obj=organisation,
        data={"name": name, "type": type, "partnership": partnership.code},
    )
    return organisation


@transaction.atomic
def organisation_update(
    *, actor: Actor, partnership: Partnership, organisation: Organisation, name: str, type: str, is_active: bool
) -> Organisation:
    require(permissions.may_manage_organisation(actor, partnership, organisation))
    _organisation_name_free(name, exclude=organisation)
    before = {"name": organisation.name, "type": organisation.type, "is_active": organisation.is_active}
    after = {"name": name, "type": type, "is_active": is_active}
    changes = changes_between(before, after)
    if changes:
        organisation.name, organisation.type, organisation.is_active = name, type, is_active
        organisation.save(update_fields=["name", "type", "is_active"])
        audit_record(
            actor=actor,
            action=Action.ORGANISATION_CHANGED,
            partnership_id=partnership.pk,
            obj=organisation,
            data={"changes": changes},
        )
    return organisation


@transaction.atomic
def organisation_add_to_partnership(*, actor: Actor, partnership: Partnership, organisation: Organisation) -> None:
    require(permissions.may_manage_organisations(actor, partnership))
    if organisation.partnerships.filter(pk=partnership.pk).exists():
        return
    organisation.partnerships.add(partnership)
    audit_record(
        actor=actor,
        action=Action.ORGANISATION_CHANGED,
        partnership_id=partnership.pk,
        obj=organisation,
        data={"partnership_added": partnership.code},
    )


@transaction.atomic
def team_create(*, actor: Actor, partnership: Partnership, organisation: Organisation, name: str) -> Team:
    require(permissions.may_manage_organisation(actor, partnership, organisation))
    if organisation.teams.filter(name__iexact=name).exists():
        raise ValidationError(
            {"name": _("%(organisation)s already has a team with this name.") % {"organisation": organisation}}
        )
    team = Team.objects.create(organisation=organisation, name=name)
    audit_record(
        actor=actor,
        action=Action.TEAM_CREATED,
        partnership_id=partnership.pk,
        obj=team,
        data={"organisation": organisation.name, "name": name},
    )
    return team


def teams_bulk_create(*, teams: Iterable[Team]) -> list[Team]:
    """Saves new teams in one insert; no permission check or audit here: the caller makes both."""
    return Team.objects.bulk_create(teams)


def membership_create(*, user_id: int, partnership: Partnership, role: str) -> Membership:
    """Gives a user a role in a partnership; no permission check or audit here: the caller makes both."""
    return Membership.objects.create(user_id=user_id, partnership=partnership, role=role)


def membership_role_change(*, membership: Membership, role: str) -> None:
    """Changes a membership's role; no permission check or audit here: the caller makes both."""
    membership.role = role
    membership.save(update_fields=["role"])


def membership_delete(*, membership: Membership) -> None:
    """Removes a membership; no permission check or audit here: the caller makes both."""
    membership.delete()


def memberships_bulk_create(*, memberships: list[Membership]) -> None:
    """Saves new memberships in batched inserts; no permission check or audit here: the caller makes both."""
    Membership.objects.bulk_create(memberships, batch_size=500)


def memberships_bulk_role_change(*, memberships: list[Membership]) -> None:
    """Saves changed memberships' roles in batched updates; no permission check or audit here: the caller makes both."""
    Membership.objects.bulk_update(memberships, ["role"], batch_size=500)
