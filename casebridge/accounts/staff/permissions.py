"""Who may manage which users: the one policy every page, service and the user import use.

The capabilities come from ``casebridge.access.capabilities``; this module narrows them to
users, by the rules of docs/access-model.md ("Administration and the audit"):

- A user's **account** (name, team, deactivation, two-factor reset, unlock) belongs to their
  home organisation: its staff who hold the account-actions capability in a partnership the
  user works in (its managers). An administrator reaches an account only where every
  membership of that user is in a partnership they administer: administration stops at the
  partnership boundary.
- **Roles**: whoever holds manage-staff gives practitioner and manager roles to the staff of
  their own organisation, or to an account they own as above; partnership-wide roles
  (coordinator, analyst, auditor, administrator) are given, changed and taken away only by an
  administrator of that partnership. An administrator may always remove a role in their own
  partnership: the partnership decides who works in it.

- **Organisations** (below): an administrator adds new ones and asks existing ones to join;
  an organisation's own managers accept, and change it and its teams; an administrator changes
  it only while it takes part in no partnership they do not administer.

The account rule has two answers, for one user (``owns_account``) and as a query
(``accounts_actionable_by``); ``tests/staff/test_staff_permissions.py`` holds them to agreeing.
These rules live here, above the organisations app, because they read the capability table.
"""

import operator
from functools import reduce

from django.db.models import Q, QuerySet

from casebridge.access.capabilities import PARTNERSHIP_WIDE_ROLES, Capability, holds, partnership_ids_holding
from casebridge.accounts.models import User
from casebridge.organisations.models import Membership, Organisation, Partnership, Role


def administered_partnership_ids(actor: User) -> set[int]:
    """The partnerships the actor administers: where they may give partnership-wide roles."""
    return set(partnership_ids_holding(actor, Capability.GRANT_PARTNERSHIP_ROLES))


def _roles_of(user: User) -> dict[int, str]:
    """The user's role in each partnership, read afresh: it may have changed in this request."""
    return dict(Membership.objects.filter(user=user).values_list("partnership_id", "role"))


def _same_organisation(actor: User, user: User) -> bool:
    return actor.organisation_id is not None and actor.organisation_id == user.organisation_id


def owns_account(
    actor: User, user: User, *, partnership: Partnership, user_roles: dict[int, str] | None = None
) -> bool:
    """Whether the actor, working in ``partnership``, speaks for this account.

    True for the staff of the user's organisation who hold account actions in the partnership,
    and for an administrator of every partnership the user has a role in (``partnership``
    counts as one of them, so an account about to get its first role is owned by its importer).
    ``user_roles`` (partnership id to role) saves reading the user's memberships again.
    """
    if actor.pk == user.pk or not holds(actor, Capability.ACCOUNT_ACTIONS, partnership.pk):
        return False
    if _same_organisation(actor, user):
        return True
    administered = administered_partnership_ids(actor)
    roles = _roles_of(user) if user_roles is None else user_roles
    return partnership.pk in administered and set(roles) <= administered


def users_visible_to(actor: User, partnership: Partnership) -> QuerySet[User]:
    """The users on the actor's user list in this partnership (shown; not all of them can be changed).

    An administrator sees everyone with a role in the partnership; whoever else manages staff
    sees their own organisation's staff there.
    """
    users = User.objects.filter(memberships__partnership=partnership)
    if holds(actor, Capability.GRANT_PARTNERSHIP_ROLES, partnership.pk):
        return users
    if holds(actor, Capability.MANAGE_STAFF, partnership.pk) and actor.organisation_id is not None:
        return users.filter(organisation_id=actor.organisation_id)
    return User.objects.none()


def may_manage_users(actor: User, partnership: Partnership) -> bool:
    """Whether the actor has a user list at all in this partnership."""
    return holds(actor, Capability.MANAGE_STAFF, partnership.pk)


def may_import_users(actor: User, partnership: Partnership) -> bool:
    """The user import may give any role, so it is the partnership administrator's."""
    return holds(actor, Capability.GRANT_PARTNERSHIP_ROLES, partnership.pk)


def may_see_user(actor: User, partnership: Partnership, user: User) -> bool:
    return users_visible_to(actor, partnership).filter(pk=user.pk).exists()


def accounts_actionable_by(actor: User, partnership: Partnership) -> QuerySet[User]:
    """The users, with a role in this partnership, whose account the actor may act on: ``owns_account``."""
    if not holds(actor, Capability.ACCOUNT_ACTIONS, partnership.pk):
        return User.objects.none()
    owned = []
    if actor.organisation_id is not None:
        owned.append(Q(organisation_id=actor.organisation_id))
    administered = administered_partnership_ids(actor)
    if partnership.pk in administered:
        elsewhere = Membership.objects.exclude(partnership_id__in=administered).values("user_id")
        owned.append(~Q(pk__in=elsewhere))
    if not owned:
        return User.objects.none()
    in_partnership = User.objects.filter(memberships__partnership=partnership).exclude(pk=actor.pk)
    return in_partnership.filter(reduce(operator.or_, owned))


def may_act_on_account(actor: User, partnership: Partnership, user: User) -> bool:
    """Deactivate, reactivate, rename, move team, reset two-factor, unlock: the user must work here."""
    return user.memberships.filter(partnership=partnership).exists() and owns_account(
        actor, user, partnership=partnership
    )


