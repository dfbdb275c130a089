"""A small, known data set for the GUI tests when the demo data (services.demo) is absent."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy.orm import Session

from smartconf.core.enums import (
    AgendaRole,
    AgendaSessionKind,
    CheckInMethod,
    ConferenceStatus,
    Language,
    OrganisationKind,
    OutcomeKind,
    OutcomeStatus,
    ParticipantRole,
    ParticipantStatus,
)
from smartconf.models import (
    Affiliation,
    AgendaSession,
    AgendaSessionPerson,
    CheckIn,
    Conference,
    Organisation,
    Outcome,
    Participant,
    Person,
    PersonEmail,
    Room,
    Tag,
    TeamMember,
)
from smartconf.services.search_text import refresh_search_text


def seed(session: Session) -> None:
    """Two organisations (a division inside a ministry), four persons, one conference with
    rooms, agenda, participants, two check-ins and two outcomes (one overdue)."""
    ministry = Organisation(name="Ministry of Internal Affairs", acronym="MPB",
                            kind=OrganisationKind.MINISTRY)
    division = Organisation(name="Cyber Security Division", kind=OrganisationKind.MINISTRY,
                            parent=ministry)
    media = Organisation(name="Радио Контакт Плус", name_latin="Radio Kontakt Plus",
                         kind=OrganisationKind.MEDIA)
    tag = Tag(name="cyber")
    owner = TeamMember(username="ana", display_name="Ana Berisha")
    people = [
        _person("Dragan", "Čolić", None, None, Language.SERBIAN, "Head of unit", division,
                [tag]),
        _person("Драган", "Чолић", "Dragan", "Čolić", Language.SERBIAN, "Editor", media, []),
        _person("Arta", "Krasniqi", None, None, Language.ALBANIAN, "Director", ministry, [tag]),
        _person("Ilir", "Gashi", None, None, Language.ENGLISH, "Analyst", None, []),
    ]
    people[0].emails.append(PersonEmail(address="dragan.colic@example.org", is_primary=True))
    session.add_all([ministry, division, media, owner, *people])
    for person in people:
        refresh_search_text(person)
    start = datetime(2027, 5, 12, 7, 0, tzinfo=UTC)  # 09:00 in Prishtina
    conference = Conference(
        code="SB-CI", title="Critical Infrastructure Resilience in Kosovo",
        starts_at=start, ends_at=start + timedelta(hours=9), venue="Hotel Sirius, Prishtina",
        capacity=120, status=ConferenceStatus.OPEN, calendar_uid="sb-ci-2027@kcss")
    hall, room_b = Room(name="Main hall", capacity=120), Room(name="Room B", capacity=40)
    conference.rooms += [hall, room_b]
    opening = AgendaSession(kind=AgendaSessionKind.OPENING, title="Opening remarks", room=hall,
                            starts_at=start, ends_at=start + timedelta(minutes=30),
                            calendar_uid="opening@kcss")
    panel = AgendaSession(kind=AgendaSessionKind.PANEL, title="Protecting the grid",
                          room=room_b, starts_at=start + timedelta(hours=1),
                          ends_at=start + timedelta(hours=2), calendar_uid="panel@kcss")
    panel.people += [AgendaSessionPerson(person=people[2], role=AgendaRole.SPEAKER),
                     AgendaSessionPerson(person=people[3], role=AgendaRole.MODERATOR)]
    conference.agenda_sessions += [opening, panel]
    session.add(conference)
    participants = [
        Participant(conference=conference, person=people[0], status=ParticipantStatus.ATTENDED,
                    role=ParticipantRole.SPEAKER, badge_code=None),
        Participant(conference=conference, person=people[1], status=ParticipantStatus.ACCEPTED,
                    role=ParticipantRole.PRESS),
        Participant(conference=conference, person=people[2], status=ParticipantStatus.ATTENDED,
                    role=ParticipantRole.VIP),
        Participant(conference=conference, person=people[3], status=ParticipantStatus.INVITED),
    ]
    session.add_all(participants)
    session.flush()
    for i, participant in enumerate(participants[::2]):
        session.add(CheckIn(participant_id=participant.id, checked_in_at=start
                            - timedelta(minutes=20 - i), desk=f"Desk {i + 1}",
                            operator="ana", method=CheckInMethod.SCAN, nonce=f"seed-{i}"))
    session.add_all([
        Outcome(agenda_session=panel, kind=OutcomeKind.COMMITMENT,
                text="Publish the critical infrastructure register", committed_person=people[2],
                committed_organisation=ministry, owner=owner, due_on=date(2027, 9, 30),
                status=OutcomeStatus.OPEN),
        Outcome(agenda_session=panel, kind=OutcomeKind.RECOMMENDATION,
                text="Train operators in incident reporting", status=OutcomeStatus.DONE),
    ])
    session.flush()


def _person(given: str, family: str, given_latin: str | None, family_latin: str | None,
            language: Language, position: str, organisation: Organisation | None,
            tags: list[Tag]) -> Person:
    person = Person(given_name=given, family_name=family, given_name_latin=given_latin,
                    family_name_latin=family_latin, preferred_language=language,
                    position=position, tags=tags)
    if organisation is not None:
        person.affiliations.append(Affiliation(organisation=organisation, is_primary=True))
    return person
