"""GUI test fixtures: isolated QSettings, a demo database, the main window."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QSettings

from smartconf.config import Paths
from smartconf.store.database import Database, open_database
from tests.ui.demo_data import fill_database

_HERE = Path(__file__).parent
# The offscreen platform warns that it cannot pass size hints to a window system it lacks.
_OFFSCREEN_NOISE = "This plugin does not support propagateSizeHints"


def pytest_collection_modifyitems(items) -> None:
    for item in items:
        if _HERE in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.qt_log_ignore(_OFFSCREEN_NOISE))


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path: Path, qapp) -> Iterator[Path]:
    """QSettings written under the test's temporary folder, never the user's."""
    folder = tmp_path / "settings"
    for fmt in (QSettings.Format.IniFormat, QSettings.Format.NativeFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, str(folder))
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QCoreApplication.setOrganizationName("KCSS-tests")
    QCoreApplication.setApplicationName("smartconf-tests")
    QSettings().clear()
    yield folder
    QSettings().clear()


@pytest.fixture
def paths(tmp_path: Path) -> Paths:
    data = tmp_path / "data"
    data.mkdir()
    return Paths(data)


@pytest.fixture
def empty_database(paths: Paths, _sqlite_template: Path) -> Iterator[Database]:
    """A migrated SQLite database with nothing in it."""
    shutil.copy(_sqlite_template, paths.default_db_file)
    database = open_database(f"sqlite:///{paths.default_db_file}", backups_dir=paths.backups_dir)
    yield database
    database.dispose()


@pytest.fixture(scope="session")
def _demo_template(tmp_path_factory, _sqlite_template: Path) -> Path:
    """A SQLite file holding the demo data, copied for each test (loading takes a second)."""
    path = tmp_path_factory.mktemp("demo") / "smartconf.db"
    shutil.copy(_sqlite_template, path)
    database = open_database(f"sqlite:///{path}")
    fill_database(database)
    database.dispose()
    return path


@pytest.fixture
def demo_database(paths: Paths, _demo_template: Path) -> Iterator[Database]:
    """A SQLite database holding the demo data."""
    shutil.copy(_demo_template, paths.default_db_file)
    database = open_database(f"sqlite:///{paths.default_db_file}", backups_dir=paths.backups_dir)
    yield database
    database.dispose()


@pytest.fixture
def make_window(qtbot, paths: Paths):
    """Builds a shown main window over a database (closed by qtbot at the end)."""
    from smartconf.ui.main_window import MainWindow

    def make(database: Database) -> MainWindow:
        window = MainWindow(database, paths, actor="tester")
        qtbot.addWidget(window)
        window.show()
        return window

    return make


@pytest.fixture
def window(make_window, demo_database: Database):
    """The main window over the demo database."""
    return make_window(demo_database)
