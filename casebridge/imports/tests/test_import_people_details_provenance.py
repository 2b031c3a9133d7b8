"""Rule 7 for an import that changes an existing person's phone or email: the importing organisation records it."""

import datetime
from typing import Any

from django.urls import reverse

from casebridge.accounts.models import User
from casebridge.cases.tests.base import CasesTestCase
from casebridge.imports import services
from casebridge.imports.models import ImportJob
from casebridge.imports.rollback import rollback
from casebridge.imports.tests.helpers import people_csv, person_row
from casebridge.people.models import Person

PHONE = "07700 900456"
EMAIL = "ann.smith@home.example"


class ImportedDetailsProvenanceTests(CasesTestCase):
    """Ann Smith, recorded by the council without a phone or email, on the case shared with the charity."""

    def setUp(self) -> None:
        super().setUp()
        self.ann = self.new_person("Ann", "Smith", case=self.case, date_of_birth=datetime.date(1980, 2, 1))
        Person.objects.filter(pk=self.ann.pk).update(legacy_id="L1")
        self.report = services.run_import(
            self.people_job(person_row("L1", "Ann", "Smith", "01/02/1980", phone=PHONE, email=EMAIL))
        )

    def people_job(self, *rows: dict[str, str]) -> ImportJob:
        return services.create_job(
            actor=self.administrator,
            partnership=self.surrey_heath,
            template="people",
            data=people_csv(*rows),
            file_name="people.csv",
        )

    def person_page(self, user: User) -> Any:
        self.sign_in(user)
        return self.client.get(reverse("people:detail", args=[self.ann.public_id]))

    def test_the_importing_organisations_staff_see_the_phone_and_email_it_wrote(self):
        assert self.report.counts["update"] == 1
        ann = Person.objects.get(pk=self.ann.pk)
        assert (ann.phone_source_organisation, ann.email_source_organisation) == (self.council, self.council)
        assert (ann.phone_source_case, ann.phone_shared_with_everyone) == (None, False)
        response = self.person_page(self.asb_officer)
        self.assertContains(response, PHONE)
        self.assertContains(response, EMAIL)

    def test_an_organisation_that_sees_the_person_but_not_the_import_does_not_see_the_phone(self):
        response = self.person_page(self.support_worker)
        self.assertContains(response, "Ann")
        self.assertNotContains(response, PHONE)
        self.assertNotContains(response, EMAIL)
        assert self.person_page(self.police_officer).status_code == 404

    def test_rolling_back_the_import_restores_the_empty_phone_and_its_empty_source(self):
        services.run_import(self.people_job(person_row("L2", "Bob", "Jones", "05/06/1990")))
        job = self.people_job(person_row("L2", "Bob", "Jones", "05/06/1990", phone=PHONE))
        services.run_import(job)
        bob = Person.objects.get(legacy_id="L2")
        assert (bob.phone, bob.phone_source_organisation) == (PHONE, self.council)
        rollback(actor=self.administrator, job=job)
        bob.refresh_from_db()
        assert (bob.phone, bob.phone_source_organisation) == ("", None)
