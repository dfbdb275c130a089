"""ICS building and reading (exports.calendar), checked with icalendar AND vobject.

The structural rules of DESIGN.md §4 are asserted on the raw bytes and on both parsers'
readings: one ORGANIZER as a bare mailto, the ATTENDEE with RSVP=TRUE, stable UID, SEQUENCE,
VTIMEZONE with RRULEs (or UTC), CRLF, folding at 75 octets without splitting a UTF-8
character, escaping of comma, semicolon, backslash and newline.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import vobject
from hypothesis import given, settings
from hypothesis import strategies as st
from icalendar import Calendar

from smartconf.exports.calendar import (
    PRODID,
    CalendarEvent,
    CalendarFormatError,
    CalendarUser,
    Method,
    _itip_template,
    build_cancel,
    build_feed,
    build_request,
    check_ics,
    parse_event,
    parse_replies,
)

BELGRADE = ZoneInfo("Europe/Belgrade")
STAMP = datetime(2027, 1, 15, 10, 0, tzinfo=UTC)
ORGANIZER = CalendarUser("smartbalkans@kcss.example",
                         "Kosovar Centre for Security Studies – SMART Balkans")
ATTENDEE = CalendarUser("lindita.emerllahu@mpb-rks.example", "Dr. Lindita Ëmërllahu")


def local(*args: int) -> datetime:
    """A wall-clock time in Prishtina, as an aware instant."""
    return datetime(*args, tzinfo=BELGRADE)


def event(**changes) -> CalendarEvent:
    values = {"uid": "0c4f7e0a-1111-4c1e-9d7b-000000000001@smartconf.kcss", "sequence": 3,
              "starts_at": local(2027, 6, 10, 8, 30), "ends_at": local(2027, 6, 10, 17, 0),
              "summary": "Building the Cyber Security Agency: from Law to Operations",
              "location": "Emerald Hotel Prishtina, 10000 Prishtinë",
              "description": "Presents reports R2 and R4.", "timezone": "Europe/Belgrade"}
    return CalendarEvent(**{**values, **changes})


def request(**changes) -> bytes:
    return build_request(event(**changes), organizer=ORGANIZER, attendee=ATTENDEE, stamp=STAMP)


def physical_lines(data: bytes) -> list[bytes]:
    assert data.endswith(b"\r\n")
    return data.split(b"\r\n")[:-1]


def content_lines(data: bytes) -> list[str]:
    """Unfolded content lines (RFC 5545 §3.1), decoded."""
    return data.decode("utf-8").replace("\r\n ", "").split("\r\n")[:-1]


def lines_named(data: bytes, name: str) -> list[str]:
    return [line for line in content_lines(data) if re.match(rf"{name}[;:]", line)]


def the_vevent(data: bytes):
    events = Calendar.from_ical(data).walk("VEVENT")
    assert len(events) == 1
    return events[0]


# -- REQUEST --------------------------------------------------------------------------------


def test_request_structure_read_by_icalendar() -> None:
    data = request()
    calendar = Calendar.from_ical(data)
    assert str(calendar["method"]) == "REQUEST"
    assert str(calendar["version"]) == "2.0"
    assert str(calendar["prodid"]) == PRODID
    assert "uid" not in calendar  # no calendar-level UID (Calendar.new() would add one)
    vevent = the_vevent(data)
    assert str(vevent["uid"]) == event().uid
    assert int(vevent["sequence"]) == 3
    assert str(vevent["status"]) == "CONFIRMED"
    assert vevent.decoded("dtstamp") == STAMP
    assert str(vevent["summary"]) == event().summary
    assert str(vevent["location"]) == event().location
    assert str(vevent["description"]) == event().description


def test_exactly_one_organizer_as_bare_mailto_with_cn() -> None:
    data = request()
    organizers = lines_named(data, "ORGANIZER")
    assert len(organizers) == 1
    params, value = organizers[0].rsplit(":mailto:", 1)
    assert value == ORGANIZER.email
    assert f'CN="{ORGANIZER.name}"' in params
    assert str(the_vevent(data)["organizer"]) == f"mailto:{ORGANIZER.email}"


def test_attendee_asks_for_an_answer() -> None:
    data = request()
    (line,) = lines_named(data, "ATTENDEE")
    assert line.endswith(f":mailto:{ATTENDEE.email}")
    attendee = the_vevent(data)["attendee"]
    assert attendee.params["RSVP"] == "TRUE"
    assert attendee.params["PARTSTAT"] == "NEEDS-ACTION"
    assert attendee.params["ROLE"] == "REQ-PARTICIPANT"
    assert attendee.params["CN"] == ATTENDEE.name


def test_request_read_by_vobject() -> None:
    parsed = vobject.readOne(request().decode("utf-8"))
    assert parsed.method.value == "REQUEST"
    vevent = parsed.vevent
    assert vevent.uid.value == event().uid
    assert vevent.sequence.value == "3"
    assert len(vevent.contents["organizer"]) == 1
    assert vevent.organizer.value == f"mailto:{ORGANIZER.email}"
    (attendee,) = vevent.contents["attendee"]
    assert attendee.value == f"mailto:{ATTENDEE.email}"
    assert attendee.params["RSVP"] == ["TRUE"]
    assert attendee.params["CN"] == [ATTENDEE.name]
    assert vevent.dtstart.value.astimezone(UTC) == event().starts_at.astimezone(UTC)
    assert vevent.summary.value == event().summary


def test_uid_and_text_stable_across_regenerations() -> None:
    first, again = request(), request()
    assert first == again  # same input and stamp: the same bytes
    later = build_request(event(), organizer=ORGANIZER, attendee=ATTENDEE,
                          stamp=STAMP + timedelta(days=3))
    assert str(the_vevent(later)["uid"]) == str(the_vevent(first)["uid"])


def test_invitations_of_one_event_match_a_fresh_build() -> None:
    """Many attendees share one checked calendar; each result is what a build from scratch
    gives (the template cache is an optimisation, not a different output)."""
    others = [CalendarUser("a.gashi@example.org", "Arta Gashi"),
              CalendarUser("dj.colic@example.org", "Đorđe Čolić " * 6)]
    shared = [build_request(event(), organizer=ORGANIZER, attendee=a, stamp=STAMP)
              for a in [ATTENDEE, *others]]
    fresh = []
    for attendee in [ATTENDEE, *others]:
        _itip_template.cache_clear()
        fresh.append(build_request(event(), organizer=ORGANIZER, attendee=attendee,
                                   stamp=STAMP))
    assert shared == fresh
    for data, attendee in zip(shared, [ATTENDEE, *others], strict=True):
        assert check_ics(data, Method.REQUEST) == []
        assert the_vevent(data)["attendee"].params["CN"] == " ".join(attendee.name.split())
        assert "placeholder" not in data.decode()


def test_dtstamp_is_utc() -> None:
    (line,) = lines_named(request(), "DTSTAMP")
    assert line == "DTSTAMP:20270115T100000Z"


def test_lines_end_in_crlf_only() -> None:
    data = request(description="first line\nsecond line\r\nthird")
    assert b"\n" not in data.replace(b"\r\n", b"")
    assert b"\r" not in data.replace(b"\r\n", b"")


# -- folding and escaping ---------------------------------------------------------------------


@pytest.mark.parametrize("text", [
    "Ë" * 120,  # two octets each
    "a" + "Ђ" * 100,  # shifts the two-octet characters by one
    "ab" + "€" * 90,  # three octets each
    "abc" + "🛡" * 60,  # four octets each
    "Konferenca: Mbrojtja e infrastrukturës kritike sipas ligjit të Kosovës – roli i Divizionit",
])
def test_folding_never_splits_a_character(text: str) -> None:
    data = request(summary=text, description=text * 3, location=text)
    for line in physical_lines(data):
        assert len(line) <= 75, line
        line.decode("utf-8")  # each physical line on its own is valid UTF-8
    assert any(line.startswith(b" ") for line in physical_lines(data))  # it did fold
    assert str(the_vevent(data)["summary"]) == text
    assert vobject.readOne(data.decode("utf-8")).vevent.summary.value == text


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.sampled_from("aZ ,;\\\nëçČćđŠЖя€🛡:\"'"), min_size=1, max_size=200)
       .filter(lambda t: t.strip()))
def test_any_text_survives_folding_and_escaping(text: str) -> None:
    data = request(summary=text, description=text)
    for line in physical_lines(data):
        assert len(line) <= 75
        line.decode("utf-8")
    expected = text.strip()
    assert str(the_vevent(data)["summary"]) == expected
    assert vobject.readOne(data.decode("utf-8")).vevent.description.value == expected


def test_escaping_of_comma_semicolon_backslash_newline() -> None:
    text = "Panel 2, part 1; C:\\agenda\nsecond line"
    data = request(summary=text)
    (line,) = lines_named(data, "SUMMARY")
    assert line == "SUMMARY:Panel 2\\, part 1\\; C:\\\\agenda\\nsecond line"
    assert str(the_vevent(data)["summary"]) == text
    assert vobject.readOne(data.decode("utf-8")).vevent.summary.value == text


def test_names_with_quotes_and_commas_stay_one_parameter() -> None:
    attendee = CalendarUser("a.gashi@example.org", 'Gashi, Arta "Ari"')
    data = build_request(event(), organizer=ORGANIZER, attendee=attendee, stamp=STAMP)
    (line,) = lines_named(data, "ATTENDEE")
    assert "CN=\"Gashi, Arta 'Ari'\"" in line and "^" not in line  # no RFC 6868 escapes
    assert the_vevent(data)["attendee"].params["CN"] == "Gashi, Arta 'Ari'"


# -- time zones and the DST switches ---------------------------------------------------------


def test_vtimezone_written_with_rrules_not_rdates() -> None:
    data = request()
    text = data.decode("utf-8")
    assert "RDATE" not in text
    zone = Calendar.from_ical(data).walk("VTIMEZONE")
    assert len(zone) == 1 and str(zone[0]["tzid"]) == "Europe/Belgrade"
    daylight, standard = zone[0].walk("DAYLIGHT"), zone[0].walk("STANDARD")
    assert len(daylight) == len(standard) == 1
    assert daylight[0]["rrule"].to_ical() == b"FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3"
    assert standard[0]["rrule"].to_ical() == b"FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10"
    assert daylight[0]["tzoffsetfrom"].to_ical() == "+0100"
    assert daylight[0]["tzoffsetto"].to_ical() == "+0200"
    assert "DTSTART;TZID=Europe/Belgrade:20270610T083000" in content_lines(data)


# Sessions on the last Sunday of March and of October 2027, around and after the switch.
DST_CASES = [
    (local(2027, 3, 28, 1, 30), datetime(2027, 3, 28, 0, 30, tzinfo=UTC)),  # still CET
    (local(2027, 3, 28, 3, 30), datetime(2027, 3, 28, 1, 30, tzinfo=UTC)),  # CEST already
    (local(2027, 3, 28, 9, 0), datetime(2027, 3, 28, 7, 0, tzinfo=UTC)),
    (local(2027, 10, 31, 1, 30), datetime(2027, 10, 30, 23, 30, tzinfo=UTC)),  # still CEST
    (local(2027, 10, 31, 3, 30), datetime(2027, 10, 31, 2, 30, tzinfo=UTC)),  # CET again
    (local(2027, 10, 31, 9, 0), datetime(2027, 10, 31, 8, 0, tzinfo=UTC)),
]


@pytest.mark.parametrize(("starts", "instant"), DST_CASES)
def test_dst_switch_days_land_on_the_right_utc_instant(starts: datetime,
                                                       instant: datetime) -> None:
    assert starts.astimezone(UTC) == instant  # the test's own premise
    data = request(starts_at=instant, ends_at=instant + timedelta(hours=1))
    # vobject resolves the times through the VTIMEZONE written in the file (dateutil).
    parsed = vobject.readOne(data.decode("utf-8")).vevent
    assert parsed.dtstart.value.astimezone(UTC) == instant
    assert parsed.dtend.value.astimezone(UTC) == instant + timedelta(hours=1)
    # icalendar: the file's VTIMEZONE turned into a tzinfo, without looking the TZID up.
    calendar = Calendar.from_ical(data)
    own_zone = calendar.walk("VTIMEZONE")[0].to_tz(lookup_tzid=False)
    wall = calendar.walk("VEVENT")[0].decoded("dtstart").replace(tzinfo=None)
    assert wall.replace(tzinfo=own_zone).astimezone(UTC) == instant


def test_utc_conference_is_written_in_utc() -> None:
    starts = datetime(2027, 6, 10, 7, 0, tzinfo=UTC)
    data = request(timezone="UTC", starts_at=starts, ends_at=starts + timedelta(hours=2))
    assert "VTIMEZONE" not in data.decode()
    assert "DTSTART:20270610T070000Z" in content_lines(data)
    assert vobject.readOne(data.decode()).vevent.dtstart.value == starts


def test_zone_without_dst_has_one_observance_and_no_rule() -> None:
    data = request(timezone="Asia/Tokyo")
    (zone,) = Calendar.from_ical(data).walk("VTIMEZONE")
    assert not zone.walk("DAYLIGHT") and len(zone.walk("STANDARD")) == 1
    assert "RRULE" not in zone.to_ical().decode() and "RDATE" not in data.decode()
    assert vobject.readOne(data.decode()).vevent.dtstart.value.astimezone(UTC) == \
        event().starts_at.astimezone(UTC)


def test_other_rules_are_derived_from_the_zone() -> None:
    data = request(timezone="America/New_York")
    (zone,) = Calendar.from_ical(data).walk("VTIMEZONE")
    assert zone.walk("DAYLIGHT")[0]["rrule"].to_ical() == b"FREQ=YEARLY;BYDAY=2SU;BYMONTH=3"
    assert zone.walk("STANDARD")[0]["rrule"].to_ical() == b"FREQ=YEARLY;BYDAY=1SU;BYMONTH=11"
    parsed = vobject.readOne(data.decode()).vevent
    assert parsed.dtstart.value.astimezone(UTC) == event().starts_at.astimezone(UTC)


# -- CANCEL and PUBLISH ------------------------------------------------------------------------


def test_cancel_keeps_uid_and_marks_cancelled() -> None:
    data = build_cancel(event(sequence=4), organizer=ORGANIZER, attendee=ATTENDEE,
                        stamp=STAMP)
    calendar = Calendar.from_ical(data)
    assert str(calendar["method"]) == "CANCEL"
    vevent = the_vevent(data)
    assert str(vevent["uid"]) == event().uid
    assert int(vevent["sequence"]) == 4
    assert str(vevent["status"]) == "CANCELLED"
    assert len(lines_named(data, "ORGANIZER")) == 1
    assert vobject.readOne(data.decode()).vevent.status.value == "CANCELLED"


def test_publish_feed_has_every_session_and_no_attendee() -> None:
    sessions = [event(uid=f"s{i}@smartconf.kcss", summary=f"Session {i}",
                      starts_at=local(2027, 6, 10, 9 + i), ends_at=local(2027, 6, 10, 10 + i))
                for i in range(3)]
    data = build_feed(sessions, organizer=ORGANIZER, name="SB-CSA agenda", stamp=STAMP)
    calendar = Calendar.from_ical(data)
    assert str(calendar["method"]) == "PUBLISH"
    assert [str(e["uid"]) for e in calendar.walk("VEVENT")] == [s.uid for s in sessions]
    assert "ATTENDEE" not in data.decode()
    assert len(calendar.walk("VTIMEZONE")) == 1
    parsed = vobject.readOne(data.decode())
    assert len(parsed.contents["vevent"]) == 3
    assert check_ics(data, Method.PUBLISH) == []


def test_cancelled_feed_marks_events_cancelled() -> None:
    data = build_feed([event()], organizer=ORGANIZER, name="x", cancelled=True, stamp=STAMP)
    assert str(the_vevent(data)["status"]) == "CANCELLED"


def test_parse_event_reads_back_what_was_written() -> None:
    original = event(summary="Panel, 2; final\nday")
    assert parse_event(request(summary=original.summary)) == original


# -- the checker catches what it is for -------------------------------------------------------


def _tamper(data: bytes, old: bytes, new: bytes) -> bytes:
    assert old in data
    return data.replace(old, new, 1)


@pytest.mark.parametrize(("change", "problem"), [
    (lambda d: d.replace(b"\r\n", b"\n"), "CRLF"),
    (lambda d: _tamper(d, b"STATUS:CONFIRMED\r\n",
                       b"STATUS:CONFIRMED\r\nORGANIZER:mailto:other@example.org\r\n"),
     "ORGANIZER"),
    (lambda d: _tamper(d, b";RSVP=TRUE", b""), "RSVP"),
    (lambda d: _tamper(d, b'":mailt\r\n o:smartbalkans', b'":\r\n smartbalkans'), "ORGANIZER"),
    (lambda d: _tamper(d, b"TZID:Europe/Belgrade", b"TZID:Europe/Paris"), "VTIMEZONE"),
    (lambda d: _tamper(d, b"DESCRIPTION:", b"DESCRIPTION:" + "ë".encode() * 40), "octets"),
    (lambda d: _tamper(d, b"METHOD:REQUEST\r\n", b"METHOD:REQUEST\r\nUID:x\r\n"),
     "calendar-level UID"),
])
def test_check_ics_reports_broken_invitations(change, problem: str) -> None:
    assert check_ics(request(), Method.REQUEST) == []
    problems = check_ics(change(request()), Method.REQUEST)
    assert any(problem in p for p in problems), problems


def test_check_ics_reports_a_split_character() -> None:
    good = request(summary="Ë" * 60)
    lines = physical_lines(good)
    index = next(i for i, line in enumerate(lines) if line.startswith(b"SUMMARY"))
    broken = lines[index][:-1], b" " + lines[index][-1:] + lines[index + 1][1:]
    data = b"\r\n".join([*lines[:index], *broken, *lines[index + 2:]]) + b"\r\n"
    assert any("splits a UTF-8 character" in p for p in check_ics(data, Method.REQUEST))


# -- replies ---------------------------------------------------------------------------------


def reply(partstat: str = "ACCEPTED", *, method: str = "REPLY",
          attendee: str = "MAILTO:Lindita.Emerllahu@MPB-RKS.example") -> bytes:
    return (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Microsoft Corporation//Outlook 16.0//EN\r\n"
        f"METHOD:{method}\r\nBEGIN:VEVENT\r\nUID:{event().uid}\r\nSEQUENCE:3\r\n"
        "DTSTAMP:20270120T091500Z\r\n"
        "ORGANIZER;CN=KCSS:mailto:SmartBalkans@kcss.example\r\n"
        f"ATTENDEE;PARTSTAT={partstat};CN=\"Ëmërllahu, Lindita\":{attendee}\r\n"
        "END:VEVENT\r\nEND:VCALENDAR\r\n").encode()


@pytest.mark.parametrize("partstat", ["ACCEPTED", "DECLINED", "TENTATIVE"])
def test_parse_reply(partstat: str) -> None:
    (answer,) = parse_replies(reply(partstat))
    assert answer.partstat == partstat
    assert answer.uid == event().uid
    assert answer.sequence == 3
    assert answer.stamp == datetime(2027, 1, 20, 9, 15, tzinfo=UTC)
    assert answer.organizer == "smartbalkans@kcss.example"
    assert answer.attendee == "lindita.emerllahu@mpb-rks.example"


@pytest.mark.parametrize(("data", "message"), [
    (b"\x00\xff\xfe garbage \x89PNG", "not an iCalendar file"),
    (b"", "not an iCalendar file"),
    (b"BEGIN:VCALENDAR\r\nthis is : not ; valid\r\n", "unreadable"),
    (b"BEGIN:VCALENDAR\r\nMETHOD:REPLY\r\nEND:VCALENDAR\r\n", "no VEVENT"),
])
def test_garbage_is_a_clear_error(data: bytes, message: str) -> None:
    with pytest.raises(CalendarFormatError, match=message):
        parse_replies(data)


def test_a_request_is_not_a_reply() -> None:
    with pytest.raises(CalendarFormatError, match="METHOD is REQUEST, not REPLY"):
        parse_replies(request())
    with pytest.raises(CalendarFormatError, match="METHOD is PUBLISH"):
        parse_replies(reply(method="PUBLISH"))


# -- snapshot --------------------------------------------------------------------------------

SNAPSHOT = """\
BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//KCSS SMART Balkans//smartconf ICS 1//EN
CALSCALE:GREGORIAN
METHOD:REQUEST
BEGIN:VTIMEZONE
TZID:Europe/Belgrade
BEGIN:DAYLIGHT
DTSTART:20260329T020000
RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3
TZNAME:CEST
TZOFFSETFROM:+0100
TZOFFSETTO:+0200
END:DAYLIGHT
BEGIN:STANDARD
DTSTART:20261025T030000
RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10
TZNAME:CET
TZOFFSETFROM:+0200
TZOFFSETTO:+0100
END:STANDARD
END:VTIMEZONE
BEGIN:VEVENT
SUMMARY:Building the Cyber Security Agency: from Law to Operations
DTSTART;TZID=Europe/Belgrade:20270610T083000
DTEND;TZID=Europe/Belgrade:20270610T170000
DTSTAMP:20270115T100000Z
UID:0c4f7e0a-1111-4c1e-9d7b-000000000001@smartconf.kcss
SEQUENCE:3
ATTENDEE;CN="Dr. Lindita Ëmërllahu";CUTYPE=INDIVIDUAL;PARTSTAT=NEEDS-ACT
 ION;ROLE=REQ-PARTICIPANT;RSVP=TRUE:mailto:lindita.emerllahu@mpb-rks.exampl
 e
CLASS:PUBLIC
DESCRIPTION:Presents reports R2 and R4.
LOCATION:Emerald Hotel Prishtina\\, 10000 Prishtinë
ORGANIZER;CN="Kosovar Centre for Security Studies – SMART Balkans":mailt
 o:smartbalkans@kcss.example
STATUS:CONFIRMED
TRANSP:OPAQUE
END:VEVENT
END:VCALENDAR
"""


def test_request_snapshot() -> None:
    """The payload (PRODID "ICS 1") as it leaves the application; change both together."""
    assert request().decode("utf-8") == SNAPSHOT.replace("\n", "\r\n")
