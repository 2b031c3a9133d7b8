from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "casebridge.assessments"
    verbose_name = "Risk assessments"
