"""Reads on interventions, always through the case access policy."""

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, OuterRef, QuerySet

from casebridge.accounts.models import User
from casebridge.cases.models import Case, Document, Incident
from casebridge.cases.policy import Act, get_case_record_or_404, visible_cases, visible_entries
from casebridge.interventions.models import Breach, Intervention, InterventionType
from casebridge.organisations.models import Partnership
from casebridge.people.models import Person


def intervention_types(*, partnership: Partnership, active_only: bool = True) -> QuerySet[InterventionType]:
    types = InterventionType.objects.filter(partnership=partnership)
    return types.filter(is_active=True) if active_only else types


def _with_related(interventions: QuerySet[Intervention]) -> QuerySet[Intervention]:
    return interventions.select_related(
        "type", "case", "subject_person", "subject_location", "issuing_organisation", "issuing_officer"
    ).annotate(breach_count=Count("breaches"))


def case_interventions(*, case: Case) -> QuerySet[Intervention]:
    return _with_related(Intervention.objects.filter(case=case)).order_by("-issued_on", "-created_at")


def get_intervention_or_404(user: User, public_id: Any, partnership: Partnership | None) -> Intervention:
    """An intervention is visible exactly when its case is."""
    interventions = Intervention.objects.select_related(
        "type",
        "case__case_type",
        "case__lead_organisation",
        "case__lead_officer",
        "subject_person",
        "subject_location",
        "issuing_organisation",
        "issuing_officer",
    )
    return get_case_record_or_404(user, interventions, public_id, partnership)


def intervention_breaches(*, user: User, intervention: Intervention) -> QuerySet[Breach]:
    """The breaches, each with ``incident_visible``: a linked incident the user may not see is not shown."""
    incidents = visible_entries(user, intervention.case, Incident.objects.filter(pk=OuterRef("incident_id")))
    return (
        intervention.breaches.select_related("recorded_by", "incident__category")
        .annotate(incident_visible=Exists(incidents))
        .order_by("-occurred_on", "-id")
    )


def breach_incidents(*, user: User, case: Case) -> QuerySet[Incident]:
    """Incidents a breach may be linked to: the case's, as far as the user may see them."""
    return visible_entries(user, case, Incident.objects.select_related("category")).order_by("-occurred_at")


@dataclass
class LadderStep:
    type: InterventionType
    interventions: list[Intervention] = field(default_factory=list)

    @property
    def tried(self) -> bool:
        return bool(self.interventions)


def escalation_ladder(*, user: User, person: Person) -> list[LadderStep]:
    """Each step of the toolkit, in order, with what was tried on cases the user may see (two queries)."""
    steps = {t.pk: LadderStep(t) for t in InterventionType.objects.filter(partnership_id=person.partnership_id)}
    cases = visible_cases(user, person.partnership, Act.VIEW).values("pk")  # type: ignore[arg-type]
    tried = _with_related(Intervention.objects.filter(subject_person=person, case__in=cases)).order_by(
        "issued_on", "created_at"
    )
    for intervention in tried:
        steps[intervention.type_id].interventions.append(intervention)
    return [step for step in steps.values() if step.type.is_active or step.tried]


def intervention_documents(*, user: User, intervention: Intervention) -> QuerySet[Document]:
    """Documents filed on the intervention that this user may see (the case's restrictions apply)."""
    documents = Document.objects.filter(intervention_link__intervention=intervention).select_related("created_by")
    return visible_entries(user, intervention.case, documents).order_by("-created_at")
