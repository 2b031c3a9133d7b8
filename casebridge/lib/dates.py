"""Dates in forms and in text: one date picker, one way to write a date out in full."""

import datetime
from typing import Any

from django import forms

# What a browser's date picker sends, then what people type where it falls back to a text box.
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]


class DateInput(forms.DateInput):
    """A browser date picker; its value is always ISO, which the en-GB default (dd/mm/yyyy) is not."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None, format: str | None = None) -> None:
        super().__init__(attrs, format=format or DATE_INPUT_FORMATS[0])


def long_date(day: datetime.date) -> str:
    """A date as the GOV.UK style guide writes it: 5 March 2026."""
    return f"{day.day} {day:%B %Y}"
