"""The stakeholder map on screen: zoom, hover, click or keyboard to open a person, and a PNG
export. ``open_stakeholder_map`` is the entry point for the Stakeholders page."""

from __future__ import annotations

import math
from functools import partial
from pathlib import Path

from PySide6.QtCore import QPointF, QRectF, QSettings, QSize, Qt, Signal
from PySide6.QtGui import QImage, QKeyEvent, QKeySequence, QMouseEvent, QPainter, QWheelEvent
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QGraphicsView,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from smartconf.core.errors import SmartconfError
from smartconf.services.person_search import PersonFilter
from smartconf.services.stakeholder_map import MapPoint, map_points
from smartconf.store.database import Database, translate_errors
from smartconf.store.session import read_session
from smartconf.ui.errors import show_error
from smartconf.ui.formatting import fill
from smartconf.ui.stakeholder_tools.common import LAST_FOLDER_KEY, last_folder
from smartconf.ui.stakeholder_tools.map_scene import DotItem, StakeholderMapScene
from smartconf.ui.workers import Worker

EXPORT_SCALE = 2  # a PNG at twice the scene's resolution: sharp in reports and slides
ZOOM_STEP = 1.25
_KEYS_TO_DIRECTION = {Qt.Key.Key_Left: (-1, 0), Qt.Key.Key_Right: (1, 0),
                      Qt.Key.Key_Up: (0, -1), Qt.Key.Key_Down: (0, 1)}


def render_image(scene: StakeholderMapScene, scale: float = EXPORT_SCALE) -> QImage:
    """The whole scene on a white image, ``scale`` times its size, nothing selected."""
    source = scene.sceneRect()
    size = QSize(math.ceil(source.width() * scale), math.ceil(source.height() * scale))
    image = QImage(size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.white)
    selected = scene.selectedItems()
    scene.clearSelection()
    painter = QPainter(image)
    painter.setRenderHints(QPainter.RenderHint.Antialiasing
                           | QPainter.RenderHint.TextAntialiasing)
    scene.render(painter, QRectF(image.rect()), source)
    painter.end()
    for item in selected:
        item.setSelected(True)
    return image


def nearest_in_direction(dots: list[DotItem], current: DotItem,
                         direction: tuple[int, int]) -> DotItem | None:
    """The dot an arrow key moves to: ahead in ``direction``, close and well aligned."""
    dx, dy = direction
    start = current.pos()
    best, best_cost = None, math.inf
    for dot in dots:
        offset = dot.pos() - start
        ahead = offset.x() * dx + offset.y() * dy
        if dot is current or ahead <= 0.5:
            continue
        aside = abs(offset.x() * dy) + abs(offset.y() * dx)
        cost = ahead + 2 * aside
        if cost < best_cost:
            best, best_cost = dot, cost
    return best


class StakeholderMapView(QGraphicsView):
    """Shows a ``StakeholderMapScene``; a click on a dot, or Enter on the selected one,
    emits ``person_activated(person id)``. Arrow keys move between dots; Ctrl + wheel or
    +/- zoom; the map fits the window until zoomed."""

    person_activated = Signal(int)

    def __init__(self, scene: StakeholderMapScene, parent=None) -> None:
        super().__init__(scene, parent)
        self.map_scene = scene
        self._fit = True
        self._pressed: DotItem | None = None  # the dot a click started on
        self.setRenderHints(QPainter.RenderHint.Antialiasing
                            | QPainter.RenderHint.TextAntialiasing)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName(self.tr("Stakeholder map"))
        self.setMinimumSize(480, 360)

    # --- zoom --------------------------------------------------------------------------

    def zoom_to_fit(self) -> None:
        """Show the whole map, and keep it whole when the window is resized."""
        self._fit = True
        self.fitInView(self.map_scene.sceneRect(), Qt.AspectRatioMode.KeepAspectRatio)

    def zoom(self, factor: float) -> None:
        self._fit = False
        self.scale(factor, factor)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if self._fit:
            self.zoom_to_fit()

    def wheelEvent(self, event: QWheelEvent) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.zoom(ZOOM_STEP if event.angleDelta().y() > 0 else 1 / ZOOM_STEP)
            event.accept()
            return
        super().wheelEvent(event)

    # --- choosing a person ---------------------------------------------------------------

    def dot_at(self, position: QPointF) -> DotItem | None:
        """The dot under a viewport position, if any."""
        return next((i for i in self.items(position.toPoint()) if isinstance(i, DotItem)),
                    None)

    def selected_dot(self) -> DotItem | None:
        return next((i for i in self.map_scene.selectedItems() if isinstance(i, DotItem)),
                    None)

    def select_dot(self, dot: DotItem) -> None:
        self.map_scene.clearSelection()
        dot.setSelected(True)
        self.ensureVisible(dot)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self._pressed = self.dot_at(event.position())
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        super().mouseReleaseEvent(event)
        dot = self.dot_at(event.position())
        if event.button() == Qt.MouseButton.LeftButton and dot is not None \
                and dot is self._pressed:
            self.select_dot(dot)
            self.person_activated.emit(dot.person_id)
        self._pressed = None

    def keyPressEvent(self, event: QKeyEvent) -> None:
        dots = self.map_scene.dots
        current = self.selected_dot()
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space) and current:
            self.person_activated.emit(current.person_id)
        elif key in _KEYS_TO_DIRECTION and dots:
            target = dots[0] if current is None else nearest_in_direction(
                dots, current, _KEYS_TO_DIRECTION[key])
            if target is not None:
                self.select_dot(target)
        elif key in (Qt.Key.Key_Home, Qt.Key.Key_End) and dots:
            self.select_dot(dots[0] if key == Qt.Key.Key_Home else dots[-1])
        elif event.matches(QKeySequence.StandardKey.ZoomIn) or key == Qt.Key.Key_Plus:
            self.zoom(ZOOM_STEP)
        elif event.matches(QKeySequence.StandardKey.ZoomOut) or key == Qt.Key.Key_Minus:
            self.zoom(1 / ZOOM_STEP)
        else:
            super().keyPressEvent(event)
            return
        event.accept()


