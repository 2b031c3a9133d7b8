from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "casebridge.organisations"
