"""Data protection: what is held on one person (subject access), erasure, the audit trail.

Erasure anonymises instead of deleting, so that statistics keep their counts. Kept: the person
row (id, gender, preferred language, "Erased person #id"), affiliations to organisations,
participations, check-ins, agenda roles, assessment scores, consent purposes and dates,
interactions and outcomes (their texts without the person). Removed: names, e-mails, phones,
notes, position, every free text on the person's own records (affiliation role, assessment
note, consent source, desk note...), messages sent to them, tags, search columns, and personal
values in the audit trail (who did what and when stays).

Mentions elsewhere are replaced by ``[erased]``: by full name, e-mail or phone number in every
text column of every table; by any single name part in the records linked to the person
(their interactions, agenda sessions, outcomes, audit events), and everywhere when no other
person bears that name part. On SQLite, freed pages are overwritten (secure_delete) and the
search index is rebuilt without the old entries; ``checkpoint_after_erasure`` then empties the
write-ahead log. Backups taken before the erasure still hold the data until they rotate out.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum as PyEnum
from typing import Any

import phonenumbers
from sqlalchemy import JSON, Enum, String, Table, Text, cast, delete, func, or_, select, update
from sqlalchemy.orm import Session

from smartconf.core.enums import AuditAction, InteractionKind
from smartconf.core.errors import NotFoundError, SmartconfError, ValidationError
from smartconf.core.text import fold, to_latin
from smartconf.models import (
    AgendaSession,
    AgendaSessionPerson,
    AuditEvent,
    Base,
    CheckIn,
    Conference,
    Consent,
    Interaction,
    Organisation,
    OutboxMessage,
    Outcome,
    Participant,
    Person,
    interaction_person,
)
from smartconf.models.base import utcnow
from smartconf.services.contact_details import display_phone
from smartconf.services.persons import get_person
from smartconf.store.audit import record_event
from smartconf.store.session import act_as

SUBJECT_ACCESS_VERSION = 1
ERASED = "[erased]"
SUBJECT_ACCESS_NOTICE = ("Badge codes are withheld: they admit to the venue, so they are "
                         "credentials rather than data to hand out.")
WITHHELD = "[withheld]"
_CREDENTIALS = {"participant": "badge_code", "revoked_badge": "code"}  # entity -> column
ERASED_NAME = "Erased person #{id}"

# Text columns of a person's own records that say nothing about the person (codes, user names
# of the team, technical keys). Every other text column of those records is personal.
NOT_PERSONAL: dict[str, frozenset[str]] = {
    "check_in": frozenset({"scope", "desk", "operator", "nonce", "voided_by"}),
    "participant": frozenset({"badge_code"}),
    "revoked_badge": frozenset({"code"}),
    "assessment": frozenset({"assessed_by"}),
    "consent": frozenset({"text_version"}),
    "interaction": frozenset({"created_by"}),
    "outbox_message": frozenset({"key"}),
}
# Records of the person that are deleted outright, and shared records whose texts (and their
# history in the audit trail) are only cleaned of the person: the rest belongs to others.
_DELETED = ("person_email", "person_phone", "person_tag")
_SHARED = ("outcome", "agenda_session")
# Columns never rewritten by the scan for mentions: other people's names (a namesake keeps
# theirs), the team's user names, and the audit trail's own bookkeeping.
NOT_SCANNED: dict[str, frozenset[str]] = {
    "person": frozenset({"given_name", "family_name", "given_name_latin", "family_name_latin",
                         "search_text", "sort_name"}),
    "team_member": frozenset({"username", "display_name", "pin_hash"}),
    "audit_event": frozenset({"actor", "entity", "entity_id"}),
}
_CHUNK = 500


# -- the audit view --------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class AuditRow:
    """One audit event as the audit view and ``smartconf audit`` show it."""

    id: int
    occurred_at: datetime
    actor: str
    action: str
    entity: str
    entity_id: str | None
    summary: str | None
    changes: dict | None

    def as_json(self) -> dict:
        return {"id": self.id, "occurred_at": self.occurred_at.isoformat(), "actor": self.actor,
                "action": self.action, "entity": self.entity, "entity_id": self.entity_id,
                "summary": self.summary, "changes": self.changes}

    @classmethod
    def of(cls, event: AuditEvent) -> AuditRow:
        return cls(event.id, event.occurred_at, event.actor, AuditAction(event.action).value,
                   event.entity, event.entity_id, event.summary, event.changes)


def audit_trail(session: Session, *, entity: str | None = None,
                entity_id: int | str | None = None, actor: str | None = None,
                limit: int = 500) -> list[AuditRow]:
    """The newest audit events first, optionally of one record and/or by one user."""
    query = select(AuditEvent)
    if entity:
        query = query.where(AuditEvent.entity == entity)
    if entity_id is not None:
        query = query.where(AuditEvent.entity_id == str(entity_id))
    if actor:
        query = query.where(AuditEvent.actor == actor)
    query = query.order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc()).limit(limit)
    return [AuditRow.of(event) for event in session.scalars(query)]


# -- what belongs to a person ----------------------------------------------------------------

def _tables_referring_to(table_name: str) -> list[tuple[Table, str]]:
    """(table, column) of every foreign key to ``table_name``.id."""
    return [(table, fk.parent.name) for table in Base.metadata.sorted_tables
            for fk in table.foreign_keys
            if fk.column.table.name == table_name and fk.column.name == "id"]


def _pk_string(table: Table, row) -> str:
    return "/".join(str(row._mapping[c]) for c in table.primary_key.columns)


def _created_for(session: Session, entity: str, column: str, owner_id: int) -> set[str]:
    """Ids of ``entity`` rows the audit trail saw created for ``owner_id`` (rows since gone
    included: a former e-mail address, a deleted participation)."""
    pattern = f'%"{column}": [null, {owner_id}]%'
    rows = session.execute(select(AuditEvent.entity_id, AuditEvent.changes).where(
        AuditEvent.entity == entity, AuditEvent.action == AuditAction.CREATE,
        cast(AuditEvent.changes, Text).like(pattern))).all()
    return {entity_id for entity_id, changes in rows
            if entity_id and (changes or {}).get(column) == [None, owner_id]}


def _owned(session: Session, parent: str, owner_ids: Iterable[int]) -> dict[str, set[str]]:
    """Entity -> ids of the rows that refer to ``parent`` rows ``owner_ids``, now or once."""
    found: dict[str, set[str]] = {}
    for table, column in _tables_referring_to(parent):
        ids = found.setdefault(table.name, set())
        for owner_id in owner_ids:
            rows = session.execute(select(*table.primary_key.columns).where(
                table.c[column] == owner_id)).all()
            ids |= {_pk_string(table, row) for row in rows}
            ids |= _created_for(session, table.name, column, owner_id)
    return found


def _related(session: Session, person_id: int) -> dict[str, set[str]]:
    """Every record about the person, by entity (table name): their own rows, rows of their
    participations, and the interactions and agenda sessions they take part in."""
    related = {"person": {str(person_id)}, **_owned(session, "person", [person_id])}
    participant_ids = [int(i) for i in related.get("participant", ())]
    for entity, ids in _owned(session, "participant", participant_ids).items():
        related.setdefault(entity, set()).update(ids)
    related["interaction"] = {str(i) for i in session.scalars(select(
        interaction_person.c.interaction_id).where(interaction_person.c.person_id == person_id))}
    related["agenda_session"] = {str(i) for i in session.scalars(select(
        AgendaSessionPerson.agenda_session_id).where(AgendaSessionPerson.person_id == person_id))}
    return {entity: ids for entity, ids in related.items() if ids}


def _chunks(items: list, size: int = _CHUNK):
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _related_events(session: Session, related: dict[str, set[str]]) -> list[AuditEvent]:
    """Audit events about any of the related records, oldest first."""
    events: list[AuditEvent] = []
    for entity, ids in related.items():
        for chunk in _chunks(sorted(ids)):
            events += session.scalars(select(AuditEvent).where(
                AuditEvent.entity == entity, AuditEvent.entity_id.in_(chunk)))
    return sorted(events, key=lambda e: (e.occurred_at, e.id))


# -- subject access --------------------------------------------------------------------------

def _iso(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, PyEnum):
        return value.value
    return value


def _record(obj: Any, *names: str) -> dict[str, Any]:
    return {name: _iso(getattr(obj, name)) for name in names}


def _person_section(person: Person) -> dict[str, Any]:
    details = _record(person, "id", "given_name", "family_name", "given_name_latin",
                      "family_name_latin", "honorific", "position", "preferred_language",
                      "gender", "notes", "created_at", "updated_at")
    details["owner"] = person.owner.display_name if person.owner else None
    details["tags"] = sorted(t.name for t in person.tags)
    return details


def _contact_sections(person: Person) -> dict[str, list]:
    return {
        "emails": [_record(e, "address", "label", "is_primary") for e in person.emails],
        "phones": [{**_record(p, "number", "label", "is_primary"),
                    "display": display_phone(p.number)} for p in person.phones],
        "affiliations": [{"organisation": a.organisation.name,
                          "country": a.organisation.country,
                          **_record(a, "role", "is_primary", "started_on", "ended_on")}
                         for a in person.affiliations],
        "assessments": [_record(a, "assessed_on", "influence", "interest", "stance",
                                "engagement_now", "engagement_desired", "note", "assessed_by")
                        for a in person.assessments],
    }


def _engagement_sections(session: Session, person_id: int) -> dict[str, list]:
    consents = session.scalars(select(Consent).where(Consent.person_id == person_id)
                               .order_by(Consent.given_at, Consent.id))
    interactions = session.scalars(
        select(Interaction).where(Interaction.persons.any(Person.id == person_id))
        .order_by(Interaction.occurred_at, Interaction.id))
    return {
        "consents": [_record(c, "purpose", "basis", "given_at", "withdrawn_at", "source",
                             "text_version") for c in consents],
        "interactions": [{**_record(i, "kind", "occurred_at", "summary", "follow_up_on",
                                    "created_by"),
                          "organisations": [o.name for o in i.organisations],
                          "other_persons": len(i.persons) - 1} for i in interactions],
    }


def _conference_sections(session: Session, person_id: int) -> dict[str, list]:
    participations = session.scalars(
        select(Participant).join(Conference).where(Participant.person_id == person_id)
        .order_by(Conference.starts_at))
    check_ins = session.scalars(
        select(CheckIn).join(Participant).where(Participant.person_id == person_id)
        .order_by(CheckIn.checked_in_at))
    roles = session.scalars(
        select(AgendaSessionPerson).join(AgendaSession)
        .where(AgendaSessionPerson.person_id == person_id).order_by(AgendaSession.starts_at))
    outcomes = session.scalars(select(Outcome).where(Outcome.committed_person_id == person_id)
                               .order_by(Outcome.id))
    return {
        "participations": [{"conference": p.conference.code, "title": p.conference.title,
                            **_record(p, "role", "status", "status_changed_at",
                                      "badge_revision", "desk_note", "consent_override")}
                           for p in participations],
        "check_ins": [{"conference": c.participant.conference.code,
                       "agenda_session": _session_title(session, c.agenda_session_id),
                       **_record(c, "checked_in_at", "desk", "method", "voided_at",
                                 "void_reason")} for c in check_ins],
        "agenda_roles": [{"conference": r.agenda_session.conference.code,
                          "agenda_session": r.agenda_session.title,
                          "starts_at": _iso(r.agenda_session.starts_at), "role": _iso(r.role)}
                         for r in roles],
        "outcomes_committed": [{"conference": o.agenda_session.conference.code,
                                "agenda_session": o.agenda_session.title,
                                **_record(o, "kind", "text", "status", "due_on")}
                               for o in outcomes],
    }


def _session_title(session: Session, agenda_session_id: int | None) -> str | None:
    if agenda_session_id is None:
        return None
    agenda_session = session.get(AgendaSession, agenda_session_id)
    return agenda_session.title if agenda_session else None


def _messages_section(session: Session, person: Person) -> list[dict]:
    addresses = [e.address for e in person.emails]
    participations = select(Participant.id).where(Participant.person_id == person.id)
    messages = session.scalars(select(OutboxMessage).where(or_(
        OutboxMessage.participant_id.in_(participations),
        OutboxMessage.recipient.in_(addresses))).order_by(OutboxMessage.created_at))
    return [_record(m, "kind", "recipient", "subject", "state", "sent_at", "created_at")
            for m in messages]


def _subject_data(session: Session, person_id: int, actor: str) -> dict[str, Any]:
    person = get_person(session, person_id)
    events = _related_events(session, _related(session, person_id))
    return {
        "format_version": SUBJECT_ACCESS_VERSION,
        "generated_at": utcnow().isoformat(timespec="seconds"),
        "generated_by": actor,
        "notice": SUBJECT_ACCESS_NOTICE,
        "person": _person_section(person),
        **_contact_sections(person),
        **_engagement_sections(session, person_id),
        **_conference_sections(session, person_id),
        "messages": _messages_section(session, person),
        "audit_events": [_audit_entry(e) for e in events if e.entity != "agenda_session"],
    }


def _audit_entry(event: AuditEvent) -> dict[str, Any]:
    """An audit event for the subject, badge codes withheld."""
    entry = {k: v for k, v in AuditRow.of(event).as_json().items() if k != "id"}
    secret = _CREDENTIALS.get(event.entity)
    if entry["changes"] and secret in entry["changes"]:
        entry["changes"] = {**entry["changes"], secret: [
            None if v is None else WITHHELD for v in entry["changes"][secret]]}
    return entry


def subject_access_export(session: Session, person_id: int, *, actor: str) -> dict[str, Any]:
    """Everything held on one person, as JSON-ready data (GDPR art. 15). Audited.

    Badge codes are withheld (see ``SUBJECT_ACCESS_NOTICE``).
    """
    act_as(session, actor)
    data = _subject_data(session, person_id, actor)
    record_event(session, AuditAction.EXPORT, "person", str(person_id),
                 "subject access export (JSON)")
    return data


def subject_access_pdf(session: Session, person_id: int, *, actor: str) -> bytes:
    """The subject access export as a readable PDF. Audited."""
    from smartconf.exports.subject_report import render_subject_report  # ReportLab: lazily

    act_as(session, actor)
    pdf = render_subject_report(_subject_data(session, person_id, actor))
    record_event(session, AuditAction.EXPORT, "person", str(person_id),
                 "subject access export (PDF)")
    return pdf


# -- erasure: what to look for ---------------------------------------------------------------

_WORD_SPLIT = re.compile(r"[\s\-‐‑–—]+")


def _spellings(text: str) -> set[str]:
    """How a name may be written elsewhere: as written, Latin, folded, without diacritics."""
    latin = to_latin(text)
    plain = unicodedata.normalize("NFKD", latin.replace("đ", "d").replace("Đ", "D"))
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch))
    return {s for s in (text, latin, fold(text), plain) if s}


def _phone_forms(number: str) -> set[str]:
    forms = {number, display_phone(number), number.lstrip("+")}
    try:
        parsed = phonenumbers.parse(number, None)
        forms.add(phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL))
    except phonenumbers.NumberParseException:
        pass
    return {f for f in forms if len(f) >= 6}


def _pattern(terms: Iterable[str]) -> re.Pattern | None:
    alternatives = sorted({t for t in terms if t}, key=len, reverse=True)
    if not alternatives:
        return None
    joined = "|".join(re.escape(t) for t in alternatives)
    return re.compile(rf"(?<!\w)(?:{joined})(?!\w)", re.IGNORECASE)


@dataclass(frozen=True)
class _Identity:
    """The person's identifiers and the patterns that find them in texts."""

    everywhere: re.Pattern | None  # full names, unique family names, e-mails, phones
    linked: re.Pattern | None  # the above and every name part (records about the person)
    like_terms: frozenset[str]  # cheap SQL pre-filter for ``everywhere``


