"""The check-in desk: a badge in, a verdict out, whether the server answers or not.

A ``Desk`` is what the desk screen (and ``smartconf desk``) drives. Online, every scan is one
short transaction through ``checkin.check_in``: the database decides admission, so desks that
share a PostgreSQL server never admit a badge twice. When the server stops answering (a
connection error), the desk says so (``online`` False, ``last_error``) and gives its verdicts
from the snapshot (``desk_snapshot``), writing every admission to the journal
(``desk_journal``: fsync'd, with a nonce) before answering. Later scans try the server again,
at most every ``retry_after`` seconds and with a short connect timeout; once it answers, the
journal is replayed through ``check_in`` with the original nonces and times (idempotent), and
admissions the server had already made elsewhere are listed for review, never merged. A journal
left behind by a crash is replayed at the next start.

A Desk is Qt-free and thread-safe (one lock serialises its operations).
"""

from __future__ import annotations

import hashlib
import re
import secrets
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, fields
from datetime import datetime
from pathlib import Path

from sqlalchemy import and_, event, func, select
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.orm import Session, selectinload

from smartconf.core.badge_code import BadgeCodeError, normalise_badge_code
from smartconf.core.dto import CheckInResult, PreviousCheckIn
from smartconf.core.enums import (
    ADMISSIBLE,
    COUNTS_AGAINST_CAPACITY,
    CheckInMethod,
    OrganisationKind,
    ParticipantRole,
    ParticipantStatus,
    Verdict,
)
from smartconf.core.errors import (
    DatabaseError,
    DatabaseUnreachable,
    NotFoundError,
    ValidationError,
)
from smartconf.models import Affiliation, AgendaSession, CheckIn, Conference, Participant, Person
from smartconf.models.base import utcnow
from smartconf.models.checkin import session_scope_key
from smartconf.services.badges import FIRST_ISSUE, issue_badge, render_conference_badges
from smartconf.services.checkin import check_in, check_in_participant, void_check_in
from smartconf.services.conferences import get_conference
from smartconf.services.desk_journal import Journal, JournalEntry, ReplayOutcome
from smartconf.services.desk_pin import check_desk_pin, desk_pin_hash, set_desk_pin
from smartconf.services.desk_snapshot import DeskSnapshot, RefreshStats, SnapshotParticipant
from smartconf.services.labels import organisation_label, role_label
from smartconf.services.organisations import (
    OrganisationInput,
    create_organisation,
    find_organisation,
)
from smartconf.services.person_search import PersonFilter, search_person_ids
from smartconf.services.persons import PersonInput, add_affiliation, create_person
from smartconf.store.database import Database, classify_error, require_current
from smartconf.store.engine import create_db_engine
from smartconf.store.session import make_session_factory, unit_of_work

__all__ = ["Desk", "DeskCounts", "DeskPerson", "DeskStatus", "DeskVerdict", "ReplayReport",
           "ReviewItem", "check_desk_pin", "desk_files", "desk_status", "set_desk_pin"]

RETRY_AFTER_S = 5.0  # after a failure, scans go straight to the snapshot this long
CONNECT_TIMEOUT_S = 2
REPLAY_BATCH = 50  # journal entries replayed per transaction
WALK_IN_LAYOUT = "a6-single"
_NAME_MAX = 64
_NEW_CHECK_INS = "desk.new_check_ins"
_REFUSED = (NotFoundError, ValidationError)  # a replayed entry that can never be admitted


@dataclass(frozen=True, slots=True)
class DeskVerdict(CheckInResult):
    """A check-in verdict at the desk: ``offline`` when it came from the snapshot (the
    admission is in the journal until replayed), ``check_in_id`` of an online admission."""

    offline: bool = False
    check_in_id: int | None = None

    @classmethod
    def of(cls, result: CheckInResult, *, offline: bool,
           check_in_id: int | None = None) -> DeskVerdict:
        values = {f.name: getattr(result, f.name) for f in fields(CheckInResult)}
        return cls(**values, offline=offline, check_in_id=check_in_id)

    @property
    def attention(self) -> bool:
        """Amber: already checked in, or admitted with something to notice (VIP, desk note)."""
        if self.verdict is Verdict.ALREADY_CHECKED_IN:
            return True
        return self.verdict is Verdict.ADMITTED and (
            bool(self.note) or self.role == role_label(ParticipantRole.VIP))

    @property
    def tone(self) -> str:
        """"green", "amber" or "red": the colour of the verdict card."""
        if self.verdict is Verdict.REJECTED:
            return "red"
        return "amber" if self.attention else "green"

    def as_json(self) -> dict:
        data = CheckInResult.as_json(self)
        data.update(offline=self.offline, check_in_id=self.check_in_id,
                    attention=self.attention)
        return data


