"""The margins of the timetable: the rooms above the columns and the hours beside the rows.
They sit in the view's viewport margins and follow its scrolling (``view_x``/``view_y``)."""

from __future__ import annotations

import math
from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, QPointF, QRectF, Qt
from PySide6.QtGui import QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QWidget

from smartconf.ui.formatting import fill, format_time

if TYPE_CHECKING:
    from smartconf.ui.planning.timetable import TimetableView


class RoomHeader(QWidget):
    """The rooms above the columns (with their seats), scrolled with the view."""

    def __init__(self, view: TimetableView) -> None:
        super().__init__(view)
        self.view = view

    def paintEvent(self, _event: QPaintEvent) -> None:
        grid = self.view.grid
        painter = QPainter(self)
        palette = self.palette()
        painter.fillRect(self.rect(), palette.color(QPalette.ColorRole.Button))
        if grid is None:
            return
        bold = self.font()
        bold.setBold(True)
        metrics_height = self.fontMetrics().height()
        for index, column in enumerate(grid.columns):
            left = self.view.view_x(grid.x(index))
            cell = QRectF(left + 6, 0, grid.column_width - 12, self.height())
            painter.setPen(palette.color(QPalette.ColorRole.ButtonText))
            painter.setFont(bold)
            name_rect = QRectF(cell.left(), 2, cell.width(), metrics_height + 2)
            painter.drawText(name_rect, int(Qt.AlignmentFlag.AlignLeft
                                            | Qt.AlignmentFlag.AlignVCenter),
                             self.fontMetrics().elidedText(column.name,
                                                           Qt.TextElideMode.ElideRight,
                                                           int(cell.width())))
            painter.setFont(self.font())
            painter.setPen(palette.color(QPalette.ColorRole.PlaceholderText))
            seats = (fill(self.tr("%1 seats"), column.capacity) if column.capacity else
                     self.tr("sessions without a room") if column.room_id is None else "")
            painter.drawText(QRectF(cell.left(), name_rect.bottom(), cell.width(),
                                    self.height() - name_rect.bottom()),
                             int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop), seats)
            painter.setPen(palette.color(QPalette.ColorRole.Mid))
            right = round(left + grid.column_width) - 0.5
            painter.drawLine(QPointF(right, 4), QPointF(right, self.height() - 4))
        painter.setPen(palette.color(QPalette.ColorRole.Mid))
        painter.drawLine(QPoint(0, self.height() - 1), QPoint(self.width(), self.height() - 1))


class TimeGutter(QWidget):
    """The hours (and half hours) beside the rows, scrolled with the view."""

    def __init__(self, view: TimetableView) -> None:
        super().__init__(view)
        self.view = view

    def paintEvent(self, _event: QPaintEvent) -> None:
        grid = self.view.grid
        painter = QPainter(self)
        palette = self.palette()
        painter.fillRect(self.rect(), palette.color(QPalette.ColorRole.Button))
        if grid is None:
            return
        small = self.font()
        small.setPointSizeF(small.pointSizeF() * 0.85)
        half_hour = 30
        minute = math.ceil(grid.first_minute / half_hour) * half_hour
        height = self.fontMetrics().height()
        while minute <= grid.last_minute:
            y = self.view.view_y(grid.y(minute))
            if minute == grid.first_minute and abs(y) < height / 2:
                y = height / 2  # the top of the day in full, not cut in half
            if -height < y < self.height() + height:
                whole = minute % 60 == 0
                painter.setFont(self.font() if whole else small)
                painter.setPen(palette.color(QPalette.ColorRole.ButtonText if whole else
                                             QPalette.ColorRole.PlaceholderText))
                text = format_time(datetime(2000, 1, 1, minute // 60 % 24, minute % 60))
                painter.drawText(QRectF(0, y - height / 2, self.width() - 8, height),
                                 int(Qt.AlignmentFlag.AlignRight
                                     | Qt.AlignmentFlag.AlignVCenter), text)
            minute += half_hour
        painter.setPen(palette.color(QPalette.ColorRole.Mid))
        painter.drawLine(QPoint(self.width() - 1, 0), QPoint(self.width() - 1, self.height()))
