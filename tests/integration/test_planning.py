"""Planning on SQLite and PostgreSQL: conferences, rooms and agenda sessions, the calendar
sequence rule, conflicts, and the agenda PDF built from the database."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from smartconf.core.enums import (
    AgendaSessionKind,
    ConferenceStatus,
    OrganisationKind,
    OutcomeKind,
    ParticipantStatus,
)
from smartconf.core.errors import ValidationError
from smartconf.models import (
    Affiliation,
    Conference,
    Finding,
    Organisation,
    Outcome,
    Participant,
    Person,
    Report,
)
from smartconf.services.planning import (
    AgendaSessionInput,
    ConferenceInput,
    ConflictKind,
    add_room,
    agenda_conflicts,
    agenda_session_input,
    cancel_conference,
    create_agenda_session,
    create_conference,
    delete_agenda_session,
    delete_room,
    move_agenda_session,
    render_agenda_pdf,
    resize_agenda_session,
    update_agenda_session,
    update_conference,
    update_room,
)
from tests.pdftools import pdf_text, require_poppler

ACTOR = "coordinator"
UID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}@smartconf\.kcss")


def _input(**overrides) -> ConferenceInput:
    values = {"code": "SB-CI", "title": "Critical Infrastructure Resilience",
              "starts_at": datetime(2027, 3, 16, 9, 0), "ends_at": datetime(2027, 3, 17, 17, 0),
              "venue": "Swiss Diamond Hotel", "address": "Sheshi Nënë Tereza, Prishtinë",
              "capacity": 100, "organiser_name": "KCSS",
              "organiser_email": "SmartBalkans@KCSS.Example"}
    return ConferenceInput(**{**values, **overrides})


def _at(day: int, hour: int, minute: int = 0) -> datetime:
    """A wall-clock time in March 2027 (the conference's zone is Europe/Belgrade)."""
    return datetime(2027, 3, day, hour, minute)


def _persons(session, *names: tuple[str, str]) -> list[int]:
    org = Organisation(name="Ministria e Punëve të Brendshme", acronym="MPB",
                       kind=OrganisationKind.MINISTRY)
    persons = []
    for given, family in names:
        person = Person(given_name=given, family_name=family)
        person.affiliations.append(Affiliation(organisation=org, is_primary=True))
        persons.append(person)
    session.add_all(persons)
    session.flush()
    return [p.id for p in persons]


def _report(session, number: int = 2, findings: int = 4) -> Report:
    report = Report(number=number, title=f"Report {number}",
                    findings=[Finding(number=n, text=f"Finding {n}")
                              for n in range(1, findings + 1)])
    session.add(report)
    session.flush()
    return report


def _nothing_pending(session) -> bool:
    return not session.new and not session.dirty and not session.deleted


# --- conferences -----------------------------------------------------------------------------


def test_create_conference_converts_wall_times_and_issues_a_uid(session) -> None:
    _report(session, 1)
    conference = create_conference(session, _input(report_numbers=(1,)), actor=ACTOR)
    assert conference.starts_at == datetime(2027, 3, 16, 8, 0, tzinfo=UTC)  # UTC+1 in March
    assert conference.timezone == "Europe/Belgrade"
    assert conference.status is ConferenceStatus.PLANNED
    assert conference.organiser_email == "SmartBalkans@kcss.example"
    assert UID.fullmatch(conference.calendar_uid) and conference.calendar_sequence == 0
    assert [r.number for r in conference.reports] == [1]
    other = create_conference(session, _input(code="SB-CSA"), actor=ACTOR)
    assert other.calendar_uid != conference.calendar_uid


@pytest.mark.parametrize(("local", "utc"), [
    (datetime(2027, 3, 28, 9, 0), datetime(2027, 3, 28, 7, 0, tzinfo=UTC)),  # after spring fwd
    (datetime(2027, 3, 28, 1, 30), datetime(2027, 3, 28, 0, 30, tzinfo=UTC)),  # just before
    (datetime(2027, 10, 31, 9, 0), datetime(2027, 10, 31, 8, 0, tzinfo=UTC)),  # after fall back
])
def test_wall_times_on_the_days_the_clocks_change(session, local, utc) -> None:
    end = local.replace(hour=18)
    conference = create_conference(session, _input(starts_at=local, ends_at=end), actor=ACTOR)
    assert conference.starts_at == utc


def test_aware_times_are_taken_as_instants(session) -> None:
    start = datetime(2027, 3, 16, 8, 0, tzinfo=UTC)
    conference = create_conference(session, _input(starts_at=start, timezone="europe/belgrade"),
                                   actor=ACTOR)
    assert conference.starts_at == start and conference.timezone == "Europe/Belgrade"


@pytest.mark.parametrize(("overrides", "field"), [
    ({"code": "  "}, "code"),
    ({"code": "SB CI"}, "code"),
    ({"code": "sb-existing"}, "code"),  # case-insensitive clash
    ({"code": "X" * 33}, "code"),
    ({"title": " "}, "title"),
    ({"title": "T" * 501}, "title"),
    ({"ends_at": datetime(2027, 3, 16, 9, 0)}, "ends_at"),
    ({"ends_at": datetime(2027, 3, 15, 9, 0)}, "ends_at"),
    ({"starts_at": "2027-03-16 09:00"}, "starts_at"),
    ({"starts_at": datetime(2027, 3, 28, 2, 30), "ends_at": datetime(2027, 3, 28, 18)},
     "starts_at"),  # does not exist: the clocks jump from 02:00 to 03:00
    ({"timezone": "Europe/Prishtina"}, "timezone"),
    ({"timezone": ""}, "timezone"),
    ({"capacity": 0}, "capacity"),
    ({"capacity": "100"}, "capacity"),
    ({"capacity": True}, "capacity"),
    ({"organiser_email": "kcss at example"}, "organiser_email"),
    ({"report_numbers": (9,)}, "report_numbers"),
    ({"status": "postponed"}, "status"),
])
def test_bad_conference_input_is_refused_and_changes_nothing(session, overrides, field) -> None:
    create_conference(session, _input(code="SB-EXISTING"), actor=ACTOR)
    with pytest.raises(ValidationError) as error:
        create_conference(session, _input(**overrides), actor=ACTOR)
    assert error.value.field == field
    assert _nothing_pending(session)
    assert session.scalar(select(func.count()).select_from(Conference)) == 1
    target = create_conference(session, _input(code="SB-TARGET"), actor=ACTOR)
    before = (target.code, target.title, target.starts_at, target.ends_at, target.capacity,
              target.calendar_sequence)
    with pytest.raises(ValidationError) as error:
        update_conference(session, target, actor=ACTOR, venue="Elsewhere", **overrides)
    assert error.value.field == field and _nothing_pending(session)
    assert (target.code, target.title, target.starts_at, target.ends_at, target.capacity,
            target.calendar_sequence) == before
    assert target.venue == "Swiss Diamond Hotel"


def test_update_refuses_unknown_fields(session) -> None:
    conference = create_conference(session, _input(), actor=ACTOR)
    with pytest.raises(ValidationError) as error:
        update_conference(session, conference, actor=ACTOR, calendar_uid="mine")
    assert error.value.field == "calendar_uid"


def test_sequence_rises_only_when_time_or_place_changes(session) -> None:
    conference = create_conference(session, _input(), actor=ACTOR)
    uid = conference.calendar_uid
    room = add_room(session, conference, "Ballroom", capacity=200, actor=ACTOR)
    panel = create_agenda_session(session, conference, AgendaSessionInput(
        AgendaSessionKind.PANEL, "Panel", _at(16, 10), _at(16, 11), room_id=room.id),
        actor=ACTOR)
    steps = [
        ({"title": "New title", "capacity": 150, "organiser_name": "KCSS SMART"}, 0, 0),
        ({"code": "SB-CI-27", "description": "More", "status": ConferenceStatus.OPEN}, 0, 0),
        ({"starts_at": _at(16, 8, 30)}, 1, 0),
        ({"ends_at": _at(17, 18)}, 1, 0),
        ({"venue": "Emerald Hotel"}, 1, 1),  # the sessions' place moved too
        ({"address": "Rr. Agim Ramadani"}, 1, 1),
        ({"venue": "Hotel Sirius", "address": None, "starts_at": _at(16, 9)}, 1, 1),  # once
        ({"venue": "Hotel Sirius"}, 0, 0),  # same value: no change
    ]
    for changes, conference_step, session_step in steps:
        before = (conference.calendar_sequence, panel.calendar_sequence)
        update_conference(session, conference, actor=ACTOR, **changes)
        assert (conference.calendar_sequence, panel.calendar_sequence) == (
            before[0] + conference_step, before[1] + session_step), changes
    cancel_conference(session, conference, actor=ACTOR)
    assert conference.status is ConferenceStatus.CANCELLED and conference.calendar_sequence == 5
    update_conference(session, conference, actor=ACTOR, status=ConferenceStatus.OPEN)
    assert conference.calendar_sequence == 6  # reinstated: a new REQUEST outranks the CANCEL
    assert conference.calendar_uid == uid


def test_new_time_zone_keeps_wall_clock_times(session) -> None:
    conference = create_conference(session, _input(), actor=ACTOR)
    keynote = create_agenda_session(session, conference, AgendaSessionInput(
        AgendaSessionKind.KEYNOTE, "Keynote", _at(16, 9, 30), _at(16, 10)), actor=ACTOR)
    update_conference(session, conference, actor=ACTOR, timezone="Europe/London")
    assert conference.starts_at == datetime(2027, 3, 16, 9, 0, tzinfo=UTC)
    assert keynote.starts_at == datetime(2027, 3, 16, 9, 30, tzinfo=UTC)
    assert (conference.calendar_sequence, keynote.calendar_sequence) == (1, 1)


# --- rooms ---------------------------------------------------------------------------------


def test_rooms(session) -> None:
    conference = create_conference(session, _input(), actor=ACTOR)
    other = create_conference(session, _input(code="SB-CSA"), actor=ACTOR)
    ruby = add_room(session, conference, " Ruby   Room ", capacity=60, actor=ACTOR)
    assert ruby.name == "Ruby Room"
    add_room(session, other, "Ruby Room", actor=ACTOR)  # another conference may reuse a name
    for name, capacity, field in (("ruby room", None, "name"), ("", None, "name"),
                                  ("Jade", -5, "capacity")):
        with pytest.raises(ValidationError) as error:
            add_room(session, conference, name, capacity=capacity, actor=ACTOR)
        assert error.value.field == field
    assert [r.name for r in conference.rooms] == ["Ruby Room"]
    workshop = create_agenda_session(session, conference, AgendaSessionInput(
        AgendaSessionKind.WORKSHOP, "Workshop", _at(16, 14), _at(16, 16), room_id=ruby.id),
        actor=ACTOR)
    update_room(session, ruby.id, name="Ruby Room", capacity=80, actor=ACTOR)
    assert workshop.calendar_sequence == 0  # more seats: not a change of place
    update_room(session, ruby.id, name="Rubin Hall", capacity=80, actor=ACTOR)
    assert workshop.calendar_sequence == 1  # renamed: the invite's location changes
    with pytest.raises(ValidationError) as error:
        delete_room(session, ruby.id, actor=ACTOR)
    assert error.value.field == "room_id" and "Workshop" in str(error.value)
    delete_agenda_session(session, workshop.id, actor=ACTOR)
    delete_room(session, ruby.id, actor=ACTOR)
    assert conference.rooms == []


# --- agenda sessions -------------------------------------------------------------------------


def test_agenda_session_crud_with_people_and_findings(session) -> None:
    report = _report(session)
    moderator, first, second, rapporteur = _persons(
        session, ("Vjosa", "Berisha"), ("Ђорђе", "Чолић"), ("Arbër", "Çeku"), ("Ilir", "Zeka"))
    conference = create_conference(session, _input(), actor=ACTOR)
    room = add_room(session, conference, "Ballroom", actor=ACTOR)
    panel = create_agenda_session(session, conference, AgendaSessionInput(
        AgendaSessionKind.PANEL, "Hybrid threats", _at(16, 10, 30), _at(16, 12), room.id,
        moderators=(moderator,), speakers=(second, first), rapporteurs=(rapporteur,),
        findings=("r2-f3", "R2-F1")), actor=ACTOR)
    assert UID.fullmatch(panel.calendar_uid) and panel.calendar_uid != conference.calendar_uid
    assert panel.starts_at == datetime(2027, 3, 16, 9, 30, tzinfo=UTC)
    form = agenda_session_input(panel)
    assert form.speakers == (second, first) and form.findings == ("R2-F3", "R2-F1")
    assert form.starts_at == _at(16, 10, 30)
    update_agenda_session(session, panel.id, actor=ACTOR, title="Hybrid threats (2)",
                          speakers=(first, moderator), findings=("R2-F4",))
    form = agenda_session_input(panel)
    assert form.speakers == (first, moderator) and form.moderators == (moderator,)
    assert [f.label for f in panel.findings] == ["R2-F4"] and panel.calendar_sequence == 0
    assert report.findings[3] in panel.findings
    delete_agenda_session(session, panel.id, actor=ACTOR)
    assert conference.agenda_sessions == []


def test_moves_and_resizes_raise_the_sequence(session) -> None:
    conference = create_conference(session, _input(), actor=ACTOR)
    hall = add_room(session, conference, "Hall", actor=ACTOR)
    jade = add_room(session, conference, "Jade", actor=ACTOR)
    panel = create_agenda_session(session, conference, AgendaSessionInput(
        AgendaSessionKind.PANEL, "Panel", _at(16, 10), _at(16, 11), hall.id), actor=ACTOR)
    move_agenda_session(session, panel.id, starts_at=_at(16, 10), ends_at=_at(16, 11),
                        room_id=hall.id, actor=ACTOR)
    assert panel.calendar_sequence == 0  # nothing moved
    move_agenda_session(session, panel.id, starts_at=_at(16, 10), ends_at=_at(16, 11),
                        room_id=jade.id, actor=ACTOR)
    assert panel.calendar_sequence == 1 and panel.room is jade
    move_agenda_session(session, panel.id, starts_at=_at(16, 14), ends_at=_at(16, 15),
                        room_id=hall.id, actor=ACTOR)
    assert panel.calendar_sequence == 2  # time and room at once: one step
    resize_agenda_session(session, panel.id, ends_at=_at(16, 15, 30), actor=ACTOR)
    assert panel.calendar_sequence == 3 and panel.room is hall
    move_agenda_session(session, panel.id, starts_at=datetime(2027, 3, 16, 13, 0, tzinfo=UTC),
                        ends_at=_at(16, 15, 30), room_id=None, actor=ACTOR)
    assert panel.calendar_sequence == 4 and panel.room is None
    update_agenda_session(session, panel.id, actor=ACTOR, title="Renamed",
                          kind=AgendaSessionKind.WORKSHOP)
    assert panel.calendar_sequence == 4


@pytest.mark.parametrize(("changes", "field"), [
    ({"ends_at": _at(16, 9, 59)}, "ends_at"),  # ends before it starts
    ({"ends_at": _at(16, 10)}, "ends_at"),  # takes no time
    ({"title": ""}, "title"),
    ({"kind": "lecture"}, "kind"),
    ({"room_id": -1}, "room_id"),
    ({"speakers": (-1,)}, "speakers"),
    ({"moderators": (-1,)}, "moderators"),
    ({"findings": ("F3",)}, "findings"),
    ({"findings": ("R2-F99",)}, "findings"),
    ({"duration": 30}, "duration"),
])
def test_bad_agenda_session_input_changes_nothing(session, changes, field) -> None:
    _report(session)
    conference = create_conference(session, _input(), actor=ACTOR)
    panel = create_agenda_session(session, conference, AgendaSessionInput(
        AgendaSessionKind.PANEL, "Panel", _at(16, 10), _at(16, 11)), actor=ACTOR)
    before = agenda_session_input(panel)
    with pytest.raises(ValidationError) as error:
        update_agenda_session(session, panel.id, actor=ACTOR, **changes)
    assert error.value.field == field
    assert _nothing_pending(session) and agenda_session_input(panel) == before
    assert panel.calendar_sequence == 0


def test_a_room_of_another_conference_is_refused(session) -> None:
    conference = create_conference(session, _input(), actor=ACTOR)
    other = create_conference(session, _input(code="SB-CSA"), actor=ACTOR)
    elsewhere = add_room(session, other, "Grand Hall", actor=ACTOR)
    with pytest.raises(ValidationError) as error:
        create_agenda_session(session, conference, AgendaSessionInput(
            AgendaSessionKind.PANEL, "Panel", _at(16, 10), _at(16, 11), elsewhere.id),
            actor=ACTOR)
    assert error.value.field == "room_id" and conference.agenda_sessions == []


def test_a_session_with_outcomes_is_not_deleted(session) -> None:
    conference = create_conference(session, _input(), actor=ACTOR)
    panel = create_agenda_session(session, conference, AgendaSessionInput(
        AgendaSessionKind.PANEL, "Panel", _at(16, 10), _at(16, 11)), actor=ACTOR)
    session.add(Outcome(agenda_session=panel, kind=OutcomeKind.COMMITMENT, text="Publish it"))
    session.flush()
    with pytest.raises(ValidationError, match="1 outcome"):
        delete_agenda_session(session, panel.id, actor=ACTOR)
    assert conference.agenda_sessions == [panel]


# --- conflicts -------------------------------------------------------------------------------


def _session(session, conference, title, start, end, room=None, *, speakers=(), kind=None):
    return create_agenda_session(session, conference, AgendaSessionInput(
        kind or AgendaSessionKind.PANEL, title, start, end, room.id if room else None,
        speakers=tuple(speakers)), actor=ACTOR)


def _kinds(conflicts) -> list[tuple[ConflictKind, tuple[int, ...]]]:
    return [(c.kind, c.session_ids) for c in conflicts]


def test_room_double_booked_and_person_in_two_places(session) -> None:
    arta, djordje = _persons(session, ("Arta", "Gashi"), ("Ђорђе", "Чолић"))
    conference = create_conference(session, _input(capacity=None), actor=ACTOR)
    hall = add_room(session, conference, "Hall", actor=ACTOR)
    jade = add_room(session, conference, "Jade", actor=ACTOR)
    first = _session(session, conference, "First", _at(16, 10), _at(16, 11), hall,
                     speakers=[arta, djordje])
    _session(session, conference, "Back to back", _at(16, 11), _at(16, 12), hall,
             speakers=[arta])  # touching, not overlapping
    clash = _session(session, conference, "Clash", _at(16, 10, 30), _at(16, 11), hall)
    parallel = _session(session, conference, "Parallel", _at(16, 10, 45), _at(16, 11, 30), jade,
                        speakers=[djordje])
    conflicts = agenda_conflicts(session, conference)
    assert _kinds(conflicts) == [
        (ConflictKind.ROOM_DOUBLE_BOOKED, (first.id, clash.id)),
        (ConflictKind.PERSON_DOUBLE_BOOKED, (first.id, parallel.id)),
    ]
    assert "Hall is booked twice" in conflicts[0].message and "10:00–11:00" in conflicts[0].message
    assert "Ђорђе Чолић is in two sessions at once" in conflicts[1].message
    move_agenda_session(session, clash.id, starts_at=_at(16, 10, 30), ends_at=_at(16, 11),
                        room_id=None, actor=ACTOR)
    move_agenda_session(session, parallel.id, starts_at=_at(16, 12), ends_at=_at(16, 13),
                        room_id=jade.id, actor=ACTOR)
    assert agenda_conflicts(session, conference) == []


def test_sessions_outside_the_conference(session) -> None:
    conference = create_conference(session, _input(capacity=None), actor=ACTOR)
    early = _session(session, conference, "Early", _at(16, 8), _at(16, 9, 30))
    _session(session, conference, "First thing", _at(16, 9), _at(16, 10))
    _session(session, conference, "Last thing", _at(17, 16), _at(17, 17))
    late = _session(session, conference, "Dinner", _at(17, 19), _at(17, 22))
    day_after = _session(session, conference, "Excursion", _at(18, 9), _at(18, 12))
    conflicts = agenda_conflicts(session, conference)
    assert _kinds(conflicts) == [(ConflictKind.OUTSIDE_CONFERENCE, (s.id,))
                                 for s in (early, late, day_after)]
    assert "'Early' (Tue 16 Mar 08:00–09:30)" in conflicts[0].message


def test_expected_audience_over_room_capacity(session) -> None:
    ids = _persons(session, *[(f"Person{i}", "Krasniqi") for i in range(7)])
    conference = create_conference(session, _input(capacity=None), actor=ACTOR)
    statuses = [ParticipantStatus.ACCEPTED] * 4 + [ParticipantStatus.TENTATIVE,
                                                   ParticipantStatus.ATTENDED,
                                                   ParticipantStatus.DECLINED]
    session.add_all(Participant(conference=conference, person_id=pid, status=status)
                    for pid, status in zip(ids, statuses, strict=True))
    big = add_room(session, conference, "Ballroom", capacity=200, actor=ACTOR)
    small = add_room(session, conference, "Sapphire", capacity=3, actor=ACTOR)
    tiny = add_room(session, conference, "Onyx", capacity=2, actor=ACTOR)
    _session(session, conference, "Plenary", _at(16, 9), _at(16, 10), big)
    alone = _session(session, conference, "Alone", _at(16, 10), _at(16, 11), small)
    _session(session, conference, "Workshop A", _at(16, 14), _at(16, 15), small)
    workshop = _session(session, conference, "Workshop B", _at(16, 14), _at(16, 15), tiny)
    conflicts = agenda_conflicts(session, conference)
    # 6 seats taken: "Alone" expects 6 in 3 seats; the workshops share them (3 each)
    assert _kinds(conflicts) == [(ConflictKind.OVER_CAPACITY, (alone.id,)),
                                 (ConflictKind.OVER_CAPACITY, (workshop.id,))]
    assert "expects about 6 people but Sapphire seats 3" in conflicts[0].message


# --- agenda PDF ------------------------------------------------------------------------------


def test_agenda_pdf_from_the_database(session) -> None:
    require_poppler()
    _report(session)
    moderator, speaker = _persons(session, ("Vjosa", "Berisha"), ("Ђорђе", "Чолић"))
    conference = create_conference(session, _input(title="Mbrojtja e infrastrukturës kritike"),
                                   actor=ACTOR)
    hall = add_room(session, conference, "Diamond Ballroom", actor=ACTOR)
    create_agenda_session(session, conference, AgendaSessionInput(
        AgendaSessionKind.PANEL, "Hybrid threats", _at(16, 10, 30), _at(16, 12), hall.id,
        moderators=(moderator,), speakers=(speaker,), findings=("R2-F3", "R2-F1")), actor=ACTOR)
    create_agenda_session(session, conference, AgendaSessionInput(
        AgendaSessionKind.CLOSING, "Closing", _at(17, 16, 30), _at(17, 17), hall.id),
        actor=ACTOR)
    pdf = render_agenda_pdf(session, conference, languages=("sq", "sr", "en"))
    text = " ".join(pdf_text(pdf).split())  # lines wrapped inside table cells join up
    for expected in ("Mbrojtja e infrastrukturës kritike", "Hybrid threats", "10:30–12:00",
                     "Ђорђе Чолић (MPB)", "Vjosa Berisha (MPB)", "R2-F1, R2-F3",
                     "Dita 1 · e martë, 16 mars 2027", "Day 2 · Wednesday 17 March 2027",
                     "Swiss Diamond Hotel, Sheshi Nënë Tereza, Prishtinë", "Europe/Belgrade"):
        assert expected in text, expected
