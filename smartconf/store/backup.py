"""Online backups of the embedded SQLite database, with rotation."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

KEEP_BACKUPS = 10


def backup_sqlite(db_file: Path, backups_dir: Path, *, label: str = "manual",
                  keep: int = KEEP_BACKUPS) -> Path:
    """Copy ``db_file`` with SQLite's online backup API; keep the newest ``keep`` copies."""
    backups_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S-%f")
    target = backups_dir / f"{db_file.stem}-{stamp}-{label}.db"
    source = sqlite3.connect(f"file:{db_file}?mode=ro", uri=True)
    try:
        destination = sqlite3.connect(target)
        try:
            source.backup(destination)
        finally:
            destination.close()
    finally:
        source.close()
    _rotate(backups_dir, db_file.stem, keep)
    return target


def _rotate(backups_dir: Path, stem: str, keep: int) -> None:
    copies = sorted(backups_dir.glob(f"{stem}-*.db"))
    for old in copies[:-keep] if keep > 0 else copies:
        old.unlink(missing_ok=True)
