"""Invitations on SQLite and PostgreSQL: building the list, the status lifecycle, capacity and
the waitlist, consent flags and decisions, bulk changes, badges, the funnel, and the CLI."""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from smartconf.__main__ import main
from smartconf.core.enums import (
    COUNTS_AGAINST_CAPACITY,
    ConferenceStatus,
    ConsentPurpose,
    LawfulBasis,
    OrganisationKind,
    ParticipantRole,
    ParticipantStatus,
    Verdict,
)
from smartconf.core.errors import ValidationError
from smartconf.models import Affiliation, Conference, Consent, Organisation, Participant, Person
from smartconf.services.checkin import check_in
from smartconf.services.conferences import get_conference
from smartconf.services.demo import load_demo, read_demo
from smartconf.services.invitations import (
    TRANSITIONS,
    add_participants,
    consent_flags,
    funnel,
    override_consent,
    promote_waitlist,
    remove_participants,
    set_role,
    set_status,
)
from smartconf.services.person_search import PersonFilter, save_filter
from smartconf.services.planning import update_conference
from smartconf.store.session import unit_of_work

ACTOR = "coordinator"
S = ParticipantStatus
T0 = datetime(2027, 6, 10, 7, 0, tzinfo=UTC)
DEMO_TODAY = date(2027, 5, 25)  # the demo's dates as written: SB-CI over, SB-CSA open


def _conference(session, *, capacity: int | None = None, code: str = "SB-CSA") -> Conference:
    conference = Conference(code=code, title="Building the Cyber Security Agency",
                            starts_at=T0, ends_at=T0 + timedelta(hours=9), capacity=capacity,
                            status=ConferenceStatus.OPEN, calendar_uid=f"{code}@test")
    session.add(conference)
    session.flush()
    return conference


def _persons(session, count: int, *, consent: bool = True, country: str = "XK") -> list[int]:
    org = Organisation(name=f"Agjencia {country}", kind=OrganisationKind.AGENCY, country=country)
    persons = [Person(given_name=f"Arbër{i}", family_name="Çeku", sort_name=f"ceku arber{i:03}")
               for i in range(count)]
    for person in persons:
        person.affiliations.append(Affiliation(organisation=org, is_primary=True))
    session.add_all(persons)
    session.flush()
    if consent:
        session.add_all(Consent(person_id=p.id, purpose=ConsentPurpose.EVENT_INVITATIONS,
                                basis=LawfulBasis.CONSENT, given_at=T0 - timedelta(days=90))
                        for p in persons)
        session.flush()
    return [p.id for p in persons]


def _listed(session, conference, count: int, status: ParticipantStatus = S.SHORTLISTED,
            **kwargs) -> list[Participant]:
    """``count`` new persons on the list in ``status`` (set directly, as a seed)."""
    added = add_participants(session, conference, actor=ACTOR,
                             person_ids=_persons(session, count, **kwargs)).added
    for participant in added:
        participant.status = status
    session.flush()
    return list(added)


def _ids(participants) -> list[int]:
    return [p.id for p in participants]


def _statuses(participants) -> list[ParticipantStatus]:
    return [p.status for p in participants]


# --- building the list -----------------------------------------------------------------------


def test_add_from_a_saved_filter_and_manual_picks(session) -> None:
    conference = _conference(session)
    kosovo = _persons(session, 3, country="XK")
    serbia = _persons(session, 2, country="RS")
    save_filter(session, "Kosovo agencies", PersonFilter(countries=("XK",)), actor=ACTOR)
    speaker = add_participants(session, conference, actor=ACTOR, person_ids=[kosovo[0]],
                               role=ParticipantRole.SPEAKER).added[0]
    set_status(session, conference, [speaker.id], S.INVITED, actor=ACTOR)
    result = add_participants(session, conference, actor=ACTOR, filter_name="Kosovo agencies",
                              person_ids=[serbia[1], kosovo[1]])
    assert sorted(p.person_id for p in result.added) == sorted([serbia[1], *kosovo[1:]])
    assert result.already_listed == (kosovo[0],)
    assert {p.status for p in result.added} == {S.SHORTLISTED}
    assert {p.role for p in result.added} == {ParticipantRole.PARTICIPANT}
    assert (speaker.role, speaker.status) == (ParticipantRole.SPEAKER, S.INVITED)  # untouched
    again = add_participants(session, conference, actor=ACTOR, filter_name="Kosovo agencies")
    assert again.added == () and len(again.already_listed) == 3


