from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "casebridge.web"
    verbose_name = "Pages"
