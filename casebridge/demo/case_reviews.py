"""Demo data: a victim who meets the ASB Case Review threshold (an alert to act on) and a review in progress.

Safe to run again: each part is looked for first.
"""

import datetime
from typing import TextIO

from django.db import transaction
from django.utils import timezone

from casebridge.accounts.models import User
from casebridge.case_reviews import services
from casebridge.case_reviews.models import CaseReview, Decision, ReviewRules
from casebridge.cases import services as case_services
from casebridge.cases.models import Case, CaseParty, Incident, IncidentCategory, PartyRole
from casebridge.organisations.models import Organisation, Partnership

COORDINATOR = "coordinator@surreyheath.example"
OFFICER = "asb.officer@surreyheath.example"
ALERT_CASE = "Repeat victim of youths gathering outside her flat."
REVIEW_CASE = "Intimidation of neighbours on Park Road; repeated late-night noise."
MARK = "Youths kicking the door and shouting (demo, for the case review threshold)."


def seed_case_reviews(stdout: TextIO) -> None:
    partnership = Partnership.objects.filter(code="SH").first()
    users = {u.email: u for u in User.objects.filter(email__in=[COORDINATOR, OFFICER])}
    if partnership is None or len(users) < 2:
        stdout.write("No Surrey Heath demo users: skipping demo case reviews.")
        return
    with transaction.atomic():
        ReviewRules.objects.get_or_create(partnership=partnership)
        _seed_alert(partnership, users[OFFICER])
        created = _seed_review(partnership, users[COORDINATOR])
    stdout.write(f"Demo case reviews ready ({'1 review' if created else 'nothing'} created).")


def _seed_alert(partnership: Partnership, officer: User) -> None:
    """Three timely incidents in six months for the victim on the council's repeat-victim case."""
    case = Case.objects.filter(partnership=partnership, summary=ALERT_CASE).first()
    category = IncidentCategory.objects.filter(partnership=partnership).order_by("pk").first()
    if case is None or category is None or Incident.objects.filter(case=case, description=MARK).exists():
        return
    now = timezone.now()
    for days in (75, 40, 15):
        occurred = now - datetime.timedelta(days=days)
        case_services.incident_record(
            actor=officer,
            case=case,
            occurred_at=occurred,
            reported_on=timezone.localdate(occurred) + datetime.timedelta(days=1),
            category=category,
            description=MARK,
        )


def _seed_review(partnership: Partnership, coordinator: User) -> bool:
    """A staff-recorded application, threshold met, meeting arranged, one response and one recommendation."""
    case = Case.objects.filter(partnership=partnership, summary=REVIEW_CASE).first()
    if case is None:
        return False
    victim_party = CaseParty.objects.filter(case=case, role=PartyRole.VICTIM).select_related("person").first()
    if victim_party is None:
        return False
    victim = victim_party.person
    if CaseReview.objects.filter(partnership=partnership, victim=victim).exists():
        return False
    today = timezone.localdate()
    received = today - datetime.timedelta(days=12)
    complaints = [
        services.ComplaintData(
            occurred_on=received - datetime.timedelta(days=days),
            reported_on=received - datetime.timedelta(days=days - 2),
            reported_to=to,
            description=what,
        )
        for days, to, what in [
            (120, "Surrey Police", "Music and shouting until 3am."),
            (70, "Surrey Heath Borough Council", "Threats on the doorstep."),
            (20, "Heathside Housing Association", "Bins set alight outside the flat."),
        ]
    ]
    review = services.review_record(
        actor=coordinator,
        partnership=partnership,
        application=services.Application(
            applicant_role="victim",
            applicant_name=victim.full_name,
            applicant_address="12 Park Road, Camberley",
            postcode="GU15 3HD",
            summary="Months of intimidation and noise from a neighbour; I feel nothing has changed.",
            complaints=complaints,
        ),
        received_on=received,
        case=case,
        victim=victim,
    )
    services.review_acknowledge(actor=coordinator, review=review, acknowledged_on=received + datetime.timedelta(days=2))
    review.refresh_from_db()
    services.threshold_decide(
        actor=coordinator,
        review=review,
        decision=Decision.MET,
        reason="Three complaints in six months, each reported within a month.",
        letter="",
        qualifying=3,
    )
    review.refresh_from_db()
    services.panel_set(actor=coordinator, review=review, meeting=None, panel_on=today + datetime.timedelta(days=10))
    police = Organisation.objects.filter(name="Surrey Police").first()
    if police is not None:
        services.response_add(
            actor=coordinator,
            review=review,
            organisation=police,
            text="Two visits made; the neighbour was given a warning. No further reports logged.",
        )
        services.recommendation_add(
            actor=coordinator,
            review=review,
            text="Share call logs with the council's ASB team weekly while the case is open.",
            owner_organisation=police,
            due_on=today + datetime.timedelta(days=30),
        )
    return True
