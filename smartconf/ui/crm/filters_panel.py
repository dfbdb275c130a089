"""The filters of the persons list and the saved filters ("smart groups") with their counts."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from PySide6.QtCore import QLocale, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from smartconf.core.enums import ConsentPurpose, OrganisationKind, ParticipantStatus
from smartconf.core.errors import SmartconfError
from smartconf.services.overview import (
    Choice,
    FilterChoices,
    SmartGroup,
    filter_choices,
    smart_groups,
)
from smartconf.services.person_search import (
    CONSENT_STATES,
    QUADRANTS,
    PersonFilter,
    delete_filter,
    save_filter,
)
from smartconf.ui.crm.choice_list import ChoiceList
from smartconf.ui.crm.context import CrmContext
from smartconf.ui.crm.jobs import LatestJob
from smartconf.ui.crm.labels import consent_state_label, crm_label, quadrant_label
from smartconf.ui.crm.person_dialog import choice_combo, select_value
from smartconf.ui.formatting import fill
from smartconf.ui.labels import label
from smartconf.ui.widgets.heading import heading

NAME_ROLE = Qt.ItemDataRole.UserRole
PANEL_WIDTH = 250


def fit_width(widget: QWidget) -> QWidget:
    """Let ``widget`` be narrower than its longest entry (the panel has a fixed width)."""
    if isinstance(widget, QComboBox):
        widget.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        widget.setMinimumContentsLength(8)
    if isinstance(widget, QListWidget):
        widget.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        widget.setTextElideMode(Qt.TextElideMode.ElideRight)
    return widget


def _load(context: CrmContext) -> tuple[FilterChoices, list[SmartGroup]]:
    return context.read(filter_choices), context.read(smart_groups)


class FiltersPanel(QScrollArea):
    """Everything a ``PersonFilter`` can say except the typed text, and the smart groups.

    ``changed`` when a filter changes; ``group_chosen(PersonFilter)`` when a smart group is
    picked (the page then shows its text too). ``current`` gives the whole filter to save.
    """

    changed = Signal()
    group_chosen = Signal(object)
    failed = Signal(object)

    def __init__(self, context: CrmContext, current: Callable[[], PersonFilter],
                 parent=None) -> None:
        super().__init__(parent)
        self.context = context
        self._current = current
        self._criteria_of: dict[str, PersonFilter] = {}
        self.setWidgetResizable(True)
        self.setFixedWidth(PANEL_WIDTH)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setObjectName("filters_panel")
        body = QWidget()
        self._layout = QVBoxLayout(body)
        self._build_groups()
        self._build_organisation_filters()
        self._build_assessment_filters()
        self._build_consent_filters()
        self._build_participation_filters()
        self.clear_button = QPushButton(self.tr("C&lear filters"))
        self.clear_button.clicked.connect(self.clear)
        self._layout.addWidget(self.clear_button)
        self._layout.addStretch(1)
        self.setWidget(body)
        self._jobs = LatestJob(self)
        self._jobs.finished.connect(self._on_loaded)
        self._jobs.failed.connect(self.failed)

    # --- building --------------------------------------------------------------------------

    def _add_row(self, form: QFormLayout, caption: str, widget: QWidget) -> None:
        form.addRow(caption, fit_width(widget))

    def _section(self, title: str) -> QFormLayout:
        self._layout.addWidget(heading(title, scale=1.05))
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        self._layout.addLayout(form)
        return form

    def _build_groups(self) -> None:
        self._layout.addWidget(heading(self.tr("Smart groups"), scale=1.05))
        self.groups = QListWidget()
        self.groups.setObjectName("smart_groups")
        self.groups.setFixedHeight(self.groups.fontMetrics().height() * 6 + 14)
        self.groups.itemActivated.connect(self._on_group_activated)
        self.groups.itemClicked.connect(self._on_group_activated)
        fit_width(self.groups)
        self._layout.addWidget(self.groups)
        buttons = QHBoxLayout()
        self.save_button = QPushButton(self.tr("&Save current…"))
        self.save_button.clicked.connect(self._ask_group_name)
        self.delete_button = QPushButton(self.tr("Delete"))
        self.delete_button.clicked.connect(self._ask_delete_group)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.delete_button)
        self._layout.addLayout(buttons)

    def _build_organisation_filters(self) -> None:
        form = self._section(self.tr("Organisation"))
        self.kinds = ChoiceList([Choice(k.value, label(k)) for k in OrganisationKind])
        self.sectors = ChoiceList()
        self.countries = ChoiceList()
        self.tags = ChoiceList()
        for caption, widget in ((self.tr("Kind"), self.kinds), (self.tr("Sector"), self.sectors),
                                (self.tr("Country"), self.countries),
                                (self.tr("Tag of the person"), self.tags)):
            form.addRow(caption, fit_width(widget))
            widget.changed.connect(self.changed)

    def _build_assessment_filters(self) -> None:
        form = self._section(self.tr("Stakeholder assessment"))
        self.quadrant = choice_combo([Choice(q, quadrant_label(q)) for q in QUADRANTS],
                                     none_text=self.tr("Any quadrant"))
        self.min_influence = self._level_box()
        self.min_interest = self._level_box()
        self._add_row(form, self.tr("Quadrant"), self.quadrant)
        self._add_row(form, self.tr("Influence at least"), self.min_influence)
        self._add_row(form, self.tr("Interest at least"), self.min_interest)
        self.quadrant.currentIndexChanged.connect(self.changed)

    def _level_box(self) -> QSpinBox:
        box = QSpinBox()
        box.setRange(0, 5)
        box.setSpecialValueText(self.tr("any"))
        box.valueChanged.connect(self.changed)
        return box

    def _build_consent_filters(self) -> None:
        form = self._section(self.tr("Consent"))
        self.consent_purpose = choice_combo(
            [Choice(p.value, crm_label(p)) for p in ConsentPurpose],
            none_text=self.tr("Any purpose"))
        self.consent_state = choice_combo([Choice(s, consent_state_label(s))
                                           for s in CONSENT_STATES])
        self._add_row(form, self.tr("Purpose"), self.consent_purpose)
        self._add_row(form, self.tr("State"), self.consent_state)
        self.consent_purpose.currentIndexChanged.connect(self._on_consent_purpose)
        self.consent_state.currentIndexChanged.connect(self.changed)
        self._on_consent_purpose()

    def _on_consent_purpose(self) -> None:
        self.consent_state.setEnabled(self.consent_purpose.currentData() is not None)
        self.changed.emit()

    def _build_participation_filters(self) -> None:
        form = self._section(self.tr("Participation"))
        self.conference = choice_combo([], none_text=self.tr("Any conference"))
        self.statuses = ChoiceList([Choice(s.value, label(s)) for s in ParticipantStatus])
        self._add_row(form, self.tr("Conference"), self.conference)
        self._add_row(form, self.tr("Status"), self.statuses)
        self.conference.currentIndexChanged.connect(self.changed)
        self.statuses.changed.connect(self.changed)

    # --- the filter ------------------------------------------------------------------------

    def criteria(self) -> PersonFilter:
        """The filter the panel sets (no text)."""
        purpose = self.consent_purpose.currentData()
        return PersonFilter(
            organisation_kinds=self.kinds.values(), sectors=self.sectors.values(),
            countries=self.countries.values(), tags=self.tags.values(),
            quadrant=self.quadrant.currentData(),
            min_influence=self.min_influence.value() or None,
            min_interest=self.min_interest.value() or None,
            consent_purpose=purpose,
            consent_state=self.consent_state.currentData() if purpose else None,
            conference=self.conference.currentData(),
            participant_statuses=self.statuses.values())

    def set_criteria(self, criteria: PersonFilter) -> None:
        """Show ``criteria`` (its text aside); one ``changed`` at the end."""
        self.blockSignals(True)
        try:
            self.kinds.set_values(criteria.organisation_kinds)
            self.sectors.set_values(criteria.sectors)
            self.countries.set_values(criteria.countries)
            self.tags.set_values(criteria.tags)
            select_value(self.quadrant, criteria.quadrant)
            self.min_influence.setValue(criteria.min_influence or 0)
            self.min_interest.setValue(criteria.min_interest or 0)
            select_value(self.consent_purpose, criteria.consent_purpose)
            select_value(self.consent_state, criteria.consent_state)
            if criteria.conference and self.conference.findData(criteria.conference) < 0:
                self.conference.addItem(criteria.conference, criteria.conference)
            select_value(self.conference, criteria.conference)
            self.statuses.set_values(criteria.participant_statuses)
        finally:
            self.blockSignals(False)
        self.changed.emit()

    def active_count(self) -> int:
        """How many filters are set."""
        empty = PersonFilter()
        criteria = self.criteria()
        return sum(getattr(criteria, name) != getattr(empty, name)
                   for name in ("organisation_kinds", "sectors", "countries", "tags",
                                "quadrant", "min_influence", "min_interest", "consent_purpose",
                                "conference", "participant_statuses"))

    def clear(self) -> None:
        self.groups.setCurrentRow(-1)
        self.set_criteria(PersonFilter())

    # --- choices and smart groups ----------------------------------------------------------

    def load(self) -> None:
        """Read the choices and the smart groups with their counts (on a worker thread)."""
        self._jobs.submit(partial(_load, self.context))

    def _on_loaded(self, loaded: tuple[FilterChoices, list[SmartGroup]]) -> None:
        choices, groups = loaded
        self.blockSignals(True)
        try:
            self.sectors.set_choices([Choice(s, s) for s in choices.sectors])
            self.countries.set_choices([Choice(c, c) for c in choices.countries])
            self.tags.set_choices([Choice(t, t) for t in choices.tags])
            chosen = self.conference.currentData()
            self.conference.clear()
            self.conference.addItem(self.tr("Any conference"), None)
            for conference in choices.conferences:
                self.conference.addItem(conference.text, conference.value)
            select_value(self.conference, chosen)
        finally:
            self.blockSignals(False)
        self._show_groups(groups)

    def _show_groups(self, groups: list[SmartGroup]) -> None:
        self.groups.clear()
        self._criteria_of.clear()
        self._criteria_of.update({group.name: group.criteria for group in groups})
        for group in groups:
            item = QListWidgetItem(fill(self.tr("%1 (%2)"), group.name,
                                        QLocale().toString(group.count)))
            item.setData(NAME_ROLE, group.name)
            item.setToolTip(item.text())
            self.groups.addItem(item)
        self.delete_button.setEnabled(bool(groups))

    def group_names(self) -> list[str]:
        return [self.groups.item(r).data(NAME_ROLE) for r in range(self.groups.count())]

    def choose_group(self, name: str) -> None:
        """Show the saved filter ``name``."""
        criteria = self._criteria_of[name]
        row = self.group_names().index(name)
        self.groups.setCurrentRow(row)
        self.set_criteria(criteria)
        self.group_chosen.emit(criteria)

    def _on_group_activated(self, item: QListWidgetItem) -> None:
        self.choose_group(item.data(NAME_ROLE))

    def save_group(self, name: str) -> None:
        """Save the current filter (text included) as ``name``, replacing one so named."""
        self.context.write(lambda s, *, actor: save_filter(s, name, self._current(),
                                                            actor=actor).id)
        self.load()

    def delete_group(self, name: str) -> None:
        self.context.write(lambda s, *, actor: delete_filter(s, name, actor=actor))
        self.load()

    def _ask_group_name(self) -> None:
        name, ok = QInputDialog.getText(self, self.tr("Save smart group"),
                                        self.tr("Name of the group:"))
        if ok and name.strip():
            self._guarded(self.save_group, name)

    def _ask_delete_group(self) -> None:
        item = self.groups.currentItem()
        if item is None:
            return
        name = item.data(NAME_ROLE)
        answer = QMessageBox.question(self, self.tr("Delete smart group"),
                                      fill(self.tr("Delete the smart group “%1”? The persons "
                                                   "in it are not deleted."), name))
        if answer == QMessageBox.StandardButton.Yes:
            self._guarded(self.delete_group, name)

    def _guarded(self, action: Callable[[str], None], name: str) -> None:
        try:
            action(name)
        except SmartconfError as exc:
            self.failed.emit(exc)

