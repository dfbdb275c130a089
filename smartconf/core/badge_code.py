"""Badge code: what the QR carries and what is printed under it.

Format, version 1: ``"1" + 13 token characters + 1 check character`` (15 characters), in a
32-letter alphabet of digits and capitals without I, O, Y and Z:

* no personal data: the token is random (65 bits from ``secrets``);
* keyboard-safe: a USB scanner "types" the code, and only digits and the capitals that sit on
  the same keys on US, Albanian, Serbian and German layouts are used (Y and Z swap places on
  QWERTZ; punctuation moves), read case-insensitively; I/O typed by a human read as 1/0;
* verifiable offline: the last character is a Luhn mod 32 check, so any single mistyped or
  tampered character, and any swap of two neighbours but "0X"/"X0", is rejected before any
  lookup (and a wrong code that passes the check is still unknown to the database);
* QR alphanumeric mode, 15 characters: version 1 at error correction M.

The version character lets later formats coexist with printed badges.
"""

from __future__ import annotations

import secrets

ALPHABET = "0123456789ABCDEFGHJKLMNPQRSTUVWX"
VERSION = "1"
TOKEN_LENGTH = 13
CODE_LENGTH = 1 + TOKEN_LENGTH + 1
_VALUE = {ch: i for i, ch in enumerate(ALPHABET)}
HUMAN_FIXES = str.maketrans({"I": "1", "O": "0", "-": None, " ": None})


class BadgeCodeError(ValueError):
    """The text is not a well-formed badge code; the message says why."""


def check_char(body: str) -> str:
    """Luhn mod 32 check character over ``body``: catches any single substitution and any
    swap of two neighbours except "0X" <-> "X0" (the one blind spot of Luhn mod N)."""
    factor, total = 2, 0
    for ch in reversed(body):
        addend = factor * _VALUE[ch]
        total += addend // 32 + addend % 32
        factor = 1 if factor == 2 else 2
    return ALPHABET[(32 - total % 32) % 32]


def new_badge_code() -> str:
    """A fresh, unguessable version-1 badge code."""
    body = VERSION + "".join(secrets.choice(ALPHABET) for _ in range(TOKEN_LENGTH))
    return body + check_char(body)


def normalise_badge_code(text: str) -> str:
    """Canonical form of a scanned or typed code; raises BadgeCodeError when malformed."""
    code = text.strip().upper().translate(HUMAN_FIXES)
    if not code:
        raise BadgeCodeError("empty code")
    if code[0] != VERSION:
        raise BadgeCodeError(f"unknown badge code version '{code[0]}'")
    if len(code) != CODE_LENGTH:
        raise BadgeCodeError(f"a badge code has {CODE_LENGTH} characters, this one {len(code)}")
    bad = sorted({ch for ch in code if ch not in _VALUE})
    if bad:
        raise BadgeCodeError(f"characters not used in badge codes: {''.join(bad)}")
    if check_char(code[:-1]) != code[-1]:
        raise BadgeCodeError("check character does not match (mistyped or altered code)")
    return code


def short_form(code: str) -> str:
    """The code grouped for people: ``1ABC-DEFG-HJKL-MNP``."""
    return "-".join(code[i:i + 4] for i in range(0, len(code), 4))
