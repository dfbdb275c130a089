"""Sessions and units of work: every write is one transaction with a named actor."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from smartconf.store.audit import ACTOR_KEY, install_audit


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    """A session factory bound to ``engine`` with the audit trail installed."""
    factory = sessionmaker(bind=engine, expire_on_commit=False)
    install_audit(factory)
    return factory


@contextmanager
def unit_of_work(factory: sessionmaker[Session], actor: str) -> Iterator[Session]:
    """A session whose changes are committed together at the end, or not at all."""
    with factory() as session:
        session.info[ACTOR_KEY] = actor
        with session.begin():
            yield session


@contextmanager
def read_session(factory: sessionmaker[Session]) -> Iterator[Session]:
    """A session for reading; anything written through it is rolled back."""
    with factory() as session:
        try:
            yield session
        finally:
            session.rollback()


def act_as(session: Session, actor: str) -> Session:
    """Name who makes the session's next changes (recorded by the audit trail)."""
    if not actor:
        raise ValueError("actor must be a non-empty user name")
    session.info[ACTOR_KEY] = actor
    return session
