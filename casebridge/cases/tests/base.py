"""Cases every case, people and sharing test can call on, on top of the named personas."""

import atexit
import datetime
import shutil
import tempfile

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import timezone

from casebridge.cases import services
from casebridge.cases.models import Case, CaseType, Document, IncidentCategory, Level, Note, Restriction
from casebridge.people import services as people_services
from casebridge.people.models import Person
from casebridge.sharing import services as sharing_services
from casebridge.sharing.models import AccessRequest
from tests.personas import PersonasTestCase

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

# Names that only some personas may ever see.
SHARED_VICTIM = "Dana Whitlock"
PRIVATE_SUBJECT = "Olive Pemberton"
RESTRICTED_TEXT = "Intelligence only for the council"


# Uploads made by tests go to a throwaway folder, removed when the test process ends.
TEST_MEDIA_ROOT = tempfile.mkdtemp(prefix="casebridge-test-media-")
atexit.register(shutil.rmtree, TEST_MEDIA_ROOT, True)


@override_settings(MEDIA_ROOT=TEST_MEDIA_ROOT)
class CasesTestCase(PersonasTestCase):
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
        for partnership in (cls.surrey_heath, cls.runnymede):
            services.partnership_seed_configuration(partnership=partnership)
        cls.asb_perpetrator = CaseType.objects.get(partnership=cls.surrey_heath, code="asb_perpetrator")
        cls.category = IncidentCategory.objects.filter(partnership=cls.surrey_heath).first()  # type: ignore[assignment]
        officer = cls.asb_officer
        cls.case = services.case_create(
            actor=officer,
            partnership=cls.surrey_heath,
            case_type=cls.asb_perpetrator,
            risk_level="high",
            summary="Repeated harassment of a neighbour.",
        )
        cls.private_case = services.case_create(
            actor=officer, partnership=cls.surrey_heath, case_type=cls.asb_perpetrator, risk_level="standard"
        )
        cls.victim = people_services.person_create(
            actor=officer,
            partnership=cls.surrey_heath,
            first_name="Dana",
            last_name="Whitlock",
            date_of_birth=datetime.date(1980, 5, 17),
        )
        cls.private_person = people_services.person_create(
            actor=officer, partnership=cls.surrey_heath, first_name="Olive", last_name="Pemberton"
        )
        services.case_party_add(actor=officer, case=cls.case, person=cls.victim, role="victim")
        services.case_party_add(actor=officer, case=cls.private_case, person=cls.private_person, role="perpetrator")
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

    def future(self, **delta: float) -> datetime.datetime:
        return timezone.now() + datetime.timedelta(**delta)
