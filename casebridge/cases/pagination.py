"""Pages of a long list, counted only up to a cap, each page fetched by its keys.

An exact count of a million-row list costs as much as reading it all, on every page, and
nobody pages through more than ten thousand cases: past the cap the list says "more than
10,000" and asks for a filter.

A deep page (OFFSET 5,000) is found in two steps inside one query: the page's keys from the
index alone (skipping index entries is cheap), then only those 25 rows with their joins
(reading 5,000 rows only to throw them away is not).

A list the database must sort whole (the shared list, found through the user's grants) is
counted in the same pass that finds the page's keys: the sort reads every row anyway.
"""

from functools import cached_property
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.core.paginator import Page, Paginator
from django.db import connections
from django.db.models import Count, QuerySet, Window

COUNT_CAP = 10_000
# How far down an index-ordered list pages are still read in one step.
SHALLOW = 250


def capped_count(queryset: QuerySet[Any], limit: int) -> int:
    """The number of rows, counting no further than ``limit``.

    Without the ordering and the joined columns, the database stops after ``limit`` keys. The
    count is written around the compiled keys query: ``QuerySet.count()`` on a slice builds an
    aggregation over a subquery, which takes Django longer than SQLite takes to run it.
    """
    keys = queryset.order_by().values_list("pk")[:limit]
    try:
        sql, params = keys.query.get_compiler(using=keys.db).as_sql()
    except EmptyResultSet:
        return 0
    with connections[keys.db].cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM ({sql}) AS capped", params)  # noqa: S608 (compiled by the ORM)
        row = cursor.fetchone()
    return int(row[0])


class CappedPaginator(Paginator[Any]):
    """``index_ordered``: the database can read the list in order from an index and stop after the
    page (a lead organisation's cases, newest first). Its first pages are then read in one step;
    otherwise (the shared list, a sort by risk) every page is found by its keys first, so that only
    narrow keys are sorted, never the joined rows.
    """

    cap = COUNT_CAP

    def __init__(self, object_list: Any, per_page: int, *, index_ordered: bool = False, **options: Any) -> None:
        super().__init__(object_list, per_page, **options)
        self.index_ordered = index_ordered

    @cached_property
    def count(self) -> int:
        """The number of items, or ``cap + 1`` when there are more than ``cap``."""
        object_list: Any = self.object_list
        if isinstance(object_list, QuerySet):
            return capped_count(object_list, self.cap + 1)
        return min(len(object_list), self.cap + 1)

    @property
    def is_capped(self) -> bool:
        return self.count > self.cap

    def page(self, number: Any) -> Page[Any]:
        object_list: Any = self.object_list
        if not isinstance(object_list, QuerySet):
            return super().page(number)
        counted_keys = None
        if not self.index_ordered and "count" not in self.__dict__:
            counted_keys = self._keys_and_count(object_list, number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count and not self.is_capped:
            top = self.count
        if self.index_ordered and bottom < SHALLOW:
            # Near the top of an index-ordered list, the rows to skip cost less than a second step.
            return Page(object_list[bottom:top], number, self)
        keys = counted_keys[: top - bottom] if counted_keys is not None else object_list.values("pk")[bottom:top]
        # The outer query repeats neither the access filter nor the search: the keys came through them.
        rows = object_list.model._default_manager.filter(pk__in=keys).order_by(*object_list.query.order_by)
        rows.query.select_related = object_list.query.select_related
        return Page(rows, number, self)

    def _keys_and_count(self, object_list: QuerySet[Any], number: Any) -> list[Any] | None:
        """The keys of page ``number`` and, in the same query, the count (capped as usual).

        None for a page with no rows (a number past the end, or not a number): the usual capped
        count then lets Django's paginator say which page is the last.
        """
        try:
            bottom = (max(int(number), 1) - 1) * self.per_page
        except (TypeError, ValueError):
            return None
        keyed = object_list.annotate(listed=Window(Count("pk"))).values_list("pk", "listed")
        found = list(keyed[bottom : bottom + self.per_page + self.orphans])
        if not found:
            return None
        self.count = min(found[0][1], self.cap + 1)  # type: ignore[misc]
        return [pk for pk, _ in found]
