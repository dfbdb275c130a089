"""Organisations: create, edit, delete, hierarchy (a division inside a ministry), sectors."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from smartconf.core.enums import OrganisationKind
from smartconf.core.errors import NotFoundError, SmartconfError, ValidationError
from smartconf.core.text import fold, is_cyrillic, to_latin
from smartconf.models import Affiliation, Organisation, Tag
from smartconf.services.search_text import refresh_search_text
from smartconf.store.session import act_as


@dataclass
class OrganisationInput:
    """What a form or an importer gives for one organisation."""

    name: str
    kind: OrganisationKind
    acronym: str | None = None
    name_latin: str | None = None
    country: str = "XK"
    parent_id: int | None = None
    website: str | None = None
    notes: str | None = None
    sectors: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class OrganisationNode:
    """One organisation in the hierarchy, with its divisions."""

    id: int
    name: str
    acronym: str | None
    kind: OrganisationKind
    country: str
    people: int
    children: list[OrganisationNode]


def validate_organisation(data: OrganisationInput, *, row: int | None = None
                          ) -> OrganisationInput:
    """A cleaned copy, or ValidationError naming the field."""
    name = " ".join((data.name or "").split())
    if not name:
        raise ValidationError("is required", field="name", row=row)
    if len(name) > 300:
        raise ValidationError(f"is {len(name)} characters long; at most 300 are allowed",
                              field="name", row=row)
    try:
        kind = OrganisationKind(data.kind)
    except ValueError as exc:
        allowed = ", ".join(k.value for k in OrganisationKind)
        raise ValidationError(f"unknown kind '{data.kind}' (one of: {allowed})", field="kind",
                              row=row) from exc
    country = (data.country or "").strip().upper()
    if len(country) != 2 or not country.isalpha():
        raise ValidationError(f"'{data.country}' is not a two-letter country code",
                              field="country", row=row)
    latin = (data.name_latin or "").strip() or (to_latin(name) if is_cyrillic(name) else None)
    return OrganisationInput(
        name=name, kind=kind, acronym=(data.acronym or "").strip()[:40] or None,
        name_latin=latin, country=country, parent_id=data.parent_id,
        website=(data.website or "").strip() or None, notes=(data.notes or "").strip() or None,
        sectors=sorted({s.strip() for s in data.sectors if s.strip()}))


def _sectors(session: Session, names: list[str]) -> list[Tag]:
    found = {t.name: t for t in session.scalars(
        select(Tag).where(Tag.category == "sector", Tag.name.in_(names)))}
    return [found.get(n) or Tag(category="sector", name=n) for n in names]


def _check_parent(session: Session, org: Organisation, parent_id: int | None) -> None:
    seen = {org.id} if org.id is not None else set()
    current = parent_id
    while current is not None:
        if current in seen:
            raise ValidationError("an organisation cannot be inside itself", field="parent")
        seen.add(current)
        parent = session.get(Organisation, current)
        if parent is None:
            raise ValidationError(f"no organisation with id {current}", field="parent")
        current = parent.parent_id


def _apply(session: Session, org: Organisation, data: OrganisationInput) -> None:
    _check_parent(session, org, data.parent_id)
    for name in ("name", "kind", "acronym", "name_latin", "country", "parent_id", "website",
                 "notes"):
        setattr(org, name, getattr(data, name))
    org.tags = [t for t in org.tags if t.category != "sector"] + _sectors(session, data.sectors)
    refresh_search_text(org)


def create_organisation(session: Session, data: OrganisationInput, *,
                        actor: str) -> Organisation:
    """Validate and add an organisation."""
    act_as(session, actor)
    org = Organisation()
    _apply(session, org, validate_organisation(data))
    session.add(org)
    session.flush()
    return org


def update_organisation(session: Session, org_id: int, data: OrganisationInput, *,
                        actor: str) -> Organisation:
    """Replace an organisation's details (validated first)."""
    act_as(session, actor)
    clean = validate_organisation(data)
    org = get_organisation(session, org_id)
    _apply(session, org, clean)
    session.flush()
    return org


def get_organisation(session: Session, org_id: int) -> Organisation:
    org = session.get(Organisation, org_id)
    if org is None:
        raise NotFoundError(f"No organisation with id {org_id}.")
    return org


def delete_organisation(session: Session, org_id: int, *, actor: str) -> None:
    """Delete an organisation nobody is affiliated with; its divisions move up a level."""
    act_as(session, actor)
    org = get_organisation(session, org_id)
    people = session.scalar(select(func.count()).where(Affiliation.organisation_id == org_id))
    if people:
        raise SmartconfError(f"{org.name} has {people} affiliation(s) and is not deleted.",
                             hint="Move or end those affiliations first.")
    for child in org.children:
        child.parent_id = org.parent_id
    session.delete(org)
    session.flush()


def find_organisation(session: Session, name: str) -> Organisation | None:
    """An organisation by name or acronym, ignoring case, diacritics and script."""
    key = fold(name)
    if not key:
        return None
    candidates = session.scalars(select(Organisation).where(
        Organisation.search_text.like(f"%{key}%"))).all()
    for org in candidates:
        names = {fold(org.name), fold(org.name_latin or ""), fold(org.acronym or "")}
        if key in names:
            return org
    return None


def organisation_tree(session: Session) -> list[OrganisationNode]:
    """All organisations as a forest: top-level ones with their divisions, by name."""
    counts = dict(session.execute(
        select(Affiliation.organisation_id, func.count()).where(Affiliation.ended_on.is_(None))
        .group_by(Affiliation.organisation_id)).all())
    rows = session.execute(select(Organisation.id, Organisation.name, Organisation.acronym,
                                  Organisation.kind, Organisation.country,
                                  Organisation.parent_id)).all()
    children: dict[int | None, list] = {}
    for row in rows:
        children.setdefault(row.parent_id, []).append(row)

    def build(parent_id: int | None) -> list[OrganisationNode]:
        return [OrganisationNode(r.id, r.name, r.acronym, r.kind, r.country,
                                 counts.get(r.id, 0), build(r.id))
                for r in sorted(children.get(parent_id, []), key=lambda r: r.name.casefold())]

    return build(None)
