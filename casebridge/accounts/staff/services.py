"""Writes for users and their memberships: invited, changed, given or removed a role in a partnership.

Each is audited in its own transaction, in the chain of every partnership the user has a role in
(``events``); the user import is ``users_import``.
"""

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from casebridge.accounts.models import User
from casebridge.accounts.staff import permissions
from casebridge.accounts.staff.events import user_event_record, user_events, user_partnership_ids
from casebridge.accounts.staff.invitations import invitations_send
from casebridge.audit.models import Action
from casebridge.audit.services import PendingEvent, audit_record_batch, changes_between
from casebridge.lib.actors import require
from casebridge.organisations import services as organisation_services
from casebridge.organisations.models import Membership, Organisation, Partnership, Team


def invite_after_commit(user_ids: list[int]) -> None:
    if user_ids:
        transaction.on_commit(lambda: invitations_send.enqueue(user_ids))


def user_snapshot(user: User) -> dict[str, Any]:
    """A user's details as the audit records them."""
    return {
        "first_name": user.first_name,
        "last_name": user.last_name,
        "job_title": user.job_title,
        "team": user.team.name if user.team else None,
    }


@transaction.atomic
def user_invite(
    *,
    actor: User,
    partnership: Partnership,
    email: str,
    first_name: str,
    last_name: str,
    organisation: Organisation,
    role: str,
    team: Team | None = None,
    job_title: str = "",
) -> User:
    """Creates a user without a password and emails them a single-use link to set one."""
    require(permissions.organisations_for_new_users(actor, partnership).filter(pk=organisation.pk).exists())
    require(role in permissions.roles_assignable_by(actor, partnership))
    if team is not None and team.organisation_id != organisation.pk:
        raise ValidationError({"team": _("Choose a team in %(organisation)s.") % {"organisation": organisation}})
    email = email.strip().lower()
    if User.objects.with_email(email).exists():
        raise ValidationError({"email": _("A user with this email address already exists.")})
    user = User(
        email=email,
        first_name=first_name,
        last_name=last_name,
        organisation=organisation,
        team=team,
        job_title=job_title,
    )
    user.set_unusable_password()
    user.save()
    organisation_services.membership_create(user_id=user.pk, partnership=partnership, role=role)
    details = {"organisation": organisation.name, "role": role, **user_snapshot(user)}
    chains = [partnership.pk]
    audit_record_batch(
        [
            *user_events(Action.USER_CREATED, actor=actor, user=user, partnership_ids=chains, data=details),
            *user_events(Action.USER_INVITED, actor=actor, user=user, partnership_ids=chains),
        ]
    )
    invite_after_commit([user.pk])
    return user


@transaction.atomic
def user_update(
    *,
    actor: User,
    partnership: Partnership,
    user: User,
    first_name: str,
    last_name: str,
    job_title: str,
    team: Team | None,
) -> User:
    require(permissions.may_act_on_account(actor, partnership, user))
    if team is not None and team.organisation_id != user.organisation_id:
        raise ValidationError({"team": _("Choose a team in the user's organisation.")})
    before = user_snapshot(user)
    user.first_name, user.last_name, user.job_title, user.team = first_name, last_name, job_title, team
    changes = changes_between(before, user_snapshot(user))
    if changes:
        user.save(update_fields=["first_name", "last_name", "job_title", "team"])
        user_event_record(Action.USER_CHANGED, actor=actor, user=user, acting_in=partnership, data={"changes": changes})
    return user


def membership_events(
    action: Action,
    actor: User | None,
    user: User,
    partnership: Partnership,
    *,
    partnership_ids: Iterable[int],
    **data: Any,
) -> list[PendingEvent]:
    """Events about a user's membership of a partnership, one in the chain of each of ``partnership_ids``
    (the partnerships the user is in)."""
    return user_events(
        action, actor=actor, user=user, partnership_ids=partnership_ids, data={"partnership": partnership.code, **data}
    )


@transaction.atomic
def membership_set(*, actor: User, user: User, partnership: Partnership, role: str) -> Membership:
    """Gives the user this role in the partnership, adding the membership if they have none."""
    if user.pk == actor.pk:
        raise ValidationError(_("You cannot change your own role. Ask another administrator."))
    require(permissions.may_set_membership(actor, partnership, user, role))
    takes_part = user.organisation_id is not None and (
        Organisation.objects.filter(pk=user.organisation_id, partnerships=partnership).exists()
    )
    if not takes_part:
        raise ValidationError(
            _("%(organisation)s does not take part in %(partnership)s. Add the organisation to the partnership first.")
            % {"organisation": user.organisation or _("The user's organisation"), "partnership": partnership}
        )
    membership = Membership.objects.select_for_update().filter(user=user, partnership=partnership).first()
    if membership is None:
        membership = organisation_services.membership_create(user_id=user.pk, partnership=partnership, role=role)
        audit_record_batch(
            membership_events(
                Action.MEMBERSHIP_CREATED,
                actor,
                user,
                partnership,
                partnership_ids=user_partnership_ids(user),
                role=role,
            )
        )
    elif membership.role != role:
        changes = changes_between({"role": membership.role}, {"role": role})
        organisation_services.membership_role_change(membership=membership, role=role)
        audit_record_batch(
            membership_events(
                Action.MEMBERSHIP_CHANGED,
                actor,
                user,
                partnership,
                partnership_ids=user_partnership_ids(user),
                changes=changes,
            )
        )
    return membership


@transaction.atomic
def membership_remove(*, actor: User, user: User, partnership: Partnership) -> None:
    if user.pk == actor.pk:
        raise ValidationError(_("You cannot remove your own membership. Ask another administrator."))
    require(permissions.may_set_membership(actor, partnership, user, ""))
    membership = Membership.objects.select_for_update().filter(user=user, partnership=partnership).first()
    if membership is None:
        return
    organisation_services.membership_delete(membership=membership)
    # The partnership the role was in hears of it too, though the user no longer belongs to it.
    chains = user_partnership_ids(user) | {partnership.pk}
    audit_record_batch(
        membership_events(
            Action.MEMBERSHIP_REMOVED, actor, user, partnership, partnership_ids=chains, role=membership.role
        )
    )