def _former_values(events: list[AuditEvent], keys: set[str]) -> set[str]:
    """String values the audit trail recorded for ``keys`` (former names, addresses...)."""
    values = set()
    for event in events:
        for key, change in (event.changes or {}).items():
            if key in keys and isinstance(change, list):
                values |= {v for v in change if isinstance(v, str) and v}
    return values


def _contains_word(column, word: str):
    return or_(column == word, column.like(f"{word} %"), column.like(f"% {word}"),
               column.like(f"% {word} %"))


def _unique_parts(session: Session, person_id: int, parts: set[str]) -> set[str]:
    """Name parts (folded) found in no other person's names, position or organisations and
    in no organisation's name: mentions of them anywhere are mentions of this person."""
    unique = set()
    for part in {fold(p) for p in parts if len(fold(p)) >= 3}:
        others = session.scalar(select(func.count()).where(
            Person.id != person_id, _contains_word(Person.search_text, part)))
        places = session.scalar(select(func.count()).where(
            _contains_word(Organisation.search_text, part)))
        if not others and not places:
            unique.add(part)
    return unique


def _like_variants(term: str) -> set[str]:
    variants = {term} if term.isascii() else {term, term.lower(), term.upper(),
                                              term.capitalize()}
    return variants | {json.dumps(v)[1:-1] for v in variants}  # JSON text escapes non-ASCII


