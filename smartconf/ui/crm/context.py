"""Who writes and how: the database, the actor named in the audit trail, one transaction per
operation."""

from __future__ import annotations

import getpass
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from smartconf.store.database import Database, translate_errors
from smartconf.store.session import read_session, unit_of_work

R = TypeVar("R")
FALLBACK_ACTOR = "smartconf"


def current_actor() -> str:
    """Who uses smartconf, for the audit trail: SMARTCONF_USER (as the CLI), else the OS login."""
    if os.environ.get("SMARTCONF_USER"):
        return os.environ["SMARTCONF_USER"]
    try:
        return getpass.getuser() or FALLBACK_ACTOR
    except (OSError, KeyError):
        return FALLBACK_ACTOR


@dataclass(frozen=True)
class CrmContext:
    """The database and the actor of the CRM screens; usable from any thread (each call opens
    its own session)."""

    database: Database
    actor: str

    def read(self, query: Callable[..., R], *args, **kwargs) -> R:
        """Run a read-only service query in a short session."""
        with translate_errors(self.database.engine), \
                read_session(self.database.sessions) as session:
            return query(session, *args, **kwargs)

    def write(self, operation: Callable[..., R], *args, **kwargs) -> R:
        """Run a service operation in its own transaction as ``actor``: committed when it
        returns, rolled back (nothing written) when it raises. ORM results must not be used
        after the session closes: return ids or DTOs."""
        with translate_errors(self.database.engine), \
                unit_of_work(self.database.sessions, self.actor) as session:
            return operation(session, *args, actor=self.actor, **kwargs)
