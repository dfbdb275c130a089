"""Replies to invitations (.ics, or .eml carrying one) read into participants' statuses, and
the dialog that lists what changed and what was not applied (and why)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QMimeData, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from smartconf.core.enums import ParticipantStatus
from smartconf.services.rsvp import AppliedReply, RsvpReport, UnmatchedReply, import_replies
from smartconf.ui.crm.context import CrmContext
from smartconf.ui.formatting import fill
from smartconf.ui.labels import label

REPLY_SUFFIXES = (".ics", ".eml")
_CONTEXT = "rsvp_import"


def reply_paths(mime: QMimeData) -> list[Path]:
    """The local .ics and .eml files among what is dragged."""
    paths = [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]
    return [p for p in paths if p.suffix.lower() in REPLY_SUFFIXES]


@dataclass(frozen=True)
class RsvpOutcome:
    """What an import did: the service's report, with the files that could not be read."""

    applied: tuple[AppliedReply, ...]
    not_applied: tuple[UnmatchedReply, ...]

    @property
    def changed(self) -> int:
        return sum(1 for a in self.applied if a.changed)


def import_reply_files(context: CrmContext, paths: Iterable[Path]) -> RsvpOutcome:
    """Read the files and apply their answers in one transaction. Runs on a worker thread."""
    files, unreadable = [], []
    for path in paths:
        try:
            files.append((path.name, path.read_bytes()))
        except OSError as exc:
            unreadable.append(UnmatchedReply(path.name, fill(QCoreApplication.translate(
                _CONTEXT, "cannot be read (%1)"), exc.strerror or exc)))
    report: RsvpReport = context.write(
        lambda s, *, actor: import_replies(s, files, actor=actor)) if files else RsvpReport()
    return RsvpOutcome(tuple(report.applied), tuple(unreadable + report.unmatched))


def _answer(applied: AppliedReply) -> str:
    """ACCEPTED, TENTATIVE, DECLINED as the status they ask for."""
    try:
        return label(ParticipantStatus(applied.answer.lower()))
    except ValueError:
        return applied.answer


def _table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> QTableWidget:
    table = QTableWidget(len(rows), len(headers))
    table.setHorizontalHeaderLabels(list(headers))
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
    table.verticalHeader().setVisible(False)
    table.setWordWrap(False)
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            item = QTableWidgetItem(text)
            item.setToolTip(text)
            table.setItem(r, c, item)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setStretchLastSection(True)
    for column in range(len(headers) - 1):
        table.resizeColumnToContents(column)
    return table


class RsvpResultDialog(QDialog):
    """Applied answers (person, old -> new status) and the files or answers not applied."""

    def __init__(self, outcome: RsvpOutcome, parent=None) -> None:
        super().__init__(parent)
        self.outcome = outcome
        self.setWindowTitle(self.tr("Replies imported"))
        layout = QVBoxLayout(self)
        self.summary = QLabel(fill(self.tr(
            "%1 answer(s) applied, %2 status(es) changed, %3 not applied."),
            len(outcome.applied), outcome.changed, len(outcome.not_applied)))
        self.summary.setObjectName("rsvp_summary")
        layout.addWidget(self.summary)
        self.applied = _table(
            [self.tr("Person"), self.tr("Conference"), self.tr("Answer"), self.tr("Status"),
             self.tr("Note"), self.tr("File")],
            [(a.name, a.conference, _answer(a), self._change(a), a.note, a.file)
             for a in outcome.applied])
        self.applied.setObjectName("rsvp_applied")
        self.not_applied = _table(
            [self.tr("File"), self.tr("Why it was not applied")],
            [(u.file, u.reason) for u in outcome.not_applied])
        self.not_applied.setObjectName("rsvp_not_applied")
        for title, table in ((self.tr("Applied"), self.applied),
                             (self.tr("Not applied: nothing was guessed"), self.not_applied)):
            caption = QLabel(f"<b>{title}</b>")
            caption.setTextFormat(Qt.TextFormat.RichText)
            layout.addWidget(caption)
            layout.addWidget(table, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(820, 460)

    def _change(self, applied: AppliedReply) -> str:
        if not applied.changed:
            return fill(self.tr("stays %1"), label(applied.new_status))
        return fill(self.tr("%1 → %2"), label(applied.old_status), label(applied.new_status))

    def applied_texts(self) -> list[str]:
        """Each applied row as "person | conference | answer | change | note | file"."""
        return [self._row_text(self.applied, r) for r in range(self.applied.rowCount())]

    def not_applied_texts(self) -> list[str]:
        return [self._row_text(self.not_applied, r) for r in range(self.not_applied.rowCount())]

    @staticmethod
    def _row_text(table: QTableWidget, row: int) -> str:
        return " | ".join(table.item(row, c).text() for c in range(table.columnCount()))
