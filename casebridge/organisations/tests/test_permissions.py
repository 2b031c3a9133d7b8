"""Every user-management URL against every persona: 200, 403 for pages, 404 for objects."""

import uuid

from django.urls import reverse

from casebridge.organisations.tests.base import UserAdminTestCase

EVERYONE = [
    "administrator",
    "council_manager",
    "police_manager",
    "coordinator",
    "asb_officer",
    "police_officer",
    "support_worker",
    "analyst",
    "auditor",
    "other_partnership_user",
    "other_administrator",
]


MANAGERS = {"administrator": 200, "council_manager": 200, "police_manager": 200}


class PermissionMatrixTests(UserAdminTestCase):
    def urls(self) -> dict[str, str]:
        alex = self.asb_officer.public_id
        council = self.council.public_id
        return {
            "user_list": reverse("organisations:user_list"),
            "user_create": reverse("organisations:user_create"),
            "user_detail": reverse("organisations:user_detail", args=[alex]),
            "user_edit": reverse("organisations:user_edit", args=[alex]),
            "membership_set": reverse("organisations:membership_set", args=[alex]),
            "membership_remove": reverse("organisations:membership_remove", args=[alex, self.surrey_heath.public_id]),
            "organisation_list": reverse("organisations:organisation_list"),
            "organisation_create": reverse("organisations:organisation_create"),
            "organisation_add_existing": reverse("organisations:organisation_add_existing"),
            "organisation_edit": reverse("organisations:organisation_edit", args=[council]),
            "team_create": reverse("organisations:team_create", args=[council]),
            "join_request_list": reverse("organisations:join_request_list"),
            "users_import": reverse("organisations:users_import"),
            "users_import_report": reverse("organisations:users_import_report", args=[uuid.uuid4()]),
            "users_import_errors": reverse("organisations:users_import_errors", args=[uuid.uuid4()]),
        }

    # Expected status for each persona; anyone not named gets the default in the last slot.
    EXPECTED = {
        "user_list": ({**MANAGERS, "other_administrator": 200}, 403),
        "user_create": ({**MANAGERS, "other_administrator": 200}, 403),
        "user_detail": ({"administrator": 200, "council_manager": 200}, 404),
        "user_edit": ({"administrator": 200, "council_manager": 200}, 404),
        "membership_set": ({"administrator": 200, "council_manager": 200}, 404),
        "membership_remove": ({"administrator": 200, "council_manager": 200}, 404),
        "organisation_list": ({**MANAGERS, "other_administrator": 200}, 403),
        "organisation_create": ({"administrator": 200, "other_administrator": 200}, 403),
        "organisation_add_existing": ({"administrator": 200, "other_administrator": 200}, 403),
        # The council takes part only in Surrey Heath: its administrator and its own manager change it.
        "organisation_edit": ({"administrator": 200, "council_manager": 200}, 404),
        "team_create": ({"administrator": 200, "council_manager": 200}, 404),
        "join_request_list": ({**MANAGERS, "other_administrator": 200}, 403),
        "users_import": ({"administrator": 200, "other_administrator": 200}, 403),
        "users_import_report": ({"administrator": 404, "other_administrator": 404}, 403),
        "users_import_errors": ({"administrator": 404, "other_administrator": 404}, 403),
    }

    def test_each_role_gets_exactly_the_pages_and_objects_it_should(self):
        urls = self.urls()
        assert set(urls) == set(self.EXPECTED)
        for persona in EVERYONE:
            self.client.logout()
            self.sign_in(getattr(self, persona))
            for name, url in urls.items():
                named, default = self.EXPECTED[name]
                # The police manager works in Surrey Heath here (their first partnership is Runnymede).
                if persona == "police_manager":
                    self.work_in(self.surrey_heath)
                with self.subTest(persona=persona, url=name):
                    assert self.client.get(url).status_code == named.get(persona, default)

    def test_posts_by_people_without_the_role_change_nothing(self):
        alex = self.asb_officer
        for persona in ["police_manager", "asb_officer", "analyst", "auditor", "other_administrator"]:
            self.client.logout()
            self.sign_in(getattr(self, persona))
            if persona == "police_manager":
                self.work_in(self.surrey_heath)
            with self.subTest(persona=persona):
                response = self.client.post(
                    reverse("organisations:user_edit", args=[alex.public_id]),
                    {"first_name": "Changed", "last_name": "Name", "job_title": ""},
                )
                assert response.status_code == 404
                alex.refresh_from_db()
                assert alex.first_name == "Alex"

    def test_signed_out_visitors_are_sent_to_sign_in(self):
        for name, url in self.urls().items():
            with self.subTest(url=name):
                response = self.client.get(url)
                assert response.status_code == 302
                assert response["Location"].startswith(reverse("accounts:sign_in"))

    def test_manager_manages_own_organisation_users_in_their_current_partnership(self):
        self.sign_in(self.police_manager)
        self.work_in(self.surrey_heath)
        own = reverse("organisations:user_detail", args=[self.police_officer.public_id])
        other = reverse("organisations:user_detail", args=[self.support_worker.public_id])
        assert self.client.get(own).status_code == 200
        assert self.client.get(other).status_code == 404

    def test_manager_sees_only_users_with_a_role_in_the_partnership_they_work_in(self):
        self.sign_in(self.police_manager)
        self.work_in(self.runnymede)
        url = reverse("organisations:user_detail", args=[self.police_officer.public_id])
        assert self.client.get(url).status_code == 404
