"""Writes for organisations, their partnerships, teams and memberships.

Nothing here checks who may: the rules need the role-to-capability table, which sits above this
app, so staff administration (``accounts.staff.organisations``) checks and then calls these. The
organisation and team services audit in the same transaction, in the chain of every partnership
the organisation takes part in; the membership and bulk services leave the audit to their caller.
"""

from collections.abc import Iterable
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casebridge.audit.models import Action
from casebridge.audit.services import PendingEvent, audit_record, audit_record_batch, changes_between
from casebridge.organisations.models import (
    JoinRequestStatus,
    Membership,
    Organisation,
    Partnership,
    PartnershipJoinRequest,
    Team,
)


def _organisation_name_free(name: str, *, exclude: Organisation | None = None) -> None:
    clash = Organisation.objects.filter(name__iexact=name)
    if exclude is not None:
        clash = clash.exclude(pk=exclude.pk)
    if clash.exists():
        raise ValidationError({"name": _("An organisation with this name already exists.")})


def organisation_events(
    action: Action,
    *,
    actor: AbstractBaseUser,
    organisation: Organisation,
    data: dict[str, Any],
    also_in: Iterable[int] = (),
) -> list[PendingEvent]:
    """One event per partnership the organisation takes part in (and ``also_in``): each one's auditor sees it."""
    chains: list[int | None] = [*sorted(set(organisation.partnerships.values_list("pk", flat=True)) | set(also_in))]
    return [
        PendingEvent(action, actor=actor, partnership_id=chain, obj=organisation, data=data)
        for chain in chains or [None]
    ]


@transaction.atomic
def organisation_create(*, actor: AbstractBaseUser, partnership: Partnership, name: str, type: str) -> Organisation:
    """A new organisation taking part in ``partnership``; the caller has checked who may."""
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
    *,
    actor: AbstractBaseUser,
    partnership: Partnership,
    organisation: Organisation,
    name: str,
    type: str,
    is_active: bool,
) -> Organisation:
    """Renames, retypes or (de)activates the organisation everywhere; the caller has checked who may."""
    _organisation_name_free(name, exclude=organisation)
    before = {"name": organisation.name, "type": organisation.type, "is_active": organisation.is_active}
    after = {"name": name, "type": type, "is_active": is_active}
    changes = changes_between(before, after)
    if changes:
        organisation.name, organisation.type, organisation.is_active = name, type, is_active
        organisation.save(update_fields=["name", "type", "is_active"])
        data = {"changes": changes, "acting_partnership": partnership.code}
        audit_record_batch(
            organisation_events(Action.ORGANISATION_CHANGED, actor=actor, organisation=organisation, data=data)
        )
    return organisation


@transaction.atomic
def join_request_create(
    *, actor: AbstractBaseUser, partnership: Partnership, organisation: Organisation
) -> PartnershipJoinRequest:
    """Asks the organisation to take part in the partnership; the caller has checked who may ask."""
    if organisation.partnerships.filter(pk=partnership.pk).exists():
        raise ValidationError(
            {
                "organisation": _("%(organisation)s already takes part in %(partnership)s.")
                % {"organisation": organisation, "partnership": partnership}
            }
        )
    if PartnershipJoinRequest.objects.filter(
        partnership=partnership, organisation=organisation, status=JoinRequestStatus.PENDING
    ).exists():
        raise ValidationError(
            {
                "organisation": _("%(organisation)s has already been asked. Its managers have not answered yet.")
                % {"organisation": organisation}
            }
        )
    request = PartnershipJoinRequest.objects.create(
        partnership=partnership, organisation=organisation, requested_by_id=actor.pk
    )
    data = {"partnership": partnership.code, "join_request": JoinRequestStatus.PENDING.value}
    audit_record_batch(
        organisation_events(
            Action.ORGANISATION_CHANGED, actor=actor, organisation=organisation, data=data, also_in=[partnership.pk]
        )
    )
    return request


@transaction.atomic
def join_request_decide(
    *, actor: AbstractBaseUser, request: PartnershipJoinRequest, accept: bool
) -> PartnershipJoinRequest:
    """The organisation's answer; accepting makes it a member. The caller has checked who may answer."""
    request = PartnershipJoinRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != JoinRequestStatus.PENDING:
        raise ValidationError(_("This request has already been answered."))
    request.status = JoinRequestStatus.ACCEPTED if accept else JoinRequestStatus.DECLINED
    request.decided_by_id = actor.pk
    request.decided_at = timezone.now()
    request.save(update_fields=["status", "decided_by", "decided_at"])
    organisation = request.organisation
    if accept:
        organisation.partnerships.add(request.partnership)
    data = {"partnership": request.partnership.code, "join_request": request.status}
    audit_record_batch(
        organisation_events(
            Action.ORGANISATION_CHANGED,
            actor=actor,
            organisation=organisation,
            data=data,
            also_in=[request.partnership_id],
        )
    )
    return request


@transaction.atomic
def team_create(*, actor: AbstractBaseUser, partnership: Partnership, organisation: Organisation, name: str) -> Team:
    """A new team in the organisation; the caller has checked who may."""
    if organisation.teams.filter(name__iexact=name).exists():
        raise ValidationError(
            {"name": _("%(organisation)s already has a team with this name.") % {"organisation": organisation}}
        )
    team = Team.objects.create(organisation=organisation, name=name)
    data = {"organisation": organisation.name, "name": name, "acting_partnership": partnership.code}
    audit_record_batch(
        [
            PendingEvent(Action.TEAM_CREATED, actor=actor, partnership_id=event.partnership_id, obj=team, data=data)
            for event in organisation_events(Action.TEAM_CREATED, actor=actor, organisation=organisation, data=data)
        ]
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
