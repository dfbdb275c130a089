"""Finding persons: folded text search plus filters, and saved filters ("smart groups").

The text is folded like the stored ``search_text`` column (script, case and diacritics do not
matter) and every word must occur somewhere in it, in any order.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields

from sqlalchemy import (
    Select,
    and_,
    exists,
    func,
    intersect,
    literal_column,
    or_,
    select,
    text,
)
from sqlalchemy.orm import Session

from smartconf.core.enums import ConsentPurpose, OrganisationKind, ParticipantStatus
from smartconf.core.errors import NotFoundError, ValidationError
from smartconf.core.text import fold
from smartconf.models import (
    Affiliation,
    Assessment,
    Conference,
    Consent,
    Organisation,
    Participant,
    Person,
    SavedFilter,
    Tag,
    organisation_tag,
    person_tag,
)
from smartconf.store.session import act_as

FILTER_FORMAT = 1
CONSENT_STATES = ("given", "withdrawn", "none")
QUADRANTS = {  # influence x interest on 1..5; 3 and above counts as high
    "manage_closely": (True, True),
    "keep_satisfied": (True, False),
    "keep_informed": (False, True),
    "monitor": (False, False),
}
HIGH = 3


@dataclass(frozen=True)
class PersonFilter:
    """Criteria over persons; empty fields do not filter. Saved as JSON by smart groups."""

    text: str = ""
    organisation_kinds: tuple[str, ...] = ()
    sectors: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    quadrant: str | None = None
    min_influence: int | None = None
    min_interest: int | None = None
    consent_purpose: str | None = None
    consent_state: str | None = None  # given | withdrawn | none
    conference: str | None = None  # conference code
    participant_statuses: tuple[str, ...] = field(default=())

    def to_json(self) -> str:
        return json.dumps({"format": FILTER_FORMAT, **asdict(self)}, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> PersonFilter:
        data = json.loads(text)
        known = {f.name for f in fields(cls)}
        values = {k: tuple(v) if isinstance(v, list) else v for k, v in data.items()
                  if k in known}
        return cls(**values).validated()

    def validated(self) -> PersonFilter:
        """Raise ValidationError when a value is outside its vocabulary."""
        _check_values("organisation_kinds", self.organisation_kinds, OrganisationKind)
        _check_values("participant_statuses", self.participant_statuses, ParticipantStatus)
        if self.quadrant is not None and self.quadrant not in QUADRANTS:
            raise ValidationError(f"unknown quadrant '{self.quadrant}'", field="quadrant")
        if self.consent_purpose is not None:
            _check_values("consent_purpose", (self.consent_purpose,), ConsentPurpose)
        if self.consent_state is not None and self.consent_state not in CONSENT_STATES:
            raise ValidationError(f"unknown consent state '{self.consent_state}'",
                                  field="consent_state")
        return self


def _check_values(name: str, values, enum_cls) -> None:
    allowed = {m.value for m in enum_cls}
    bad = [v for v in values if v not in allowed]
    if bad:
        raise ValidationError(f"unknown value '{bad[0]}'", field=name)


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _current_orgs(*conditions) -> Select:
    return (select(Affiliation.person_id).join(Organisation)
            .where(Affiliation.ended_on.is_(None), *conditions))


def latest_assessment():
    ranked = select(Assessment.person_id, Assessment.influence, Assessment.interest,
                    func.row_number().over(partition_by=Assessment.person_id,
                                           order_by=(Assessment.assessed_on.desc(),
                                                     Assessment.id.desc())).label("rank")
                    ).subquery()
    return select(ranked.c.person_id, ranked.c.influence, ranked.c.interest).where(
        ranked.c.rank == 1).subquery()


def _fts_phrase(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'


def _fts_rowids(table: str, match: str) -> Select:
    return (select(literal_column("rowid")).select_from(text(table))
            .where(text(f"{table} MATCH :{table}_match").bindparams(
                **{f"{table}_match": match})))


def _sqlite_text_rowids(words: list[str]) -> list[Select]:
    """Rowid queries on the FTS5 tables: trigram for 3+ characters, word prefix for shorter."""
    long_words = [w for w in words if len(w) >= 3]
    short_words = [w for w in words if len(w) < 3]
    queries = []
    if long_words:
        queries.append(_fts_rowids("person_fts", " AND ".join(map(_fts_phrase, long_words))))
    if short_words:
        queries.append(_fts_rowids("person_prefix",
                                   " AND ".join(_fts_phrase(w) + "*" for w in short_words)))
    return queries


def _text_condition(words: list[str], dialect: str):
    """Every word must occur: substrings of 3+ characters, word prefixes for shorter ones.

    SQLite answers from its FTS5 tables, PostgreSQL from the pg_trgm index; same meaning.
    """
    if dialect == "sqlite":
        return [Person.id.in_(q) for q in _sqlite_text_rowids(words)]
    conditions = []
    for word in words:
        pattern = _like_escape(word)
        if len(word) >= 3:
            conditions.append(Person.search_text.like(f"%{pattern}%", escape="\\"))
        else:
            conditions.append(or_(Person.search_text.like(f"{pattern}%", escape="\\"),
                                  Person.search_text.like(f"% {pattern}%", escape="\\")))
    return conditions


def person_query(criteria: PersonFilter, dialect: str = "sqlite") -> Select:
    """SELECT of person ids matching ``criteria`` (not erased), unordered."""
    query = select(Person.id).where(Person.erased_at.is_(None))
    words = fold(criteria.text).split()
    if words:
        query = query.where(*_text_condition(words, dialect))
    if criteria.organisation_kinds:
        query = query.where(Person.id.in_(_current_orgs(
            Organisation.kind.in_(criteria.organisation_kinds))))
    if criteria.countries:
        query = query.where(Person.id.in_(_current_orgs(
            Organisation.country.in_([c.upper() for c in criteria.countries]))))
    if criteria.sectors:
        sector_orgs = select(organisation_tag.c.organisation_id).join(Tag).where(
            Tag.category == "sector", Tag.name.in_(criteria.sectors))
        query = query.where(Person.id.in_(_current_orgs(Organisation.id.in_(sector_orgs))))
    if criteria.tags:
        tagged = select(person_tag.c.person_id).join(Tag).where(
            Tag.category == "tag", Tag.name.in_(criteria.tags))
        query = query.where(Person.id.in_(tagged))
    query = _assessment_filter(query, criteria)
    query = _consent_filter(query, criteria)
    return _participation_filter(query, criteria)


def _assessment_filter(query: Select, criteria: PersonFilter) -> Select:
    if criteria.quadrant is None and criteria.min_influence is None and \
            criteria.min_interest is None:
        return query
    latest = latest_assessment()
    query = query.join(latest, latest.c.person_id == Person.id)
    if criteria.quadrant is not None:
        high_influence, high_interest = QUADRANTS[criteria.quadrant]
        query = query.where((latest.c.influence >= HIGH) if high_influence
                            else (latest.c.influence < HIGH))
        query = query.where((latest.c.interest >= HIGH) if high_interest
                            else (latest.c.interest < HIGH))
    if criteria.min_influence is not None:
        query = query.where(latest.c.influence >= criteria.min_influence)
    if criteria.min_interest is not None:
        query = query.where(latest.c.interest >= criteria.min_interest)
    return query


def _consent_filter(query: Select, criteria: PersonFilter) -> Select:
    if criteria.consent_purpose is None or criteria.consent_state is None:
        return query
    mine = and_(Consent.person_id == Person.id, Consent.purpose == criteria.consent_purpose)
    active = exists().where(mine, Consent.withdrawn_at.is_(None))
    any_record = exists().where(mine)
    if criteria.consent_state == "given":
        return query.where(active)
    if criteria.consent_state == "withdrawn":
        return query.where(any_record, ~active)
    return query.where(~any_record)


def _participation_filter(query: Select, criteria: PersonFilter) -> Select:
    if not criteria.conference and not criteria.participant_statuses:
        return query
    part = select(Participant.person_id).join(Conference)
    if criteria.conference:
        part = part.where(func.upper(Conference.code) == criteria.conference.upper())
    if criteria.participant_statuses:
        part = part.where(Participant.status.in_(criteria.participant_statuses))
    return query.where(Person.id.in_(part))


@dataclass(frozen=True)
class SearchResult:
    """The first ``ids`` (in folded name order) of ``total`` matching persons."""

    ids: list[int]
    total: int


# Above this many matches, walking the name index beats sorting the matches (SQLite).
_WALK_INDEX_FROM = 2000


def search_persons(session: Session, criteria: PersonFilter, *,
                   limit: int | None = None) -> SearchResult:
    """Matching persons: the first ``limit`` ids in folded name order, and how many in all."""
    criteria = criteria.validated()
    dialect = _dialect(session)
    total = count_persons(session, criteria)
    query = person_query(criteria, dialect).order_by(Person.sort_name, Person.id)
    if limit is not None:
        query = query.limit(limit)
        if dialect == "sqlite" and total > _WALK_INDEX_FROM:
            query = query.with_hint(Person, "INDEXED BY ix_person_sort_name", "sqlite")
    return SearchResult(list(session.scalars(query)), total)


def search_person_ids(session: Session, criteria: PersonFilter, *,
                      limit: int | None = None) -> list[int]:
    """Ids of matching persons in folded name order (the GUI re-sorts by locale)."""
    return search_persons(session, criteria, limit=limit).ids


def count_persons(session: Session, criteria: PersonFilter) -> int:
    """How many persons match (straight from the FTS index when only text is given)."""
    criteria = criteria.validated()
    dialect = _dialect(session)
    words = fold(criteria.text).split()
    if dialect == "sqlite" and words and criteria == PersonFilter(text=criteria.text):
        # erased persons have an empty search_text, so the index holds no erased person
        rowids = _sqlite_text_rowids(words)
        matching = rowids[0] if len(rowids) == 1 else intersect(*rowids)
        return session.scalar(select(func.count()).select_from(matching.subquery())) or 0
    return session.scalar(select(func.count()).select_from(
        person_query(criteria, dialect).subquery())) or 0


def _dialect(session: Session) -> str:
    return session.get_bind().dialect.name


# -- smart groups ---------------------------------------------------------------------------

def save_filter(session: Session, name: str, criteria: PersonFilter, *,
                actor: str) -> SavedFilter:
    """Save (or overwrite) a named filter."""
    act_as(session, actor)
    clean = " ".join(name.split())
    if not clean:
        raise ValidationError("is required", field="name")
    saved = session.scalar(select(SavedFilter).where(SavedFilter.name == clean))
    if saved is None:
        saved = SavedFilter(name=clean, owner=actor)
        session.add(saved)
    saved.criteria = criteria.validated().to_json()
    session.flush()
    return saved


def list_filters(session: Session) -> list[SavedFilter]:
    """Saved filters by name."""
    return list(session.scalars(select(SavedFilter).order_by(SavedFilter.name)))


def load_filter(session: Session, name: str) -> PersonFilter:
    """The criteria of a saved filter."""
    saved = session.scalar(select(SavedFilter).where(SavedFilter.name == name))
    if saved is None:
        raise NotFoundError(f"No saved filter named '{name}'.")
    return PersonFilter.from_json(saved.criteria)


def delete_filter(session: Session, name: str, *, actor: str) -> None:
    """Forget a saved filter."""
    act_as(session, actor)
    saved = session.scalar(select(SavedFilter).where(SavedFilter.name == name))
    if saved is not None:
        session.delete(saved)
