"""Translated labels of the CRM's vocabularies (``ui.labels.label`` covers the others)."""

from __future__ import annotations

from enum import StrEnum

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from smartconf.core.enums import (
    ConsentPurpose,
    Engagement,
    Gender,
    InteractionKind,
    LawfulBasis,
    Stance,
)
from smartconf.ui.labels import label

_CONTEXT = "crm_labels"

_LABELS: dict[tuple[type[StrEnum], str], str] = {
    (Gender, "female"): QT_TRANSLATE_NOOP("crm_labels", "Female"),
    (Gender, "male"): QT_TRANSLATE_NOOP("crm_labels", "Male"),
    (Gender, "other"): QT_TRANSLATE_NOOP("crm_labels", "Other"),
    (Gender, "unknown"): QT_TRANSLATE_NOOP("crm_labels", "Not declared"),
    (Stance, "supportive"): QT_TRANSLATE_NOOP("crm_labels", "Supportive"),
    (Stance, "neutral"): QT_TRANSLATE_NOOP("crm_labels", "Neutral"),
    (Stance, "sceptical"): QT_TRANSLATE_NOOP("crm_labels", "Sceptical"),
    (Stance, "opposed"): QT_TRANSLATE_NOOP("crm_labels", "Opposed"),
    (Stance, "unknown"): QT_TRANSLATE_NOOP("crm_labels", "Unknown"),
    (Engagement, "unaware"): QT_TRANSLATE_NOOP("crm_labels", "Unaware"),
    (Engagement, "resistant"): QT_TRANSLATE_NOOP("crm_labels", "Resistant"),
    (Engagement, "neutral"): QT_TRANSLATE_NOOP("crm_labels", "Neutral"),
    (Engagement, "supportive"): QT_TRANSLATE_NOOP("crm_labels", "Supportive"),
    (Engagement, "leading"): QT_TRANSLATE_NOOP("crm_labels", "Leading"),
    (InteractionKind, "meeting"): QT_TRANSLATE_NOOP("crm_labels", "Meeting"),
    (InteractionKind, "call"): QT_TRANSLATE_NOOP("crm_labels", "Call"),
    (InteractionKind, "email"): QT_TRANSLATE_NOOP("crm_labels", "E-mail"),
    (InteractionKind, "interview"): QT_TRANSLATE_NOOP("crm_labels", "Interview"),
    (InteractionKind, "note"): QT_TRANSLATE_NOOP("crm_labels", "Note"),
    (InteractionKind, "conference_attendance"):
        QT_TRANSLATE_NOOP("crm_labels", "Conference attendance"),
    (ConsentPurpose, "event_invitations"): QT_TRANSLATE_NOOP("crm_labels", "Event invitations"),
    (ConsentPurpose, "photos"): QT_TRANSLATE_NOOP("crm_labels", "Photos"),
    (ConsentPurpose, "participant_lists"):
        QT_TRANSLATE_NOOP("crm_labels", "Listing on participant lists"),
    (ConsentPurpose, "donor_sharing"): QT_TRANSLATE_NOOP("crm_labels", "Sharing with the donor"),
    (ConsentPurpose, "newsletter"): QT_TRANSLATE_NOOP("crm_labels", "Newsletter"),
    (LawfulBasis, "consent"): QT_TRANSLATE_NOOP("crm_labels", "Consent"),
    (LawfulBasis, "legitimate_interest"):
        QT_TRANSLATE_NOOP("crm_labels", "Legitimate interest"),
    (LawfulBasis, "contract"): QT_TRANSLATE_NOOP("crm_labels", "Contract"),
    (LawfulBasis, "public_task"): QT_TRANSLATE_NOOP("crm_labels", "Public task"),
}

QUADRANT_LABELS = {
    "manage_closely": QT_TRANSLATE_NOOP("crm_labels", "Manage closely (high influence, high "
                                                      "interest)"),
    "keep_satisfied": QT_TRANSLATE_NOOP("crm_labels", "Keep satisfied (high influence)"),
    "keep_informed": QT_TRANSLATE_NOOP("crm_labels", "Keep informed (high interest)"),
    "monitor": QT_TRANSLATE_NOOP("crm_labels", "Monitor"),
}

CONSENT_STATE_LABELS = {
    "given": QT_TRANSLATE_NOOP("crm_labels", "Given"),
    "withdrawn": QT_TRANSLATE_NOOP("crm_labels", "Withdrawn"),
    "none": QT_TRANSLATE_NOOP("crm_labels", "Never asked"),
}


def crm_label(value: StrEnum) -> str:
    """The translated label of an enum member of the CRM (else ``ui.labels.label``)."""
    source = _LABELS.get((type(value), value.value))
    if source is None:
        return label(value)
    return QCoreApplication.translate(_CONTEXT, source)


def quadrant_label(quadrant: str) -> str:
    return QCoreApplication.translate(_CONTEXT, QUADRANT_LABELS[quadrant])


def consent_state_label(state: str) -> str:
    return QCoreApplication.translate(_CONTEXT, CONSENT_STATE_LABELS[state])
