"""Closed vocabularies of the domain. Stored by value (lower-case strings)."""

from __future__ import annotations

from enum import StrEnum


class OrganisationKind(StrEnum):
    MINISTRY = "ministry"
    AGENCY = "agency"
    REGULATOR = "regulator"
    PARLIAMENT = "parliament"
    POLICE_SECURITY = "police_security"
    CRITICAL_INFRASTRUCTURE = "critical_infrastructure"
    PRIVATE_COMPANY = "private_company"
    ACADEMIA = "academia"
    CIVIL_SOCIETY = "civil_society"
    MEDIA = "media"
    INTERNATIONAL = "international"
    EMBASSY_DONOR = "embassy_donor"


class Language(StrEnum):
    ALBANIAN = "sq"
    SERBIAN = "sr"
    ENGLISH = "en"


class Gender(StrEnum):
    """Self-declared, used for donor statistics only; unknown is kept explicit."""

    FEMALE = "female"
    MALE = "male"
    OTHER = "other"
    UNKNOWN = "unknown"


class Stance(StrEnum):
    SUPPORTIVE = "supportive"
    NEUTRAL = "neutral"
    SCEPTICAL = "sceptical"
    OPPOSED = "opposed"
    UNKNOWN = "unknown"


class Engagement(StrEnum):
    UNAWARE = "unaware"
    RESISTANT = "resistant"
    NEUTRAL = "neutral"
    SUPPORTIVE = "supportive"
    LEADING = "leading"


class InteractionKind(StrEnum):
    MEETING = "meeting"
    CALL = "call"
    EMAIL = "email"
    INTERVIEW = "interview"
    NOTE = "note"
    CONFERENCE_ATTENDANCE = "conference_attendance"


class ConsentPurpose(StrEnum):
    EVENT_INVITATIONS = "event_invitations"
    PHOTOS = "photos"
    PARTICIPANT_LISTS = "participant_lists"
    DONOR_SHARING = "donor_sharing"
    NEWSLETTER = "newsletter"


class LawfulBasis(StrEnum):
    CONSENT = "consent"
    LEGITIMATE_INTEREST = "legitimate_interest"
    CONTRACT = "contract"
    PUBLIC_TASK = "public_task"


class ConferenceStatus(StrEnum):
    PLANNED = "planned"
    OPEN = "open"
    RUNNING = "running"
    CLOSED = "closed"
    CANCELLED = "cancelled"


class AgendaSessionKind(StrEnum):
    OPENING = "opening"
    KEYNOTE = "keynote"
    PANEL = "panel"
    WORKSHOP = "workshop"
    BREAK = "break"
    CLOSING = "closing"


class AgendaRole(StrEnum):
    """What a person does in one agenda session."""

    MODERATOR = "moderator"
    SPEAKER = "speaker"
    RAPPORTEUR = "rapporteur"


class ParticipantRole(StrEnum):
    PARTICIPANT = "participant"
    SPEAKER = "speaker"
    MODERATOR = "moderator"
    ORGANISER = "organiser"
    PRESS = "press"
    VIP = "vip"
    STAFF = "staff"


class ParticipantStatus(StrEnum):
    SHORTLISTED = "shortlisted"
    INVITED = "invited"
    ACCEPTED = "accepted"
    TENTATIVE = "tentative"
    DECLINED = "declined"
    WAITLISTED = "waitlisted"
    CANCELLED = "cancelled"
    ATTENDED = "attended"
    NO_SHOW = "no_show"


# A seat is taken by whoever said yes or maybe, or came. Invitations still unanswered do not
# block a seat: the funnel shows them, and the waitlist is promoted as people decline.
COUNTS_AGAINST_CAPACITY = frozenset(
    {ParticipantStatus.ACCEPTED, ParticipantStatus.TENTATIVE, ParticipantStatus.ATTENDED}
)

# Statuses whose badge admits at the desk.
ADMISSIBLE = frozenset(
    {ParticipantStatus.ACCEPTED, ParticipantStatus.TENTATIVE, ParticipantStatus.ATTENDED,
     ParticipantStatus.INVITED}
)


class CheckInMethod(StrEnum):
    SCAN = "scan"
    CAMERA = "camera"
    SEARCH = "search"
    PAPER = "paper"
    WALK_IN = "walk_in"


class Verdict(StrEnum):
    ADMITTED = "admitted"
    ALREADY_CHECKED_IN = "already_checked_in"
    REJECTED = "rejected"


class OutcomeKind(StrEnum):
    RECOMMENDATION = "recommendation"
    COMMITMENT = "commitment"
    ACTION = "action"
    KEY_POINT = "key_point"
    DISAGREEMENT = "disagreement"


class OutcomeStatus(StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    DROPPED = "dropped"


class OutboxKind(StrEnum):
    INVITE = "invite"
    UPDATE = "update"
    CANCELLATION = "cancellation"
    REMINDER = "reminder"


class OutboxState(StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    CANCELLED = "cancelled"


class AuditAction(StrEnum):
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"
    EXPORT = "export"
    ERASE = "erase"
