"""The elfproef: known numbers, malformed input, and properties over generated numbers."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wijk.residents.bsn import bsn_checksum, bsn_is_valid

# 123456782 in full-width digits: str.isdigit() says yes, a BSN says no
FULL_WIDTH_DIGITS = "".join(chr(0xFF10 + int(digit)) for digit in "123456782")


@pytest.mark.parametrize("value", ["111222333", "123456782"])
def test_known_valid_numbers_pass(value: str) -> None:
    assert bsn_is_valid(value)


@pytest.mark.parametrize(
    "value",
    [
        "123456789",  # fails the elfproef
        "000000000",  # passes the sum, is no number
        "12345678",  # eight digits
        "1234567820",  # ten digits
        "",
        "12345678a",
        "1234 5678",
        "-12345678",
        FULL_WIDTH_DIGITS,
    ],
)
def test_malformed_or_failing_numbers_are_refused(value: str) -> None:
    assert not bsn_is_valid(value)


@st.composite
def valid_bsns(draw: st.DrawFn) -> str:
    """Eight random digits and the ninth that makes the elfproef pass (skipping the eight
    digits for which no ninth digit does)."""
    prefix = draw(
        st.text(alphabet="0123456789", min_size=8, max_size=8).filter(
            lambda digits: bsn_checksum(digits + "0") != 10 and digits != "0" * 8
        )
    )
    return prefix + str(bsn_checksum(prefix + "0"))


@given(valid_bsns())
def test_generated_valid_numbers_pass(value: str) -> None:
    assert bsn_is_valid(value)


@given(valid_bsns(), st.integers(min_value=0, max_value=8), st.integers(min_value=1, max_value=9))
def test_any_single_digit_change_fails(value: str, position: int, shift: int) -> None:
    changed_digit = str((int(value[position]) + shift) % 10)
    changed = value[:position] + changed_digit + value[position + 1 :]
    assert not bsn_is_valid(changed)
