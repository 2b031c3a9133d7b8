from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "casebridge.web"
    verbose_name = "Pages"

    def ready(self) -> None:
        # Registers <ref:> once, before any app's URLs are read.
        from casebridge.web import converters  # noqa: F401
