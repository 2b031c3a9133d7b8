"""Every URL of the import wizard against every persona: administrators of the partnership only.

The global URL matrix (casebridge/lib/tests/test_url_matrix.py) names this file for the
``migration:*`` URLs. Anyone but an administrator of the partnership they work in is refused
(403), as on the user import; a job of another partnership answers 404, as one that does not exist.
"""

from django.urls import reverse

from casebridge.imports.models import ImportJob
from casebridge.imports.tests.wizard_base import WizardTestCase
from casebridge.organisations.models import Role
from tests.personas import PERSONAS, make_user

OK, FOUND, FORBIDDEN, GONE, NOT_ALLOWED = 200, 302, 403, 404, 405


class PermissionMatrixTests(WizardTestCase):
    job: ImportJob

    def setUp(self) -> None:
        super().setUp()
        self.sign_in(self.administrator)
        self.job = self.checked_job()
        self.client.logout()

    def urls(self) -> dict[str, tuple[str, int]]:
        """URL name → (path, the administrator's answer to a GET)."""
        job = self.job.public_id
        return {
            "imports:start": (reverse("imports:start"), OK),
            "imports:blank_template": (reverse("imports:blank_template", args=["cases", "xlsx"]), OK),
            "imports:upload": (reverse("imports:upload", args=["incidents"]), OK),
            "imports:sheet": (reverse("imports:sheet", args=[job]), FOUND),  # a CSV has no sheets
            "imports:columns": (reverse("imports:columns", args=[job]), OK),
            "imports:values": (reverse("imports:values", args=[job]), OK),
            "imports:check": (reverse("imports:check", args=[job]), OK),
            "imports:progress": (reverse("imports:progress", args=[job]), FOUND),
            "imports:report": (reverse("imports:report", args=[job]), OK),
            "imports:report_csv": (reverse("imports:report_csv", args=[job]), OK),
            "imports:run": (reverse("imports:run", args=[job]), NOT_ALLOWED),
            "imports:rollback": (reverse("imports:rollback", args=[job]), FOUND),
        }

    def test_only_the_partnerships_administrators_may_open_the_wizard(self):
        for persona in PERSONAS:
            self.sign_in(getattr(self, persona))
            for name, (url, for_administrator) in self.urls().items():
                with self.subTest(persona=persona, url=name):
                    expected = for_administrator if persona == "administrator" else FORBIDDEN
                    if name == "imports:run":
                        expected = NOT_ALLOWED  # POST only: refused before anything else
                    assert self.client.get(url).status_code == expected
            self.client.logout()

    def test_anonymous_visitors_are_sent_to_sign_in(self):
        for name, (url, _answer) in self.urls().items():
            with self.subTest(url=name):
                response = self.client.get(url)
                if name == "imports:run":
                    assert response.status_code == NOT_ALLOWED
                    continue
                assert response.status_code == FOUND
                assert response["Location"].startswith(reverse("accounts:sign_in"))

    def test_posting_is_refused_to_everyone_but_the_administrator(self):
        post_only = ("imports:run", "imports:rollback", "imports:check", "imports:upload")
        for persona in PERSONAS:
            if persona == "administrator":
                continue
            self.sign_in(getattr(self, persona))
            for name in post_only:
                with self.subTest(persona=persona, url=name):
                    assert self.client.post(self.urls()[name][0]).status_code == FORBIDDEN
            self.client.logout()

    def test_another_partnerships_administrator_gets_404_for_this_partnerships_job(self):
        self.sign_in(
            make_user("admin@runnymede.example", self.other_council, roles={self.runnymede: Role.ADMINISTRATOR})
        )
        for name, (url, _answer) in self.urls().items():
            if name in ("imports:start", "imports:blank_template", "imports:upload", "imports:run"):
                continue
            with self.subTest(url=name):
                assert self.client.get(url).status_code == GONE
        assert self.client.post(self.urls()["imports:run"][0]).status_code == GONE
        assert self.client.post(self.urls()["imports:rollback"][0]).status_code == GONE

    def test_the_administrator_may_start_the_import(self):
        self.sign_in(self.administrator)
        response = self.client.post(self.urls()["imports:run"][0])
        assert response.status_code == FOUND
