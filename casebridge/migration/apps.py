from django.apps import AppConfig


class MigrationConfig(AppConfig):
    name = "casebridge.migration"
    label = "migration"
    verbose_name = "Spreadsheet migration"
    default_auto_field = "django.db.models.BigAutoField"
