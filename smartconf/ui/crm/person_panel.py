"""The person panel beside the list: details, affiliations with their history, the
interactions timeline, consents per purpose, the dated assessments and the participations.

It reads the selected person on a worker thread (only the newest selection counts) and
writes through small dialogs, each one service operation in its own transaction.
"""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from smartconf.core.enums import ConsentPurpose
from smartconf.core.errors import NotFoundError, SmartconfError
from smartconf.services.engagement import withdraw_consent
from smartconf.services.overview import PersonDetail, organisation_choices, person_detail
from smartconf.ui.crm.context import CrmContext
from smartconf.ui.crm.engagement_dialogs import (
    AffiliationDialog,
    AssessmentDialog,
    ConsentDialog,
    EndAffiliationDialog,
    InteractionDialog,
)
from smartconf.ui.crm.form import ask
from smartconf.ui.crm.jobs import LatestJob
from smartconf.ui.crm.labels import crm_label
from smartconf.ui.crm.panel_models import (
    AffiliationTableModel,
    AssessmentTableModel,
    ConsentHistoryModel,
    ConsentTableModel,
    InteractionTableModel,
    ParticipationTableModel,
    PurposeConsent,
)
from smartconf.ui.formatting import fill
from smartconf.ui.models.base import ROW_ROLE, RowTableModel
from smartconf.ui.widgets.heading import heading
from smartconf.ui.widgets.views import EmptyState, table_view

# Squeezable below its contents' wish: the window must still fit a 800 x 600 screen.
PANEL_MINIMUM = (260, 200)
DETAIL_FIELDS = ("position", "language", "gender", "owner", "emails", "phones", "tags",
                 "notes")


def _value_label() -> QLabel:
    value = QLabel()
    value.setTextFormat(Qt.TextFormat.PlainText)
    value.setWordWrap(True)
    value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return value


