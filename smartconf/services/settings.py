"""Settings shared by everyone using one database (the SMTP server...), and the SMTP password.

Settings live in the ``setting`` table; only the keys of ``SETTINGS`` exist, each validated
and stored in a canonical text form. The SMTP password never goes there: it lives in the OS
keyring (service ``smartconf``, account = ``smtp.user``). Where no keyring exists (a headless
Linux server, CI), the environment variable ``SMARTCONF_SMTP_PASSWORD`` supplies it; when it
is set it wins over the keyring, so that automation never depends on a desktop session.
Passwords are never stored in the database, printed, logged or put in an error message.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from smartconf.core.errors import SmartconfError, ValidationError
from smartconf.models import Setting
from smartconf.services.contact_details import normalise_email
from smartconf.store.session import act_as

KEYRING_SERVICE = "smartconf"
ENV_SMTP_PASSWORD = "SMARTCONF_SMTP_PASSWORD"
SECURITY_MODES = ("none", "starttls", "ssl")
DEFAULT_PORTS = {"none": 25, "starttls": 587, "ssl": 465}


# -- the known keys ----------------------------------------------------------------------------

def _text(value: str) -> str:
    if not value or any(ch in value for ch in "\r\n\t"):
        raise ValueError("must be one line of text, not empty")
    return value


def _host(value: str) -> str:
    if not value or len(value) > 253 or any(ch.isspace() or ch in "/:@" for ch in value):
        raise ValueError(f"'{value}' is not a host name or IP address")
    return value.lower()


def _int_between(low: int, high: int) -> Callable[[str], str]:
    def parse(value: str) -> str:
        try:
            number = int(value)
        except ValueError:
            raise ValueError(f"'{value}' is not a whole number") from None
        if not low <= number <= high:
            raise ValueError(f"{number} is not between {low} and {high}")
        return str(number)
    return parse


def _choice(*choices: str) -> Callable[[str], str]:
    def parse(value: str) -> str:
        if value.lower() not in choices:
            raise ValueError(f"'{value}' is not one of {', '.join(choices)}")
        return value.lower()
    return parse


def _email(value: str) -> str:
    try:
        return normalise_email(value)
    except ValidationError as exc:
        raise ValueError(exc.detail) from None


@dataclass(frozen=True)
class SettingSpec:
    """One known setting: how its value is checked and what it is for."""

    key: str
    description: str
    parse: Callable[[str], str] = field(repr=False)
    default: str | None = None


SETTINGS: dict[str, SettingSpec] = {spec.key: spec for spec in (
    SettingSpec("smtp.host", "SMTP server host name", _host),
    SettingSpec("smtp.port", "SMTP port (default: 587 starttls, 465 ssl, 25 none)",
                _int_between(1, 65535)),
    SettingSpec("smtp.security", "none, starttls or ssl", _choice(*SECURITY_MODES), "starttls"),
    SettingSpec("smtp.user", "SMTP login (unset: no login); its password is in the keyring",
                _text),
    SettingSpec("smtp.sender", "From address of the invitations", _email),
    SettingSpec("smtp.sender_name", "From name when the conference names no organiser", _text),
    SettingSpec("smtp.rate_per_minute", "at most this many messages a minute",
                _int_between(1, 10_000), "30"),
    SettingSpec("smtp.timeout", "seconds to wait for the SMTP server", _int_between(1, 600),
                "30"),
)}


@dataclass(frozen=True)
class SettingValue:
    """A known setting with its stored value (None when unset) and its default."""

    key: str
    value: str | None
    default: str | None
    description: str

    @property
    def effective(self) -> str | None:
        return self.value if self.value is not None else self.default

    def as_json(self) -> dict:
        return {"key": self.key, "value": self.value, "default": self.default,
                "description": self.description}


def _spec(key: str) -> SettingSpec:
    spec = SETTINGS.get(key)
    if spec is None:
        raise ValidationError("unknown setting", field=key,
                              hint=f"Known settings: {', '.join(SETTINGS)}.")
    return spec


def check_setting(key: str, value: str) -> str:
    """The canonical form of ``value`` for ``key``; ValidationError names the key."""
    spec = _spec(key)
    try:
        return spec.parse(value.strip())
    except ValueError as exc:
        raise ValidationError(str(exc), field=key) from None


# -- reading and writing -----------------------------------------------------------------------

def get_setting(session: Session, key: str, default: str | None = None) -> str | None:
    """The stored value of ``key``, else ``default``, else the key's own default."""
    spec = _spec(key)
    row = session.get(Setting, key)
    if row is not None:
        return row.value
    return default if default is not None else spec.default