@dataclass(frozen=True, slots=True)
class DeskCounts:
    """Checked in of expected (accepted, tentative or attended)."""

    checked_in: int
    expected: int


@dataclass(frozen=True, slots=True)
class DeskPerson:
    """A participant found by name at the desk: never an e-mail or a phone number."""

    id: int  # participant id
    name: str
    organisation: str
    role: str  # label
    status: ParticipantStatus
    checked_in_at: datetime | None


@dataclass(frozen=True, slots=True)
class ReviewItem:
    """An offline admission the server did not take as it was: someone to look at."""

    nonce: str
    participant_id: int
    name: str | None
    desk: str
    operator: str
    offline_at: datetime  # when the desk admitted offline
    verdict: Verdict  # what the server answered on replay
    reason: str | None
    previous: PreviousCheckIn | None  # the admission that stands (already checked in)

    @classmethod
    def of(cls, entry: JournalEntry, outcome: ReplayOutcome) -> ReviewItem:
        return cls(entry.nonce, entry.participant_id, outcome.name, entry.desk, entry.operator,
                   entry.at, outcome.verdict, outcome.reason, outcome.previous)

    def as_json(self) -> dict:
        return {"participant_id": self.participant_id, "name": self.name, "desk": self.desk,
                "operator": self.operator, "offline_at": self.offline_at.isoformat(),
                "verdict": self.verdict.value, "reason": self.reason,
                "previous": self.previous.as_json() if self.previous else None}


@dataclass(frozen=True, slots=True)
class ReplayReport:
    """What a replay of the journal did."""

    replayed: int = 0  # admissions written now
    unchanged: int = 0  # already on the server (replayed before): nothing changed
    duplicates: tuple[ReviewItem, ...] = ()  # admitted elsewhere first: to review
    rejected: tuple[ReviewItem, ...] = ()  # refused now (revoked, cancelled...): to review
    pending: int = 0  # still in the journal (the server went away again)

    @property
    def complete(self) -> bool:
        return self.pending == 0

    def as_json(self) -> dict:
        return {"replayed": self.replayed, "unchanged": self.unchanged,
                "duplicates": [d.as_json() for d in self.duplicates],
                "rejected": [r.as_json() for r in self.rejected], "pending": self.pending}


@dataclass(frozen=True, slots=True)
class DeskStatus:
    """What a desk's files say, read without the server (``smartconf desk status``)."""

    conference_code: str
    desk: str
    snapshot_refreshed_at: datetime | None  # None: no snapshot yet
    timezone: str  # the conference's (UTC when there is no snapshot)
    pending: int  # offline admissions not replayed yet
    review: tuple[ReviewItem, ...]
    unreadable_lines: int  # a torn last line after a crash

    def as_json(self) -> dict:
        refreshed = self.snapshot_refreshed_at
        return {"conference": self.conference_code, "desk": self.desk,
                "snapshot_refreshed_at": refreshed.isoformat() if refreshed else None,
                "pending": self.pending, "review": [r.as_json() for r in self.review],
                "unreadable_lines": self.unreadable_lines}


def desk_status(journal_dir: Path, conference_code: str, desk: str,
                agenda_session_id: int | None = None) -> DeskStatus:
    """Read a desk's journal and snapshot (also while the desk is open elsewhere)."""
    desk = _name(desk, "desk")
    journal_path, snapshot_path = desk_files(journal_dir, conference_code, desk,
                                             agenda_session_id)
    journal = Journal(journal_path, writable=False)
    refreshed, timezone = None, "UTC"
    if snapshot_path.exists():
        snapshot = DeskSnapshot(snapshot_path)
        try:
            refreshed, timezone = snapshot.refreshed_at, snapshot.timezone
        finally:
            snapshot.close()
    return DeskStatus(conference_code.strip().upper(), desk, refreshed, timezone,
                      len(journal.pending()),
                      tuple(ReviewItem.of(e, o) for e, o in journal.for_review()),
                      journal.unreadable)


@dataclass(frozen=True, slots=True)
class _LastAdmission:
    participant_id: int
    check_in_id: int | None  # online admission
    nonce: str | None  # offline admission (journal)


