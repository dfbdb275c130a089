"""The day timetable: rooms as columns, time as rows (a 15-minute grid, 07:00-20:00 unless a
session lies outside), in the conference's time zone; one day at a time.

The mouse: drag a block to move it (5-minute steps, into another room too), drag its bottom
edge to resize it, drag on an empty area to create a session there, double-click to edit.
The keyboard: arrows select blocks, Ctrl+arrows move the selected one by 5 minutes or to the
next room, Shift+Up/Down shorten or lengthen it, Enter edits, Delete deletes, Ctrl+N creates,
Ctrl+Z / Ctrl+Shift+Z undo and redo (also when the main window binds those keys elsewhere:
the view takes them while it has the focus).

The view never writes: it asks (``move_requested``, ``resize_requested``,
``create_requested``...) and its owner writes, then hands back the new timetable (or calls
``revert`` after a refusal). A timetable arriving in the middle of a drag waits for its end.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import date, timedelta

from PySide6.QtCore import QEvent, QLineF, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QContextMenuEvent,
    QKeyEvent,
    QKeySequence,
    QMouseEvent,
    QPainter,
    QPalette,
    QPen,
    QResizeEvent,
)
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QGraphicsRectItem,
    QGraphicsScene,
    QGraphicsView,
    QMenu,
)

from smartconf.services.timetable import Block, Timetable
from smartconf.ui.planning.changes import Placement
from smartconf.ui.planning.timetable_items import (
    DAY_END_MINUTE,
    DAY_START_MINUTE,
    GRID_MINUTES,
    MIN_COLUMN_WIDTH,
    SNAP_MINUTES,
    BlockItem,
    Column,
    DayGrid,
    at_minute,
    lanes_of,
    minute_of,
    snap,
)
from smartconf.ui.planning.timetable_margins import RoomHeader, TimeGutter

HEADER_HEIGHT = 34
GUTTER_WIDTH = 58
EDGE_PX = 6  # the bottom edge of a block that resizes it
NEW_SESSION_MINUTES = 60
MOVE, RESIZE, CREATE = "move", "resize", "create"
_CTRL = Qt.KeyboardModifier.ControlModifier
_SHIFT = Qt.KeyboardModifier.ShiftModifier
_MODIFIERS = _CTRL | _SHIFT | Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.MetaModifier
_ARROWS = (Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_Left, Qt.Key.Key_Right)
_OWN_SHORTCUTS = (QKeySequence.StandardKey.Undo, QKeySequence.StandardKey.Redo,
                  QKeySequence.StandardKey.New)


@dataclass
class _Drag:
    """A mouse gesture in progress."""

    mode: str
    press: QPointF  # scene position of the press
    column: int
    start: float  # minutes of the day, as now previewed
    end: float
    item: BlockItem | None = None
    grab: float = 0.0  # minutes between the block's start and the press (move)
    anchor: float = 0.0  # where a create gesture began, in minutes of the day
    started: bool = False  # past the drag distance


class TimetableView(QGraphicsView):
    """One day of a ``Timetable``; see the module's docstring for the gestures and keys."""

    selection_changed = Signal(int)  # session id, -1 for none
    move_requested = Signal(object, object, object)  # Block, before, after (Placement)
    resize_requested = Signal(object, object, object)
    create_requested = Signal(object)  # Placement of the new session
    edit_requested = Signal(int)
    delete_requested = Signal(int)
    undo_requested = Signal()
    redo_requested = Signal()

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("timetable_view")
        self.setScene(QGraphicsScene(self))
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.setRenderHints(QPainter.RenderHint.Antialiasing
                            | QPainter.RenderHint.TextAntialiasing)
        self.setViewportMargins(GUTTER_WIDTH, HEADER_HEIGHT, 0, 0)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setCacheMode(QGraphicsView.CacheModeFlag.CacheBackground)
        self.viewport().setMouseTracking(True)
        self.header = RoomHeader(self)
        self.gutter = TimeGutter(self)
        self.timetable: Timetable | None = None
        self.day: date | None = None
        self.grid: DayGrid | None = None
        self.items: dict[int, BlockItem] = {}
        self.selected_id: int | None = None
        self._drag: _Drag | None = None
        self._waiting: tuple[Timetable, int | None] | None = None
        self._band = QGraphicsRectItem()
        self._band.setPen(QPen(self.palette().color(QPalette.ColorRole.Highlight), 1.5,
                               Qt.PenStyle.DashLine))
        self._band.setBrush(QColor(40, 110, 200, 40))
        self._band.setZValue(5)
        self._band.hide()
        self.scene().addItem(self._band)

    def sizeHint(self) -> QSize:
        return QSize(900, 520)

    # --- data ----------------------------------------------------------------------------

    def set_timetable(self, timetable: Timetable | None, select_id: int | None = None) -> None:
        """Show ``timetable`` (on the day shown so far if it still has it, else on the day of
        ``select_id``'s session, else the first day), selecting ``select_id``'s session."""
        if self._drag is not None:
            self._waiting = (timetable, select_id)
            return
        self.timetable = timetable
        if timetable is None:
            self.day = None
            self._rebuild()
            self.select(None)
            return
        days = timetable.days()
        chosen = timetable.block(select_id) if select_id is not None else None
        shown = self.day
        if chosen is not None:
            self.day = chosen.starts_at.date()
        elif self.day not in days:
            self.day = days[0]
        self._rebuild()
        if self.day != shown:
            self._scroll_to_start()
        self.select(select_id if chosen is not None else self.selected_id, emit=True)

    def days(self) -> list[date]:
        return self.timetable.days() if self.timetable else []

    def show_day(self, day: date) -> None:
        """Show another day of the timetable (the selection goes if it is not on it)."""
        if day == self.day or self.timetable is None:
            return
        self.day = day
        self._rebuild()
        self._scroll_to_start()
        if self.selected_id not in self.items:
            self.select(None)

    def blocks_of_day(self) -> list[Block]:
        if self.timetable is None or self.day is None:
            return []
        return [b for b in self.timetable.blocks
                if b.starts_at.date() <= self.day <= (b.ends_at - _EPSILON).date()]

    def apply_block(self, block: Block) -> None:
        """Show a session as just written (before the timetable is read again)."""
        if self.timetable is None:
            return
        blocks = tuple(block if b.id == block.id else b for b in self.timetable.blocks)
        self.timetable = replace(self.timetable, blocks=blocks)
        self._rebuild()

    def revert(self) -> None:
        """Put every block back where its data says (after a refused move)."""
        self._rebuild()

    # --- building ------------------------------------------------------------------------

    def _columns(self) -> list[Column]:
        rooms = self.timetable.rooms if self.timetable else ()
        return [Column(None, self.tr("No room"), None),
                *(Column(r.id, r.name, r.capacity) for r in rooms)]

    def _column_width(self, columns: int) -> float:
        return max(MIN_COLUMN_WIDTH, math.floor(self.viewport().width() / max(columns, 1)))

    def _day_range(self, blocks: list[Block]) -> tuple[int, int]:
        first, last = DAY_START_MINUTE, DAY_END_MINUTE
        for block in blocks:
            first = min(first, math.floor(minute_of(block.starts_at, self.day) / 60) * 60)
            last = max(last, math.ceil(minute_of(block.ends_at, self.day) / 60) * 60)
        return max(first, 0), min(last, 24 * 60)

    def _rebuild(self) -> None:
        blocks = self.blocks_of_day()
        if self.day is None:
            self.grid = None
        else:
            columns = self._columns()
            self.grid = DayGrid(self.day, columns, *self._day_range(blocks),
                                self._column_width(len(columns)))
        wanted = {b.id: b for b in blocks}
        for block_id in [i for i in self.items if i not in wanted]:
            self.scene().removeItem(self.items.pop(block_id))
        for block in blocks:
            messages = [c.message for c in self.timetable.conflicts_of(block.id)]
            item = self.items.get(block.id)
            if item is None:
                item = self.items[block.id] = BlockItem(block, messages)
                self.scene().addItem(item)
            else:
                item.set_block(block, messages)
            item.set_preview(None)
            item.set_selected(block.id == self.selected_id)
        self._layout()

    def _layout(self) -> None:
        grid = self.grid
        if grid is None:
            self.scene().setSceneRect(QRectF())
            self._refresh_margins()
            return
        by_column: dict[int, list[tuple[int, float, float]]] = {}
        for item in self.items.values():
            block = item.block
            column = grid.column_of(block.room_id)
            by_column.setdefault(column, []).append(
                (block.id, max(minute_of(block.starts_at, grid.day), grid.first_minute),
                 min(minute_of(block.ends_at, grid.day), grid.last_minute)))
        for column, spans in by_column.items():
            lanes = lanes_of(spans)
            for block_id, start, end in spans:
                self.items[block_id].set_frame(grid.block_rect(column, start, end,
                                                               *lanes[block_id]))
        self.scene().setSceneRect(grid.rect())
        self.resetCachedContent()
        self._refresh_margins()

    def _refresh_margins(self) -> None:
        self.header.update()
        self.gutter.update()
        self.viewport().update()

    def _scroll_to_start(self) -> None:
        """Show the day from shortly before its first session (or the conference's opening)."""
        if self.grid is None:
            return
        starts = [minute_of(i.block.starts_at, self.grid.day) for i in self.items.values()]
        first = min(starts, default=self._opening_minute())
        self.verticalScrollBar().setValue(round(self.grid.y(max(first - 30, 0))))

    def _opening_minute(self) -> float:
        timetable = self.timetable
        if timetable is not None and timetable.starts_at.date() == self.day:
            return minute_of(timetable.starts_at, self.day)
        return 9 * 60

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        rect = self.viewport().geometry()
        self.header.setGeometry(rect.left(), rect.top() - HEADER_HEIGHT, rect.width(),
                                HEADER_HEIGHT)
        self.gutter.setGeometry(rect.left() - GUTTER_WIDTH, rect.top(), GUTTER_WIDTH,
                                rect.height())
        if self.grid is not None:
            width = self._column_width(len(self.grid.columns))
            if width != self.grid.column_width:
                self.grid.column_width = width
                self._layout()
        self._refresh_margins()

    def scrollContentsBy(self, dx: int, dy: int) -> None:
        super().scrollContentsBy(dx, dy)
        if dx:
            self.header.update()
        if dy:
            self.gutter.update()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self._scroll_to_start()

    # --- the grid behind the blocks ------------------------------------------------------

    def drawBackground(self, painter: QPainter, rect: QRectF) -> None:
        """The grid: a line every 15 minutes (stronger on the hour) and between rooms, and the
        hours outside the conference shaded; only where ``rect`` is exposed (the view caches
        the background, so a drag repaints none of it)."""
        palette = self.palette()
        painter.fillRect(rect, palette.color(QPalette.ColorRole.Base))
        grid = self.grid
        if grid is None:
            return
        area = grid.rect()
        shown = rect.intersected(area)
        if shown.isEmpty():
            return
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)  # crisp, and faster
        self._shade_closed_hours(painter, grid, area)
        base = palette.color(QPalette.ColorRole.Base)
        mid = palette.color(QPalette.ColorRole.Mid)
        light, strong = _blend(base, mid, 0.25), _blend(base, mid, 0.6)
        quarters: list[QLineF] = []
        hours: list[QLineF] = []
        minute = math.ceil(grid.minute_at(shown.top()) / GRID_MINUTES) * GRID_MINUTES
        while minute <= min(grid.minute_at(shown.bottom()), grid.last_minute):
            y = round(grid.y(minute)) + 0.5
            (hours if minute % 60 == 0 else quarters).append(
                QLineF(shown.left(), y, shown.right(), y))
            minute += GRID_MINUTES
        for column in range(1, len(grid.columns) + 1):
            x = round(grid.x(column)) - 0.5
            if shown.left() <= x <= shown.right():
                hours.append(QLineF(x, shown.top(), x, shown.bottom()))
        painter.setPen(QPen(light, 1))
        painter.drawLines(quarters)
        painter.setPen(QPen(strong, 1))
        painter.drawLines(hours)

    def _shade_closed_hours(self, painter: QPainter, grid: DayGrid, area: QRectF) -> None:
        """Grey out the times of the day outside the conference's opening hours."""
        timetable = self.timetable
        shade = self.palette().color(QPalette.ColorRole.AlternateBase)
        opens = minute_of(timetable.starts_at, grid.day)
        closes = minute_of(timetable.ends_at, grid.day)
        if timetable.starts_at.date() != grid.day:
            opens = -math.inf if grid.day > timetable.starts_at.date() else math.inf
        if timetable.ends_at.date() != grid.day:
            closes = math.inf if grid.day < timetable.ends_at.date() else -math.inf
        top = grid.y(max(opens, grid.first_minute)) if opens != -math.inf else area.top()
        bottom = grid.y(min(closes, grid.last_minute)) if closes != math.inf else area.bottom()
        if top > area.top():
            painter.fillRect(QRectF(area.left(), area.top(), area.width(),
                                    min(top, area.bottom()) - area.top()), shade)
        if bottom < area.bottom():
            painter.fillRect(QRectF(area.left(), max(bottom, area.top()), area.width(),
                                    area.bottom() - max(bottom, area.top())), shade)

    # --- selection -----------------------------------------------------------------------

    def select(self, block_id: int | None, *, emit: bool = True) -> None:
        """Select the session ``block_id`` of the day shown (None: nothing) and show it."""
        if block_id is not None and block_id not in self.items:
            block_id = None
        changed = block_id != self.selected_id
        self.selected_id = block_id
        for item_id, item in self.items.items():
            item.set_selected(item_id == block_id)
        if block_id is not None:
            self.ensureVisible(self.items[block_id].frame(), 10, 30)
        if changed and emit:
            self.selection_changed.emit(-1 if block_id is None else block_id)

    def selected_block(self) -> Block | None:
        item = self.items.get(self.selected_id) if self.selected_id is not None else None
        return item.block if item else None

    def _block_at(self, scene_pos: QPointF) -> BlockItem | None:
        hits = [i for i in self.items.values() if i.frame().contains(scene_pos)]
        return max(hits, key=lambda i: i.zValue(), default=None)

    # --- the mouse -----------------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton or self.grid is None:
            super().mousePressEvent(event)
            return
        self.setFocus(Qt.FocusReason.MouseFocusReason)
        point = self.mapToScene(event.position().toPoint())
        item = self._block_at(point)
        grid = self.grid
        if item is not None:
            self.select(item.block.id)
            start = minute_of(item.block.starts_at, grid.day)
            end = minute_of(item.block.ends_at, grid.day)
            mode = RESIZE if point.y() >= item.frame().bottom() - EDGE_PX else MOVE
            self._drag = _Drag(mode, point, grid.column_of(item.block.room_id), start, end,
                               item, grid.minute_at(point.y()) - start)
        elif grid.rect().contains(point):
            self.select(None)
            anchor = snap(grid.minute_at(point.y()))
            self._drag = _Drag(CREATE, point, grid.column_at(point.x()), anchor, anchor,
                               anchor=anchor)
        event.accept()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        point = self.mapToScene(event.position().toPoint())
        drag = self._drag
        if drag is None:
            self._hover(point)
            return
        if not drag.started:
            moved = self.mapFromScene(point) - self.mapFromScene(drag.press)
            if moved.manhattanLength() < QApplication.startDragDistance():
                return
            drag.started = True
        {MOVE: self._drag_move, RESIZE: self._drag_resize,
         CREATE: self._drag_create}[drag.mode](drag, point)
        event.accept()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        drag, self._drag = self._drag, None
        if drag is None or event.button() != Qt.MouseButton.LeftButton:
            super().mouseReleaseEvent(event)
            return
        event.accept()
        if drag.started:
            self._finish(drag)
        if self._waiting is not None:
            timetable, select_id = self._waiting
            self._waiting = None
            self.set_timetable(timetable, select_id)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton or self.grid is None:
            super().mouseDoubleClickEvent(event)
            return
        self._drag = None
        point = self.mapToScene(event.position().toPoint())
        item = self._block_at(point)
        if item is not None:
            self.edit_requested.emit(item.block.id)
        elif self.grid.rect().contains(point):
            start = snap(self.grid.minute_at(point.y()) - GRID_MINUTES / 2, GRID_MINUTES)
            self._request_create(self.grid.column_at(point.x()), start,
                                 start + NEW_SESSION_MINUTES)
        event.accept()

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        """Edit or delete the block under the pointer, or create a session there."""
        if self.grid is None:
            return
        point = self.mapToScene(event.pos())
        item = self._block_at(point)
        menu = QMenu(self)
        if item is not None:
            block_id = item.block.id
            self.select(block_id)
            menu.addAction(self.tr("&Edit…"), lambda: self.edit_requested.emit(block_id))
            menu.addAction(self.tr("&Delete…"), lambda: self.delete_requested.emit(block_id))
        elif self.grid.rect().contains(point):
            column = self.grid.column_at(point.x())
            start = math.floor(self.grid.minute_at(point.y()) / GRID_MINUTES) * GRID_MINUTES
            menu.addAction(self.tr("&New session here…"), lambda: self._request_create(
                column, start, start + NEW_SESSION_MINUTES))
        if not menu.isEmpty():
            menu.exec(event.globalPos())

    def _hover(self, point: QPointF) -> None:
        item = self._block_at(point)
        if item is None:
            self.viewport().unsetCursor()
        elif point.y() >= item.frame().bottom() - EDGE_PX:
            self.viewport().setCursor(Qt.CursorShape.SizeVerCursor)
        else:
            self.viewport().setCursor(Qt.CursorShape.OpenHandCursor)

    def _drag_move(self, drag: _Drag, point: QPointF) -> None:
        grid = self.grid
        length = drag.end - drag.start
        start = grid.clamp_start(snap(grid.minute_at(point.y()) - drag.grab), length)
        column = grid.column_at(point.x())
        self._preview(drag, column, start, start + length)

    def _drag_resize(self, drag: _Drag, point: QPointF) -> None:
        grid = self.grid
        end = max(drag.start + SNAP_MINUTES,
                  min(snap(grid.minute_at(point.y())), grid.last_minute))
        self._preview(drag, drag.column, drag.start, end)

    def _drag_create(self, drag: _Drag, point: QPointF) -> None:
        grid = self.grid
        here = snap(grid.minute_at(point.y()))
        low, high = sorted((drag.anchor, here))
        drag.start, drag.end = low, max(high, low + GRID_MINUTES)
        self._band.setRect(grid.block_rect(drag.column, drag.start, drag.end))
        self._band.show()

    def _preview(self, drag: _Drag, column: int, start: float, end: float) -> None:
        grid = self.grid
        drag.column, drag.start, drag.end = column, start, end
        item = drag.item
        item.set_frame(grid.block_rect(column, start, end))
        item.setZValue(3)
        item.set_preview((at_minute(grid.day, start), at_minute(grid.day, end)))
        self.ensureVisible(item.frame(), 0, 20)

    def _finish(self, drag: _Drag) -> None:
        grid = self.grid
        if drag.mode == CREATE:
            self._band.hide()
            self._request_create(drag.column, drag.start, drag.end)
            return
        block = drag.item.block
        after = Placement(at_minute(grid.day, drag.start), at_minute(grid.day, drag.end),
                          grid.columns[drag.column].room_id)
        self._request_place(drag.mode, block, after)

    # --- the keyboard --------------------------------------------------------------------

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and self._takes(event):
            event.accept()
            return True
        return super().event(event)

    def _takes(self, event: QKeyEvent) -> bool:
        """Keys the timetable handles itself even where a window shortcut uses them."""
        return (event.key() in (*_ARROWS, Qt.Key.Key_Return, Qt.Key.Key_Enter,
                                Qt.Key.Key_Delete)
                or any(event.matches(key) for key in _OWN_SHORTCUTS))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        modifiers = event.modifiers() & _MODIFIERS
        if event.matches(QKeySequence.StandardKey.Undo):
            self.undo_requested.emit()
        elif event.matches(QKeySequence.StandardKey.Redo):
            self.redo_requested.emit()
        elif event.matches(QKeySequence.StandardKey.New):
            self.request_new()
        elif key in _ARROWS and modifiers == _CTRL:
            self._nudge(key)
        elif key in (Qt.Key.Key_Up, Qt.Key.Key_Down) and modifiers == _SHIFT:
            self._stretch(SNAP_MINUTES if key == Qt.Key.Key_Down else -SNAP_MINUTES)
        elif key in _ARROWS and modifiers == Qt.KeyboardModifier.NoModifier:
            self._step(key)
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.selected_id is not None:
            self.edit_requested.emit(self.selected_id)
        elif key == Qt.Key.Key_Delete and self.selected_id is not None:
            self.delete_requested.emit(self.selected_id)
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def _ordered(self, column: int) -> list[Block]:
        return sorted((i.block for i in self.items.values()
                       if self.grid.column_of(i.block.room_id) == column),
                      key=lambda b: (b.starts_at, b.ends_at, b.id))

    def _step(self, key: Qt.Key) -> None:
        """Select the block above/below in the room, or the nearest in the room beside."""
        if self.grid is None or not self.items:
            return
        current = self.selected_block()
        if current is None:
            first = min((i.block for i in self.items.values()),
                        key=lambda b: (b.starts_at, self.grid.column_of(b.room_id)))
            self.select(first.id)
            return
        column = self.grid.column_of(current.room_id)
        if key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            ordered = self._ordered(column)
            index = ordered.index(current) + (1 if key == Qt.Key.Key_Down else -1)
            if 0 <= index < len(ordered):
                self.select(ordered[index].id)
            return
        step = 1 if key == Qt.Key.Key_Right else -1
        column += step
        while 0 <= column < len(self.grid.columns):
            candidates = self._ordered(column)
            if candidates:
                nearest = min(candidates, key=lambda b: abs(
                    (b.starts_at - current.starts_at).total_seconds()))
                self.select(nearest.id)
                return
            column += step

    def _nudge(self, key: Qt.Key) -> None:
        """Ctrl+Up/Down: 5 minutes earlier/later; Ctrl+Left/Right: the room beside."""
        block = self.selected_block()
        if block is None:
            return
        grid = self.grid
        start = minute_of(block.starts_at, grid.day)
        end = minute_of(block.ends_at, grid.day)
        column = grid.column_of(block.room_id)
        if key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            shift = SNAP_MINUTES if key == Qt.Key.Key_Down else -SNAP_MINUTES
            start, end = start + shift, end + shift
            if start < 0 or end > 24 * 60:
                return
        else:
            column += 1 if key == Qt.Key.Key_Right else -1
            if not 0 <= column < len(grid.columns):
                return
        self._request_place(MOVE, block, Placement(at_minute(grid.day, start),
                                                   at_minute(grid.day, end),
                                                   grid.columns[column].room_id))

    def _stretch(self, minutes: int) -> None:
        block = self.selected_block()
        if block is None:
            return
        end = block.ends_at + _minutes(minutes)
        if end - block.starts_at < _minutes(SNAP_MINUTES):
            return
        self._request_place(RESIZE, block, Placement(block.starts_at, end, block.room_id))

    def request_new(self) -> None:
        """Ask for a new session: after the selected one in its room, else at the opening
        of the day in the first room."""
        grid = self.grid
        if grid is None:
            return
        block = self.selected_block()
        if block is not None:
            start = minute_of(block.ends_at, grid.day)
            column = grid.column_of(block.room_id)
        else:
            start = max(self._opening_minute(), grid.first_minute)
            column = 1 if len(grid.columns) > 1 else 0
        self._request_create(column, start, start + NEW_SESSION_MINUTES)

    # --- requests ------------------------------------------------------------------------

    def _request_place(self, mode: str, block: Block, after: Placement) -> None:
        before = Placement(block.starts_at, block.ends_at, block.room_id)
        if after == before:
            self.revert()
            return
        signal = self.resize_requested if mode == RESIZE else self.move_requested
        signal.emit(block, before, after)

    def _request_create(self, column: int, start: float, end: float) -> None:
        grid = self.grid
        self.create_requested.emit(Placement(at_minute(grid.day, start),
                                             at_minute(grid.day, end),
                                             grid.columns[column].room_id))

    # --- for the margins -----------------------------------------------------------------

    def view_x(self, scene_x: float) -> float:
        return self.mapFromScene(QPointF(scene_x, 0)).x()

    def view_y(self, scene_y: float) -> float:
        return self.mapFromScene(QPointF(0, scene_y)).y()


def _blend(base: QColor, other: QColor, amount: float) -> QColor:
    """``other`` laid over ``base`` at ``amount`` opacity, as an opaque colour."""
    return QColor(*(round(b + (o - b) * amount) for b, o in (
        (base.red(), other.red()), (base.green(), other.green()),
        (base.blue(), other.blue()))))


def _minutes(n: int) -> timedelta:
    return timedelta(minutes=n)


_EPSILON = timedelta(microseconds=1)  # a session ending at midnight belongs to its first day