def set_setting(session: Session, key: str, value: str, *, actor: str) -> str:
    """Check and store ``value``; returns it in canonical form."""
    canonical = check_setting(key, value)
    act_as(session, actor)
    row = session.get(Setting, key)
    if row is None:
        session.add(Setting(key=key, value=canonical))
    else:
        row.value = canonical
    session.flush()
    return canonical


def unset_setting(session: Session, key: str, *, actor: str) -> bool:
    """Forget the stored value of ``key`` (its default applies again); False if it was unset."""
    _spec(key)
    act_as(session, actor)
    row = session.get(Setting, key)
    if row is None:
        return False
    session.delete(row)
    session.flush()
    return True


def list_settings(session: Session) -> list[SettingValue]:
    """Every known setting, in the order of ``SETTINGS``."""
    stored = dict(session.execute(
        select(Setting.key, Setting.value).where(Setting.key.in_(SETTINGS))).all())
    return [SettingValue(s.key, stored.get(s.key), s.default, s.description)
            for s in SETTINGS.values()]


# -- SMTP --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class SmtpConfig:
    """How to reach the SMTP server; the password, when known, never shows in a repr."""

    host: str
    sender: str
    port: int | None = None  # None: the usual port of ``security``
    security: str = "starttls"
    user: str | None = None
    password: str | None = field(default=None, repr=False)  # None: asked from the keyring
    sender_name: str | None = None
    rate_per_minute: int = 30
    timeout: float = 30.0
    ca_file: Path | None = None  # trust this CA too (a self-signed or company CA)

    @property
    def effective_port(self) -> int:
        return self.port or DEFAULT_PORTS[self.security]

    @property
    def description(self) -> str:
        return f"{self.host}:{self.effective_port} ({self.security})"


def smtp_config(session: Session) -> SmtpConfig:
    """The SMTP settings of this database; SmartconfError says which key is missing."""
    values = {item.key: item.effective for item in list_settings(session)}
    for key in ("smtp.host", "smtp.sender"):
        if not values[key]:
            raise SmartconfError(f"SMTP is not set up: {key} is missing.",
                                 hint=f"Set it in the Settings page or with "
                                      f"`smartconf config set {key} VALUE`.")
    port = values["smtp.port"]
    return SmtpConfig(host=values["smtp.host"], sender=values["smtp.sender"],
                      port=int(port) if port else None, security=values["smtp.security"],
                      user=values["smtp.user"], sender_name=values["smtp.sender_name"],
                      rate_per_minute=int(values["smtp.rate_per_minute"]),
                      timeout=float(values["smtp.timeout"]))


class KeyringUnavailable(SmartconfError):
    """No OS keyring can hold the SMTP password here."""


def _no_keyring(action: str) -> KeyringUnavailable:
    return KeyringUnavailable(
        f"Cannot {action} the SMTP password: no OS keyring is available on this computer.",
        hint=f"On a desktop, unlock or install a keyring (Windows Credential Manager, macOS "
             f"Keychain, GNOME Keyring or KWallet). For automation, put the password in the "
             f"{ENV_SMTP_PASSWORD} environment variable of the sending process instead.")


def _keyring_call(action: str, call: Callable[[], object]):
    import keyring.errors  # imported late: backend discovery is slow

    try:
        return call()
    except keyring.errors.NoKeyringError:
        raise _no_keyring(action) from None
    except keyring.errors.KeyringError as exc:
        # The message of a backend error names the backend, never the secret.
        raise SmartconfError(f"The OS keyring refused to {action} the SMTP password "
                             f"({type(exc).__name__}).",
                             hint="Unlock the keyring and try again.") from None


def set_smtp_password(user: str, password: str) -> None:
    """Keep ``password`` for SMTP account ``user`` in the OS keyring."""
    import keyring

    if not user or not password:
        raise ValidationError("an SMTP user and a non-empty password are needed",
                              field="smtp.user" if not user else "password")
    _keyring_call("store", lambda: keyring.set_password(KEYRING_SERVICE, user, password))


def smtp_password(user: str) -> str | None:
    """The password of SMTP account ``user``: the environment variable, else the keyring."""
    import keyring

    from_env = os.environ.get(ENV_SMTP_PASSWORD)
    if from_env:
        return from_env
    return _keyring_call("read", lambda: keyring.get_password(KEYRING_SERVICE, user))


def forget_smtp_password(user: str) -> bool:
    """Remove the keyring entry of ``user``; False if there was none."""
    import keyring
    import keyring.errors

    def delete() -> bool:
        try:
            keyring.delete_password(KEYRING_SERVICE, user)
        except keyring.errors.PasswordDeleteError:
            return False
        return True

    return _keyring_call("remove", delete)
