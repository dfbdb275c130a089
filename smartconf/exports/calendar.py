"""iCalendar (RFC 5545) and iTIP (RFC 5546): invitations, cancellations, the agenda feed, and
the replies that come back. Plain data in, bytes out; nothing here touches the database.

Times are written with a TZID and a VTIMEZONE whose rules are yearly RRULEs derived from the
IANA zone (``Europe/Belgrade``: last Sunday of March and of October), never icalendar's
RDATE lists, which Outlook misreads; a zone that yearly rules cannot describe falls back to
UTC times. icalendar folds and escapes; ``check_ics`` then checks the output against the rules
the application relies on, because ``validate()`` is shallow.
"""

from __future__ import annotations

import calendar as stdcalendar
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from icalendar import (
    Calendar,
    Event,
    Timezone,
    TimezoneDaylight,
    TimezoneStandard,
    vCalAddress,
    vText,
)

from smartconf.core.errors import ValidationError

PRODID = "-//KCSS SMART Balkans//smartconf ICS 1//EN"  # "ICS 1": version of this payload
MAX_LINE_OCTETS = 75
_EMAIL = re.compile(r"^[^@\s:;,<>\"]+@[^@\s:;,<>\"]+$")


class Method(StrEnum):
    """iTIP methods used here."""

    REQUEST = "REQUEST"
    CANCEL = "CANCEL"
    PUBLISH = "PUBLISH"
    REPLY = "REPLY"


class PartStat(StrEnum):
    """The answers a REPLY can carry that mean something to us."""

    ACCEPTED = "ACCEPTED"
    TENTATIVE = "TENTATIVE"
    DECLINED = "DECLINED"


@dataclass(frozen=True, slots=True)
class CalendarUser:
    """An organiser or attendee: e-mail address and display name (CN)."""

    email: str
    name: str = ""


@dataclass(frozen=True, slots=True)
class CalendarEvent:
    """One event as calendars show it. Instants are aware; ``timezone`` is an IANA name."""

    uid: str
    sequence: int
    starts_at: datetime
    ends_at: datetime
    summary: str
    location: str = ""
    description: str = ""
    timezone: str = "UTC"
    url: str | None = None


@dataclass(frozen=True, slots=True)
class Reply:
    """One attendee's answer read from an iTIP REPLY."""

    uid: str
    sequence: int
    stamp: datetime | None  # DTSTAMP, UTC
    organizer: str | None  # e-mail, lower case
    attendee: str  # e-mail, lower case
    partstat: str  # as written, upper case (ACCEPTED, DECLINED, ...)


class CalendarFormatError(ValidationError):
    """A file is not a usable iCalendar object (or not the kind expected)."""


# -- building -------------------------------------------------------------------------------


def build_request(event: CalendarEvent, *, organizer: CalendarUser, attendee: CalendarUser,
                  stamp: datetime | None = None) -> bytes:
    """METHOD:REQUEST for one attendee (RSVP wanted), STATUS:CONFIRMED."""
    return _build_itip(Method.REQUEST, event, organizer, attendee, stamp)


def build_cancel(event: CalendarEvent, *, organizer: CalendarUser, attendee: CalendarUser,
                 stamp: datetime | None = None) -> bytes:
    """METHOD:CANCEL for one attendee: same UID, the caller's (raised) SEQUENCE, CANCELLED."""
    return _build_itip(Method.CANCEL, event, organizer, attendee, stamp)


def build_feed(events: Sequence[CalendarEvent], *, organizer: CalendarUser, name: str,
               cancelled: bool = False, stamp: datetime | None = None) -> bytes:
    """METHOD:PUBLISH of several events (the agenda for a website): no attendees.

    ``cancelled`` marks every event STATUS:CANCELLED (the conference was called off).
    """
    calendar = _calendar(Method.PUBLISH)
    calendar.add("x-wr-calname", name)
    zones = _add_timezones(calendar, events)
    status = "CANCELLED" if cancelled else "CONFIRMED"
    for event in events:
        calendar.add_component(_vevent(event, zones[event.timezone], organizer, _stamp(stamp),
                                       status))
    return _checked(calendar, Method.PUBLISH)


