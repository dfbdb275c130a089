"""Small dialogs of the person panel: affiliations, interactions, consents, assessments.
Each gathers input and calls one service operation through ``CrmContext.write``."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime

from PySide6.QtCore import QDate, QDateTime, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QDateTimeEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QWidget,
)

from smartconf.core.enums import ConsentPurpose, Engagement, InteractionKind, LawfulBasis, Stance
from smartconf.core.errors import ValidationError
from smartconf.services.engagement import assess_person, give_consent, log_interaction
from smartconf.services.overview import AssessmentRow, Choice
from smartconf.services.persons import add_affiliation, end_affiliation
from smartconf.ui.crm.context import CrmContext
from smartconf.ui.crm.form import FormDialog
from smartconf.ui.crm.labels import crm_label
from smartconf.ui.crm.person_dialog import choice_combo, organisation_value, select_value

LOGGED_KINDS = (InteractionKind.MEETING, InteractionKind.CALL, InteractionKind.EMAIL,
                InteractionKind.INTERVIEW, InteractionKind.NOTE)  # attendance comes by itself


def enum_combo(values: Sequence) -> object:
    return choice_combo([Choice(value, crm_label(value)) for value in values])


def date_edit(value: date | None = None) -> QDateEdit:
    edit = QDateEdit()
    edit.setCalendarPopup(True)
    edit.setDate(QDate.currentDate() if value is None else QDate(value.year, value.month,
                                                                  value.day))
    return edit


def text_box(lines: int = 4) -> QPlainTextEdit:
    box = QPlainTextEdit()
    box.setTabChangesFocus(True)
    box.setFixedHeight(box.fontMetrics().lineSpacing() * lines + 12)
    return box


class OptionalDate(QWidget):
    """A date that may be left out."""

    def __init__(self, text: str, parent=None) -> None:
        super().__init__(parent)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.known = QCheckBox(text)
        self.date = date_edit()
        self.date.setEnabled(False)
        self.known.toggled.connect(self.date.setEnabled)
        row.addWidget(self.known)
        row.addWidget(self.date, 1)

    def value(self) -> date | None:
        return self.date.date().toPython() if self.known.isChecked() else None


class AffiliationDialog(FormDialog):
    """Affiliate the person with an organisation."""

    def __init__(self, context: CrmContext, person_id: int, organisations: Sequence[Choice],
                 parent=None) -> None:
        super().__init__(self.tr("Add affiliation"), parent)
        self.context, self.person_id = context, person_id
        self.organisation = self.add_field(self.tr("&Organisation:"), choice_combo(
            organisations, none_text="", searchable=True), "organisation")
        self.role = self.add_field(self.tr("&Role:"), QLineEdit(), "role")
        self.primary = self.add_field(self.tr("&Primary:"), QCheckBox(
            self.tr("Their main organisation now")), "primary")
        self.primary.setChecked(True)
        self.started_on = self.add_field(self.tr("&Since:"),
                                         OptionalDate(self.tr("known")), "started_on")

    def submit(self) -> None:
        organisation = organisation_value(self.organisation)
        if organisation is None:
            raise ValidationError(self.tr("choose an organisation"), field="organisation")
        self.context.write(lambda s, *, actor: add_affiliation(
            s, self.person_id, organisation, actor=actor, role=self.role.text() or None,
            primary=self.primary.isChecked(), started_on=self.started_on.value()).id)


class EndAffiliationDialog(FormDialog):
    """Close an affiliation; it stays in the person's history."""

    def __init__(self, context: CrmContext, affiliation_id: int, organisation: str,
                 parent=None) -> None:
        super().__init__(self.tr("End affiliation"), parent)
        self.context, self.affiliation_id = context, affiliation_id
        name = QLabel(organisation)
        name.setTextFormat(Qt.TextFormat.PlainText)
        self.form.addRow(self.tr("Organisation:"), name)
        self.ended_on = self.add_field(self.tr("&Ended on:"), date_edit(), "ended_on")

    def submit(self) -> None:
        self.context.write(lambda s, *, actor: end_affiliation(
            s, self.affiliation_id, actor=actor, ended_on=self.ended_on.date().toPython()).id)


