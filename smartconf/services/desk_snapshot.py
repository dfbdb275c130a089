"""The desk's local snapshot: what a desk needs to give verdicts while the server is away.

A small SQLite file per desk (in the data folder's ``desk/`` directory) holding, for one
conference: every participant with a badge code -- id, name, organisation, role, status and
desk note, never an e-mail or a phone number --, who is admitted (when, at which desk), the
revoked codes with their reasons, the current codes of other conferences (to say "another
conference"), the conference's id, code, title and time zone, and the coordinator PIN's hash.

``refresh`` reads the server: the first time and every ``FULL_REFRESH_AFTER`` everything (which
also drops what was deleted), in between only rows changed since the last refresh, minus
``OVERLAP``: rows are stamped by the clock of the computer that wrote them and committed a
little later, so a margin is re-read rather than missed. A clock more than ``OVERLAP`` behind
only delays a change until the next full refresh.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from smartconf.core.dto import PreviousCheckIn
from smartconf.core.enums import (
    ADMISSIBLE,
    COUNTS_AGAINST_CAPACITY,
    ParticipantRole,
    ParticipantStatus,
)
from smartconf.core.text import fold
from smartconf.models import CheckIn, Conference, Participant, Person, RevokedBadge
from smartconf.models.base import utcnow
from smartconf.services.desk_pin import desk_pin_hash
from smartconf.services.overview import organisation_name_of

SCHEMA_VERSION = "1"
FULL_REFRESH_AFTER = timedelta(minutes=10)
OVERLAP = timedelta(minutes=2)
_TABLES = ("meta", "participant", "admitted", "revoked", "elsewhere")
_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE participant (
    id INTEGER PRIMARY KEY, badge_code TEXT UNIQUE, name TEXT NOT NULL,
    organisation TEXT NOT NULL, role TEXT NOT NULL, status TEXT NOT NULL, desk_note TEXT,
    sort_name TEXT NOT NULL, folded TEXT NOT NULL);
CREATE TABLE admitted (participant_id INTEGER PRIMARY KEY, checked_in_at TEXT NOT NULL,
                       desk TEXT NOT NULL);
CREATE TABLE revoked (code TEXT PRIMARY KEY, participant_id INTEGER, reason TEXT NOT NULL);
CREATE TABLE elsewhere (participant_id INTEGER PRIMARY KEY, code TEXT UNIQUE NOT NULL,
                        conference_code TEXT NOT NULL);
"""
_PARTICIPANT_COLUMNS = "id, badge_code, name, organisation, role, status, desk_note"


@dataclass(frozen=True, slots=True)
class SnapshotParticipant:
    """A participant as the snapshot knows them (nothing a desk screen must not show)."""

    id: int
    badge_code: str | None
    name: str
    organisation: str
    role: ParticipantRole
    status: ParticipantStatus
    desk_note: str | None


@dataclass(frozen=True, slots=True)
class CodeLookup:
    """What the snapshot knows of a badge code: a participant here, a revoked code, or a code
    of another conference (all None: unknown)."""

    participant: SnapshotParticipant | None = None
    revoked_reason: str | None = None
    other_conference: str | None = None


@dataclass(frozen=True, slots=True)
class RefreshStats:
    """What one refresh did."""

    full: bool
    participants: int  # participant rows written
    admissions: int  # admission rows written
    seconds: float


