"""The main window: navigation on the left, one page at a time, the database in the status
bar."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QSettings, QSize, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QWidget,
)

from smartconf import __version__
from smartconf.config import Paths
from smartconf.store.database import Database
from smartconf.ui.formatting import fill
from smartconf.ui.pages.base import Page
from smartconf.ui.pages.checkin import CheckInPage
from smartconf.ui.pages.conferences import ConferencesPage
from smartconf.ui.pages.dashboard import DashboardPage
from smartconf.ui.pages.exports import ExportsPage
from smartconf.ui.pages.outcomes import OutcomesPage
from smartconf.ui.pages.settings import SettingsPage
from smartconf.ui.pages.stakeholders import StakeholdersPage

GEOMETRY_KEY = "main_window/geometry"
STATE_KEY = "main_window/state"
PAGE_KEY = "main_window/page"
NAVIGATION_WIDTH = 190


class MainWindow(QMainWindow):
    """Dashboard, Stakeholders, Conferences, Check-in, Outcomes, Exports and Settings."""

    first_painted = Signal()

    def __init__(self, database: Database, paths: Paths, *, actor: str,
                 exit_after_paint: bool = False, parent=None) -> None:
        super().__init__(parent)
        self.database = database
        self.exit_after_paint = exit_after_paint
        self._painted = False
        self.setObjectName("main_window")
        self.setWindowTitle(self.tr("smartconf"))
        self.pages: list[Page] = [
            DashboardPage(database), StakeholdersPage(database, actor=actor),
            ConferencesPage(database, actor=actor),
            CheckInPage(database, paths, actor=actor), OutcomesPage(database, actor=actor),
            ExportsPage(database, actor),
            SettingsPage(database, paths, actor=actor)]
        self._build_central()
        self._build_menus()
        self.database_label = QLabel(fill(self.tr("Database: %1"), database.description))
        self.database_label.setToolTip(database.description)
        self.statusBar().addPermanentWidget(self.database_label)
        self._restore_settings()

    # --- building ------------------------------------------------------------------------

    def _build_central(self) -> None:
        central = QWidget()
        central.setObjectName("central")
        layout = QHBoxLayout(central)
        self.navigation = QListWidget()
        self.navigation.setObjectName("navigation")
        self.navigation.setFixedWidth(NAVIGATION_WIDTH)
        self.navigation.setUniformItemSizes(True)
        self.navigation.setSpacing(2)
        self.stack = QStackedWidget()
        for page in self.pages:
            self.navigation.addItem(page.title())
            self.stack.addWidget(page)
        layout.addWidget(self.navigation)
        layout.addWidget(self.stack, 1)
        self.navigation.currentRowChanged.connect(self._on_navigation)
        self.setCentralWidget(central)
        central.installEventFilter(self)

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu(self.tr("&File"))
        quit_action = QAction(self.tr("&Quit"), self)
        quit_action.setShortcut(QKeySequence(self.tr("Ctrl+Q")))
        quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)
        self._build_edit_menu()
        go_menu = self.menuBar().addMenu(self.tr("&Go"))
        self.page_actions: list[QAction] = []
        for number, page in enumerate(self.pages, start=1):
            action = QAction(page.title(), self)
            action.setShortcut(QKeySequence(f"Ctrl+{number}"))
            action.triggered.connect(lambda _checked=False, i=number - 1: self.show_page(i))
            go_menu.addAction(action)
            self.page_actions.append(action)
        go_menu.addSeparator()
        refresh = QAction(self.tr("&Refresh"), self)
        refresh.setShortcut(QKeySequence.StandardKey.Refresh)
        refresh.triggered.connect(self.refresh)
        go_menu.addAction(refresh)
        help_menu = self.menuBar().addMenu(self.tr("&Help"))
        about = QAction(self.tr("&About smartconf"), self)
        about.setMenuRole(QAction.MenuRole.AboutRole)
        about.triggered.connect(self.show_about)
        help_menu.addAction(about)

    def _build_edit_menu(self) -> None:
        """Undo and redo of the stakeholder CRM's writes (its QUndoStack)."""
        edit_menu = self.menuBar().addMenu(self.tr("&Edit"))
        stack = self.page(StakeholdersPage).undo_stack
        self.undo_action = stack.createUndoAction(self, self.tr("&Undo"))
        self.undo_action.setShortcuts(QKeySequence.StandardKey.Undo)
        self.redo_action = stack.createRedoAction(self, self.tr("&Redo"))
        self.redo_action.setShortcuts(QKeySequence.StandardKey.Redo)
        edit_menu.addActions([self.undo_action, self.redo_action])

    def sizeHint(self) -> QSize:
        return QSize(1280, 800)

    # --- navigation ----------------------------------------------------------------------

    def show_page(self, index: int) -> None:
        """Show the page at ``index`` (0 Dashboard ... 6 Settings), loading it if needed."""
        self.navigation.setCurrentRow(index)

    def current_page(self) -> Page:
        return self.pages[self.stack.currentIndex()]

    def page(self, page_type: type[Page]) -> Page:
        """The page of type ``page_type``."""
        return next(p for p in self.pages if isinstance(p, page_type))

    def _on_navigation(self, index: int) -> None:
        if 0 <= index < len(self.pages):
            self.stack.setCurrentIndex(index)
            self.pages[index].ensure_loaded()

    def refresh(self) -> None:
        """Read the current page again; the others reload when next shown."""
        for page in self.pages:
            page.mark_stale()
        self.current_page().ensure_loaded()
        self.statusBar().showMessage(self.tr("Refreshed"), 2000)

    def show_about(self) -> None:
        QMessageBox.about(self, self.tr("About smartconf"), fill(self.tr(
            "<h3>smartconf %1</h3><p>Stakeholder CRM, conference planning, badges and check-in "
            "for the SMART Balkans programme of the Kosovar Centre for Security Studies "
            "(KCSS).</p>"), __version__))

    # --- settings ------------------------------------------------------------------------

    def _restore_settings(self) -> None:
        settings = QSettings()
        geometry = settings.value(GEOMETRY_KEY)
        if geometry is None or not self.restoreGeometry(geometry):
            self._default_size()
        state = settings.value(STATE_KEY)
        if state is not None:
            self.restoreState(state)
        page = int(settings.value(PAGE_KEY, 0) or 0)
        self.show_page(page if 0 <= page < len(self.pages) else 0)

    def _default_size(self) -> None:
        """The preferred size, or nine tenths of a smaller screen."""
        size = self.sizeHint()
        screen = self.screen()
        if screen is not None:
            size = size.boundedTo(screen.availableSize() * 0.9)
        self.resize(size)

    def save_settings(self) -> None:
        settings = QSettings()
        settings.setValue(GEOMETRY_KEY, self.saveGeometry())
        settings.setValue(STATE_KEY, self.saveState())
        settings.setValue(PAGE_KEY, self.stack.currentIndex())
        settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_settings()
        super().closeEvent(event)

    # --- first paint (startup benchmark) -----------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (not self._painted and event.type() == QEvent.Type.Paint
                and watched is self.centralWidget()):
            self._painted = True
            QTimer.singleShot(0, self._after_first_paint)
        return super().eventFilter(watched, event)

    def _after_first_paint(self) -> None:
        QApplication.processEvents()
        self.first_painted.emit()
        if self.exit_after_paint:
            print("painted", flush=True)
            QApplication.exit(0)
