"""The coordinator's PIN that leaves desk mode: stored hashed (scrypt, salted) in the setting
table under ``desk.pin_hash`` and copied into each desk's snapshot, so it works offline.

The PIN itself is never stored, printed or logged.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import Protocol

from sqlalchemy.orm import Session

from smartconf.core.errors import ValidationError
from smartconf.models import Setting
from smartconf.store.session import act_as

PIN_SETTING = "desk.pin_hash"
PIN_LENGTHS = range(4, 13)
_SCRYPT = {"n": 2**14, "r": 8, "p": 1}
_SCHEME = "scrypt"


class HasPinHash(Protocol):
    """Anything that carries the stored hash (a desk snapshot)."""

    @property
    def pin_hash(self) -> str | None: ...


def hash_pin(pin: str) -> str:
    """``scrypt$n$r$p$salt$hash`` (hex) of ``pin`` with a fresh random salt."""
    salt = secrets.token_bytes(16)
    digest = _digest(pin, salt, **_SCRYPT)
    return "$".join((_SCHEME, str(_SCRYPT["n"]), str(_SCRYPT["r"]), str(_SCRYPT["p"]),
                     salt.hex(), digest.hex()))


def verify_pin(stored: str | None, pin: str) -> bool:
    """True when ``pin`` matches the ``stored`` hash (constant-time); False if none is set."""
    if not stored or not pin:
        return False
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != _SCHEME:
            return False
        candidate = _digest(pin, bytes.fromhex(salt), n=int(n), r=int(r), p=int(p))
    except ValueError:
        return False
    return hmac.compare_digest(candidate, bytes.fromhex(digest))


def _digest(pin: str, salt: bytes, *, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(pin.encode(), salt=salt, n=n, r=r, p=p, maxmem=64 * 1024 * 1024,
                          dklen=32)


def set_desk_pin(session: Session, pin: str, *, actor: str) -> None:
    """Set the coordinator PIN (4 to 12 digits); desks pick it up with their next refresh."""
    if not pin.isdigit() or len(pin) not in PIN_LENGTHS or not pin.isascii():
        raise ValidationError("must be 4 to 12 digits", field="pin")
    act_as(session, actor)
    row = session.get(Setting, PIN_SETTING)
    if row is None:
        session.add(Setting(key=PIN_SETTING, value=hash_pin(pin)))
    else:
        row.value = hash_pin(pin)
    session.flush()


def desk_pin_hash(session: Session) -> str | None:
    """The stored hash of the coordinator PIN, or None when no PIN is set."""
    row = session.get(Setting, PIN_SETTING)
    return row.value if row is not None else None


def check_desk_pin(source: Session | HasPinHash, pin: str) -> bool:
    """True when ``pin`` is the coordinator PIN, checked against the database (a session) or,
    offline, against a desk snapshot. False when no PIN is set."""
    stored = desk_pin_hash(source) if isinstance(source, Session) else source.pin_hash
    return verify_pin(stored, pin)
