"""The writes of the planning screens, each in its own transaction as the page's actor.

Agenda sessions are edited undoably: every create, edit, move, resize and delete goes on the
``QUndoStack`` once done (a refused operation raises its ``SmartconfError`` to the caller
with nothing written, and nothing is pushed). Undoing a move writes the previous time and
room back through ``planning.move_agenda_session`` (a change of time or place again, so the
calendar sequence rises again: the invitees' calendars must follow). A session deleted and
put back is a new session with a new id; ``SessionIds`` maps the first id to the current one
so older commands still find it.

Conferences and rooms are written at once, without undo (they are edited in dialogs that
show the whole record).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields
from datetime import datetime

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack
from sqlalchemy.orm import Session

from smartconf.core.errors import SmartconfError
from smartconf.services import planning
from smartconf.services.planning import AgendaSessionInput, ConferenceInput
from smartconf.services.timetable import session_form
from smartconf.ui.crm.context import CrmContext
from smartconf.ui.formatting import fill
from smartconf.ui.widgets.done_command import DoneCommand


@dataclass(frozen=True, slots=True)
class Placement:
    """Where and when a session is: wall times in the conference's zone, and its room."""

    starts_at: datetime
    ends_at: datetime
    room_id: int | None


def _as_changes(data) -> dict:
    return {f.name: getattr(data, f.name) for f in fields(data)}


# --- operations run in a unit of work (ids in, ids out) ---------------------------------------


def _create_conference(session: Session, data: ConferenceInput, *, actor: str) -> int:
    return planning.create_conference(session, data, actor=actor).id


def _update_conference(session: Session, conference_id: int, data: ConferenceInput, *,
                       actor: str) -> None:
    conference = planning.get_conference_by_id(session, conference_id)
    planning.update_conference(session, conference, actor=actor, **_as_changes(data))


def _cancel_conference(session: Session, conference_id: int, *, actor: str) -> None:
    planning.cancel_conference(session, planning.get_conference_by_id(session, conference_id),
                               actor=actor)


def _add_room(session: Session, conference_id: int, name: str, capacity: int | None, *,
              actor: str) -> int:
    conference = planning.get_conference_by_id(session, conference_id)
    return planning.add_room(session, conference, name, capacity=capacity, actor=actor).id


def _update_room(session: Session, room_id: int, name: str, capacity: int | None, *,
                 actor: str) -> None:
    planning.update_room(session, room_id, name=name, capacity=capacity, actor=actor)


def _create_session(session: Session, conference_id: int, data: AgendaSessionInput, *,
                    actor: str) -> int:
    conference = planning.get_conference_by_id(session, conference_id)
    return planning.create_agenda_session(session, conference, data, actor=actor).id


def _update_session(session: Session, session_id: int, data: AgendaSessionInput, *,
                    actor: str) -> None:
    planning.update_agenda_session(session, session_id, actor=actor, **_as_changes(data))


def _place_session(session: Session, session_id: int, place: Placement, *, actor: str) -> None:
    planning.move_agenda_session(session, session_id, starts_at=place.starts_at,
                                 ends_at=place.ends_at, room_id=place.room_id, actor=actor)


def _resize_session(session: Session, session_id: int, place: Placement, *,
                    actor: str) -> None:
    planning.resize_agenda_session(session, session_id, starts_at=place.starts_at,
                                   ends_at=place.ends_at, actor=actor)


class SessionIds:
    """Current id of an agenda session named by the id it had when a command was made."""

    def __init__(self) -> None:
        self._moved: dict[int, int] = {}

    def current(self, session_id: int) -> int:
        while session_id in self._moved:
            session_id = self._moved[session_id]
        return session_id

    def moved(self, old: int, new: int) -> None:
        if old != new:
            self._moved[old] = new


# --- undo commands ---------------------------------------------------------------------------


class _Command(DoneCommand):
    """A write already done once; ``undo``/``redo`` write again through ``PlanningChanges``."""

    changes: PlanningChanges

    def __init__(self, changes: PlanningChanges, conference_id: int, session_id: int,
                 text: str) -> None:
        super().__init__(changes, text)
        self.conference_id = conference_id
        self.session_id = session_id  # as first known; see SessionIds

    def current_id(self) -> int:
        return self.changes.session_ids.current(self.session_id)

    def forward(self) -> int:
        """Do it again; returns the session id to select."""
        raise NotImplementedError

    def backward(self) -> int:
        raise NotImplementedError


class _Place(_Command):
    def __init__(self, changes: PlanningChanges, conference_id: int, session_id: int,
                 text: str, before: Placement, after: Placement) -> None:
        super().__init__(changes, conference_id, session_id, text)
        self.before, self.after = before, after

    def _write(self, place: Placement) -> int:
        session_id = self.current_id()
        self.changes.context.write(_place_session, session_id, place)
        return session_id

    def forward(self) -> int:
        return self._write(self.after)

    def backward(self) -> int:
        return self._write(self.before)


class _Edit(_Command):
    def __init__(self, changes: PlanningChanges, conference_id: int, session_id: int,
                 before: AgendaSessionInput, after: AgendaSessionInput) -> None:
        super().__init__(changes, conference_id, session_id,
                         fill(changes.tr("Edit %1"), after.title))
        self.before, self.after = before, after

    def _write(self, data: AgendaSessionInput) -> int:
        session_id = self.current_id()
        self.changes.context.write(_update_session, session_id, data)
        return session_id

    def forward(self) -> int:
        return self._write(self.after)

    def backward(self) -> int:
        return self._write(self.before)


