"""What every page of the main window has: the database, a title, and lazy loading."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtWidgets import QWidget

from smartconf.store.database import Database, translate_errors
from smartconf.store.session import read_session

R = TypeVar("R")


class Page(QWidget):
    """A page loads its data the first time it is shown, and again on ``reload``."""

    def __init__(self, database: Database, parent=None) -> None:
        super().__init__(parent)
        self.database = database
        self._loaded = False

    def title(self) -> str:
        """The translated name of the page in the navigation."""
        raise NotImplementedError

    def reload(self) -> None:
        """Read the page's data again from the database."""
        raise NotImplementedError

    def ensure_loaded(self) -> None:
        """Load once; later visits keep what is shown until ``reload``."""
        if not self._loaded:
            self._loaded = True
            self.reload()

    def mark_stale(self) -> None:
        """Reload at the next visit."""
        self._loaded = False

    def read(self, query: Callable[..., R], *args, **kwargs) -> R:
        """Run a service query in a short read-only session."""
        with translate_errors(self.database.engine), read_session(self.database.sessions) as s:
            return query(s, *args, **kwargs)

