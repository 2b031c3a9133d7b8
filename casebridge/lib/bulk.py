"""Writing many rows at once, past the ORM: COPY on PostgreSQL, executemany on SQLite.

The spreadsheet import and the synthetic data generator both write this way; their speed
targets (see bench/) are out of reach row by row through the ORM. Callers own the rows'
correctness: nothing here runs a model's save(), signals or validation.
"""

from collections.abc import Sequence
from typing import Any

from django.db import connection, models


class TableWriter:
    """Inserts tuples into one table, in the column order given.

    ``constants``: columns given the same value in every row (e.g. an empty legacy reference),
    appended after ``fields``.
    """

    def __init__(
        self, model: type[models.Model], fields: Sequence[str], constants: dict[str, Any] | None = None
    ) -> None:
        quote = connection.ops.quote_name
        self.model = model
        self.fields = list(fields)
        self.table = quote(model._meta.db_table)
        self.constants = tuple((constants or {}).values())
        names = [*fields, *(constants or {})]
        self.columns = ", ".join(quote(model._meta.get_field(name).column) for name in names)  # type: ignore[union-attr,arg-type]
        self.width = len(names)

    def insert(self, rows: Sequence[tuple[Any, ...]]) -> None:
        if not rows:
            return
        if self.constants:
            rows = [row + self.constants for row in rows]
        connection.ensure_connection()
        raw = connection.connection
        assert raw is not None
        if connection.vendor == "postgresql":
            with raw.cursor() as cursor, cursor.copy(f"COPY {self.table} ({self.columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join("?" * self.width)
            raw.executemany(f"INSERT INTO {self.table} ({self.columns}) VALUES ({marks})", rows)  # noqa: S608