def organisations_for_new_users(actor: User, partnership: Partnership) -> QuerySet[Organisation]:
    """Where the actor may create users: any partner organisation for an administrator, else their own.

    A new account has no role anywhere else, so its creator owns it.
    """
    in_partnership = Organisation.objects.filter(partnerships=partnership, is_active=True)
    if holds(actor, Capability.GRANT_PARTNERSHIP_ROLES, partnership.pk):
        return in_partnership
    if holds(actor, Capability.MANAGE_STAFF, partnership.pk) and actor.organisation_id is not None:
        return in_partnership.filter(pk=actor.organisation_id)
    return Organisation.objects.none()


def roles_assignable_by(actor: User, partnership: Partnership) -> tuple[Role, ...]:
    """The roles the actor may give in this partnership, to a user they may give roles to."""
    if holds(actor, Capability.GRANT_PARTNERSHIP_ROLES, partnership.pk):
        return tuple(Role)
    if holds(actor, Capability.MANAGE_STAFF, partnership.pk):
        return tuple(role for role in Role if role not in PARTNERSHIP_WIDE_ROLES)
    return ()


def may_set_membership(
    actor: User, partnership: Partnership, user: User, role: str, *, user_roles: dict[int, str] | None = None
) -> bool:
    """May the actor give (or take away, with role "") this user a role in this partnership?"""
    # Nobody changes their own role, but the service says so in words rather than a 404.
    if not holds(actor, Capability.MANAGE_STAFF, partnership.pk):
        return False
    if role and role not in Role.values:
        return False
    roles = _roles_of(user) if user_roles is None else user_roles
    current = roles.get(partnership.pk)
    administers = holds(actor, Capability.GRANT_PARTNERSHIP_ROLES, partnership.pk)
    if {current, role} & PARTNERSHIP_WIDE_ROLES and not administers:
        return False
    if role == "" and administers:
        return current is not None
    if _same_organisation(actor, user):
        return True
    return administers and owns_account(actor, user, partnership=partnership, user_roles=roles)


def partnerships_for_roles(actor: User, user: User) -> list[Partnership]:
    """The partnerships in which the actor may give this user some role (or change theirs)."""
    return [
        m.partnership
        for m in actor.cached_memberships()
        if any(may_set_membership(actor, m.partnership, user, r) for r in roles_assignable_by(actor, m.partnership))
    ]


def partnerships_for_removal(actor: User, user: User) -> list[Partnership]:
    """The partnerships in which the actor may take this user's role away."""
    return [m.partnership for m in actor.cached_memberships() if may_set_membership(actor, m.partnership, user, "")]


# Organisations and teams


def may_add_organisations(actor: User, partnership: Partnership) -> bool:
    """Create an organisation in the partnership, or ask an existing one to take part."""
    return holds(actor, Capability.ADD_ORGANISATION, partnership.pk)


def organisations_visible_to(actor: User, partnership: Partnership) -> QuerySet[Organisation]:
    """The organisations on the actor's list: every one in the partnership for its administrator, else their own."""
    in_partnership = Organisation.objects.filter(partnerships=partnership)
    if may_add_organisations(actor, partnership):
        return in_partnership
    if holds(actor, Capability.MANAGE_STAFF, partnership.pk) and actor.organisation_id is not None:
        return in_partnership.filter(pk=actor.organisation_id)
    return Organisation.objects.none()


def organisations_changeable_by(actor: User, partnership: Partnership) -> QuerySet[Organisation]:
    """Where the actor may rename, retype or deactivate the organisation and add its teams.

    Its own managers (staff of it who manage staff in the partnership) always; an administrator
    only while it takes part in no partnership they do not administer.
    """
    owned = []
    if holds(actor, Capability.MANAGE_STAFF, partnership.pk) and actor.organisation_id is not None:
        owned.append(Q(pk=actor.organisation_id))
    administered = administered_partnership_ids(actor)
    if may_add_organisations(actor, partnership) and partnership.pk in administered:
        elsewhere = Organisation.partnerships.through.objects.exclude(partnership_id__in=administered)
        owned.append(~Q(pk__in=elsewhere.values("organisation_id")))
    if not owned:
        return Organisation.objects.none()
    return Organisation.objects.filter(partnerships=partnership).filter(reduce(operator.or_, owned))


def may_change_organisation(actor: User, partnership: Partnership, organisation: Organisation) -> bool:
    return organisations_changeable_by(actor, partnership).filter(pk=organisation.pk).exists()


def organisations_answering_for(actor: User) -> QuerySet[Organisation]:
    """The organisation whose join requests the actor answers: their own, if they manage its staff in a
    partnership it takes part in."""
    if actor.organisation_id is None:
        return Organisation.objects.none()
    managed = partnership_ids_holding(actor, Capability.MANAGE_STAFF)
    return Organisation.objects.filter(pk=actor.organisation_id, partnerships__in=managed).distinct()


def may_answer_join_requests(actor: User, organisation: Organisation) -> bool:
    """A manager of the organisation, in any partnership it takes part in."""
    return organisations_answering_for(actor).filter(pk=organisation.pk).exists()
