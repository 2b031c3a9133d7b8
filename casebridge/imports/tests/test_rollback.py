"""Rolling back a whole import: allowed while nothing else touched its records, refused otherwise."""

import pytest
from django.core.exceptions import PermissionDenied

from casebridge.audit.models import Action, AuditEvent
from casebridge.audit.services import audit_record
from casebridge.cases.models import Case, CaseParty, Note
from casebridge.imports import services
from casebridge.imports.models import ImportedRecord, JobStatus
from casebridge.imports.tests.helpers import (
    ImportTestCase,
    ann_smith,
    case_row,
    cases_csv,
    party,
    people_csv,
    person_row,
)
from casebridge.matching.models import DuplicateCandidate
from casebridge.people.models import Location, Person, PersonAddress, PersonIdentifier


class RollbackTests(ImportTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.before = Person.objects.create(
            partnership=self.surrey_heath, first_name="Old", last_name="Timer", created_by_organisation=self.council
        )
        people = people_csv(
            ann_smith(
                address_line_1="1 Road",
                postcode="GU15 3HD",
                pnc_id="98/123456X",
            ),
            person_row("L2", "Bob", "Jones", "05/06/1990"),
        )
        self.people_job = self.imported("people", people).job
        cases = cases_csv(
            case_row(
                "C1",
                **party(1, "victim", legacy_id="L1"),
                **party(2, "perpetrator", legacy_id="N1", first="Ned", last="New"),
            ),
            case_row("C2", person_1_legacy_id="L2", person_1_role="witness"),
        )
        self.cases_job = self.imported("cases", cases).job

    def test_rollback_removes_everything_the_import_created(self) -> None:
        assert services.rollback_blockers(self.cases_job) == []
        services.rollback(actor=self.administrator, job=self.cases_job)
        assert Case.objects.count() == 0
        assert CaseParty.objects.count() == 0
        assert sorted(Person.objects.values_list("legacy_id", flat=True)) == ["", "L1", "L2"]
        self.cases_job.refresh_from_db()
        assert self.cases_job.status == JobStatus.ROLLED_BACK
        assert self.cases_job.rolled_back_by == self.administrator
        event = AuditEvent.objects.filter(object_type="importjob", data__status="rolled_back").get()
        assert event.actor == self.administrator
        assert event.data["deleted"]["cases.case"] == 2
        assert len(event.data["deleted_records"]["case"]) == 2

        services.rollback(actor=self.administrator, job=self.people_job)
        assert list(Person.objects.all()) == [self.before]
        assert PersonAddress.objects.count() == PersonIdentifier.objects.count() == Location.objects.count() == 0

    def test_rollback_restores_what_the_import_changed(self) -> None:
        job = self.imported("people", people_csv(person_row("L1", "Anne", "Smith"))).job
        ann = Person.objects.get(legacy_id="L1")
        assert (ann.first_name, ann.version) == ("Anne", 2)
        services.rollback(actor=self.administrator, job=job)
        ann.refresh_from_db()
        assert (ann.first_name, ann.first_name_key, ann.version) == ("Ann", "AN", 3)

    def test_only_an_administrator_may_roll_back(self) -> None:
        for user in (self.coordinator, self.asb_officer, self.other_partnership_user):
            with self.subTest(user.email), pytest.raises(PermissionDenied):
                services.rollback(actor=user, job=self.cases_job)
        assert Case.objects.count() == 2

    def test_refused_when_a_record_was_changed_afterwards(self) -> None:
        case = Case.objects.get(legacy_ref="C1")
        case.summary = "Edited by a caseworker"
        case.save(update_fields=["summary", "updated_at"])
        self.assert_refused(self.cases_job, "1 imported record was changed after the import.")

    def test_refused_when_something_was_added_to_an_imported_record(self) -> None:
        Note.objects.create(
            partnership=self.surrey_heath,
            case=Case.objects.get(legacy_ref="C1"),
            created_by=self.asb_officer,
            text="Hi",
        )
        self.assert_refused(self.cases_job, "1 record was added to the imported records by someone else")

    def test_refused_when_an_imported_person_was_added_to_another_case(self) -> None:
        other = Case.objects.get(legacy_ref="C2")
        ned = Person.objects.get(legacy_id="N1")
        CaseParty.objects.create(partnership=self.surrey_heath, case=other, person=ned, role="associate")
        self.assert_refused(self.cases_job, "added to the imported records by someone else")
        self.assert_refused(self.people_job, "added to the imported records by someone else")

    def test_refused_when_an_imported_record_was_viewed(self) -> None:
        audit_record(
            actor=self.asb_officer,
            action=Action.VIEWED,
            partnership_id=self.surrey_heath.pk,
            obj=Person.objects.get(legacy_id="N1"),
        )
        with self.assertRaisesMessage(
            services.RollbackRefused,
            "The imported records were viewed or acted on after the import (1 audit event).",
        ):
            services.rollback(actor=self.administrator, job=self.cases_job)

    def test_refused_when_a_later_import_changed_its_records(self) -> None:
        self.imported("people", people_csv(person_row("L2", "Robert", "Jones")))
        self.assert_refused(self.people_job, "changed after the import")

    def test_refused_for_an_import_that_has_not_run(self) -> None:
        job = self.job("people", people_csv(person_row("L9", "Zed", "Zee")))
        self.assert_refused(job, "Only a finished (or failed) import can be rolled back.")

    def test_queued_duplicates_go_with_the_rollback(self) -> None:
        person = Person.objects.get(legacy_id="N1")
        DuplicateCandidate.objects.create(
            partnership=self.surrey_heath, person_a=self.before, person_b=person, score=0.6, band="possible"
        )
        services.rollback(actor=self.administrator, job=self.cases_job)
        assert DuplicateCandidate.objects.count() == 0

    def test_a_batch_lists_what_it_created_in_one_record_per_model(self) -> None:
        records = ImportedRecord.objects.filter(job=self.cases_job, created=True)
        assert sorted(records.values_list("model", flat=True)) == ["cases.case", "cases.caseparty", "people.person"]
        cases = records.get(model="cases.case")
        assert sorted(cases.pks) == sorted(Case.objects.values_list("pk", flat=True))
        assert cases.object_pk == cases.pks[0]
        assert records.get(model="people.person").pks == [Person.objects.get(legacy_id="N1").pk]
        assert len(records.get(model="cases.caseparty").pks) == CaseParty.objects.count() == 3

    def test_an_import_recorded_a_row_at_a_time_still_rolls_back(self) -> None:
        """Imports written before a batch listed its rows in one record kept one record per row."""
        for record in ImportedRecord.objects.filter(job=self.cases_job, created=True):
            for pk in record.pks:
                ImportedRecord.objects.create(
                    job=self.cases_job, batch=record.batch, model=record.model, object_pk=pk, created=True
                )
            record.delete()
        assert not ImportedRecord.objects.filter(job=self.cases_job, object_pks__isnull=False).exists()
        assert services.rollback_blockers(self.cases_job) == []
        services.rollback(actor=self.administrator, job=self.cases_job)
        assert Case.objects.count() == CaseParty.objects.count() == 0
        assert sorted(Person.objects.values_list("legacy_id", flat=True)) == ["", "L1", "L2"]

    def assert_refused(self, job: object, message: str) -> None:
        counts = (Case.objects.count(), Person.objects.count(), CaseParty.objects.count())
        with self.assertRaisesMessage(services.RollbackRefused, message):
            services.rollback(actor=self.administrator, job=job)  # type: ignore[arg-type]
        assert (Case.objects.count(), Person.objects.count(), CaseParty.objects.count()) == counts
