"""Path converters shared by every app's URLs, registered when the web app is ready."""

from django.urls import register_converter


class CaseReferenceConverter:
    """A case reference such as SH-2026-000123, matched in any case and kept upper case."""

    regex = r"[A-Za-z]{2,6}-\d{4}-\d{6}"

    def to_python(self, value: str) -> str:
        return value.upper()

    def to_url(self, value: str) -> str:
        return value


register_converter(CaseReferenceConverter, "ref")
