"""Attendee lists of a conference as CSV, XLSX or PDF: chosen columns, statuses and roles,
sorted by the reader's collation, consent-aware and audited.

Who is on a list depends on its purpose (every export names one):

* ``participant_list``: a list that may be handed out (to participants, partners, the
  public). Only persons with an active consent for listing on participant lists
  (ConsentPurpose.PARTICIPANT_LISTS).
* ``donor``: a list handed to the donor. Only persons with an active consent for sharing
  with the donor (ConsentPurpose.DONOR_SHARING).
* ``internal``: staff use at the venue (desk, venue security, press accreditation).
  Everyone selected, whatever their consents; the purpose is written to the audit trail.

Persons left out for lack of consent are counted in the result ("12 left out"). Erased
persons are never listed (and not counted: there is nobody left to ask for consent).

Two ready-made lists (``PRESETS``) for the venue, both internal:

* ``press``: accredited press (role press) who are expected: name as written and in Latin
  letters, organisation (the outlet), position, country, e-mail and phone (the press
  officer calls them).
* ``security``: everyone the desk would admit, with what the venue's security checks an ID
  against: name as written and in Latin letters (as in a passport), organisation, position,
  role and country. No e-mail or phone: security needs neither.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from smartconf.core.collation import name_key
from smartconf.core.enums import (
    ADMISSIBLE,
    COUNTS_AGAINST_CAPACITY,
    AuditAction,
    ConsentPurpose,
    ParticipantRole,
    ParticipantStatus,
)
from smartconf.core.errors import ValidationError
from smartconf.core.tabular import Table
from smartconf.exports.spreadsheet import write_table
from smartconf.models import CheckIn, Conference, Consent, Participant, Person
from smartconf.models.base import utcnow
from smartconf.models.checkin import CONFERENCE_SCOPE
from smartconf.services.contact_details import display_phone
from smartconf.services.contact_export import _Contact, _language, _load_contacts
from smartconf.services.labels import role_label
from smartconf.store.audit import record_event
from smartconf.store.session import act_as

ATTENDEES_VERSION = "attendees/1"  # raise when a column's meaning or header changes
FORMATS = ("csv", "xlsx", "pdf")
_CHUNK = 5000


class Purpose(StrEnum):
    """Why a list leaves the application; decides whose consent it needs."""

    PARTICIPANT_LIST = "participant_list"
    DONOR = "donor"
    INTERNAL = "internal"


REQUIRED_CONSENT: dict[Purpose, ConsentPurpose | None] = {
    Purpose.PARTICIPANT_LIST: ConsentPurpose.PARTICIPANT_LISTS,
    Purpose.DONOR: ConsentPurpose.DONOR_SHARING,
    Purpose.INTERNAL: None,
}

# column key -> header; the order here is the order in the file
COLUMNS: dict[str, str] = {
    "name": "Name",
    "latin_name": "Name (Latin)",
    "organisation": "Organisation",
    "position": "Position",
    "role": "Role",
    "status": "Status",
    "country": "Country",
    "email": "E-mail",
    "phone": "Phone",
    "checked_in": "Checked in",
}
DEFAULT_COLUMNS = ("name", "latin_name", "organisation", "position", "role", "status")
DEFAULT_STATUSES = COUNTS_AGAINST_CAPACITY  # accepted, tentative, attended


@dataclass(frozen=True, slots=True)
class AttendeeOptions:
    """What goes on a list. Empty ``statuses`` means DEFAULT_STATUSES; empty ``roles`` all."""

    columns: tuple[str, ...] = DEFAULT_COLUMNS
    statuses: frozenset[ParticipantStatus] = frozenset()
    roles: frozenset[ParticipantRole] = frozenset()
    purpose: Purpose = Purpose.PARTICIPANT_LIST
    language: str = "sq"  # collation: sq, sr, en
    title: str = "Attendee list"


PRESETS: dict[str, AttendeeOptions] = {
    "press": AttendeeOptions(
        columns=("name", "latin_name", "organisation", "position", "country", "email", "phone"),
        statuses=COUNTS_AGAINST_CAPACITY, roles=frozenset({ParticipantRole.PRESS}),
        purpose=Purpose.INTERNAL, title="Press pre-registration"),
    "security": AttendeeOptions(
        columns=("name", "latin_name", "organisation", "position", "role", "country"),
        statuses=ADMISSIBLE, purpose=Purpose.INTERNAL, title="Security pre-registration"),
}


@dataclass(frozen=True, slots=True)
class AttendeeList:
    """The rows of a list and how many persons were left out for lack of consent."""

    table: Table
    left_out: int
    purpose: Purpose


@dataclass(frozen=True, slots=True)
class AttendeeExport:
    """An exported list: the file's bytes and what the result line says."""

    data: bytes
    fmt: str
    rows: int
    left_out: int
    purpose: Purpose

    def summary(self) -> str:
        """"Written 84 rows; 12 left out for lack of consent"."""
        text = f"Written {self.rows} row{'s' if self.rows != 1 else ''}"
        if self.left_out:
            text += f"; {self.left_out} left out for lack of consent"
        return text


