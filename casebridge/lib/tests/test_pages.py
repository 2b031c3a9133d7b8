"""The form-page helpers: a service's refusal lands on the form, and a page needs a partnership."""

from types import SimpleNamespace

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.http import Http404, QueryDict
from django.test import SimpleTestCase

from casebridge.lib.pages import errors_to_form, partnership_or_404, stale_context


class NameForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    q_name = forms.CharField()


def valid_form() -> NameForm:
    form = NameForm(QueryDict("version=3&q_name=Alex"))
    assert form.is_valid()
    return form


class StaleError(Exception):
    def __init__(self) -> None:
        super().__init__("Someone else changed this record.")
        self.changes = {"name": {"from": "Alex", "to": "Alexa"}}
        self.current_version = 4


class ErrorsToFormTests(SimpleTestCase):
    def test_an_error_naming_a_field_lands_on_that_field(self):
        form = valid_form()
        errors_to_form(form, ValidationError({"name": "Taken."}), prefix="q_")
        assert form.errors == {"q_name": ["Taken."]}

    def test_an_error_naming_no_field_of_the_form_lands_above_it(self):
        form = valid_form()
        errors_to_form(form, ValidationError({"colour": "Wrong."}))
        assert form.non_field_errors() == ["Wrong."]

    def test_an_error_without_field_names_lands_above_the_form(self):
        form = valid_form()
        errors_to_form(form, ValidationError(["First.", "Second."]))
        assert form.non_field_errors() == ["First.", "Second."]


class StaleContextTests(SimpleTestCase):
    def test_a_stale_edit_shows_the_changes_and_moves_the_form_to_the_current_version(self):
        form = valid_form()
        context = stale_context(form, StaleError())
        assert context == {"stale_changes": {"name": {"from": "Alex", "to": "Alexa"}}}
        assert form.non_field_errors() == ["Someone else changed this record."]
        assert form.data["version"] == "4"


class PartnershipOr404Tests(SimpleTestCase):
    def test_the_partnership_is_the_one_the_user_works_in_now(self):
        request = SimpleNamespace(membership=SimpleNamespace(partnership="Surrey Heath"))
        assert partnership_or_404(request) == "Surrey Heath"

    def test_someone_with_no_role_in_any_partnership_gets_404(self):
        with pytest.raises(Http404):
            partnership_or_404(SimpleNamespace(membership=None))
