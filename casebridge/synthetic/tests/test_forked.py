import multiprocessing
import os
from collections.abc import Iterator

import pytest

from casebridge.synthetic.forked import BackgroundFailed, in_second_process


def numbered(count: int) -> Iterator[tuple[int, int]]:
    for n in range(count):
        yield n, os.getpid()


def failing() -> Iterator[int]:
    yield 1
    raise ValueError("no more rows")


def test_batches_arrive_in_order_made_by_another_process():
    made = list(in_second_process(numbered(20)))
    assert [n for n, _ in made] == list(range(20))
    assert {pid for _, pid in made} != {os.getpid()}


def test_an_error_in_the_second_process_is_raised_here_with_its_traceback():
    made = in_second_process(failing())
    assert next(made) == 1
    with pytest.raises(BackgroundFailed, match="no more rows"):
        next(made)


def test_stopping_early_stops_the_second_process():
    made = in_second_process(numbered(1_000))
    assert next(made)[0] == 0
    assert multiprocessing.active_children()
    made.close()
    assert multiprocessing.active_children() == []
