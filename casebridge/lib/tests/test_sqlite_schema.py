"""SQLite migrations that rebuild a table keep every trigger, including those naming the table."""

from typing import Any

from django.db import models
from django.db.utils import ConnectionHandler
from django.test import TestCase
from django.test.utils import isolate_apps

from casebridge.lib.sqlite_schema import TriggerKeepingSchemaEditor

# A parent's stamp is copied into its children, as a case's update time is into its shares.
TRIGGERS = [
    """CREATE TRIGGER parent_to_children AFTER UPDATE OF stamp ON scratch_parent
       BEGIN UPDATE scratch_child SET stamp = NEW.stamp WHERE parent_id = NEW.id; END""",
    """CREATE TRIGGER child_from_parent AFTER INSERT ON scratch_child
       BEGIN UPDATE scratch_child SET stamp = (SELECT stamp FROM scratch_parent WHERE id = NEW.parent_id)
             WHERE id = NEW.id; END""",
]


@isolate_apps("casebridge.lib")
class TriggerKeepingSchemaEditorTests(TestCase):
    def test_a_rebuilt_table_keeps_its_triggers_and_those_of_tables_that_name_it(self):
        class Parent(models.Model):
            stamp = models.IntegerField()

            class Meta:
                app_label = "lib"
                db_table = "scratch_parent"

            def __str__(self) -> str:
                return str(self.stamp)

        class Child(models.Model):
            parent = models.ForeignKey(Parent, on_delete=models.CASCADE)
            stamp = models.IntegerField()

            class Meta:
                app_label = "lib"
                db_table = "scratch_child"

            def __str__(self) -> str:
                return str(self.stamp)

        scratch = ConnectionHandler(
            {
                "default": {"ENGINE": "django.db.backends.dummy"},
                "scratch": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"},
            }
        )
        connection = scratch["scratch"]
        assert connection.SchemaEditorClass is TriggerKeepingSchemaEditor
        try:
            with connection.schema_editor(atomic=False) as editor:
                editor.create_model(Parent)
                editor.create_model(Child)
                for trigger in TRIGGERS:
                    editor.execute(trigger)
            # Each is rebuilt: without the triggers set aside, "error in trigger ...: no such table".
            for model in (Parent, Child):
                old = model._meta.get_field("stamp")
                new: models.Field[Any, Any] = models.IntegerField(default=0)
                new.set_attributes_from_name("stamp")
                new.model = model
                with connection.schema_editor(atomic=False) as editor:
                    editor.alter_field(model, old, new)
            with connection.cursor() as cursor:
                cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' ORDER BY name")
                assert [name for (name,) in cursor.fetchall()] == ["child_from_parent", "parent_to_children"]
                cursor.execute("INSERT INTO scratch_parent (id, stamp) VALUES (1, 5)")
                cursor.execute("INSERT INTO scratch_child (id, parent_id, stamp) VALUES (1, 1, 0)")
                cursor.execute("SELECT stamp FROM scratch_child")
                assert cursor.fetchone() == (5,)
                cursor.execute("UPDATE scratch_parent SET stamp = 7")
                cursor.execute("SELECT stamp FROM scratch_child")
                assert cursor.fetchone() == (7,)
        finally:
            connection.close()
