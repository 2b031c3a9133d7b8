"""A worker killed in the middle of an import, then resumed: nothing duplicated, nothing missing."""

from collections.abc import Iterator
from contextlib import contextmanager
from unittest import mock

import pytest

from casebridge.audit.models import AuditEvent
from casebridge.cases.models import Case, CaseParty
from casebridge.imports import jobs, services
from casebridge.imports.models import ImportBatch, ImportedRecord, ImportJob, JobStatus
from casebridge.imports.planning import BatchPlan
from casebridge.imports.tests.helpers import ImportTestCase, case_row, cases_csv, party
from casebridge.people.models import Person


class WorkerKilled(BaseException):
    """Stands for the worker process dying: not an Exception, so nothing catches it on the way out."""


def cases_file(count: int) -> bytes:
    rows = []
    for n in range(count):
        rows.append(
            case_row(
                f"C{n}",
                # Every third case shares its victim with the case before: people repeat across batches.
                **party(1, "victim", legacy_id=f"P{n - n % 3}", first="Ann", last=f"Smith{n - n % 3}"),
                **party(2, "perpetrator", first="Bob", last=f"Jones{n}", dob="05/06/1990"),
            )
        )
    rows[7]["case_type"] = ""
    return cases_csv(*rows)


@contextmanager
def batches_of_four_failing_at(number: int, error: BaseException) -> Iterator[None]:
    """Runs imports in batches of four and raises the error as batch `number` is about to be marked done."""
    original = jobs._mark_batch_done

    def mark_batch_done(job: ImportJob, batch: ImportBatch, plan: BatchPlan) -> None:
        if batch.number == number:
            raise error
        original(job, batch, plan)

    with (
        mock.patch.object(jobs, "BATCH_SIZE", 4),
        mock.patch.object(jobs, "_mark_batch_done", mark_batch_done),
        pytest.raises(type(error)),
    ):
        yield


class ResumeTests(ImportTestCase):
    def test_worker_killed_mid_import_then_resumed(self) -> None:
        uninterrupted = self.job("cases", cases_file(20))
        with mock.patch.object(jobs, "BATCH_SIZE", 4):
            expected = services.run_dry_run(uninterrupted)

        job = self.job("cases", cases_file(20))
        with batches_of_four_failing_at(3, WorkerKilled()):
            services.run_import(job)
        job.refresh_from_db()
        assert job.status == JobStatus.RUNNING
        assert job.rows_done == 8
        assert list(job.batches.values_list("number", "done")) == [
            (1, True),
            (2, True),
            (3, False),
            (4, False),
            (5, False),
        ]
        # Batch 3 was written in one transaction with its done flag, so none of it is there.
        assert Case.objects.count() == 7
        assert not ImportedRecord.objects.filter(job=job, batch=3).exists()

        with mock.patch.object(jobs, "BATCH_SIZE", 4):
            report = services.run_import(job)
        assert job.status == JobStatus.DONE
        assert report.counts == expected.counts
        assert [(p.row, p.reason) for p in report.problems] == [(p.row, p.reason) for p in expected.problems]
        assert Case.objects.count() == 19
        assert sorted(Case.objects.values_list("legacy_ref", flat=True)) == sorted(f"C{n}" for n in range(20) if n != 7)
        # 7 victims (P0, P3 ... P18) and 19 perpetrators, each once.
        assert Person.objects.count() == 7 + 19
        assert Person.objects.values("legacy_id").exclude(legacy_id="").distinct().count() == 7
        assert CaseParty.objects.count() == 38
        references = list(Case.objects.values_list("reference", flat=True))
        assert len(set(references)) == 19
        batch_events = AuditEvent.objects.filter(object_type="importbatch", data__import=str(job.public_id))
        assert sorted(event.data["batch"] for event in batch_events) == [1, 2, 3, 4, 5]

    def test_a_failure_is_recorded_and_the_import_can_be_queued_again(self) -> None:
        job = self.job("cases", cases_file(8))
        with batches_of_four_failing_at(2, RuntimeError("disk full")):
            services.run_import(job)
        state = services.progress(job)
        assert (state.status, state.rows_done, state.failure) == ("failed", 4, "RuntimeError: disk full")
        with mock.patch.object(jobs, "BATCH_SIZE", 4), self.captureOnCommitCallbacks(execute=True):
            services.enqueue_import(job)
        assert services.progress(job).status == "done"
        assert Case.objects.count() == 7
