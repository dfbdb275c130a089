"""Persons: create, edit, delete (with a snapshot to undo), affiliations, tags."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from smartconf.core.enums import Gender, Language
from smartconf.core.errors import NotFoundError, SmartconfError, ValidationError
from smartconf.core.text import is_cyrillic, to_latin
from smartconf.models import (
    Affiliation,
    Assessment,
    Consent,
    Interaction,
    Organisation,
    Participant,
    Person,
    PersonEmail,
    PersonPhone,
    Tag,
    TeamMember,
)
from smartconf.services.contact_details import normalise_email, normalise_phone
from smartconf.services.search_text import refresh_search_text
from smartconf.store.session import act_as

NAME_MAX = 200
TEXT_MAX = 300


@dataclass
class PersonInput:
    """What a form or an importer gives for one person; validated by ``validate_person``."""

    given_name: str
    family_name: str
    given_name_latin: str | None = None
    family_name_latin: str | None = None
    honorific: str | None = None
    position: str | None = None
    preferred_language: Language = Language.ENGLISH
    gender: Gender = Gender.UNKNOWN
    owner: str | None = None  # team member username
    notes: str | None = None
    emails: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)


def _clean(value: str | None, name: str, limit: int, *, required: bool = False,
           row: int | None = None) -> str | None:
    text = " ".join((value or "").split())
    if required and not text:
        raise ValidationError("is required", field=name, row=row)
    if len(text) > limit:
        raise ValidationError(f"is {len(text)} characters long; at most {limit} are allowed",
                              field=name, row=row)
    return text or None


def validate_person(data: PersonInput, *, row: int | None = None) -> PersonInput:
    """A cleaned copy: names trimmed, Latin forms derived from Cyrillic, contacts normalised.

    Raises ValidationError naming the field (and the row, for importers).
    """
    given = _clean(data.given_name, "given_name", NAME_MAX, required=True, row=row)
    family = _clean(data.family_name, "family_name", NAME_MAX, required=True, row=row)
    given_latin = _clean(data.given_name_latin, "given_name_latin", NAME_MAX, row=row)
    family_latin = _clean(data.family_name_latin, "family_name_latin", NAME_MAX, row=row)
    if is_cyrillic(given) and not given_latin:
        given_latin = to_latin(given)
    if is_cyrillic(family) and not family_latin:
        family_latin = to_latin(family)
    emails = list(dict.fromkeys(normalise_email(e, row=row) for e in data.emails if e.strip()))
    phones = list(dict.fromkeys(normalise_phone(p, row=row) for p in data.phones if p.strip()))
    return PersonInput(
        given_name=given, family_name=family, given_name_latin=given_latin,
        family_name_latin=family_latin,
        honorific=_clean(data.honorific, "honorific", 40, row=row),
        position=_clean(data.position, "position", TEXT_MAX, row=row),
        preferred_language=Language(data.preferred_language),
        gender=Gender(data.gender), owner=data.owner, notes=(data.notes or "").strip() or None,
        emails=emails, phones=phones,
        tags=sorted({t.strip() for t in data.tags if t.strip()}))


def _tags(session: Session, names: list[str], category: str = "tag") -> list[Tag]:
    found = {t.name: t for t in session.scalars(
        select(Tag).where(Tag.category == category, Tag.name.in_(names)))}
    return [found.get(n) or Tag(category=category, name=n) for n in names]


def _owner(session: Session, username: str | None) -> TeamMember | None:
    if not username:
        return None
    member = session.scalar(select(TeamMember).where(TeamMember.username == username))
    if member is None:
        raise ValidationError(f"no team member '{username}'", field="owner")
    return member


def _check_emails_free(session: Session, emails: list[str], person_id: int | None) -> None:
    if not emails:
        return
    taken = session.execute(
        select(PersonEmail.address, PersonEmail.person_id)
        .where(func.lower(PersonEmail.address).in_([e.lower() for e in emails]))).all()
    clash = [address for address, owner in taken if owner != person_id]
    if clash:
        raise ValidationError(f"{clash[0]} already belongs to another person", field="email")


def _apply(session: Session, person: Person, data: PersonInput) -> None:
    for name in ("given_name", "family_name", "given_name_latin", "family_name_latin",
                 "honorific", "position", "preferred_language", "gender", "notes"):
        setattr(person, name, getattr(data, name))
    person.owner = _owner(session, data.owner)
    _check_emails_free(session, data.emails, person.id)
    keep = {e.address.lower(): e for e in person.emails}
    person.emails = [keep.get(a.lower()) or PersonEmail(address=a) for a in data.emails]
    for index, email in enumerate(person.emails):
        email.is_primary = index == 0
    numbers = {p.number: p for p in person.phones}
    person.phones = [numbers.get(n) or PersonPhone(number=n) for n in data.phones]
    for index, phone in enumerate(person.phones):
        phone.is_primary = index == 0
    person.tags = _tags(session, data.tags)


def create_person(session: Session, data: PersonInput, *, actor: str) -> Person:
    """Validate and add a person; returns it flushed (with an id)."""
    act_as(session, actor)
    clean = validate_person(data)
    person = Person()
    _apply(session, person, clean)
    session.add(person)
    refresh_search_text(person)
    session.flush()
    return person


def get_person(session: Session, person_id: int) -> Person:
    """The person with this id, or NotFoundError."""
    person = session.get(Person, person_id)
    if person is None or person.erased_at is not None:
        raise NotFoundError(f"No person with id {person_id}.")
    return person


def update_person(session: Session, person_id: int, data: PersonInput, *,
                  actor: str) -> Person:
    """Replace the person's details with ``data`` (validated first; nothing changes on error)."""
    act_as(session, actor)
    clean = validate_person(data)
    person = get_person(session, person_id)
    _apply(session, person, clean)
    refresh_search_text(person)
    session.flush()
    return person


