"""UK identifier formats, each checked in its own way (postcodes and UPRNs: lib.addresses)."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

PNC_RE = re.compile(r"^\d{2,4}/\d{1,7}[A-Z]$")
NI_RE = re.compile(r"^(?!BG|GB|NK|KN|TN|NT|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]\d{6}[A-D]$")


def normalise_identifier(kind: str, value: str) -> str:
    value = (value or "").strip().upper()
    return value if kind == "pnc" else re.sub(r"\s+", "", value)


def validate_pnc(value: str) -> None:
    if not PNC_RE.match(value):
        raise ValidationError(
            _("Enter a PNC number as year, a slash, serial number and check letter, like 98/123456X."), code="pnc"
        )


def nhs_number_is_valid(value: str) -> bool:
    """Modulus 11: weights 10 down to 2 on the first nine digits give the tenth."""
    if not re.fullmatch(r"\d{10}", value):
        return False
    total = sum(int(digit) * (10 - position) for position, digit in enumerate(value[:9]))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(value[9])


def validate_nhs_number(value: str) -> None:
    if not re.fullmatch(r"\d{10}", value):
        raise ValidationError(_("An NHS number is 10 digits, like 943 476 5919."), code="nhs_format")
    if not nhs_number_is_valid(value):
        raise ValidationError(
            _("This NHS number's check digit is wrong: check it for typing errors."), code="nhs_check"
        )


def validate_ni_number(value: str) -> None:
    if not NI_RE.match(value):
        raise ValidationError(
            _("Enter a National Insurance number in the right format, like QQ 12 34 56 C."), code="ni_number"
        )


IDENTIFIER_VALIDATORS = {"pnc": validate_pnc, "nhs": validate_nhs_number, "ni": validate_ni_number}
