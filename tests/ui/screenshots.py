"""Screenshots of every page for docs/screenshots/ (offscreen, no display needed).

    QT_QPA_PLATFORM=offscreen python -m tests.ui.screenshots [--db URL] [--out docs/screenshots]

Without --db it builds a temporary database with the demo data (or the test seed).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QSettings
from PySide6.QtWidgets import QApplication

from smartconf.config import Paths
from smartconf.store.database import open_database
from tests.ui.demo_data import fill_database

PAGES = ("main-dashboard", "stakeholders", "conferences", "checkin", "outcomes", "exports",
         "settings")
EXTRA = "stakeholders-organisations"
SIZE = (1280, 800)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", help="database URL (default: a fresh demo database)")
    parser.add_argument("--out", default="docs/screenshots", type=Path)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, tmp)
        QSettings.setDefaultFormat(QSettings.Format.IniFormat)
        from smartconf.app import application
        from smartconf.ui.main_window import MainWindow

        application([sys.argv[0]])
        QCoreApplication.setOrganizationName("KCSS-screenshots")
        url = args.db or f"sqlite:///{Path(tmp) / 'demo.db'}"
        database = open_database(url, backups_dir=Path(tmp) / "backups")
        if not args.db:
            fill_database(database)
        window = MainWindow(database, Paths(Path(tmp)), actor="screenshots")
        window.resize(*SIZE)
        window.show()
        args.out.mkdir(parents=True, exist_ok=True)
        for index, name in enumerate(PAGES):
            window.show_page(index)
            page = window.current_page()
            if name == "outcomes":  # show one outcome in full below the table
                page.outcomes_view.selectRow(0)
            if name == "checkin":  # the desk opens on the next conference; show one with scans
                for i in range(page.picker.count()):
                    page.picker.setCurrentIndex(i)
                    if page.recent.rowCount():
                        break
            _settle()
            window.grab().save(str(args.out / f"{name}.png"))
            if name == "stakeholders":
                window.current_page().tabs.setCurrentIndex(1)
                _settle()
                window.grab().save(str(args.out / f"{EXTRA}.png"))
                window.current_page().tabs.setCurrentIndex(0)
        window.close()
        database.dispose()
    return 0


def _settle() -> None:
    for _ in range(5):
        QApplication.processEvents()


if __name__ == "__main__":
    sys.exit(main())
