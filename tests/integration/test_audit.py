"""Every write records who, what, which record and the changed fields."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from smartconf.core.enums import AuditAction, OrganisationKind
from smartconf.models import AuditEvent, Organisation
from smartconf.store.audit import MissingActorError
from smartconf.store.session import unit_of_work


def _events(database, entity: str) -> list[AuditEvent]:
    with database.sessions() as session:
        return list(session.scalars(select(AuditEvent).where(AuditEvent.entity == entity)
                                    .order_by(AuditEvent.id)))


def test_create_update_delete_are_audited_with_fields(database) -> None:
    with unit_of_work(database.sessions, "arta") as session:
        org = Organisation(name="KOS-CERT", kind=OrganisationKind.AGENCY, country="XK")
        session.add(org)
    with unit_of_work(database.sessions, "driton") as session:
        session.get(Organisation, org.id).acronym = "KOS-CERT"
    with unit_of_work(database.sessions, "arta") as session:
        session.delete(session.get(Organisation, org.id))

    created, updated, deleted = _events(database, "organisation")
    assert (created.actor, created.action, created.entity_id) == ("arta", AuditAction.CREATE,
                                                                  str(org.id))
    assert created.changes["name"] == [None, "KOS-CERT"]
    assert created.changes["kind"] == [None, "agency"]
    assert (updated.actor, updated.action) == ("driton", AuditAction.UPDATE)
    assert updated.changes == {"acronym": [None, "KOS-CERT"]}
    assert (deleted.action, deleted.entity_id) == (AuditAction.DELETE, str(org.id))


def test_a_write_without_actor_is_refused_and_nothing_is_written(database) -> None:
    with pytest.raises(MissingActorError), database.sessions.begin() as session:
        session.add(Organisation(name="Nobody's", kind=OrganisationKind.MEDIA))
    with database.sessions() as session:
        assert session.scalars(select(Organisation)).all() == []


def test_unchanged_assignment_records_nothing(database) -> None:
    with unit_of_work(database.sessions, "arta") as session:
        org = Organisation(name="RTK", kind=OrganisationKind.MEDIA)
        session.add(org)
    with unit_of_work(database.sessions, "arta") as session:
        session.get(Organisation, org.id).name = "RTK"
    assert [e.action for e in _events(database, "organisation")] == [AuditAction.CREATE]
