"""Reads on referrals, always through the access policy."""

import datetime
from dataclasses import dataclass
from uuid import UUID

from django.db.models import Count, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from casebridge.accounts.models import User
from casebridge.cases.models import Case
from casebridge.cases.models import Status as CaseStatus
from casebridge.cases.policy import Act, visible_cases
from casebridge.organisations.models import Partnership
from casebridge.referrals.access import can_referral, visible_referrals
from casebridge.referrals.models import Referral, ReferralDocument, ReferralSubject, ReferralUpdate

REPEAT_DAYS = 92


@dataclass(frozen=True)
class QueueFilters:
    status: str = ""
    source: str = ""
    purpose: str = ""
    urgency: str = ""


def referral_queue(*, user: User, partnership: Partnership, filters: QueueFilters) -> QuerySet[Referral]:
    """The triage queue: urgent first, then oldest first, so nothing waits unseen."""
    referrals = visible_referrals(user, partnership)
    for name in ("status", "source", "purpose", "urgency"):
        value = getattr(filters, name)
        if value:
            referrals = referrals.filter(**{name: value})
    # Repeat reports: other referrals about the same postcode in the last three months.
    same_place = (
        Referral.objects.filter(
            partnership=partnership,
            postcode=OuterRef("postcode"),
            created_at__gte=timezone.now() - datetime.timedelta(days=REPEAT_DAYS),
        )
        .exclude(pk=OuterRef("pk"))
        .exclude(postcode="")
        .order_by()
        .values("postcode")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        referrals.select_related("referrer_organisation", "category")
        .annotate(
            subject_count=Count("subjects"),
            same_place_count=Coalesce(Subquery(same_place), Value(0)),
        )
        .order_by("-urgency", "created_at", "pk")
    )


def referrals_made_by(*, user: User, partnership: Partnership) -> QuerySet[Referral]:
    return (
        visible_referrals(user, partnership)
        .filter(referred_by=user)
        .select_related("case")
        .order_by("-created_at", "-pk")
    )


def referral_subjects(*, referral: Referral) -> QuerySet[ReferralSubject]:
    return referral.subjects.all()


def referral_updates(*, referral: Referral) -> QuerySet[ReferralUpdate]:
    return referral.updates.select_related("author")


def referral_documents(*, referral: Referral) -> QuerySet[ReferralDocument]:
    return referral.documents.select_related("uploaded_by")


def referral_document_for(*, user: User, public_id: UUID, partnership: Partnership | None) -> ReferralDocument:
    if partnership is None:
        raise Http404
    document = (
        ReferralDocument.objects.select_related("referral").filter(partnership=partnership, public_id=public_id).first()
    )
    if document is None or not can_referral(user, Act.VIEW, document.referral):
        raise Http404
    return document


def attachable_cases(*, user: User, partnership: Partnership) -> QuerySet[Case]:
    """Open cases the user may add a referral to."""
    return (
        visible_cases(user, partnership, Act.CONTRIBUTE)
        .exclude(status=CaseStatus.CLOSED)
        .select_related("case_type")
        .order_by("-updated_at")
    )