class Desk:
    """One check-in desk at one conference (or at one agenda session's door).

    Raises NotFoundError for an unknown conference code, and DatabaseUnreachable when the
    server does not answer and this desk has no snapshot yet to work from.
    """

    def __init__(self, database_url: str, conference_code: str, desk: str, operator: str, *,
                 journal_dir: Path, agenda_session_id: int | None = None,
                 retry_after: float = RETRY_AFTER_S,
                 connect_timeout: int = CONNECT_TIMEOUT_S) -> None:
        self.desk = _name(desk, "desk")
        self.operator = _name(operator, "operator")
        self.agenda_session_id = agenda_session_id
        self.last_replay: ReplayReport | None = None
        self._scope = session_scope_key(agenda_session_id)
        self._retry_after = retry_after
        self._lock = threading.RLock()
        self._online = False
        self._last_error: str | None = None
        self._failed_at: float | None = None
        self._last: _LastAdmission | None = None
        self._conference: Conference | None = None  # detached, merged into each unit of work
        self._conference_id = 0
        journal, snapshot = desk_files(journal_dir, conference_code, self.desk,
                                       agenda_session_id)
        journal.parent.mkdir(parents=True, exist_ok=True)
        with ExitStack() as undo:
            self._journal = Journal(journal)
            undo.callback(self._journal.close)
            self._snapshot = DeskSnapshot(snapshot)
            undo.callback(self._snapshot.close)
            self._db = _server_database(database_url, connect_timeout)
            undo.callback(self._db.dispose)
            self._start(conference_code)
            undo.pop_all()

    def _start(self, conference_code: str) -> None:
        """Online: check the database, find the conference, refresh, replay. Offline: work from
        the snapshot if there is one."""
        try:
            self._connect(conference_code)
        except DatabaseUnreachable as exc:
            if not self._snapshot.ready:
                raise
            self._go_offline(exc)

    def _connect(self, conference_code: str) -> None:
        require_current(self._db)
        with self._server() as session:
            conference = _conference(session, conference_code, self.agenda_session_id)
            self._conference = conference
            self._snapshot.refresh(session, conference, scope=self._scope, full=True)
        self._online = True
        self._server_ready()  # replays what a previous run left in the journal

    # -- state ----------------------------------------------------------------------------------

    @property
    def online(self) -> bool:
        """False while the server does not answer (verdicts come from the snapshot)."""
        return self._online

    @property
    def last_error(self) -> str | None:
        """Why the server is considered away (for the banner); None when online."""
        return self._last_error

    @property
    def conference_id(self) -> int:
        if not self._conference_id:
            self._conference_id = self._snapshot.conference_id
        return self._conference_id

    @property
    def conference_code(self) -> str:
        return self._snapshot.conference_code

    @property
    def conference_title(self) -> str:
        return self._snapshot.conference_title

    @property
    def timezone(self) -> str:
        """The conference's time zone (show admission times in it)."""
        return self._snapshot.timezone

    @property
    def journal_path(self) -> Path:
        return self._journal.path

    @property
    def snapshot_path(self) -> Path:
        return self._snapshot.path

    @property
    def snapshot_refreshed_at(self) -> datetime | None:
        return self._snapshot.refreshed_at

    @property
    def pending(self) -> int:
        """Offline admissions not replayed yet."""
        with self._lock:
            return len(self._journal.pending())

    def review(self) -> list[ReviewItem]:
        """Every replayed offline admission the server did not take, oldest first."""
        with self._lock:
            return [ReviewItem.of(e, o) for e, o in self._journal.for_review()]

    # -- scanning -------------------------------------------------------------------------------

    def scan(self, raw_code: str, *,
             method: CheckInMethod = CheckInMethod.SCAN) -> DeskVerdict:
        """The verdict on a scanned or typed badge code (admitting it when it should be)."""
        with self._lock:
            nonce, at = _nonce(), utcnow()
            if self._server_ready():
                try:
                    return self._scan_online(raw_code, method, nonce, at)
                except DatabaseUnreachable as exc:
                    self._go_offline(exc)
            return self._scan_offline(raw_code, method, nonce, at)

    def admit_participant(self, participant_id: int, *,
                          method: CheckInMethod = CheckInMethod.SEARCH) -> DeskVerdict:
        """Admit a participant found by ``search`` (a forgotten badge)."""
        with self._lock:
            nonce, at = _nonce(), utcnow()
            if self._server_ready():
                try:
                    return self._admit_online(participant_id, method, nonce, at)
                except DatabaseUnreachable as exc:
                    self._go_offline(exc)
            participant = self._snapshot.participant(participant_id)
            if participant is None:
                raise NotFoundError(f"No participant {participant_id} at "
                                    f"{self.conference_code} in this desk's snapshot.")
            # replayed by participant, not by code: a badge reissued meanwhile does not matter
            return self._admit_offline(participant, None, method, nonce, at)

    def _scan_online(self, raw_code: str, method: CheckInMethod, nonce: str,
                     at: datetime) -> DeskVerdict:
        with self._server() as session:
            conference = self._conference_in(session)
            result = check_in(session, conference, raw_code, desk=self.desk,
                              actor=self.operator, method=method, nonce=nonce, at=at,
                              agenda_session_id=self.agenda_session_id)
            check_in_id = _check_in_id(session, nonce, result)
        return self._seen(result, at, check_in_id=check_in_id)

    def _admit_online(self, participant_id: int, method: CheckInMethod, nonce: str,
                      at: datetime) -> DeskVerdict:
        with self._server() as session:
            conference = self._conference_in(session)
            result = _admit_by_id(session, conference, participant_id, desk=self.desk,
                                  operator=self.operator, method=method, nonce=nonce, at=at,
                                  agenda_session_id=self.agenda_session_id)
            check_in_id = _check_in_id(session, nonce, result)
        return self._seen(result, at, check_in_id=check_in_id)

    def _seen(self, result: CheckInResult, at: datetime, *, check_in_id: int | None = None,
              nonce: str | None = None) -> DeskVerdict:
        """Keep the snapshot in step with a verdict, remember the last admission."""
        pid = result.participant_id
        if result.verdict is Verdict.ADMITTED and pid is not None:
            self._snapshot.note_admission(pid, at, self.desk)
            self._last = _LastAdmission(pid, check_in_id, nonce)
        elif result.verdict is Verdict.ALREADY_CHECKED_IN and pid and result.previous:
            self._snapshot.note_admission(pid, result.previous.checked_in_at,
                                          result.previous.desk)
        return DeskVerdict.of(result, offline=nonce is not None, check_in_id=check_in_id)

    # -- offline ------------------------------------------------------------------------------

    def _scan_offline(self, raw_code: str, method: CheckInMethod, nonce: str,
                      at: datetime) -> DeskVerdict:
        """The verdict ``check_in`` would give, from the snapshot (same reasons)."""
        try:
            code = normalise_badge_code(raw_code)
        except BadgeCodeError as exc:
            return _offline(CheckInResult(Verdict.REJECTED,
                                          reason=f"not a valid badge code: {exc}"))
        found = self._snapshot.lookup(code)
        if found.revoked_reason is not None:
            return _offline(_snapshot_result(found.participant, Verdict.REJECTED,
                                             reason=f"badge revoked ({found.revoked_reason})"))
        if found.other_conference is not None:
            return _offline(CheckInResult(
                Verdict.REJECTED, reason=f"badge for another conference "
                                         f"({found.other_conference})"))
        if found.participant is None:
            return _offline(CheckInResult(Verdict.REJECTED, reason="unknown badge"))
        return self._admit_offline(found.participant, code, method, nonce, at)

    def _admit_offline(self, participant: SnapshotParticipant, code: str | None,
                       method: CheckInMethod, nonce: str, at: datetime) -> DeskVerdict:
        if participant.status not in ADMISSIBLE:
            return _offline(_snapshot_result(participant, Verdict.REJECTED,
                                             reason=f"participation {participant.status.value}"))
        previous = self._snapshot.admission(participant.id)
        pending = self._journal.pending_admission(participant.id, self.agenda_session_id)
        if previous is None and pending is not None:
            previous = PreviousCheckIn(pending.at, pending.desk)
        if previous is not None:
            return _offline(_snapshot_result(participant, Verdict.ALREADY_CHECKED_IN,
                                             previous=previous))
        self._journal.append(JournalEntry(
            nonce, self.conference_id, self.agenda_session_id, participant.id, code, self.desk,
            self.operator, method, at))
        return self._seen(_snapshot_result(participant, Verdict.ADMITTED), at, nonce=nonce)

    # -- the server -----------------------------------------------------------------------------

    @contextmanager
    def _server(self) -> Iterator[Session]:
        """A unit of work on the server; a lost connection becomes DatabaseUnreachable."""
        try:
            with unit_of_work(self._db.sessions, self.operator) as session:
                yield session
        except DBAPIError as exc:
            error = classify_error(exc, self._db.description)
            if isinstance(error, DatabaseUnreachable) and not _connection_lost(exc):
                error = DatabaseError(error.message)  # the server answered: not "offline"
            raise error from exc

    def _conference_in(self, session: Session) -> Conference:
        """This desk's conference in ``session`` (no query once it is known)."""
        if self._conference is None:
            self._conference = session.get(Conference, self.conference_id)
            return self._conference
        return session.merge(self._conference, load=False)

    def _go_offline(self, error: DatabaseUnreachable) -> None:
        self._online = False
        self._last_error = str(error)
        self._failed_at = time.monotonic()
        self._db.engine.dispose()  # never reuse a connection that died

    def _reconnect(self, *, force: bool) -> bool:
        """Try the server (unless it failed less than ``retry_after`` seconds ago)."""
        if not force and self._failed_at is not None and \
                time.monotonic() - self._failed_at < self._retry_after:
            return False
        try:
            with self._server() as session:
                session.execute(select(1))
        except DatabaseUnreachable as exc:
            self._go_offline(exc)
            return False
        self._online, self._last_error = True, None
        return True

    def _server_ready(self, *, force: bool = False) -> bool:
        """True when the server answers; the journal is replayed first if it holds scans."""
        if not self._online and not self._reconnect(force=force):
            return False
        if self._journal.pending():
            self.last_replay = self._replay_pending()
        return self._online

    # -- replay -------------------------------------------------------------------------------

    def replay(self) -> ReplayReport:
        """Send the journal's offline admissions to the server now (idempotent)."""
        with self._lock:
            if not self._online and not self._reconnect(force=True):
                return ReplayReport(pending=len(self._journal.pending()))
            self.last_replay = self._replay_pending()
            return self.last_replay

    def _replay_pending(self) -> ReplayReport:
        """Replay the journal in batches (one transaction each, marked once it commits)."""
        pending = self._journal.pending()
        fresh = unchanged = 0
        duplicates, rejected = [], []
        for start in range(0, len(pending), REPLAY_BATCH):
            batch = pending[start:start + REPLAY_BATCH]
            try:
                answers = self._replay_batch(batch)
            except DatabaseUnreachable as exc:
                self._go_offline(exc)
                return ReplayReport(fresh, unchanged, tuple(duplicates), tuple(rejected),
                                    pending=len(pending) - start)
            self._journal.mark_replayed([outcome for outcome, _ in answers])
            for entry, (outcome, wrote) in zip(batch, answers, strict=True):
                self._replayed(entry, outcome)
                if outcome.verdict is Verdict.ADMITTED:
                    fresh, unchanged = (fresh + 1, unchanged) if wrote else (fresh, unchanged + 1)
                elif outcome.verdict is Verdict.ALREADY_CHECKED_IN:
                    duplicates.append(ReviewItem.of(entry, outcome))
                else:
                    rejected.append(ReviewItem.of(entry, outcome))
        return ReplayReport(fresh, unchanged, tuple(duplicates), tuple(rejected))

    def _replay_batch(self, batch: list[JournalEntry]) -> list[tuple[ReplayOutcome, bool]]:
        try:
            with self._server() as session:
                return [self._replay_one(session, entry) for entry in batch]
        except _REFUSED:  # one entry the server cannot take at all: one transaction each
            return [self._replay_alone(entry) for entry in batch]

    def _replay_alone(self, entry: JournalEntry) -> tuple[ReplayOutcome, bool]:
        try:
            with self._server() as session:
                return self._replay_one(session, entry)
        except _REFUSED as exc:  # e.g. the participation was deleted meanwhile
            return ReplayOutcome(entry.nonce, Verdict.REJECTED, str(exc), None, None, None,
                                 utcnow()), False

    def _replay_one(self, session: Session,
                    entry: JournalEntry) -> tuple[ReplayOutcome, bool]:
        """The server's answer to one journal entry, and whether it wrote the admission now
        (False: the nonce was there already, replayed before the journal could say so)."""
        conference = (self._conference_in(session) if entry.conference_id == self.conference_id
                      else session.get(Conference, entry.conference_id))
        options = {"desk": entry.desk, "method": entry.method, "nonce": entry.nonce,
                   "at": entry.at, "agenda_session_id": entry.agenda_session_id}
        if entry.code is not None:
            result = check_in(session, conference, entry.code, actor=entry.operator, **options)
        else:
            result = _admit_by_id(session, conference, entry.participant_id,
                                  operator=entry.operator, **options)
        session.flush()  # audited under this entry's operator, not the next one's
        return (ReplayOutcome(entry.nonce, result.verdict, result.reason, result.name,
                              result.previous, _check_in_id(session, entry.nonce, result),
                              utcnow()),
                _new_check_in(session, entry.nonce) is not None)

    def _replayed(self, entry: JournalEntry, outcome: ReplayOutcome) -> None:
        """Put the server's answer into the snapshot (it admitted, kept another, refused)."""
        if entry.agenda_session_id != self.agenda_session_id:
            return
        if outcome.previous is not None:
            self._snapshot.note_admission(entry.participant_id, outcome.previous.checked_in_at,
                                          outcome.previous.desk)
        elif outcome.verdict is Verdict.REJECTED:
            self._snapshot.forget_admission(entry.participant_id)

    # -- snapshot -------------------------------------------------------------------------------

    def refresh_snapshot(self, *, full: bool = False) -> RefreshStats | None:
        """Bring the snapshot up to date (cheap: what changed since the last refresh). Offline,
        try the server first (and replay). None when the server does not answer."""
        with self._lock:
            if not self._server_ready():
                return None
            return self._refresh(full=full)

    def _refresh(self, *, full: bool = False) -> RefreshStats | None:
        try:
            with self._server() as session:
                conference = self._conference_in(session)
                return self._snapshot.refresh(session, conference, scope=self._scope,
                                              full=full)
        except DatabaseUnreachable as exc:
            self._go_offline(exc)
            return None

    # -- undo, counts, search -------------------------------------------------------------------

    def undo_last(self, reason: str) -> bool:
        """Void this desk's last admission (kept, marked void with ``reason``). False when
        there is nothing to undo, or it was made online and the server does not answer."""
        reason = " ".join((reason or "").split())
        if not reason:
            raise ValidationError("is required", field="reason")
        with self._lock:
            last = self._last
            if last is None:
                return False
            if last.nonce is not None and self._journal.is_pending(last.nonce):
                self._journal.mark_void(last.nonce, reason=reason, operator=self.operator,
                                        at=utcnow())
                return self._undone(last)
            check_in_id = last.check_in_id or self._replayed_id(last.nonce)
            if check_in_id is None or not self._server_ready():
                return False
            try:
                with self._server() as session:
                    void_check_in(session, check_in_id, reason=reason, actor=self.operator)
            except DatabaseUnreachable as exc:
                self._go_offline(exc)
                return False
            return self._undone(last)

    def _replayed_id(self, nonce: str | None) -> int | None:
        outcome = self._journal.outcomes.get(nonce) if nonce else None
        return outcome.check_in_id if outcome else None

    def _undone(self, last: _LastAdmission) -> bool:
        self._snapshot.forget_admission(last.participant_id)
        self._last = None
        return True

    def counts(self) -> DeskCounts:
        """Checked in of expected: from the server, or offline from snapshot and journal."""
        with self._lock:
            if self._server_ready():
                try:
                    with self._server() as session:
                        return _server_counts(session, self.conference_id, self._scope)
                except DatabaseUnreachable as exc:
                    self._go_offline(exc)
            pending = [e.participant_id for e in self._journal.pending()
                       if e.agenda_session_id == self.agenda_session_id]
            return DeskCounts(*self._snapshot.counts(pending))

    def search(self, text: str, limit: int = 20) -> list[DeskPerson]:
        """Admissible participants by name or organisation, folded like the CRM search
        ("colic" finds Čolić and Чолић)."""
        with self._lock:
            if self._server_ready():
                try:
                    with self._server() as session:
                        return _server_search(session, self.conference_id,
                                              self.conference_code, self._scope, text, limit)
                except DatabaseUnreachable as exc:
                    self._go_offline(exc)
            return [DeskPerson(p.id, p.name, p.organisation, role_label(p.role), p.status, at)
                    for p, at in self._snapshot.search(text, limit)]

    # -- walk-ins -------------------------------------------------------------------------------

    def walk_in(self, given_name: str, family_name: str, organisation: str,
                role: ParticipantRole = ParticipantRole.PARTICIPANT, *,
                organisation_kind: OrganisationKind | None = None,
                layout: str = WALK_IN_LAYOUT) -> tuple[DeskVerdict, bytes]:
        """Register someone who was not on the list (person, participant accepted, badge),
        admit them and return the verdict with their badge PDF. Needs the server.

        An organisation not known yet is created with ``organisation_kind`` (civil society
        when not given) and a note asking to check it.
        """
        with self._lock:
            if not self._server_ready():
                raise DatabaseUnreachable(
                    f"Walk-in registration needs the server. {self._last_error or ''}".strip(),
                    hint="Write the person on the paper sign-in sheet and register them later.")
            nonce, at = _nonce(), utcnow()
            try:
                with self._server() as session:
                    conference = self._conference_in(session)
                    participant = _register_walk_in(
                        session, conference, given_name, family_name, organisation,
                        ParticipantRole(role), organisation_kind, desk=self.desk,
                        operator=self.operator)
                    result = check_in(session, conference, participant.badge_code,
                                      desk=self.desk, actor=self.operator,
                                      method=CheckInMethod.WALK_IN, nonce=nonce, at=at,
                                      agenda_session_id=self.agenda_session_id)
                    check_in_id = _check_in_id(session, nonce, result)
                    pdf = render_conference_badges(session, conference, actor=self.operator,
                                                   layout=layout,
                                                   person_id=participant.person_id)
            except DatabaseUnreachable as exc:
                self._go_offline(exc)
                raise
            verdict = self._seen(result, at, check_in_id=check_in_id)
            self._refresh()  # the newcomer's badge works offline too
            return verdict, pdf

    # -- PIN and closing ------------------------------------------------------------------------

    def check_pin(self, pin: str) -> bool:
        """True when ``pin`` is the coordinator PIN (checked offline against the snapshot)."""
        with self._lock:
            if self._online:
                try:
                    with self._server() as session:
                        return check_desk_pin(session, pin)
                except DatabaseUnreachable as exc:
                    self._go_offline(exc)
            return check_desk_pin(self._snapshot, pin)

    @property
    def pin_is_set(self) -> bool:
        """False when no coordinator PIN is set (offline: as far as the snapshot knows)."""
        with self._lock:
            if self._online:
                try:
                    with self._server() as session:
                        return desk_pin_hash(session) is not None
                except DatabaseUnreachable as exc:
                    self._go_offline(exc)
            return self._snapshot.pin_hash is not None

    def close(self) -> None:
        """Release the server connections and the local files."""
        with self._lock:
            self._db.dispose()
            self._snapshot.close()
            self._journal.close()

    def __enter__(self) -> Desk:
        return self

    def __exit__(self, *_exc) -> None:
        self.close()


