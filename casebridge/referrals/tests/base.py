"""Referrals on top of the cases fixtures: one from the police, one from the charity."""

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile

from casebridge.accounts.models import User
from casebridge.cases.models import Case, CaseType
from casebridge.cases.tests.base import PDF, CasesTestCase
from casebridge.people.models import Person
from casebridge.referrals import services
from casebridge.referrals.models import Referral
from tests.personas import fixture_method

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
        cls.police_case = cls.new_case(actor=cls.police_officer, risk_level="high")
        cls.police_person = cls.new_person(
            "Tom", "Harker", actor=cls.police_officer, case=cls.police_case, role="perpetrator"
        )
        cls.referral = cls.refer(
            actor=cls.police_officer,
            subjects=[services.SubjectData(first_name="Dana", last_name="Whitlock", role="victim")],
            files=[("Police log", SimpleUploadedFile("log.pdf", PDF))],
        )
        cls.charity_referral = cls.refer(
            actor=cls.support_worker,
            subjects=[services.SubjectData(first_name="Tom", last_name="Harker", role="perpetrator")],
            purpose="victim_care",
            consent="given",
            lawful_basis="",
            urgency="urgent",
        )

    @fixture_method
    def refer(
        self,
        *,
        actor: User | None = None,
        subjects: list[services.SubjectData] | None = None,
        files: list[tuple[str, UploadedFile]] | None = None,
        **fields: str,
    ) -> Referral:
        """A Surrey Heath referral by ``actor`` (Alex unless told): ``referral_fields`` changed by ``fields``."""
        return services.referral_create(
            actor=actor or self.asb_officer,
            partnership=self.surrey_heath,
            subjects=subjects or [],
            files=files,
            **referral_fields(**fields),
        )
