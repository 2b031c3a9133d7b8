import datetime

from django.urls import reverse
from django.utils import timezone

from casebridge.audit.models import Action, AuditEvent
from casebridge.cases import services
from casebridge.cases.models import Case, CaseParty, Incident, Note, Share
from casebridge.cases.tests.base import CasesTestCase
from casebridge.sharing.models import AccessRequest


class CaseFlowTests(CasesTestCase):
    def test_opening_a_case_gives_it_the_next_reference_and_makes_the_user_lead_officer(self):
        self.sign_in(self.asb_officer)
        response = self.client.post(
            reverse("cases:create"),
            {"case_type": self.asb_perpetrator.pk, "risk_level": "medium", "summary": "Noise from flat 4."},
        )
        case = Case.objects.latest("id")
        self.assertRedirects(response, reverse("cases:summary", args=[case.reference]))
        assert case.lead_officer == self.asb_officer
        assert case.lead_organisation == self.council

    def test_viewing_a_case_is_audited_and_marked_official_sensitive(self):
        self.sign_in(self.colleague)
        response = self.client.get(reverse("cases:summary", args=[self.case.reference]))
        self.assertContains(response, "OFFICIAL-SENSITIVE")
        self.assertContains(response, "Dana Whitlock")
        assert AuditEvent.objects.filter(
            action=Action.VIEWED, actor=self.colleague, object_id=str(self.case.public_id)
        ).exists()

    def test_adding_a_new_person_as_a_party(self):
        self.sign_in(self.support_worker)
        response = self.client.post(
            reverse("cases:party_add", args=[self.case.reference]),
            {"role": "witness", "first_name": "Wes", "last_name": "Hart", "gender": "male"},
        )
        self.assertRedirects(response, reverse("cases:parties", args=[self.case.reference]))
        assert CaseParty.objects.filter(case=self.case, person__last_name="Hart", role="witness").exists()

    def test_adding_an_existing_person_the_user_cannot_see_is_404(self):
        self.sign_in(self.support_worker)
        url = reverse("cases:party_add", args=[self.case.reference]) + f"?person={self.private_person.public_id}"
        assert self.client.get(url).status_code == 404

    def test_recording_an_incident_with_a_place(self):
        self.sign_in(self.asb_officer)
        today = timezone.localdate()
        response = self.client.post(
            reverse("cases:incident_record", args=[self.case.reference]),
            {
                "occurred_on": (today - datetime.timedelta(days=2)).isoformat(),
                "occurred_time": "22:30",
                "reported_on": today.isoformat(),
                "category": self.category.pk,
                "description": "Shouting and banging on the door.",
                "location": "Rear of 4 Park Road",
                "postcode": "gu15 3hd",
                "is_hate": "on",
                "hate_strand": "race",
                "police_reference": "PR/123",
            },
        )
        self.assertRedirects(response, reverse("cases:timeline", args=[self.case.reference]))
        incident = Incident.objects.get(case=self.case)
        assert incident.location is not None
        assert incident.location.postcode == "GU15 3HD"
        assert incident.hate_strand == "race"

    def test_an_incident_reported_before_it_happened_is_refused_clearly(self):
        self.sign_in(self.asb_officer)
        today = timezone.localdate()
        response = self.client.post(
            reverse("cases:incident_record", args=[self.case.reference]),
            {
                "occurred_on": today.isoformat(),
                "reported_on": (today - datetime.timedelta(days=1)).isoformat(),
                "category": self.category.pk,
                "description": "x",
            },
        )
        self.assertContains(response, "The date reported must be on or after the date of the incident.")

    def test_a_note_restricted_to_named_people_is_hidden_from_other_partners(self):
        self.sign_in(self.asb_officer)
        self.client.post(
            reverse("cases:note_add", args=[self.case.reference]),
            {
                "kind": "note",
                "text": "Only for Colin",
                "restriction": "named_users",
                "restricted_to": self.colleague.email,
            },
        )
        assert Note.objects.filter(text="Only for Colin").exists()
        self.sign_in(self.colleague)
        self.assertContains(self.client.get(reverse("cases:timeline", args=[self.case.reference])), "Only for Colin")
        self.sign_in(self.support_worker)
        self.assertNotContains(self.client.get(reverse("cases:timeline", args=[self.case.reference])), "Only for Colin")

    def test_a_stale_edit_in_the_browser_is_refused_showing_the_other_change(self):
        self.sign_in(self.asb_officer)
        url = reverse("cases:edit", args=[self.case.reference])
        form = {"version": self.case.version, "risk_level": "high", "status": "open"}
        self.client.post(url, {**form, "summary": "First edit"})
        response = self.client.post(url, {**form, "summary": "Second edit"})
        assert response.status_code == 200
        self.assertContains(response, "Someone else changed this record after you opened it")
        self.assertContains(response, "First edit")
        self.case.refresh_from_db()
        assert self.case.summary == "First edit"

    def test_sharing_with_a_partner_then_revoking(self):
        self.sign_in(self.asb_officer)
        response = self.client.post(
            reverse("sharing:share", args=[self.private_case.reference]),
            {"organisation": self.police.pk, "level": "view", "reason": "Joint operation"},
        )
        self.assertRedirects(response, reverse("cases:sharing", args=[self.private_case.reference]))
        share = Share.objects.get(case=self.private_case, organisation=self.police)
        self.sign_in(self.police_officer)
        assert self.client.get(reverse("cases:summary", args=[self.private_case.reference])).status_code == 200
        self.sign_in(self.asb_officer)
        self.client.post(reverse("sharing:revoke", args=[self.private_case.reference, share.public_id]))
        self.sign_in(self.police_officer)
        assert self.client.get(reverse("cases:summary", args=[self.private_case.reference])).status_code == 404

    def test_request_access_then_approval_opens_the_case(self):
        AccessRequest.objects.all().delete()
        self.sign_in(self.police_officer)
        self.client.post(
            reverse("sharing:request_access", args=[self.private_case.reference]), {"reason": "Shared suspect"}
        )
        request = AccessRequest.objects.get(requester=self.police_officer)
        self.sign_in(self.asb_officer)
        self.assertContains(self.client.get(reverse("sharing:inbox")), "asks for access")
        self.client.post(reverse("sharing:decide", args=[request.public_id]), {"decision": "approve"})
        self.sign_in(self.police_officer)
        assert self.client.get(reverse("cases:summary", args=[self.private_case.reference])).status_code == 200

    def test_break_glass_opens_the_case_and_alerts_the_lead_organisation(self):
        self.sign_in(self.police_officer)
        url = reverse("sharing:break_glass", args=[self.private_case.reference])
        response = self.client.post(url, {"reason": "Missing child"})
        self.assertContains(response, "Confirm that you understand")
        response = self.client.post(url, {"reason": "Missing child", "confirm": "on"})
        self.assertRedirects(response, reverse("cases:summary", args=[self.private_case.reference]))
        self.sign_in(self.asb_officer)
        self.assertContains(self.client.get(reverse("sharing:inbox")), "used emergency access")

    def test_the_access_log_lists_who_viewed_the_case(self):
        self.sign_in(self.support_worker)
        self.client.get(reverse("cases:summary", args=[self.case.reference]))
        self.sign_in(self.asb_officer)
        response = self.client.get(reverse("cases:access_log", args=[self.case.reference]))
        self.assertContains(response, self.support_worker.email)

    def test_a_tab_title_heads_the_tab_and_names_the_page(self):
        self.sign_in(self.asb_officer)
        response = self.client.get(reverse("cases:parties", args=[self.case.reference]))
        self.assertContains(response, '<h2 class="govuk-heading-m">Parties</h2>', html=True)
        self.assertContains(response, f"<title>{self.case.reference} — Parties — Casebridge</title>", html=True)


