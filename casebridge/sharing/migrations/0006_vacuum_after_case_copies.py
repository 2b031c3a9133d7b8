"""PostgreSQL: 0005's backfill rewrote every share. Until a vacuum marks the table's pages as
all-visible again, the grantee indexes cannot be read alone, and "Shared with me" is no faster
than before; the planner also learns about the new columns. Outside a transaction, as VACUUM must
be. (SQLite rebuilt the table in 0005, leaving nothing to reclaim.)"""

from django.db import migrations


def vacuum(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("VACUUM (ANALYZE) sharing_share")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("sharing", "0005_share_case_copies")]

    operations = [migrations.RunPython(vacuum, migrations.RunPython.noop)]