@dataclass
class _Attendee:
    participant_id: int
    person_id: int
    role: ParticipantRole
    status: ParticipantStatus
    contact: _Contact | None = None
    checked_in: datetime | None = None


# --- options ----------------------------------------------------------------------------------


def _choice(enum, value, what: str):
    try:
        return enum(str(value).strip().lower())
    except ValueError:
        allowed = ", ".join(e.value for e in enum)
        raise ValidationError(f"unknown {what} '{value}' (one of: {allowed})",
                              field=what) from None


def attendee_options(*, columns: Sequence[str] | None = None,
                     statuses: Iterable[str] = (), roles: Iterable[str] = (),
                     purpose: str | None = None, language: str = "sq",
                     preset: str | None = None) -> AttendeeOptions:
    """Checked options from plain values (CLI, GUI); ``preset`` ("press", "security") gives
    the defaults that the other arguments, when given, override. Without a preset the
    purpose defaults to ``participant_list``."""
    if preset is not None and preset not in PRESETS:
        raise ValidationError(f"unknown list '{preset}' (one of: {', '.join(PRESETS)})",
                              field="preset")
    base = PRESETS[preset] if preset else AttendeeOptions()
    unknown = [c for c in columns or () if c not in COLUMNS]
    if unknown:
        raise ValidationError(f"unknown column {', '.join(unknown)} (one of: "
                              f"{', '.join(COLUMNS)})", field="columns")
    chosen = tuple(c for c in COLUMNS if c in set(columns)) if columns else base.columns
    if not chosen:
        raise ValidationError("choose at least one column", field="columns")
    return replace(
        base, columns=chosen, language=_language(language),
        statuses=frozenset(_choice(ParticipantStatus, s, "status") for s in statuses)
        or base.statuses,
        roles=frozenset(_choice(ParticipantRole, r, "role") for r in roles) or base.roles,
        purpose=_choice(Purpose, purpose, "purpose") if purpose else base.purpose)


# --- the list ---------------------------------------------------------------------------------


def _selected(session: Session, conference: Conference,
              options: AttendeeOptions) -> list[_Attendee]:
    query = (select(Participant.id, Participant.person_id, Participant.role, Participant.status)
             .join(Person, Person.id == Participant.person_id)
             .where(Participant.conference_id == conference.id, Person.erased_at.is_(None),
                    Participant.status.in_(options.statuses or DEFAULT_STATUSES)))
    if options.roles:
        query = query.where(Participant.role.in_(options.roles))
    return [_Attendee(pid, person_id, ParticipantRole(role), ParticipantStatus(status))
            for pid, person_id, role, status in session.execute(query)]


def _consenting(session: Session, person_ids: list[int], purpose: ConsentPurpose) -> set[int]:
    found: set[int] = set()
    for start in range(0, len(person_ids), _CHUNK):
        chunk = person_ids[start:start + _CHUNK]
        found.update(session.scalars(select(Consent.person_id).where(
            Consent.person_id.in_(chunk), Consent.purpose == purpose,
            Consent.withdrawn_at.is_(None))))
    return found


def _check_in_times(session: Session, participant_ids: list[int],
                    zone: ZoneInfo) -> dict[int, datetime]:
    """participant id -> when admitted to the conference (wall-clock, conference's zone)."""
    times: dict[int, datetime] = {}
    for start in range(0, len(participant_ids), _CHUNK):
        chunk = participant_ids[start:start + _CHUNK]
        for pid, at in session.execute(select(CheckIn.participant_id, CheckIn.checked_in_at)
                                       .where(CheckIn.participant_id.in_(chunk),
                                              CheckIn.scope == CONFERENCE_SCOPE,
                                              CheckIn.voided_at.is_(None))):
            times[pid] = at.astimezone(zone).replace(tzinfo=None, microsecond=0)
    return times


def _family_given(family: str, given: str) -> str:
    return ", ".join(part for part in (family.strip(), given.strip()) if part)