def _build_itip(method: Method, event: CalendarEvent, organizer: CalendarUser,
                attendee: CalendarUser, stamp: datetime | None) -> bytes:
    """The calendar for one attendee: the checked calendar of the event (built once per event,
    method and stamp), with the placeholder's ATTENDEE line replaced by the attendee's, both
    written by icalendar. Sending one event to 2,000 people thus parses and checks it once."""
    template = _itip_template(method, event, organizer, _stamp(stamp))
    data = template.replace(_placeholder_line(method), _attendee_line(method, attendee))
    problems = _line_problems(data)
    if problems:
        raise ValueError("invalid iCalendar output: " + "; ".join(problems))
    return data


_PLACEHOLDER = CalendarUser("attendee@placeholder.invalid")


@lru_cache(maxsize=64)
def _itip_template(method: Method, event: CalendarEvent, organizer: CalendarUser,
                   stamp: datetime) -> bytes:
    status = "CANCELLED" if method is Method.CANCEL else "CONFIRMED"
    calendar = _calendar(method)
    zones = _add_timezones(calendar, [event])
    vevent = _vevent(event, zones[event.timezone], organizer, stamp, status)
    vevent.add("attendee", _attendee(method, _PLACEHOLDER))
    calendar.add_component(vevent)
    data = _checked(calendar, method)
    if data.count(_placeholder_line(method)) != 1:
        raise ValueError("invalid iCalendar output: the ATTENDEE line cannot be told apart")
    return data


def _attendee(method: Method, user: CalendarUser) -> vCalAddress:
    return _address(user, ROLE="REQ-PARTICIPANT", PARTSTAT="NEEDS-ACTION",
                    RSVP="TRUE" if method is Method.REQUEST else "FALSE", CUTYPE="INDIVIDUAL")


@lru_cache(maxsize=4)
def _placeholder_line(method: Method) -> bytes:
    return _attendee_line(method, _PLACEHOLDER)


def _attendee_line(method: Method, user: CalendarUser) -> bytes:
    """The ATTENDEE content line exactly as icalendar writes it in a VEVENT (folded, CRLF)."""
    holder = Event()
    holder.add("attendee", _attendee(method, user))
    data = holder.to_ical()
    return data[data.index(b"\r\n") + 2:data.rindex(b"END:VEVENT")]


def _calendar(method: Method) -> Calendar:
    calendar = Calendar()  # not Calendar.new(): that adds a calendar-level UID
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method.value)
    return calendar


def _stamp(stamp: datetime | None) -> datetime:
    return (stamp or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)


def _vevent(event: CalendarEvent, zone: ZoneInfo | None, organizer: CalendarUser,
            stamp: datetime, status: str) -> Event:
    """One VEVENT; times in ``zone`` (with its TZID) or, when None, in UTC."""
    vevent = Event()
    vevent.add("uid", event.uid)
    vevent.add("sequence", event.sequence)
    vevent.add("dtstamp", stamp)
    vevent.add("dtstart", _local(event.starts_at, zone))
    vevent.add("dtend", _local(event.ends_at, zone))
    vevent.add("summary", _text(event.summary))
    if event.location:
        vevent.add("location", _text(event.location))
    if event.description:
        vevent.add("description", _text(event.description))
    if event.url:
        vevent.add("url", event.url)
    vevent.add("organizer", _address(organizer))
    vevent.add("status", status)
    vevent.add("transp", "OPAQUE")
    vevent.add("class", "PUBLIC")
    return vevent


def _text(value: str) -> vText:
    """Normalised line ends; icalendar escapes , ; \\ and newlines."""
    return vText(value.replace("\r\n", "\n").replace("\r", "\n").strip())


def is_calendar_address(email: str) -> bool:
    """True when ``email`` can be written as a ``mailto:`` calendar address."""
    return bool(_EMAIL.match(email.strip()))


def _address(user: CalendarUser, **params: str) -> vCalAddress:
    email = user.email.strip()
    if not is_calendar_address(email):
        raise ValueError(f"not an e-mail address for a calendar: {email!r}")
    address = vCalAddress(f"mailto:{email}")
    name = " ".join(user.name.replace('"', "'").split())  # no RFC 6868 escapes: Outlook
    if name:
        address.params["CN"] = name
    for key, value in params.items():
        address.params[key] = value
    return address


def _local(instant: datetime, zone: ZoneInfo | None) -> datetime:
    if instant.tzinfo is None:
        raise ValueError("calendar times must be aware datetimes")
    return instant.astimezone(zone or UTC).replace(microsecond=0)


