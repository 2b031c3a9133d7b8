"""The proof: an attendee's pack and minutes never hold a case or entry they may not see.

The agenda has three cases: ``case`` (kept, its council-only note restricted), a police-led case
the police proposed (so agreed) that the council attendees cannot see (kept: they read only its
papers, in the window), and ``private_case``, agreed and then removed with a reason before the
papers. For every recipient (the three attendees and the chair) the PDF and the papers page are
checked: a case is in the pack exactly when it is still on the agenda (the papers window is
open), and no timeline entry they may not see is in it. After the minutes are published, each
minute on a timeline is visible only to whoever may see that case (and entry): the agenda gave
no one access to any case.
"""

from django.urls import reverse

from casebridge.accounts.models import User
from casebridge.cases import services as case_services
from casebridge.cases.models import Case, Note, Restriction, Share
from casebridge.cases.policy import Act, can, visible_entries
from casebridge.cases.tests.base import PRIVATE_SUBJECT, RESTRICTED_TEXT
from casebridge.meetings import services
from casebridge.meetings.models import AgendaItem, Outcome, Pack
from casebridge.meetings.tests.base import MeetingsTestCase
from casebridge.meetings.tests.test_papers import pdf_text

POLICE_ONLY = "Covert source reports the suspect moving between flats"
REMOVED_MINUTE = "Minute about the removed case"


class AttendeeSeesOnlyWhatTheyMaySeeTests(MeetingsTestCase):
    police_case: Case
    private_item: AgendaItem

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.police_case = cls.new_case(actor=cls.police_officer, risk_level="high")
        case_services.note_add(actor=cls.police_officer, case=cls.police_case, text="Stop and search on Park Street.")
        case_services.note_add(
            actor=cls.police_officer, case=cls.police_case, text=POLICE_ONLY, restriction=Restriction.LEAD_ORGANISATION
        )
        cls.add_to_agenda(cls.police_case, actor=cls.police_officer)
        cls.private_item = cls.add_to_agenda(cls.private_case, reason="y")
        cls.minute(
            cls.private_item,
            update=REMOVED_MINUTE,
            outcome=Outcome.REMOVE,
            outcome_reason="Not ready for this meeting.",
        )
        services.agenda_publish(actor=cls.coordinator, meeting=cls.meeting)

    def recipients(self) -> list[User]:
        return [self.asb_officer, self.police_officer, self.support_worker, self.council_manager]

    def publish_papers(self) -> None:
        with self.captureOnCommitCallbacks(execute=True):
            services.papers_publish(actor=self.coordinator, meeting=self.meeting)

    def test_the_agenda_made_no_shares(self):
        assert not Share.objects.filter(case__in=[self.private_case, self.police_case]).exists()
        for user in (self.police_officer, self.support_worker):
            assert not can(user, Act.VIEW, self.private_case)

    def test_every_pack_holds_exactly_the_cases_and_entries_its_recipient_may_see(self):
        self.publish_papers()
        cases = [self.case, self.police_case, self.private_case]
        notes = list(Note.objects.filter(case__in=cases).select_related("case"))
        for user in self.recipients():
            pack = Pack.objects.get(meeting=self.meeting, recipient=user, state=Pack.State.READY)
            text = pdf_text(bytes(pack.pdf or b""))
            for case in cases:
                on_agenda = case != self.private_case
                with self.subTest(user=str(user), case=case.reference):
                    assert (case.reference in text) == on_agenda
            for note in notes:
                first_line = note.text.splitlines()[0]
                # The papers hold a case's entries minus those restricted from the reader.
                if not visible_entries(user, note.case, Note.objects.filter(pk=note.pk)).exists():
                    with self.subTest(user=str(user), note=first_line):
                        assert first_line not in text
            assert PRIVATE_SUBJECT not in text
            assert REMOVED_MINUTE not in text

    def test_partners_never_get_the_other_organisations_restricted_entries(self):
        self.publish_papers()
        police_pack = pdf_text(bytes(Pack.objects.get(meeting=self.meeting, recipient=self.police_officer).pdf or b""))
        council_pack = pdf_text(bytes(Pack.objects.get(meeting=self.meeting, recipient=self.asb_officer).pdf or b""))
        assert self.police_case.reference in council_pack  # read only through the meeting's papers window
        assert not can(self.asb_officer, Act.VIEW, self.police_case)
        assert "Stop and search on Park Street." in council_pack
        assert POLICE_ONLY not in council_pack
        assert POLICE_ONLY in police_pack
        assert RESTRICTED_TEXT not in police_pack
        assert RESTRICTED_TEXT in council_pack

    def test_the_papers_page_matches_the_pack(self):
        self.publish_papers()
        for user in self.recipients():
            self.sign_in(user)
            body = self.client.get(reverse("meetings:papers", args=[self.meeting.public_id])).content.decode()
            with self.subTest(user=str(user)):
                assert self.private_case.reference not in body
                assert PRIVATE_SUBJECT not in body
                assert (POLICE_ONLY in body) == (user.organisation_id == self.police.pk)
                assert (RESTRICTED_TEXT in body) == (user.organisation_id == self.council.pk)

    def test_published_minutes_reach_only_those_who_may_see_each_item(self):
        services.agenda_item_restrict(actor=self.police_officer, item=self.police_item(), restricted=True)
        for item in self.meeting.items.filter(removed_at__isnull=True):
            self.minute(item, update=f"Update on {item.case.reference}.")
        services.minutes_publish(actor=self.coordinator, meeting=self.meeting)
        minutes = {n.case_id: n for n in Note.objects.filter(text__startswith="Minutes of")}
        assert set(minutes) == {self.case.pk, self.police_case.pk, self.private_case.pk}
        # The removed case: its minute is on its own timeline only, for its lead organisation.
        assert can(self.asb_officer, Act.VIEW, minutes[self.private_case.pk])
        for user in (self.police_officer, self.support_worker):
            assert not can(user, Act.VIEW, minutes[self.private_case.pk])
            self.sign_in(user)
            timeline = self.client.get(reverse("cases:timeline", args=[self.private_case.reference]))
            assert timeline.status_code == 404
        # The police case's item was restricted by its lead organisation: its minute stays with the police.
        assert can(self.police_officer, Act.VIEW, minutes[self.police_case.pk])
        assert not can(self.asb_officer, Act.VIEW, minutes[self.police_case.pk])
        self.sign_in(self.asb_officer)
        assert self.client.get(reverse("cases:timeline", args=[self.police_case.reference])).status_code == 404
        # The shared case's minute is seen by whoever sees the case, and by no one else.
        for user in self.recipients():
            assert can(user, Act.VIEW, minutes[self.case.pk]) == can(user, Act.VIEW, self.case)

    def police_item(self) -> AgendaItem:
        return self.meeting.items.get(case=self.police_case)