# -- helpers --------------------------------------------------------------------------------


def _server_database(url: str, connect_timeout: int) -> Database:
    """The database without migrating it; a server fails fast when it is away."""
    engine = create_db_engine(url)
    if engine.dialect.name == "postgresql":
        @event.listens_for(engine, "do_connect")
        def _fail_fast(_dialect, _record, _args, params) -> None:
            params["connect_timeout"] = connect_timeout
            # unacknowledged data (a dead network) fails in seconds, not minutes
            params.setdefault("tcp_user_timeout", connect_timeout * 2000)
            params.setdefault("keepalives", 1)
            params.setdefault("keepalives_idle", 5)
            params.setdefault("keepalives_interval", 2)
            params.setdefault("keepalives_count", 3)
            # a scan never waits long on a lock, and a desk that died in the middle of a
            # transaction does not hold its locks against the other desks
            params.setdefault("options", "-c statement_timeout=5000 "
                                         "-c idle_in_transaction_session_timeout=15000")
    sessions = make_session_factory(engine)
    event.listen(sessions, "after_flush", _keep_new_check_ins)
    return Database(engine, sessions)


def _connection_lost(exc: DBAPIError) -> bool:
    """True for a connection that failed or broke; False for an error the server reported."""
    if exc.connection_invalidated:
        return True
    if not isinstance(exc, OperationalError | InterfaceError):
        return False
    state = getattr(exc.orig, "sqlstate", None)
    return state is None or state.startswith(("08", "57P"))


