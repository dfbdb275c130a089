"""An undo command for a write that was already made when the command is pushed."""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QUndoCommand


class DoneCommand(QUndoCommand):
    """QUndoStack.push calls redo() at once: the first call does nothing, the write is done.

    Later, ``undo`` and ``redo`` hand ``backward`` / ``forward`` to ``changes.run_step(self,
    step)``, which runs the step in a transaction and reports errors.
    """

    def __init__(self, changes: Any, text: str) -> None:
        super().__init__(text)
        self.changes = changes
        self._done = True

    def redo(self) -> None:
        if self._done:
            self._done = False
            return
        self.changes.run_step(self, self.forward)

    def undo(self) -> None:
        self.changes.run_step(self, self.backward)

    def forward(self) -> Any:
        """Make the change again."""
        raise NotImplementedError

    def backward(self) -> Any:
        """Take the change back."""
        raise NotImplementedError
