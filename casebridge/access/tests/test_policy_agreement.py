"""For every rule registered with the access door, its two answers agree for every persona.

"May this user do X to this record?" (``may``) and "which records may this user do X to?"
(``visible``) are asked of records of two partnerships and several organisations: a record is in
the list exactly when the user may act on it.
"""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db.models import Model
from django.http import Http404
from django.utils import timezone

from casebridge.access import policy
from casebridge.accounts.models import User
from casebridge.audit.models import AuditEvent
from casebridge.case_reviews import services as review_services
from casebridge.case_reviews.models import CaseReview, Recommendation
from casebridge.cases import services as case_services
from casebridge.cases.models import Case, CaseType, Level
from casebridge.cases.tests.base import CasesTestCase
from casebridge.matching.models import DuplicateCandidate
from casebridge.meetings import services as meeting_services
from casebridge.meetings.models import Kind, Meeting, MeetingSeries
from casebridge.organisations.models import Organisation, Partnership, Role
from casebridge.people import services as people_services
from casebridge.people.models import Location, Person
from casebridge.referrals import services as referral_services
from casebridge.referrals.models import Referral
from casebridge.referrals.tests.base import referral_fields
from casebridge.sharing import services as sharing_services
from tests.personas import PERSONAS, make_user

# Every model and action the access door answers for; a rule added or dropped must be added here.
EXPECTED_RULES = {
    (Case, "know_exists"),
    (Case, "view"),
    (Case, "contribute"),
    (Case, "manage"),
    (Case, "lead"),
    (Person, "know_exists"),
    (Person, "view"),
    (Location, "view"),
    (Referral, "view"),
    (Referral, "manage"),
    (MeetingSeries, "see"),
    (Meeting, "see"),
    (Meeting, "run"),
    (CaseReview, "view"),
    (CaseReview, "run"),
    (Recommendation, "update"),
    (DuplicateCandidate, "review"),
    (Organisation, "manage"),
    (User, "manage"),
    (AuditEvent, "read"),
}


