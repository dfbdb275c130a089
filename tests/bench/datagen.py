"""Benchmark data at the scale of DESIGN.md §6: 100,000 persons, 20,000 participants.

``generate(url)`` fills an empty smartconf database (SQLite or PostgreSQL) with persons named
from Albanian, Serbian Latin and Serbian Cyrillic pools, their e-mails, phones and
affiliations, organisations, three conferences with rooms, agenda sessions, participants,
badge codes and check-ins. Rows go in through SQLAlchemy Core executemany in chunks, in one
transaction; the ORM (and so the audit trail) is bypassed on purpose.

The data is reproducible for a given seed, except badge codes, which come from ``secrets``
like real ones. Command line::

    python -m tests.bench.datagen --db sqlite:////tmp/bench.db --persons 100000
"""

from __future__ import annotations

import argparse
import random
import sys
import time
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, Table, func, insert, select, text

from smartconf.core.badge_code import new_badge_code
from smartconf.core.enums import (
    ADMISSIBLE,
    AgendaRole,
    AgendaSessionKind,
    ConferenceStatus,
    Gender,
    Language,
    OrganisationKind,
    ParticipantRole,
    ParticipantStatus,
)
from smartconf.core.errors import SmartconfError
from smartconf.core.text import fold, to_latin
from smartconf.models import (
    Affiliation,
    AgendaSession,
    AgendaSessionPerson,
    CheckIn,
    Conference,
    Organisation,
    Participant,
    Person,
    PersonEmail,
    PersonPhone,
    Room,
    Tag,
    TeamMember,
    organisation_tag,
)
from smartconf.services.search_text import (
    organisation_search_text,
    person_search_text,
    person_sort_name,
)
from smartconf.store.database import open_database

from . import pools

CHUNK = 5000
CREATED_AT = datetime(2026, 9, 1, 8, 0, tzinfo=UTC)
VENUE_TZ = ZoneInfo("Europe/Belgrade")
ROOMS = (("Main Hall", 400), ("Room A", 120), ("Room B", 80), ("Press Room", 30))
# (day, local start, minutes, kind, room index, title or None for a topic)
AGENDA = (
    (0, "09:00", 30, AgendaSessionKind.OPENING, 0, "Opening remarks"),
    (0, "09:30", 45, AgendaSessionKind.KEYNOTE, 0, None),
    (0, "10:15", 30, AgendaSessionKind.BREAK, None, "Coffee break"),
    (0, "10:45", 90, AgendaSessionKind.PANEL, 0, None),
    (0, "10:45", 90, AgendaSessionKind.WORKSHOP, 1, None),
    (0, "12:15", 60, AgendaSessionKind.BREAK, None, "Lunch"),
    (0, "13:15", 90, AgendaSessionKind.PANEL, 0, None),
    (0, "13:15", 90, AgendaSessionKind.WORKSHOP, 2, None),
    (1, "09:30", 90, AgendaSessionKind.PANEL, 0, None),
    (1, "09:30", 90, AgendaSessionKind.WORKSHOP, 1, None),
    (1, "11:00", 30, AgendaSessionKind.BREAK, None, "Coffee break"),
    (1, "11:30", 60, AgendaSessionKind.CLOSING, 0, "Conclusions and closing"),
)
# The conferences cycle through a past one, an open one and a planned one.
CONFERENCE_PLANS = (
    ("SB-CI", datetime(2026, 5, 12, 7, 0, tzinfo=UTC), ConferenceStatus.CLOSED,
     {ParticipantStatus.ATTENDED: 70, ParticipantStatus.NO_SHOW: 12,
      ParticipantStatus.DECLINED: 10, ParticipantStatus.CANCELLED: 3,
      ParticipantStatus.WAITLISTED: 5}),
    ("SB-DI", datetime(2027, 3, 16, 8, 0, tzinfo=UTC), ConferenceStatus.OPEN,
     {ParticipantStatus.ACCEPTED: 45, ParticipantStatus.TENTATIVE: 10,
      ParticipantStatus.INVITED: 20, ParticipantStatus.DECLINED: 10,
      ParticipantStatus.WAITLISTED: 8, ParticipantStatus.CANCELLED: 3,
      ParticipantStatus.SHORTLISTED: 4}),
    ("SB-DP", datetime(2027, 10, 12, 7, 0, tzinfo=UTC), ConferenceStatus.PLANNED,
     {ParticipantStatus.SHORTLISTED: 50, ParticipantStatus.INVITED: 35,
      ParticipantStatus.ACCEPTED: 10, ParticipantStatus.DECLINED: 5}),
)
ROLE_WEIGHTS = {ParticipantRole.PARTICIPANT: 78, ParticipantRole.SPEAKER: 5,
                ParticipantRole.MODERATOR: 2, ParticipantRole.ORGANISER: 2,
                ParticipantRole.PRESS: 6, ParticipantRole.VIP: 4, ParticipantRole.STAFF: 3}
