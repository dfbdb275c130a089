"""The coordinator's PIN: asked to leave desk mode, and set from the Check-in page."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QRegularExpression, Qt, Signal
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
)

from smartconf.core.errors import SmartconfError
from smartconf.ui.formatting import fill

MIN_PIN_LENGTH, MAX_PIN_LENGTH = 4, 12  # digits (services.desk_pin)


def _pin_field(name: str) -> QLineEdit:
    field = QLineEdit()
    field.setObjectName(name)
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setMaxLength(MAX_PIN_LENGTH)
    field.setValidator(QRegularExpressionValidator(QRegularExpression(r"\d*"), field))
    field.setInputMethodHints(Qt.InputMethodHint.ImhSensitiveData
                              | Qt.InputMethodHint.ImhNoPredictiveText)
    return field


def _message_label() -> QLabel:
    label = QLabel()
    label.setObjectName("message")
    label.setWordWrap(True)
    label.setVisible(False)
    return label


class LeaveDeskDialog(QDialog):
    """Asks for the coordinator's PIN; ``pin_entered(pin)`` goes to the desk to be checked,
    which then calls ``reject_pin`` or closes the dialog. With no PIN set, it says so and
    ``leave_anyway`` is emitted by its button."""

    pin_entered = Signal(str)
    leave_anyway = Signal()

    def __init__(self, parent=None, *, pin_is_set: bool = True) -> None:
        super().__init__(parent)
        self.setObjectName("leave_desk_dialog")
        self.setWindowTitle(self.tr("Leave desk mode"))
        layout = QVBoxLayout(self)
        self.pin = _pin_field("pin")
        self.message = _message_label()
        # parented at once: setDefault() below must find the dialog, or Cancel becomes the default
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        if pin_is_set:
            layout.addWidget(QLabel(self.tr("Enter the coordinator's PIN to leave desk mode.")))
            layout.addWidget(self.pin)
            leave = buttons.addButton(self.tr("Leave"), QDialogButtonBox.ButtonRole.AcceptRole)
            leave.setDefault(True)
            buttons.accepted.connect(self._submit)
        else:
            self.pin.setVisible(False)
            warning = QLabel(self.tr(
                "No coordinator PIN is set, so anyone can leave desk mode. A coordinator can "
                "set one on the Check-in page (Set coordinator PIN)."))
            warning.setObjectName("no_pin_warning")
            warning.setWordWrap(True)
            layout.addWidget(warning)
            leave = buttons.addButton(self.tr("Leave anyway"),
                                      QDialogButtonBox.ButtonRole.AcceptRole)
            buttons.accepted.connect(self.leave_anyway)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        buttons.rejected.connect(self.reject)
        if pin_is_set:
            self.pin.setFocus()

    def _submit(self) -> None:
        pin = self.pin.text()
        if pin:
            self.pin_entered.emit(pin)

    def reject_pin(self) -> None:
        """The PIN was wrong: say so, empty the field, keep the dialog."""
        self.message.setText(self.tr("Wrong PIN."))
        self.message.setVisible(True)
        self.pin.clear()
        self.pin.setFocus()


class SetPinDialog(QDialog):
    """A new coordinator PIN, typed twice and handed to ``save(pin)`` (which raises a
    SmartconfError to refuse it: the message is shown and the dialog stays)."""

    def __init__(self, save: Callable[[str], None], parent=None) -> None:
        super().__init__(parent)
        self._save = save
        self.setObjectName("set_pin_dialog")
        self.setWindowTitle(self.tr("Coordinator PIN"))
        layout = QVBoxLayout(self)
        intro = QLabel(self.tr(
            "Desk staff need this PIN to leave desk mode. Desks that lost the server use the "
            "PIN of their last update."))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.pin = _pin_field("pin")
        self.repeat = _pin_field("repeat")
        form.addRow(self.tr("New &PIN:"), self.pin)
        form.addRow(self.tr("&Repeat:"), self.repeat)
        layout.addLayout(form)
        self.message = _message_label()
        layout.addWidget(self.message)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._check)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.pin.setFocus()

    def _check(self) -> None:
        problem = pin_problem(self.pin.text(), self.repeat.text())
        if not problem:
            try:
                self._save(self.pin.text())
            except SmartconfError as exc:
                problem = exc.message
        if problem:
            self.message.setText(problem)
            self.message.setVisible(True)
            return
        self.accept()


def pin_problem(pin: str, repeat: str) -> str:
    """Why ``pin`` cannot be the new PIN ("" if it can)."""
    tr = QCoreApplication.translate
    if len(pin) < MIN_PIN_LENGTH:
        return fill(tr("SetPinDialog", "The PIN needs %1 to %2 digits."), MIN_PIN_LENGTH,
                    MAX_PIN_LENGTH)
    if pin != repeat:
        return tr("SetPinDialog", "The two PINs differ.")
    return ""
