from django.urls import reverse

from casebridge.matching.models import CandidateStatus, DuplicateCandidate, NotSamePerson, PersonMerge
from casebridge.matching.tests.base import DuplicatesTestCase
from casebridge.people.models import Person


class QueueViewTests(DuplicatesTestCase):
    candidate: DuplicateCandidate

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.candidate = DuplicateCandidate.objects.create(
            partnership=cls.surrey_heath, person_a=cls.jon, person_b=cls.jonathan, score=0.97, band="likely"
        )

    def test_the_queue_lists_pairs_in_a_constant_number_of_queries(self):
        self.sign_in(self.coordinator)
        self.client.get(reverse("matching:queue"))
        for number in range(5):
            a = self.new_person(f"Ann{number}", "Lee")
            b = self.new_person(f"Anne{number}", "Lee")
            DuplicateCandidate.objects.create(
                partnership=self.surrey_heath, person_a=a, person_b=b, score=0.6, band="possible"
            )
        response = self.get_in_queries(11, reverse("matching:queue"))
        assert response.status_code == 200
        self.assertContains(response, "Jonathan Smith")
        self.assertContains(response, "Anne4 Lee")

    def test_a_pair_one_of_whom_the_reviewer_may_not_see_is_not_listed_and_answers_404(self):
        self.sign_in(self.police_manager)
        self.client.get(reverse("organisations:user_list"))  # settles the police manager's partnership
        response = self.client.get(reverse("matching:compare", args=[self.candidate.public_id]))
        assert response.status_code in (403, 404)
        assert "Smyth" not in response.content.decode()

    def test_practitioners_are_refused_the_queue(self):
        self.sign_in(self.asb_officer)
        assert self.client.get(reverse("matching:queue")).status_code == 403

    def test_compare_shows_both_records_side_by_side(self):
        self.sign_in(self.coordinator)
        response = self.client.get(reverse("matching:compare", args=[self.candidate.public_id]))
        self.assertContains(response, "Jon Smyth")
        self.assertContains(response, "Jonathan Smith")
        self.assertContains(response, "12/345678Z")

    def test_merging_from_the_compare_page_keeps_the_chosen_values(self):
        self.sign_in(self.coordinator)
        response = self.client.post(
            reverse("matching:compare", args=[self.candidate.public_id]),
            {"survivor": "b", "first_name": "b", "last_name": "b", "phone": "a", "email": "b"},
        )
        merge = PersonMerge.objects.get()
        self.assertRedirects(response, reverse("matching:merge_detail", args=[merge.public_id]))
        survivor = Person.objects.get(pk=self.jonathan.pk)
        assert (survivor.first_name, survivor.phone) == ("Jonathan", "07700 900123")
        assert not Person.objects.filter(pk=self.jon.pk).exists()

    def test_a_merge_without_choices_is_refused_with_a_clear_error(self):
        self.sign_in(self.coordinator)
        response = self.client.post(reverse("matching:compare", args=[self.candidate.public_id]), {})
        self.assertContains(response, "Choose which record should remain.")
        assert Person.objects.filter(pk=self.jon.pk).exists()

    def test_undo_from_the_merge_page_restores_the_merged_person(self):
        self.sign_in(self.coordinator)
        self.client.post(
            reverse("matching:compare", args=[self.candidate.public_id]),
            {"survivor": "a", "first_name": "a", "last_name": "a", "phone": "a", "email": "b"},
        )
        merge = PersonMerge.objects.get()
        response = self.client.post(reverse("matching:unmerge", args=[merge.public_id]))
        self.assertRedirects(response, reverse("matching:merge_detail", args=[merge.public_id]))
        assert Person.objects.get(pk=self.jonathan.pk).email == "j.smith@example.com"
        assert Person.objects.get(pk=self.jon.pk).email == ""

    def test_not_the_same_person_closes_the_pair(self):
        self.sign_in(self.coordinator)
        response = self.client.post(reverse("matching:not_same", args=[self.candidate.public_id]))
        self.assertRedirects(response, reverse("matching:queue"))
        self.candidate.refresh_from_db()
        assert self.candidate.status == CandidateStatus.NOT_SAME
        assert NotSamePerson.objects.count() == 1