def test_building_the_list_refuses_bad_input(session) -> None:
    conference = _conference(session)
    [person_id] = _persons(session, 1)
    erased = session.get(Person, person_id)
    erased.erased_at = T0
    cases = [({"person_ids": [999999]}, "person_ids"), ({"person_ids": [person_id]}, "person_ids"),
             ({"filter_name": "No such filter"}, "filter_name"),
             ({"person_ids": [], "role": "guest"}, "role")]
    for kwargs, field in cases:
        with pytest.raises(ValidationError) as error:
            add_participants(session, conference, actor=ACTOR, **kwargs)
        assert error.value.field == field
    assert session.scalars(select(Participant)).all() == []


def test_remove_only_shortlisted_and_set_role(session) -> None:
    conference = _conference(session)
    shortlisted, invited = _listed(session, conference, 1), _listed(session, conference, 1,
                                                                     S.INVITED)
    with pytest.raises(ValidationError, match="only shortlisted"):
        remove_participants(session, conference, _ids(shortlisted + invited), actor=ACTOR)
    set_role(session, conference, _ids(invited), ParticipantRole.PRESS, actor=ACTOR)
    assert invited[0].role is ParticipantRole.PRESS
    assert remove_participants(session, conference, _ids(shortlisted), actor=ACTOR) == 1
    assert session.scalars(select(Participant)).all() == invited


# --- the lifecycle ---------------------------------------------------------------------------


def test_transition_table(session) -> None:
    """Every pair of statuses: allowed ones move, the others are refused naming both."""
    conference = _conference(session)
    pairs = [(old, new) for old in S for new in S if old is not new]
    participants = _listed(session, conference, len(pairs))
    for participant, (old, _) in zip(participants, pairs, strict=True):
        participant.status = old
    session.flush()
    for participant, (old, new) in zip(participants, pairs, strict=True):
        if new in TRANSITIONS[old]:
            report = set_status(session, conference, [participant.id], new, actor=ACTOR)
            assert participant.status is new and report.changed[0].old is old, (old, new)
        else:
            with pytest.raises(ValidationError) as error:
                set_status(session, conference, [participant.id], new, actor=ACTOR)
            message = str(error.value)
            assert f"from {old.value} to {new.value}" in message, message
            assert participant.person.full_name in message and participant.status is old


def test_lifecycle_walk_with_badges(session) -> None:
    conference = _conference(session)
    [participant] = _listed(session, conference, 1)
    assert participant.badge_code is None
    report = set_status(session, conference, [participant.id], S.INVITED, actor=ACTOR)
    assert report.messages() == [f"{participant.person.full_name}: shortlisted -> invited"]
    code = participant.badge_code
    assert code is not None  # invited admits at the desk: a badge is issued
    set_status(session, conference, [participant.id], S.ACCEPTED, actor=ACTOR)
    assert participant.badge_code == code  # kept, not reissued
    again = set_status(session, conference, [participant.id], S.ACCEPTED, actor=ACTOR)
    assert again.changed == () and again.unchanged == (participant.id,)
    set_status(session, conference, [participant.id], S.CANCELLED, actor=ACTOR)
    assert participant.badge_code is None
    result = check_in(session, conference, code, desk="Desk 1", actor=ACTOR)
    assert result.verdict is Verdict.REJECTED
    assert result.reason == "badge revoked (participation cancelled)"
    set_status(session, conference, [participant.id], S.INVITED, actor=ACTOR)  # reinstated
    assert participant.badge_code not in (None, code)


def test_bulk_change_is_all_or_nothing(session) -> None:
    conference = _conference(session)
    invited = _listed(session, conference, 3, S.INVITED)
    attended = _listed(session, conference, 1, S.ATTENDED)
    before = [p.status_changed_at for p in invited]
    with pytest.raises(ValidationError) as error:
        set_status(session, conference, _ids(invited + attended), S.DECLINED, actor=ACTOR)
    assert f"participant {attended[0].id}" in str(error.value)
    assert "from attended to declined" in str(error.value)
    assert _statuses(invited) == [S.INVITED] * 3
    assert [p.status_changed_at for p in invited] == before
    other = _conference(session, code="SB-PPP")
    stranger = _listed(session, other, 1, S.INVITED)
    with pytest.raises(ValidationError) as error:
        set_status(session, conference, _ids(invited + stranger), S.ACCEPTED, actor=ACTOR)
    assert error.value.field == "participant_ids" and _statuses(invited) == [S.INVITED] * 3
    with pytest.raises(ValidationError) as error:
        set_status(session, conference, _ids(invited), "maybe", actor=ACTOR)
    assert error.value.field == "status"
    report = set_status(session, conference, _ids(invited), S.ACCEPTED, actor=ACTOR)
    assert _statuses(invited) == [S.ACCEPTED] * 3 and len(report.changed) == 3


