"""Batches made in a second process while this one writes them.

The generator of batches is handed to a forked child as it is (nothing is pickled but the
batches themselves); the child iterates it and passes each batch back through a short queue,
so at most a few batches wait in memory. The child must do no database work: it shares the
parent's open connection, which only the parent may use. Where fork is not available the
batches are simply made here, in turn.
"""

import multiprocessing
import queue
import traceback
from collections.abc import Generator, Iterator
from multiprocessing.queues import Queue
from typing import Any, TypeVar

T = TypeVar("T")
QUEUE_DEPTH = 3
POLL_SECONDS = 1.0


class BackgroundFailed(RuntimeError):
    """The second process raised an error, or stopped without finishing."""


def in_second_process(batches: Iterator[T]) -> Generator[T]:
    """Yields what ``batches`` yields, in order, made in a forked child process."""
    try:
        context = multiprocessing.get_context("fork")
    except ValueError:
        yield from batches
        return
    results: Queue[tuple[str, Any]] = context.Queue(maxsize=QUEUE_DEPTH)
    child = context.Process(target=_produce, args=(batches, results), daemon=True)
    child.start()
    try:
        while True:
            try:
                kind, value = results.get(timeout=POLL_SECONDS)
            except queue.Empty:
                if not child.is_alive():
                    stopped = f"The process making the rows stopped (exit code {child.exitcode})."
                    raise BackgroundFailed(stopped) from None
                continue
            if kind == "done":
                break
            if kind == "error":
                raise BackgroundFailed(f"Making the rows failed in the second process:\n{value}")
            yield value
    finally:
        if child.is_alive():
            child.terminate()
        child.join()


def _produce(batches: Iterator[Any], results: "Queue[tuple[str, Any]]") -> None:
    try:
        for batch in batches:
            results.put(("batch", batch))
    except Exception:  # any failure is reported to the parent, which raises it
        results.put(("error", traceback.format_exc()))
    else:
        results.put(("done", None))
