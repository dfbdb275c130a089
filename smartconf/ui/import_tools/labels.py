"""Translated words of the import wizard: field names and decisions."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from smartconf.services.contact_import import Decision
from smartconf.services.import_mapping import FIELDS

_CONTEXT = "import_labels"

_FIELDS = {
    "given_name": QT_TRANSLATE_NOOP("import_labels", "Given name"),
    "family_name": QT_TRANSLATE_NOOP("import_labels", "Family name"),
    "full_name": QT_TRANSLATE_NOOP("import_labels", "Full name (given and family)"),
    "honorific": QT_TRANSLATE_NOOP("import_labels", "Honorific"),
    "email": QT_TRANSLATE_NOOP("import_labels", "E-mail"),
    "phone": QT_TRANSLATE_NOOP("import_labels", "Phone"),
    "organisation": QT_TRANSLATE_NOOP("import_labels", "Organisation"),
    "position": QT_TRANSLATE_NOOP("import_labels", "Position"),
    "language": QT_TRANSLATE_NOOP("import_labels", "Language"),
    "gender": QT_TRANSLATE_NOOP("import_labels", "Gender"),
    "role": QT_TRANSLATE_NOOP("import_labels", "Participant role"),
    "status": QT_TRANSLATE_NOOP("import_labels", "Participant status"),
    "country": QT_TRANSLATE_NOOP("import_labels", "Country of the organisation"),
    "tags": QT_TRANSLATE_NOOP("import_labels", "Tags"),
    "notes": QT_TRANSLATE_NOOP("import_labels", "Notes"),
}
_DECISIONS = {
    Decision.CREATE: QT_TRANSLATE_NOOP("import_labels", "Create"),
    Decision.UPDATE: QT_TRANSLATE_NOOP("import_labels", "Update"),
    Decision.LINK: QT_TRANSLATE_NOOP("import_labels", "Link"),
    Decision.SKIP: QT_TRANSLATE_NOOP("import_labels", "Skip"),
}
PARTICIPANT_FIELDS = frozenset({"role", "status"})


def field_label(name: str) -> str:
    """"Given name" for ``given_name``, translated."""
    return QCoreApplication.translate(_CONTEXT, _FIELDS.get(name, FIELDS.get(name, name)))


def decision_label(decision: Decision) -> str:
    return QCoreApplication.translate(_CONTEXT, _DECISIONS[decision])


def field_choices(participants: bool) -> list[str]:
    """The fields a column may be mapped to (role and status for participants only)."""
    return [f for f in FIELDS if participants or f not in PARTICIPANT_FIELDS]
