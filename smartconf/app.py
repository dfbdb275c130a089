"""Qt bootstrap: the application object, translations, fonts, the database and the window."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QApplication

from smartconf import __version__
from smartconf.config import APP_AUTHOR, APP_NAME, Paths
from smartconf.core.errors import SmartconfError
from smartconf.core.resources import resource_path
from smartconf.store.database import Database, open_database
from smartconf.ui.crm.context import current_actor
from smartconf.ui.errors import error_box, install_excepthook
from smartconf.ui.main_window import MainWindow

EXIT_AFTER_PAINT_ENV = "SMARTCONF_EXIT_AFTER_PAINT"
FONT_FILES = ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf")


def run_gui(database_url: str, paths: Paths, argv: list[str] | None = None) -> int:
    """Open the database at ``database_url`` and run the main window until it closes.

    Returns the exit code: 0, or 1 when the database cannot be used (after saying why).
    """
    app = application(argv)
    previous_hook = install_excepthook()
    try:
        database = _open(database_url, paths)
        if database is None:
            return 1
        try:
            window = MainWindow(database, paths, actor=current_actor(),
                                exit_after_paint=os.environ.get(EXIT_AFTER_PAINT_ENV) == "1")
            window.show()
            return app.exec()
        finally:
            database.dispose()
    finally:
        sys.excepthook = previous_hook


def application(argv: list[str] | None = None) -> QApplication:
    """The QApplication (created once), named for QSettings, with translators and fonts."""
    app = QApplication.instance()
    if app is None:
        app = QApplication(list(sys.argv if argv is None else argv))
        QCoreApplication.setOrganizationName(APP_AUTHOR)
        QCoreApplication.setApplicationName(APP_NAME)
        QCoreApplication.setApplicationVersion(__version__)
        use_system_locale()
        install_translators(app)
        add_fonts()
    return app


def use_system_locale() -> None:
    """Dates and numbers as the system writes them; the bare "C" locale of servers and
    containers (digits-only dates, "12 05 2027") reads as British English instead."""
    if QLocale.system().language() == QLocale.Language.C:
        QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom))


def install_translators(app: QApplication) -> list[QTranslator]:
    """Qt's own translations and smartconf's (resources/translations/smartconf_<locale>.qm)
    for the system locale; missing files are skipped."""
    installed = []
    locale = QLocale.system()
    sources = ((QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath), "qtbase"),
               (str(resource_path("translations")), APP_NAME))
    for folder, name in sources:
        translator = QTranslator(app)
        if Path(folder).is_dir() and translator.load(locale, name, "_", folder):
            app.installTranslator(translator)
            installed.append(translator)
    return installed


def add_fonts() -> None:
    """Make the bundled DejaVu Sans (Latin Extended and Cyrillic) available to Qt."""
    for name in FONT_FILES:
        path = resource_path("fonts", name)
        if path.is_file():
            QFontDatabase.addApplicationFont(str(path))


def _open(database_url: str, paths: Paths) -> Database | None:
    try:
        return open_database(database_url, backups_dir=paths.backups_dir)
    except SmartconfError as exc:
        show_fatal_error(exc)
        return None


def show_fatal_error(exc: SmartconfError) -> None:
    """Say in a dialog why smartconf cannot start, and what to do about it."""
    application()
    box = error_box(exc, title=QCoreApplication.translate(
        "app", "smartconf cannot start"))
    box.exec()
