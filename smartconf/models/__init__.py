"""SQLAlchemy 2.0 models of the whole domain (DESIGN.md §3), one module per aggregate."""

from smartconf.models.audit import AuditEvent
from smartconf.models.base import Base
from smartconf.models.checkin import CheckIn
from smartconf.models.conference import (
    AgendaSession,
    AgendaSessionPerson,
    Conference,
    Room,
    agenda_session_finding,
    conference_report,
)
from smartconf.models.consent import Consent
from smartconf.models.interaction import Interaction, interaction_organisation, interaction_person
from smartconf.models.organisation import Organisation
from smartconf.models.outbox import OutboxMessage
from smartconf.models.outcome import Outcome, outcome_finding
from smartconf.models.participant import Participant, RevokedBadge
from smartconf.models.person import (
    Affiliation,
    Assessment,
    Person,
    PersonEmail,
    PersonPhone,
    SavedFilter,
)
from smartconf.models.report import Finding, Recommendation, Report
from smartconf.models.setting import Setting
from smartconf.models.tag import Tag, organisation_tag, person_tag
from smartconf.models.team import TeamMember

__all__ = [
    "Affiliation", "AgendaSession", "AgendaSessionPerson", "Assessment", "AuditEvent", "Base",
    "CheckIn", "Conference", "Consent", "Finding", "Interaction", "Organisation",
    "OutboxMessage", "Outcome", "Participant", "Person", "PersonEmail", "PersonPhone",
    "Recommendation", "Report", "RevokedBadge", "Room", "SavedFilter", "Setting", "Tag",
    "TeamMember", "agenda_session_finding", "conference_report", "interaction_organisation",
    "interaction_person", "organisation_tag", "outcome_finding", "person_tag",
]
