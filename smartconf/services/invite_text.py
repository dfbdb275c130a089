"""The words of invitation e-mails in Albanian, Serbian (Latin) and English.

Templates and phrases live in ``resources/mail/<language>/`` (``request``/``cancel`` as
``.txt`` and ``.html``, ``phrases.json``); this module fills them. Dates and times are shown in
the conference's time zone, with the UTC offset so that nobody has to guess.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from functools import lru_cache
from string import Template
from zoneinfo import ZoneInfo

from smartconf.core.enums import Language
from smartconf.core.resources import resources

PHRASES_VERSION = 1


class MailPurpose(StrEnum):
    """Why a message is sent; chooses subject, lead sentence and template."""

    INVITE = "invite"
    UPDATE = "update"
    CANCEL = "cancel"


class CancelReason(StrEnum):
    CONFERENCE_CANCELLED = "conference"
    PARTICIPATION_WITHDRAWN = "participation"


@dataclass(frozen=True, slots=True)
class ProgrammeLine:
    """One agenda session as a line of the message."""

    starts_at: datetime
    ends_at: datetime
    title: str
    room: str = ""


@dataclass(frozen=True, slots=True)
class InviteContent:
    """Everything one message says; ``session_title`` set for a session's own invitation."""

    language: Language
    purpose: MailPurpose
    recipient_name: str
    conference_title: str
    starts_at: datetime
    ends_at: datetime
    timezone: str
    where: str
    organiser_name: str
    organiser_email: str
    session_title: str | None = None
    own_sessions: tuple[ProgrammeLine, ...] = ()
    programme: tuple[ProgrammeLine, ...] = ()
    agenda_url: str | None = None
    cancel_reason: CancelReason = CancelReason.PARTICIPATION_WITHDRAWN


@dataclass(frozen=True, slots=True)
class MailText:
    subject: str
    text: str
    html: str


def render_message(content: InviteContent) -> MailText:
    """Subject, plain text and HTML of one message, in the content's language."""
    phrases = _phrases(content.language)
    title = content.session_title or content.conference_title
    subject = phrases["subject"][content.purpose.value].format(title=title)
    template = "cancel" if content.purpose is MailPurpose.CANCEL else "request"
    values = {
        "subject": subject,
        "greeting": phrases["greeting"].format(name=content.recipient_name),
        "lead": _lead(content, phrases),
        "title": title,
        "when": describe_period(content.starts_at, content.ends_at, content.timezone,
                                content.language),
        "where": content.where,
        "organiser_name": content.organiser_name,
        "organiser_email": content.organiser_email,
    }
    text_blocks, html_blocks = _blocks(content, phrases)
    text = Template(_template(content.language, f"{template}.txt")).substitute(
        values, **text_blocks)
    escaped = {key: html.escape(value) for key, value in values.items()}
    body = Template(_template(content.language, f"{template}.html")).substitute(
        escaped, **html_blocks)
    return MailText(subject=subject, text=text, html=body)


def describe_period(starts_at: datetime, ends_at: datetime, timezone: str,
                    language: Language) -> str:
    """"Thursday, 10 June 2027, 08:30–17:00 (local time, UTC+02:00)" in ``language``."""
    phrases = _phrases(language)
    zone = ZoneInfo(timezone)
    start, end = starts_at.astimezone(zone), ends_at.astimezone(zone)
    if start.date() == end.date():
        text = phrases["same_day"].format(date=_date(start, phrases), start=f"{start:%H:%M}",
                                          end=f"{end:%H:%M}")
    else:
        text = phrases["across_days"].format(
            start_date=_date(start, phrases), start=f"{start:%H:%M}",
            end_date=_date(end, phrases), end=f"{end:%H:%M}")
    return f"{text} ({phrases['local_time']}, {_utc_offset(start)})"


def _date(moment: datetime, phrases: dict) -> str:
    return phrases["date"].format(weekday=phrases["weekdays"][moment.weekday()],
                                  day=moment.day, month=phrases["months"][moment.month - 1],
                                  year=moment.year)


def _utc_offset(moment: datetime) -> str:
    minutes = int(moment.utcoffset().total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def _lead(content: InviteContent, phrases: dict) -> str:
    scope = "session" if content.session_title else "conference"
    if content.purpose is MailPurpose.CANCEL and scope == "conference":
        scope = content.cancel_reason.value
    return phrases["lead"][f"{content.purpose.value}_{scope}"].format(
        conference=content.conference_title)


def _blocks(content: InviteContent, phrases: dict) -> tuple[dict, dict]:
    """The optional parts: the recipient's own sessions, and the agenda link or programme."""
    labels = phrases["blocks"]
    parts: dict[str, tuple[str, list[str], str | None] | None] = {"sessions": None,
                                                                  "agenda": None}
    if content.own_sessions:
        parts["sessions"] = (labels["your_sessions"],
                             _lines(content.own_sessions, content, phrases), None)
    if content.session_title is None and content.agenda_url:
        parts["agenda"] = (labels["agenda"], [], content.agenda_url)
    elif content.session_title is None and content.programme and not content.own_sessions:
        parts["agenda"] = (labels["programme"], _lines(content.programme, content, phrases),
                           None)
    return ({key: _text_block(*part) if part else "" for key, part in parts.items()},
            {key: _html_block(*part) if part else "" for key, part in parts.items()})


def _lines(lines: tuple[ProgrammeLine, ...], content: InviteContent,
           phrases: dict) -> list[str]:
    zone = ZoneInfo(content.timezone)
    several_days = (content.starts_at.astimezone(zone).date()
                    != content.ends_at.astimezone(zone).date())
    result = []
    for line in lines:
        start, end = line.starts_at.astimezone(zone), line.ends_at.astimezone(zone)
        when = f"{start:%H:%M}–{end:%H:%M}"
        if several_days:
            day = phrases["short_date"].format(day=start.day,
                                               month=phrases["months"][start.month - 1])
            when = f"{day}, {when}"
        result.append(f"{when}  {line.title}" + (f" ({line.room})" if line.room else ""))
    return result


def _text_block(label: str, lines: list[str], link: str | None) -> str:
    if link:
        return f"\n{label}: {link}\n"
    return f"\n{label}:\n" + "".join(f"- {line}\n" for line in lines)


def _html_block(label: str, lines: list[str], link: str | None) -> str:
    if link:
        url = html.escape(link)
        return f'<p><strong>{html.escape(label)}:</strong> <a href="{url}">{url}</a></p>\n'
    items = "".join(f"<li>{html.escape(line)}</li>" for line in lines)
    return f"<p><strong>{html.escape(label)}:</strong></p>\n<ul>{items}</ul>\n"


@lru_cache(maxsize=8)
def _phrases(language: Language) -> dict:
    data = json.loads(_template(language, "phrases.json"))
    if data.get("format_version") != PHRASES_VERSION:
        raise RuntimeError(f"resources/mail/{language}/phrases.json: unknown format version")
    return data


@lru_cache(maxsize=32)
def _template(language: Language, name: str) -> str:
    return resources().joinpath("mail", Language(language).value, name).read_text(
        encoding="utf-8")