class InteractionDialog(FormDialog):
    """Log a meeting, call, e-mail, interview or note with the person."""

    def __init__(self, context: CrmContext, person_id: int, parent=None) -> None:
        super().__init__(self.tr("Add interaction"), parent)
        self.context, self.person_id = context, person_id
        self.kind = self.add_field(self.tr("&Kind:"), enum_combo(LOGGED_KINDS), "kind")
        self.when = self.add_field(self.tr("&When:"), QDateTimeEdit(
            QDateTime.currentDateTime()), "occurred_at")
        self.when.setCalendarPopup(True)
        self.summary = self.add_field(self.tr("&Summary:"), text_box(5), "summary")
        self.follow_up = self.add_field(self.tr("&Follow up:"), OptionalDate(self.tr("on")),
                                        "follow_up_on")
        self.resize(480, self.sizeHint().height())

    def occurred_at(self) -> datetime:
        return datetime.fromtimestamp(self.when.dateTime().toSecsSinceEpoch(), UTC)

    def submit(self) -> None:
        self.context.write(lambda s, *, actor: log_interaction(
            s, actor=actor, kind=self.kind.currentData(),
            summary=self.summary.toPlainText(), person_ids=[self.person_id],
            occurred_at=self.occurred_at(), follow_up_on=self.follow_up.value()).id)


class ConsentDialog(FormDialog):
    """Record a consent (or another lawful basis) for one purpose."""

    def __init__(self, context: CrmContext, person_id: int, purpose: ConsentPurpose,
                 parent=None) -> None:
        super().__init__(self.tr("Record consent"), parent)
        self.context, self.person_id = context, person_id
        self.purpose = self.add_field(self.tr("&Purpose:"), enum_combo(ConsentPurpose),
                                      "purpose")
        select_value(self.purpose, purpose)
        self.basis = self.add_field(self.tr("&Lawful basis:"), enum_combo(LawfulBasis), "basis")
        self.source = self.add_field(self.tr("&Source:"), QLineEdit(), "source")
        self.source.setPlaceholderText(self.tr("Registration form 2026, e-mail of 3 May…"))
        self.text_version = self.add_field(self.tr("&Text version:"), QLineEdit(),
                                           "text_version")
        self.given_on = self.add_field(self.tr("&Given on:"), date_edit(), "given_at")

    def submit(self) -> None:
        day = self.given_on.date().toPython()
        given_at = None if day == date.today() else datetime(day.year, day.month, day.day,
                                                             tzinfo=UTC)
        self.context.write(lambda s, *, actor: give_consent(
            s, self.person_id, self.purpose.currentData(), actor=actor,
            basis=self.basis.currentData(), source=self.source.text() or None,
            text_version=self.text_version.text() or None, given_at=given_at).id)


class AssessmentDialog(FormDialog):
    """A new dated assessment; the previous ones stay as history."""

    def __init__(self, context: CrmContext, person_id: int, current: AssessmentRow | None,
                 parent=None) -> None:
        super().__init__(self.tr("New assessment"), parent)
        self.context, self.person_id = context, person_id
        self.assessed_on = self.add_field(self.tr("&Date:"), date_edit(), "assessed_on")
        self.influence = self.add_field(self.tr("&Influence (1–5):"), self._level(),
                                        "influence")
        self.interest = self.add_field(self.tr("I&nterest (1–5):"), self._level(), "interest")
        self.stance = self.add_field(self.tr("&Stance:"), enum_combo(Stance), "stance")
        self.engagement_now = self.add_field(self.tr("Engagement &now:"),
                                             enum_combo(Engagement), "engagement_now")
        self.engagement_desired = self.add_field(self.tr("Engagement &desired:"),
                                                 enum_combo(Engagement), "engagement_desired")
        self.note = self.add_field(self.tr("N&ote:"), text_box(3), "note")
        select_value(self.stance, current.stance if current else Stance.UNKNOWN)
        select_value(self.engagement_now,
                     current.engagement_now if current else Engagement.NEUTRAL)
        select_value(self.engagement_desired,
                     current.engagement_desired if current else Engagement.SUPPORTIVE)
        if current:
            self.influence.setValue(current.influence)
            self.interest.setValue(current.interest)

    @staticmethod
    def _level() -> QSpinBox:
        box = QSpinBox()
        box.setRange(1, 5)
        box.setValue(3)
        return box

    def submit(self) -> None:
        self.context.write(lambda s, *, actor: assess_person(
            s, self.person_id, actor=actor, influence=self.influence.value(),
            interest=self.interest.value(), stance=self.stance.currentData(),
            engagement_now=self.engagement_now.currentData(),
            engagement_desired=self.engagement_desired.currentData(),
            note=self.note.toPlainText() or None,
            assessed_on=self.assessed_on.date().toPython()).id)