def _years(events: Iterable[CalendarEvent]) -> tuple[int, int]:
    years = [t.year for e in events for t in (e.starts_at, e.ends_at)]
    return min(years), max(years)


# -- time zones -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Transition:
    month: int
    byday: str  # "-1SU", "2SU"...
    wall: tuple[int, int]  # local time of day before the change (hour, minute)
    offset_from: timedelta
    offset_to: timedelta
    name: str


def event_zone(timezone: str, years: tuple[int, int]) -> ZoneInfo | None:
    """The zone to write times in, or None for UTC (unknown zone, or not rule-expressible)."""
    if timezone.upper() in ("UTC", "ETC/UTC", "Z"):
        return None
    return ZoneInfo(timezone) if _zone_rules(timezone, *years) is not None else None


def _add_timezones(calendar: Calendar,
                   events: Sequence[CalendarEvent]) -> dict[str, ZoneInfo | None]:
    """Add a VTIMEZONE per zone the events use; returns the zone to write each one in."""
    by_zone: dict[str, list[CalendarEvent]] = {}
    for event in events:
        by_zone.setdefault(event.timezone, []).append(event)
    chosen = {}
    for name, members in sorted(by_zone.items()):
        years = _years(members)
        chosen[name] = event_zone(name, years)
        if chosen[name] is not None:
            calendar.add_component(_vtimezone(name, years))
    return chosen


def _vtimezone(name: str, years: tuple[int, int]) -> Timezone:
    rules = _zone_rules(name, *years)
    assert rules is not None
    vtimezone = Timezone()
    vtimezone.add("tzid", name)
    first = years[0] - 1
    if not rules:  # no daylight saving: one observance, no rule
        local = datetime(first, 1, 1, tzinfo=UTC).astimezone(ZoneInfo(name))
        standard = TimezoneStandard()
        standard.add("dtstart", datetime(first, 1, 1))
        standard.add("tzoffsetfrom", local.utcoffset())
        standard.add("tzoffsetto", local.utcoffset())
        standard.add("tzname", local.tzname() or name)
        vtimezone.add_component(standard)
        return vtimezone
    for rule in rules:
        daylight = rule.offset_to > rule.offset_from
        part = TimezoneDaylight() if daylight else TimezoneStandard()
        part.add("dtstart", _onset(first, rule))
        part.add("tzoffsetfrom", rule.offset_from)
        part.add("tzoffsetto", rule.offset_to)
        part.add("tzname", rule.name)
        part.add("rrule", {"freq": "yearly", "bymonth": rule.month, "byday": rule.byday})
        vtimezone.add_component(part)
    return vtimezone


def _onset(year: int, rule: _Transition) -> datetime:
    """The local wall-clock time (before the change) of the rule's transition in ``year``."""
    weekday_count = int(rule.byday[:-2])
    days = [d for d in range(1, stdcalendar.monthrange(year, rule.month)[1] + 1)
            if date(year, rule.month, d).weekday() == 6]
    day = days[weekday_count - 1] if weekday_count > 0 else days[weekday_count]
    return datetime(year, rule.month, day, *rule.wall)


@lru_cache(maxsize=64)
def _zone_rules(name: str, first: int, last: int) -> tuple[_Transition, ...] | None:
    """Yearly rules valid from ``first - 1`` to ``last + 1``; () without DST; None if none fit.

    Only Sunday rules are recognised (all European zones); others fall back to UTC.
    """
    try:
        zone = ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None
    per_year = [tuple(_transitions(zone, year)) for year in range(first - 1, last + 2)]
    if all(not found for found in per_year):
        return ()
    if any(found != per_year[0] for found in per_year) or len(per_year[0]) != 2:
        return None
    return per_year[0]


def _transitions(zone: ZoneInfo, year: int) -> list[_Transition]:
    found = []
    day = datetime(year, 1, 1, tzinfo=UTC)
    while day.year == year:
        following = day + timedelta(days=1)
        if _offset(zone, day) != _offset(zone, following):
            change = _bisect(zone, day, following)
            rule = _as_rule(zone, change)
            if rule is None:
                return [_Transition(0, "", (0, 0), timedelta(0), timedelta(0), "irregular")]
            found.append(rule)
        day = following
    return found


