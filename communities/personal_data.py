"""Personal data rules (PIPL): validating and masking phone and ID-card numbers.

The one module that knows what a valid mainland phone or resident ID-card number is, and how
either is shown to someone who has not explicitly revealed it.
"""

import datetime
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
# Area code 0xx or 0xxx, then a 7- or 8-digit number; a hyphen between them is optional.
LANDLINE_RE = re.compile(r"^0\d{2,3}-?[2-9]\d{6,7}$")

# GB 11643-1999: weights of the first 17 digits, and the check character for (sum mod 11).
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
ID_NUMBER_RE = re.compile(r"^\d{17}[\dX]$")


def normalize_phone(value: str) -> str:
    """Drop spaces and a +86 prefix, the forms phones are usually written in."""
    value = re.sub(r"[\s()]", "", value or "")
    if value.startswith("+86"):
        value = value[3:]
    return value


def validate_phone(value: str) -> None:
    if not (MOBILE_RE.match(value) or LANDLINE_RE.match(value)):
        raise ValidationError(
            _("Enter a mainland mobile number (11 digits) or a landline such as 0374-2345678."),
            code="invalid_phone",
        )


def id_number_check_char(first17: str) -> str:
    return _ID_CHECK[sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True)) % 11]


def id_number_birth_date(value: str) -> datetime.date | None:
    try:
        return datetime.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return None


def id_number_is_male(value: str) -> bool:
    """The 17th digit is odd for men and even for women."""
    return int(value[16]) % 2 == 1


def validate_id_number(value: str) -> None:
    """Check format, birth date and the GB 11643 check character."""
    if not ID_NUMBER_RE.match(value):
        raise ValidationError(
            _("An ID-card number has 18 characters: 17 digits and a digit or X."),
            code="invalid_id_format",
        )
    if id_number_birth_date(value) is None:
        raise ValidationError(
            _("The ID-card number contains an impossible birth date."), code="invalid_id_date"
        )
    if id_number_check_char(value[:17]) != value[17]:
        raise ValidationError(
            _("The ID-card number's check character is wrong; please check each digit."),
            code="invalid_id_checksum",
        )


def mask_phone(value: str) -> str:
    """138****1234 for a mobile; the area code and last 4 digits of a landline."""
    if not value:
        return ""
    if MOBILE_RE.match(value):
        return f"{value[:3]}****{value[-4:]}"
    digits = value.replace("-", "")
    return f"{digits[:4]}****{digits[-4:]}" if len(digits) > 8 else "****"


def mask_id_number(value: str) -> str:
    """4110**********123X: the province/city prefix and the last 4 characters only.

    Digits 7 to 14 are the birth date and are never shown.
    """
    if not value:
        return ""
    return f"{value[:4]}{'*' * (len(value) - 8)}{value[-4:]}" if len(value) > 8 else "****"
