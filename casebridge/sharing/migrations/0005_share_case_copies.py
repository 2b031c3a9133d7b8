"""Each share carries copies of its case's update time, lead organisation and partnership, kept by
the database, and the grantee indexes are sorted by the case's update time.

"Shared with me" lists the cases shared with the user, newest first, minus their own
organisation's. With the copies, a grantee's live shares come in that order from its index, with
everything the list tests, so the list stops after a page instead of looking up and sorting every
case behind tens of thousands of shares. Triggers keep the copies exact whatever writes the case
(a versioned save, ``QuerySet.update()``, the import's raw updates) or the share.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.db.models.functions import Now

SQLITE_BACKFILL = [
    """UPDATE sharing_share SET (case_updated_at, case_lead_organisation_id, partnership_id) =
       (SELECT updated_at, lead_organisation_id, partnership_id FROM cases_case WHERE id = sharing_share.case_id)""",
]
# SQLite cannot change a row before it is written, so a share is corrected just after, when it
# differs from its case (the synthetic data generator writes the right values already).
SQLITE_SHARE_DIFFERS = """NOT EXISTS (
    SELECT 1 FROM cases_case c WHERE c.id = NEW.case_id AND c.updated_at IS NEW.case_updated_at
    AND c.lead_organisation_id IS NEW.case_lead_organisation_id AND c.partnership_id IS NEW.partnership_id)"""
SQLITE_SHARE_TAKES_COPIES = """UPDATE sharing_share SET (case_updated_at, case_lead_organisation_id, partnership_id) =
    (SELECT updated_at, lead_organisation_id, partnership_id FROM cases_case WHERE id = NEW.case_id)
    WHERE id = NEW.id"""
SQLITE_TRIGGERS = [
    """CREATE TRIGGER case_copies_to_shares
       AFTER UPDATE OF updated_at, lead_organisation_id, partnership_id ON cases_case
       WHEN OLD.updated_at IS NOT NEW.updated_at OR OLD.lead_organisation_id IS NOT NEW.lead_organisation_id
            OR OLD.partnership_id IS NOT NEW.partnership_id
       BEGIN
           UPDATE sharing_share SET case_updated_at = NEW.updated_at,
               case_lead_organisation_id = NEW.lead_organisation_id, partnership_id = NEW.partnership_id
           WHERE case_id = NEW.id;
       END""",
    f"""CREATE TRIGGER share_takes_case_copies AFTER INSERT ON sharing_share
        WHEN {SQLITE_SHARE_DIFFERS}
        BEGIN {SQLITE_SHARE_TAKES_COPIES}; END""",
    f"""CREATE TRIGGER share_keeps_case_copies
        AFTER UPDATE OF case_id, case_updated_at, case_lead_organisation_id, partnership_id ON sharing_share
        WHEN {SQLITE_SHARE_DIFFERS}
        BEGIN {SQLITE_SHARE_TAKES_COPIES}; END""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS case_copies_to_shares",
    "DROP TRIGGER IF EXISTS share_takes_case_copies",
    "DROP TRIGGER IF EXISTS share_keeps_case_copies",
]
POSTGRES_BACKFILL = [
    # No case may change between the copy and the triggers: the lock is held until the migration commits.
    "LOCK TABLE cases_case IN SHARE MODE",
    """UPDATE sharing_share s SET case_updated_at = c.updated_at, case_lead_organisation_id = c.lead_organisation_id,
           partnership_id = c.partnership_id
       FROM cases_case c WHERE c.id = s.case_id""",
]
POSTGRES_TRIGGERS = [
    """CREATE OR REPLACE FUNCTION case_copies_to_shares() RETURNS trigger AS $$
       BEGIN
           UPDATE sharing_share SET case_updated_at = NEW.updated_at,
               case_lead_organisation_id = NEW.lead_organisation_id, partnership_id = NEW.partnership_id
           WHERE case_id = NEW.id;
           RETURN NULL;
       END;
       $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER case_copies_to_shares
       AFTER UPDATE OF updated_at, lead_organisation_id, partnership_id ON cases_case FOR EACH ROW
       WHEN (OLD.updated_at IS DISTINCT FROM NEW.updated_at
             OR OLD.lead_organisation_id IS DISTINCT FROM NEW.lead_organisation_id
             OR OLD.partnership_id IS DISTINCT FROM NEW.partnership_id)
       EXECUTE FUNCTION case_copies_to_shares()""",
    # FOR SHARE: an update of the case running meanwhile waits until this share is committed, then
    # copies its new values into it too; without the lock it would miss the uncommitted share.
    """CREATE OR REPLACE FUNCTION share_takes_case_copies() RETURNS trigger AS $$
       BEGIN
           SELECT updated_at, lead_organisation_id, partnership_id
           INTO NEW.case_updated_at, NEW.case_lead_organisation_id, NEW.partnership_id
           FROM cases_case WHERE id = NEW.case_id FOR SHARE;
           RETURN NEW;
       END;
       $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER share_takes_case_copies
       BEFORE INSERT OR UPDATE OF case_id, case_updated_at, case_lead_organisation_id, partnership_id
       ON sharing_share FOR EACH ROW EXECUTE FUNCTION share_takes_case_copies()""",
]
POSTGRES_REVERSE = [
    "DROP TRIGGER IF EXISTS case_copies_to_shares ON cases_case",
    "DROP FUNCTION IF EXISTS case_copies_to_shares()",
    "DROP TRIGGER IF EXISTS share_takes_case_copies ON sharing_share",
    "DROP FUNCTION IF EXISTS share_takes_case_copies()",
]
LIVE_INDEX_COLUMNS = ["expires_at", "level", "partnership", "case_lead_organisation", "revoked_at"]