def person_input(person: Person) -> PersonInput:
    """The editable details of a person, as a form shows them."""
    return PersonInput(
        given_name=person.given_name, family_name=person.family_name,
        given_name_latin=person.given_name_latin, family_name_latin=person.family_name_latin,
        honorific=person.honorific, position=person.position,
        preferred_language=person.preferred_language, gender=person.gender,
        owner=person.owner.username if person.owner else None, notes=person.notes,
        emails=[e.address for e in person.emails], phones=[p.number for p in person.phones],
        tags=[t.name for t in person.tags])


# -- affiliations ---------------------------------------------------------------------------

def add_affiliation(session: Session, person_id: int, organisation_id: int, *, actor: str,
                    role: str | None = None, primary: bool = True,
                    started_on: date | None = None) -> Affiliation:
    """Affiliate a person; a new primary affiliation makes the others non-primary."""
    act_as(session, actor)
    person = get_person(session, person_id)
    organisation = session.get(Organisation, organisation_id)
    if organisation is None:
        raise NotFoundError(f"No organisation with id {organisation_id}.")
    if primary:
        for other in person.affiliations:
            other.is_primary = False
    affiliation = Affiliation(organisation=organisation, role=_clean(role, "role", TEXT_MAX),
                              is_primary=primary, started_on=started_on)
    person.affiliations.append(affiliation)
    refresh_search_text(person)
    session.flush()
    return affiliation


def end_affiliation(session: Session, affiliation_id: int, *, actor: str,
                    ended_on: date) -> Affiliation:
    """Close an affiliation; it stays in the person's history."""
    act_as(session, actor)
    affiliation = session.get(Affiliation, affiliation_id)
    if affiliation is None:
        raise NotFoundError(f"No affiliation with id {affiliation_id}.")
    if affiliation.started_on and ended_on < affiliation.started_on:
        raise ValidationError("ends before it started", field="ended_on")
    affiliation.ended_on = ended_on
    affiliation.is_primary = False
    refresh_search_text(affiliation.person)
    return affiliation


# -- delete and undo ------------------------------------------------------------------------

_SNAPSHOT_COLUMNS = ("id", "given_name", "family_name", "given_name_latin", "family_name_latin",
                     "honorific", "position", "preferred_language", "gender", "owner_id",
                     "notes", "created_at")


def delete_person(session: Session, person_id: int, *, actor: str) -> dict[str, Any]:
    """Delete a person and return a snapshot that ``restore_person`` puts back (undo).

    A person who takes part in a conference is not deleted: cancel the participation first,
    or erase the person (data protection) to keep the statistics.
    """
    act_as(session, actor)
    person = get_person(session, person_id)
    codes = session.scalars(select(Participant.conference_id).where(
        Participant.person_id == person_id)).all()
    if codes:
        raise SmartconfError(
            f"{person.full_name} takes part in {len(codes)} conference(s) and is not deleted.",
            hint="Remove the participations first, or use erasure to anonymise the person.")
    snapshot = _snapshot(session, person)
    session.delete(person)
    session.flush()
    return snapshot


_ASSESSMENT_COLUMNS = ("assessed_on", "influence", "interest", "stance", "engagement_now",
                       "engagement_desired", "note", "assessed_by")
_CONSENT_COLUMNS = ("purpose", "basis", "given_at", "withdrawn_at", "source", "text_version",
                    "created_at")


def _snapshot(session: Session, person: Person) -> dict[str, Any]:
    consents = session.scalars(select(Consent).where(Consent.person_id == person.id))
    interactions = session.scalars(select(Interaction.id).where(
        Interaction.persons.any(Person.id == person.id)))
    return {
        "person": {c: getattr(person, c) for c in _SNAPSHOT_COLUMNS},
        "emails": [(e.address, e.label, e.is_primary) for e in person.emails],
        "phones": [(p.number, p.label, p.is_primary) for p in person.phones],
        "affiliations": [(a.organisation_id, a.role, a.is_primary, a.started_on, a.ended_on)
                         for a in person.affiliations],
        "assessments": [{k: getattr(a, k) for k in _ASSESSMENT_COLUMNS}
                        for a in person.assessments],
        "consents": [{k: getattr(c, k) for k in _CONSENT_COLUMNS} for c in consents],
        "interaction_ids": list(interactions),
        "tag_ids": [t.id for t in person.tags],
    }


def restore_person(session: Session, snapshot: dict[str, Any], *, actor: str) -> Person:
    """Put back a person deleted by ``delete_person`` (same id, details and history)."""
    act_as(session, actor)
    person = Person(**snapshot["person"])
    person.emails = [PersonEmail(address=a, label=lbl, is_primary=p)
                     for a, lbl, p in snapshot["emails"]]
    person.phones = [PersonPhone(number=n, label=lbl, is_primary=p)
                     for n, lbl, p in snapshot["phones"]]
    person.affiliations = [Affiliation(organisation_id=o, role=r, is_primary=p, started_on=s,
                                       ended_on=e) for o, r, p, s, e in snapshot["affiliations"]]
    person.assessments = [Assessment(**a) for a in snapshot["assessments"]]
    person.tags = list(session.scalars(select(Tag).where(Tag.id.in_(snapshot["tag_ids"]))))
    session.add(person)
    session.add_all(Consent(person=person, **c) for c in snapshot["consents"])
    for interaction in session.scalars(select(Interaction).where(
            Interaction.id.in_(snapshot["interaction_ids"]))):
        interaction.persons.append(person)
    session.flush()
    refresh_search_text(person)
    return person
