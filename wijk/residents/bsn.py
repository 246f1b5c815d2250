"""The burgerservicenummer (BSN) check: nine digits that pass the elfproef.

The elfproef multiplies the first eight digits by 9 down to 2 and subtracts the ninth digit;
the result must be divisible by 11. A number that passes may still be unissued: the check
catches typing errors (every single-digit change fails it), it does not look anyone up.
"""

from __future__ import annotations

BSN_LENGTH = 9
_WEIGHTS = (9, 8, 7, 6, 5, 4, 3, 2, -1)


def bsn_checksum(digits: str) -> int:
    """The elfproef sum of nine digits: sum(d_i * (9..2)) - d_9, modulo 11."""
    return sum(int(digit) * weight for digit, weight in zip(digits, _WEIGHTS, strict=True)) % 11


def bsn_is_valid(value: str) -> bool:
    """Whether `value` is exactly nine ASCII digits passing the elfproef. 000000000 is not."""
    if len(value) != BSN_LENGTH or not value.isascii() or not value.isdigit():
        return False
    return value != "0" * BSN_LENGTH and bsn_checksum(value) == 0
