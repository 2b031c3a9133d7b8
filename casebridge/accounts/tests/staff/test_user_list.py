from typing import Any

from django.urls import reverse

from casebridge.organisations.models import Role
from casebridge.organisations.tests.base import UserAdminTestCase
from tests.personas import make_user


class UserListTests(UserAdminTestCase):
    def names(self, response: Any) -> list[str]:
        return [user.email for user in response.context["page"]]

    def test_administrator_sees_every_user_with_a_role_in_the_partnership(self):
        self.sign_in(self.administrator)
        names = self.names(self.client.get(reverse("organisations:user_list")))
        assert self.support_worker.email in names
        assert self.police_officer.email in names
        assert self.other_partnership_user.email not in names

    def test_manager_sees_only_their_own_organisations_users(self):
        self.sign_in(self.council_manager)
        names = self.names(self.client.get(reverse("organisations:user_list")))
        assert self.asb_officer.email in names
        assert self.police_officer.email not in names
        assert self.support_worker.email not in names

    def test_runnymede_administrator_sees_nothing_of_surrey_heath(self):
        self.sign_in(self.other_administrator)
        response = self.client.get(reverse("organisations:user_list"))
        runnymede_people = {self.other_partnership_user, self.other_administrator, self.other_auditor}
        runnymede_people.add(self.police_manager)
        assert set(self.names(response)) == {user.email for user in runnymede_people}
        self.assertNotContains(response, "Surrey Heath Council")

    def test_filters_by_search_organisation_and_role(self):
        self.sign_in(self.administrator)
        url = reverse("organisations:user_list")
        assert self.names(self.client.get(url, {"search": "SHAH"})) == [self.police_officer.email]
        by_org = self.names(self.client.get(url, {"organisation": str(self.charity.public_id)}))
        assert by_org == [self.support_worker.email]
        by_role = self.names(self.client.get(url, {"role": Role.MANAGER}))
        assert set(by_role) == {self.council_manager.email, self.police_manager.email}

    def test_sorts_by_column_in_either_direction(self):
        self.sign_in(self.administrator)
        url = reverse("organisations:user_list")
        ascending = self.names(self.client.get(url, {"sort": "email", "order": "ascending"}))
        descending = self.names(self.client.get(url, {"sort": "email", "order": "descending"}))
        assert ascending == sorted(ascending)
        assert descending == list(reversed(ascending))
        response = self.client.get(url, {"sort": "email"})
        self.assertContains(response, 'aria-sort="ascending"')

    def test_unknown_sort_or_filter_values_fall_back_safely(self):
        self.sign_in(self.administrator)
        response = self.client.get(reverse("organisations:user_list"), {"sort": "password", "role": "god"})
        assert response.status_code == 200

    def test_paginates_fifty_users_a_page(self):
        for number in range(60):
            make_user(f"user{number:02}.bulk@council.example", self.council, roles={self.surrey_heath: Role.ANALYST})
        self.sign_in(self.administrator)
        url = reverse("organisations:user_list")
        first = self.client.get(url)
        assert len(first.context["page"]) == 50
        second = self.client.get(url, {"page": 2})
        assert len(second.context["page"]) == 70 - 50
        self.assertContains(first, 'rel="next"')

    def test_query_count_does_not_grow_with_the_number_of_users(self):
        self.sign_in(self.administrator)
        url = reverse("organisations:user_list")
        self.client.get(url)
        with self.assertNumQueries(13):
            self.client.get(url)
        for number in range(20):
            make_user(f"extra{number}@police.example", self.police, roles={self.surrey_heath: Role.PRACTITIONER})
        with self.assertNumQueries(13):
            self.client.get(url)

    def test_role_is_shown_by_its_name(self):
        self.sign_in(self.council_manager)
        response = self.client.get(reverse("organisations:user_list"))
        self.assertContains(response, '<td class="govuk-table__cell">Organisation manager</td>', html=True)
