"""Planning the next batch while one is written: the same plans, in order, and nothing left running."""

import threading
import time
from collections.abc import Callable, Iterator
from typing import Any, cast
from unittest import mock

import pytest
from django.db import IntegrityError, connection, transaction
from django.test import SimpleTestCase
from django.utils import timezone, translation

from casebridge.cases.models import Case, CaseParty
from casebridge.imports import jobs
from casebridge.imports.ahead import PLANS_IN_HAND, DatabaseUseInPlanningThread, PlansAhead
from casebridge.imports.models import JobStatus
from casebridge.imports.people_matching import Reader, read_now
from casebridge.imports.planning import BatchPlan, Planner
from casebridge.imports.tests.helpers import ImportTestCase, case_row, cases_csv
from casebridge.people.models import Person


def planning_threads() -> list[threading.Thread]:
    return [thread for thread in threading.enumerate() if thread.name == "import-planning"]


class FakePlanner:
    """Plans that record, in one shared journal, when they were made and when their reads ran."""

    def __init__(self, journal: list[str], *, fail_on: int | None = None, query: bool = False) -> None:
        self.journal = journal
        self.fail_on = fail_on
        self.query = query
        self.read: Reader = read_now
        self.thread_names: list[str] = []
        self.zones: list[str] = []
        self.languages: list[str] = []

    def read_through(self, read: Reader) -> None:
        self.read = read

    def plan(self, number: int, rows: list[tuple[int, list[str | None]]]) -> BatchPlan:
        self.thread_names.append(threading.current_thread().name)
        self.zones.append(timezone.get_current_timezone_name())
        self.languages.append(translation.get_language())
        if number == self.fail_on:
            raise ValueError(f"batch {number} cannot be planned")
        if self.query:
            Case.objects.exists()
        self.journal.append(f"planned {number}")
        # As the real planner's reads: last, for the records the batch's rows would update.
        self.read(lambda: self.journal.append(f"read {number}"))
        return BatchPlan(number=number, rows=len(rows))


def wait_for(condition: Callable[[], bool], seconds: float = 10) -> bool:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.001)
    return True


def batches(count: int) -> Iterator[tuple[int, list[tuple[int, list[str | None]]]]]:
    for number in range(1, count + 1):
        yield number, [(number + 1, [str(number)])]


def write_all(planner: FakePlanner, count: int, write: Callable[[BatchPlan], None]) -> list[int]:
    written = []
    with PlansAhead(cast(Planner, planner), batches(count)) as plans:
        for plan in plans:
            write(plan)
            written.append(plan.number)
    return written


class PlansAheadTests(SimpleTestCase):
    def test_plans_come_in_order_and_reads_run_after_the_batch_before_is_written(self) -> None:
        journal: list[str] = []
        planner = FakePlanner(journal)

        def write(plan: BatchPlan) -> None:
            journal.append(f"written {plan.number}")

        assert write_all(planner, 5, write) == [1, 2, 3, 4, 5]
        for number in range(2, 6):
            assert journal.index(f"written {number - 1}") < journal.index(f"read {number}")
        assert set(planner.thread_names) == {"import-planning"}
        assert planning_threads() == []
        assert planner.read is read_now

    def test_the_next_batch_is_planned_while_one_is_written_and_no_further(self) -> None:
        journal: list[str] = []
        planner = FakePlanner(journal)
        in_hand: list[int] = []

        def write(plan: BatchPlan) -> None:
            # While "the database" writes this batch, the next is planned (and, with no room, no more).
            if plan.number < 6:
                assert wait_for(lambda: f"planned {plan.number + 1}" in journal)
            time.sleep(0.02)
            planned = sum(1 for entry in journal if entry.startswith("planned"))
            in_hand.append(planned - plan.number + 1)
            journal.append(f"written {plan.number}")

        write_all(planner, 6, write)
        assert in_hand == [PLANS_IN_HAND] * 5 + [1]

    def test_a_planning_error_is_raised_where_the_batches_are_written(self) -> None:
        journal: list[str] = []
        written: list[int] = []
        with pytest.raises(ValueError, match="batch 3 cannot be planned"):
            write_all(FakePlanner(journal, fail_on=3), 5, lambda plan: written.append(plan.number))
        assert written == [1, 2]
        assert planning_threads() == []

    def test_a_writing_error_stops_the_planning(self) -> None:
        journal: list[str] = []

        def write(plan: BatchPlan) -> None:
            raise RuntimeError("disk full")

        with pytest.raises(RuntimeError, match="disk full"):
            write_all(FakePlanner(journal), 20, write)
        assert planning_threads() == []
        planned = [entry for entry in journal if entry.startswith("planned")]
        assert len(planned) <= PLANS_IN_HAND + 1

    def test_the_planning_thread_works_in_the_writers_time_zone_and_language(self) -> None:
        planner = FakePlanner([])
        with timezone.override("America/New_York"), translation.override("cy"):
            write_all(planner, 2, lambda plan: None)
        assert planner.zones == ["America/New_York"] * 2
        assert planner.languages == ["cy"] * 2