def _identity(session: Session, person: Person, events: list[AuditEvent]) -> _Identity:
    given = {n for n in (person.given_name, person.given_name_latin) if n}
    given |= _former_values(events, {"given_name", "given_name_latin"})
    family = {n for n in (person.family_name, person.family_name_latin) if n}
    family |= _former_values(events, {"family_name", "family_name_latin"})
    names = given | family
    parts = {p for name in names for p in _WORD_SPLIT.split(name) if len(p) >= 2}
    full = {f"{a} {b}" for g in given for f in family for a, b in ((g, f), (f, g))}
    emails = {e.address for e in person.emails} | _former_values(events, {"address"})
    phones = {p.number for p in person.phones} | _former_values(events, {"number"})
    phone_forms = {form for number in phones for form in _phone_forms(number)}
    # Given names alone are often words too (Drita, Besa, Shpresa): only family names that
    # nobody else bears are looked for on their own outside the person's records.
    family_parts = {p for name in family for p in _WORD_SPLIT.split(name) if len(p) >= 2}
    unique = _unique_parts(session, person.id, family_parts)
    spelled_full = {s for name in full for s in _spellings(name)}
    spelled_unique = {s for part in family_parts if fold(part) in unique
                      for s in _spellings(part)}
    everywhere = spelled_full | spelled_unique | emails | phone_forms
    spelled_parts = {s for part in parts for s in _spellings(part)}
    spelled_family = {s for name in family for s in _spellings(name)}
    like_terms = {v for t in spelled_family | spelled_unique | emails | phone_forms
                  for v in _like_variants(t)}
    return _Identity(_pattern(everywhere), _pattern(everywhere | spelled_parts),
                     frozenset(like_terms))


