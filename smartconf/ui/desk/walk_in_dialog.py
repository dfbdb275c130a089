"""Walk-in registration: someone not on the list is admitted and gets a badge at once."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
)

from smartconf.core.enums import ParticipantRole
from smartconf.ui.labels import label

MAX_NAME = 120


@dataclass(frozen=True, slots=True)
class WalkIn:
    given_name: str
    family_name: str
    organisation: str
    role: ParticipantRole


class WalkInDialog(QDialog):
    """Given name, family name, organisation and role; ``walk_in()`` once accepted.
    No e-mail or phone here: the desk faces the queue."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("walk_in_dialog")
        self.setWindowTitle(self.tr("Walk-in registration"))
        self.setMinimumWidth(480)
        layout = QVBoxLayout(self)
        intro = QLabel(self.tr("Register someone who is not on the list: they are admitted "
                               "and their badge prints at once."))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.given = self._field("given_name")
        self.family = self._field("family_name")
        self.organisation = self._field("organisation")
        self.role = QComboBox()
        self.role.setObjectName("role")
        for role in ParticipantRole:
            self.role.addItem(label(role), role)
        form.addRow(self.tr("&Given name:"), self.given)
        form.addRow(self.tr("&Family name:"), self.family)
        form.addRow(self.tr("&Organisation:"), self.organisation)
        form.addRow(self.tr("&Role:"), self.role)
        layout.addLayout(form)
        self.message = QLabel()
        self.message.setObjectName("message")
        self.message.setVisible(False)
        layout.addWidget(self.message)
        # parented at once: setDefault() below must find the dialog, or Cancel becomes the default
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        admit = buttons.addButton(self.tr("Admit and print badge"),
                                  QDialogButtonBox.ButtonRole.AcceptRole)
        admit.setDefault(True)
        buttons.accepted.connect(self._check)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.given.setFocus()

    def _field(self, name: str) -> QLineEdit:
        field = QLineEdit()
        field.setObjectName(name)
        field.setMaxLength(MAX_NAME)
        return field

    def walk_in(self) -> WalkIn:
        return WalkIn(self.given.text().strip(), self.family.text().strip(),
                      self.organisation.text().strip(), self.role.currentData())

    def _check(self) -> None:
        entered = self.walk_in()
        if not entered.given_name or not entered.family_name:
            self.message.setText(self.tr("Enter the given name and the family name."))
            self.message.setVisible(True)
            (self.given if not entered.given_name else self.family).setFocus()
            return
        self.accept()
