"""What the verdict card says for a desk verdict: colour, headline and lines (no widgets).

The desk screen faces the queue: names, organisation, role and the desk note only, never an
e-mail address or a phone number.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from enum import Enum
from zoneinfo import ZoneInfo

from PySide6.QtCore import QCoreApplication

from smartconf.core.dto import CheckInResult
from smartconf.core.enums import ParticipantRole, ParticipantStatus, Verdict
from smartconf.services.desk import DeskVerdict
from smartconf.services.labels import ROLE_LABELS
from smartconf.ui.formatting import fill, format_time
from smartconf.ui.labels import label

_CONTEXT = "desk"
_ROLES = {text: role for role, text in ROLE_LABELS.items()}


class Tone(Enum):
    """The card's colour, and the sound that goes with it."""

    IDLE = "idle"
    ADMITTED = "admitted"
    ATTENTION = "attention"
    REJECTED = "rejected"


# Background colours; white text on each has a contrast ratio of at least 4.5:1 (WCAG AA for
# text of any size; the amber is a shade darker than #b36b00, which reaches only 4.2:1).
TONE_COLOURS = {Tone.IDLE: "#37474f", Tone.ADMITTED: "#1b7f3b", Tone.ATTENTION: "#a86400",
                Tone.REJECTED: "#b3261e"}


@dataclass(frozen=True, slots=True)
class VerdictView:
    """The card's content: ``headline`` in capitals, ``name`` large, then ``lines``."""

    tone: Tone
    headline: str
    name: str = ""
    lines: tuple[str, ...] = ()
    note: str = ""
    footer: str = ""


def _tr(text: str) -> str:
    return QCoreApplication.translate(_CONTEXT, text)


def role_text(role: str | None) -> str:
    """The role as the user's language names it (the service gives the English label)."""
    if not role:
        return ""
    known = _ROLES.get(role)
    return label(known) if known is not None else role


def local_time(moment: datetime, timezone: str) -> str:
    """Wall time of ``moment`` in the conference's time zone ("09:14")."""
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    return format_time(aware.astimezone(ZoneInfo(timezone)))


_TONES = {"green": Tone.ADMITTED, "amber": Tone.ATTENTION, "red": Tone.REJECTED}


def verdict_view(verdict: DeskVerdict, timezone: str) -> VerdictView:
    """The card for ``verdict`` (its colour is the Desk's ``tone``); times in the
    conference's ``timezone``."""
    footer = _tr("Offline: decided from the local list") if verdict.offline else ""
    tone = _TONES[verdict.tone]
    if verdict.verdict is Verdict.REJECTED:
        return _rejected(verdict, footer)
    lines = tuple(line for line in (verdict.organisation or "", role_text(verdict.role))
                  if line)
    name, note = verdict.name or "", verdict.note or ""
    if verdict.verdict is Verdict.ALREADY_CHECKED_IN:
        previous = verdict.previous
        when = (fill(_tr("at %1, %2"), local_time(previous.checked_in_at, timezone),
                     previous.desk) if previous else "")
        return VerdictView(tone, _tr("ALREADY CHECKED IN"), name,
                           (when, *lines) if when else lines, note, footer)
    if tone is Tone.ATTENTION:
        headline = _tr("WELCOME · VIP") if _is_vip(verdict.role) else _tr("WELCOME · SEE NOTE")
        return VerdictView(tone, headline, name, lines, note, footer)
    return VerdictView(tone, _tr("WELCOME"), name, lines, "", footer)


def _is_vip(role: str | None) -> bool:
    return _ROLES.get(role or "") is ParticipantRole.VIP


def _rejected(result: CheckInResult, footer: str) -> VerdictView:
    headline, detail = rejection(result.reason or "")
    lines = tuple(line for line in (detail, result.organisation or "") if line)
    return VerdictView(Tone.REJECTED, headline, result.name or "", lines, "", footer)


def rejection(reason: str) -> tuple[str, str]:
    """(headline, detail) for the check-in service's reason of a refusal."""
    if reason.startswith("badge revoked"):
        why = reason.partition("(")[2].rstrip(")")
        return fill(_tr("REVOKED: %1"), why) if why else _tr("REVOKED"), \
            _tr("This badge was replaced. Ask for the new one or search by name.")
    if reason.startswith("badge for another conference"):
        code = reason.partition("(")[2].rstrip(")")
        return _tr("ANOTHER CONFERENCE"), fill(_tr("This badge is for %1."), code)
    if reason.startswith("participation"):
        status = reason.removeprefix("participation").strip()
        if status == "cancelled":
            return _tr("CANCELLED"), _tr("This participation was cancelled.")
        return _tr("NOT ADMITTED"), fill(_tr("Participation status: %1"), _status_text(status))
    if reason.startswith("not a valid badge code"):
        return _tr("UNKNOWN BADGE"), _tr("Not a valid badge code. Scan again or search by name.")
    return _tr("UNKNOWN BADGE"), _tr("No badge with this code. Search by name instead.")


def _status_text(status: str) -> str:
    try:
        return label(ParticipantStatus(status))
    except ValueError:
        return status


def idle_view(title: str, desk: str) -> VerdictView:
    """The card before the first scan."""
    return VerdictView(Tone.IDLE, _tr("READY"), _tr("Please scan your badge"),
                       (title, fill(_tr("Desk: %1"), desk)))