def _scrub(value: Any, pattern: re.Pattern | None) -> Any:
    """``value`` (text or JSON) with every match of ``pattern`` replaced by [erased]."""
    if pattern is None or value is None:
        return value
    if isinstance(value, str):
        return pattern.sub(ERASED, value)
    if isinstance(value, list):
        return [_scrub(v, pattern) for v in value]
    if isinstance(value, dict):
        return {k: _scrub(v, pattern) for k, v in value.items()}
    return value


# -- erasure: the steps ----------------------------------------------------------------------

def _is_text(column) -> bool:
    return isinstance(column.type, String | JSON) and not isinstance(column.type, Enum)


def personal_columns(table: Table) -> list[str]:
    """Text columns of a person's own record in ``table`` that hold personal data."""
    keep = NOT_PERSONAL.get(table.name, frozenset())
    return [c.name for c in table.columns if _is_text(c) and c.name not in keep
            and not c.primary_key]


def _blanks(table: Table, names: Iterable[str]) -> dict[str, Any]:
    return {n: None if table.c[n].nullable else ERASED for n in names}


def _anonymise_person_row(session: Session, person_id: int) -> None:
    table = Person.__table__
    values = _blanks(table, personal_columns(table))
    values.update(given_name="", family_name=ERASED_NAME.format(id=person_id), search_text="",
                  sort_name="", owner_id=None, erased_at=utcnow(), updated_at=utcnow())
    session.execute(update(table).where(table.c.id == person_id).values(**values))


