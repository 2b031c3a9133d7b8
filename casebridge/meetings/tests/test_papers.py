import base64
import re
import zlib

from django.urls import reverse

from casebridge.accounts.models import User
from casebridge.audit.models import AuditEvent
from casebridge.cases.tests.base import PRIVATE_SUBJECT, RESTRICTED_TEXT, SHARED_VICTIM
from casebridge.meetings import papers, services
from casebridge.meetings.models import AgendaItem, Pack
from casebridge.meetings.tests.base import MeetingsTestCase
from casebridge.notifications.models import Notification


def pdf_text(data: bytes) -> str:
    """The text drawn in a PDF's (compressed) content streams."""
    chunks = []
    for stream in re.findall(rb"stream\r?\n(.*?)endstream", data, re.DOTALL):
        raw = stream.strip()
        if raw.endswith(b"~>"):
            raw = base64.a85decode(raw[:-2])
        try:
            chunks.append(zlib.decompress(raw).decode("latin-1"))
        except zlib.error:
            continue
    return "".join(chunks)


class PapersTests(MeetingsTestCase):
    private_item: AgendaItem

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        # The private case is on the agenda too, but its timeline is restricted to the lead organisation.
        cls.private_item = cls.add_to_agenda(cls.private_case)
        services.agenda_publish(actor=cls.coordinator, meeting=cls.meeting)

    def publish(self) -> None:
        with self.captureOnCommitCallbacks(execute=True):
            services.papers_publish(actor=self.coordinator, meeting=self.meeting)

    def pack_for(self, user: User) -> Pack:
        return Pack.objects.get(meeting=self.meeting, recipient=user)

    def pdf_of(self, user: User) -> bytes:
        pdf = self.pack_for(user).pdf
        assert pdf is not None
        return bytes(pdf)

    def test_each_attendee_and_the_chair_get_a_ready_pack(self):
        self.publish()
        recipients = set(Pack.objects.filter(meeting=self.meeting, state="ready").values_list("recipient", flat=True))
        expected = {self.asb_officer.pk, self.police_officer.pk, self.support_worker.pk, self.council_manager.pk}
        assert recipients == expected

    def test_papers_published_notifies_attendees_without_personal_data(self):
        self.publish()
        note = Notification.objects.get(user=self.police_officer, kind="papers_published")
        assert SHARED_VICTIM not in note.reference

    def test_another_organisation_never_gets_a_restricted_note(self):
        """Priya's pack holds both agenda cases (shared for the meeting) but not the council-only note."""
        self.publish()
        text = pdf_text(self.pdf_of(self.police_officer))
        assert self.case.reference in text
        assert RESTRICTED_TEXT not in text
        assert "Visited the victim at home." in text

    def test_the_lead_organisation_sees_its_restricted_note(self):
        self.publish()
        assert RESTRICTED_TEXT in pdf_text(self.pdf_of(self.asb_officer))

    def test_a_case_removed_from_the_agenda_is_not_in_anyone_elses_pack(self):
        services.agenda_item_remove(actor=self.coordinator, item=self.private_item, reason="Not ready.")
        self.publish()
        for user in (self.police_officer, self.support_worker):
            text = pdf_text(self.pdf_of(user))
            assert self.private_case.reference not in text
            assert PRIVATE_SUBJECT not in text

    def test_a_restricted_timeline_is_withheld_from_other_organisations(self):
        services.agenda_item_restrict(actor=self.asb_officer, item=self.item, restricted=True)
        content = papers.pack_content(self.police_officer, self.meeting)
        entry = next(e for e in content if e.case == self.case)
        assert entry.timeline_withheld
        assert entry.timeline == []

    def test_every_page_is_marked_and_watermarked_with_the_recipient(self):
        self.publish()
        text = pdf_text(self.pdf_of(self.police_officer))
        pages = len(re.findall(rb"/Type /Page\b", self.pdf_of(self.police_officer)))
        assert text.count("OFFICIAL-SENSITIVE") >= 2 * pages
        assert text.count("Priya Shah") >= pages

    def test_the_papers_page_shows_only_visible_items(self):
        self.publish()
        self.sign_in(self.police_officer)
        response = self.client.get(reverse("meetings:papers", args=[self.meeting.public_id]))
        body = response.content.decode()
        assert RESTRICTED_TEXT not in body
        assert SHARED_VICTIM in body
        assert "Download your pack" in body

    def test_the_progress_page_refreshes_itself_while_building(self):
        with self.captureOnCommitCallbacks(execute=False):
            services.papers_publish(actor=self.coordinator, meeting=self.meeting)
        self.sign_in(self.police_officer)
        response = self.client.get(reverse("meetings:papers", args=[self.meeting.public_id]))
        assert response["Refresh"] == "2"
        assert b"<progress" in response.content
        assert b"Check again" in response.content

    def test_downloading_is_audited(self):
        self.publish()
        self.sign_in(self.police_officer)
        response = self.client.get(reverse("meetings:papers_pdf", args=[self.meeting.public_id]))
        assert response["Content-Type"] == "application/pdf"
        assert AuditEvent.objects.filter(action="downloaded", actor=self.police_officer, object_type="pack").exists()

    def test_an_attendee_can_ask_for_their_pack_again(self):
        self.publish()
        self.sign_in(self.support_worker)
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(reverse("meetings:papers_request", args=[self.meeting.public_id]))
        assert response.status_code == 302
        assert self.pack_for(self.support_worker).state == "ready"

    def test_the_papers_publish_themselves_once_on_the_papers_date(self):
        with self.captureOnCommitCallbacks(execute=True):
            assert services.papers_publish_due(today=self.meeting.papers_date) == 1
        assert self.pack_for(self.police_officer).state == "ready"
        assert services.papers_publish_due(today=self.meeting.papers_date) == 0