def _conference(session: Session, code: str, agenda_session_id: int | None) -> Conference:
    conference = get_conference(session, code)
    if agenda_session_id is not None:
        agenda_session = session.get(AgendaSession, agenda_session_id)
        if agenda_session is None or agenda_session.conference_id != conference.id:
            raise NotFoundError(f"No agenda session {agenda_session_id} at {conference.code}.")
    return conference


def _admit_by_id(session: Session, conference: Conference, participant_id: int, *, desk: str,
                 operator: str, method: CheckInMethod, nonce: str, at: datetime,
                 agenda_session_id: int | None) -> CheckInResult:
    """``check_in`` by participant rather than by badge code."""
    participant = session.get(Participant, participant_id)
    if participant is None or participant.conference_id != conference.id:
        raise NotFoundError(f"No participant {participant_id} at {conference.code}.")
    return check_in_participant(session, participant, desk=desk, actor=operator, method=method,
                                nonce=nonce, at=at, agenda_session_id=agenda_session_id)


def _keep_new_check_ins(session: Session, _context) -> None:
    """after_flush: remember the check-ins this unit of work wrote (no query for their ids)."""
    rows = [obj for obj in session.new if isinstance(obj, CheckIn)]
    if rows:
        session.info.setdefault(_NEW_CHECK_INS, []).extend(rows)