def _run(statements_by_vendor: dict[str, list[str]]):  # type: ignore[no-untyped-def]
    def run(apps, schema_editor):  # type: ignore[no-untyped-def]
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0007_merge_0005_import_legacy_0006_case_id_sort_keys"),
        ("organisations", "0001_initial"),
        ("sharing", "0004_grantee_columns_read_through_live_indexes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(model_name="share", name="share_org_live"),
        migrations.RemoveIndex(model_name="share", name="share_team_live"),
        migrations.RemoveIndex(model_name="share", name="share_user_live"),
        migrations.AddField(
            model_name="share",
            name="case_lead_organisation",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="organisations.organisation",
            ),
        ),
        migrations.AddField(
            model_name="share",
            name="case_updated_at",
            field=models.DateTimeField(db_default=Now(), editable=False),
        ),
        # The copies are filled before the indexes that hold them are built; the triggers come last.
        migrations.RunPython(
            _run({"sqlite": SQLITE_BACKFILL, "postgresql": POSTGRES_BACKFILL}), migrations.RunPython.noop
        ),
        migrations.AddIndex(
            model_name="share",
            index=models.Index(
                condition=models.Q(("organisation__isnull", False), ("revoked_at__isnull", True)),
                fields=["organisation", "-case_updated_at", "-case", *LIVE_INDEX_COLUMNS],
                name="share_org_live",
            ),
        ),
        migrations.AddIndex(
            model_name="share",
            index=models.Index(
                condition=models.Q(("revoked_at__isnull", True), ("team__isnull", False)),
                fields=["team", "-case_updated_at", "-case", *LIVE_INDEX_COLUMNS],
                name="share_team_live",
            ),
        ),
        migrations.AddIndex(
            model_name="share",
            index=models.Index(
                condition=models.Q(("revoked_at__isnull", True), ("user__isnull", False)),
                fields=["user", "-case_updated_at", "-case", *LIVE_INDEX_COLUMNS],
                name="share_user_live",
            ),
        ),
        migrations.RunPython(
            _run({"sqlite": SQLITE_TRIGGERS, "postgresql": POSTGRES_TRIGGERS}),
            _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE}),
        ),
    ]