class DeskSnapshot:
    """The snapshot file of one desk (readable by its owner only). Not thread-safe: the Desk
    serialises access."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self._db = self._open()
        except sqlite3.DatabaseError:  # damaged (a power cut): it is only a copy, start over
            for extra in ("", "-wal", "-shm"):
                Path(f"{path}{extra}").unlink(missing_ok=True)
            self._db = self._open()

    def _open(self) -> sqlite3.Connection:
        if not self.path.exists():  # names of people: readable by this user only
            os.close(os.open(self.path, os.O_CREAT | os.O_WRONLY, 0o600))
        db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        try:
            # a cache of the server: never wait for the disk (the journal is what must last)
            db.execute("PRAGMA journal_mode = WAL")
            db.execute("PRAGMA synchronous = OFF")
            self._db = db
            if self._meta("schema") != SCHEMA_VERSION:
                self._create()
        except sqlite3.DatabaseError:
            db.close()
            raise
        return db

    def _create(self) -> None:
        with self._transaction():
            for table in _TABLES:
                self._db.execute(f"DROP TABLE IF EXISTS {table}")
            for statement in filter(str.strip, _SCHEMA.split(";")):
                self._db.execute(statement)
            self._set_meta(schema=SCHEMA_VERSION)

    def _transaction(self):
        return _Transaction(self._db)

    def close(self) -> None:
        self._db.close()

    # -- meta ---------------------------------------------------------------------------------

    def _meta(self, key: str) -> str | None:
        try:
            row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        except sqlite3.OperationalError as exc:
            if "no such table" in str(exc):  # a new file
                return None
            raise
        return row[0] if row else None

    def _set_meta(self, **values: str | None) -> None:
        self._db.executemany("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                             list(values.items()))

    @property
    def ready(self) -> bool:
        """True once a refresh has filled it."""
        return self._meta("conference_id") is not None

    @property
    def conference_id(self) -> int:
        return int(self._meta("conference_id") or 0)

    @property
    def conference_code(self) -> str:
        return self._meta("conference_code") or ""

    @property
    def conference_title(self) -> str:
        return self._meta("conference_title") or ""

    @property
    def timezone(self) -> str:
        return self._meta("timezone") or "UTC"

    @property
    def pin_hash(self) -> str | None:
        return self._meta("pin_hash")

    @property
    def refreshed_at(self) -> datetime | None:
        """When the last refresh started (this computer's clock)."""
        value = self._meta("refreshed_at")
        return datetime.fromisoformat(value) if value else None

    # -- reading --------------------------------------------------------------------------------

    def lookup(self, code: str) -> CodeLookup:
        """What the snapshot knows of the (normalised) badge ``code``."""
        participant = self._participant_where("badge_code = ?", code)
        if participant is not None:
            return CodeLookup(participant=participant)
        row = self._db.execute("SELECT participant_id, reason FROM revoked WHERE code = ?",
                               (code,)).fetchone()
        if row is not None:
            return CodeLookup(participant=self.participant(row[0]) if row[0] else None,
                              revoked_reason=row[1])
        row = self._db.execute("SELECT conference_code FROM elsewhere WHERE code = ?",
                               (code,)).fetchone()
        return CodeLookup(other_conference=row[0]) if row else CodeLookup()

    def participant(self, participant_id: int) -> SnapshotParticipant | None:
        return self._participant_where("id = ?", participant_id)

    def _participant_where(self, condition: str, value) -> SnapshotParticipant | None:
        row = self._db.execute(f"SELECT {_PARTICIPANT_COLUMNS} FROM participant "
                               f"WHERE {condition}", (value,)).fetchone()
        return _participant(row) if row else None

    def admission(self, participant_id: int) -> PreviousCheckIn | None:
        """When and where the participant was admitted, as far as the snapshot knows."""
        row = self._db.execute("SELECT checked_in_at, desk FROM admitted WHERE participant_id = ?",
                               (participant_id,)).fetchone()
        return PreviousCheckIn(datetime.fromisoformat(row[0]), row[1]) if row else None

    def search(self, text: str, limit: int) -> list[tuple[SnapshotParticipant, datetime | None]]:
        """Admissible participants whose name or organisation holds every word of ``text``
        (folded like the CRM search), in name order, with their admission time."""
        conditions, params = [], []
        for word in fold(text).split():
            pattern = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            if len(word) >= 3:
                conditions.append("folded LIKE ? ESCAPE '\\'")
                params.append(f"%{pattern}%")
            else:
                conditions.append("(folded LIKE ? ESCAPE '\\' OR folded LIKE ? ESCAPE '\\')")
                params += [f"{pattern}%", f"% {pattern}%"]
        statuses = [s.value for s in ADMISSIBLE]
        conditions.append(f"status IN ({', '.join('?' * len(statuses))})")
        params += statuses
        rows = self._db.execute(
            f"SELECT {_PARTICIPANT_COLUMNS}, a.checked_in_at FROM participant "
            f"LEFT JOIN admitted a ON a.participant_id = participant.id "
            f"WHERE {' AND '.join(conditions)} ORDER BY sort_name, id LIMIT ?",
            (*params, limit)).fetchall()
        return [(_participant(row[:7]), datetime.fromisoformat(row[7]) if row[7] else None)
                for row in rows]

    def counts(self, also_admitted: Iterable[int] = ()) -> tuple[int, int]:
        """(checked in, expected), counting ``also_admitted`` (pending offline admissions)."""
        extra = [pid for pid in set(also_admitted) if self.admission(pid) is None]
        counted = [s.value for s in COUNTS_AGAINST_CAPACITY]
        marks = ", ".join("?" * len(counted))
        admitted, expected = self._db.execute(
            f"SELECT (SELECT count(*) FROM admitted), (SELECT count(*) FROM participant "
            f"WHERE status IN ({marks}) OR id IN (SELECT participant_id FROM admitted))",
            counted).fetchone()
        uncounted = sum(1 for pid in extra if (p := self.participant(pid)) is not None
                        and p.status not in COUNTS_AGAINST_CAPACITY)
        return admitted + len(extra), expected + uncounted

    # -- writing --------------------------------------------------------------------------------

    def note_admission(self, participant_id: int, at: datetime, desk: str) -> None:
        """Remember an admission the desk has just seen (its own, or "already checked in")."""
        self._db.execute("INSERT OR REPLACE INTO admitted VALUES (?, ?, ?)",
                         (participant_id, at.astimezone(UTC).isoformat(), desk))

    def forget_admission(self, participant_id: int) -> None:
        """The admission was undone."""
        self._db.execute("DELETE FROM admitted WHERE participant_id = ?", (participant_id,))

    def refresh(self, session: Session, conference: Conference, *, scope: str,
                full: bool = False) -> RefreshStats:
        """Bring the snapshot up to date from the server (everything, or what changed)."""
        started, clock = utcnow(), time.perf_counter()
        full = full or self._full_due(conference.id, scope, started)
        since = None if full else self.refreshed_at - OVERLAP
        participants = _participant_rows(session, conference.id, since)
        touched, admissions = _admission_rows(session, conference.id, scope, since)
        revoked = _revoked_rows(session, since)
        elsewhere = _elsewhere_rows(session, conference.id, since)
        meta = {"conference_id": str(conference.id), "conference_code": conference.code,
                "conference_title": conference.title, "timezone": conference.timezone,
                "scope": scope, "pin_hash": desk_pin_hash(session),
                "refreshed_at": started.isoformat()}
        with self._transaction():
            if full:
                for table in _TABLES[1:]:
                    self._db.execute(f"DELETE FROM {table}")
                meta["full_refresh_at"] = started.isoformat()
            self._write(participants, touched, admissions, revoked, elsewhere)
            self._set_meta(**meta)
        return RefreshStats(full, len(participants), len(admissions),
                            time.perf_counter() - clock)

    def _full_due(self, conference_id: int, scope: str, now: datetime) -> bool:
        last_full = self._meta("full_refresh_at")
        return (not self.ready or self.conference_id != conference_id
                or self._meta("scope") != scope or last_full is None
                or now - datetime.fromisoformat(last_full) > FULL_REFRESH_AFTER)

    def _write(self, participants, touched, admissions, revoked, elsewhere) -> None:
        db = self._db
        # a reissued code moves: free it first so that the UNIQUE index never trips
        db.executemany("UPDATE participant SET badge_code = NULL WHERE badge_code = ?",
                       [(row[1],) for row in participants if row[1]])
        db.executemany("INSERT OR REPLACE INTO participant VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                       participants)
        db.executemany("DELETE FROM admitted WHERE participant_id = ?", [(p,) for p in touched])
        db.executemany("INSERT OR REPLACE INTO admitted VALUES (?, ?, ?)", admissions)
        db.executemany("INSERT OR REPLACE INTO revoked VALUES (?, ?, ?)", revoked)
        db.executemany("DELETE FROM elsewhere WHERE participant_id = ?",
                       [(pid,) for pid, code, _ in elsewhere if code is None])
        db.executemany("INSERT OR REPLACE INTO elsewhere VALUES (?, ?, ?)",
                       [row for row in elsewhere if row[1] is not None])


class _Transaction:
    """BEGIN ... COMMIT (or ROLLBACK) on an autocommit sqlite3 connection."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def __enter__(self) -> None:
        self._db.execute("BEGIN")

    def __exit__(self, kind, _value, _traceback) -> None:
        self._db.execute("ROLLBACK" if kind else "COMMIT")


def _participant(row) -> SnapshotParticipant:
    pid, code, name, organisation, role, status, note = row
    return SnapshotParticipant(pid, code, name, organisation, ParticipantRole(role),
                               ParticipantStatus(status), note)


def _participant_rows(session: Session, conference_id: int, since: datetime | None) -> list:
    query = (select(Participant.id, Participant.badge_code, Participant.role,
                    Participant.status, Participant.desk_note, Person.given_name,
                    Person.family_name, Person.given_name_latin, Person.family_name_latin,
                    Person.sort_name, organisation_name_of(Person.id))
             .join(Person, Person.id == Participant.person_id)
             .where(Participant.conference_id == conference_id))
    if since is not None:
        query = query.where(or_(Participant.updated_at > since, Person.updated_at > since))
    rows = []
    for pid, code, role, status, note, given, family, given_l, family_l, sort, org in \
            session.execute(query):
        name = f"{given} {family}".strip()
        folded = fold(" ".join(p for p in (given, family, given_l, family_l, org) if p))
        rows.append((pid, code, name, org or "", ParticipantRole(role).value,
                     ParticipantStatus(status).value, note, sort or "", folded))
    return rows


def _admission_rows(session: Session, conference_id: int, scope: str,
                    since: datetime | None) -> tuple[list[int], list]:
    """(participants whose admission may have changed, their valid admissions)."""
    mine = (Participant.conference_id == conference_id, CheckIn.scope == scope)
    valid = (select(CheckIn.participant_id, CheckIn.checked_in_at, CheckIn.desk)
             .join(Participant, Participant.id == CheckIn.participant_id)
             .where(*mine, CheckIn.voided_at.is_(None)))
    touched: list[int] = []
    if since is not None:
        changed = (select(CheckIn.participant_id)
                   .join(Participant, Participant.id == CheckIn.participant_id)
                   .where(*mine, or_(CheckIn.created_at > since, CheckIn.voided_at > since)))
        touched = list(set(session.scalars(changed)))
        valid = valid.where(CheckIn.participant_id.in_(changed))
    return touched, [(pid, at.astimezone(UTC).isoformat(), desk)
                     for pid, at, desk in session.execute(valid)]


def _revoked_rows(session: Session, since: datetime | None) -> list:
    query = select(RevokedBadge.code, RevokedBadge.participant_id, RevokedBadge.reason)
    if since is not None:
        query = query.where(RevokedBadge.revoked_at > since)
    return [tuple(row) for row in session.execute(query)]


def _elsewhere_rows(session: Session, conference_id: int, since: datetime | None) -> list:
    query = (select(Participant.id, Participant.badge_code, Conference.code)
             .join(Conference, Conference.id == Participant.conference_id)
             .where(Participant.conference_id != conference_id))
    if since is None:
        query = query.where(Participant.badge_code.is_not(None))
    else:
        query = query.where(Participant.updated_at > since)
    return [tuple(row) for row in session.execute(query)]
