"""Naming a person by email address on a case finds the account sign-in finds, whatever the spelling."""

from django.urls import reverse

from casebridge.cases.models import Note, Share
from casebridge.cases.tests.base import CasesTestCase


class NamedPeopleByEmailKeyTests(CasesTestCase):
    def test_a_note_restricted_to_a_dotless_i_spelling_names_that_colleague(self):
        self.sign_in(self.asb_officer)
        self.client.post(
            reverse("cases:note_add", args=[self.case.reference]),
            {
                "kind": "note",
                "text": "Only for Colin",
                "restriction": "named_users",
                "restricted_to": "col\u0131n.baker@council.example",
            },
        )
        assert list(Note.objects.get(text="Only for Colin").restricted_to.all()) == [self.colleague]

    def test_sharing_with_a_long_s_spelling_shares_with_that_person(self):
        self.sign_in(self.asb_officer)
        response = self.client.post(
            reverse("sharing:share", args=[self.private_case.reference]),
            {"user_email": "priya.\u017fhah@police.example", "level": "view", "reason": "Joint operation"},
        )
        self.assertRedirects(response, reverse("cases:sharing", args=[self.private_case.reference]))
        assert Share.objects.filter(case=self.private_case, user=self.police_officer).exists()
