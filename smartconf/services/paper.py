"""Paper fallback of the desk: the sign-in sheet, and its signed rows entered as check-ins.

Row code, format 1: the participant id written in base 32 (the badge-code alphabet: digits and
capitals without I, O, Y, Z), at least three characters (zero-padded), then one Luhn mod 32
check character (the badge code's check). Participant 1 is ``001`` + check, participant 32,768
needs a fourth character; a 4-6 character code covers 33 million participants.

* Stable: the same participant has the same code on every print of the sheet, whatever the
  order, filter or language, and after a badge is reissued.
* Unique: participant ids are unique across conferences, so a row code names one
  participation; a code from another conference's sheet is rejected as such.
* Typeable after the event: read case-insensitively, I and O read as 1 and 0, spaces and
  hyphens ignored; every single mistyped character, and every swap of two neighbours except
  ``0X`` <-> ``X0``, fails the check and is rejected before any lookup.
* Not secret: it is printed on a sheet that staff keep, and entering it needs a staff login.
  It never admits at a scanning desk (that takes the badge code).

The sheet is an internal attendance record used by staff at the venue, not a published
participant list: it lists everyone the desk would admit, whether or not they consented to
being listed on participant lists (without them on it they could not sign in). It shows only
what identifying a person at the desk needs -- name as written (and its Latin form), primary
organisation and role -- never e-mail or phone, is marked "internal" in its footer, and every
print is recorded in the audit trail as an export of personal data.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from smartconf.core.badge_code import ALPHABET, HUMAN_FIXES, check_char
from smartconf.core.dto import CheckInResult
from smartconf.core.enums import (
    ADMISSIBLE,
    AuditAction,
    CheckInMethod,
    ParticipantStatus,
    Verdict,
)
from smartconf.core.errors import ValidationError
from smartconf.models import Affiliation, Conference, Participant, Person
from smartconf.models.base import utcnow
from smartconf.services import checkin
from smartconf.services.badges import BADGE_STATUSES, FIRST_ISSUE, issue_badge
from smartconf.services.labels import organisation_label
from smartconf.store.audit import record_event
from smartconf.store.session import act_as

if TYPE_CHECKING:
    from smartconf.exports.signin_sheet import SignInDocument, SignInRow

ROW_CODE_VERSION = 1
MIN_BODY = 3  # base-32 characters before the check character
MAX_CODE_LENGTH = 8
# Whom the sheet lists by default: everyone the desk would admit (invited people included:
# an unanswered invitation still admits at the desk, so it must be signable on paper too).
SHEET_STATUSES = ADMISSIBLE
_BASE = len(ALPHABET)
_VALUE = {ch: i for i, ch in enumerate(ALPHABET)}


class RowCodeError(ValueError):
    """The text is not a well-formed row code; the message says why."""


# --- row codes --------------------------------------------------------------------------------


def row_code(participant: Participant | int) -> str:
    """The sign-in sheet code of a participation (a Participant or its id)."""
    number = participant if isinstance(participant, int) else participant.id
    if number < 0:
        raise ValueError("participant ids are not negative")
    body = ""
    while number:
        number, digit = divmod(number, _BASE)
        body = ALPHABET[digit] + body
    body = body.rjust(MIN_BODY, ALPHABET[0])
    return body + check_char(body)


def parse_row_code(text: str) -> int:
    """The participant id a typed row code stands for; raises RowCodeError when malformed."""
    code = text.strip().upper().translate(HUMAN_FIXES)
    if not code:
        raise RowCodeError("empty row code")
    if not MIN_BODY + 1 <= len(code) <= MAX_CODE_LENGTH:
        raise RowCodeError(f"a row code has {MIN_BODY + 1} to {MAX_CODE_LENGTH} characters, "
                           f"this one {len(code)}")
    bad = sorted({ch for ch in code if ch not in _VALUE})
    if bad:
        raise RowCodeError(f"characters not used in row codes: {''.join(bad)}")
    if check_char(code[:-1]) != code[-1]:
        raise RowCodeError("check character does not match (mistyped code)")
    number = 0
    for ch in code[:-1]:
        number = number * _BASE + _VALUE[ch]
    return number


# --- the sheet --------------------------------------------------------------------------------


def sheet_statuses(statuses: Iterable[str | ParticipantStatus] | None) -> frozenset:
    """The statuses a sheet lists: ``statuses`` checked, or SHEET_STATUSES when None/empty.

    Only statuses that admit at the desk are allowed: anyone else who signed would be turned
    away when the sheet is entered.
    """
    if not statuses:
        return SHEET_STATUSES
    chosen = set()
    for status in statuses:
        try:
            chosen.add(ParticipantStatus(str(status).strip().lower()))
        except ValueError:
            raise ValidationError(f"unknown participant status '{status}'",
                                  field="statuses") from None
    refused = sorted(s.value for s in chosen - ADMISSIBLE)
    if refused:
        allowed = ", ".join(sorted(s.value for s in ADMISSIBLE))
        raise ValidationError(f"{', '.join(refused)} participants are not admitted at the desk",
                              field="statuses", hint=f"Choose among {allowed}.")
    return frozenset(chosen)


def signin_document(session: Session, conference: Conference, *,
                    statuses: Iterable[str | ParticipantStatus] | None = None,
                    printed_at: datetime | None = None) -> SignInDocument:
    """What the sign-in sheet of ``conference`` shows: the participants in ``statuses``
    (default: everyone the desk admits), erased persons left out, times in the conference's
    time zone."""
    from smartconf.exports.signin_sheet import SignInDocument

    zone = ZoneInfo(conference.timezone)
    participants = session.scalars(
        select(Participant).join(Person)
        .where(Participant.conference_id == conference.id,
               Participant.status.in_(sheet_statuses(statuses)), Person.erased_at.is_(None))
        .options(selectinload(Participant.person).selectinload(Person.affiliations)
                 .selectinload(Affiliation.organisation)))
    return SignInDocument(
        code=conference.code, title=conference.title,
        starts_at=conference.starts_at.astimezone(zone),
        ends_at=conference.ends_at.astimezone(zone), venue=conference.venue,
        address=conference.address or "", organiser=conference.organiser_name,
        printed_at=(printed_at or utcnow()).astimezone(zone),
        rows=tuple(_sheet_row(p) for p in participants))


def _sheet_row(participant: Participant) -> SignInRow:
    from smartconf.exports.signin_sheet import SignInRow

    person = participant.person
    return SignInRow(code=row_code(participant), family_name=person.family_name,
                     given_name=person.given_name,
                     family_name_latin=person.family_name_latin or "",
                     given_name_latin=person.given_name_latin or "",
                     organisation=organisation_label(person), role=participant.role)


def signin_sheet_pdf(session: Session, conference: Conference, *, language: str = "sq",
                     statuses: Iterable[str | ParticipantStatus] | None = None, actor: str,
                     printed_at: datetime | None = None) -> bytes:
    """The sign-in sheet of ``conference`` as a PDF (see signin_document), sorted and headed
    in ``language`` (sq, sr, en). Audited as an export of personal data."""
    from smartconf.exports.signin_sheet import render_signin_sheet

    act_as(session, actor)
    chosen = sheet_statuses(statuses)
    document = signin_document(session, conference, statuses=chosen, printed_at=printed_at)
    pdf = render_signin_sheet(document, language=language)
    record_event(session, AuditAction.EXPORT, "conference", str(conference.id),
                 f"sign-in sheet of {conference.code}: {len(document.rows)} participant(s) "
                 f"({', '.join(sorted(s.value for s in chosen))}), language {language}")
    return pdf


# --- entering a signed sheet ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PaperEntry:
    """One row code entered, in its canonical form, and the desk's verdict on it."""

    code: str
    result: CheckInResult

    def as_json(self) -> dict:
        return {"code": self.code, **self.result.as_json()}


