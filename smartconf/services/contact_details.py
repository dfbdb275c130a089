"""Validation and normalisation of e-mail addresses and phone numbers."""

from __future__ import annotations

import phonenumbers
from email_validator import EmailNotValidError, validate_email

from smartconf.core.errors import ValidationError

DEFAULT_REGION = "XK"  # Kosovo: "044 123 456" means +383 44 123 456


def normalise_email(raw: str, *, field: str = "email", row: int | None = None) -> str:
    """A syntactically valid address with its domain lower-cased (no DNS lookup)."""
    text = raw.strip()
    try:
        result = validate_email(text, check_deliverability=False)
    except EmailNotValidError as exc:
        raise ValidationError(f"'{text}' is not a valid e-mail address ({exc})", field=field,
                              row=row) from exc
    return result.normalized


def normalise_phone(raw: str, *, region: str = DEFAULT_REGION, field: str = "phone",
                    row: int | None = None) -> str:
    """The number in E.164 (``+38344123456``); national numbers are read for ``region``."""
    text = raw.strip()
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException as exc:
        raise ValidationError(f"'{text}' is not a phone number", field=field, row=row) from exc
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(f"'{text}' is not a valid phone number", field=field, row=row)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def display_phone(e164: str) -> str:
    """International format for people: ``+383 44 123 456``."""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
