"""Adding or editing a room of a conference: its name and how many it seats."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QLineEdit, QWidget

from smartconf.services.overview import RoomRow
from smartconf.ui.crm.form import FormDialog
from smartconf.ui.formatting import fill
from smartconf.ui.planning.fields import seats_spin, seats_value

Submit = Callable[[str, int | None], None]


class RoomDialog(FormDialog):
    """Name and capacity; ``on_submit(name, capacity)`` writes them (ValidationError: shown
    under the field, nothing written)."""

    def __init__(self, room: RoomRow | None, on_submit: Submit,
                 parent: QWidget | None = None) -> None:
        super().__init__("", parent)
        self.setObjectName("room_dialog")
        self.setWindowTitle(self.tr("New room") if room is None else
                            fill(self.tr("Edit room %1"), room.name))
        self._on_submit = on_submit
        self.name = self.add_field(self.tr("&Name"), QLineEdit(room.name if room else ""),
                                   "name")
        self.capacity = self.add_field(self.tr("&Seats"),
                                       seats_spin(room.capacity if room else None), "capacity")
        self.setMinimumWidth(360)

    def submit(self) -> None:
        self._on_submit(self.name.text(), seats_value(self.capacity))
