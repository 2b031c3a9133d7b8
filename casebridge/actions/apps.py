from django.apps import AppConfig


class ActionsConfig(AppConfig):
    name = "casebridge.actions"
    verbose_name = "Actions"
