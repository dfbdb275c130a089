"""Plain data passed between services, exports and the user interfaces (no ORM objects)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from smartconf.core.enums import ParticipantRole, Verdict


@dataclass(frozen=True, slots=True)
class ConferenceRow:
    """One conference as lists show it."""

    id: int
    code: str
    title: str
    starts_at: datetime
    ends_at: datetime
    timezone: str
    venue: str
    status: str
    capacity: int | None
    participants: int

    def as_json(self) -> dict:
        return {"code": self.code, "title": self.title,
                "starts_at": self.starts_at.isoformat(), "ends_at": self.ends_at.isoformat(),
                "timezone": self.timezone, "venue": self.venue, "status": self.status,
                "capacity": self.capacity, "participants": self.participants}


@dataclass(frozen=True, slots=True)
class BadgeData:
    """What one badge shows; the code is the only thing in the QR."""

    participant_id: int
    given_name: str
    family_name: str
    organisation: str
    role: ParticipantRole
    role_label: str
    conference_title: str
    conference_dates: str
    code: str


@dataclass(frozen=True, slots=True)
class PreviousCheckIn:
    """When and where a participant was already admitted."""

    checked_in_at: datetime
    desk: str

    def as_json(self) -> dict:
        return {"time": self.checked_in_at.isoformat(), "desk": self.desk}


@dataclass(frozen=True, slots=True)
class CheckInResult:
    """The desk's verdict on one scan. No e-mail or phone: the desk screen is public."""

    verdict: Verdict
    reason: str | None = None
    participant_id: int | None = None
    name: str | None = None
    organisation: str | None = None
    role: str | None = None
    note: str | None = None
    previous: PreviousCheckIn | None = None

    def as_json(self) -> dict:
        return {"verdict": self.verdict.value, "reason": self.reason, "name": self.name,
                "organisation": self.organisation, "role": self.role, "note": self.note,
                "previous": self.previous.as_json() if self.previous else None}
