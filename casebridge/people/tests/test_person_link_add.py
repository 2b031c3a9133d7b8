from django.urls import reverse

from casebridge.cases.tests.base import SHARED_VICTIM, CasesTestCase
from casebridge.people import services
from casebridge.people.models import Person, PersonLink


class PersonLinkAddTests(CasesTestCase):
    mother: Person

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.mother = cls.new_person("Joan", "Whitlock", case=cls.case, role="family_member")

    def url(self, person: Person) -> str:
        return reverse("people:link_add", args=[person.public_id])

    def test_offers_people_on_the_same_cases_as_govuk_radios(self):
        self.sign_in(self.asb_officer)
        response = self.client.get(self.url(self.victim))
        self.assertContains(response, "Joan Whitlock")
        self.assertContains(response, 'class="govuk-radios__input"')
        self.assertNotContains(response, "Olive Pemberton")  # not on this person's cases

    def test_adding_a_link_shows_it_on_the_person_page(self):
        self.sign_in(self.asb_officer)
        response = self.client.post(
            self.url(self.victim), {"other": str(self.mother.public_id), "relationship": "parent"}
        )
        self.assertRedirects(response, reverse("people:detail", args=[self.victim.public_id]))
        assert PersonLink.objects.filter(person=self.victim, other=self.mother, relationship="parent").exists()
        page = self.client.get(reverse("people:detail", args=[self.victim.public_id]))
        self.assertContains(page, "Joan Whitlock</a> — Parent or carer")

    def test_a_person_the_user_cannot_see_cannot_be_chosen(self):
        self.sign_in(self.support_worker)
        response = self.client.post(
            self.url(self.victim), {"other": str(self.private_person.public_id), "relationship": "associate"}
        )
        assert response.status_code == 200
        assert not PersonLink.objects.exists()

    def test_a_link_to_someone_the_viewer_cannot_see_is_not_shown_at_all(self):
        services.person_link_add(
            actor=self.asb_officer, person=self.victim, other=self.private_person, relationship="associate"
        )
        self.sign_in(self.support_worker)
        page = self.client.get(reverse("people:detail", args=[self.victim.public_id]))
        self.assertContains(page, SHARED_VICTIM)
        self.assertNotContains(page, "Pemberton")
        self.sign_in(self.asb_officer)
        self.assertContains(self.client.get(reverse("people:detail", args=[self.victim.public_id])), "Olive Pemberton")

    def test_the_same_link_twice_is_refused(self):
        services.person_link_add(actor=self.asb_officer, person=self.victim, other=self.mother, relationship="parent")
        self.sign_in(self.asb_officer)
        response = self.client.post(
            self.url(self.victim), {"other": str(self.mother.public_id), "relationship": "parent"}
        )
        self.assertContains(response, "They are already linked in this way.")
