"""Planning the next batch of an import while the database writes this one.

Writing a batch is mostly the database's work: on PostgreSQL, index updates and the
foreign-key checks at commit, done by the server in its own process; on SQLite, C code
that lets go of the interpreter while it runs. Planning a batch (checking its rows and
matching its people) is the importing process's own work. Done in turn, each waits for the
other; here a second thread plans batch N + 1 while batch N is written.

The plans are exactly those of planning and writing in turn:

- batches are planned in file order by one thread, so people and references are matched as before;
- the planning thread never touches the database. The few reads a plan needs (the current
  values of records a row would update) are sent to the writing thread, which runs them on
  its own connection, inside its transaction (a test's, too), after it has written the batch
  before; the reads therefore see everything earlier batches wrote;
- at most one plan waits while a batch is written, so memory holds two batches at most.

An error on either side stops both: a planning error is raised in the writing thread, and a
writing error leaves the planning thread to finish without planning any further.
"""

import queue
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from types import TracebackType
from typing import Any

from django.db import connection
from django.utils import timezone, translation

from casebridge.imports.people_matching import read_now
from casebridge.imports.planning import BatchPlan, Planner

Rows = list[tuple[int, list[str | None]]]
# Plans made and not yet written: the one being written and the one planned meanwhile.
PLANS_IN_HAND = 2


class PlanningStopped(Exception):
    """The writing thread stopped: the planning thread must not go on."""


class DatabaseUseInPlanningThread(RuntimeError):
    """A plan queried the database itself, outside the writing thread's connection and transaction."""


def _refuse_query(*_args: Any) -> Any:
    raise DatabaseUseInPlanningThread(
        "The planning thread may not query the database: send the read through the planner's ``read``."
    )


class PlansAhead:
    """``with PlansAhead(planner, batches) as plans: for plan in plans: write(plan)``.

    Each plan must be written before the next is asked for: the planning thread's reads for
    the next batch are answered only then.
    """

    def __init__(self, planner: Planner, batches: Iterator[tuple[int, Rows]]) -> None:
        self.planner = planner
        self.batches = batches
        self.inbox: queue.SimpleQueue[tuple[str, Any]] = queue.SimpleQueue()
        self.room = threading.Semaphore(PLANS_IN_HAND)
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._plan_all, name="import-planning", daemon=True)
        self.language = translation.get_language()
        self.zone = timezone.get_current_timezone()

    def __enter__(self) -> Iterator[BatchPlan]:
        self.planner.read_through(self._read_in_writing_thread)
        self.thread.start()
        return self._plans()

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.stopping.set()
        self.room.release()  # a planning thread waiting for room wakes, sees the stop and ends
        while self.thread.is_alive():
            try:
                message, item = self.inbox.get(timeout=0.05)
            except queue.Empty:
                continue
            if message == "read":
                item[1].set_exception(PlanningStopped())
        self.thread.join()
        self.planner.read_through(read_now)

    # -- the writing thread ------------------------------------------------------------

    def _plans(self) -> Iterator[BatchPlan]:
        while True:
            message, item = self.inbox.get()
            if message == "plan":
                yield item
                self.room.release()
            elif message == "read":
                query, answer = item
                try:
                    answer.set_result(query())
                except BaseException as error:  # the planning thread raises it, and sends it back here
                    answer.set_exception(error)
            elif message == "error":
                raise item
            else:
                return

    # -- the planning thread -----------------------------------------------------------

    def _read_in_writing_thread(self, query: Callable[[], Any]) -> Any:
        answer: Future[Any] = Future()
        self.inbox.put(("read", (query, answer)))
        return answer.result()

    def _plan_all(self) -> None:
        try:
            with (
                translation.override(self.language),
                timezone.override(self.zone),
                connection.execute_wrapper(_refuse_query),
            ):
                for number, rows in self.batches:
                    self.room.acquire()
                    if self.stopping.is_set():
                        return
                    self.inbox.put(("plan", self.planner.plan(number, rows)))
            self.inbox.put(("end", None))
        except PlanningStopped:
            return
        except BaseException as error:
            self.inbox.put(("error", error))
        finally:
            # Only a refused query opens a connection in this thread; it must not outlive it.
            connection.close()
