from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "casebridge.people"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from casebridge.people import rules

        rules.register()
