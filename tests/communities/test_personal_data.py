"""Phone and ID-card numbers: validation (GB 11643) and masking."""

import contextlib
import datetime

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from communities.personal_data import (
    id_number_birth_date,
    id_number_check_char,
    mask_id_number,
    mask_phone,
    normalize_phone,
    validate_id_number,
    validate_phone,
)

VALID_ID = "11010519491231002X"  # the GB 11643 standard's own example


def make_id(birth="19710305", seq="123"):
    first17 = f"411002{birth}{seq}"
    return first17 + id_number_check_char(first17)


def test_standard_example_id_number_is_valid():
    validate_id_number(VALID_ID)
    assert id_number_birth_date(VALID_ID) == datetime.date(1949, 12, 31)


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("110105194912310021", "invalid_id_checksum"),
        ("11010519491231002", "invalid_id_format"),
        ("11010519491231002x", "invalid_id_format"),
        ("1101051949123100XX", "invalid_id_format"),
        ("110105194902300028", "invalid_id_date"),
    ],
)
def test_bad_id_numbers_are_refused_with_a_reason(value, code):
    with pytest.raises(ValidationError) as excinfo:
        validate_id_number(value)
    assert excinfo.value.code == code


@pytest.mark.parametrize("value", ["13812341234", "19912345678", "0374-2345678", "03742345678"])
def test_mainland_mobile_and_landline_numbers_are_valid(value):
    validate_phone(value)


@pytest.mark.parametrize("value", ["12812341234", "1381234123", "138123412345", "2345678", "abc"])
def test_other_phone_numbers_are_refused(value):
    with pytest.raises(ValidationError):
        validate_phone(value)


def test_phone_is_normalized_from_common_forms():
    assert normalize_phone("+86 138 1234 1234") == "13812341234"


def test_mobile_is_masked_keeping_three_and_four_digits():
    assert mask_phone("13812341234") == "138****1234"


def test_id_number_is_masked_keeping_prefix_and_last_four():
    assert mask_id_number("41100219710305123X") == "4110**********123X"


@given(st.dates(datetime.date(1900, 1, 1), datetime.date(2025, 12, 31)), st.integers(0, 999))
def test_generated_id_numbers_validate_and_masking_hides_the_birth_date(birth, seq):
    value = make_id(f"{birth:%Y%m%d}", f"{seq:03d}")
    validate_id_number(value)
    masked = mask_id_number(value)
    assert masked[6:14] == "********"
    assert len(masked) == 18


@given(st.text(max_size=40))
def test_id_validator_never_crashes_on_arbitrary_text(text):
    with contextlib.suppress(ValidationError):
        validate_id_number(text)