def _bisect(zone: ZoneInfo, before: datetime, after: datetime) -> datetime:
    """The first UTC minute with the new offset."""
    while after - before > timedelta(minutes=1):
        middle = before + (after - before) / 2
        middle = middle.replace(second=0, microsecond=0)
        if middle <= before:
            middle = before + timedelta(minutes=1)
        if _offset(zone, middle) == _offset(zone, before):
            before = middle
        else:
            after = middle
    return after


def _offset(zone: ZoneInfo, instant: datetime) -> timedelta:
    """The zone's UTC offset at a UTC instant."""
    return instant.astimezone(zone).utcoffset()


def _as_rule(zone: ZoneInfo, change: datetime) -> _Transition | None:
    offset_from = _offset(zone, change - timedelta(minutes=1))
    offset_to = _offset(zone, change)
    wall = (change + offset_from).replace(tzinfo=None)
    if wall.weekday() != 6:
        return None
    last_day = stdcalendar.monthrange(wall.year, wall.month)[1]
    byday = "-1SU" if wall.day + 7 > last_day else f"{(wall.day - 1) // 7 + 1}SU"
    return _Transition(wall.month, byday, (wall.hour, wall.minute), offset_from, offset_to,
                       zone.tzname(change.astimezone(zone)) or "")


# -- checking -------------------------------------------------------------------------------


def _checked(calendar: Calendar, method: Method) -> bytes:
    data = calendar.to_ical()
    problems = check_ics(data, method)
    if problems:
        raise ValueError("invalid iCalendar output: " + "; ".join(problems))
    return data


def check_ics(data: bytes, method: Method) -> list[str]:
    """Problems of ``data`` against RFC 5545 lines and the iTIP rules we rely on ([] if none)."""
    problems = _line_problems(data)
    if problems:
        return problems
    calendar = Calendar.from_ical(data)
    if str(calendar.get("method", "")).upper() != method.value:
        problems.append(f"METHOD is not {method.value}")
    for key in ("prodid", "version"):
        if key not in calendar:
            problems.append(f"{key.upper()} missing")
    if "uid" in calendar:
        problems.append("calendar-level UID")
    events = calendar.walk("VEVENT")
    if not events or (method is not Method.PUBLISH and len(events) != 1):
        problems.append(f"{len(events)} VEVENTs")
    zones = {str(z["tzid"]) for z in calendar.walk("VTIMEZONE")}
    for event in events:
        problems += _event_problems(event, method, zones)
    return problems


def _line_problems(data: bytes) -> list[str]:
    if not data.endswith(b"\r\n") or b"\n" in data.replace(b"\r\n", b""):
        return ["lines must end in CRLF"]
    problems = []
    for number, line in enumerate(data.split(b"\r\n")[:-1], start=1):
        if len(line) > MAX_LINE_OCTETS:
            problems.append(f"line {number} has {len(line)} octets")
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            problems.append(f"line {number} splits a UTF-8 character")
    return problems


def _event_problems(event, method: Method, zones: set[str]) -> list[str]:
    problems = [f"{key.upper()} missing" for key in ("uid", "dtstamp", "dtstart", "summary")
                if key not in event]
    if method is not Method.PUBLISH and "sequence" not in event:
        problems.append("SEQUENCE missing")
    organizers = event.get("organizer")
    if not isinstance(organizers, vCalAddress) or not _is_bare_mailto(organizers):
        problems.append("exactly one ORGANIZER as a bare mailto: is required")
    attendees = _as_list(event.get("attendee"))
    if method is Method.PUBLISH and attendees:
        problems.append("PUBLISH must not name attendees")
    if method in (Method.REQUEST, Method.CANCEL):
        if len(attendees) != 1 or not _is_bare_mailto(attendees[0]):
            problems.append("exactly one ATTENDEE as a bare mailto: is required")
        elif method is Method.REQUEST and attendees[0].params.get("RSVP") != "TRUE":
            problems.append("ATTENDEE without RSVP=TRUE")
    wanted = {Method.CANCEL: {"CANCELLED"}, Method.REQUEST: {"CONFIRMED"}}.get(
        method, {"CONFIRMED", "CANCELLED"})
    if str(event.get("status", "")).upper() not in wanted:
        problems.append(f"STATUS is not {' or '.join(sorted(wanted))}")
    for key in ("dtstart", "dtend"):
        if key in event:
            problems += _time_problems(event[key], key, zones)
    return problems


