"""Translated words of the invitation screens: outbox states and kinds, consent states."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from smartconf.core.enums import OutboxKind, OutboxState
from smartconf.services.roster import CONSENT_GIVEN, CONSENT_NONE, CONSENT_WITHDRAWN
from smartconf.ui.formatting import fill

_CONTEXT = "invitation_labels"

_KINDS = {
    OutboxKind.INVITE: QT_TRANSLATE_NOOP("invitation_labels", "Invitation"),
    OutboxKind.UPDATE: QT_TRANSLATE_NOOP("invitation_labels", "Update"),
    OutboxKind.CANCELLATION: QT_TRANSLATE_NOOP("invitation_labels", "Cancellation"),
    OutboxKind.REMINDER: QT_TRANSLATE_NOOP("invitation_labels", "Reminder"),
}
_STATES = {
    OutboxState.PENDING: QT_TRANSLATE_NOOP("invitation_labels", "waiting to be sent"),
    OutboxState.SENDING: QT_TRANSLATE_NOOP("invitation_labels", "uncertain (check the outbox)"),
    OutboxState.SENT: QT_TRANSLATE_NOOP("invitation_labels", "sent"),
    OutboxState.FAILED: QT_TRANSLATE_NOOP("invitation_labels", "failed"),
    OutboxState.CANCELLED: QT_TRANSLATE_NOOP("invitation_labels", "withdrawn"),
}
_CONSENT = {
    CONSENT_GIVEN: QT_TRANSLATE_NOOP("invitation_labels", "Given"),
    CONSENT_NONE: QT_TRANSLATE_NOOP("invitation_labels", "None"),
    CONSENT_WITHDRAWN: QT_TRANSLATE_NOOP("invitation_labels", "Withdrawn"),
}

# The reasons ``calendar_invites.sync_invitations`` gives for skipping a participant.
_SKIP_REASONS = {
    "no e-mail address": QT_TRANSLATE_NOOP("invitation_labels", "no e-mail address"),
    "no consent to event invitations (and no recorded decision)": QT_TRANSLATE_NOOP(
        "invitation_labels", "no consent to event invitations, and no decision recorded "
        "(Decide consent…)"),
    "personal data erased": QT_TRANSLATE_NOOP("invitation_labels", "personal data erased"),
}


def _tr(text: str) -> str:
    return QCoreApplication.translate(_CONTEXT, text)


def message_text(kind: OutboxKind | None, state: OutboxState | None) -> str:
    """"Invitation: sent", "Update: waiting to be sent"...; empty when nothing was queued."""
    if kind is None or state is None:
        return ""
    return fill(_tr("%1: %2"), _tr(_KINDS[kind]), _tr(_STATES[state]))


def consent_state(consent: str) -> str:
    """Given, None or Withdrawn (event invitations)."""
    return _tr(_CONSENT[consent])


def consent_text(consent: str, decision: str | None) -> str:
    """The consent to event invitations, and whether someone decided to invite anyway."""
    text = consent_state(consent)
    if consent == CONSENT_GIVEN:
        return text
    if decision is None:
        return fill(_tr("⚠ %1 — decide"), text)
    return fill(_tr("%1 (decided)"), text)


def skip_reason(reason: str) -> str:
    """Why a participant gets no message, translated when the reason is a known one."""
    source = _SKIP_REASONS.get(reason)
    return _tr(source) if source else reason