NOT_INVITED = {ParticipantStatus.SHORTLISTED, ParticipantStatus.WAITLISTED}
TEAM = (("arta", "Arta Gashi"), ("dusan", "Dušan Petrović"), ("besnik", "Besnik Morina"),
        ("ivana", "Ivana Ilić"), ("coordinator", "Event Coordinator"))
SECTORS = ("cyber security", "critical infrastructure", "disinformation", "data protection",
           "energy", "telecommunications", "media", "justice")
# script -> (share of persons, pools, preferred language, phone country code)
SCRIPTS = (
    ("albanian", 50, (pools.ALBANIAN_FEMALE, pools.ALBANIAN_MALE, pools.ALBANIAN_FAMILY),
     Language.ALBANIAN),
    ("serbian_latin", 25,
     (pools.SERBIAN_LATIN_FEMALE, pools.SERBIAN_LATIN_MALE, pools.SERBIAN_LATIN_FAMILY),
     Language.SERBIAN),
    ("serbian_cyrillic", 20, (pools.SERBIAN_CYRILLIC_FEMALE, pools.SERBIAN_CYRILLIC_MALE,
                              pools.SERBIAN_CYRILLIC_FAMILY), Language.SERBIAN),
    ("international", 5, (pools.INTERNATIONAL_FEMALE, pools.INTERNATIONAL_MALE,
                          pools.INTERNATIONAL_FAMILY), Language.ENGLISH),
)
PHONE_PREFIXES = {"albanian": ("+38344", "+38345", "+38349", "+35569"),
                  "serbian_latin": ("+38163", "+38164", "+38345"),
                  "serbian_cyrillic": ("+38164", "+38165", "+38345"),
                  "international": ("+4915", "+3247", "+1202")}


@dataclass
class _Org:
    """What persons need to know of an organisation."""

    id: int
    name: str
    acronym: str | None
    domain: str


@dataclass
class _Run:
    """State of one generation: the random source, the connection and what was made."""

    conn: Connection
    rng: random.Random
    counts: dict[str, int] = field(default_factory=dict)
    orgs: list[_Org] = field(default_factory=list)
    used_emails: set[str] = field(default_factory=set)
    used_badges: set[str] = field(default_factory=set)

    def insert(self, table: Table, rows: list[dict], key: str | None = None) -> None:
        """executemany ``rows`` into ``table`` in chunks and count them under ``key``."""
        for start in range(0, len(rows), CHUNK):
            self.conn.execute(insert(table), rows[start:start + CHUNK])
        name = key or table.name
        self.counts[name] = self.counts.get(name, 0) + len(rows)


def generate(url: str, *, persons: int = 100_000, organisations: int = 2_000,
             participants: int = 20_000, conferences: int = 3, seed: int = 1) -> dict[str, int]:
    """Fill the empty smartconf database at ``url`` (migrated first); return the row counts."""
    if min(persons, organisations, conferences) < 1 or participants < 0:
        raise ValueError("persons, organisations and conferences must be at least 1")
    if participants > persons * conferences:
        raise ValueError("more participants than persons times conferences")
    database = open_database(url)
    try:
        with database.engine.begin() as conn:
            if conn.scalar(select(func.count()).select_from(Person.__table__)):
                raise ValueError(f"{database.description} already holds persons; "
                                 "generate() fills an empty database")
            run = _Run(conn, random.Random(seed))
            _fill(run, persons=persons, organisations=organisations,
                  participants=participants, conferences=conferences)
            if conn.dialect.name == "postgresql":
                _advance_sequences(conn)
    finally:
        database.dispose()
    return run.counts