# --- capacity and the waitlist -------------------------------------------------------------


def test_accepting_over_capacity_waitlists_and_declines_promote_in_order(session) -> None:
    conference = _conference(session, capacity=3)
    a, b, c, d, e = _listed(session, conference, 5, S.INVITED)
    report = set_status(session, conference, [a.id, b.id], S.ACCEPTED, actor=ACTOR)
    assert report.waitlisted == () and _statuses([a, b]) == [S.ACCEPTED] * 2
    # one seat left for three answers: the first asked gets it, the others wait in that order
    report = set_status(session, conference, [e.id, d.id, c.id], S.TENTATIVE, actor=ACTOR)
    assert _statuses([e, d, c]) == [S.TENTATIVE, S.WAITLISTED, S.WAITLISTED]
    assert [w.participant_id for w in report.waitlisted] == [d.id, c.id]
    assert f"{d.person.full_name}: no seat left, put on the waitlist" in report.messages()
    d.status_changed_at = T0 - timedelta(days=2)  # d has waited longer than c
    c.status_changed_at = T0 - timedelta(days=1)
    report = set_status(session, conference, [a.id], S.DECLINED, actor=ACTOR)
    assert [p.participant_id for p in report.promoted] == [d.id]
    assert (d.status, c.status) == (S.ACCEPTED, S.WAITLISTED) and d.badge_code is not None
    assert funnel(session, conference).seats_taken == 3
    report = set_status(session, conference, [c.id], S.ACCEPTED, actor=ACTOR)
    assert c.status is S.WAITLISTED and report.changed == ()  # still no seat
    assert [w.participant_id for w in report.waitlisted] == [c.id]
    update_conference(session, conference, actor=ACTOR, capacity=4)  # more seats: c moves up
    assert c.status is S.ACCEPTED and funnel(session, conference).seats_free == 0


def test_cancellation_promotes_and_closed_conferences_do_not(session) -> None:
    conference = _conference(session, capacity=1)
    accepted = _listed(session, conference, 1, S.ACCEPTED)
    waiting = _listed(session, conference, 2, S.WAITLISTED)
    report = set_status(session, conference, _ids(accepted), S.CANCELLED, actor=ACTOR)
    assert [p.participant_id for p in report.promoted] == [waiting[0].id]
    assert _statuses(waiting) == [S.ACCEPTED, S.WAITLISTED]
    conference.status = ConferenceStatus.CLOSED
    set_status(session, conference, [waiting[0].id], S.DECLINED, actor=ACTOR)
    assert waiting[1].status is S.WAITLISTED
    assert promote_waitlist(session, conference, actor=ACTOR) == []
    conference.status = ConferenceStatus.OPEN
    assert promote_waitlist(session, conference, actor=ACTOR) == [waiting[1]]


def test_without_capacity_nobody_waits(session) -> None:
    conference = _conference(session, capacity=None)
    invited = _listed(session, conference, 4, S.INVITED)
    report = set_status(session, conference, _ids(invited), S.ACCEPTED, actor=ACTOR)
    assert report.waitlisted == () and funnel(session, conference).seats_free is None


# --- consent ---------------------------------------------------------------------------------


