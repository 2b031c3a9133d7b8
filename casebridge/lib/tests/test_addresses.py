import pytest
from django.core.exceptions import ValidationError

from casebridge.lib.addresses import normalise_postcode, validate_postcode


def test_postcodes_are_normalised_and_validated():
    assert normalise_postcode(" gu153hd ") == "GU15 3HD"
    validate_postcode("gu15 3hd")
    with pytest.raises(ValidationError, match="postcode"):
        validate_postcode("GU15 3H")
