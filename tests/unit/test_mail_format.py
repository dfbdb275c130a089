"""The e-mail of an outbox message: structure, calendar part, headers, and the .eml file."""

from __future__ import annotations

from datetime import UTC, datetime
from email import message_from_bytes
from email.policy import default
from pathlib import Path

import pytest

from smartconf.core.enums import OutboxKind
from smartconf.core.errors import ValidationError
from smartconf.models import OutboxMessage
from smartconf.services.mail_format import (
    build_mime,
    ics_method,
    message_id_for,
    mime_bytes,
    smtp_address,
    write_eml,
)

SENDER = "smart@qkss.org"
ICS = ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//KCSS//smartconf//EN\r\nMETHOD:REQUEST\r\n"
       "BEGIN:VEVENT\r\nUID:sb-ci@qkss.org\r\nSEQUENCE:2\r\nSUMMARY:Konferenca për "
       "sigurinë kibernetike\\, Prishtinë – Ђорђе\r\n DESCRIPTION:folded line\r\n"
       "END:VEVENT\r\nEND:VCALENDAR\r\n")
TEXT = "Të nderuar Zonja Krasniqi,\n.\nFrom the programme: ftesë.\n"
HTML = "<p>Të nderuar <b>Zonja Krasniqi</b></p>"


def outbox_message(**changes) -> OutboxMessage:
    values = {"key": "invite:P17:seq2", "kind": OutboxKind.INVITE,
              "recipient": "ana.krasniqi@example.org",
              "subject": "Ftesë: Konferenca për sigurinë – Đakovica", "body_text": TEXT,
              "body_html": HTML, "ics": ICS, "message_id": "<invite-17-2@qkss.org>"}
    values.update(changes)
    return OutboxMessage(**values)


def lf(text: str) -> str:
    """Text parts travel with CRLF line ends (canonical form); compare them as written."""
    return text.replace("\r\n", "\n")


def parsed(message: OutboxMessage, **kwargs):
    data = mime_bytes(build_mime(message, sender=SENDER, **kwargs))
    return data, message_from_bytes(data, policy=default)


def test_invite_structure_calendar_part_and_attachment() -> None:
    data, mail = parsed(outbox_message())
    assert mail.get_content_type() == "multipart/mixed"
    alternative, attachment = mail.get_payload()
    assert [p.get_content_type() for p in alternative.get_payload()] == [
        "text/plain", "text/html", "text/calendar"]
    plain, html, calendar = alternative.get_payload()
    assert plain.get_content_charset() == "utf-8" and lf(plain.get_content()) == TEXT
    assert html.get_content_charset() == "utf-8" and html.get_content().strip() == HTML
    # exactly the header calendar clients look for, and the ICS byte for byte (CRLF kept)
    assert b"\r\nContent-Type: text/calendar; charset=UTF-8; method=REQUEST\r\n" in data
    assert calendar.get_payload(decode=True) == ICS.encode("utf-8")
    assert attachment.get_content_type() == "application/ics"
    assert attachment.get_filename() == "invite.ics"
    assert attachment.get_payload(decode=True) == ICS.encode("utf-8")
    assert mail["Content-Class"] == "urn:content-classes:calendarmessage"


def test_cancel_method_comes_from_the_ics() -> None:
    cancel = ICS.replace("METHOD:REQUEST", "METHOD:CANCEL")
    data, _ = parsed(outbox_message(ics=cancel, kind=OutboxKind.CANCELLATION))
    assert b"Content-Type: text/calendar; charset=UTF-8; method=CANCEL\r\n" in data
    assert b"method=REQUEST" not in data
    assert ics_method(cancel) == "CANCEL" and ics_method("BEGIN:VCALENDAR\r\n") is None


def test_headers_non_ascii_encoded_and_decoded_back() -> None:
    date = datetime(2027, 3, 28, 9, 30, tzinfo=UTC)
    data, mail = parsed(outbox_message(), sender_name="Đorđe Krasniqi – KCSS",
                        reply_to="organiser@qkss.org", date=date)
    assert data.isascii(), "every header and part is 7-bit"
    assert max(len(line) for line in data.split(b"\r\n")) <= 78
    assert mail["Subject"] == "Ftesë: Konferenca për sigurinë – Đakovica"
    assert mail["From"].addresses[0].display_name == "Đorđe Krasniqi – KCSS"
    assert mail["From"].addresses[0].addr_spec == SENDER
    assert mail["To"].addresses[0].addr_spec == "ana.krasniqi@example.org"
    assert mail["Reply-To"].addresses[0].addr_spec == "organiser@qkss.org"
    assert mail["Date"].datetime == date
    assert mail["Message-ID"] == "<invite-17-2@qkss.org>"


def test_reply_to_left_out_when_it_is_the_sender() -> None:
    _, mail = parsed(outbox_message(), reply_to=SENDER.upper())
    assert mail["Reply-To"] is None


def test_subject_cannot_inject_headers() -> None:
    data, mail = parsed(outbox_message(subject="Hello\r\nBcc: spy@example.org"))
    assert mail["Bcc"] is None and b"\r\nBcc:" not in data
    assert mail["Subject"] == "Hello Bcc: spy@example.org"


def test_message_id_bracketed_and_derived_from_the_key_when_missing() -> None:
    assert message_id_for(outbox_message(message_id="a.b@qkss.org"), SENDER) == \
        "<a.b@qkss.org>"
    first = message_id_for(outbox_message(message_id=None), SENDER)
    again = message_id_for(outbox_message(message_id=None), SENDER)
    other = message_id_for(outbox_message(message_id=None, key="invite:P18:seq0"), SENDER)
    assert first == again != other
    assert first.startswith("<") and first.endswith("@qkss.org>")


def test_without_ics_or_html() -> None:
    _, mail = parsed(outbox_message(ics=None))
    assert mail.get_content_type() == "multipart/alternative"
    assert mail["Content-Class"] is None
    _, mail = parsed(outbox_message(ics=None, body_html=None))
    assert mail.get_content_type() == "text/plain" and lf(mail.get_content()) == TEXT
    _, mail = parsed(outbox_message(body_html=None))
    alternative, _attachment = mail.get_payload()
    assert [p.get_content_type() for p in alternative.get_payload()] == [
        "text/plain", "text/calendar"]


def test_addresses_smtp_can_carry() -> None:
    assert smtp_address("ana@Shqipëria.al") == "ana@xn--shqipria-x1a.al"
    _, mail = parsed(outbox_message(recipient="ana@shqipëria.al"))
    assert mail["To"].addresses[0].addr_spec == "ana@xn--shqipria-x1a.al"
    with pytest.raises(ValidationError) as error:
        build_mime(outbox_message(recipient="đorđe@example.org"), sender=SENDER)
    assert error.value.field == "recipient"
    with pytest.raises(ValidationError):
        build_mime(outbox_message(), sender="no-at-sign")


def test_write_eml_opens_as_a_draft_in_outlook(tmp_path: Path) -> None:
    path = write_eml(outbox_message(), tmp_path / "invite-17.eml", sender=SENDER,
                     sender_name="KCSS")
    data = path.read_bytes()
    assert [p.name for p in tmp_path.iterdir()] == ["invite-17.eml"]
    assert b"\n" not in data.replace(b"\r\n", b""), "CRLF line ends only"
    mail = message_from_bytes(data, policy=default)
    assert mail["X-Unsent"] == "1"
    calendar = next(p for p in mail.walk() if p.get_content_type() == "text/calendar")
    assert calendar.get_payload(decode=True) == ICS.encode("utf-8")