class _Create(_Command):
    def __init__(self, changes: PlanningChanges, conference_id: int, session_id: int,
                 data: AgendaSessionInput) -> None:
        super().__init__(changes, conference_id, session_id,
                         fill(changes.tr("Create %1"), data.title))
        self.data = data

    def _remove(self) -> int:
        session_id = self.current_id()
        self.data = self.changes.context.read(session_form, session_id).data
        self.changes.context.write(planning.delete_agenda_session, session_id)
        return -1

    def _put_back(self) -> int:
        new_id = self.changes.context.write(_create_session, self.conference_id, self.data)
        self.changes.session_ids.moved(self.current_id(), new_id)
        return new_id

    backward, forward = _remove, _put_back


class _Delete(_Create):
    def __init__(self, changes: PlanningChanges, conference_id: int, session_id: int,
                 data: AgendaSessionInput) -> None:
        super().__init__(changes, conference_id, session_id, data)
        self.setText(fill(changes.tr("Delete %1"), data.title))

    backward, forward = _Create._put_back, _Create._remove


# --- the writes ------------------------------------------------------------------------------


class PlanningChanges(QObject):
    """Every write of the planning screens, and the undo stack of the agenda's.

    ``conference_changed(conference id)`` follows a write to a conference or its rooms;
    ``agenda_changed(conference id, session id to select or -1)`` every write, undo and redo
    of an agenda session; ``failed(exception)`` an undo or redo that was refused (the command
    then leaves the stack).
    """

    conference_changed = Signal(int)
    agenda_changed = Signal(int, int)
    failed = Signal(object)

    def __init__(self, context: CrmContext, parent=None) -> None:
        super().__init__(parent)
        self.context = context
        self.stack = QUndoStack(self)
        self.session_ids = SessionIds()

    # --- conferences and rooms ----------------------------------------------------------

    def create_conference(self, data: ConferenceInput) -> int:
        """A new conference (ValidationError: nothing written); returns its id."""
        conference_id = self.context.write(_create_conference, data)
        self.conference_changed.emit(conference_id)
        return conference_id

    def update_conference(self, conference_id: int, data: ConferenceInput) -> None:
        self.context.write(_update_conference, conference_id, data)
        self.conference_changed.emit(conference_id)

    def cancel_conference(self, conference_id: int) -> None:
        self.context.write(_cancel_conference, conference_id)
        self.conference_changed.emit(conference_id)

    def add_room(self, conference_id: int, name: str, capacity: int | None) -> int:
        room_id = self.context.write(_add_room, conference_id, name, capacity)
        self.conference_changed.emit(conference_id)
        return room_id

    def update_room(self, conference_id: int, room_id: int, name: str,
                    capacity: int | None) -> None:
        self.context.write(_update_room, room_id, name, capacity)
        self.conference_changed.emit(conference_id)

    def delete_room(self, conference_id: int, room_id: int) -> None:
        self.context.write(planning.delete_room, room_id)
        self.conference_changed.emit(conference_id)

    # --- agenda sessions (undoable) -------------------------------------------------------

    def create_session(self, conference_id: int, data: AgendaSessionInput) -> int:
        session_id = self.context.write(_create_session, conference_id, data)
        self._done(_Create(self, conference_id, session_id, data), session_id)
        return session_id

    def update_session(self, conference_id: int, session_id: int,
                       data: AgendaSessionInput) -> None:
        before = self.context.read(session_form, session_id).data
        self.context.write(_update_session, session_id, data)
        self._done(_Edit(self, conference_id, session_id, before, data), session_id)

    def move_session(self, conference_id: int, session_id: int, before: Placement,
                     after: Placement, title: str) -> None:
        """Put a session at another time and/or in another room."""
        self.context.write(_place_session, session_id, after)
        self._done(_Place(self, conference_id, session_id, fill(self.tr("Move %1"), title),
                          before, after), session_id)

    def resize_session(self, conference_id: int, session_id: int, before: Placement,
                       after: Placement, title: str) -> None:
        """Change a session's start and/or end, in its room."""
        self.context.write(_resize_session, session_id, after)
        self._done(_Place(self, conference_id, session_id,
                          fill(self.tr("Resize %1"), title), before, after), session_id)

    def delete_session(self, conference_id: int, session_id: int) -> None:
        data = self.context.read(session_form, session_id).data
        self.context.write(planning.delete_agenda_session, session_id)
        self._done(_Delete(self, conference_id, session_id, data), -1)

    # --- the stack -------------------------------------------------------------------------

    def _done(self, command: _Command, select_id: int) -> None:
        self.stack.push(command)
        self.agenda_changed.emit(command.conference_id, select_id)

    def run_step(self, command: _Command, step: Callable[[], int]) -> None:
        """Undo or redo ``command``; a refusal is reported and the command dropped."""
        try:
            select_id = step()
        except SmartconfError as exc:
            command.setObsolete(True)
            self.failed.emit(exc)
            return
        self.agenda_changed.emit(command.conference_id, select_id)