@dataclass(slots=True)
class PaperReport:
    """What entering a signed sheet did, code by code, in three lists."""

    admitted: list[PaperEntry] = field(default_factory=list)
    already: list[PaperEntry] = field(default_factory=list)  # checked in before (any method)
    rejected: list[tuple[str, str]] = field(default_factory=list)  # (code as typed, reason)

    def add(self, entry: PaperEntry) -> None:
        if entry.result.verdict is Verdict.ADMITTED:
            self.admitted.append(entry)
        elif entry.result.verdict is Verdict.ALREADY_CHECKED_IN:
            self.already.append(entry)
        else:
            self.rejected.append((entry.code, entry.result.reason or "rejected"))

    def as_json(self) -> dict:
        return {"admitted": [e.as_json() for e in self.admitted],
                "already": [e.as_json() for e in self.already],
                "rejected": [{"code": code, "reason": reason} for code, reason in self.rejected]}


def enter_paper_checkins(session: Session, conference: Conference, row_codes: Iterable[str], *,
                         desk: str, actor: str, at: datetime | None = None) -> PaperReport:
    """Check in, with method PAPER, the participants whose row codes were signed on the sheet.

    Each code goes through the desk's check_in, so the database still decides admission:
    entering a sheet twice, or a person who was also scanned, admits nobody twice (they are
    listed as ``already``). A mistyped code, a code of another conference or of someone the
    desk would not admit is rejected with the reason. ``at`` is the time recorded (default:
    now).
    """
    act_as(session, actor)
    report = PaperReport()
    for raw in row_codes:
        report.add(_enter_one(session, conference, raw, desk=desk, actor=actor, at=at))
    return report


def _enter_one(session: Session, conference: Conference, raw: str, *, desk: str, actor: str,
               at: datetime | None) -> PaperEntry:
    try:
        participant_id = parse_row_code(raw)
    except RowCodeError as exc:
        return PaperEntry(raw.strip(), _rejected(f"not a valid row code: {exc}"))
    code = row_code(participant_id)
    participant = session.get(Participant, participant_id)
    if participant is None:
        return PaperEntry(code, _rejected("no participant has this row code"))
    if participant.conference_id != conference.id:
        return PaperEntry(code, _rejected(
            f"row code of another conference ({participant.conference.code})"))
    return PaperEntry(code, _admit_on_paper(session, participant, desk=desk, actor=actor,
                                            method=CheckInMethod.PAPER, at=at))


def _admit_on_paper(session: Session, participant: Participant, *, desk: str, actor: str,
                    method: CheckInMethod, at: datetime | None = None) -> CheckInResult:
    """Admit ``participant`` through the desk's rules (services.checkin).

    An admissible participant who never had a code gets one first, as a status change to an
    admissible status would have given them.
    """
    if participant.badge_code is None and participant.status in BADGE_STATUSES:
        issue_badge(session, participant, actor=actor, reason=FIRST_ISSUE)
    return checkin.check_in_participant(session, participant, desk=desk, actor=actor,
                                        method=method, at=at)


def _rejected(reason: str, **who) -> CheckInResult:
    return CheckInResult(Verdict.REJECTED, reason=reason, **who)
