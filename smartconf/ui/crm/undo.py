"""Creating, editing and deleting persons and organisations, undoably.

Each operation runs at once (its ``ValidationError`` reaches the dialog that asked, with
nothing written) and, once done, goes on the ``QUndoStack`` as a command: undoing a create
deletes, undoing a delete restores the snapshot (``persons.restore_person``: same id, same
history), undoing an edit writes the previous details back. A command that cannot be undone
or redone any more (the person was since registered for a conference...) says why and leaves
the stack.

An organisation deleted and put back gets a new id: ``OrganisationIds`` maps the first id to
the current one, so older commands still find it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from smartconf.core.errors import SmartconfError
from smartconf.services.organisations import (
    OrganisationInput,
    create_organisation,
    delete_organisation,
    update_organisation,
)
from smartconf.services.overview import organisation_children, organisation_form, person_form
from smartconf.services.persons import (
    PersonInput,
    add_affiliation,
    create_person,
    delete_person,
    restore_person,
    update_person,
)
from smartconf.ui.crm.context import CrmContext
from smartconf.ui.formatting import fill
from smartconf.ui.widgets.done_command import DoneCommand

PERSON = "person"
ORGANISATION = "organisation"


@dataclass(frozen=True)
class Change:
    """What a write changed, for the views to refresh."""

    kind: str  # PERSON or ORGANISATION
    ids: tuple[int, ...]


@dataclass(frozen=True)
class NewPerson:
    """A new person and, optionally, where they work (their primary affiliation)."""

    details: PersonInput
    organisation_id: int | None = None
    role: str | None = None


def _create_person(session, new: NewPerson, *, actor: str) -> int:
    person = create_person(session, new.details, actor=actor)
    if new.organisation_id is not None:
        add_affiliation(session, person.id, new.organisation_id, actor=actor, role=new.role,
                        primary=True)
    return person.id


def _update_person(session, person_id: int, data: PersonInput, *, actor: str) -> int:
    return update_person(session, person_id, data, actor=actor).id


def _restore_person(session, snapshot: dict[str, Any], *, actor: str) -> int:
    return restore_person(session, snapshot, actor=actor).id


def _create_organisation(session, data: OrganisationInput, *, actor: str) -> int:
    return create_organisation(session, data, actor=actor).id


def _update_organisation(session, org_id: int, data: OrganisationInput, *, actor: str) -> int:
    return update_organisation(session, org_id, data, actor=actor).id


def _restore_organisation(session, data: OrganisationInput, children: list[int], *,
                          actor: str) -> int:
    """Create the organisation again and put its former divisions back inside it."""
    org_id = create_organisation(session, data, actor=actor).id
    for child in children:
        update_organisation(session, child, replace(organisation_form(session, child),
                                                    parent_id=org_id), actor=actor)
    return org_id


class OrganisationIds:
    """Current id of an organisation named by the id it had when a command was made."""

    def __init__(self) -> None:
        self._moved: dict[int, int] = {}

    def current(self, org_id: int) -> int:
        while org_id in self._moved:
            org_id = self._moved[org_id]
        return org_id

    def moved(self, old: int, new: int) -> None:
        if old != new:
            self._moved[old] = new


class _Command(DoneCommand):
    """A write already done once; ``undo`` runs ``backward``, ``redo`` runs ``forward``."""

    changes: CrmChanges

    def forward(self) -> Change:
        raise NotImplementedError

    def backward(self) -> Change:
        raise NotImplementedError


class _PersonPresence(_Command):
    """A person who comes (create) or goes (delete): removing keeps a snapshot to put back."""

    def __init__(self, changes: CrmChanges, text: str, person_id: int,
                 snapshot: dict[str, Any] | None = None) -> None:
        super().__init__(changes, text)
        self.person_id = person_id
        self.snapshot = snapshot

    def remove(self) -> Change:
        self.snapshot = self.changes.context.write(delete_person, self.person_id)
        return Change(PERSON, (self.person_id,))

    def put_back(self) -> Change:
        self.changes.context.write(_restore_person, self.snapshot)
        return Change(PERSON, (self.person_id,))


class _CreatePerson(_PersonPresence):
    def backward(self) -> Change:
        return self.remove()

    def forward(self) -> Change:
        return self.put_back()


class _DeletePerson(_PersonPresence):
    def backward(self) -> Change:
        return self.put_back()

    def forward(self) -> Change:
        return self.remove()


class _EditPerson(_Command):
    def __init__(self, changes: CrmChanges, person_id: int, before: PersonInput,
                 after: PersonInput) -> None:
        super().__init__(changes, fill(changes.tr("Edit %1"),
                                       f"{after.given_name} {after.family_name}"))
        self.person_id, self.before, self.after = person_id, before, after

    def backward(self) -> Change:
        self.changes.context.write(_update_person, self.person_id, self.before)
        return Change(PERSON, (self.person_id,))

    def forward(self) -> Change:
        self.changes.context.write(_update_person, self.person_id, self.after)
        return Change(PERSON, (self.person_id,))


class _OrganisationPresence(_Command):
    """An organisation that comes or goes; put back, it gets a new id (``OrganisationIds``)
    and its former divisions inside it again."""

    def __init__(self, changes: CrmChanges, text: str, org_id: int, data: OrganisationInput,
                 children: list[int] | None = None) -> None:
        super().__init__(changes, text)
        self.org_id, self.data, self.children = org_id, data, children or []

    def remove(self) -> Change:
        current = self.changes.organisation_ids.current(self.org_id)
        self.data = self.changes.context.read(organisation_form, current)
        self.children = self.changes.context.read(organisation_children, current)
        self.changes.context.write(delete_organisation, current)
        return Change(ORGANISATION, (current,))

    def put_back(self) -> Change:
        ids = self.changes.organisation_ids
        parent = None if self.data.parent_id is None else ids.current(self.data.parent_id)
        new_id = self.changes.context.write(_restore_organisation,
                                            replace(self.data, parent_id=parent),
                                            [ids.current(c) for c in self.children])
        ids.moved(ids.current(self.org_id), new_id)
        return Change(ORGANISATION, (new_id,))


class _CreateOrganisation(_OrganisationPresence):
    def backward(self) -> Change:
        return self.remove()

    def forward(self) -> Change:
        return self.put_back()


class _DeleteOrganisation(_OrganisationPresence):
    def backward(self) -> Change:
        return self.put_back()

    def forward(self) -> Change:
        return self.remove()


class _EditOrganisation(_Command):
    def __init__(self, changes: CrmChanges, org_id: int, before: OrganisationInput,
                 after: OrganisationInput) -> None:
        super().__init__(changes, fill(changes.tr("Edit %1"), after.name))
        self.org_id, self.before, self.after = org_id, before, after

    def _write(self, data: OrganisationInput) -> Change:
        ids = self.changes.organisation_ids
        parent = None if data.parent_id is None else ids.current(data.parent_id)
        current = ids.current(self.org_id)
        self.changes.context.write(_update_organisation, current,
                                   replace(data, parent_id=parent))
        return Change(ORGANISATION, (current,))

    def backward(self) -> Change:
        return self._write(self.before)

    def forward(self) -> Change:
        return self._write(self.after)


class CrmChanges(QObject):
    """The undoable writes of the CRM screens and their ``QUndoStack``.

    ``changed(Change)`` follows every write, undo and redo; ``failed(exception)`` an undo or
    redo that was refused (the command then leaves the stack).
    """

    changed = Signal(object)
    failed = Signal(object)

    def __init__(self, context: CrmContext, parent=None) -> None:
        super().__init__(parent)
        self.context = context
        self.stack = QUndoStack(self)
        self.organisation_ids = OrganisationIds()

    # --- persons ---------------------------------------------------------------------------

    def create_person(self, new: NewPerson) -> int:
        """Create a person (ValidationError: nothing written); returns the id."""
        person_id = self.context.write(_create_person, new)
        name = f"{new.details.given_name} {new.details.family_name}".strip()
        self._done(_CreatePerson(self, fill(self.tr("Create %1"), name), person_id),
                   Change(PERSON, (person_id,)))
        return person_id

    def update_person(self, person_id: int, data: PersonInput) -> None:
        """Replace a person's details (ValidationError: nothing written)."""
        before = self.context.read(person_form, person_id)
        self.context.write(_update_person, person_id, data)
        self._done(_EditPerson(self, person_id, before, data), Change(PERSON, (person_id,)))

    def delete_person(self, person_id: int) -> None:
        """Delete a person (SmartconfError when they take part in a conference)."""
        before = self.context.read(person_form, person_id)
        snapshot = self.context.write(delete_person, person_id)
        name = f"{before.given_name} {before.family_name}"
        self._done(_DeletePerson(self, fill(self.tr("Delete %1"), name), person_id, snapshot),
                   Change(PERSON, (person_id,)))

    # --- organisations -----------------------------------------------------------------------

    def create_organisation(self, data: OrganisationInput) -> int:
        org_id = self.context.write(_create_organisation, data)
        self._done(_CreateOrganisation(self, fill(self.tr("Create %1"), data.name), org_id,
                                       data), Change(ORGANISATION, (org_id,)))
        return org_id

    def update_organisation(self, org_id: int, data: OrganisationInput) -> None:
        before = self.context.read(organisation_form, org_id)
        self.context.write(_update_organisation, org_id, data)
        self._done(_EditOrganisation(self, org_id, before, data),
                   Change(ORGANISATION, (org_id,)))

    def delete_organisation(self, org_id: int) -> None:
        """Delete an organisation (SmartconfError when people are affiliated with it)."""
        before = self.context.read(organisation_form, org_id)
        children = self.context.read(organisation_children, org_id)
        self.context.write(delete_organisation, org_id)
        self._done(_DeleteOrganisation(self, fill(self.tr("Delete %1"), before.name), org_id,
                                       before, children), Change(ORGANISATION, (org_id,)))

    # --- the stack ---------------------------------------------------------------------------

    def _done(self, command: _Command, change: Change) -> None:
        self.stack.push(command)
        self.changed.emit(change)

    def run_step(self, command: QUndoCommand, step: Callable[[], Change]) -> None:
        """Undo or redo ``command``; a refusal is reported and the command dropped."""
        try:
            change = step()
        except SmartconfError as exc:
            command.setObsolete(True)
            self.failed.emit(exc)
            return
        self.changed.emit(change)
