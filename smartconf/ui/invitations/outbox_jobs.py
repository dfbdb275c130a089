"""The work behind the send dialog, run on worker threads (plain values in and out):

- ``preview_outbox``: what ``sync_invitations`` would queue now (run in a session that is
  rolled back), and the outbox's state for the conference;
- ``send_invitations``: queue for real, then send the conference's due messages, yielding
  ``SendProgress`` and looking at ``cancel`` between messages;
- ``write_invitation_files``: queue for real, then write every pending message as .eml and
  .ics files (``invite_files.export_pending``), yielding its progress.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from dataclasses import dataclass
from pathlib import Path

from smartconf.core.enums import OutboxState
from smartconf.core.errors import SmartconfError
from smartconf.core.progress import Progress
from smartconf.services.calendar_invites import SyncReport, sync_invitations
from smartconf.services.invite_files import FileExport, export_pending
from smartconf.services.outbox import (
    SendReport,
    UncertainMessage,
    outbox_counts,
    send_pending,
    uncertain_messages,
)
from smartconf.services.planning import get_conference_by_id
from smartconf.services.roster import FailedMessage, failed_messages
from smartconf.ui.crm.context import CrmContext


@dataclass(frozen=True)
class OutboxSnapshot:
    """The conference's outbox: counts by state, uncertain and failed messages."""

    counts: dict[str, int]
    uncertain: list[UncertainMessage]
    failed: list[FailedMessage]

    @property
    def pending(self) -> int:
        return self.counts[OutboxState.PENDING.value]


@dataclass(frozen=True)
class OutboxPreview:
    """What a sync would queue now (``sync`` None when it is refused: see ``problem``)."""

    sync: SyncReport | None
    problem: SmartconfError | None
    outbox: OutboxSnapshot

    @property
    def to_send(self) -> int:
        """Messages a send would try: queued by the sync plus those already waiting."""
        return (len(self.sync.queued) if self.sync else 0) + self.outbox.pending


@dataclass(frozen=True)
class SendProgress:
    """``done`` of ``total`` messages handled, ``sent`` of them delivered."""

    done: int
    total: int
    sent: int


@dataclass(frozen=True)
class SendOutcome:
    sync: SyncReport
    report: SendReport
    outbox: OutboxSnapshot


@dataclass(frozen=True)
class FilesOutcome:
    sync: SyncReport
    export: FileExport
    folder: Path


def outbox_state(context: CrmContext, conference_id: int) -> OutboxSnapshot:
    return OutboxSnapshot(
        context.read(outbox_counts, conference_id=conference_id),
        context.read(uncertain_messages, conference_id=conference_id),
        context.read(failed_messages, conference_id))


def _sync(session, conference_id: int, actor: str) -> SyncReport:
    return sync_invitations(session, get_conference_by_id(session, conference_id), actor=actor)


def preview_outbox(context: CrmContext, conference_id: int) -> OutboxPreview:
    """The outbox now, then what a sync would add (rolled back: nothing is queued)."""
    outbox = outbox_state(context, conference_id)
    try:
        sync = context.read(_sync, conference_id, context.actor)
    except SmartconfError as exc:
        return OutboxPreview(None, exc, outbox)
    return OutboxPreview(sync, None, outbox)


def send_invitations(context: CrmContext, conference_id: int, cancel: Callable[[], bool]
                     ) -> Generator[SendProgress, None, SendOutcome]:
    """Queue what the participants need (committed), then send the conference's due
    messages. SmtpUnavailable (or a missing SMTP setting) leaves them waiting."""
    sync = context.write(_sync, conference_id)
    sent_before = _sent(context, conference_id)
    job = send_pending(context.database.sessions, actor=context.actor, cancel=cancel,
                       conference_id=conference_id)
    while True:
        try:
            progress = next(job)
        except StopIteration as stop:
            report: SendReport = stop.value
            break
        yield SendProgress(progress.done, progress.total,
                           _sent(context, conference_id) - sent_before)
    return SendOutcome(sync, report, outbox_state(context, conference_id))


def _sent(context: CrmContext, conference_id: int) -> int:
    return context.read(outbox_counts, conference_id=conference_id)[OutboxState.SENT.value]


def write_invitation_files(context: CrmContext, conference_id: int, folder: Path,
                           cancel: Callable[[], bool]
                           ) -> Generator[Progress, None, FilesOutcome]:
    """Queue what the participants need (committed), then write every waiting message into
    ``folder`` in batches (the files count as the delivery); stops between batches on
    ``cancel``."""
    sync = context.write(_sync, conference_id)
    export = yield from export_pending(context.database.sessions, conference_id, folder,
                                       actor=context.actor, cancel=cancel)
    return FilesOutcome(sync, export, folder)