def _time_problems(prop, key: str, zones: set[str]) -> list[str]:
    tzid = prop.params.get("TZID")
    if tzid is not None:
        return [] if tzid in zones else [f"{key.upper()} names TZID {tzid} without VTIMEZONE"]
    value = prop.dt
    if not isinstance(value, datetime) or value.utcoffset() != timedelta(0):
        return [f"{key.upper()} is neither UTC nor with a TZID"]
    return []


def _is_bare_mailto(address) -> bool:
    value = str(address)
    return value.lower().startswith("mailto:") and bool(_EMAIL.match(value[7:]))


def _as_list(value) -> list:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


# -- reading --------------------------------------------------------------------------------


def parse_calendar(data: bytes) -> Calendar:
    """Parse iCalendar bytes; CalendarFormatError when they are not a VCALENDAR."""
    try:
        text = data.decode("utf-8-sig") if isinstance(data, bytes) else data
    except UnicodeDecodeError as exc:
        raise CalendarFormatError("not an iCalendar file (not UTF-8 text)") from exc
    if not text.lstrip().upper().startswith("BEGIN:VCALENDAR"):
        raise CalendarFormatError("not an iCalendar file (no BEGIN:VCALENDAR)")
    try:
        calendar = Calendar.from_ical(text)
    except (ValueError, KeyError, TypeError, IndexError) as exc:
        raise CalendarFormatError(f"unreadable iCalendar data ({exc})") from exc
    if calendar.name != "VCALENDAR":
        raise CalendarFormatError("not an iCalendar file (no VCALENDAR)")
    return calendar


def parse_replies(data: bytes) -> list[Reply]:
    """The answers in an iTIP REPLY, one per VEVENT and ATTENDEE.

    CalendarFormatError when the data is not a calendar, not a REPLY, or a VEVENT lacks its
    UID or attendee.
    """
    calendar = parse_calendar(data)
    method = str(calendar.get("method", "")).upper()
    if method != Method.REPLY:
        raise CalendarFormatError(f"METHOD is {method or 'missing'}, not REPLY")
    events = calendar.walk("VEVENT")
    if not events:
        raise CalendarFormatError("the reply holds no VEVENT")
    replies = []
    for event in events:
        replies += _event_replies(event)
    return replies


def _event_replies(event) -> list[Reply]:
    uid = str(event.get("uid", "")).strip()
    attendees = _as_list(event.get("attendee"))
    if not uid or not attendees:
        raise CalendarFormatError("a VEVENT of the reply has no UID or no ATTENDEE")
    organizer = event.get("organizer")
    organizer_email = _mail_address(organizer) if organizer is not None else None
    return [Reply(uid=uid, sequence=_sequence(event), stamp=_dtstamp(event),
                  organizer=organizer_email, attendee=_mail_address(attendee),
                  partstat=str(attendee.params.get("PARTSTAT", "NEEDS-ACTION")).upper())
            for attendee in attendees]


def _mail_address(address) -> str:
    value = str(address).strip()
    if value.lower().startswith("mailto:"):
        value = value[7:]
    return value.strip().lower()


def _sequence(event) -> int:
    try:
        return int(str(event.get("sequence", 0)))
    except ValueError as exc:
        raise CalendarFormatError("SEQUENCE is not a number") from exc


def _dtstamp(event) -> datetime | None:
    if "dtstamp" not in event:
        return None
    value = event.decoded("dtstamp")
    if not isinstance(value, datetime):
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def parse_event(data: bytes | str) -> CalendarEvent:
    """The first VEVENT of a calendar we wrote, back as a CalendarEvent (to cancel it later)."""
    calendar = parse_calendar(data.encode() if isinstance(data, str) else data)
    events = calendar.walk("VEVENT")
    if not events:
        raise CalendarFormatError("the calendar holds no VEVENT")
    event = events[0]
    starts, ends = event.decoded("dtstart"), event.decoded("dtend")
    tzid = event["dtstart"].params.get("TZID", "UTC")
    return CalendarEvent(
        uid=str(event["uid"]), sequence=_sequence(event),
        starts_at=starts.astimezone(UTC), ends_at=ends.astimezone(UTC),
        summary=str(event.get("summary", "")), location=str(event.get("location", "")),
        description=str(event.get("description", "")), timezone=tzid,
        url=str(event["url"]) if "url" in event else None)