def _cell(attendee: _Attendee, column: str):
    c = attendee.contact
    if column == "name":
        return _family_given(c.family_name, c.given_name)
    if column == "latin_name":
        return _family_given(c.family_name_latin or c.family_name,
                             c.given_name_latin or c.given_name)
    if column == "role":
        return role_label(attendee.role)
    if column == "status":
        return attendee.status.value.replace("_", " ")
    if column == "phone":
        return display_phone(c.phone) if c.phone else None
    if column == "checked_in":
        return attendee.checked_in
    return getattr(c, column)


def attendee_list(session: Session, conference: Conference,
                  options: AttendeeOptions) -> AttendeeList:
    """The list's table, sorted by family then given name in ``options.language``, and the
    count of persons left out for lack of consent. Not audited: ``export_attendees`` is."""
    attendees = _selected(session, conference, options)
    required = REQUIRED_CONSENT[options.purpose]
    left_out = 0
    if required is not None:
        allowed = _consenting(session, [a.person_id for a in attendees], required)
        kept = [a for a in attendees if a.person_id in allowed]
        left_out, attendees = len(attendees) - len(kept), kept
    contacts = {c.id: c for c in _load_contacts(session, [a.person_id for a in attendees])}
    if "checked_in" in options.columns:
        times = _check_in_times(session, [a.participant_id for a in attendees],
                                ZoneInfo(conference.timezone))
    else:
        times = {}
    for attendee in attendees:
        attendee.contact = contacts[attendee.person_id]
        attendee.checked_in = times.get(attendee.participant_id)
    lang = options.language
    attendees.sort(key=lambda a: (name_key(a.contact.family_name, a.contact.given_name, lang),
                                  a.participant_id))
    rows = [tuple(_cell(a, column) for column in options.columns) for a in attendees]
    table = Table(f"{options.title} {conference.code}",
                  tuple(COLUMNS[c] for c in options.columns), rows, version=ATTENDEES_VERSION)
    return AttendeeList(table, left_out, options.purpose)


def _check_format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise ValidationError(f"unknown format '{fmt}' (one of: {', '.join(FORMATS)})",
                              field="format")
    return fmt


def _render(conference: Conference, listing: AttendeeList, options: AttendeeOptions,
            fmt: str, delimiter: str) -> bytes:
    if fmt != "pdf":
        return write_table(listing.table, fmt, delimiter=delimiter)
    from smartconf.exports.attendee_list import AttendeeListDocument, render_attendee_list

    zone = ZoneInfo(conference.timezone)
    return render_attendee_list(AttendeeListDocument(
        code=conference.code, conference=conference.title, title=options.title,
        starts_at=conference.starts_at.astimezone(zone), venue=conference.venue,
        organiser=conference.organiser_name, purpose=listing.purpose.value,
        printed_at=utcnow().astimezone(zone), table=listing.table))


def export_attendees(session: Session, conference: Conference, options: AttendeeOptions, *,
                     fmt: str, actor: str, delimiter: str = ",") -> AttendeeExport:
    """The attendee list of ``conference`` as CSV, XLSX or PDF (see the module doc).

    One EXPORT audit event names the purpose, format, row count, persons left out for lack
    of consent, statuses, roles and columns.
    """
    act_as(session, actor)
    _check_format(fmt)
    listing = attendee_list(session, conference, options)
    data = _render(conference, listing, options, fmt, delimiter)
    rows = len(listing.table.rows)
    statuses = sorted(s.value for s in options.statuses or DEFAULT_STATUSES)
    roles = sorted(r.value for r in options.roles) or ["all"]
    record_event(session, AuditAction.EXPORT, "conference", str(conference.id),
                 f"{options.title} of {conference.code} exported as {fmt.upper()} for purpose "
                 f"{options.purpose.value}: {rows} rows, {listing.left_out} left out for lack "
                 f"of consent; columns {ATTENDEES_VERSION} {','.join(options.columns)}",
                 changes={"purpose": options.purpose.value, "format": fmt, "rows": rows,
                          "left_out": listing.left_out, "statuses": statuses, "roles": roles,
                          "columns": list(options.columns)})
    return AttendeeExport(data, fmt, rows, listing.left_out, options.purpose)


__all__ = ["ATTENDEES_VERSION", "COLUMNS", "DEFAULT_COLUMNS", "DEFAULT_STATUSES", "FORMATS",
           "PRESETS", "REQUIRED_CONSENT", "AttendeeExport", "AttendeeList", "AttendeeOptions",
           "Purpose", "attendee_list", "attendee_options", "export_attendees"]
