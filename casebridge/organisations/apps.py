from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "casebridge.organisations"

    def ready(self) -> None:
        from casebridge.organisations import rules

        rules.register()
