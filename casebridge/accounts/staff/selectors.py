"""Reads for staff administration (users, organisations, teams), always through the permission policy."""

from uuid import UUID

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery
from django.shortcuts import get_object_or_404

from casebridge.accounts.models import User
from casebridge.accounts.staff import permissions
from casebridge.organisations.models import (
    JoinRequestStatus,
    Membership,
    Organisation,
    Partnership,
    PartnershipJoinRequest,
)

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
        permissions.users_visible_to(actor, partnership)
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
    """The user, or 404 when they do not exist or are not on the actor's user list."""
    users = permissions.users_visible_to(actor, partnership).select_related("organisation", "team")
    return get_object_or_404(users, public_id=public_id)


def user_get_account(*, actor: User, partnership: Partnership, public_id: UUID) -> User:
    """The user, or 404 unless the actor may act on their account (``permissions.owns_account``)."""
    users = permissions.accounts_actionable_by(actor, partnership).select_related("organisation", "team")
    return get_object_or_404(users, public_id=public_id)


def user_memberships(*, user: User) -> QuerySet[Membership]:
    return user.memberships.select_related("partnership").order_by("partnership__name")


def organisation_list_visible(*, actor: User, partnership: Partnership) -> QuerySet[Organisation]:
    return (
        permissions.organisations_visible_to(actor, partnership)
        .annotate(user_count=Count("users", filter=Q(users__memberships__partnership=partnership), distinct=True))
        .prefetch_related("teams")
        .order_by("name")
    )


def organisation_get_changeable(*, actor: User, partnership: Partnership, public_id: UUID) -> Organisation:
    """The organisation, or 404 unless the actor may change it (``permissions.organisations_changeable_by``)."""
    return get_object_or_404(permissions.organisations_changeable_by(actor, partnership), public_id=public_id)


def organisations_to_ask(*, partnership: Partnership) -> QuerySet[Organisation]:
    """Organisations an administrator could ask to take part: active, outside, and not asked already."""
    asked = PartnershipJoinRequest.objects.filter(partnership=partnership, status=JoinRequestStatus.PENDING)
    return (
        Organisation.objects.filter(is_active=True)
        .exclude(partnerships=partnership)
        .exclude(pk__in=asked.values("organisation_id"))
        .order_by("name")
    )


def join_requests_sent(*, partnership: Partnership) -> QuerySet[PartnershipJoinRequest]:
    """The partnership's requests still waiting for an answer."""
    return PartnershipJoinRequest.objects.filter(
        partnership=partnership, status=JoinRequestStatus.PENDING
    ).select_related("organisation")


def join_requests_to_answer(*, actor: User) -> QuerySet[PartnershipJoinRequest]:
    """Requests waiting for the actor's organisation, if the actor may answer them."""
    return PartnershipJoinRequest.objects.filter(
        organisation__in=permissions.organisations_answering_for(actor), status=JoinRequestStatus.PENDING
    ).select_related("partnership", "requested_by", "organisation")


def join_request_get_to_answer(*, actor: User, public_id: UUID) -> PartnershipJoinRequest:
    return get_object_or_404(join_requests_to_answer(actor=actor), public_id=public_id)
