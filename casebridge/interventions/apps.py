from django.apps import AppConfig


class InterventionsConfig(AppConfig):
    name = "casebridge.interventions"
    verbose_name = "Interventions"
