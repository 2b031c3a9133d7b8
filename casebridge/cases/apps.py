from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "casebridge.cases"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from casebridge.cases import rules
        from casebridge.lib.sqlite_schema import keep_triggers_through_table_rebuilds

        rules.register()

        # On SQLite, a migration rebuilding cases_case or cases_share would otherwise fail on the
        # triggers that keep each share's copies of its case's values (they name both tables).
        keep_triggers_through_table_rebuilds()
