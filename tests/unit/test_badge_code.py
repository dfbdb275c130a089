"""Badge code format, version 1 (snapshot of the format and its properties)."""

from __future__ import annotations

import string

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smartconf.core.badge_code import (
    ALPHABET,
    CODE_LENGTH,
    BadgeCodeError,
    new_badge_code,
    normalise_badge_code,
    short_form,
)

# A code made once with version 1; it must stay valid in every later smartconf.
SNAPSHOT_CODE = "17K2M9QHXD4R8T9"


def _fresh() -> str:
    return new_badge_code()


def test_snapshot_format() -> None:
    assert normalise_badge_code(SNAPSHOT_CODE) == SNAPSHOT_CODE
    assert short_form(SNAPSHOT_CODE) == "17K2-M9QH-XD4R-8T9"
    assert ALPHABET == "0123456789ABCDEFGHJKLMNPQRSTUVWX"
    assert CODE_LENGTH == 15
    code = _fresh()
    assert len(code) == 15 and code[0] == "1"
    assert normalise_badge_code(code) == code


def test_keyboard_safe_alphabet() -> None:
    # no Y/Z (they swap on QWERTZ), no punctuation, no lower case, no I/O (look like 1/0)
    assert not set(ALPHABET) & set("YZIO")
    assert set(ALPHABET) <= set(string.digits + string.ascii_uppercase)
    assert len(ALPHABET) == 32


def test_at_least_64_bits_of_secret() -> None:
    import math

    assert 13 * math.log2(len(ALPHABET)) >= 64
    assert len({_fresh() for _ in range(2000)}) == 2000


def test_typed_variants_are_accepted() -> None:
    code = _fresh()
    assert normalise_badge_code(code.lower()) == code
    assert normalise_badge_code(short_form(code)) == code
    assert normalise_badge_code(f"  {short_form(code).lower()} \n") == code
    with_letter_o = code.replace("0", "O")
    assert normalise_badge_code(with_letter_o) == code


@given(st.data())
def test_any_single_character_change_is_rejected(data) -> None:
    code = _fresh()
    position = data.draw(st.integers(0, len(code) - 1))
    replacement = data.draw(st.sampled_from([c for c in ALPHABET if c != code[position]]))
    tampered = code[:position] + replacement + code[position + 1:]
    with pytest.raises(BadgeCodeError):
        normalise_badge_code(tampered)


@given(st.integers(1, 13))
def test_swapping_neighbours_is_rejected(position: int) -> None:
    code = _fresh()
    if code[position] == code[position + 1] or {code[position], code[position + 1]} == {"0",
                                                                                     "X"}:
        return  # the documented blind spot of Luhn mod 32
    swapped = code[:position] + code[position + 1] + code[position] + code[position + 2:]
    with pytest.raises(BadgeCodeError):
        normalise_badge_code(swapped)


@pytest.mark.parametrize(("text", "message"), [
    ("", "empty"),
    ("2" + "A" * 14, "version"),
    ("1ABC", "15 characters"),
    ("1ABCDEFGHJKLMYZ", "not used"),
    ("1ABCDEFGHJKLM;N", "not used"),
])
def test_malformed_codes_are_explained(text: str, message: str) -> None:
    with pytest.raises(BadgeCodeError, match=message):
        normalise_badge_code(text)


def test_short_form_groups_by_four() -> None:
    code = _fresh()
    assert short_form(code) == "-".join([code[0:4], code[4:8], code[8:12], code[12:]])
