"""The stakeholder map drawn as a graphics scene: the influence x interest grid with its four
quadrants, one dot per assessed person (coloured by organisation kind, spread inside its
cell), a legend and a note on the persons not assessed yet.

Scene coordinates: interest 1..5 from left to right, influence 1..5 from bottom to top, one
``CELL`` square per score pair. Everything a PNG export needs is in the scene.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication, QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPen
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsScene,
    QGraphicsSimpleTextItem,
    QGraphicsTextItem,
    QStyleOptionGraphicsItem,
)

from smartconf.core.enums import OrganisationKind
from smartconf.services.person_search import HIGH, QUADRANTS
from smartconf.services.stakeholder_map import MapPoint
from smartconf.ui.formatting import fill
from smartconf.ui.labels import label

SCORES = range(1, 6)
CELL = 110.0  # side of one score cell, in scene units
LEFT, TOP = 64.0, 16.0  # room for the influence axis and above the grid
GRID = CELL * len(SCORES)
LABEL_STRIP = 24.0  # top of the cells under a quadrant's label, kept free of dots
CELL_PADDING = 8.0
DOT_RADIUS = 7.0
DOT_PITCH = 22.0  # at most this far apart, centre to centre
LEGEND_GAP, LEGEND_WIDTH = 36.0, 250.0
WHITE = QColor("#ffffff")

# Twelve kinds and "no organisation", told apart by hue and lightness.
KIND_COLOURS: dict[OrganisationKind | None, QColor] = {
    OrganisationKind.MINISTRY: QColor("#1f5fa8"),
    OrganisationKind.AGENCY: QColor("#17a2b8"),
    OrganisationKind.REGULATOR: QColor("#7b4fc4"),
    OrganisationKind.PARLIAMENT: QColor("#8c564b"),
    OrganisationKind.POLICE_SECURITY: QColor("#1b2a5c"),
    OrganisationKind.CRITICAL_INFRASTRUCTURE: QColor("#f07f0e"),
    OrganisationKind.PRIVATE_COMPANY: QColor("#a9a91c"),
    OrganisationKind.ACADEMIA: QColor("#2a9d3a"),
    OrganisationKind.CIVIL_SOCIETY: QColor("#e05fb4"),
    OrganisationKind.MEDIA: QColor("#d62728"),
    OrganisationKind.INTERNATIONAL: QColor("#4e6b2c"),
    OrganisationKind.EMBASSY_DONOR: QColor("#d9a520"),
    None: QColor("#9a9a9a"),
}
QUADRANT_TINTS = {"manage_closely": QColor("#fbe0de"), "keep_satisfied": QColor("#fdf1d6"),
                  "keep_informed": QColor("#e0edfb"), "monitor": QColor("#eeeeee")}
_CONTEXT = "stakeholder_map"


def quadrant_names() -> dict[str, str]:
    """Translated names of the four quadrants, by key of ``QUADRANTS``."""
    translate = QCoreApplication.translate
    return {"manage_closely": translate(_CONTEXT, "Manage closely"),
            "keep_satisfied": translate(_CONTEXT, "Keep satisfied"),
            "keep_informed": translate(_CONTEXT, "Keep informed"),
            "monitor": translate(_CONTEXT, "Monitor")}


def kind_label(kind: OrganisationKind | None) -> str:
    """The translated organisation kind, or "No organisation"."""
    return QCoreApplication.translate(_CONTEXT, "No organisation") if kind is None else label(kind)


# --- geometry ------------------------------------------------------------------------------

def cell_rect(influence: int, interest: int) -> QRectF:
    """The square of one score pair in scene coordinates."""
    return QRectF(LEFT + (interest - 1) * CELL, TOP + (5 - influence) * CELL, CELL, CELL)


def quadrant_rect(key: str) -> QRectF:
    """The cells of a quadrant: "high" is a score of ``person_search.HIGH`` or more."""
    high_influence, high_interest = QUADRANTS[key]
    top_left = cell_rect(5 if high_influence else HIGH - 1, HIGH if high_interest else 1)
    bottom_right = cell_rect(HIGH if high_influence else 1, 5 if high_interest else HIGH - 1)
    return top_left.united(bottom_right)


def dot_area(influence: int, interest: int) -> QRectF:
    """Where the dots of a cell go: the cell less its padding, and less the label strip in
    the top row of a quadrant."""
    area = cell_rect(influence, interest).adjusted(CELL_PADDING, CELL_PADDING,
                                                   -CELL_PADDING, -CELL_PADDING)
    if influence in (5, HIGH - 1):
        area.setTop(area.top() + LABEL_STRIP)
    return area


def spread(count: int, area: QRectF) -> tuple[list[QPointF], float]:
    """Centres for ``count`` dots on a small grid centred in ``area`` (in reading order),
    and a dot radius at which no two of them touch."""
    if count <= 0:
        return [], DOT_RADIUS
    columns = math.ceil(math.sqrt(count * area.width() / area.height()))
    rows = math.ceil(count / columns)
    pitch = min(DOT_PITCH, area.width() / columns, area.height() / rows)
    radius = min(DOT_RADIUS, pitch * 0.4)
    origin = area.center() - QPointF((columns - 1) * pitch / 2, (rows - 1) * pitch / 2)
    centres = [origin + QPointF((i % columns) * pitch, (i // columns) * pitch)
               for i in range(count)]
    return centres, radius


# --- items ---------------------------------------------------------------------------------

class DotItem(QGraphicsItem):
    """One person: selectable and focusable, enlarged under the mouse, with a tooltip."""

    def __init__(self, point: MapPoint, radius: float) -> None:
        super().__init__()
        self.point = point
        self.radius = radius
        self.hovered = False
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable)
        self.setAcceptHoverEvents(True)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setZValue(2)
        self.setToolTip(self.description())

    @property
    def person_id(self) -> int:
        return self.point.person_id

    def description(self) -> str:
        """Name, organisation and scores, as the tooltip and the status line show them."""
        scores = fill(QCoreApplication.translate(_CONTEXT, "Influence %1, interest %2"),
                      self.point.influence, self.point.interest)
        return "\n".join((self.point.name, self.point.organisation or kind_label(None), scores))

    def colour(self) -> QColor:
        return KIND_COLOURS[self.point.organisation_kind]

    def boundingRect(self) -> QRectF:
        extent = self.radius * 1.6 + 3
        return QRectF(-extent, -extent, 2 * extent, 2 * extent)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget=None) -> None:
        radius = self.radius * (1.5 if self.hovered else 1.0)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(WHITE, max(1.0, radius * 0.2)))
        painter.setBrush(QBrush(self.colour()))
        painter.drawEllipse(QPointF(0, 0), radius, radius)
        if self.isSelected():
            painter.setPen(QPen(QColor("#000000"), 2.0))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawEllipse(QPointF(0, 0), radius + 2.5, radius + 2.5)

    def hoverEnterEvent(self, event) -> None:
        self.hovered = True
        self.setZValue(3)
        self.update()
        super().hoverEnterEvent(event)

    def hoverLeaveEvent(self, event) -> None:
        self.hovered = False
        self.setZValue(2)
        self.update()
        super().hoverLeaveEvent(event)


def _text(scene: QGraphicsScene, text: str, *, bold: bool = False, size: float = 0,
          colour: str = "#202020") -> QGraphicsSimpleTextItem:
    item = scene.addSimpleText(text)
    font = QFont(item.font())
    font.setBold(bold)
    if size:
        font.setPointSizeF(size)
    item.setFont(font)
    item.setBrush(QBrush(QColor(colour)))
    return item


# --- the scene -----------------------------------------------------------------------------

class StakeholderMapScene(QGraphicsScene):
    """The map of a list of points; ``dots`` in reading order (top row first)."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setBackgroundBrush(QBrush(WHITE))
        self.dots: list[DotItem] = []
        self.unassessed = 0
        self.note_item: QGraphicsTextItem | None = None
        self.legend_counts: Counter = Counter()
        self.set_points([])

    def set_points(self, points: Sequence[MapPoint]) -> None:
        """Draw the map of ``points`` (those without an assessment are only counted)."""
        self.clear()
        self.dots = []
        assessed = [p for p in points if p.assessed]
        self.unassessed = len(points) - len(assessed)
        self.legend_counts = Counter(p.organisation_kind for p in assessed)
        self._draw_grid()
        self._draw_dots(assessed)
        self._draw_legend(len(points))
        self.setSceneRect(self.itemsBoundingRect().adjusted(-12, -12, 12, 12))

    def note_text(self) -> str:
        """The line on the persons that are not on the map (empty when all are)."""
        return self.note_item.toPlainText() if self.note_item is not None else ""

    def dot_of(self, person_id: int) -> DotItem | None:
        return next((d for d in self.dots if d.person_id == person_id), None)

    def _draw_grid(self) -> None:
        names = quadrant_names()
        for key, tint in QUADRANT_TINTS.items():
            rect = quadrant_rect(key)
            self.addRect(rect, QPen(Qt.PenStyle.NoPen), QBrush(tint))
            caption = _text(self, names[key], bold=True)
            caption.setPos(rect.left() + 8, rect.top() + 5)
            caption.setZValue(1)  # above the grid lines
        thin = QPen(QColor("#ffffff"), 2)
        for i in range(1, 5):
            self.addLine(LEFT + i * CELL, TOP, LEFT + i * CELL, TOP + GRID, thin)
            self.addLine(LEFT, TOP + i * CELL, LEFT + GRID, TOP + i * CELL, thin)
        split = QPen(QColor("#606060"), 2)
        middle_x, middle_y = LEFT + (HIGH - 1) * CELL, TOP + (6 - HIGH) * CELL
        self.addLine(middle_x, TOP, middle_x, TOP + GRID, split)
        self.addLine(LEFT, middle_y, LEFT + GRID, middle_y, split)
        self.addRect(QRectF(LEFT, TOP, GRID, GRID), QPen(QColor("#606060"), 1))
        self._draw_axes()

    def _draw_axes(self) -> None:
        for score in SCORES:
            x_tick = _text(self, str(score), colour="#505050")
            cell = cell_rect(1, score)
            x_tick.setPos(cell.center().x() - x_tick.boundingRect().width() / 2,
                          TOP + GRID + 4)
            y_tick = _text(self, str(score), colour="#505050")
            row = cell_rect(score, 1)
            y_tick.setPos(LEFT - 8 - y_tick.boundingRect().width(),
                          row.center().y() - y_tick.boundingRect().height() / 2)
        interest = _text(self, QCoreApplication.translate(_CONTEXT, "Interest →"), bold=True)
        interest.setPos(LEFT + GRID / 2 - interest.boundingRect().width() / 2, TOP + GRID + 24)
        influence = _text(self, QCoreApplication.translate(_CONTEXT, "Influence →"), bold=True)
        influence.setRotation(-90)
        influence.setPos(LEFT - 50, TOP + GRID / 2 + influence.boundingRect().width() / 2)

    def _draw_dots(self, points: Sequence[MapPoint]) -> None:
        by_cell: dict[tuple[int, int], list[MapPoint]] = defaultdict(list)
        for point in points:
            by_cell[(point.influence, point.interest)].append(point)
        for influence in reversed(SCORES):  # reading order: top row first
            for interest in SCORES:
                cell = by_cell.get((influence, interest), [])
                centres, radius = spread(len(cell), dot_area(influence, interest))
                for point, centre in zip(cell, centres, strict=True):
                    dot = DotItem(point, radius)
                    dot.setPos(centre)
                    self.addItem(dot)
                    self.dots.append(dot)

    def _draw_legend(self, total: int) -> None:
        translate = QCoreApplication.translate
        x, y = LEFT + GRID + LEGEND_GAP, TOP
        _text(self, translate(_CONTEXT, "Organisation kind"), bold=True).setPos(x, y)
        y += 28
        kinds = [k for k in KIND_COLOURS if self.legend_counts[k]]
        for kind in kinds:
            entry = _text(self, f"{kind_label(kind)} ({self.legend_counts[kind]})")
            entry.setPos(x + 24, y)
            middle = y + entry.boundingRect().height() / 2
            self.addEllipse(QRectF(x + 2, middle - DOT_RADIUS, 2 * DOT_RADIUS, 2 * DOT_RADIUS),
                            QPen(WHITE, 1.5), QBrush(KIND_COLOURS[kind]))
            y += 24
        if not kinds:
            _text(self, translate(_CONTEXT, "Nobody is on the map."),
                  colour="#606060").setPos(x, y)
            y += 24
        self.note_item = None
        if self.unassessed or not total:
            self._draw_note(x, y + 16, total)

    def _draw_note(self, x: float, y: float, total: int) -> None:
        translate = QCoreApplication.translate
        if not total:
            text = translate(_CONTEXT, "No persons match the current filter.")
        elif self.unassessed == 1:
            text = translate(_CONTEXT, "1 person has no assessment yet and is not on the map.")
        else:
            text = translate(_CONTEXT, "%n persons have no assessment yet and are not on "
                                       "the map.", "", self.unassessed)
        self.note_item = self.addText(text)
        self.note_item.setTextWidth(LEGEND_WIDTH)
        self.note_item.setDefaultTextColor(QColor("#505050"))
        self.note_item.setPos(x - 4, y)
