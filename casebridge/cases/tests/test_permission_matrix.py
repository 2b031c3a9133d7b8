"""Every URL the cases, people and sharing apps add, against every persona.

Asserts the status code and that no name a persona may not see appears in the response.
"""

from django.urls import reverse

from casebridge.cases import services
from casebridge.cases.models import BreakGlass, Case, ClosureReason, Level, Share
from casebridge.cases.tests.base import PRIVATE_SUBJECT, RESTRICTED_TEXT, SHARED_VICTIM, CasesTestCase
from casebridge.sharing import services as sharing_services

OK, FOUND, GONE, NOT_ALLOWED = 200, 302, 404, 405
# Pages that show a record's name, date of birth and holders to someone who cannot open it.
EXISTENCE_ONLY = {"search": SHARED_VICTIM, "request_access_person": PRIVATE_SUBJECT}


class PermissionMatrixTests(CasesTestCase):
    closed_case: Case
    share: Share
    glass: BreakGlass

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.closed_case = cls.new_case()
        sharing_services.share_grant(
            actor=cls.asb_officer,
            case=cls.closed_case,
            organisation=cls.charity,
            level=Level.CONTRIBUTE,
            reason="Safer Lives supported the victim.",
        )
        cls.closed_case.refresh_from_db()
        services.case_close(
            actor=cls.asb_officer,
            case=cls.closed_case,
            version=cls.closed_case.version,
            closure_reason=ClosureReason.RESOLVED,
            outcome="Behaviour stopped after a warning letter.",
        )
        cls.share = Share.objects.get(case=cls.case, organisation=cls.charity)
        # Emergency access by someone outside the matrix, for the review pages.
        cls.glass = sharing_services.break_glass(
            actor=cls.police_manager, case=cls.private_case, reason="A child at risk tonight."
        )

    def urls(self) -> dict[str, str]:
        ref = self.case.reference
        private = self.private_case.reference
        return {
            "my_cases": reverse("cases:mine"),
            "organisation_cases": reverse("cases:organisation"),
            "shared_cases": reverse("cases:shared"),
            "create": reverse("cases:create"),
            "summary": reverse("cases:summary", args=[ref]),
            "timeline": reverse("cases:timeline", args=[ref]),
            "parties": reverse("cases:parties", args=[ref]),
            "party_add": reverse("cases:party_add", args=[ref]),
            "sharing": reverse("cases:sharing", args=[ref]),
            "access_log": reverse("cases:access_log", args=[ref]),
            "edit": reverse("cases:edit", args=[ref]),
            "close": reverse("cases:close", args=[ref]),
            "note_add": reverse("cases:note_add", args=[ref]),
            "location_add": reverse("cases:location_add", args=[ref]),
            "link_add": reverse("cases:link_add", args=[ref]),
            "address_add": reverse("people:address_add", args=[self.victim.public_id]),
            "alias_add": reverse("people:alias_add", args=[self.victim.public_id]),
            "identifier_add": reverse("people:identifier_add", args=[self.victim.public_id]),
            "person_link_add": reverse("people:link_add", args=[self.victim.public_id]),
            "break_glass_list": reverse("sharing:break_glass_list"),
            "break_glass_review": reverse("sharing:break_glass_review", args=[self.glass.public_id]),
            "reopen": reverse("cases:reopen", args=[self.closed_case.reference]),
            "revoke": reverse("sharing:revoke", args=[ref, self.share.public_id]),
            "incident_record": reverse("cases:incident_record", args=[ref]),
            "document_upload": reverse("cases:document_upload", args=[ref]),
            "document": reverse("cases:document", args=[self.document.public_id]),
            "restricted_document": reverse("cases:document", args=[self.restricted_document.public_id]),
            "private_summary": reverse("cases:summary", args=[private]),
            "person": reverse("people:detail", args=[self.victim.public_id]),
            "private_person": reverse("people:detail", args=[self.private_person.public_id]),
            "person_edit": reverse("people:edit", args=[self.victim.public_id]),
            "warning_add": reverse("people:warning_add", args=[self.victim.public_id]),
            "search": reverse("people:search") + "?q=Whitlock",
            "share": reverse("sharing:share", args=[ref]),
            "inbox": reverse("sharing:inbox"),
            "decide": reverse("sharing:decide", args=[self.access_request.public_id]),
            "request_access": reverse("sharing:request_access", args=[private]),
            "break_glass": reverse("sharing:break_glass", args=[private]),
            "request_access_person": reverse("sharing:request_access_person", args=[self.private_person.public_id]),
            "export_my_cases": reverse("cases:export", args=["mine", "csv"]),
            "export_organisation_cases": reverse("cases:export", args=["organisation", "xlsx"]),
            "export_shared_cases": reverse("cases:export", args=["shared", "csv"]),
            "export_search": reverse("people:search_export", args=["csv"]) + "?q=Whitlock",
            "export_search_xlsx": reverse("people:search_export", args=["xlsx"]) + "?q=Whitlock",
        }

    # (status per URL, names that must never appear)
    def expectations(self) -> dict[str, tuple[dict[str, int], list[str]]]:
        # Revoking a share is POST-only: a GET is refused before any record is looked up.
        everything = {**dict.fromkeys(self.urls(), OK), "revoke": NOT_ALLOWED}
        lead = {**everything, "request_access": FOUND, "request_access_person": OK}
        support = {
            **everything,
            "access_log": GONE,
            "edit": GONE,
            "close": GONE,
            "share": GONE,
            "restricted_document": GONE,
            "private_summary": GONE,
            "private_person": GONE,
            "decide": GONE,
            "reopen": GONE,
            "break_glass_review": GONE,
        }
        # A practitioner with no part in any of these records still has their own lists, search and inbox.
        outsider = {
            **dict.fromkeys(everything, GONE),
            "revoke": NOT_ALLOWED,
            "my_cases": OK,
            "organisation_cases": OK,
            "shared_cases": OK,
            "create": OK,
            "search": OK,
            "export_my_cases": OK,
            "export_organisation_cases": OK,
            "export_shared_cases": OK,
            "export_search": OK,
            "export_search_xlsx": OK,
            "inbox": OK,
            "break_glass_list": OK,
        }
        # In the partnership, the police officer may also ask for access or break the glass.
        police = {**outsider, "request_access": OK, "break_glass": OK, "request_access_person": OK}
        auditor = {
            **dict.fromkeys(everything, GONE),
            "revoke": NOT_ALLOWED,
            "my_cases": OK,
            "organisation_cases": OK,
            "shared_cases": OK,
            "export_my_cases": OK,
            "export_organisation_cases": OK,
            "export_shared_cases": OK,
            "break_glass_list": OK,
            "break_glass_review": OK,
        }
        return {
            "asb_officer": (lead, []),
            "colleague": (lead, []),
            "support_worker": (support, [PRIVATE_SUBJECT, RESTRICTED_TEXT]),
            "police_officer": (police, [SHARED_VICTIM, PRIVATE_SUBJECT, RESTRICTED_TEXT]),
            "other_partnership_user": (outsider, [SHARED_VICTIM, PRIVATE_SUBJECT, RESTRICTED_TEXT]),
            "auditor": (auditor, [SHARED_VICTIM, PRIVATE_SUBJECT, RESTRICTED_TEXT]),
        }

    def test_every_url_answers_each_persona_as_the_policy_says_and_leaks_no_hidden_name(self):
        # Rule 4: anyone in the partnership may learn that these records exist.
        self.assert_url_matrix(self.urls(), self.expectations(), shown_anyway=EXISTENCE_ONLY)

    def test_anonymous_visitors_are_sent_to_sign_in(self):
        for name, url in self.urls().items():
            with self.subTest(url=name):
                response = self.client.get(url)
                assert response.status_code == FOUND
                assert reverse("accounts:sign_in") in response["Location"]
