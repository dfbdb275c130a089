"""Translated labels of the domain's enums, as the GUI shows them."""

from __future__ import annotations

from enum import StrEnum

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from smartconf.core.enums import (
    AgendaSessionKind,
    ConferenceStatus,
    Language,
    OrganisationKind,
    OutcomeKind,
    OutcomeStatus,
    ParticipantRole,
    ParticipantStatus,
)

_CONTEXT = "labels"

# Keys are (enum class, value): members of different StrEnums with the same value are equal.
_LABELS: dict[tuple[type[StrEnum], str], str] = {
    (ParticipantStatus, "shortlisted"): QT_TRANSLATE_NOOP("labels", "Shortlisted"),
    (ParticipantStatus, "invited"): QT_TRANSLATE_NOOP("labels", "Invited"),
    (ParticipantStatus, "accepted"): QT_TRANSLATE_NOOP("labels", "Accepted"),
    (ParticipantStatus, "tentative"): QT_TRANSLATE_NOOP("labels", "Tentative"),
    (ParticipantStatus, "declined"): QT_TRANSLATE_NOOP("labels", "Declined"),
    (ParticipantStatus, "waitlisted"): QT_TRANSLATE_NOOP("labels", "Waitlisted"),
    (ParticipantStatus, "cancelled"): QT_TRANSLATE_NOOP("labels", "Cancelled"),
    (ParticipantStatus, "attended"): QT_TRANSLATE_NOOP("labels", "Attended"),
    (ParticipantStatus, "no_show"): QT_TRANSLATE_NOOP("labels", "No-show"),
    (ParticipantRole, "participant"): QT_TRANSLATE_NOOP("labels", "Participant"),
    (ParticipantRole, "speaker"): QT_TRANSLATE_NOOP("labels", "Speaker"),
    (ParticipantRole, "moderator"): QT_TRANSLATE_NOOP("labels", "Moderator"),
    (ParticipantRole, "organiser"): QT_TRANSLATE_NOOP("labels", "Organiser"),
    (ParticipantRole, "press"): QT_TRANSLATE_NOOP("labels", "Press"),
    (ParticipantRole, "vip"): QT_TRANSLATE_NOOP("labels", "VIP"),
    (ParticipantRole, "staff"): QT_TRANSLATE_NOOP("labels", "Staff"),
    (ConferenceStatus, "planned"): QT_TRANSLATE_NOOP("labels", "Planned"),
    (ConferenceStatus, "open"): QT_TRANSLATE_NOOP("labels", "Registration open"),
    (ConferenceStatus, "running"): QT_TRANSLATE_NOOP("labels", "Running"),
    (ConferenceStatus, "closed"): QT_TRANSLATE_NOOP("labels", "Closed"),
    (ConferenceStatus, "cancelled"): QT_TRANSLATE_NOOP("labels", "Cancelled"),
    (AgendaSessionKind, "opening"): QT_TRANSLATE_NOOP("labels", "Opening"),
    (AgendaSessionKind, "keynote"): QT_TRANSLATE_NOOP("labels", "Keynote"),
    (AgendaSessionKind, "panel"): QT_TRANSLATE_NOOP("labels", "Panel"),
    (AgendaSessionKind, "workshop"): QT_TRANSLATE_NOOP("labels", "Workshop"),
    (AgendaSessionKind, "break"): QT_TRANSLATE_NOOP("labels", "Break"),
    (AgendaSessionKind, "closing"): QT_TRANSLATE_NOOP("labels", "Closing"),
    (OutcomeKind, "recommendation"): QT_TRANSLATE_NOOP("labels", "Recommendation"),
    (OutcomeKind, "commitment"): QT_TRANSLATE_NOOP("labels", "Commitment"),
    (OutcomeKind, "action"): QT_TRANSLATE_NOOP("labels", "Action"),
    (OutcomeKind, "key_point"): QT_TRANSLATE_NOOP("labels", "Key point"),
    (OutcomeKind, "disagreement"): QT_TRANSLATE_NOOP("labels", "Disagreement"),
    (OutcomeStatus, "open"): QT_TRANSLATE_NOOP("labels", "Open"),
    (OutcomeStatus, "in_progress"): QT_TRANSLATE_NOOP("labels", "In progress"),
    (OutcomeStatus, "done"): QT_TRANSLATE_NOOP("labels", "Done"),
    (OutcomeStatus, "dropped"): QT_TRANSLATE_NOOP("labels", "Dropped"),
    (Language, "sq"): QT_TRANSLATE_NOOP("labels", "Albanian"),
    (Language, "sr"): QT_TRANSLATE_NOOP("labels", "Serbian"),
    (Language, "en"): QT_TRANSLATE_NOOP("labels", "English"),
    (OrganisationKind, "ministry"): QT_TRANSLATE_NOOP("labels", "Ministry"),
    (OrganisationKind, "agency"): QT_TRANSLATE_NOOP("labels", "Agency"),
    (OrganisationKind, "regulator"): QT_TRANSLATE_NOOP("labels", "Regulator"),
    (OrganisationKind, "parliament"): QT_TRANSLATE_NOOP("labels", "Parliament"),
    (OrganisationKind, "police_security"): QT_TRANSLATE_NOOP("labels", "Police / security"),
    (OrganisationKind, "critical_infrastructure"):
        QT_TRANSLATE_NOOP("labels", "Critical infrastructure operator"),
    (OrganisationKind, "private_company"): QT_TRANSLATE_NOOP("labels", "Private company"),
    (OrganisationKind, "academia"): QT_TRANSLATE_NOOP("labels", "Academia"),
    (OrganisationKind, "civil_society"): QT_TRANSLATE_NOOP("labels", "Civil society"),
    (OrganisationKind, "media"): QT_TRANSLATE_NOOP("labels", "Media"),
    (OrganisationKind, "international"): QT_TRANSLATE_NOOP("labels", "International organisation"),
    (OrganisationKind, "embassy_donor"): QT_TRANSLATE_NOOP("labels", "Embassy / donor"),
}


def label(value: StrEnum) -> str:
    """The translated label of an enum member (its value if none is defined)."""
    source = _LABELS.get((type(value), value.value))
    if source is None:
        return value.value
    return QCoreApplication.translate(_CONTEXT, source)