class PlanningThreadDatabaseTests(ImportTestCase):
    def test_a_plan_that_queries_the_database_itself_is_refused(self) -> None:
        # It would read outside the writer's connection and transaction, so before earlier batches committed.
        with pytest.raises(DatabaseUseInPlanningThread):
            write_all(FakePlanner([], query=True), 2, lambda plan: None)
        assert planning_threads() == []

    def test_a_case_named_in_two_batches_gets_its_new_party_once(self) -> None:
        self.imported("cases", cases_csv(case_row("OLD-1")))
        person = {
            "person_1_legacy_id": "P9",
            "person_1_first_name": "Ann",
            "person_1_last_name": "Smith",
            "person_1_role": "victim",
        }
        again = cases_csv(case_row("OLD-1", **person), case_row("OLD-1", **person))
        job = self.job("cases", again)
        with mock.patch.object(jobs, "BATCH_SIZE", 1):
            # Batch 2 must read the case's parties after batch 1 added Ann, or it adds her again.
            report = jobs.run(job)
        case = Case.objects.get(partnership=self.surrey_heath, legacy_ref="OLD-1")
        assert CaseParty.objects.filter(case=case).count() == 1
        assert Person.objects.filter(partnership=self.surrey_heath, legacy_id="P9").count() == 1
        assert (report["update"], report["skip"]) == (1, 1)
        job.refresh_from_db()
        assert job.status == JobStatus.DONE

    def test_an_import_plans_in_the_planning_thread(self) -> None:
        names: list[str] = []
        original = Planner.plan

        def plan(planner: Planner, *args: Any) -> BatchPlan:
            names.append(threading.current_thread().name)
            return original(planner, *args)

        rows = [case_row(f"NEW-{n}") for n in range(3)]
        with mock.patch.object(jobs, "BATCH_SIZE", 1), mock.patch.object(Planner, "plan", plan):
            jobs.run(self.job("cases", cases_csv(*rows)))
        assert names == ["import-planning"] * 3
        assert Case.objects.filter(partnership=self.surrey_heath, legacy_ref__startswith="NEW-").count() == 3


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL defers foreign-key checks to the commit")
class ForeignKeyCheckTests(ImportTestCase):
    def one_case(self) -> bytes:
        return cases_csv(case_row("FK-1"))

    def test_inside_a_batch_a_row_pointing_nowhere_fails_as_it_is_written(self) -> None:
        def dangling_party(writer: jobs.BatchWriter) -> None:
            case = Case.objects.filter(partnership=self.surrey_heath).first()
            assert case is not None
            CaseParty.objects.create(partnership=self.surrey_heath, case=case, person_id=2**31 - 1, role="victim")

        with (
            mock.patch.object(jobs.BatchWriter, "_reviews", dangling_party),
            mock.patch.object(jobs, "_mark_batch_done") as mark_done,
            pytest.raises(IntegrityError),
        ):
            jobs.run(self.job("cases", self.one_case()))
        mark_done.assert_not_called()  # the check came with the statement, before the batch was marked done

    def test_after_a_batch_the_usual_deferral_is_back(self) -> None:
        jobs.run(self.job("cases", self.one_case()))
        case = Case.objects.get(partnership=self.surrey_heath, legacy_ref="FK-1")
        with transaction.atomic():
            # Deferred: accepted until the transaction ends (which it never does: rolled back here).
            CaseParty.objects.create(partnership=self.surrey_heath, case=case, person_id=2**31 - 1, role="victim")
            transaction.set_rollback(True)