class CaseListTests(CasesTestCase):
    def test_each_list_shows_the_right_cases(self):
        self.sign_in(self.support_worker)
        shared = self.client.get(reverse("cases:shared"))
        self.assertContains(shared, self.case.reference)
        self.assertNotContains(shared, self.private_case.reference)
        self.sign_in(self.colleague)
        self.assertContains(self.client.get(reverse("cases:organisation")), self.private_case.reference)
        self.assertNotContains(self.client.get(reverse("cases:mine")), self.private_case.reference)

    def test_filters_and_sorting_apply(self):
        self.sign_in(self.asb_officer)
        response = self.client.get(reverse("cases:mine"), {"risk_level": "high", "sort": "reference"})
        self.assertContains(response, self.case.reference)
        self.assertNotContains(response, self.private_case.reference)

    def test_the_list_runs_the_same_number_of_queries_whatever_the_number_of_cases(self):
        self.sign_in(self.asb_officer)
        self.client.get(reverse("cases:mine"))  # warm caches (content types, session)
        # 10 for the list, 7 for the repeat flags of its rows (matching.repeats.case_flags).
        with self.assertNumQueries(19) as small:
            self.client.get(reverse("cases:mine"))
        for _ in range(30):
            self.new_case(risk_level="high")
        response = self.get_in_queries(len(small.captured_queries), reverse("cases:mine"))
        assert response.context["page"].paginator.count == 32


class LocationAndLinkTests(CasesTestCase):
    def test_a_public_place_can_be_the_subject_of_a_case(self):
        self.sign_in(self.asb_officer)
        response = self.client.post(
            reverse("cases:location_add", args=[self.case.reference]),
            {"kind": "place", "place_name": "Watchetts Recreation Ground", "is_subject": "on"},
        )
        self.assertRedirects(response, reverse("cases:summary", args=[self.case.reference]))
        link = self.case.case_locations.get()
        assert link.is_subject
        assert link.location.place_name == "Watchetts Recreation Ground"

    def test_an_address_needs_a_real_postcode(self):
        self.sign_in(self.asb_officer)
        response = self.client.post(
            reverse("cases:location_add", args=[self.case.reference]),
            {"kind": "address", "address_line_1": "4 Park Road", "postcode": "NOT A CODE"},
        )
        self.assertContains(response, "Enter a real UK postcode")

    def test_linking_needs_a_case_the_user_can_see(self):
        self.sign_in(self.support_worker)
        url = reverse("cases:link_add", args=[self.case.reference])
        response = self.client.post(url, {"reference": self.private_case.reference})
        self.assertContains(response, "There is no other case you can see with that reference.")
        self.sign_in(self.asb_officer)
        self.client.post(url, {"reference": self.private_case.reference})
        assert self.case.links.filter(other=self.private_case).exists()

    def test_a_linked_case_the_user_cannot_see_is_not_named(self):
        services.case_link_add(actor=self.asb_officer, case=self.case, other=self.private_case)
        self.sign_in(self.support_worker)
        response = self.client.get(reverse("cases:summary", args=[self.case.reference]))
        self.assertNotContains(response, self.private_case.reference)
