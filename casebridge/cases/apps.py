from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "casebridge.cases"
    default_auto_field = "django.db.models.BigAutoField"
