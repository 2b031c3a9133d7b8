"""Dry run against import, the background job and its progress, the report and the audit."""

from unittest import mock

from casebridge.audit.models import AuditEvent
from casebridge.cases.models import Case
from casebridge.imports import jobs, services
from casebridge.imports.models import ImportBatch, ImportJob, JobStatus
from casebridge.imports.tests.helpers import (
    ImportTestCase,
    ann_smith,
    case_row,
    cases_csv,
    csv_bytes,
    party,
    people_csv,
    person_row,
)
from casebridge.people.models import Person


def mixed_people() -> bytes:
    return people_csv(
        ann_smith(),
        person_row("L2", "", "Jones"),
        person_row("L3", "Cy", "Brown", "31/02/1980", postcode="=HYPERLINK(1)"),
        ann_smith(),
        person_row("L4", "Dee", "Green", "01/01/2090"),
    )


def problem_list(report: services.Report) -> list[tuple[int, str, str, str, str]]:
    return [(p.row, p.column, p.value, p.severity, p.reason) for p in report.problems]


class DryRunTests(ImportTestCase):
    def test_dry_run_writes_nothing_and_reports_what_the_import_then_does(self) -> None:
        job = self.job("people", mixed_people())
        dry = services.run_dry_run(job)
        assert dry.dry_run
        assert Person.objects.count() == 0
        assert job.status == JobStatus.VALIDATED
        assert dry.counts == dry.counts | {"create": 3, "skip": 1, "error": 1}
        real = services.run_import(job)
        assert not real.dry_run
        assert real.counts == dry.counts
        assert problem_list(real) == problem_list(dry)
        assert Person.objects.count() == 3
        assert job.status == JobStatus.DONE

    def test_dry_run_of_cases_counts_the_people_it_would_create(self) -> None:
        self.imported("people", people_csv(ann_smith()))
        data = cases_csv(
            case_row(
                "C1",
                **party(1, "victim", legacy_id="L1"),
                **party(2, "perpetrator", legacy_id="N1", first="Ned", last="New"),
            ),
            case_row("C2", person_1_legacy_id="N1", person_1_role="witness"),
        )
        job = self.job("cases", data)
        dry = services.run_dry_run(job)
        assert (dry.counts["create"], dry.counts["people_created"]) == (2, 1)
        assert Case.objects.count() == 0
        assert services.run_import(job).counts == dry.counts

    def test_an_unmapped_required_field_stops_the_run(self) -> None:
        job = self.job("people", csv_bytes(["legacy_id", "first_name"], [{"legacy_id": "L1", "first_name": "Ann"}]))
        with self.assertRaisesMessage(
            services.MappingIncomplete, "Choose a column for each required field: Last name."
        ):
            services.run_dry_run(job)
        assert services.missing_fields(job) == ["last_name"]

    def test_the_mapping_can_be_changed_before_the_import(self) -> None:
        data = csv_bytes(["Ref", "Given", "Family"], [{"Ref": "L1", "Given": "Ann", "Family": "Smith"}])
        job = self.job("people", data)
        assert job.column_mapping == {"Ref": "legacy_id", "Given": "", "Family": ""}
        job = services.job_set_mapping(
            actor=self.administrator,
            job=job,
            column_mapping={"Ref": "legacy_id", "Given": "first_name", "Family": "last_name"},
        )
        assert services.run_import(job).counts["create"] == 1


class ReportTests(ImportTestCase):
    def test_report_csv_lists_every_problem_with_formulas_neutralised(self) -> None:
        job = self.job("people", mixed_people())
        services.run_dry_run(job)
        text = services.report_csv(job).decode("utf-8-sig")
        lines = text.splitlines()
        assert lines[0] == "row,column,value,severity,reason"
        assert lines[1] == "3,first_name,,error,First name is missing."
        assert any(line.startswith("4,postcode,'=HYPERLINK(1),warning,") for line in lines)
        assert len(lines) == 1 + len(services.report(job).problems)


class BackgroundTests(ImportTestCase):
    def test_enqueued_import_runs_after_commit_and_reports_progress(self) -> None:
        job = self.job("people", mixed_people())
        with self.captureOnCommitCallbacks(execute=True):
            services.enqueue_import(job)
        state = services.progress(job)
        assert (state.status, state.rows_total, state.rows_done, state.percent) == ("done", 5, 5, 100)
        assert state.finished
        job.refresh_from_db()
        assert job.task_id
        assert Person.objects.count() == 3

    def test_progress_moves_batch_by_batch(self) -> None:
        seen: list[tuple[int, int]] = []
        original = jobs._mark_batch_done

        def spy(job: ImportJob, batch: ImportBatch, plan: object) -> None:
            original(job, batch, plan)  # type: ignore[arg-type]
            state = services.progress(job)
            seen.append((state.rows_done, state.percent))

        with mock.patch.object(jobs, "BATCH_SIZE", 2), mock.patch.object(jobs, "_mark_batch_done", spy):
            services.run_import(self.job("people", mixed_people()))
        assert seen == [(2, 40), (4, 80), (5, 100)]


class AuditTests(ImportTestCase):
    def test_upload_batches_changes_and_the_end_are_audited(self) -> None:
        self.imported("people", people_csv(ann_smith()))
        job = self.job("people", people_csv(person_row("L1", "Anne", "Smith"), person_row("L2", "Bo", "Li")))
        services.run_import(job)
        events = AuditEvent.objects.filter(data__import=str(job.public_id)).order_by("id")
        assert [(e.action, e.object_type) for e in events] == [
            ("created", "importjob"),
            ("changed", "person"),
            ("created", "importbatch"),
            ("changed", "importjob"),
        ]
        upload, change, batch, end = events
        assert upload.actor == self.administrator
        assert upload.data["file_name"] == "file.csv"
        assert upload.data["sha256"] == job.file_sha256
        assert change.changes == [{"field": "first_name", "from": "Ann", "to": "Anne"}]
        assert batch.data["created"] == {"person": [str(Person.objects.get(legacy_id="L2").public_id)]}
        assert end.data["counts"]["create"] == 1
        assert end.data["counts"]["update"] == 1
        assert end.data["sha256"] == job.file_sha256


class WizardAuditTests(ImportTestCase):
    def test_mapping_changes_starts_and_report_downloads_are_audited(self) -> None:
        job = self.job("people", mixed_people())
        services.job_set_mapping(actor=self.administrator, job=job, date_order="mdy")
        with self.captureOnCommitCallbacks(execute=True):
            services.enqueue_dry_run(job, actor=self.administrator)
        assert services.progress(job).status == JobStatus.VALIDATED
        assert (job.rows_total, job.rows_done) == (5, 5)
        services.report_csv(job, actor=self.administrator)
        events = AuditEvent.objects.filter(object_type="importjob", data__import=str(job.public_id)).order_by("id")
        assert [(e.action, e.data.get("started") or e.data.get("date_order") or e.data.get("report")) for e in events][
            1:
        ] == [("changed", "mdy"), ("changed", "dry_run"), ("downloaded", "problems.csv")]
