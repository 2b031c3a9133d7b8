"""Secondary indexes dropped before a bulk load and built again after it, in the same transaction.

Building an index once over sorted rows is several times faster than keeping it up to date row
by row, most of all for random keys such as UUIDs. Primary keys stay (the load relies on them),
and so does any unique constraint another table's foreign key points at. If the load fails, the
transaction rolls back and the indexes come back with it (DDL is transactional on both databases).
"""

from collections.abc import Iterable

from django.db import connection, models

POSTGRES_INDEXES = """
SELECT i.relname, pg_get_indexdef(x.indexrelid), c.conname, pg_get_constraintdef(c.oid)
FROM pg_index x
JOIN pg_class i ON i.oid = x.indexrelid
LEFT JOIN pg_constraint c ON c.conindid = x.indexrelid AND c.conrelid = x.indrelid AND c.contype IN ('u', 'x')
WHERE x.indrelid = %s::regclass
  AND NOT x.indisprimary
  AND NOT EXISTS (SELECT 1 FROM pg_constraint f WHERE f.contype = 'f' AND f.conindid = x.indexrelid)
  AND (c.oid IS NOT NULL OR NOT EXISTS (SELECT 1 FROM pg_constraint o WHERE o.conindid = x.indexrelid))
ORDER BY i.relname
"""


def drop_secondary_indexes(tables: Iterable[type[models.Model]]) -> list[str]:
    """Drops the droppable indexes of these tables; returns the statements that rebuild them."""
    quote = connection.ops.quote_name
    rebuild: list[str] = []
    with connection.cursor() as cursor:
        for model in tables:
            table = model._meta.db_table
            if connection.vendor == "postgresql":
                cursor.execute(POSTGRES_INDEXES, [quote(table)])
                for index, index_sql, constraint, constraint_sql in cursor.fetchall():
                    if constraint:
                        alter = f"ALTER TABLE {quote(table)}"
                        cursor.execute(f"{alter} DROP CONSTRAINT {quote(constraint)}")
                        rebuild.append(f"{alter} ADD CONSTRAINT {quote(constraint)} {constraint_sql}")
                    else:
                        cursor.execute(f"DROP INDEX {quote(index)}")
                        rebuild.append(index_sql)
            elif connection.vendor == "sqlite":
                # Indexes SQLite made itself for UNIQUE columns have no SQL and cannot be dropped.
                cursor.execute(
                    "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s AND sql IS NOT NULL"
                    " ORDER BY name",
                    [table],
                )
                for index, index_sql in cursor.fetchall():
                    cursor.execute(f"DROP INDEX {quote(index)}")
                    rebuild.append(index_sql)
    return rebuild


def rebuild_indexes(statements: list[str]) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Room to sort in memory while building; only for this transaction.
            cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        for sql in statements:
            cursor.execute(sql)
