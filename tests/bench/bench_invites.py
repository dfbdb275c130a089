"""Benchmark: calendar invitations for 2,000 participants (budget: build and write under 5 s).

Not part of the default run. ``pytest tests/bench/bench_invites.py -s`` prints the figures,
on SQLite and (with SMARTCONF_TEST_PG_URL) PostgreSQL: a conference with 2,000 invited
participants in the three languages and 12 agenda sessions with 3 people each; then

- build: ``sync_invitations`` (which messages are due, the ICS and the texts of each, the
  outbox rows and their audit trail, committed);
- write: ``export_pending`` (one ``.eml`` and one ``.ics`` per message, states recorded), and
  separately how much of it is the MIME rendering of ``mail_format.eml_bytes``;
- a second sync (nothing to do) and, after moving one session, the sync that updates its
  three people only.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import select

from smartconf.core.enums import (
    AgendaRole,
    AgendaSessionKind,
    ConsentPurpose,
    Language,
    LawfulBasis,
    ParticipantRole,
    ParticipantStatus,
)
from smartconf.models import (
    AgendaSession,
    AgendaSessionPerson,
    Conference,
    Consent,
    OutboxMessage,
    Participant,
    Person,
    PersonEmail,
    Room,
)
from smartconf.services import planning
from smartconf.services.calendar_invites import sync_invitations
from smartconf.services.conferences import get_conference
from smartconf.services.contact_import import run_job
from smartconf.services.invite_files import export_pending
from smartconf.services.mail_format import eml_bytes
from smartconf.store.database import Database
from smartconf.store.session import read_session, unit_of_work

PARTICIPANTS = 2_000
SESSIONS = 12
BUDGET_S = 5.0
ACTOR = "bench"
NOW = datetime(2027, 5, 1, tzinfo=UTC)
START = datetime(2027, 6, 10, 6, 30, tzinfo=UTC)  # 08:30 in Prishtina
GIVEN = ["Arta", "Ђорђе", "Vjosa", "Çlirim", "Ivana", "Lirije", "Rachel", "Øystein"]
FAMILY = ["Gashi", "Чолић", "Ëmërllahu-Çeku", "Šćepanović", "Krasniqi", "Goldberg"]
LANGUAGES = [Language.ALBANIAN, Language.ALBANIAN, Language.SERBIAN, Language.ENGLISH]


def _fill(database: Database) -> list[int]:
    """The conference, its agenda and 2,000 invited participants; returns the session ids."""
    with unit_of_work(database.sessions, ACTOR) as session:
        rooms = [Room(name=f"Room {n}", capacity=200) for n in "ABC"]
        conference = Conference(
            code="BENCH", title="Public-Private Partnerships for Cyber Security and Critical "
            "Infrastructure", description="Presents reports R3 and R1.",
            starts_at=START, ends_at=START + timedelta(hours=8, minutes=30),
            timezone="Europe/Belgrade", venue="Swiss Diamond Hotel Prishtina",
            address="Sheshi Nënë Tereza p.n., 10000 Prishtinë", capacity=None,
            organiser_name="Kosovar Centre for Security Studies – SMART Balkans",
            organiser_email="smartbalkans@kcss.example", calendar_uid="bench@smartconf.kcss",
            rooms=rooms)
        persons = []
        for i in range(PARTICIPANTS):
            person = Person(given_name=GIVEN[i % len(GIVEN)],
                            family_name=f"{FAMILY[i % len(FAMILY)]}-{i}",
                            honorific="Dr." if i % 9 == 0 else None,
                            preferred_language=LANGUAGES[i % len(LANGUAGES)],
                            emails=[PersonEmail(address=f"person{i}@example.org",
                                                is_primary=True)])
            session.add(Consent(person=person, purpose=ConsentPurpose.EVENT_INVITATIONS,
                                basis=LawfulBasis.LEGITIMATE_INTEREST, given_at=NOW))
            persons.append(person)
        conference.agenda_sessions = [
            AgendaSession(kind=AgendaSessionKind.PANEL, title=f"Panel {n + 1}: partnerships, "
                          "incident reporting; trust", room=rooms[n % 3],
                          starts_at=START + timedelta(minutes=40 * n),
                          ends_at=START + timedelta(minutes=40 * n + 35),
                          calendar_uid=f"bench-s{n}@smartconf.kcss",
                          people=[AgendaSessionPerson(person=persons[3 * n + k],
                                                      role=list(AgendaRole)[k])
                                  for k in range(3)])
            for n in range(SESSIONS)]
        session.add(conference)
        session.add_all(Participant(conference=conference, person=person,
                                    role=ParticipantRole.PARTICIPANT,
                                    status=ParticipantStatus.INVITED) for person in persons)
        session.flush()
        return [s.id for s in conference.agenda_sessions]


def _conference_id(database: Database) -> int:
    with read_session(database.sessions) as session:
        return get_conference(session, "BENCH").id


@dataclass(frozen=True)
class Timing:
    """Wall-clock and this process's CPU seconds (the CPU figure is steadier on a busy
    machine; it leaves out the PostgreSQL server's share)."""

    wall: float
    cpu: float

    def __str__(self) -> str:
        return f"{self.wall:.2f} s ({self.cpu:.2f} s CPU)"


