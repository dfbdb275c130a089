"""Conferences: listing and lookup (planning operations come with the planning issue)."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from smartconf.core.dto import ConferenceRow
from smartconf.core.errors import NotFoundError
from smartconf.models import Conference, Participant


def list_conferences(session: Session) -> list[ConferenceRow]:
    """All conferences, earliest first, with their participant counts."""
    counts = (select(Participant.conference_id, func.count().label("n"))
              .group_by(Participant.conference_id).subquery())
    rows = session.execute(
        select(Conference, func.coalesce(counts.c.n, 0))
        .outerjoin(counts, counts.c.conference_id == Conference.id)
        .order_by(Conference.starts_at)
    ).all()
    return [ConferenceRow(c.id, c.code, c.title, c.starts_at, c.ends_at, c.timezone, c.venue,
                          c.status.value, c.capacity, n) for c, n in rows]


def get_conference(session: Session, code: str) -> Conference:
    """The conference with ``code`` (case-insensitive); NotFoundError names the known codes."""
    conference = session.scalar(
        select(Conference).where(func.upper(Conference.code) == code.strip().upper()))
    if conference is None:
        known = session.scalars(select(Conference.code).order_by(Conference.starts_at)).all()
        raise NotFoundError(f"Unknown conference code '{code}'.",
                            hint=f"Known codes: {', '.join(known) or 'none yet'}.")
    return conference
