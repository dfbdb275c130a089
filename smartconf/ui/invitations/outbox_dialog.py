"""Sending a conference's invitations: first what each participant needs (new invitations,
updates, cancellations, and who is skipped and why), then either sending through the outbox
with progress and a clean cancel, or writing .eml and .ics files for Outlook; uncertain and
failed messages are listed with what to do about them."""

from __future__ import annotations

from functools import partial
from pathlib import Path

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QCloseEvent, QDesktopServices
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
)

from smartconf.core.enums import OutboxKind, OutboxState
from smartconf.core.errors import SmartconfError
from smartconf.core.progress import Progress
from smartconf.services.calendar_invites import SyncReport
from smartconf.services.outbox import SmtpUnavailable
from smartconf.ui.crm.context import CrmContext
from smartconf.ui.formatting import fill
from smartconf.ui.invitations.labels import skip_reason
from smartconf.ui.invitations.notices import show_failure
from smartconf.ui.invitations.outbox_jobs import (
    FilesOutcome,
    OutboxPreview,
    OutboxSnapshot,
    SendOutcome,
    SendProgress,
    outbox_state,
    preview_outbox,
    send_invitations,
    write_invitation_files,
)
from smartconf.ui.invitations.progress_worker import ProgressWorker
from smartconf.ui.invitations.smtp_settings import SmtpSettingsDialog
from smartconf.ui.invitations.uncertain_messages import UncertainMessagesBox, compact_list
from smartconf.ui.stakeholder_tools.common import last_folder
from smartconf.ui.widgets.heading import heading
from smartconf.ui.workers import Worker


def _about_smtp(exc: object) -> bool:
    """The server cannot be used, or the SMTP settings are incomplete."""
    return isinstance(exc, SmtpUnavailable) or (
        isinstance(exc, SmartconfError) and exc.message.startswith("SMTP "))