def _delete_contacts(session: Session, person: Person, participant_ids: list[int]) -> None:
    addresses = [e.address for e in person.emails]
    session.execute(delete(OutboxMessage).where(or_(
        OutboxMessage.participant_id.in_(participant_ids),
        OutboxMessage.recipient.in_(addresses))))
    for table, column in _tables_referring_to("person"):
        if table.name in _DELETED:
            session.execute(delete(table).where(table.c[column] == person.id))


def _blank_own_records(session: Session, person_id: int, participant_ids: list[int]) -> None:
    """Blank the personal text columns of the rows that belong to the person alone."""
    owners = [("person", [person_id]), ("participant", participant_ids)]
    for parent, ids in owners:
        for table, column in _tables_referring_to(parent):
            names = personal_columns(table)
            if table.name in _DELETED + _SHARED or not names or not ids:
                continue
            session.execute(update(table).where(table.c[column].in_(ids))
                            .values(**_blanks(table, names)))


def _scrub_rows(session: Session, table: Table, ids: Iterable[int], names: list[str],
                pattern: re.Pattern | None) -> None:
    for chunk in _chunks(sorted(ids)):
        rows = session.execute(select(table.c.id, *[table.c[n] for n in names])
                               .where(table.c.id.in_(chunk))).all()
        for row in rows:
            _update_changed(session, table, row, names, {n: _scrub(row._mapping[n], pattern)
                                                         for n in names})


