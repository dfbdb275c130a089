"""A line edit that searches as you type (off the GUI thread) and lets you pick one result
from a popup with the arrow keys and Enter; it keeps the chosen value."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QStringListModel, Qt, QTimer, Signal
from PySide6.QtWidgets import QCompleter, QLineEdit

from smartconf.services.outcomes import Option
from smartconf.ui.crm.jobs import LatestJob

SEARCH_DELAY_MS = 150


class SearchPicker(QLineEdit):
    """``search(text) -> list of objects with .value and .text`` runs in a worker thread.

    ``value()`` is the chosen result's value, or None while the text is not a chosen result.
    """

    chosen = Signal(object)
    results_shown = Signal(int)

    def __init__(self, search: Callable[[str], list[Any]], parent=None) -> None:
        super().__init__(parent)
        self._search = search
        self._options: list[Option] = []
        self._chosen: Option | None = None
        self.setClearButtonEnabled(True)
        self._names = QStringListModel(self)
        completer = QCompleter(self._names, self)
        completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.activated[str].connect(self._on_activated)
        self.setCompleter(completer)
        self._job = LatestJob(self)
        self._job.finished.connect(self._show)
        self._job.failed.connect(lambda _exc: self._show([]))
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.run_search)
        self.textEdited.connect(self._on_edited)

    def value(self) -> Any:
        return self._chosen.value if self._chosen is not None else None

    def choose(self, option: Option | None) -> None:
        """Show ``option`` as the chosen one (None: nothing chosen, empty text)."""
        self._chosen = option
        self.setText(option.text if option else "")
        self.chosen.emit(self.value())

    def options(self) -> list[Option]:
        """The results of the last search."""
        return list(self._options)

    def _on_edited(self, _text: str) -> None:
        if self._chosen is not None:
            self._chosen = None
            self.chosen.emit(None)
        self._timer.start()

    def run_search(self) -> None:
        """Search for the typed text now (typing waits a moment)."""
        self._timer.stop()
        text = self.text()
        self._job.submit(lambda: self._search(text))

    def _show(self, found: list[Any]) -> None:
        self._options = [Option(item.value, item.text) for item in found]
        self._names.setStringList([o.text for o in self._options])
        if self._options and self.hasFocus():
            self.completer().complete()
        self.results_shown.emit(len(self._options))

    def _on_activated(self, text: str) -> None:
        match = next((o for o in self._options if o.text == text), None)
        if match is not None:
            self.choose(match)
