"""Reads on templates and assessments; assessments always through the case access policy."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Max, OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from casebridge.access.capabilities import Capability, role_holds
from casebridge.accounts.models import User
from casebridge.assessments.models import Alert, Assessment, AssessmentTemplate, TemplateVersion, VersionState
from casebridge.cases.models import Case
from casebridge.cases.policy import Act, get_case_record_or_404, visible_cases
from casebridge.organisations.models import Partnership


def template_list(*, partnership: Partnership) -> QuerySet[AssessmentTemplate]:
    published = TemplateVersion.objects.filter(template=OuterRef("pk"), state=VersionState.PUBLISHED)
    return AssessmentTemplate.objects.filter(partnership=partnership).annotate(
        latest_number=Max("versions__number"),
        published_number=Subquery(published.order_by("-number").values("number")[:1]),
        draft_id=Subquery(
            TemplateVersion.objects.filter(template=OuterRef("pk"), state=VersionState.DRAFT)
            .order_by()
            .values("public_id")[:1]
        ),
        current_id=Subquery(
            TemplateVersion.objects.filter(template=OuterRef("pk")).order_by("-number").values("public_id")[:1]
        ),
    )


def version_for_admin(*, partnership: Partnership | None, public_id: Any) -> TemplateVersion:
    if partnership is None:
        raise Http404
    version = (
        TemplateVersion.objects.select_related("template", "published_by")
        .filter(partnership=partnership, public_id=public_id)
        .first()
    )
    if version is None:
        raise Http404
    return version


def version_content(*, version: TemplateVersion) -> list[Any]:
    """Sections with their questions and options, in order (three queries)."""
    return list(
        version.sections.prefetch_related("questions__options", "questions__show_if_question").order_by("order")
    )


def published_versions(*, partnership: Partnership) -> list[TemplateVersion]:
    """The latest published version of each template: what practitioners complete."""
    latest = (
        TemplateVersion.objects.filter(template=OuterRef("template"), state=VersionState.PUBLISHED)
        .order_by("-number")
        .values("pk")[:1]
    )
    return list(
        TemplateVersion.objects.filter(partnership=partnership, state=VersionState.PUBLISHED, pk=Subquery(latest))
        .select_related("template")
        .order_by("template__name")
    )


def published_version_or_404(*, partnership: Partnership, public_id: Any) -> TemplateVersion:
    version = next((v for v in published_versions(partnership=partnership) if v.public_id == public_id), None)
    if version is None:
        raise Http404
    return version


def get_assessment_or_404(user: User, public_id: Any, partnership: Partnership | None) -> Assessment:
    """An assessment is visible exactly when its case is."""
    assessments = Assessment.objects.select_related(
        "case__case_type",
        "case__lead_organisation",
        "case__lead_officer",
        "version__template",
        "person",
        "assessor",
        "assessor_organisation",
    )
    return get_case_record_or_404(user, assessments, public_id, partnership)


def assessment_answers(*, assessment: Assessment) -> list[Any]:
    return list(
        assessment.answers.select_related("question__section").order_by(
            "question__section__order", "question__order", "question__id"
        )
    )


def case_assessments(*, case: Case) -> QuerySet[Assessment]:
    return (
        Assessment.objects.filter(case=case)
        .select_related("version__template", "person", "assessor")
        .order_by("-completed_at", "-id")
    )


@dataclass(frozen=True)
class TrendPoint:
    assessment: Assessment
    change: int | None  # score minus the previous one with the same template; None for the first


def assessment_trend(assessments: list[Assessment]) -> dict[str, list[TrendPoint]]:
    """Per template (and person), oldest first, each with its change from the one before."""
    trend: dict[str, list[TrendPoint]] = {}
    for assessment in sorted(assessments, key=lambda a: (a.completed_at, a.pk)):
        name = assessment.version.template.name
        if assessment.person is not None:
            name = f"{name}: {assessment.person.full_name}"
        points = trend.setdefault(name, [])
        change = assessment.score - points[-1].assessment.score if points else None
        points.append(TrendPoint(assessment, change))
    return trend


def assessments_due_for_review(
    user: User, partnership: Partnership | None = None, today: datetime.date | None = None
) -> QuerySet[Assessment]:
    """Latest assessments whose review date has come, on visible cases the user leads or assessed.

    One query; for "My tasks" and the "Reviews due" page.
    """
    today = today or timezone.localdate()
    memberships = [m for m in user.cached_memberships() if role_holds(m.role, Capability.CASEWORK)]
    if partnership is not None:
        memberships = [m for m in memberships if m.partnership_id == partnership.pk]
    visible = Q(pk__in=[])
    for membership in memberships:
        cases = visible_cases(user, membership.partnership, Act.VIEW).values("pk")
        visible |= Q(partnership_id=membership.partnership_id, case__in=cases)
    return (
        Assessment.objects.filter(visible)
        .filter(Q(case__lead_officer=user) | Q(assessor=user))
        .filter(reviewed_by_later=False, next_review_on__lte=today)
        .exclude(case__status="closed")
        .select_related("case", "version__template", "person")
        .order_by("next_review_on", "id")
    )


def alerts_for(*, user: User, partnership: Partnership) -> QuerySet[Alert]:
    """The user's alerts on cases they may still see."""
    return (
        Alert.objects.filter(recipient=user, partnership=partnership)
        .filter(case__in=visible_cases(user, partnership, Act.VIEW).values("pk"))
        .select_related("case")
        .order_by("-created_at", "-id")
    )
