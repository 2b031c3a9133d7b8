"""Pages of a long list, counted only up to a cap, each page fetched by its keys.

An exact count of a million-row list costs as much as reading it all, on every page, and
nobody pages through more than ten thousand cases: past the cap the list says "more than
10,000" and asks for a filter.

A deep page (OFFSET 5,000) is found in two steps inside one query: the page's keys from the
index alone (skipping index entries is cheap), then only those 25 rows with their joins
(reading 5,000 rows only to throw them away is not).

A list the database must sort whole (the shared list in any order but newest first, found
through the user's grants) is counted in the same pass that finds the page's keys: the sort reads
every row anyway. The shared list newest first is several lists each read in order from an index
(the user's grants of each kind), which the database merges, stopping at the cap (``MergedKeys``).
"""

from collections.abc import Iterable, Sequence
from functools import cached_property
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db import connection, connections
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


def rows_by_key(object_list: QuerySet[Any], keys: Any) -> QuerySet[Any]:
    """A page's rows from its keys, in the list's order and with its joins.

    The query repeats neither the access filter nor the search: the keys came through them.
    """
    rows: QuerySet[Any] = object_list.model._default_manager.filter(pk__in=keys)
    rows = rows.order_by(*object_list.query.order_by)
    rows.query.select_related = object_list.query.select_related
    return rows


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
        return Page(rows_by_key(object_list, keys), number, self)

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


class MergedKeys:
    """The keys of a list made of several queries, each of which an index gives in the list's order.

    Every part selects ``sort_key`` then ``item`` (the listed row's primary key); the list is in
    descending order of both (newest first, the later id first among equals). The database
    merges the parts in order, drops repeats (an item that two parts give has the same sort key in
    both, so its repeats arrive together) and stops at the cap: a page costs at most the rows up to
    the cap, however many the parts hold.
    """

    def __init__(self, parts: Sequence[QuerySet[Any]]) -> None:
        self.parts = list(parts)
        quote = connection.ops.quote_name
        self.item = quote("item")
        self.order = f"{quote('sort_key')} DESC, {self.item} DESC"

    def window(self, *, offset: int, size: int, tail: int, cap: int) -> tuple[dict[int, Any], int]:
        """Of the first ``cap`` items: the ``size`` after ``offset`` and the last ``tail`` (the last
        page, for a page number past the end), by position from 1, and how many there are."""
        if not self.parts:
            return {}, 0
        tail = max(tail, 1)  # the last item at least, whose row carries the count
        capped, params = self._capped(cap)
        numbered = (
            f"SELECT {self.item}, ROW_NUMBER() OVER (ORDER BY {self.order}) AS position,"  # noqa: S608
            f" COUNT(*) OVER () AS listed FROM ({capped}) capped"
        )
        sql = (
            f"SELECT position, {self.item}, listed FROM ({numbered}) numbered"  # noqa: S608
            " WHERE (position > %s AND position <= %s) OR position > listed - %s"
        )
        found = self._fetch(sql, [*params, offset, offset + size, tail])
        return {position: item for position, item, _ in found}, found[0][2] if found else 0

    def count(self, *, cap: int) -> int:
        if not self.parts:
            return 0
        capped, params = self._capped(cap)
        return int(self._fetch(f"SELECT COUNT(*) FROM ({capped}) capped", params)[0][0])  # noqa: S608

    def _capped(self, cap: int) -> tuple[str, list[Any]]:
        """The first ``cap`` items, each once, in order."""
        sort = ("-sort_key", "-item")
        if connection.vendor == "postgresql":
            # Each part sorted on its own (from its index), so that the planner merges them in order;
            # an item is dropped where it follows itself, as the rows pass (a DISTINCT would tempt
            # the planner to gather and hash every part's rows first).
            statements, params = self._compile(part.order_by(*sort) for part in self.parts)
            merged = " UNION ALL ".join(f"({statement})" for statement in statements)
            follows = f"LAG({self.item}) OVER (ORDER BY {self.order})"
            sql = (
                f"SELECT * FROM (SELECT *, {follows} AS previous FROM ({merged}) merged) windowed"  # noqa: S608
                f" WHERE previous IS DISTINCT FROM {self.item} ORDER BY {self.order} LIMIT %s"
            )
        elif len(self.parts) == 1:
            # One part alone has no UNION to drop its repeats (a case shared twice with the same user).
            statements, params = self._compile([self.parts[0].distinct().order_by(*sort)])
            sql = f"{statements[0]} LIMIT %s"
        else:
            # SQLite merges the parts of a compound SELECT that has an ORDER BY, dropping repeats.
            statements, params = self._compile(self.parts)
            sql = f"{' UNION '.join(statements)} ORDER BY 1 DESC, 2 DESC LIMIT %s"
        return sql, [*params, cap]

    @staticmethod
    def _compile(parts: Iterable[QuerySet[Any]]) -> tuple[list[str], list[Any]]:
        statements: list[str] = []
        params: list[Any] = []
        for part in parts:
            sql, part_params = part.query.get_compiler(using=part.db).as_sql()
            statements.append(sql)
            params.extend(part_params)
        return statements, params

    @staticmethod
    def _fetch(sql: str, params: list[Any]) -> list[Any]:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows: list[Any] = cursor.fetchall()
            return rows


class MergedKeysPaginator(CappedPaginator):
    """A list whose keys come from ``MergedKeys`` (the shared list, newest first). Any page number,
    even one past the end, costs two queries: the page's keys with the capped count (and the last
    page's keys, in case the number is past the end), then the page's rows by key."""

    def __init__(self, object_list: Any, per_page: int, *, keys: MergedKeys, **options: Any) -> None:
        super().__init__(object_list, per_page, **options)
        self.keys = keys

    @cached_property
    def count(self) -> int:
        return self.keys.count(cap=self.cap + 1)

    def get_page(self, number: Any) -> Page[Any]:
        """As Django's: page 1 for a number that is not one, the last page for one out of range."""
        try:
            return self._page(self._integer(number), or_last=True)
        except PageNotAnInteger:
            return self._page(1, or_last=True)

    def page(self, number: Any) -> Page[Any]:
        return self._page(self._integer(number), or_last=False)

    def _integer(self, number: Any) -> int:
        # Django's parsing, without its first step: counting.
        try:
            if isinstance(number, float) and not number.is_integer():
                raise ValueError
            return int(number)
        except (TypeError, ValueError) as error:
            raise PageNotAnInteger(self.error_messages["invalid_page"]) from error

    def _page(self, number: int, *, or_last: bool) -> Page[Any]:
        found, counted = self.keys.window(
            offset=(max(number, 1) - 1) * self.per_page,
            size=self.per_page + self.orphans,
            tail=self.per_page + self.orphans,
            cap=self.cap + 1,
        )
        self.count = counted  # type: ignore[misc]
        try:
            number = self.validate_number(number)
        except EmptyPage:
            if not or_last:
                raise
            number = self.num_pages
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count and not self.is_capped:
            top = self.count
        keys = [found[position] for position in range(bottom + 1, min(top, self.count) + 1)]
        object_list: Any = self.object_list
        return Page(rows_by_key(object_list, keys), number, self)
