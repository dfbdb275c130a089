"""The offline journal of a desk: every admission made without the server, on disk before the
verdict is shown, until the server has it.

One JSON object per line, append-only, each line fsync'd. Three kinds of line:

* ``admit``: an offline admission (nonce, participant, badge code, desk, operator, method, time);
* ``replayed``: what the server answered when the admission was replayed (by nonce);
* ``void``: the desk undid an admission before it was replayed (it is never replayed).

A line cut short by a crash (the last one) is ignored; nothing before it is lost. The file is
readable by its owner only: it names participants by id, never by e-mail or phone.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from smartconf.core.dto import PreviousCheckIn
from smartconf.core.enums import CheckInMethod, Verdict
from smartconf.core.errors import SmartconfError

FORMAT = 1
_BINARY = getattr(os, "O_BINARY", 0)  # Windows: no newline translation


@dataclass(frozen=True, slots=True)
class JournalEntry:
    """One offline admission."""

    nonce: str
    conference_id: int
    agenda_session_id: int | None
    participant_id: int
    code: str | None  # the scanned code; None when admitted by search
    desk: str
    operator: str
    method: CheckInMethod
    at: datetime

    def as_json(self) -> dict:
        return {"v": FORMAT, "type": "admit", "nonce": self.nonce,
                "conference_id": self.conference_id,
                "agenda_session_id": self.agenda_session_id,
                "participant_id": self.participant_id, "code": self.code, "desk": self.desk,
                "operator": self.operator, "method": self.method.value,
                "at": self.at.isoformat()}

    @classmethod
    def from_json(cls, data: dict) -> JournalEntry:
        return cls(data["nonce"], int(data["conference_id"]), data.get("agenda_session_id"),
                   int(data["participant_id"]), data.get("code"), data["desk"],
                   data["operator"], CheckInMethod(data["method"]),
                   datetime.fromisoformat(data["at"]))


@dataclass(frozen=True, slots=True)
class ReplayOutcome:
    """What the server answered to one replayed admission."""

    nonce: str
    verdict: Verdict
    reason: str | None
    name: str | None
    previous: PreviousCheckIn | None  # the admission that stands, when already checked in
    check_in_id: int | None  # the row written (or found) when admitted
    replayed_at: datetime

    def as_json(self) -> dict:
        return {"v": FORMAT, "type": "replayed", "nonce": self.nonce,
                "verdict": self.verdict.value, "reason": self.reason, "name": self.name,
                "previous": self.previous.as_json() if self.previous else None,
                "check_in_id": self.check_in_id, "replayed_at": self.replayed_at.isoformat()}

    @classmethod
    def from_json(cls, data: dict) -> ReplayOutcome:
        previous = data.get("previous")
        return cls(data["nonce"], Verdict(data["verdict"]), data.get("reason"), data.get("name"),
                   PreviousCheckIn(datetime.fromisoformat(previous["time"]), previous["desk"])
                   if previous else None,
                   data.get("check_in_id"), datetime.fromisoformat(data["replayed_at"]))


class Journal:
    """The journal file of one desk, loaded in memory and appended to on disk."""

    def __init__(self, path: Path, *, writable: bool = True) -> None:
        """Load the journal at ``path``; ``writable`` also opens it for appending, which only
        one desk on this computer may do at a time (DeskBusy otherwise)."""
        self.path = path
        self.entries: dict[str, JournalEntry] = {}
        self.outcomes: dict[str, ReplayOutcome] = {}
        self.voided: dict[str, str] = {}
        self._pending: dict[str, JournalEntry] = {}
        self.unreadable = 0  # lines that could not be read (a torn last line after a crash)
        self._torn = False
        self._fd = self._lock_fd = -1
        if writable:
            self._lock_fd = _exclusive(path.with_name(path.name + ".lock"))
            self._fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | _BINARY, 0o600)
            _sync_folder(path.parent)
        self._load()

    def _load(self) -> None:
        if not self.path.exists():
            return
        raw = self.path.read_bytes()
        self._torn = bool(raw) and not raw.endswith(b"\n")
        for line in raw.splitlines():
            if line.strip():
                self._read_line(line)
        self._pending = {n: e for n, e in self.entries.items()
                         if n not in self.outcomes and n not in self.voided}

    def _read_line(self, line: bytes) -> None:
        try:
            data = json.loads(line)
            kind = data["type"]
            if kind == "admit":
                entry = JournalEntry.from_json(data)
                self.entries[entry.nonce] = entry
            elif kind == "replayed":
                outcome = ReplayOutcome.from_json(data)
                self.outcomes[outcome.nonce] = outcome
            elif kind == "void":
                self.voided[data["nonce"]] = data.get("reason") or ""
        except (ValueError, KeyError, TypeError):
            self.unreadable += 1

    def _append(self, *records: dict) -> None:
        lines = "".join(json.dumps(r, ensure_ascii=False, separators=(",", ":")) + "\n"
                        for r in records)
        if self._torn:  # never glue a record to the remains of a torn line
            lines = "\n" + lines
            self._torn = False
        data = lines.encode()
        while data:
            data = data[os.write(self._fd, data):]
        os.fsync(self._fd)

    def append(self, entry: JournalEntry) -> None:
        """Write an offline admission to disk (returns once it is fsync'd)."""
        self._append(entry.as_json())
        self.entries[entry.nonce] = entry
        self._pending[entry.nonce] = entry

    def mark_replayed(self, outcomes: Sequence[ReplayOutcome]) -> None:
        """Record the server's answers to replayed admissions; they are not replayed again."""
        self._append(*(outcome.as_json() for outcome in outcomes))
        for outcome in outcomes:
            self.outcomes[outcome.nonce] = outcome
            self._pending.pop(outcome.nonce, None)

    def mark_void(self, nonce: str, *, reason: str, operator: str, at: datetime) -> None:
        """Undo an admission that was not replayed yet: it never will be."""
        self._append({"v": FORMAT, "type": "void", "nonce": nonce, "reason": reason,
                      "operator": operator, "at": at.isoformat()})
        self.voided[nonce] = reason
        self._pending.pop(nonce, None)

    def pending(self) -> list[JournalEntry]:
        """Admissions the server has not answered yet, oldest first."""
        return list(self._pending.values())

    def is_pending(self, nonce: str) -> bool:
        return nonce in self._pending

    def pending_admission(self, participant_id: int,
                          agenda_session_id: int | None) -> JournalEntry | None:
        """The pending admission of this participant in this scope, if any."""
        for entry in self._pending.values():
            if (entry.participant_id, entry.agenda_session_id) == (participant_id,
                                                                   agenda_session_id):
                return entry
        return None

    def for_review(self) -> list[tuple[JournalEntry, ReplayOutcome]]:
        """Replayed admissions the server did not take (already admitted, or rejected)."""
        return [(self.entries[n], o) for n, o in self.outcomes.items()
                if o.verdict is not Verdict.ADMITTED and n in self.entries]

    def close(self) -> None:
        """Close the file and let another desk window open this journal."""
        for fd in (self._fd, self._lock_fd):
            if fd >= 0:
                os.close(fd)
        self._fd = self._lock_fd = -1


class DeskBusy(SmartconfError):
    """Another window or command on this computer has this desk's journal open."""


def _exclusive(lock_path: Path) -> int:
    """Open and lock ``lock_path`` (held until closed); DeskBusy if someone else holds it."""
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT | _BINARY, 0o600)
    try:
        if os.name == "nt":
            import msvcrt

            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as exc:
        os.close(fd)
        raise DeskBusy("This desk is already open in another window or command on this "
                       "computer.", hint="Close it there first, or choose another desk name."
                       ) from exc
    return fd


def _sync_folder(folder: Path) -> None:
    """Make a newly created file's directory entry durable (POSIX; a no-op elsewhere)."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
