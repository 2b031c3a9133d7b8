"""SQLite migrations that rebuild a table keep the database's triggers.

To alter a column, Django's SQLite backend copies the table into a new one, drops the old and
renames the new. Dropping a table drops its triggers, and the rename is refused while any other
trigger names the table ("error in trigger ...: no such table"). So the triggers are set aside
for the rebuild and created again, unchanged, after it: the append-only audit table and the
shares' copy of their case's update time (sharing migration 0005) stay enforced whatever a later
migration alters.
"""

from typing import Any

from django.db.backends.sqlite3 import base
from django.db.backends.sqlite3.schema import DatabaseSchemaEditor


class TriggerKeepingSchemaEditor(DatabaseSchemaEditor):
    def _remake_table(self, model: Any, *args: Any, **kwargs: Any) -> None:
        with self.connection.cursor() as cursor:
            cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name")
            triggers = cursor.fetchall()
        for name, _sql in triggers:
            self.execute(f"DROP TRIGGER {self.quote_name(name)}")
        super()._remake_table(model, *args, **kwargs)  # type: ignore[misc]
        for _name, sql in triggers:
            self.execute(sql)


def keep_triggers_through_table_rebuilds() -> None:
    base.DatabaseWrapper.SchemaEditorClass = TriggerKeepingSchemaEditor
