import datetime

from django import forms
from django.test import SimpleTestCase, override_settings

from casebridge.lib.dates import DateInput, long_date


class DateForm(forms.Form):
    day = forms.DateField(widget=DateInput)


@override_settings(LANGUAGE_CODE="en-gb")
class DateInputTests(SimpleTestCase):
    def test_a_saved_date_is_given_to_the_date_picker_as_iso(self):
        """A date picker ignores dd/mm/yyyy, so an edit form would otherwise lose the saved date."""
        html = str(DateForm(initial={"day": datetime.date(2026, 12, 25)})["day"])
        assert 'type="date"' in html
        assert 'value="2026-12-25"' in html

    def test_a_date_typed_day_first_is_still_read(self):
        form = DateForm(data={"day": "25/12/2026"})
        assert form.is_valid()
        assert form.cleaned_data["day"] == datetime.date(2026, 12, 25)


class LongDateTests(SimpleTestCase):
    def test_the_day_has_no_leading_zero(self):
        assert long_date(datetime.date(2026, 3, 5)) == "5 March 2026"
