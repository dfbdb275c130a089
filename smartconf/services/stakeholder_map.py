"""The stakeholder map: each person of a filter placed by current influence and interest.

One point per matching person (erased persons never match), with the current assessment (the
newest one; None when the person has none yet), the quadrant it falls in, and the current
primary organisation that colours the point. Read-only.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from smartconf.core.enums import OrganisationKind
from smartconf.models import Affiliation, Organisation, Person
from smartconf.services.person_search import (
    HIGH,
    QUADRANTS,
    PersonFilter,
    latest_assessment,
    person_query,
)

__all__ = ["MapPoint", "map_points", "quadrant_of"]


def quadrant_of(influence: int, interest: int) -> str:
    """The key of ``person_search.QUADRANTS`` for a score ("manage_closely" ...)."""
    place = (influence >= HIGH, interest >= HIGH)
    return next(key for key, value in QUADRANTS.items() if value == place)


@dataclass(frozen=True, slots=True)
class MapPoint:
    """A person on the map; ``influence`` and ``interest`` are None before any assessment."""

    person_id: int
    name: str  # as written
    organisation: str  # current primary organisation ("" if none)
    organisation_kind: OrganisationKind | None
    influence: int | None  # 1..5, from the newest assessment
    interest: int | None

    @property
    def assessed(self) -> bool:
        return self.influence is not None and self.interest is not None

    @property
    def quadrant(self) -> str | None:
        """Key of ``person_search.QUADRANTS``, None without an assessment."""
        return quadrant_of(self.influence, self.interest) if self.assessed else None


def _primary_organisations():
    """person id -> current primary organisation (else the first current one, by id): the
    rule of ``Person.primary_affiliation``."""
    ranked = (select(Affiliation.person_id, Organisation.name, Organisation.kind,
                     func.row_number().over(
                         partition_by=Affiliation.person_id,
                         order_by=(Affiliation.is_primary.desc(), Affiliation.id)).label("rank"))
              .join(Organisation, Organisation.id == Affiliation.organisation_id)
              .where(Affiliation.ended_on.is_(None))
              .subquery())
    return select(ranked.c.person_id, ranked.c.name, ranked.c.kind).where(
        ranked.c.rank == 1).subquery()


def map_points(session: Session, criteria: PersonFilter) -> list[MapPoint]:
    """Every person matching ``criteria``, in folded name order, with the current
    assessment and organisation."""
    criteria = criteria.validated()
    matching = person_query(criteria, session.get_bind().dialect.name)
    latest = latest_assessment()
    organisation = _primary_organisations()
    rows = session.execute(
        select(Person.id, Person.given_name, Person.family_name, organisation.c.name,
               organisation.c.kind, latest.c.influence, latest.c.interest)
        .outerjoin(latest, latest.c.person_id == Person.id)
        .outerjoin(organisation, organisation.c.person_id == Person.id)
        .where(Person.id.in_(matching))
        .order_by(Person.sort_name, Person.id))
    return [MapPoint(pid, f"{given} {family}".strip(), org or "",
                     OrganisationKind(kind) if kind is not None else None, influence, interest)
            for pid, given, family, org, kind, influence, interest in rows]
