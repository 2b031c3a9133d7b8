import pytest
from django.core.exceptions import ValidationError

from casebridge.people.validators import nhs_number_is_valid, validate_nhs_number, validate_ni_number, validate_pnc


@pytest.mark.parametrize("value", ["9434765919", "4010232137"])
def test_nhs_numbers_with_a_correct_check_digit_are_accepted(value):
    assert nhs_number_is_valid(value)
    validate_nhs_number(value)


def test_an_nhs_number_with_a_wrong_check_digit_is_refused_with_a_specific_error():
    with pytest.raises(ValidationError, match="check digit"):
        validate_nhs_number("9434765918")


def test_an_nhs_number_of_the_wrong_length_is_refused_as_a_format_error():
    with pytest.raises(ValidationError, match="10 digits"):
        validate_nhs_number("943476591")


@pytest.mark.parametrize("value", ["98/123456X", "2001/1234567A", "12/1B"])
def test_pnc_numbers_in_the_police_format_are_accepted(value):
    validate_pnc(value)


@pytest.mark.parametrize("value", ["98123456X", "98/123456", "1/123X", "98/12345678X"])
def test_malformed_pnc_numbers_are_refused(value):
    with pytest.raises(ValidationError, match="PNC"):
        validate_pnc(value)


def test_a_real_format_ni_number_is_accepted_and_invalid_prefixes_are_not():
    validate_ni_number("AB123456C")
    for bad in ("GB123456A", "DA123456A", "QQ123456E", "QQ12345C"):
        with pytest.raises(ValidationError, match="National Insurance"):
            validate_ni_number(bad)
