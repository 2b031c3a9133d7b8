from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "casebridge.notifications"

    def ready(self) -> None:
        from casebridge.notifications import receivers  # noqa: F401