def _new_check_in(session: Session, nonce: str) -> CheckIn | None:
    """The check-in with ``nonce`` written by this unit of work, if it wrote one."""
    return next((row for row in session.info.get(_NEW_CHECK_INS, ()) if row.nonce == nonce),
                None)


def _check_in_id(session: Session, nonce: str, result: CheckInResult) -> int | None:
    """The id of the admission just made (or found) with ``nonce``."""
    if result.verdict is not Verdict.ADMITTED:
        return None
    row = _new_check_in(session, nonce)
    if row is not None:
        return row.id
    return session.scalar(select(CheckIn.id).where(CheckIn.nonce == nonce))


def _server_counts(session: Session, conference_id: int, scope: str) -> DeskCounts:
    expected = session.scalar(
        select(func.count(Participant.id))
        .where(Participant.conference_id == conference_id,
               Participant.status.in_(COUNTS_AGAINST_CAPACITY))) or 0
    checked_in = session.scalar(
        select(func.count(CheckIn.id))
        .join(Participant, Participant.id == CheckIn.participant_id)
        .where(Participant.conference_id == conference_id, CheckIn.scope == scope,
               CheckIn.voided_at.is_(None))) or 0
    return DeskCounts(checked_in, expected)


def _server_search(session: Session, conference_id: int, conference_code: str, scope: str,
                   text: str, limit: int) -> list[DeskPerson]:
    criteria = PersonFilter(text=text, conference=conference_code,
                            participant_statuses=tuple(s.value for s in ADMISSIBLE))
    person_ids = search_person_ids(session, criteria, limit=limit)
    if not person_ids:
        return []
    admitted = and_(CheckIn.participant_id == Participant.id, CheckIn.scope == scope,
                    CheckIn.voided_at.is_(None))
    rows = session.execute(
        select(Participant, CheckIn.checked_in_at)
        .outerjoin(CheckIn, admitted)
        .where(Participant.conference_id == conference_id,
               Participant.person_id.in_(person_ids))
        .options(selectinload(Participant.person).selectinload(Person.affiliations)
                 .selectinload(Affiliation.organisation))).all()
    order = {pid: i for i, pid in enumerate(person_ids)}
    rows.sort(key=lambda row: order[row[0].person_id])
    return [DeskPerson(p.id, p.person.full_name, organisation_label(p.person),
                       role_label(p.role), p.status, at) for p, at in rows]


