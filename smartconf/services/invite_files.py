"""Pending invitations written as files, for those who send from Outlook.

Each pending message of a conference becomes ``NNNN-name-method.eml`` (opens in Outlook ready
to send: ``X-Unsent: 1``) and the same name ``.ics`` (the bare calendar part), and is then
recorded as *sent* with ``last_error`` "exported to files": the files are the delivery, so a
second export (or a later ``--send``) does not produce them again.

The export runs in batches, each its own short transaction (other writers, such as a check-in
desk on the same SQLite file, wait at most one batch): a batch's messages are claimed with one
conditional update (a message that an SMTP sender took meanwhile is left to it), written, and
recorded as sent. Killing the process leaves the messages of the unfinished batch pending; the
next export writes them again under the same file names, so the folder never holds one
message twice.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from smartconf.core.enums import AuditAction, OutboxState
from smartconf.core.errors import SmartconfError, ValidationError
from smartconf.core.progress import Progress
from smartconf.core.text import fold
from smartconf.models import Conference, OutboxMessage, Participant, Person
from smartconf.models.base import utcnow
from smartconf.services.calendar_invites import latin_name
from smartconf.services.mail_format import write_eml
from smartconf.services.settings import get_setting
from smartconf.store.audit import record_event
from smartconf.store.session import read_session, unit_of_work

EXPORTED = "exported to files"
BATCH = 100
_KEY_TAIL = re.compile(r"(?::s:(\d+))?:p:\d+:seq:\d+:(\w+)$")


@dataclass
class FileExport:
    """What ``export_pending`` wrote, and the messages it could not write."""

    written: list[Path] = field(default_factory=list)  # the .eml files
    failed: list[dict] = field(default_factory=list)  # {"id", "recipient", "error"}


@dataclass(frozen=True)
class _Target:
    """Where and as whom the files are written."""

    code: str  # the conference's
    directory: Path
    sender: str
    sender_name: str | None
    reply_to: str | None
    names: dict[int, str]  # participant id -> name for the file names


def export_pending(session_factory: sessionmaker[Session], conference_id: int,
                   directory: Path, *, actor: str, cancel: Callable[[], bool] = lambda: False
                   ) -> Generator[Progress, None, FileExport]:
    """Write every pending message of the conference into ``directory`` (see the module);
    yields progress after each batch, stops between batches when ``cancel()`` says so."""
    with read_session(session_factory) as session:
        target = _target(session, session.get(Conference, conference_id), directory)
        ids = list(session.scalars(select(OutboxMessage.id).where(
            OutboxMessage.conference_id == conference_id,
            OutboxMessage.state == OutboxState.PENDING).order_by(OutboxMessage.id)))
    result = FileExport()
    yield Progress(0, len(ids), "Writing invitations")
    for start in range(0, len(ids), BATCH):
        if cancel():
            break
        with unit_of_work(session_factory, actor) as session:
            for message in _claim(session, ids[start:start + BATCH]):
                _export(message, target, result)
            session.flush()
        yield Progress(min(start + BATCH, len(ids)), len(ids),
                       f"{len(result.written)} written")
    if result.written:
        with unit_of_work(session_factory, actor) as session:
            record_event(session, AuditAction.EXPORT, "outbox_message", None,
                         f"{len(result.written)} invitation(s) of {target.code} written to "
                         f"{directory}", {"messages": len(result.written)})
    return result


def _target(session: Session, conference: Conference, directory: Path) -> _Target:
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise SmartconfError(f"Cannot create the folder {directory} ({exc.strerror}).") from exc
    rows = session.execute(
        select(Participant.id, Person)
        .join(Person, Person.id == Participant.person_id)
        .where(Participant.conference_id == conference.id)).all()
    return _Target(code=conference.code, directory=directory,
                   sender=get_setting(session, "smtp.sender") or conference.organiser_email,
                   sender_name=conference.organiser_name or None,
                   reply_to=conference.organiser_email or None,
                   names={participant_id: latin_name(person) for participant_id, person in rows})


def _claim(session: Session, ids: list[int]) -> list[OutboxMessage]:
    """The messages still pending among ``ids``, locked for this batch by a no-op conditional
    update (a sender that claims one meanwhile waits, then finds it no longer pending)."""
    table = OutboxMessage.__table__
    claimed = session.connection().execute(
        update(table)
        .where(table.c.id.in_(ids), table.c.state == OutboxState.PENDING)
        .values(state=table.c.state)
        .returning(table.c.id)).scalars().all()
    if not claimed:
        return []
    return list(session.scalars(select(OutboxMessage).where(OutboxMessage.id.in_(claimed))
                                .order_by(OutboxMessage.id)))


def _export(message: OutboxMessage, target: _Target, result: FileExport) -> None:
    """Write one message's .eml and .ics and record it sent (or failed, with the reason)."""
    stem = file_stem(message, target.names.get(message.participant_id, ""))
    try:
        eml = write_eml(message, target.directory / f"{stem}.eml", sender=target.sender,
                        sender_name=target.sender_name, reply_to=target.reply_to)
    except ValidationError as exc:
        message.state, message.last_error = OutboxState.FAILED, exc.message
        result.failed.append({"id": message.id, "recipient": message.recipient,
                              "error": exc.message})
        return
    except OSError as exc:
        raise SmartconfError(f"Cannot write into {target.directory} ({exc.strerror}).") from exc
    _write(target.directory / f"{stem}.ics", (message.ics or "").encode("utf-8"))
    message.state, message.sent_at, message.last_error = OutboxState.SENT, utcnow(), EXPORTED
    result.written.append(eml)


def file_stem(message: OutboxMessage, name: str) -> str:
    """``0007-arta-gashi-request`` (``-s12-`` for agenda session ``12``): safe and unique."""
    slug = re.sub(r"[^a-z0-9]+", "-", fold(name)).strip("-")[:40].strip("-") or "participant"
    match = _KEY_TAIL.search(message.key)
    session_part = f"s{match.group(1)}-" if match and match.group(1) else ""
    method = match.group(2) if match else message.kind.value
    return f"{message.id:04d}-{slug}-{session_part}{method}"


def _write(path: Path, data: bytes) -> None:
    partial = path.with_name(path.name + ".part")
    try:
        partial.write_bytes(data)
        partial.replace(path)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise SmartconfError(f"Cannot write {path} ({exc.strerror}).") from exc
