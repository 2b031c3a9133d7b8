"""Who may manage which users: the one policy every page and service uses.

Organisation managers manage the users of their own organisation who are in
the manager's partnership. Partnership administrators manage every user with a
membership in their partnership. Who may manage organisations and teams is
``organisations.permissions``.
"""

from django.db.models import QuerySet

from casebridge.accounts.models import User
from casebridge.organisations.models import Organisation, Partnership, Role

USER_MANAGER_ROLES = frozenset({Role.ADMINISTRATOR, Role.MANAGER})
# A manager may not hand out partnership-wide powers.
ROLES_ASSIGNABLE_BY: dict[str, tuple[Role, ...]] = {
    Role.ADMINISTRATOR: tuple(Role),
    Role.MANAGER: (Role.MANAGER, Role.PRACTITIONER, Role.ANALYST, Role.AUDITOR),
}


def may_manage_users(actor: User, partnership: Partnership) -> bool:
    return actor.is_active and actor.role_in(partnership) in USER_MANAGER_ROLES


def users_manageable_by(actor: User, partnership: Partnership) -> QuerySet[User]:
    """The users the actor may see and change while working in this partnership."""
    role = actor.role_in(partnership) if actor.is_active else None
    users = User.objects.filter(memberships__partnership=partnership)
    if role == Role.ADMINISTRATOR:
        return users
    if role == Role.MANAGER and actor.organisation_id is not None:
        return users.filter(organisation_id=actor.organisation_id)
    return User.objects.none()


def may_manage_user(actor: User, partnership: Partnership, user: User) -> bool:
    return users_manageable_by(actor, partnership).filter(pk=user.pk).exists()


def organisations_for_new_users(actor: User, partnership: Partnership) -> QuerySet[Organisation]:
    """Where the actor may create users: any partner organisation, or the manager's own."""
    role = actor.role_in(partnership) if actor.is_active else None
    in_partnership = Organisation.objects.filter(partnerships=partnership, is_active=True)
    if role == Role.ADMINISTRATOR:
        return in_partnership
    if role == Role.MANAGER and actor.organisation_id is not None:
        return in_partnership.filter(pk=actor.organisation_id)
    return Organisation.objects.none()


def roles_assignable_by(actor: User, partnership: Partnership) -> tuple[Role, ...]:
    role = actor.role_in(partnership) if actor.is_active else None
    return ROLES_ASSIGNABLE_BY.get(role, ()) if role else ()


def may_set_membership(actor: User, partnership: Partnership, user: User, role: str) -> bool:
    """May the actor give (or take away, with role "") this user a role in this partnership?"""
    actor_role = actor.role_in(partnership) if actor.is_active else None
    if actor_role == Role.ADMINISTRATOR:
        return role == "" or role in Role.values
    if actor_role == Role.MANAGER and user.organisation_id == actor.organisation_id:
        current = user.role_in(partnership)
        assignable = ROLES_ASSIGNABLE_BY[Role.MANAGER]
        return (current is None or current in assignable) and (role == "" or role in assignable)
    return False


def partnerships_for_memberships(actor: User, user: User) -> list[Partnership]:
    """The partnerships in which the actor may set this user's role."""
    return [
        m.partnership
        for m in actor.cached_memberships()
        if m.role in USER_MANAGER_ROLES and may_set_membership(actor, m.partnership, user, "")
    ]
