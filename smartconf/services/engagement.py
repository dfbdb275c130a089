"""A person's engagement record: assessments (dated history), consents, interactions."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from smartconf.core.enums import (
    ConsentPurpose,
    Engagement,
    InteractionKind,
    LawfulBasis,
    Stance,
)
from smartconf.core.errors import NotFoundError, ValidationError
from smartconf.models import Assessment, Consent, Interaction, Organisation, Person
from smartconf.models.base import utcnow
from smartconf.services.persons import get_person
from smartconf.store.session import act_as


def assess_person(session: Session, person_id: int, *, actor: str, influence: int,
                  interest: int, stance: Stance = Stance.UNKNOWN,
                  engagement_now: Engagement = Engagement.NEUTRAL,
                  engagement_desired: Engagement = Engagement.SUPPORTIVE,
                  note: str | None = None, assessed_on: date | None = None) -> Assessment:
    """Add a dated assessment; the newest one is the current one, older ones stay."""
    act_as(session, actor)
    for name, value in (("influence", influence), ("interest", interest)):
        if not isinstance(value, int) or not 1 <= value <= 5:
            raise ValidationError(f"must be a whole number from 1 to 5, not {value!r}",
                                  field=name)
    person = get_person(session, person_id)
    assessment = Assessment(assessed_on=assessed_on or date.today(), influence=influence,
                            interest=interest, stance=Stance(stance),
                            engagement_now=Engagement(engagement_now),
                            engagement_desired=Engagement(engagement_desired),
                            note=(note or "").strip() or None, assessed_by=actor)
    person.assessments.append(assessment)
    session.flush()
    return assessment


def current_assessment(person: Person) -> Assessment | None:
    """The newest assessment of a person."""
    return max(person.assessments, key=lambda a: (a.assessed_on, a.id or 0), default=None)


def give_consent(session: Session, person_id: int, purpose: ConsentPurpose, *, actor: str,
                 basis: LawfulBasis = LawfulBasis.CONSENT, source: str | None = None,
                 text_version: str | None = None, given_at: datetime | None = None) -> Consent:
    """Record a consent; an active consent for the same purpose is kept as it is."""
    act_as(session, actor)
    get_person(session, person_id)
    active = active_consent(session, person_id, purpose)
    if active is not None:
        return active
    consent = Consent(person_id=person_id, purpose=ConsentPurpose(purpose),
                      basis=LawfulBasis(basis), given_at=given_at or utcnow(),
                      source=(source or "").strip() or None, text_version=text_version)
    session.add(consent)
    session.flush()
    return consent


def withdraw_consent(session: Session, person_id: int, purpose: ConsentPurpose, *,
                     actor: str, withdrawn_at: datetime | None = None) -> Consent:
    """Withdraw the active consent for ``purpose``; the record stays, closed."""
    act_as(session, actor)
    active = active_consent(session, person_id, purpose)
    if active is None:
        raise NotFoundError(f"No active consent for {ConsentPurpose(purpose).value}.")
    active.withdrawn_at = withdrawn_at or utcnow()
    return active


def active_consent(session: Session, person_id: int, purpose: ConsentPurpose) -> Consent | None:
    """The consent in force for ``purpose``, if any."""
    return session.scalar(select(Consent).where(
        Consent.person_id == person_id, Consent.purpose == ConsentPurpose(purpose),
        Consent.withdrawn_at.is_(None)))


def consent_history(session: Session, person_id: int) -> list[Consent]:
    """Every consent record of a person, newest first."""
    return list(session.scalars(select(Consent).where(Consent.person_id == person_id)
                                .order_by(Consent.given_at.desc(), Consent.id.desc())))


def log_interaction(session: Session, *, actor: str, kind: InteractionKind, summary: str,
                    person_ids: list[int], organisation_ids: list[int] | None = None,
                    occurred_at: datetime | None = None,
                    follow_up_on: date | None = None) -> Interaction:
    """Record a meeting, call, e-mail or note with one or more persons/organisations."""
    act_as(session, actor)
    if not person_ids and not organisation_ids:
        raise ValidationError("name at least one person or organisation", field="with")
    persons = list(session.scalars(select(Person).where(Person.id.in_(person_ids))))
    organisations = list(session.scalars(select(Organisation).where(
        Organisation.id.in_(organisation_ids or []))))
    if len(persons) != len(set(person_ids)):
        raise NotFoundError("Some of the persons named do not exist.")
    interaction = Interaction(kind=InteractionKind(kind), summary=summary.strip(),
                              occurred_at=occurred_at or utcnow(), follow_up_on=follow_up_on,
                              created_by=actor, persons=persons, organisations=organisations)
    session.add(interaction)
    session.flush()
    return interaction


def interactions_of(session: Session, person_id: int) -> list[Interaction]:
    """A person's timeline, newest first (check-ins appear as conference attendance)."""
    return list(session.scalars(
        select(Interaction).where(Interaction.persons.any(Person.id == person_id))
        .order_by(Interaction.occurred_at.desc(), Interaction.id.desc())))
