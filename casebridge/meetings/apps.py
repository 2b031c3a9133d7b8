from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "casebridge.meetings"

    def ready(self) -> None:
        from casebridge.meetings import rules

        rules.register()
