"""Writes for organisations, their partnerships and their teams: each audited in its own transaction."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from casebridge.audit.models import Action
from casebridge.audit.services import audit_record, changes_between
from casebridge.lib.actors import Actor, require
from casebridge.organisations import permissions
from casebridge.organisations.models import Organisation, Partnership, Team


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