class SendInvitationsDialog(QDialog):
    """The outbox of one conference. ``outbox_changed`` after anything was queued, sent,
    written or decided (the participants list then shows the new message states)."""

    outbox_changed = Signal()

    def __init__(self, context: CrmContext, conference_id: int, title: str,
                 parent=None) -> None:
        super().__init__(parent)
        self.context, self.conference_id = context, conference_id
        self.preview: OutboxPreview | None = None
        self.written_folder: Path | None = None
        self._stop_requested = False
        self.setWindowTitle(fill(self.tr("Send invitations — %1"), title))
        self._build(title)
        self._checker = Worker(self)
        self._checker.finished.connect(self._show_preview)
        self._checker.failed.connect(self._on_check_failed)
        self._sender = ProgressWorker(self)
        self._sender.progress.connect(self._on_progress)
        self._sender.finished.connect(self._on_sent)
        self._sender.failed.connect(self._on_send_failed)
        self._writer = ProgressWorker(self)
        self._writer.progress.connect(self._on_write_progress)
        self._writer.finished.connect(self._on_written)
        self._writer.failed.connect(self._on_write_failed)
        self.resize(680, 620)
        self.refresh()

    # --- building --------------------------------------------------------------------------

    def _build(self, title: str) -> None:
        layout = QVBoxLayout(self)
        layout.addWidget(heading(title, scale=1.15))
        self.plan = self._label("plan")
        layout.addWidget(self.plan)
        self.skipped_caption = self._label("skipped_caption")
        self.skipped = compact_list("skipped")
        layout.addWidget(self.skipped_caption)
        layout.addWidget(self.skipped)
        self.outbox_line = self._label("outbox_line")
        layout.addWidget(self.outbox_line)
        self.uncertain = UncertainMessagesBox(self.context)
        self.uncertain.resolved.connect(self._after_decision)
        layout.addWidget(self.uncertain)
        self.progress = QProgressBar()
        self.progress.setObjectName("send_progress")
        self.progress.hide()
        self.progress_label = self._label("progress_label")
        layout.addWidget(self.progress)
        layout.addWidget(self.progress_label)
        self.result = self._label("result")
        self.failed_caption = self._label("failed_caption")
        self.failed = compact_list("failed")
        for widget in (self.result, self.failed_caption, self.failed):
            layout.addWidget(widget)
        layout.addStretch(1)
        layout.addLayout(self._buttons())
        self._show_failed([])

    def _label(self, name: str) -> QLabel:
        label = QLabel()
        label.setObjectName(name)
        label.setWordWrap(True)
        return label

    def _buttons(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.send_button = QPushButton(self.tr("&Send now"))
        self.send_button.setDefault(True)
        self.send_button.clicked.connect(self.send)
        self.files_button = QPushButton(self.tr("&Write files for Outlook…"))
        self.files_button.setToolTip(self.tr(
            "Write each message as an .eml file (opens ready to send) and an .ics file; they "
            "then count as sent."))
        self.files_button.clicked.connect(lambda: self.write_files())
        self.open_folder_button = QPushButton(self.tr("&Open folder"))
        self.open_folder_button.clicked.connect(self.open_folder)
        self.open_folder_button.hide()
        self.cancel_button = QPushButton(self.tr("&Cancel sending"))
        self.cancel_button.clicked.connect(self.cancel_sending)
        self.cancel_button.hide()
        self.close_button = QPushButton(self.tr("Close"))
        self.close_button.clicked.connect(self.reject)
        row.addWidget(self.send_button)
        row.addWidget(self.files_button)
        row.addWidget(self.cancel_button)
        row.addStretch(1)
        row.addWidget(self.open_folder_button)
        row.addWidget(self.close_button)
        return row

    # --- what is needed --------------------------------------------------------------------

    def refresh(self) -> None:
        """Check again what the participants need and what the outbox holds."""
        if self.is_busy():
            return
        self.plan.setText(self.tr("Checking what each participant needs…"))
        self._set_busy(True)
        self._checker.start(partial(preview_outbox, self.context, self.conference_id))

    def _show_preview(self, preview: OutboxPreview) -> None:
        self.preview = preview
        self._set_busy(False)
        if preview.sync is None:
            problem = preview.problem
            self.plan.setText(" ".join(p for p in (problem.message, problem.hint) if p))
        else:
            self.plan.setText(self._plan_text(preview))
        self._show_skipped(preview.sync)
        self._show_outbox(preview.outbox)
        can_send = preview.sync is not None and preview.to_send > 0
        self.send_button.setEnabled(can_send)
        self.files_button.setEnabled(can_send)

    def _plan_text(self, preview: OutboxPreview) -> str:
        sync = preview.sync
        parts = [fill(self.tr("To queue now: %1 new invitation(s), %2 update(s), "
                              "%3 cancellation(s)."),
                      sync.count(OutboxKind.INVITE), sync.count(OutboxKind.UPDATE),
                      sync.count(OutboxKind.CANCELLATION))]
        if preview.outbox.pending:
            parts.append(fill(self.tr("Already waiting in the outbox: %1."),
                              preview.outbox.pending))
        if preview.to_send == 0:
            parts.append(self.tr("Nothing to send: every participant has what they need."))
        return " ".join(parts)

    def _show_skipped(self, sync: SyncReport | None) -> None:
        self.skipped.clear()
        skipped = sync.skipped if sync else []
        for item in skipped:
            self._add_line(self.skipped, fill(self.tr("%1 — %2"), item.name,
                                              skip_reason(item.reason)))
        self.skipped_caption.setText(self.tr("Skipped (%n): fix these in the CRM, then check "
                                             "again.", "", len(skipped)))
        self.skipped_caption.setVisible(bool(skipped))
        self.skipped.setVisible(bool(skipped))

    def _show_outbox(self, outbox: OutboxSnapshot) -> None:
        counts = outbox.counts
        self.outbox_line.setText(fill(
            self.tr("In the outbox of this conference: %1 waiting, %2 sent, %3 failed, "
                    "%4 uncertain."), counts[OutboxState.PENDING.value],
            counts[OutboxState.SENT.value], counts[OutboxState.FAILED.value],
            counts[OutboxState.SENDING.value]))
        self.uncertain.set_messages(outbox.uncertain)
        self._show_failed(outbox.failed)

    def _show_failed(self, failed) -> None:
        self.failed.clear()
        for message in failed:
            self._add_line(self.failed, fill(self.tr("%1 — %2"), message.recipient,
                                             message.error))
        self.failed_caption.setText(self.tr("Failed (%n): the server refused these or they "
                                            "failed too often.", "", len(failed)))
        self.failed_caption.setVisible(bool(failed))
        self.failed.setVisible(bool(failed))

    @staticmethod
    def _add_line(widget: QListWidget, text: str) -> None:
        widget.addItem(text)
        widget.item(widget.count() - 1).setToolTip(text)

    def _on_check_failed(self, exc: object) -> None:
        self._set_busy(False)
        self.plan.setText(self.tr("The outbox could not be read."))
        show_failure(self, exc)

    def _after_decision(self, _count: int) -> None:
        self.outbox_changed.emit()
        self.refresh()

    # --- sending ---------------------------------------------------------------------------

    def send(self) -> None:
        """Queue what is needed, then send through the outbox (off the GUI thread)."""
        if self.is_busy():
            return
        self._start_progress(self.tr("&Cancel sending"),
                             self.tr("Queueing the messages and connecting…"))
        self._sender.start(partial(send_invitations, self.context, self.conference_id))

    def _start_progress(self, cancel_text: str, message: str) -> None:
        self._set_busy(True, stoppable=True)
        self._stop_requested = False
        self.cancel_button.setText(cancel_text)
        self.result.clear()
        self.progress.setRange(0, 0)
        self.progress.show()
        self.progress_label.setText(message)

    def cancel_sending(self) -> None:
        """Stop after the message (or batch of files) at hand: the others stay waiting in the
        outbox, nothing is lost."""
        for job in (self._sender, self._writer):
            if job.is_running():
                job.cancel()
                self._stop_requested = True
                self.cancel_button.setEnabled(False)
                self.progress_label.setText(self.tr("Stopping after the current message…"))

    def _on_progress(self, step: SendProgress) -> None:
        self.progress.setRange(0, max(step.total, 1))
        self.progress.setValue(step.done)
        self.progress_label.setText(fill(self.tr("%1 of %2 sent"), step.sent, step.total))

    def _on_sent(self, outcome: SendOutcome) -> None:
        self._finish()
        report = outcome.report
        if report.cancelled:
            text = fill(self.tr("Stopped: %1 sent; %2 still waiting in the outbox (they go "
                                "out at the next send)."), report.sent, report.remaining)
        else:
            text = fill(self.tr("Done: %1 sent, %2 failed, %3 to try again later "
                                "(temporary problems), %4 uncertain."),
                        report.sent, report.failed, report.retried, report.uncertain)
        self.result.setText(text)
        self.refresh()

    def _on_send_failed(self, exc: object) -> None:
        self._finish()
        self.result.setText(self.tr("Sending stopped. The messages not sent wait in the "
                                    "outbox; nothing was lost."))
        box = show_failure(self, exc, title=self.tr("Sending stopped"))
        if _about_smtp(exc):
            settings = box.addButton(self.tr("SMTP &settings…"), QMessageBox.ButtonRole.ActionRole)
            settings.clicked.connect(self.open_smtp_settings)
        self.refresh()

    def open_smtp_settings(self) -> SmtpSettingsDialog:
        dialog = SmtpSettingsDialog(self.context, self)
        dialog.open()
        return dialog

    # --- files -----------------------------------------------------------------------------

    def write_files(self, folder: Path | None = None) -> None:
        """Queue what is needed and write the waiting messages into ``folder`` (asked for
        when not given)."""
        if self.is_busy():
            return
        if folder is None:
            chosen = QFileDialog.getExistingDirectory(
                self, self.tr("Folder for the .eml and .ics files"), str(last_folder()))
            if not chosen:
                return
            folder = Path(chosen)
        self._start_progress(self.tr("&Cancel writing"),
                             fill(self.tr("Writing the messages into %1…"), folder))
        self._writer.start(partial(write_invitation_files, self.context, self.conference_id,
                                   folder))

    def _on_write_progress(self, step: Progress) -> None:
        self.progress.setRange(0, max(step.total, 1))
        self.progress.setValue(step.done)
        self.progress_label.setText(fill(self.tr("%1 of %2 written"), step.done, step.total))

    def _on_written(self, outcome: FilesOutcome) -> None:
        self._finish()
        export = outcome.export
        text = fill(self.tr("Wrote %1 message(s) into %2 (one .eml and one .ics each); they "
                            "count as sent."), len(export.written), outcome.folder)
        if export.failed:
            text += " " + fill(self.tr("%1 could not be written (see Failed)."),
                               len(export.failed))
        if self._stop_requested:
            text += " " + self.tr("Stopped: the other messages still wait in the outbox.")
        self.result.setText(text)
        self.result.setToolTip(str(outcome.folder))
        self.written_folder = outcome.folder
        self.open_folder_button.setVisible(bool(export.written))
        self.refresh()

    def open_folder(self) -> None:
        if self.written_folder is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.written_folder)))

    def _on_write_failed(self, exc: object) -> None:
        self._finish()
        self.result.setText(self.tr("No files were written."))
        show_failure(self, exc)
        self.refresh()

    # --- state -----------------------------------------------------------------------------

    def is_busy(self) -> bool:
        return any(w.is_running() for w in (self._checker, self._sender, self._writer))

    def _set_busy(self, busy: bool, *, stoppable: bool = False) -> None:
        for button in (self.send_button, self.files_button, self.uncertain.resend_button,
                       self.uncertain.sent_button):
            button.setEnabled(not busy)
        self.cancel_button.setVisible(stoppable)
        self.cancel_button.setEnabled(stoppable)
        self.close_button.setEnabled(not stoppable)

    def _finish(self) -> None:
        self._set_busy(False)
        self.progress.hide()
        self.progress_label.clear()
        self.outbox_changed.emit()

    def snapshot(self) -> OutboxSnapshot:
        """The outbox as it is now (read on the GUI thread: tests, after a run)."""
        return outbox_state(self.context, self.conference_id)

    def reject(self) -> None:
        if self.is_busy():
            self.cancel_sending()
            return
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.is_busy():
            self.cancel_sending()
            event.ignore()
            return
        super().closeEvent(event)