def load_points_job(database: Database, criteria: PersonFilter) -> list[MapPoint]:
    """The map's points, read on a worker thread in a session of its own."""
    with translate_errors(database.engine), read_session(database.sessions) as session:
        return map_points(session, criteria)


class StakeholderMapWidget(QWidget):
    """The map of the persons matching a filter, with zoom and export buttons and a line
    naming the selected person. Loads in the background (``loaded`` when drawn)."""

    person_activated = Signal(int)
    loaded = Signal()
    exported = Signal(str)

    def __init__(self, database: Database, criteria: PersonFilter | None = None,
                 parent=None) -> None:
        super().__init__(parent)
        self.database = database
        self.criteria = criteria or PersonFilter()
        self.scene = StakeholderMapScene(self)
        self.view = StakeholderMapView(self.scene)
        self.view.person_activated.connect(self.person_activated)
        self.scene.selectionChanged.connect(self._show_selected)
        self.worker = Worker(self)
        self.worker.finished.connect(self.set_points)
        self.worker.failed.connect(self._on_failed)
        layout = QVBoxLayout(self)
        layout.addLayout(self._toolbar())
        layout.addWidget(self.view, 1)
        self.selected = QLabel(self.tr("Point at a dot to see who it is; click it (or choose "
                                       "it with the arrow keys and press Enter) to open "
                                       "the person."))
        self.selected.setWordWrap(True)
        layout.addWidget(self.selected)

    def _toolbar(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.summary = QLabel(self.tr("Loading…"))
        row.addWidget(self.summary, 1)
        for text, shortcut, slot in (
                (self.tr("Zoom &in"), QKeySequence.StandardKey.ZoomIn,
                 partial(self.view.zoom, ZOOM_STEP)),
                (self.tr("Zoom &out"), QKeySequence.StandardKey.ZoomOut,
                 partial(self.view.zoom, 1 / ZOOM_STEP)),
                (self.tr("Zoom to &fit"), None, self.view.zoom_to_fit),
                (self.tr("&Export as PNG…"), None, self.ask_export)):
            button = QPushButton(text)
            if shortcut is not None:
                button.setToolTip(QKeySequence(shortcut).toString(
                    QKeySequence.SequenceFormat.NativeText))
            button.clicked.connect(slot)
            row.addWidget(button)
        self.export_button = button
        return row

    # --- data ------------------------------------------------------------------------------

    def reload(self, criteria: PersonFilter | None = None) -> None:
        """Read the persons of ``criteria`` (else the current filter) again."""
        if criteria is not None:
            self.criteria = criteria
        if self.worker.is_running():
            return
        self.summary.setText(self.tr("Loading…"))
        self.worker.start(partial(load_points_job, self.database, self.criteria))

    def set_points(self, points: list[MapPoint]) -> None:
        """Draw ``points`` and fit them into the window."""
        self.scene.set_points(points)
        placed = len(self.scene.dots)
        self.summary.setText(self.tr("1 person on the map") if placed == 1
                             else self.tr("%n persons on the map", "", placed))
        self.view.zoom_to_fit()
        self.loaded.emit()

    def _on_failed(self, exc: object) -> None:
        self.summary.setText(self.tr("The map could not be loaded."))
        show_error(exc, self)

    def _show_selected(self) -> None:
        dot = self.view.selected_dot()
        if dot is not None:
            self.selected.setText(dot.description().replace("\n", " — "))

    # --- export ------------------------------------------------------------------------------

    def export_png(self, path: Path) -> QSize:
        """Save the whole map as a PNG at twice its resolution; returns the image size."""
        image = render_image(self.scene)
        if not image.save(str(path), "PNG"):
            raise SmartconfError(fill(self.tr("The map could not be saved to %1."), path),
                                 hint=self.tr("Choose another folder or file name."))
        self.exported.emit(str(path))
        return image.size()

    def ask_export(self) -> None:
        """Ask where to save the PNG, then save it."""
        chosen, _filter = QFileDialog.getSaveFileName(
            self, self.tr("Export the map"), str(last_folder() / "stakeholder-map.png"),
            self.tr("PNG images (*.png)"))
        if not chosen:
            return
        path = Path(chosen) if Path(chosen).suffix else Path(chosen).with_suffix(".png")
        QSettings().setValue(LAST_FOLDER_KEY, str(path.parent))
        try:
            self.export_png(path)
        except SmartconfError as exc:
            show_error(exc, self)


class StakeholderMapDialog(QDialog):
    """A window holding the map (not modal: the coordinator keeps working beside it)."""

    person_activated = Signal(int)

    def __init__(self, database: Database, criteria: PersonFilter, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Stakeholder map"))
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint)
        self.map = StakeholderMapWidget(database, criteria)
        self.map.person_activated.connect(self.person_activated)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.map)
        close = QPushButton(self.tr("Close"))
        close.clicked.connect(self.close)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout.addLayout(buttons)
        self.resize(1000, 720)


def open_stakeholder_map(parent: QWidget | None, database: Database,
                         criteria: PersonFilter) -> StakeholderMapDialog:
    """Show the map of the persons matching ``criteria`` in a window of its own; connect
    its ``person_activated(int)`` to open a person."""
    dialog = StakeholderMapDialog(database, criteria, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    dialog.map.reload()
    return dialog
