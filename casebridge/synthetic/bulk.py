"""Tools for making millions of rows: next ids and fast random choices (lib/bulk.py writes them)."""

import bisect
import itertools
import random
from collections.abc import Sequence
from typing import Any

from django.db import models


def next_id(model: type[models.Model]) -> int:
    return int(model._default_manager.aggregate(top=models.Max("pk"))["top"] or 0) + 1


def weighted(rng: random.Random, weights: dict[Any, int], k: int) -> list[Any]:
    return rng.choices(list(weights), weights=list(weights.values()), k=k)


class Picker:
    """A weighted choice with the cumulative weights worked out once (it runs millions of times)."""

    def __init__(self, rng: random.Random, weights: dict[Any, int]) -> None:
        self.rng = rng
        self.values = list(weights)
        self.cumulative = list(itertools.accumulate(weights.values()))
        self.total = self.cumulative[-1]
        self.random = rng.random

    def __call__(self) -> Any:
        return self.values[bisect.bisect_right(self.cumulative, self.random() * self.total)]


class FastRandom:
    """Choices by plain arithmetic on random(): the general-purpose choice/randint/randrange are several
    times slower, and these run millions of times.

    They are closures over ``rng.random`` rather than methods, which would look it up on every call.
    """

    def __init__(self, rng: random.Random) -> None:
        rand = rng.random

        def pick(values: Sequence[Any]) -> Any:
            return values[int(rand() * len(values))]

        def randint(low: int, high: int) -> int:
            return low + int(rand() * (high - low + 1))

        def below(n: int) -> int:
            return int(rand() * n)

        self.rand, self.pick, self.randint, self.below = rand, pick, randint, below