def _fill(run: _Run, *, persons: int, organisations: int, participants: int,
          conferences: int) -> None:
    team_ids = _team(run)
    _organisations(run, organisations)
    for first in range(1, persons + 1, CHUNK):
        _persons(run, range(first, min(first + CHUNK, persons + 1)), team_ids)
    per_conference = _split(participants, conferences)
    next_participant = 1
    for index, count in enumerate(per_conference, start=1):
        _conference(run, index, count, persons, next_participant)
        next_participant += count


def _split(total: int, parts: int) -> list[int]:
    base, extra = divmod(total, parts)
    return [base + (1 if i < extra else 0) for i in range(parts)]


def _stamps() -> dict:
    return {"created_at": CREATED_AT, "updated_at": CREATED_AT}


def _team(run: _Run) -> list[int]:
    rows = [{"id": i, "username": username, "display_name": name,
             "email": f"{username}@qkss.org", "pin_hash": None, "is_active": True, **_stamps()}
            for i, (username, name) in enumerate(TEAM, start=1)]
    run.insert(TeamMember.__table__, rows)
    return [row["id"] for row in rows]


def _organisations(run: _Run, count: int) -> None:
    rng = run.rng
    kinds = list(OrganisationKind)
    countries, weights = zip(*pools.COUNTRIES, strict=True)
    rows, ministries = [], []
    for org_id in range(1, count + 1):
        kind = rng.choice(kinds)
        country = rng.choices(countries, weights)[0]
        english, albanian, latin, cyrillic = pools.ORG_TEMPLATES[kind.value]
        topic = rng.choice(pools.TOPICS)
        name, name_latin = _org_name(rng, country, topic, english, albanian, latin, cyrillic)
        acronym = "".join(w[0] for w in fold(name_latin or name).split() if w[0].isalpha())
        acronym = acronym.upper()[:8] or None
        parent = rng.choice(ministries) if ministries and rng.random() < 0.1 else None
        if kind is OrganisationKind.MINISTRY:
            ministries.append(org_id)
        domain = f"{(acronym or 'org').lower()}{org_id}.{_tld(country)}"
        namespace = SimpleNamespace(name=name, name_latin=name_latin, acronym=acronym)
        rows.append({"id": org_id, "name": name, "name_latin": name_latin, "acronym": acronym,
                     "kind": kind.value, "country": country, "parent_id": parent,
                     "website": f"https://www.{domain}", "notes": None,
                     "search_text": organisation_search_text(namespace), **_stamps()})
        run.orgs.append(_Org(org_id, name, acronym, domain))
    run.insert(Organisation.__table__, rows)
    _sectors(run)


def _org_name(rng: random.Random, country: str, topic: tuple[str, ...], *templates: str
              ) -> tuple[str, str | None]:
    english, albanian, latin, cyrillic = templates
    if country in ("XK", "AL", "MK") and rng.random() < 0.6:
        return albanian.format(topic[1]), None
    if country in ("RS", "ME", "BA", "XK") and rng.random() < 0.5:
        if rng.random() < 0.5:
            name = cyrillic.format(topic[3])
            return name, to_latin(name)
        return latin.format(topic[2]), None
    return english.format(topic[0]), None


def _tld(country: str) -> str:
    return {"XK": "net", "RS": "rs", "AL": "al", "MK": "mk", "ME": "me", "BA": "ba",
            "DE": "de", "BE": "be"}.get(country, "org")