def _update_changed(session: Session, table: Table, row, names: list[str],
                    new: dict[str, Any]) -> None:
    changed = {n: _fit(table, n, v) for n, v in new.items() if v != row._mapping[n]}
    if changed:
        keys = [c == row._mapping[c] for c in table.primary_key.columns]
        session.execute(update(table).where(*keys).values(**changed))


def _fit(table: Table, name: str, value: Any) -> Any:
    length = getattr(table.c[name].type, "length", None)
    return value[:length] if isinstance(value, str) and length else value


def _scrub_interactions(session: Session, person_id: int,
                        pattern: re.Pattern | None) -> set[str]:
    """Interactions with the person lose the person's names; the summary of a meeting with
    the person alone says nothing about anyone else and is erased (attendance excepted).
    Returns the ids of the interactions whose summary was erased."""
    people = func.count(interaction_person.c.person_id)
    rows = session.execute(
        select(Interaction.id, Interaction.kind, Interaction.summary, people)
        .join(interaction_person, interaction_person.c.interaction_id == Interaction.id)
        .where(Interaction.id.in_(select(interaction_person.c.interaction_id)
                                  .where(interaction_person.c.person_id == person_id)))
        .group_by(Interaction.id, Interaction.kind, Interaction.summary)).all()
    erased = set()
    for interaction_id, kind, summary, count in rows:
        alone = count == 1 and InteractionKind(kind) is not InteractionKind.CONFERENCE_ATTENDANCE
        new = ERASED if alone else _scrub(summary, pattern)
        if alone:
            erased.add(str(interaction_id))
        if new != summary:
            session.execute(update(Interaction).where(Interaction.id == interaction_id)
                            .values(summary=new))
    return erased


def _erase_event_values(event: AuditEvent, pattern: re.Pattern | None,
                        shared: bool) -> dict | None:
    """The event's changes without personal values (field names and other values stay).
    On a shared record (a panel, a meeting with others) only the person's names go."""
    if not event.changes:
        return event.changes
    table = Base.metadata.tables.get(event.entity)
    if shared:
        personal = set()
    else:
        personal = set(personal_columns(table)) if table is not None else set(event.changes)
    return {key: (_erased_change(change) if key in personal else _scrub(change, pattern))
            for key, change in event.changes.items()}


def _erased_change(change: Any) -> Any:
    if isinstance(change, list):
        return [None if v is None else ERASED for v in change]
    return None if change is None else ERASED


def _scrub_audit_events(session: Session, events: list[AuditEvent],
                        pattern: re.Pattern | None, shared: set[tuple[str, str]]) -> None:
    """Personal values out of the events about the person's records; on shared records
    (``shared``: entity, id) only the person's names."""
    for event in events:
        is_shared = event.entity in _SHARED or (event.entity, event.entity_id) in shared
        changes = _erase_event_values(event, pattern, is_shared)
        summary = _scrub(event.summary, pattern)
        if changes != event.changes or summary != event.summary:
            session.execute(update(AuditEvent).where(AuditEvent.id == event.id)
                            .values(changes=changes, summary=summary))


