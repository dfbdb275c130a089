"""Creating and editing an agenda session: kind, title, description, room, start and end (wall
times of the conference), moderators, speakers and rapporteurs, and the findings of the
linked reports it presents."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from PySide6.QtWidgets import QComboBox, QLineEdit, QPlainTextEdit, QWidget

from smartconf.core.enums import AgendaSessionKind
from smartconf.services.overview import Choice, RoomRow
from smartconf.services.planning import AgendaSessionInput
from smartconf.ui.crm.choice_list import ChoiceList
from smartconf.ui.crm.context import CrmContext
from smartconf.ui.crm.form import FormDialog
from smartconf.ui.crm.person_dialog import select_value
from smartconf.ui.formatting import fill
from smartconf.ui.planning.fields import enum_combo, from_qdatetime, keep_duration, wall_edit
from smartconf.ui.planning.people_picker import PeoplePicker

Submit = Callable[[AgendaSessionInput], None]
DESCRIPTION_LINES = 3


class SessionDialog(FormDialog):
    """The agenda session form; ``on_submit`` writes the AgendaSessionInput (a
    ValidationError shows under its field, the dialog stays open, nothing is written)."""

    def __init__(self, context: CrmContext, data: AgendaSessionInput, *,
                 rooms: Sequence[RoomRow], findings: Sequence[Choice],
                 people: Mapping[int, str], timezone: str, on_submit: Submit, new: bool,
                 parent: QWidget | None = None) -> None:
        super().__init__("", parent)
        self.setObjectName("session_dialog")
        self.setWindowTitle(self.tr("New session") if new else
                            fill(self.tr("Edit %1"), data.title))
        self._on_submit = on_submit
        self.kind = self.add_field(self.tr("&Kind"), enum_combo(AgendaSessionKind, data.kind),
                                   "kind")
        self.title_edit = self.add_field(self.tr("&Title"), QLineEdit(data.title), "title")
        self.description = self.add_field(self.tr("&Description"),
                                          QPlainTextEdit(data.description or ""),
                                          "description")
        self.description.setFixedHeight(self.fontMetrics().lineSpacing() * DESCRIPTION_LINES
                                        + 12)
        self.description.setTabChangesFocus(True)
        self.room = self.add_field(self.tr("&Room"), self._room_combo(rooms), "room_id")
        select_value(self.room, data.room_id)
        self.starts = self.add_field(fill(self.tr("&Starts (%1)"), timezone),
                                     wall_edit(data.starts_at), "starts_at")
        self.ends = self.add_field(self.tr("&Ends"), wall_edit(data.ends_at), "ends_at")
        keep_duration(self.starts, self.ends)
        self.people = self.add_field(self.tr("&People"), PeoplePicker(context),
                                     "moderators", "speakers", "rapporteurs")
        self.people.set_people(data.moderators, data.speakers, data.rapporteurs, people)
        self.findings = self.add_field(self.tr("&Findings presented"), ChoiceList(findings),
                                       "findings")
        self.findings.set_values(data.findings)
        if not findings:
            self.findings.setToolTip(self.tr("Link reports to the conference to choose their "
                                             "findings here."))
        self.setMinimumWidth(820)

    def _room_combo(self, rooms: Sequence[RoomRow]) -> QComboBox:
        combo = QComboBox()
        combo.addItem(self.tr("No room"), None)
        for room in rooms:
            text = room.name if room.capacity is None else \
                fill(self.tr("%1 (%2 seats)"), room.name, room.capacity)
            combo.addItem(text, room.id)
        return combo

    def value(self) -> AgendaSessionInput:
        """The session as the form gives it now."""
        return AgendaSessionInput(
            kind=self.kind.currentData(), title=self.title_edit.text(),
            description=self.description.toPlainText(),
            starts_at=from_qdatetime(self.starts.dateTime()),
            ends_at=from_qdatetime(self.ends.dateTime()), room_id=self.room.currentData(),
            moderators=self.people.moderators.ids(), speakers=self.people.speakers.ids(),
            rapporteurs=self.people.rapporteurs.ids(), findings=tuple(self.findings.values()))

    def submit(self) -> None:
        self._on_submit(self.value())
