from django.apps import AppConfig


class PublicReportsConfig(AppConfig):
    name = "casebridge.public_reports"
    verbose_name = "Residents' online reports"
