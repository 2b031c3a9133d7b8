from django.apps import AppConfig


class RemindersConfig(AppConfig):
    name = "casebridge.reminders"
    verbose_name = "Reminders"