class PersonPanel(QWidget):
    """Shows one person (``show_person``); ``changed(person_id)`` after a write from here,
    ``edit_requested(person_id)`` for the person dialog, ``failed(exception)``."""

    changed = Signal(int)
    edit_requested = Signal(int)
    failed = Signal(object)
    shown = Signal(object)  # the PersonDetail now on screen (None: nobody)

    def __init__(self, context: CrmContext, parent=None) -> None:
        super().__init__(parent)
        self.context = context
        self.detail: PersonDetail | None = None
        self.dialog: QDialog | None = None  # the last dialog or question opened
        self._person_id: int | None = None
        self.setMinimumSize(*PANEL_MINIMUM)
        self.setObjectName("person_panel")
        self._jobs = LatestJob(self)
        self._jobs.finished.connect(self._show)
        self._jobs.failed.connect(self._on_read_failed)
        self.stack = QStackedWidget()
        self.placeholder = QLabel(self.tr("Select a person to see their details, history and "
                                          "consents."))
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setWordWrap(True)
        self.placeholder.setEnabled(False)
        self.stack.addWidget(self.placeholder)
        self.stack.addWidget(self._body())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)

    # --- building --------------------------------------------------------------------------

    def _body(self) -> QWidget:
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        self.name = heading(scale=1.25)
        self.name.setTextFormat(Qt.TextFormat.PlainText)
        top.addWidget(self.name, 1)
        self.edit_button = QPushButton(self.tr("Edit…"))
        self.edit_button.clicked.connect(self._request_edit)
        top.addWidget(self.edit_button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(top)
        self.subtitle = _value_label()
        self.subtitle.setEnabled(False)
        layout.addWidget(self.subtitle)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self._details_tab(), self.tr("Details"))
        self.tabs.addTab(self._affiliations_tab(), self.tr("Affiliations"))
        self.tabs.addTab(self._interactions_tab(), self.tr("Interactions"))
        self.tabs.addTab(self._consents_tab(), self.tr("Consents"))
        self.tabs.addTab(self._assessments_tab(), self.tr("Assessment"))
        self.tabs.addTab(self._participations_tab(), self.tr("Conferences"))
        layout.addWidget(self.tabs, 1)
        return body

    def _details_tab(self) -> QWidget:
        tab = QWidget()
        form = QFormLayout(tab)
        captions = (self.tr("Position"), self.tr("Language"), self.tr("Gender"),
                    self.tr("Owner"), self.tr("E-mails"), self.tr("Phones"), self.tr("Tags"),
                    self.tr("Notes"))
        self.details: dict[str, QLabel] = {}
        for name, caption in zip(DETAIL_FIELDS, captions, strict=True):
            self.details[name] = _value_label()
            form.addRow(caption, self.details[name])
        return tab

    def _table(self, model: RowTableModel, empty: str, widths: dict[int, int]) -> QWidget:
        view = table_view(model, widths=widths, sort_column=None)
        view.setObjectName(type(model).__name__)
        return EmptyState(view, empty)

    def _tab(self, *parts: QWidget | QHBoxLayout) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        for part in parts:
            if isinstance(part, QHBoxLayout):
                layout.addLayout(part)
            else:
                layout.addWidget(part, 1 if isinstance(part, EmptyState) else 0)
        return tab

    def _buttons(self, *buttons: QPushButton) -> QHBoxLayout:
        row = QHBoxLayout()
        row.addStretch(1)
        for button in buttons:
            row.addWidget(button)
        return row

    def _button(self, text: str, slot) -> QPushButton:
        button = QPushButton(text)
        button.clicked.connect(lambda _checked=False: slot())
        return button

    def _affiliations_tab(self) -> QWidget:
        self.affiliations = AffiliationTableModel(self)
        self.affiliations_view = self._table(self.affiliations, self.tr("No affiliations."),
                                             {0: 170, 1: 120, 2: 60})
        self.end_affiliation_button = self._button(self.tr("End…"), self.end_affiliation)
        return self._tab(self.affiliations_view, self._buttons(
            self._button(self.tr("&Add…"), self.add_affiliation),
            self.end_affiliation_button))

    def _interactions_tab(self) -> QWidget:
        self.interactions = InteractionTableModel(self)
        self.interactions_view = self._table(
            self.interactions, self.tr("No interactions yet. Check-ins at a conference appear "
                                       "here by themselves."), {0: 120, 1: 110, 2: 200})
        return self._tab(self.interactions_view, self._buttons(
            self._button(self.tr("Add intera&ction…"), self.add_interaction)))

    def _consents_tab(self) -> QWidget:
        self.consents = ConsentTableModel(self)
        self.consents_view = self._table(self.consents, "", {0: 170, 1: 95, 2: 120})
        self.consent_history = ConsentHistoryModel(self)
        self.consent_history_view = self._table(self.consent_history,
                                                self.tr("No consent recorded."), {0: 150})
        self.withdraw_button = self._button(self.tr("&Withdraw…"), self.withdraw_consent)
        history = QLabel(self.tr("History"))
        return self._tab(self.consents_view, self._buttons(
            self._button(self.tr("Record &consent…"), self.give_consent),
            self.withdraw_button), history, self.consent_history_view)

    def _assessments_tab(self) -> QWidget:
        self.current_assessment = _value_label()
        self.assessments = AssessmentTableModel(self)
        self.assessments_view = self._table(self.assessments,
                                            self.tr("Not assessed yet."), {0: 85, 1: 65, 2: 60})
        return self._tab(self.current_assessment, self.assessments_view, self._buttons(
            self._button(self.tr("New &assessment…"), self.add_assessment)))

    def _participations_tab(self) -> QWidget:
        self.participations = ParticipationTableModel(self)
        self.participations_view = self._table(
            self.participations, self.tr("Not on the list of any conference."), {0: 220})
        return self._tab(self.participations_view)

    # --- reading -----------------------------------------------------------------------------

    def person_id(self) -> int | None:
        return self._person_id

    def show_person(self, person_id: int | None) -> None:
        """Show ``person_id`` (None: nobody), read on a worker thread."""
        self._person_id = person_id
        if person_id is None:
            self._jobs.cancel()
            self._show(None)
        else:
            self.reload()

    def reload(self) -> None:
        if self._person_id is not None:
            self._jobs.submit(partial(self.context.read, person_detail, self._person_id))

    def is_loading(self) -> bool:
        return self._jobs.is_busy()

    def _on_read_failed(self, exc: object) -> None:
        if isinstance(exc, NotFoundError):  # deleted meanwhile
            self._show(None)
        else:
            self.failed.emit(exc)

    def _show(self, detail: PersonDetail | None) -> None:
        self.detail = detail
        if detail is None:
            self.stack.setCurrentWidget(self.placeholder)
            self.shown.emit(None)
            return
        self.name.setText(detail.name)
        self.subtitle.setText(" · ".join(p for p in (detail.latin_name if detail.latin_name
                                                     != detail.name else "",
                                                     detail.position) if p))
        values = {"position": detail.position, "language": crm_label(detail.language),
                  "gender": crm_label(detail.gender), "owner": detail.owner,
                  "emails": "\n".join(detail.emails), "phones": "\n".join(detail.phones),
                  "tags": ", ".join(detail.tags), "notes": detail.notes}
        for name, value in values.items():
            self.details[name].setText(value or "—")
        self.affiliations.set_rows(detail.affiliations)
        self.interactions.set_rows(detail.interactions)
        self.consents.set_rows([PurposeConsent(p, detail.consent_for(p))
                                for p in ConsentPurpose])
        self.consent_history.set_rows(detail.consents)
        self.assessments.set_rows(detail.assessments)
        self.current_assessment.setText(self._assessment_summary(detail))
        self.participations.set_rows(detail.participations)
        self.stack.setCurrentIndex(1)
        self.shown.emit(detail)

    def _assessment_summary(self, detail: PersonDetail) -> str:
        if not detail.assessments:
            return self.tr("Not assessed yet.")
        now = detail.assessments[0]
        return fill(self.tr("Influence %1 of 5, interest %2 of 5 · %3 · engagement %4, "
                            "desired %5"), now.influence, now.interest, crm_label(now.stance),
                    crm_label(now.engagement_now), crm_label(now.engagement_desired))

    # --- writing ---------------------------------------------------------------------------

    def _open(self, dialog: QDialog) -> QDialog:
        """Show ``dialog``; when it writes, read the person again."""
        self.dialog = dialog
        dialog.accepted.connect(self._after_write)
        dialog.open()
        return dialog

    def _after_write(self) -> None:
        if self._person_id is not None:
            self.reload()
            self.changed.emit(self._person_id)

    def _request_edit(self) -> None:
        if self._person_id is not None:
            self.edit_requested.emit(self._person_id)

    def add_affiliation(self) -> QDialog | None:
        if self._person_id is None:
            return None
        organisations = self.context.read(organisation_choices)
        return self._open(AffiliationDialog(self.context, self._person_id, organisations,
                                            self))

    def _selected(self, view: EmptyState):
        index = view.view.currentIndex()
        return index.data(ROW_ROLE) if index.isValid() else None

    def end_affiliation(self) -> QDialog | None:
        row = self._selected(self.affiliations_view)
        if row is None or row.ended_on is not None:
            return None
        return self._open(EndAffiliationDialog(self.context, row.id, row.organisation, self))

    def add_interaction(self) -> QDialog | None:
        if self._person_id is None:
            return None
        return self._open(InteractionDialog(self.context, self._person_id, self))

    def give_consent(self) -> QDialog | None:
        if self._person_id is None:
            return None
        row = self._selected(self.consents_view)
        purpose = row.purpose if row else ConsentPurpose.EVENT_INVITATIONS
        return self._open(ConsentDialog(self.context, self._person_id, purpose, self))

    def withdraw_consent(self) -> QMessageBox | None:
        """Ask, then withdraw the consent of the selected purpose."""
        row = self._selected(self.consents_view)
        if self._person_id is None or row is None or row.state != "given":
            return None
        self.dialog = ask(self, self.tr("Withdraw consent"),
                          fill(self.tr("Record that %1 withdrew their consent to “%2”?"),
                               self.detail.name if self.detail else "",
                               crm_label(row.purpose)),
                          self.tr("Withdraw"), partial(self.withdraw, row.purpose))
        return self.dialog

    def withdraw(self, purpose: ConsentPurpose) -> None:
        """Withdraw the person's consent for ``purpose`` now."""
        try:
            self.context.write(lambda s, *, actor: withdraw_consent(
                s, self._person_id, purpose, actor=actor).id)
        except SmartconfError as exc:
            self.failed.emit(exc)
            return
        self._after_write()

    def add_assessment(self) -> QDialog | None:
        if self._person_id is None:
            return None
        current = self.detail.assessments[0] if self.detail and self.detail.assessments \
            else None
        return self._open(AssessmentDialog(self.context, self._person_id, current, self))
