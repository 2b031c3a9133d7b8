"""Cases every case, people and sharing test can call on, on top of the named personas."""

import atexit
import datetime
import shutil
import tempfile
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import timezone

from casebridge.accounts.models import User
from casebridge.cases import services
from casebridge.cases.models import Case, CaseType, Document, Incident, IncidentCategory, Level, Note, Restriction
from casebridge.lib.versioning import StaleWriteError
from casebridge.people import services as people_services
from casebridge.people.models import Person
from casebridge.sharing import services as sharing_services
from casebridge.sharing.models import AccessRequest
from tests.personas import PersonasTestCase, fixture_method

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

# Names that only some personas may ever see.
SHARED_VICTIM = "Dana Whitlock"
PRIVATE_SUBJECT = "Olive Pemberton"
RESTRICTED_TEXT = "Intelligence only for the council"


# Uploads made by tests go to a throwaway folder, removed when the test process ends.
TEST_MEDIA_ROOT = tempfile.mkdtemp(prefix="casebridge-test-media-")
atexit.register(shutil.rmtree, TEST_MEDIA_ROOT, True)


class ConfiguredPersonasTestCase(PersonasTestCase):
    """The personas, with both partnerships' case types, incident categories and settings in place."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        for partnership in (cls.surrey_heath, cls.runnymede):
            services.partnership_seed_configuration(partnership=partnership)


@override_settings(MEDIA_ROOT=TEST_MEDIA_ROOT)
class CasesTestCase(ConfiguredPersonasTestCase):
    """Surrey Heath council leads two cases (Alex is lead officer).

    ``case`` is shared with the charity at contribute level (Sam sees it); ``private_case`` is
    not shared. Priya (police) sees neither; Rita (Runnymede) sees nothing of Surrey Heath.
    """

    asb_perpetrator: CaseType
    category: IncidentCategory
    case: Case
    private_case: Case
    victim: Person
    private_person: Person
    note: Note
    restricted_note: Note
    document: Document
    restricted_document: Document
    access_request: AccessRequest

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.asb_perpetrator = CaseType.objects.get(partnership=cls.surrey_heath, code="asb_perpetrator")
        cls.category = IncidentCategory.objects.filter(partnership=cls.surrey_heath).first()  # type: ignore[assignment]
        officer = cls.asb_officer
        cls.case = cls.new_case(risk_level="high", summary="Repeated harassment of a neighbour.")
        cls.private_case = cls.new_case()
        cls.victim = cls.new_person(
            "Dana", "Whitlock", case=cls.case, role="victim", date_of_birth=datetime.date(1980, 5, 17)
        )
        cls.private_person = cls.new_person("Olive", "Pemberton", case=cls.private_case, role="perpetrator")
        sharing_services.share_grant(
            actor=officer,
            case=cls.case,
            organisation=cls.charity,
            level=Level.CONTRIBUTE,
            reason="Safer Lives supports the victim.",
        )
        cls.note = services.note_add(actor=officer, case=cls.case, text="Visited the victim at home.")
        cls.restricted_note = services.note_add(
            actor=officer, case=cls.case, text=RESTRICTED_TEXT, restriction=Restriction.LEAD_ORGANISATION
        )
        cls.document = services.document_upload(
            actor=officer, case=cls.case, file=SimpleUploadedFile("letter.pdf", PDF), title="Warning letter"
        )
        cls.restricted_document = services.document_upload(
            actor=officer,
            case=cls.case,
            file=SimpleUploadedFile("intel.pdf", PDF),
            title="Police intelligence",
            restriction=Restriction.LEAD_ORGANISATION,
        )
        cls.access_request = sharing_services.access_request_create(
            actor=cls.police_officer, case=cls.private_case, reason="Linked to an ongoing investigation."
        )
        cls.case.refresh_from_db()

    @fixture_method
    def new_case(self, *, actor: User | None = None, risk_level: str = "standard", **fields: Any) -> Case:
        """A Surrey Heath ASB perpetrator case opened by ``actor`` (Alex unless told)."""
        return services.case_create(
            actor=actor or self.asb_officer,
            partnership=self.surrey_heath,
            case_type=self.asb_perpetrator,
            risk_level=risk_level,
            **fields,
        )

    @fixture_method
    def new_person(
        self,
        first_name: str,
        last_name: str,
        *,
        actor: User | None = None,
        case: Case | None = None,
        role: str = "victim",
        **fields: Any,
    ) -> Person:
        """A Surrey Heath person recorded by ``actor`` (Alex unless told), made a party to ``case`` if given."""
        actor = actor or self.asb_officer
        person = people_services.person_create(
            actor=actor, partnership=self.surrey_heath, first_name=first_name, last_name=last_name, **fields
        )
        if case is not None:
            services.case_party_add(actor=actor, case=case, person=person, role=role)
        return person

    @fixture_method
    def record_incident(
        self,
        *,
        case: Case | None = None,
        occurred_at: datetime.datetime | None = None,
        actor: User | None = None,
        description: str = "Shouting at the door.",
        **fields: Any,
    ) -> Incident:
        """An incident on ``case`` (the shared case unless told), reported the day it happened unless told."""
        occurred_at = occurred_at or timezone.now()
        fields.setdefault("reported_on", timezone.localdate(occurred_at))
        return services.incident_record(
            actor=actor or self.asb_officer,
            case=case or self.case,
            occurred_at=occurred_at,
            category=self.category,
            description=description,
            **fields,
        )

    def refused_stale_edit(
        self, update: Callable[..., Any], *, version: int, first: dict[str, Any], second: dict[str, Any]
    ) -> StaleWriteError:
        """Colin saves ``first``; Alex, who opened the same ``version``, is refused ``second``."""
        update(actor=self.colleague, version=version, values=first)
        with pytest.raises(StaleWriteError) as error:
            update(actor=self.asb_officer, version=version, values=second)
        return error.value

    def future(self, **delta: float) -> datetime.datetime:
        return timezone.now() + datetime.timedelta(**delta)
