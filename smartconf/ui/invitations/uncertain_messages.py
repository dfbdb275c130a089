"""Messages left "sending" by a crash or a broken connection: the server may or may not have
them, so a person decides (``outbox.resolve_uncertain``): send again, or record as sent."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
)

from smartconf.services.outbox import UncertainMessage, resolve_uncertain
from smartconf.ui.crm.context import CrmContext
from smartconf.ui.formatting import fill, format_date_time
from smartconf.ui.invitations.notices import show_failure

ID_ROLE = Qt.ItemDataRole.UserRole
LIST_ROWS = 5


def compact_list(name: str, rows: int = LIST_ROWS) -> QListWidget:
    """A list ``rows`` lines high whose long lines end in "…" (the tooltip has them whole)."""
    widget = QListWidget()
    widget.setObjectName(name)
    widget.setUniformItemSizes(True)
    widget.setTextElideMode(Qt.TextElideMode.ElideRight)
    widget.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    widget.setFixedHeight(widget.fontMetrics().height() * rows + 14)
    return widget


class UncertainMessagesBox(QGroupBox):
    """The uncertain messages with Resend and Mark as sent (for the selected ones, else all);
    ``resolved(count)`` after a decision was recorded. Hidden while there are none."""

    resolved = Signal(int)

    def __init__(self, context: CrmContext, parent=None) -> None:
        super().__init__(parent)
        self.context = context
        self.setTitle(self.tr("Messages whose delivery is uncertain"))
        layout = QVBoxLayout(self)
        self.explanation = explanation = QLabel(self.tr(
            "smartconf was handing these messages to the mail server when it stopped or the "
            "connection broke, before the server confirmed them. The server may or may not "
            "have them, and there is no way to ask it, so they are never sent again on their "
            "own. If in doubt, ask a recipient whether the invitation arrived; then send them "
            "again, or record them as sent."))
        explanation.setWordWrap(True)
        layout.addWidget(explanation)
        self.list = compact_list("uncertain_list", rows=3)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        layout.addWidget(self.list)
        row = QHBoxLayout()
        self.resend_button = QPushButton(self.tr("&Send again"))
        self.resend_button.setToolTip(self.tr("Queue them again: the next sending run sends "
                                              "them (a recipient may get two copies)."))
        self.resend_button.clicked.connect(lambda: self.resolve(resend=True))
        self.sent_button = QPushButton(self.tr("&Mark as sent"))
        self.sent_button.setToolTip(self.tr("Record them as delivered: they are not sent "
                                            "again."))
        self.sent_button.clicked.connect(lambda: self.resolve(resend=False))
        row.addStretch(1)
        row.addWidget(self.resend_button)
        row.addWidget(self.sent_button)
        layout.addLayout(row)
        self.set_messages([])

    def set_messages(self, messages: Sequence[UncertainMessage]) -> None:
        self.list.clear()
        for message in messages:
            text = fill(self.tr("%1 — %2 (last try %3)"), message.recipient, message.subject,
                        format_date_time(message.last_attempt_at.astimezone()))
            item = QListWidgetItem(text, self.list)
            item.setData(ID_ROLE, message.id)
            item.setToolTip(message.last_error or text)
        self.setVisible(bool(messages))

    def chosen_ids(self) -> list[int]:
        """The selected messages, or every one when none is selected."""
        items = self.list.selectedItems() or [self.list.item(i) for i in range(self.list.count())]
        return [item.data(ID_ROLE) for item in items]

    def resolve(self, *, resend: bool) -> None:
        ids = self.chosen_ids()
        if not ids:
            return
        try:
            count = self.context.write(
                lambda s, *, actor: resolve_uncertain(s, ids, resend=resend, actor=actor))
        except Exception as exc:  # shown to the user; nothing was recorded
            show_failure(self, exc)
            return
        self.resolved.emit(count)
