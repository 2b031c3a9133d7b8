import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from casebridge.cases.models import CaseParty, Document, Incident, Note
from casebridge.lib.versioning import StaleWriteError
from casebridge.notifications.models import Notification
from casebridge.referrals import services
from casebridge.referrals.models import Referral, ReferralUpdate, Status
from casebridge.referrals.tests.base import ReferralsTestCase


class ReferralCreateTests(ReferralsTestCase):
    def test_a_practitioner_refers_with_subjects_and_documents(self):
        """The referral, its subject and its checked document are stored; the history starts."""
        assert self.referral.status == Status.SUBMITTED
        assert self.referral.referrer_organisation == self.police
        assert [str(s) for s in self.referral.subjects.all()] == ["Dana Whitlock"]
        assert self.referral.documents.get().content_type == "application/pdf"
        assert self.referral.updates.get().kind == ReferralUpdate.Kind.SUBMITTED

    def test_consent_not_given_needs_a_lawful_basis(self):
        with pytest.raises(ValidationError):
            self.refer(consent="not_given", lawful_basis="")

    def test_consent_not_sought_needs_a_reason(self):
        with pytest.raises(ValidationError):
            self.refer(consent="not_sought", lawful_basis="", consent_not_sought_reason=" ")

    def test_a_file_that_is_not_an_accepted_type_is_refused_and_nothing_is_saved(self):
        before = Referral.objects.count()
        with pytest.raises(ValidationError):
            self.refer(files=[("Script", SimpleUploadedFile("x.pdf", b"#!/bin/sh\necho hi\n"))])
        assert Referral.objects.count() == before

    def test_an_analyst_cannot_refer(self):
        with pytest.raises(PermissionDenied):
            self.refer(actor=self.analyst)


class ReferralAcceptTests(ReferralsTestCase):
    def test_accepting_into_a_new_case_brings_subjects_documents_and_reason(self):
        case = services.referral_accept(
            actor=self.coordinator,
            referral=self.referral,
            version=self.referral.version,
            case_type=self.victim_type,
            risk_level="high",
        )
        self.referral.refresh_from_db()
        assert self.referral.status == Status.ACCEPTED
        assert self.referral.case == case
        assert case.lead_organisation == self.council
        party = CaseParty.objects.get(case=case)
        assert (party.person.full_name, party.role) == ("Dana Whitlock", "victim")
        document = Document.objects.get(case=case)
        assert document.title == "Police log"
        assert document.stored_name == self.referral.documents.get().stored_name
        assert Note.objects.filter(case=case, text__contains="Repeated intimidation").exists()

    def test_accepting_can_link_an_existing_profile_instead_of_creating_a_duplicate(self):
        subject = self.referral.subjects.get()
        case = services.referral_accept(
            actor=self.coordinator,
            referral=self.referral,
            version=self.referral.version,
            case_type=self.victim_type,
            people={subject.pk: self.victim},
        )
        assert CaseParty.objects.get(case=case).person == self.victim

    def test_accepting_into_an_existing_case_adds_to_it(self):
        case = services.referral_accept(
            actor=self.coordinator, referral=self.referral, version=self.referral.version, case=self.case
        )
        assert case == self.case
        assert self.case.documents.filter(title="Police log").count() == 1

    def test_a_case_the_coordinator_cannot_contribute_to_is_refused(self):
        with pytest.raises(PermissionDenied):
            services.referral_accept(
                actor=self.coordinator, referral=self.referral, version=self.referral.version, case=self.police_case
            )

    def test_the_referrer_is_notified_of_acceptance(self):
        services.referral_accept(
            actor=self.coordinator, referral=self.referral, version=self.referral.version, case_type=self.victim_type
        )
        notification = Notification.objects.get(user=self.police_officer)
        assert (notification.kind, notification.summary) == (
            "referral_decision",
            "Your referral was accepted into a case.",
        )
        assert str(self.referral.public_id) in notification.path

    def test_a_practitioner_cannot_triage(self):
        with pytest.raises(PermissionDenied):
            services.referral_accept(
                actor=self.asb_officer,
                referral=self.referral,
                version=self.referral.version,
                case_type=self.victim_type,
            )

    def test_a_stale_decision_is_refused(self):
        services.referral_more_info_request(
            actor=self.coordinator, referral=self.referral, version=self.referral.version, question="Dates?"
        )
        with pytest.raises(StaleWriteError):
            services.referral_decline(actor=self.coordinator, referral=self.referral, version=1, reason="No.")

    def test_a_resident_report_becomes_an_incident_on_the_case(self):
        from django.utils import timezone

        report = services.referral_public_create(
            partnership=self.surrey_heath,
            category=self.category,
            occurred_at=timezone.now(),
            place="Park Street",
            postcode="GU15 3HD",
            reason="Youths shouting every night.",
            vulnerabilities="",
            risk_level="standard",
            subjects=[],
        )
        case = services.referral_accept(
            actor=self.coordinator, referral=report, version=report.version, case_type=self.victim_type
        )
        incident = Incident.objects.get(case=case)
        assert incident.category == self.category
        assert "Park Street" in incident.description


class ReferralDeclineAndMoreInfoTests(ReferralsTestCase):
    def test_declining_needs_a_reason_and_tells_the_referrer(self):
        with pytest.raises(ValidationError):
            services.referral_decline(
                actor=self.coordinator, referral=self.referral, version=self.referral.version, reason="  "
            )
        services.referral_decline(
            actor=self.coordinator, referral=self.referral, version=self.referral.version, reason="Not CSP business."
        )
        self.referral.refresh_from_db()
        assert (self.referral.status, self.referral.decision_reason) == (Status.DECLINED, "Not CSP business.")
        assert Notification.objects.filter(user=self.police_officer, kind="referral_decision").count() == 1

    def test_a_decided_referral_cannot_be_decided_again(self):
        referral = services.referral_decline(
            actor=self.coordinator, referral=self.referral, version=self.referral.version, reason="No."
        )
        with pytest.raises(ValidationError):
            services.referral_accept(
                actor=self.coordinator, referral=referral, version=referral.version, case_type=self.victim_type
            )

    def test_asking_for_more_information_and_the_answer_returns_it_to_the_queue(self):
        referral = services.referral_more_info_request(
            actor=self.coordinator, referral=self.referral, version=self.referral.version, question="Which dates?"
        )
        assert referral.status == Status.MORE_INFO
        assert Notification.objects.filter(user=self.police_officer, kind="referral_decision").count() == 1
        referral = services.referral_information_add(
            actor=self.police_officer, referral=referral, version=referral.version, text="1 and 3 March."
        )
        assert referral.status == Status.SUBMITTED
        assert list(referral.updates.values_list("kind", flat=True)) == [
            "submitted",
            "more_info_requested",
            "information_added",
        ]

    def test_only_the_referrer_may_answer(self):
        referral = services.referral_more_info_request(
            actor=self.coordinator, referral=self.referral, version=self.referral.version, question="Which dates?"
        )
        with pytest.raises(PermissionDenied):
            services.referral_information_add(
                actor=self.asb_officer, referral=referral, version=referral.version, text="Guess."
            )
