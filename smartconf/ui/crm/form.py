"""Dialogs over a form: thin (gather input, call one operation), and a refused operation's
message shown next to the field it names, the dialog staying open with nothing written."""

from __future__ import annotations

import re
from collections.abc import Callable

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from smartconf.core.errors import SmartconfError, ValidationError

ERROR_COLOUR = QColor(176, 0, 32)
_LIST_SEPARATORS = re.compile(r"[,;\n]+")


def split_list(text: str) -> list[str]:
    """Items typed on one line, separated by commas or semicolons."""
    return [item.strip() for item in _LIST_SEPARATORS.split(text) if item.strip()]


def error_label(parent: QWidget | None = None) -> QLabel:
    """A hidden, wrapping label in the error colour."""
    label = QLabel(parent)
    palette = label.palette()
    palette.setColor(QPalette.ColorRole.WindowText, ERROR_COLOUR)
    label.setPalette(palette)
    label.setWordWrap(True)
    label.hide()
    return label


class FormDialog(QDialog):
    """A form with OK/Cancel; ``submit`` runs the operation when OK is pressed.

    A ``SmartconfError`` raised by ``submit`` keeps the dialog open: a ``ValidationError``
    whose field is on the form appears under that field, anything else above the form.
    """

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self._errors: dict[str, QLabel] = {}
        self._fields: dict[str, QWidget] = {}
        layout = QVBoxLayout(self)
        self.general_error = error_label()
        self.general_error.setObjectName("error_general")
        layout.addWidget(self.general_error)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        layout.addLayout(self.form)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

    def add_field(self, text: str, widget: QWidget, *names: str) -> QWidget:
        """A labelled row; errors about the fields ``names`` show under ``widget``."""
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(widget)
        error = error_label()
        column.addWidget(error)
        caption = QLabel(text)
        caption.setBuddy(widget)
        self.form.addRow(caption, box)
        for name in names:
            error.setObjectName(f"error_{names[0]}")
            self._errors[name] = error
            self._fields[name] = widget
        return widget

    def submit(self) -> None:
        """Run the operation with the form's values; raise SmartconfError to refuse."""
        raise NotImplementedError

    def accept(self) -> None:
        self.clear_errors()
        try:
            self.submit()
        except SmartconfError as exc:
            self.show_error(exc)
            return
        super().accept()

    def show_error(self, exc: SmartconfError) -> None:
        """Put ``exc``'s message under its field (or above the form) and focus the field."""
        field = exc.field if isinstance(exc, ValidationError) else ""
        if field in self._errors:
            self._errors[field].setText(exc.detail)
            self._errors[field].show()
            self._fields[field].setFocus()
        else:
            self.general_error.setText(f"{exc.message} {exc.hint}".strip())
            self.general_error.show()

    def clear_errors(self) -> None:
        for label in {*self._errors.values(), self.general_error}:
            label.clear()
            label.hide()

    def error_text(self, field: str = "") -> str:
        """The error shown under ``field`` ("" : above the form), empty if none."""
        label = self._errors.get(field, self.general_error) if field else self.general_error
        return label.text() if label.isVisibleTo(self) else ""


def ask(parent: QWidget, title: str, text: str, action_text: str,
        on_yes: Callable[[], None]) -> QMessageBox:
    """A question with a button named for the action (and Cancel), shown without blocking;
    ``on_yes`` runs if the action button is pressed. Returns the box."""
    box = QMessageBox(QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.Cancel,
                      parent)
    yes = box.addButton(action_text, QMessageBox.ButtonRole.AcceptRole)
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    box.finished.connect(lambda _result: on_yes() if box.clickedButton() is yes else None)
    box.open()
    return box