def test_consent_flags_and_the_decision_to_invite_anyway(session) -> None:
    conference = _conference(session)
    [consenting] = _listed(session, conference, 1)
    never, withdrawn = _listed(session, conference, 2, consent=False)
    session.add(Consent(person_id=withdrawn.person_id, purpose=ConsentPurpose.EVENT_INVITATIONS,
                        basis=LawfulBasis.CONSENT, given_at=T0 - timedelta(days=9),
                        withdrawn_at=T0 - timedelta(days=1)))
    session.add(Consent(person_id=never.person_id, purpose=ConsentPurpose.NEWSLETTER,
                        basis=LawfulBasis.CONSENT, given_at=T0 - timedelta(days=9)))
    session.flush()
    flags = {f.participant_id: f for f in consent_flags(session, conference)}
    assert set(flags) == {never.id, withdrawn.id}
    assert (flags[never.id].consent, flags[withdrawn.id].consent) == ("none", "withdrawn")
    assert all(f.needs_decision for f in flags.values())
    with pytest.raises(ValidationError) as error:
        set_status(session, conference, [consenting.id, never.id], S.INVITED, actor=ACTOR)
    assert never.person.full_name in str(error.value) and "consent" in str(error.value)
    assert _statuses([consenting, never]) == [S.SHORTLISTED] * 2
    with pytest.raises(ValidationError) as error:
        override_consent(session, conference, [never.id], reason="  ", actor=ACTOR)
    assert error.value.field == "reason" and never.consent_override is None
    override_consent(session, conference, [never.id], reason="Invited as head of the agency.",
                     actor=ACTOR)
    assert never.consent_override.startswith("Invited as head of the agency. — decided by "
                                              f"{ACTOR}, ")
    set_status(session, conference, [consenting.id, never.id], S.INVITED, actor=ACTOR)
    assert _statuses([consenting, never]) == [S.INVITED] * 2
    flags = {f.participant_id: f for f in consent_flags(session, conference)}
    assert not flags[never.id].needs_decision and flags[withdrawn.id].needs_decision


# --- the funnel ------------------------------------------------------------------------------


def test_funnel_on_the_demo_data(database) -> None:
    with unit_of_work(database.sessions, ACTOR) as session:
        load_demo(session, actor=ACTOR, today=DEMO_TODAY)
    with unit_of_work(database.sessions, ACTOR) as session:
        for row in read_demo()["conferences"]["conferences"]:
            counts = Counter(S(p["status"]) for p in row["participants"])
            shown = funnel(session, get_conference(session, row["code"]))
            assert {s: shown.count(s) for s in S} == {s: counts[s] for s in S}, row["code"]
            assert shown.capacity == row["capacity"]
            assert shown.seats_taken == sum(counts[s] for s in COUNTS_AGAINST_CAPACITY)
            assert shown.total == len(row["participants"])
        full = funnel(session, get_conference(session, "SB-CI"))
        assert (full.attended, full.waitlisted, full.seats_taken, full.seats_free) == (80, 2, 92,
                                                                                       0)


# --- command line ----------------------------------------------------------------------------


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_participants_and_agenda(capsys, tmp_path: Path, sqlite_url: str) -> None:
    from smartconf.store.database import open_database

    database = open_database(sqlite_url)
    with unit_of_work(database.sessions, ACTOR) as session:
        conference = _conference(session, capacity=1)
        listed = _listed(session, conference, 2)
        people = [p.person_id for p in listed]
    database.dispose()
    db = ["--db", sqlite_url, "--user", ACTOR]
    code, out, _ = _run(capsys, *db, "participants", "set-status", "--conference", "sb-csa",
                        "--status", "invited", *map(str, people))
    assert code == 0 and "shortlisted -> invited" in out
    code, out, _ = _run(capsys, *db, "participants", "set-status", "--conference", "SB-CSA",
                        "--status", "accepted", "--json", *map(str, people))
    report = json.loads(out)
    assert code == 0 and [w["new"] for w in report["waitlisted"]] == ["waitlisted"]
    code, out, _ = _run(capsys, *db, "participants", "list", "--conference", "SB-CSA",
                        "--status", "waitlisted", "--json")
    assert code == 0 and [r["person_id"] for r in json.loads(out)] == [people[1]]
    code, _, err = _run(capsys, *db, "participants", "set-status", "--conference", "SB-CSA",
                        "--status", "shortlisted", str(people[0]))
    assert code == 1 and "from accepted to shortlisted" in err and len(err.splitlines()) == 1
    code, out, _ = _run(capsys, *db, "participants", "add", "--conference", "SB-CSA",
                        *map(str, people))
    assert code == 0 and "0 person(s) shortlisted" in out and "2 already" in out
    output = tmp_path / "agenda.pdf"
    code, out, _ = _run(capsys, *db, "agenda", "--conference", "SB-CSA", "--languages",
                        "sq,en", "-o", str(output))
    assert code == 0 and output.read_bytes().startswith(b"%PDF")
    code, _, err = _run(capsys, *db, "agenda", "--conference", "SB-CSA", "--languages", "de",
                        "-o", str(output))
    assert code == 1 and "languages" in err
