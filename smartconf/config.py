"""Where smartconf keeps its data and which database it opens.

Precedence, highest first: command-line option, environment variable, default.

* data folder: ``--data-dir`` / ``SMARTCONF_HOME`` / the platform's user data folder;
* database: ``--db URL-or-path`` / ``SMARTCONF_DB`` / ``<data folder>/smartconf.db`` (SQLite).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from smartconf.core.errors import DataFolderError

APP_NAME = "smartconf"
APP_AUTHOR = "KCSS"
DB_FILE_NAME = "smartconf.db"
ENV_HOME = "SMARTCONF_HOME"
ENV_DB = "SMARTCONF_DB"


@dataclass(frozen=True)
class Paths:
    """The folders smartconf writes to; all inside the data folder."""

    data_dir: Path

    @property
    def backups_dir(self) -> Path:
        return self.data_dir / "backups"

    @property
    def default_db_file(self) -> Path:
        return self.data_dir / DB_FILE_NAME

    @property
    def journal_dir(self) -> Path:
        """Offline check-in journals and snapshots of the desks."""
        return self.data_dir / "desk"


def resolve_paths(data_dir: str | os.PathLike[str] | None = None) -> Paths:
    """Choose the data folder and make sure it exists and can be written."""
    chosen = data_dir or os.environ.get(ENV_HOME) or platformdirs.user_data_dir(
        APP_NAME, APP_AUTHOR)
    path = Path(chosen).expanduser().resolve()
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DataFolderError(
            f"The data folder {path} cannot be created ({exc.strerror or exc}).",
            hint="Choose another one with --data-dir or SMARTCONF_HOME.") from exc
    if not path.is_dir():
        raise DataFolderError(f"The data folder {path} is not a folder.",
                              hint="Choose another one with --data-dir or SMARTCONF_HOME.")
    _check_writable(path)
    return Paths(path)


def _check_writable(path: Path) -> None:
    probe = path / ".smartconf-write-test"
    try:
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise DataFolderError(
            f"The data folder {path} cannot be written ({exc.strerror or exc}).",
            hint="Fix its permissions, or choose another one with --data-dir.") from exc


def resolve_database_url(db: str | None, paths: Paths) -> str:
    """A SQLAlchemy URL from ``--db`` / ``SMARTCONF_DB`` (a URL or a file path) or the default."""
    chosen = db or os.environ.get(ENV_DB)
    if not chosen:
        return f"sqlite:///{paths.default_db_file}"
    if "://" in chosen:
        return chosen
    return f"sqlite:///{Path(chosen).expanduser().resolve()}"