def _sectors(run: _Run) -> None:
    tags = [{"id": i, "category": "sector", "name": name}
            for i, name in enumerate(SECTORS, start=1)]
    run.insert(Tag.__table__, tags)
    links = [{"organisation_id": org.id, "tag_id": run.rng.randint(1, len(SECTORS))}
             for org in run.orgs]
    run.insert(organisation_tag, links)


def _persons(run: _Run, ids: range, team_ids: list[int]) -> None:
    """One chunk of persons with their e-mails, phones and affiliation."""
    persons, emails, phones, affiliations = [], [], [], []
    for person_id in ids:
        person, person_emails, phone, affiliation = _person(run, person_id, team_ids)
        persons.append(person)
        emails += person_emails
        phones.append(phone)
        affiliations.append(affiliation)
    run.insert(Person.__table__, persons)
    run.insert(PersonEmail.__table__, emails)
    run.insert(PersonPhone.__table__, phones)
    run.insert(Affiliation.__table__, affiliations)


def _person(run: _Run, person_id: int, team_ids: list[int]) -> tuple[dict, list, dict, dict]:
    rng = run.rng
    script, _, (female, male, family), language = rng.choices(
        SCRIPTS, [s[1] for s in SCRIPTS])[0]
    gender = rng.choices((Gender.FEMALE, Gender.MALE, Gender.UNKNOWN), (45, 45, 10))[0]
    given = rng.choice(female if gender is Gender.FEMALE or
                       (gender is Gender.UNKNOWN and rng.random() < 0.5) else male)
    family_name = rng.choice(family)
    cyrillic = script == "serbian_cyrillic"
    given_latin = to_latin(given) if cyrillic else None
    family_latin = to_latin(family_name) if cyrillic else None
    org = rng.choice(run.orgs)
    position = rng.choice(pools.POSITIONS)
    emails = _emails(run, person_id, given_latin or given, family_latin or family_name, org)
    namespace = SimpleNamespace(
        given_name=given, family_name=family_name, given_name_latin=given_latin,
        family_name_latin=family_latin, position=position,
        affiliations=[SimpleNamespace(ended_on=None, organisation=org)],
        emails=[SimpleNamespace(address=e["address"]) for e in emails])
    person = {
        "id": person_id, "given_name": given, "family_name": family_name,
        "given_name_latin": given_latin, "family_name_latin": family_latin,
        "honorific": rng.choice(pools.HONORIFICS) if rng.random() < 0.15 else None,
        "position": position,
        "preferred_language": (Language.ENGLISH if rng.random() < 0.1 else language).value,
        "gender": gender.value,
        "owner_id": rng.choice(team_ids) if rng.random() < 0.7 else None, "notes": None,
        "search_text": person_search_text(namespace),
        "sort_name": person_sort_name(namespace), "erased_at": None, **_stamps()}
    phone = {"id": person_id, "person_id": person_id, "label": "mobile", "is_primary": True,
             "number": rng.choice(PHONE_PREFIXES[script]) + f"{rng.randrange(10**6, 10**7)}"}
    affiliation = {"id": person_id, "person_id": person_id, "organisation_id": org.id,
                   "role": position, "is_primary": True,
                   "started_on": date(2015, 1, 1) + timedelta(days=rng.randrange(4000)),
                   "ended_on": None}
    return person, emails, phone, affiliation


_fold_name = lru_cache(maxsize=4096)(fold)  # names come from small pools


def _emails(run: _Run, person_id: int, given: str, family: str, org: _Org) -> list[dict]:
    local = f"{_fold_name(given)}.{_fold_name(family)}".replace(" ", "").replace("'", "")
    domains = [("work", org.domain)]
    if run.rng.random() < 0.2:
        domains.append(("private", run.rng.choice(("gmail.com", "hotmail.com", "yahoo.com"))))
    rows = []
    for label, domain in domains:
        address, n = f"{local}@{domain}", 1
        while address in run.used_emails:
            n += 1
            address = f"{local}{n}@{domain}"
        run.used_emails.add(address)
        rows.append({"id": person_id * 2 - 1 + len(rows), "person_id": person_id,
                     "address": address, "label": label, "is_primary": not rows})
    return rows


