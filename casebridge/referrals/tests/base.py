"""Referrals on top of the cases fixtures: one from the police, one from the charity."""

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from casebridge.cases import services as case_services
from casebridge.cases.models import Case, CaseType
from casebridge.cases.tests.base import PDF, CasesTestCase
from casebridge.people import services as people_services
from casebridge.people.models import Person
from casebridge.referrals import services
from casebridge.referrals.models import Referral

POLICE_SUBJECT = "Tom Harker"


def referral_fields(**overrides: str) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "purpose": "charmm",
        "subject_kind": "person",
        "reason": "Repeated intimidation of neighbours on the estate.",
        "evidence": "Three police logs.",
        "risk_level": "medium",
        "vulnerabilities": "",
        "tried_already": "Warning letter.",
        "consent": "not_given",
        "lawful_basis": "s115",
        "consent_not_sought_reason": "",
        "urgency": "routine",
    }
    fields.update(overrides)
    return fields


class ReferralsTestCase(CasesTestCase):
    """Priya (police) refers Dana Whitlock, who is on the council's shared case, with a PDF.

    Sam (charity) refers Tom Harker, who is on an open police-led case the coordinator cannot see.
    """

    police_case: Case
    police_person: Person
    referral: Referral
    charity_referral: Referral
    victim_type: CaseType

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.victim_type = CaseType.objects.get(partnership=cls.surrey_heath, code="asb_victim")
        cls.police_case = case_services.case_create(
            actor=cls.police_officer, partnership=cls.surrey_heath, case_type=cls.asb_perpetrator, risk_level="high"
        )
        cls.police_person = people_services.person_create(
            actor=cls.police_officer, partnership=cls.surrey_heath, first_name="Tom", last_name="Harker"
        )
        case_services.case_party_add(
            actor=cls.police_officer, case=cls.police_case, person=cls.police_person, role="perpetrator"
        )
        cls.referral = services.referral_create(
            actor=cls.police_officer,
            partnership=cls.surrey_heath,
            subjects=[services.SubjectData(first_name="Dana", last_name="Whitlock", role="victim")],
            files=[("Police log", SimpleUploadedFile("log.pdf", PDF))],
            **referral_fields(),
        )
        cls.charity_referral = services.referral_create(
            actor=cls.support_worker,
            partnership=cls.surrey_heath,
            subjects=[services.SubjectData(first_name="Tom", last_name="Harker", role="perpetrator")],
            **referral_fields(purpose="victim_care", consent="given", lawful_basis="", urgency="urgent"),
        )