class PolicyAgreementTests(CasesTestCase):
    """Records of Surrey Heath (council-, police- and charity-held) and of Runnymede."""

    runnymede_coordinator: User

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        sh, ru = cls.surrey_heath, cls.runnymede
        cls.runnymede_coordinator = make_user(
            "ruth.cole@runnymede.example", cls.other_council, roles={ru: Role.COORDINATOR}
        )
        ru_type = CaseType.objects.get(partnership=ru, code="asb_perpetrator")

        police_case = case_services.case_create(
            actor=cls.police_officer, partnership=sh, case_type=cls.asb_perpetrator, risk_level="high"
        )
        sharing_services.share_grant(
            actor=cls.police_officer, case=police_case, organisation=cls.council, level=Level.VIEW, reason="Joint work."
        )
        sharing_services.share_grant(
            actor=cls.asb_officer,
            case=cls.private_case,
            user=cls.police_manager,
            level=Level.MANAGE,
            reason="The police lead the enforcement.",
        )
        police_person = people_services.person_create(
            actor=cls.police_officer, partnership=sh, first_name="Tom", last_name="Harker"
        )
        case_services.case_party_add(actor=cls.police_officer, case=police_case, person=police_person, role="victim")
        people_services.person_create(actor=cls.police_officer, partnership=sh, first_name="Una", last_name="Reid")
        ru_case = case_services.case_create(
            actor=cls.other_partnership_user, partnership=ru, case_type=ru_type, risk_level="medium"
        )
        ru_police_case = case_services.case_create(
            actor=cls.police_manager, partnership=ru, case_type=ru_type, risk_level="standard"
        )
        ru_person = people_services.person_create(
            actor=cls.other_partnership_user, partnership=ru, first_name="Vic", last_name="Stone"
        )
        case_services.case_party_add(actor=cls.other_partnership_user, case=ru_case, person=ru_person, role="victim")
        ru_other = people_services.person_create(
            actor=cls.police_manager, partnership=ru, first_name="Vick", last_name="Stone"
        )
        case_services.case_party_add(actor=cls.police_manager, case=ru_police_case, person=ru_other, role="victim")

        on_case = people_services.location_create(
            actor=cls.asb_officer, partnership=sh, address_line_1="2 Mill Lane", postcode="GU15 3HD"
        )
        case_services.case_location_add(actor=cls.asb_officer, case=cls.private_case, location=on_case)
        people_services.location_create(
            actor=cls.police_officer, partnership=sh, address_line_1="3 Park Road", postcode="GU15 3HE"
        )
        people_services.location_create(
            actor=cls.other_partnership_user, partnership=ru, address_line_1="4 Bridge St", postcode="KT16 8AA"
        )

        for actor, partnership in ((cls.police_officer, sh), (cls.asb_officer, sh), (cls.other_partnership_user, ru)):
            referral_services.referral_create(
                actor=actor,
                partnership=partnership,
                subjects=[referral_services.SubjectData(first_name="Dana", last_name="Whitlock", role="victim")],
                **referral_fields(),
            )

        starts = timezone.now() + datetime.timedelta(days=7)
        for coordinator, partnership, chair, members, attendees in (
            (cls.coordinator, sh, cls.police_officer, [cls.police, cls.charity], [cls.support_worker]),
            (cls.coordinator, sh, cls.council_manager, [cls.council, cls.charity], []),
            (cls.runnymede_coordinator, ru, cls.other_partnership_user, [cls.other_council], []),
        ):
            series = meeting_services.series_create(
                actor=coordinator,
                partnership=partnership,
                kind=Kind.JAG,
                name=f"{partnership.name} JAG {chair.pk}",
                chair=chair,
                member_organisations=members,
                attendees=attendees,
                cadence="monthly",
            )
            meeting_services.meeting_schedule(actor=coordinator, series=series, starts_at=starts)

        reviews = [
            cls._review(cls.asb_officer, sh, case=cls.case),
            cls._review(cls.police_officer, sh, case=police_case),
            cls._review(cls.coordinator, sh, case=cls.private_case),
            cls._review(cls.other_partnership_user, ru),
        ]
        due = timezone.localdate() + datetime.timedelta(days=30)
        for review, organisation, owner in (
            (reviews[0], cls.charity, None),
            (reviews[0], cls.police, cls.police_officer),
            (reviews[2], cls.council, None),
            (reviews[3], cls.other_council, None),
        ):
            Recommendation.objects.create(
                partnership_id=review.partnership_id,
                review=review,
                text="Work together.",
                owner_organisation=organisation,
                owner_user=owner,
                due_on=due,
                created_by=cls.coordinator,
            )

        for first, second in ((cls.victim, cls.private_person), (cls.victim, police_person), (ru_person, ru_other)):
            a, b = sorted((first, second), key=lambda person: person.pk)
            DuplicateCandidate.objects.create(partnership=a.partnership, person_a=a, person_b=b, score=0.9, band="high")

    @classmethod
    def _review(cls, actor: User, partnership: Partnership, case: Case | None = None) -> CaseReview:
        application = review_services.Application(
            applicant_role="victim",
            applicant_name="Dana Whitlock",
            applicant_email="dana@example.com",
            summary="Harassment by a neighbour.",
            complaints=[],
        )
        return review_services.review_record(
            actor=actor, partnership=partnership, application=application, received_on=timezone.localdate(), case=case
        )

    def users(self) -> list[User | AnonymousUser]:
        return [*(getattr(self, persona) for persona in PERSONAS), self.runnymede_coordinator, AnonymousUser()]

    def partnerships_of(self, obj: Model) -> list[Partnership]:
        partnership_id = getattr(obj, "partnership_id", None)
        if partnership_id is not None:
            return [Partnership.objects.get(pk=partnership_id)]
        return [self.surrey_heath, self.runnymede]  # organisations, users and audit events span partnerships

    def test_every_expected_rule_is_registered(self) -> None:
        """The door answers for exactly the records the access model names."""
        assert set(policy.registered()) == EXPECTED_RULES

    def test_may_and_visible_agree_for_every_rule_and_persona(self) -> None:
        """A record is in ``visible`` exactly when ``may`` says yes, for every persona and record."""
        for model, action in policy.registered():
            records = list(model._default_manager.all())
            assert len(records) >= 2, (model.__name__, "needs records to check")
            answers = set()
            for user in self.users():
                for record in records:
                    with self.subTest(model=model.__name__, action=action, user=str(user), record=record.pk):
                        allowed = policy.may(user, action, record)
                        listed = any(
                            policy.visible(user, action, model, partnership).filter(pk=record.pk).exists()
                            for partnership in self.partnerships_of(record)
                        )
                        assert allowed == listed
                        answers.add(allowed)
            # Each rule says yes to someone and no to someone, or the check above proves nothing.
            assert answers == {True, False}, (model.__name__, action, answers)

    def test_get_or_404_answers_404_for_a_record_the_user_may_not_see(self) -> None:
        """The door's fetch gives the record to who may see it and 404 to anyone else."""
        police_case = Case.objects.get(partnership=self.surrey_heath, lead_organisation=self.police)
        found = policy.get_or_404(self.police_officer, "view", Case, self.surrey_heath, pk=police_case.pk)
        assert found == police_case
        with pytest.raises(Http404):
            policy.get_or_404(self.support_worker, "view", Case, self.surrey_heath, pk=police_case.pk)
        with pytest.raises(Http404):
            policy.get_or_404(self.police_officer, "view", Case, None, pk=police_case.pk)
