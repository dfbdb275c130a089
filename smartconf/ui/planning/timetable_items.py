"""What the timetable draws: the day's grid (rooms as columns, minutes as rows) and the
session blocks."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cache

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPalette, QPen
from PySide6.QtWidgets import QApplication, QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from smartconf.core.enums import AgendaSessionKind
from smartconf.services.timetable import Block
from smartconf.ui.formatting import format_time
from smartconf.ui.labels import label

SNAP_MINUTES = 5
GRID_MINUTES = 15
DAY_START_MINUTE = 7 * 60
DAY_END_MINUTE = 20 * 60
PX_PER_MINUTE = 1.2  # 15 minutes: 18 px
MIN_COLUMN_WIDTH = 150
LANE_GAP = 3
BLOCK_MARGIN = 2
CONFLICT_COLOUR = QColor(200, 30, 30)
_TOP_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop  # combined once: slow in Python
KIND_COLOURS = {
    AgendaSessionKind.OPENING: QColor(27, 127, 121),
    AgendaSessionKind.KEYNOTE: QColor(106, 63, 160),
    AgendaSessionKind.PANEL: QColor(31, 95, 168),
    AgendaSessionKind.WORKSHOP: QColor(46, 125, 50),
    AgendaSessionKind.BREAK: QColor(128, 128, 128),
    AgendaSessionKind.CLOSING: QColor(192, 102, 26),
}


def kind_colour(kind: AgendaSessionKind) -> QColor:
    return KIND_COLOURS.get(kind, QColor(90, 90, 90))


def tint(colour: QColor, amount: float) -> QColor:
    """``colour`` mixed with white (0: the colour, 1: white)."""
    return QColor(*(round(c + (255 - c) * amount) for c in
                    (colour.red(), colour.green(), colour.blue())))


def snap(minutes: float, step: int = SNAP_MINUTES) -> int:
    """``minutes`` rounded to the nearest ``step``."""
    return int(round(minutes / step) * step)


def minute_of(moment: datetime, day: date) -> float:
    """Minutes from the start of ``day`` to ``moment`` (both naive wall times)."""
    return (moment - datetime.combine(day, time())).total_seconds() / 60


def at_minute(day: date, minutes: float) -> datetime:
    return datetime.combine(day, time()) + timedelta(minutes=minutes)


@dataclass(frozen=True, slots=True)
class Column:
    """A room of the timetable (``room_id`` None: sessions without a room)."""

    room_id: int | None
    name: str
    capacity: int | None


class DayGrid:
    """The geometry of one day: scene x by column, scene y by minute of the day."""

    def __init__(self, day: date, columns: Sequence[Column], first_minute: int,
                 last_minute: int, column_width: float) -> None:
        self.day = day
        self.columns = list(columns)
        self.first_minute = first_minute
        self.last_minute = last_minute
        self.column_width = column_width

    def y(self, minute: float) -> float:
        return (minute - self.first_minute) * PX_PER_MINUTE

    def minute_at(self, y: float) -> float:
        return self.first_minute + y / PX_PER_MINUTE

    def x(self, column: int) -> float:
        return column * self.column_width

    def column_at(self, x: float) -> int:
        """The column under scene x, clamped to the grid."""
        return max(0, min(len(self.columns) - 1, math.floor(x / self.column_width)))

    def column_of(self, room_id: int | None) -> int:
        return next((i for i, c in enumerate(self.columns) if c.room_id == room_id), 0)

    def rect(self) -> QRectF:
        return QRectF(0, 0, self.x(len(self.columns)), self.y(self.last_minute))

    def block_rect(self, column: int, start: float, end: float, lane: int = 0,
                   lanes: int = 1) -> QRectF:
        """Where a session of ``column`` from minute ``start`` to ``end`` is drawn, in lane
        ``lane`` of ``lanes`` side by side (sessions that overlap in one room)."""
        width = (self.column_width - 2 * BLOCK_MARGIN - (lanes - 1) * LANE_GAP) / lanes
        left = self.x(column) + BLOCK_MARGIN + lane * (width + LANE_GAP)
        top = self.y(start) + 1
        return QRectF(left, top, width, max(self.y(end) - top - 1, 4))

    def clamp_start(self, start: float, length: float) -> float:
        return max(self.first_minute, min(self.last_minute - length, start))


def lanes_of(spans: Sequence[tuple[int, float, float]]) -> dict[int, tuple[int, int]]:
    """Side-by-side lanes for overlapping spans (id, start, end) of one column:
    id -> (lane, lanes in its group of overlapping spans)."""
    result: dict[int, tuple[int, int]] = {}
    group: list[tuple[int, int]] = []  # (id, lane) of the current group
    lane_ends: list[float] = []
    group_end = -math.inf
    for span_id, start, end in sorted(spans, key=lambda s: (s[1], s[2], s[0])):
        if group and start >= group_end:
            result.update((member, (lane, len(lane_ends))) for member, lane in group)
            group, lane_ends, group_end = [], [], -math.inf
        lane = next((i for i, lane_end in enumerate(lane_ends) if lane_end <= start),
                    len(lane_ends))
        if lane == len(lane_ends):
            lane_ends.append(end)
        else:
            lane_ends[lane] = end
        group.append((span_id, lane))
        group_end = max(group_end, end)
    result.update((member, (lane, len(lane_ends))) for member, lane in group)
    return result


@dataclass(frozen=True)
class _Fonts:
    small: QFont
    small_bold: QFont
    title: QFont
    small_metrics: QFontMetricsF
    small_bold_metrics: QFontMetricsF
    title_metrics: QFontMetricsF


@cache
def _fonts(base_key: str) -> _Fonts:
    """The fonts of the blocks for the application font ``base_key`` (made once)."""
    base = QFont()
    base.fromString(base_key)
    small = QFont(base)
    small.setPointSizeF(base.pointSizeF() * 0.85)
    small_bold = QFont(small)
    small_bold.setBold(True)
    title = QFont(base)
    title.setPointSizeF(base.pointSizeF() * 0.92)
    title.setBold(True)
    return _Fonts(small, small_bold, title, QFontMetricsF(small), QFontMetricsF(small_bold),
                  QFontMetricsF(title))


class BlockItem(QGraphicsItem):
    """A session on the timetable: kind colour, time, title and speakers; a red border and the
    conflicts in its tooltip when it has any; outlined when selected."""

    def __init__(self, block: Block, conflicts: Sequence[str] = ()) -> None:
        super().__init__()
        self.block = block
        self.conflicts = tuple(conflicts)
        self.selected = False
        self.preview: tuple[datetime, datetime] | None = None  # times while dragged
        self._size = QRectF()
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.setZValue(1)
        self._update_tooltip()

    # --- state ---------------------------------------------------------------------------

    def set_block(self, block: Block, conflicts: Sequence[str]) -> None:
        if (block, tuple(conflicts)) != (self.block, self.conflicts):
            self.block, self.conflicts = block, tuple(conflicts)
            self._update_tooltip()
            self.update()

    def set_selected(self, selected: bool) -> None:
        self.setZValue(2 if selected else 1)
        if selected != self.selected:
            self.selected = selected
            self.update()

    def set_preview(self, times: tuple[datetime, datetime] | None) -> None:
        if times != self.preview:
            self.preview = times
            self.update()

    def set_frame(self, rect: QRectF) -> None:
        """Put the block at scene ``rect``."""
        if rect.size() != self._size.size():
            self.prepareGeometryChange()
            self._size = QRectF(QPointF(0, 0), rect.size())
        self.setPos(rect.topLeft())

    def frame(self) -> QRectF:
        """The block's rectangle in scene coordinates."""
        return self._size.translated(self.pos())

    def times(self) -> tuple[datetime, datetime]:
        return self.preview or (self.block.starts_at, self.block.ends_at)

    def time_text(self) -> str:
        start, end = self.times()
        return f"{format_time(start)}–{format_time(end)}"

    def people_text(self) -> str:
        return ", ".join((*self.block.speakers, *self.block.moderators))

    def _update_tooltip(self) -> None:
        lines = [f"<b>{_html(self.block.title)}</b>",
                 f"{self.time_text()} · {_html(label(self.block.kind))}"]
        if self.people_text():
            lines.append(_html(self.people_text()))
        lines += [f"<span style='color:#c81e1e'>⚠ {_html(message)}</span>"
                  for message in self.conflicts]
        self.setToolTip("<br>".join(lines))

    # --- painting ------------------------------------------------------------------------

    def boundingRect(self) -> QRectF:
        return self._size.adjusted(-2, -2, 2, 2)

    def paint(self, painter: QPainter, _option: QStyleOptionGraphicsItem,
              _widget: QWidget | None = None) -> None:
        rect = self._size
        colour = kind_colour(self.block.kind)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(tint(colour, 0.72 if self.selected else 0.84))
        painter.drawRoundedRect(rect, 3, 3)
        painter.setBrush(colour)
        painter.drawRoundedRect(QRectF(rect.left(), rect.top(), 4, rect.height()), 2, 2)
        self._paint_border(painter, rect, colour)
        self._paint_text(painter, rect.adjusted(8, 2, -4, -2))

    def _paint_border(self, painter: QPainter, rect: QRectF, colour: QColor) -> None:
        painter.setBrush(Qt.BrushStyle.NoBrush)
        if self.conflicts:
            painter.setPen(QPen(CONFLICT_COLOUR, 2.2))
        elif self.selected:
            painter.setPen(QPen(QApplication.palette().color(QPalette.ColorRole.Highlight), 2.2))
        else:
            painter.setPen(QPen(tint(colour, 0.45), 1))
        painter.drawRoundedRect(rect.adjusted(0.5, 0.5, -0.5, -0.5), 3, 3)
        if self.selected and self.conflicts:  # selected and in conflict: both outlines
            painter.setPen(QPen(QApplication.palette().color(QPalette.ColorRole.Highlight), 1.5,
                                Qt.PenStyle.DashLine))
            painter.drawRoundedRect(rect.adjusted(3, 3, -3, -3), 2, 2)

    def _paint_text(self, painter: QPainter, area: QRectF) -> None:
        if area.height() < 6 or area.width() < 12:
            return
        fonts = _fonts(QApplication.font().toString())
        painter.setPen(QColor(30, 30, 30))
        line = fonts.title_metrics.lineSpacing()
        if area.height() < fonts.small_bold_metrics.lineSpacing() + fonts.title_metrics.height():
            # room for one line only: the time and the title
            self._line(painter, fonts.small_bold, fonts.small_bold_metrics, area, area.top(),
                       f"{self.time_text()}  {self.block.title}")
            return
        top = self._line(painter, fonts.small_bold, fonts.small_bold_metrics, area, area.top(),
                         self._heading_text())
        room_for_title = area.bottom() - top
        people = self.people_text()
        if people and room_for_title > 2 * line:
            room_for_title -= fonts.small_metrics.lineSpacing()
        lines = max(1, int(room_for_title // line))
        title = self._wrapped(self.block.title, fonts.title_metrics, area.width(), lines)
        title_rect = QRectF(area.left(), top, area.width(), (title.count("\n") + 1) * line)
        painter.setFont(fonts.title)
        painter.drawText(title_rect, _TOP_LEFT, title)
        if people:
            painter.setPen(QColor(70, 70, 70))
            self._line(painter, fonts.small, fonts.small_metrics, area, title_rect.bottom() + 1,
                       people)

    def _heading_text(self) -> str:
        return f"{self.time_text()}  {label(self.block.kind)}"

    @staticmethod
    def _line(painter: QPainter, font: QFont, metrics: QFontMetricsF, area: QRectF, top: float,
              text: str) -> float:
        """One line of ``text`` at ``top`` if it fits, elided; returns the next line's top."""
        if top + metrics.height() > area.bottom() + 1:
            return top
        painter.setFont(font)
        painter.drawText(QPointF(area.left(), top + metrics.ascent()),
                         metrics.elidedText(text, Qt.TextElideMode.ElideRight, area.width()))
        return top + metrics.lineSpacing()

    @staticmethod
    def _wrapped(text: str, metrics: QFontMetricsF, width: float, lines: int) -> str:
        """``text`` wrapped into at most ``lines`` lines of ``width``, the last one elided."""
        wrapped: list[str] = []
        current = ""
        for word in text.split():
            candidate = f"{current} {word}".strip()
            if current and metrics.horizontalAdvance(candidate) > width:
                wrapped.append(current)
                current = word
            else:
                current = candidate
        if current:
            wrapped.append(current)
        if len(wrapped) > lines:
            wrapped = [*wrapped[:lines - 1], " ".join(wrapped[lines - 1:])]
        return "\n".join(metrics.elidedText(line, Qt.TextElideMode.ElideRight, width)
                         for line in wrapped)


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