def _timed(job) -> tuple[object, Timing]:
    wall, cpu = time.perf_counter(), time.process_time()
    result = job()
    return result, Timing(time.perf_counter() - wall, time.process_time() - cpu)


def _sync(database: Database) -> object:
    with unit_of_work(database.sessions, ACTOR) as session:
        return sync_invitations(session, get_conference(session, "BENCH"), actor=ACTOR, now=NOW)


def test_invitations_for_two_thousand_participants(database: Database,
                                                   tmp_path: Path) -> None:
    session_ids = _fill(database)
    backend = database.engine.dialect.name
    report, build = _timed(lambda: _sync(database))
    exported, write = _timed(lambda: run_job(export_pending(
        database.sessions, _conference_id(database), tmp_path / "out", actor=ACTOR)))
    again, again_t = _timed(lambda: _sync(database))
    with unit_of_work(database.sessions, ACTOR) as session:
        planning.move_agenda_session(session, session_ids[0], starts_at=START,
                                     ends_at=START + timedelta(minutes=50), room_id=None,
                                     actor=ACTOR)
    update, update_t = _timed(lambda: _sync(database))
    _, mime = _timed(lambda: _mime_rendering(database))
    messages = len(report.queued)
    size = sum(p.stat().st_size for p in (tmp_path / "out").iterdir())
    print(f"\n[{backend}] {PARTICIPANTS} participants, {messages} messages "
          f"({messages - PARTICIPANTS} session invitations), budget {BUDGET_S:.0f} s:\n"
          f"  build and enqueue (sync_invitations)  {build}\n"
          f"  write {len(exported.written)} .eml + .ics ({size / 1e6:.1f} MB)  {write}\n"
          f"    of which MIME rendering (mail_format.eml_bytes, timed apart)  {mime}\n"
          f"  second sync ({len(again.queued)} new)  {again_t}\n"
          f"  after moving one session ({len(update.queued)} updates)  {update_t}")
    assert messages == PARTICIPANTS + 3 * SESSIONS
    assert len(exported.written) == messages and not exported.failed
    assert again.queued == [] and len(update.queued) == 3
    assert build.wall < 4 * BUDGET_S  # a generous sanity bound; the figures are the point


def _mime_rendering(database: Database) -> None:
    """mail_format renders every message as an .eml (no disk), with the sender the export
    uses (the conference's organiser)."""
    with read_session(database.sessions) as session:
        conference = get_conference(session, "BENCH")
        for message in session.scalars(select(OutboxMessage)).all():
            eml_bytes(message, sender=conference.organiser_email,
                      sender_name=conference.organiser_name, reply_to=conference.organiser_email)