def _scanned_columns(table: Table) -> list[str]:
    skip = NOT_SCANNED.get(table.name, frozenset())
    return [c.name for c in table.columns if _is_text(c) and c.name not in skip]


def _scrub_everywhere(session: Session, identity: _Identity) -> None:
    """Replace mentions (full name, unique name part, e-mail, phone) in every text column."""
    if identity.everywhere is None:
        return
    for table in Base.metadata.sorted_tables:
        names = _scanned_columns(table)
        if not names or not table.primary_key.columns:
            continue
        found = or_(*[cast(table.c[n], Text).ilike(f"%{_like_escape(t)}%", escape="\\")
                      for n in names for t in identity.like_terms])
        rows = session.execute(select(*table.primary_key.columns,
                                      *[table.c[n] for n in names]).where(found)).all()
        for row in rows:
            _update_changed(session, table, row, names,
                            {n: _scrub(row._mapping[n], identity.everywhere) for n in names})


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _purge_search_index(session: Session) -> None:
    """SQLite FTS5 keeps deleted tokens until its segments merge: merge them now."""
    if session.get_bind().dialect.name != "sqlite":
        return
    connection = session.connection()
    for name in ("person_fts", "person_prefix"):
        exists = connection.exec_driver_sql(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)).first()
        if exists:
            connection.exec_driver_sql(f"INSERT INTO {name}({name}) VALUES ('optimize')")


def erase_person(session: Session, person_id: int, *, actor: str, reason: str) -> None:
    """Anonymise a person for good (GDPR art. 17), keeping the counts for statistics.

    See the module docstring for what is kept and what goes. The erasure is audited without
    personal data; ``reason`` is recorded with the person's identifiers removed. The work is
    done in SQL, so every object of ``session`` is expired (reloaded when next used in it).
    """
    act_as(session, actor)
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError("is required", field="reason")
    person = session.get(Person, person_id)
    if person is None:
        raise NotFoundError(f"No person with id {person_id}.")
    if person.erased_at is not None:
        raise SmartconfError(f"Person #{person_id} was already erased on "
                             f"{person.erased_at:%Y-%m-%d}.")
    session.flush()
    if session.get_bind().dialect.name == "sqlite":
        session.connection().exec_driver_sql("PRAGMA secure_delete = ON")
    related = _related(session, person_id)
    events = _related_events(session, related)
    identity = _identity(session, person, events)
    participant_ids = [int(i) for i in related.get("participant", ())]
    _delete_contacts(session, person, participant_ids)
    _anonymise_person_row(session, person_id)
    _blank_own_records(session, person_id, participant_ids)
    alone = _scrub_interactions(session, person_id, identity.linked)
    shared = {("interaction", i) for i in related.get("interaction", set()) - alone}
    _scrub_rows(session, Outcome.__table__, map(int, related.get("outcome", ())), ["text"],
                identity.linked)
    _scrub_rows(session, AgendaSession.__table__, map(int, related.get("agenda_session", ())),
                ["title", "description"], identity.linked)
    _scrub_audit_events(session, events, identity.linked, shared)
    _scrub_everywhere(session, identity)
    _purge_search_index(session)
    session.expire_all()
    record_event(session, AuditAction.ERASE, "person", str(person_id),
                 f"Erased person #{person_id}. Reason: {_scrub(reason, identity.linked)}")
    session.flush()


def checkpoint_after_erasure(engine) -> None:
    """SQLite: copy the write-ahead log into the file and empty it, so that no page written
    before the erasure survives there. Call after the erasure is committed."""
    if engine.dialect.name == "sqlite":
        with engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")


__all__ = ["ERASED", "NOT_PERSONAL", "NOT_SCANNED", "AuditRow", "audit_trail",
           "checkpoint_after_erasure", "erase_person", "personal_columns",
           "subject_access_export", "subject_access_pdf"]
