"""Reads for organisation management, always through the permission policy."""

from uuid import UUID

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from casebridge.lib.actors import Actor
from casebridge.organisations import permissions
from casebridge.organisations.models import Organisation, Partnership


def organisation_list_manageable(*, actor: Actor, partnership: Partnership) -> QuerySet[Organisation]:
    return (
        permissions.organisations_manageable_by(actor, partnership)
        .annotate(user_count=Count("users", filter=Q(users__memberships__partnership=partnership), distinct=True))
        .prefetch_related("teams")
        .order_by("name")
    )


def organisation_get_manageable(*, actor: Actor, partnership: Partnership, public_id: UUID) -> Organisation:
    return get_object_or_404(permissions.organisations_manageable_by(actor, partnership), public_id=public_id)


def organisations_outside(*, partnership: Partnership) -> QuerySet[Organisation]:
    """Organisations an administrator could add to their partnership."""
    return Organisation.objects.filter(is_active=True).exclude(partnerships=partnership).order_by("name")
