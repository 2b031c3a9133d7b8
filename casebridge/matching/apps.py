from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "casebridge.matching"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from casebridge.matching import rules

        rules.register()
