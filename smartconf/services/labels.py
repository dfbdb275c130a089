"""How records are named to people (badges, desk cards, lists)."""

from __future__ import annotations

from smartconf.core.enums import ParticipantRole
from smartconf.models import Person

ROLE_LABELS = {
    ParticipantRole.PARTICIPANT: "Participant",
    ParticipantRole.SPEAKER: "Speaker",
    ParticipantRole.MODERATOR: "Moderator",
    ParticipantRole.ORGANISER: "Organiser",
    ParticipantRole.PRESS: "Press",
    ParticipantRole.VIP: "VIP",
    ParticipantRole.STAFF: "Staff",
}


def role_label(role: ParticipantRole) -> str:
    """English label of a participant role (badges in other languages come later)."""
    return ROLE_LABELS[role]


def organisation_label(person: Person) -> str:
    """The name of the person's current primary organisation ("" if none)."""
    affiliation = person.primary_affiliation
    if affiliation is None:
        return ""
    return affiliation.organisation.name
