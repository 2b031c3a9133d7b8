"""Reads for user management, always through the permission policy."""

from uuid import UUID

from django.db.models import F, OuterRef, Q, QuerySet, Subquery
from django.shortcuts import get_object_or_404

from casebridge.accounts.models import User
from casebridge.accounts.staff import permissions
from casebridge.organisations.models import Membership, Organisation, Partnership

USER_SORTS = {
    "name": ("last_name", "first_name"),
    "email": ("email",),
    "organisation": ("organisation__name", "last_name"),
    "team": ("team__name", "last_name"),
    "role": ("partnership_role", "last_name"),
}


def user_list_manageable(
    *,
    actor: User,
    partnership: Partnership,
    search: str = "",
    organisation: Organisation | None = None,
    role: str = "",
    sort: str = "name",
    descending: bool = False,
) -> "QuerySet[User]":
    role_here = Membership.objects.filter(user=OuterRef("pk"), partnership=partnership).values("role")[:1]
    users = (
        permissions.users_manageable_by(actor, partnership)
        .select_related("organisation", "team")
        .annotate(partnership_role=Subquery(role_here))
    )
    if search:
        users = users.filter(
            Q(first_name__icontains=search) | Q(last_name__icontains=search) | Q(email__icontains=search)
        )
    if organisation is not None:
        users = users.filter(organisation=organisation)
    if role:
        users = users.filter(partnership_role=role)
    fields = USER_SORTS.get(sort, USER_SORTS["name"])
    ordering = [F(name).desc(nulls_last=True) if descending else F(name).asc(nulls_last=True) for name in fields]
    return users.order_by(*ordering, "pk")


def user_get_manageable(*, actor: User, partnership: Partnership, public_id: UUID) -> User:
    """The user, or 404 when they do not exist or the actor may not manage them."""
    users = permissions.users_manageable_by(actor, partnership).select_related("organisation", "team")
    return get_object_or_404(users, public_id=public_id)


def user_memberships(*, user: User) -> QuerySet[Membership]:
    return user.memberships.select_related("partnership").order_by("partnership__name")
