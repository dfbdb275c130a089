"""Errors that carry a message meant for the user (CLI stderr line, GUI dialog)."""

from __future__ import annotations


class SmartconfError(Exception):
    """Base of every error whose message can be shown to a user as it is.

    ``hint`` says what to do about it; the GUI shows it under the message.
    """

    def __init__(self, message: str, *, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} {self.hint}".strip()


class NotFoundError(SmartconfError):
    """A record named by the user does not exist (unknown conference code, person id...)."""


class ValidationError(SmartconfError):
    """Bad input; names the row (if any) and the field."""

    def __init__(self, message: str, *, field: str = "", row: int | None = None,
                 hint: str = "") -> None:
        where = ", ".join(p for p in (f"row {row}" if row is not None else "",
                                      f"field '{field}'" if field else "") if p)
        super().__init__(f"{where}: {message}" if where else message, hint=hint)
        self.field = field
        self.row = row
        self.detail = message


class DatabaseError(SmartconfError):
    """The database cannot be used as it is; nothing was changed."""


class NotASmartconfDatabase(DatabaseError):
    """The file exists but is not a smartconf database (or not SQLite at all)."""


class DatabaseTooNew(DatabaseError):
    """The database was written by a newer smartconf than this one."""


class DatabaseReadOnly(DatabaseError):
    """The database file or its folder cannot be written."""


class DatabaseLocked(DatabaseError):
    """Another program holds a lock on the database for longer than the busy timeout."""


class DatabaseUnreachable(DatabaseError):
    """The database server does not answer (wrong host, server down, bad credentials)."""


class DatabaseOutOfDate(DatabaseError):
    """The database needs `smartconf db upgrade` before it can be used."""


class DataFolderError(SmartconfError):
    """The data folder is missing and cannot be created, or cannot be written."""