def _conference(run: _Run, index: int, count: int, persons: int, first_id: int) -> None:
    """Conference ``index`` with rooms, agenda, ``count`` participants and their check-ins."""
    prefix, starts_at, status, status_weights = CONFERENCE_PLANS[(index - 1) % 3]
    starts_at += timedelta(days=365 * ((index - 1) // 3))
    code = f"{prefix}-{starts_at.year}" + (f"-{index}" if index > 3 else "")
    run.insert(Conference.__table__, [{
        "id": index, "code": code, "title": f"SMART Balkans policy conference {index}: "
        f"{pools.SESSION_TOPICS[index % len(pools.SESSION_TOPICS)]}",
        "description": None, "starts_at": starts_at, "ends_at": starts_at + timedelta(days=1,
                                                                                    hours=10),
        "timezone": "Europe/Belgrade", "venue": "Swiss Diamond Hotel, Prishtina",
        "address": "Sheshi Nënë Tereza, 10000 Prishtinë", "capacity": max(count // 2, 50),
        "organiser_name": "KCSS SMART Balkans", "organiser_email": "smart@qkss.org",
        "status": status.value, "calendar_uid": _uid(run.rng), "calendar_sequence": 0,
        **_stamps()}])
    room_ids = _rooms(run, index)
    session_ids = _agenda(run, index, starts_at, room_ids)
    rows = _participants(run, index, count, persons, first_id, status_weights, starts_at)
    _panels(run, session_ids, rows)
    _check_ins(run, rows, starts_at)


def _uid(rng: random.Random) -> str:
    return f"{uuid.UUID(int=rng.getrandbits(128), version=4)}@smartconf.qkss.org"


def _rooms(run: _Run, conference_id: int) -> list[int]:
    first = (conference_id - 1) * len(ROOMS) + 1
    rows = [{"id": first + i, "conference_id": conference_id, "name": name, "capacity": cap}
            for i, (name, cap) in enumerate(ROOMS)]
    run.insert(Room.__table__, rows)
    return [row["id"] for row in rows]


def _agenda(run: _Run, conference_id: int, starts_at: datetime, room_ids: list[int]
            ) -> list[int]:
    first_day = starts_at.astimezone(VENUE_TZ).date()
    first = (conference_id - 1) * len(AGENDA) + 1
    rows = []
    for i, (day, clock, minutes, kind, room, title) in enumerate(AGENDA):
        hour, minute = map(int, clock.split(":"))
        local = datetime.combine(first_day + timedelta(days=day),
                                 datetime.min.time().replace(hour=hour, minute=minute),
                                 tzinfo=VENUE_TZ)
        rows.append({
            "id": first + i, "conference_id": conference_id,
            "room_id": room_ids[room] if room is not None else None, "kind": kind.value,
            "title": title or run.rng.choice(pools.SESSION_TOPICS), "description": None,
            "starts_at": local.astimezone(UTC),
            "ends_at": (local + timedelta(minutes=minutes)).astimezone(UTC),
            "calendar_uid": _uid(run.rng), "calendar_sequence": 0, **_stamps()})
    run.insert(AgendaSession.__table__, rows)
    return [row["id"] for row in rows if row["kind"] in ("panel", "workshop", "keynote")]


def _participants(run: _Run, conference_id: int, count: int, persons: int, first_id: int,
                  status_weights: dict, starts_at: datetime) -> list[dict]:
    rng = run.rng
    statuses, weights = list(status_weights), list(status_weights.values())
    roles, role_weights = list(ROLE_WEIGHTS), list(ROLE_WEIGHTS.values())
    rows = []
    for offset, person_id in enumerate(sorted(rng.sample(range(1, persons + 1), count))):
        status = rng.choices(statuses, weights)[0]
        rows.append({
            "id": first_id + offset, "conference_id": conference_id, "person_id": person_id,
            "role": rng.choices(roles, role_weights)[0].value, "status": status.value,
            "status_changed_at": starts_at - timedelta(days=rng.randrange(1, 60)),
            "invite_sequence": 0 if status in NOT_INVITED else 1,
            "badge_code": _badge(run) if status in ADMISSIBLE else None, "badge_revision": 0,
            "desk_note": "Reserved seat, front row" if rng.random() < 0.01 else None,
            "consent_override": None, **_stamps()})
    run.insert(Participant.__table__, rows)
    run.counts["badges"] = run.counts.get("badges", 0) + sum(1 for r in rows if r["badge_code"])
    return rows


def _badge(run: _Run) -> str:
    code = new_badge_code()
    while code in run.used_badges:
        code = new_badge_code()
    run.used_badges.add(code)
    return code


def _panels(run: _Run, session_ids: list[int], participants: list[dict]) -> None:
    """Moderators and speakers of the agenda, drawn from the conference's participants."""
    moderators = [p["person_id"] for p in participants if p["role"] == "moderator"]
    speakers = [p["person_id"] for p in participants if p["role"] == "speaker"]
    rows = []
    for session_id in session_ids:
        chosen: set[int] = set()
        for role, people, n in ((AgendaRole.MODERATOR, moderators, 1),
                                (AgendaRole.SPEAKER, speakers, 3)):
            for position, person_id in enumerate(_pick(run.rng, people, n, chosen)):
                rows.append({"agenda_session_id": session_id, "person_id": person_id,
                             "role": role.value, "position": position})
    run.insert(AgendaSessionPerson.__table__, rows)


def _pick(rng: random.Random, people: list[int], n: int, chosen: set[int]) -> Iterator[int]:
    for person_id in rng.sample(people, min(n, len(people))):
        if person_id not in chosen:
            chosen.add(person_id)
            yield person_id


def _check_ins(run: _Run, participants: Iterable[dict], starts_at: datetime) -> None:
    """A conference admission for everyone who attended."""
    rng = run.rng
    first = run.counts.get("check_in", 0) + 1
    rows = [{"id": first + i, "participant_id": p["id"], "agenda_session_id": None,
             "scope": "conference",
             "checked_in_at": starts_at + timedelta(seconds=rng.randrange(-3600, 3 * 3600)),
             "desk": f"desk-{rng.randint(1, 4)}", "operator": "coordinator", "method": "scan",
             "nonce": f"{rng.getrandbits(128):032x}", "voided_at": None, "voided_by": None,
             "void_reason": None, "created_at": starts_at}
            for i, p in enumerate(p for p in participants if p["status"] == "attended")]
    run.insert(CheckIn.__table__, rows)


def _advance_sequences(conn: Connection) -> None:
    """Explicit ids do not move PostgreSQL's sequences; move them past the largest id."""
    for table in (TeamMember, Organisation, Tag, Person, PersonEmail, PersonPhone, Affiliation,
                  Conference, Room, AgendaSession, Participant, CheckIn):
        name = table.__tablename__
        conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                          f"COALESCE((SELECT MAX(id) FROM {name}), 0) + 1, false)"))


def main(argv: list[str] | None = None) -> int:
    """Command line: generate into --db and print the counts and the speed."""
    parser = argparse.ArgumentParser(prog="python -m tests.bench.datagen", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", required=True,
                        help="SQLAlchemy URL or SQLite file path of an empty database")
    parser.add_argument("--persons", type=int, default=100_000)
    parser.add_argument("--organisations", type=int, default=2_000)
    parser.add_argument("--participants", type=int, default=20_000)
    parser.add_argument("--conferences", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    url = args.db if "://" in args.db else f"sqlite:///{Path(args.db).expanduser().resolve()}"
    started = time.perf_counter()
    try:
        counts = generate(url, persons=args.persons, organisations=args.organisations,
                          participants=args.participants, conferences=args.conferences,
                          seed=args.seed)
    except (ValueError, SmartconfError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    elapsed = time.perf_counter() - started
    for name, count in counts.items():
        print(f"{name:>24} {count:>8}")
    print(f"{elapsed:.1f} s, {args.persons / elapsed:,.0f} persons/s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