def _register_walk_in(session: Session, conference: Conference, given_name: str,
                      family_name: str, organisation: str, role: ParticipantRole,
                      organisation_kind: OrganisationKind | None, *, desk: str,
                      operator: str) -> Participant:
    person = create_person(session, PersonInput(given_name=given_name, family_name=family_name),
                           actor=operator)
    name = " ".join((organisation or "").split())
    if name:
        org = find_organisation(session, name) or create_organisation(session, OrganisationInput(
            name=name, kind=organisation_kind or OrganisationKind.CIVIL_SOCIETY,
            notes=f"Created at check-in desk {desk} for a walk-in; check its kind and details."),
            actor=operator)
        add_affiliation(session, person.id, org.id, actor=operator)
    participant = Participant(conference_id=conference.id, person=person, role=role,
                              status=ParticipantStatus.ACCEPTED, status_changed_at=utcnow())
    session.add(participant)
    issue_badge(session, participant, actor=operator, reason=FIRST_ISSUE)
    session.flush()
    return participant


def _snapshot_result(participant: SnapshotParticipant | None, verdict: Verdict, *,
                     reason: str | None = None,
                     previous: PreviousCheckIn | None = None) -> CheckInResult:
    """What ``check_in`` says, built from the snapshot."""
    if participant is None:
        return CheckInResult(verdict, reason=reason, previous=previous)
    return CheckInResult(verdict, reason=reason, participant_id=participant.id,
                         name=participant.name, organisation=participant.organisation,
                         role=role_label(participant.role), note=participant.desk_note,
                         previous=previous)


def _offline(result: CheckInResult) -> DeskVerdict:
    return DeskVerdict.of(result, offline=True)


def _nonce() -> str:
    return secrets.token_hex(16)


def _name(value: str, field: str) -> str:
    clean = " ".join((value or "").split())
    if not clean:
        raise ValidationError("is required", field=field)
    if len(clean) > _NAME_MAX:
        raise ValidationError(f"is longer than {_NAME_MAX} characters", field=field)
    return clean


def desk_files(journal_dir: Path, conference_code: str, desk: str,
               agenda_session_id: int | None = None) -> tuple[Path, Path]:
    """(journal, snapshot) file of a desk: readable names, distinct per conference and desk
    (the snapshot also per scope: the conference, or one agenda session's door)."""
    code = conference_code.strip().upper()
    digest = hashlib.sha256(f"{code}\x00{desk}".encode()).hexdigest()[:8]
    stem = f"{_slug(code)}-{_slug(desk)}-{digest}"
    scope = _slug(session_scope_key(agenda_session_id))
    folder = Path(journal_dir)
    return folder / f"{stem}.journal.jsonl", folder / f"{stem}-{scope}.snapshot.sqlite3"


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]+", "_", text).strip("_")[:40]

