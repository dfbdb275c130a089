"""Deciding to invite persons who have not consented to event invitations: the dialog says what
that means and records why (``invitations.override_consent``: the reason, who and when)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QListWidget

from smartconf.services.invitations import override_consent
from smartconf.services.planning import get_conference_by_id
from smartconf.services.roster import RosterRow
from smartconf.ui.crm.context import CrmContext
from smartconf.ui.crm.engagement_dialogs import text_box
from smartconf.ui.crm.form import FormDialog
from smartconf.ui.formatting import fill
from smartconf.ui.invitations.labels import consent_state


class ConsentDecisionDialog(FormDialog):
    """Record the decision to invite ``rows`` (flagged participants) without consent."""

    def __init__(self, context: CrmContext, conference_id: int, rows: Sequence[RosterRow],
                 parent=None) -> None:
        super().__init__(self.tr("Decide on invitations without consent"), parent)
        self.context, self.conference_id = context, conference_id
        self.rows = list(rows)
        first = self.tr("%n selected person(s) did not consent to receive event invitations "
                        "(never asked, or the consent was withdrawn), so smartconf does not "
                        "invite them until someone decides otherwise.", "", len(self.rows))
        self.explanation = explanation = QLabel("<p>" + first + "</p><p>" + self.tr(
            "Invite them anyway only for a reason that stands on its own, for example an "
            "invitation in their official capacity. Your reason is kept with each "
            "participation, with your name and today's date, and in the audit trail.") + "</p>")
        explanation.setWordWrap(True)
        explanation.setTextFormat(Qt.TextFormat.RichText)
        self.layout().insertWidget(1, explanation)
        self.persons = QListWidget()
        self.persons.setObjectName("flagged_persons")
        for row in self.rows:
            self.persons.addItem(fill(self.tr("%1 — consent: %2"), row.name,
                                      consent_state(row.consent)))
        self.persons.setFixedHeight(self.persons.fontMetrics().height() * 6 + 14)
        self.form.addRow(self.tr("Persons:"), self.persons)
        self.reason = self.add_field(self.tr("&Reason:"), text_box(4), "reason")
        self.reason.setPlaceholderText(self.tr("e.g. Invited in an official capacity; consent "
                                               "to be collected at registration."))
        self.buttons.button(self.buttons.StandardButton.Ok).setText(
            self.tr("&Record decision"))
        layout = self.layout()
        layout.insertStretch(layout.count() - 1, 1)  # spare height below the form
        self.resize(520, 420)

    def submit(self) -> None:
        ids = [row.id for row in self.rows]
        reason = self.reason.toPlainText()
        self.context.write(lambda s, *, actor: len(override_consent(
            s, get_conference_by_id(s, self.conference_id), ids, reason=reason, actor=actor)))
