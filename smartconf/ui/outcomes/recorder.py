"""The rapporteur's form: one outcome after another from the keyboard.

Tab moves through conference, session, kind (keys 1-5), text, committed person and
organisation (search as you type), owner, due date, status and the findings (Space checks
one; the session's own findings come first). Ctrl+Enter saves and clears the form for the
next outcome; the table below lists the session's outcomes.
"""

from __future__ import annotations

from datetime import date
from functools import partial

from PySide6.QtCore import QDate, QEvent, QObject, Qt, Signal
from PySide6.QtGui import QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDateEdit,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from smartconf.core.enums import OutcomeKind, OutcomeStatus
from smartconf.core.errors import SmartconfError
from smartconf.services.conferences import list_conferences
from smartconf.services.outcomes import (
    FindingOption,
    agenda_session_options,
    find_organisations,
    finding_options,
    owner_options,
    record_outcome,
    session_outcomes,
)
from smartconf.services.timetable import find_persons
from smartconf.ui.crm.context import CrmContext
from smartconf.ui.crm.form import error_label
from smartconf.ui.formatting import fill
from smartconf.ui.labels import label
from smartconf.ui.outcomes.models import FollowUpTableModel
from smartconf.ui.outcomes.search_picker import SearchPicker
from smartconf.ui.widgets.conference_picker import ConferencePicker
from smartconf.ui.widgets.views import EmptyState, table_view

ID_ROLE = Qt.ItemDataRole.UserRole
NO_DATE = QDate(2000, 1, 1)  # the date edit's minimum shows as "no due date"
KINDS = tuple(OutcomeKind)


def to_qdate(value: date) -> QDate:
    return QDate(value.year, value.month, value.day)


def due_date_edit(none_text: str) -> QDateEdit:
    """A date edit whose lowest value means "no date" (shown as ``none_text``)."""
    edit = QDateEdit()
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    edit.setMinimumDate(NO_DATE)
    edit.setSpecialValueText(none_text)
    edit.setDate(NO_DATE)
    return edit


def date_of(edit: QDateEdit) -> date | None:
    value = edit.date()
    return None if value == NO_DATE else date(value.year(), value.month(), value.day())


class _DigitKeys(QObject):
    """Number keys 1..n pick the n-th entry of a combo box."""

    def __init__(self, combo: QComboBox) -> None:
        super().__init__(combo)
        self.combo = combo
        combo.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and event.text().isdigit():
            position = int(event.text()) - 1
            if 0 <= position < self.combo.count():
                self.combo.setCurrentIndex(position)
                return True
        return False


class OutcomeRecorder(QWidget):
    """The recording form and the chosen session's outcomes."""

    saved = Signal(int)  # outcome id

    def __init__(self, context: CrmContext, parent=None) -> None:
        super().__init__(parent)
        self.context = context
        self.conference = ConferencePicker()
        self.conference.setObjectName("outcome_conference")
        self.conference.setMinimumContentsLength(12)
        self.conference.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.conference.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.session = QComboBox()
        self.session.setObjectName("outcome_session")
        self.session.setEditable(True)
        self.session.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.session.setMinimumContentsLength(12)
        self.session.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.session.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.session.completer().setFilterMode(Qt.MatchFlag.MatchContains)
        self.session.completer().setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.kind = QComboBox()
        self.kind.setObjectName("outcome_kind")
        for number, kind in enumerate(KINDS, start=1):
            self.kind.addItem(f"{number}  {label(kind)}", kind)
        _DigitKeys(self.kind)
        self.text = QPlainTextEdit()
        self.text.setObjectName("outcome_text")
        self.text.setTabChangesFocus(True)
        self.text.setPlaceholderText(self.tr("What was recommended, committed or agreed"))
        self.text.setFixedHeight(self.fontMetrics().height() * 4 + 12)
        self.person = SearchPicker(partial(context.read, find_persons))
        self.person.setObjectName("outcome_person")
        self.person.setPlaceholderText(self.tr("Type a name, in any script"))
        self.organisation = SearchPicker(partial(context.read, find_organisations))
        self.organisation.setObjectName("outcome_organisation")
        self.organisation.setPlaceholderText(self.tr("Type a name or acronym"))
        self.owner = QComboBox()
        self.owner.setObjectName("outcome_owner")
        self.due = due_date_edit(self.tr("no due date"))
        self.due.setObjectName("outcome_due")
        self.status = QComboBox()
        self.status.setObjectName("outcome_status")
        for status in OutcomeStatus:
            self.status.addItem(label(status), status)
        self.findings = QListWidget()
        self.findings.setObjectName("outcome_findings")
        self.findings.setUniformItemSizes(True)
        self.findings.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.findings.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.error = error_label()
        self.notice = QLabel()
        self.save_button = QPushButton(self.tr("&Save outcome (Ctrl+Enter)"))
        self.save_button.setAutoDefault(False)
        self.save_button.clicked.connect(self.save)
        self.outcomes = FollowUpTableModel(self)
        self.outcomes_view = table_view(
            self.outcomes, widths={FollowUpTableModel.CONFERENCE: 70,
                                   FollowUpTableModel.SESSION: 120,
                                   FollowUpTableModel.KIND: 110,
                                   FollowUpTableModel.COMMITTED_BY: 170,
                                   FollowUpTableModel.OWNER: 100, FollowUpTableModel.DUE: 85,
                                   FollowUpTableModel.STATUS: 85},
            stretch=FollowUpTableModel.TEXT, sort_column=None)
        for column in (FollowUpTableModel.CONFERENCE, FollowUpTableModel.SESSION):
            self.outcomes_view.setColumnHidden(column, True)
        self.outcomes_empty = EmptyState(self.outcomes_view,
                                         self.tr("No outcomes recorded for this session yet."))
        self._build()
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(self.save)
        self.conference.conference_changed.connect(self._load_sessions)
        self.session.currentIndexChanged.connect(lambda _i: self._load_session())

    def _build(self) -> None:
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        rows = ((self.tr("&Conference"), self.conference), (self.tr("Sess&ion"), self.session),
                (self.tr("&Kind (1-5)"), self.kind), (self.tr("&Text"), self.text),
                (self.tr("Committed by &person"), self.person),
                (self.tr("Committed by &organisation"), self.organisation),
                (self.tr("O&wner on the team"), self.owner), (self.tr("&Due"), self.due),
                (self.tr("St&atus"), self.status))
        for text, widget in rows:
            caption = QLabel(text)
            caption.setBuddy(widget)
            form.addRow(caption, widget)
        findings_box = QVBoxLayout()
        caption = QLabel(self.tr("&Findings it answers (Space to check; this session's first)"))
        caption.setBuddy(self.findings)
        caption.setWordWrap(True)
        findings_box.addWidget(caption)
        findings_box.addWidget(self.findings)
        form_box = QVBoxLayout()
        form_box.addLayout(form)
        form_box.addStretch(1)
        top = QHBoxLayout()
        top.addLayout(form_box, 1)
        top.addLayout(findings_box, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.notice, 1)
        buttons.addWidget(self.save_button)
        upper = QWidget()
        upper_layout = QVBoxLayout(upper)
        upper_layout.addLayout(top)
        upper_layout.addWidget(self.error)
        upper_layout.addLayout(buttons)
        scroll = QScrollArea()  # a small window scrolls the form rather than growing
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(upper)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(scroll)
        splitter.addWidget(self.outcomes_empty)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)
        self.setTabOrder(self.text, self.person)

    # --- loading ---------------------------------------------------------------------------

    def reload(self) -> None:
        owners = self.context.read(owner_options)
        keep = self.owner.currentData()
        self.owner.clear()
        self.owner.addItem(self.tr("(nobody)"), None)
        for option in owners:
            self.owner.addItem(option.text, option.value)
        self.owner.setCurrentIndex(max(0, self.owner.findData(keep)))
        self.conference.set_conferences(self.context.read(list_conferences))

    def _load_sessions(self, conference_id: int) -> None:
        keep = self.session.currentData()
        options = self.context.read(agenda_session_options, conference_id) \
            if conference_id >= 0 else []
        self.session.blockSignals(True)
        self.session.clear()
        for option in options:
            self.session.addItem(option.text, option.value)
        self.session.setCurrentIndex(max(0, self.session.findData(keep)) if options else -1)
        self.session.blockSignals(False)
        self.session.lineEdit().setCursorPosition(0)
        self._load_session()

    def session_id(self) -> int | None:
        return self.session.currentData() if self.session.currentIndex() >= 0 else None

    def _load_session(self) -> None:
        session_id = self.session_id()
        self.session.lineEdit().setCursorPosition(0)  # the start of a long title
        self._show_findings(self.context.read(finding_options, session_id))
        self.outcomes.set_rows(self.context.read(session_outcomes, session_id)
                               if session_id is not None else [])

    def _show_findings(self, options: list[FindingOption]) -> None:
        self.findings.clear()
        bold = QFont(self.findings.font())
        bold.setBold(True)
        for option in options:
            item = QListWidgetItem(f"{option.label}  {option.text}", self.findings)
            item.setData(ID_ROLE, option.id)
            item.setToolTip(option.text)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            if option.presented:
                item.setFont(bold)
        if self.findings.count():
            self.findings.setCurrentRow(0)

    # --- saving ----------------------------------------------------------------------------

    def checked_findings(self) -> list[int]:
        return [self.findings.item(i).data(ID_ROLE) for i in range(self.findings.count())
                if self.findings.item(i).checkState() == Qt.CheckState.Checked]

    def save(self) -> None:
        """Record the outcome; on success clear the form for the next one."""
        self.error.hide()
        session_id = self.session_id()
        if session_id is None:
            self._show_error(self.tr("Choose the session first."))
            return
        try:
            outcome_id = self.context.write(
                lambda s, actor: record_outcome(
                    s, session_id, kind=OutcomeKind(self.kind.currentData()),
                    text=self.text.toPlainText(), committed_person_id=self.person.value(),
                    committed_organisation_id=self.organisation.value(),
                    owner_username=self.owner.currentData(), due_on=date_of(self.due),
                    status=OutcomeStatus(self.status.currentData()),
                    finding_ids=self.checked_findings(),
                    actor=actor).id)
        except SmartconfError as exc:
            self._show_error(exc.message)
            return
        self.clear_for_next()
        self.outcomes.set_rows(self.context.read(session_outcomes, session_id))
        self.notice.setText(fill(self.tr("Saved outcome %1. Ready for the next one."),
                                 outcome_id))
        self.saved.emit(outcome_id)

    def _show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()

    def clear_for_next(self) -> None:
        """Empty the text, who committed, due date and findings; keep session, kind, owner."""
        self.text.clear()
        self.person.choose(None)
        self.organisation.choose(None)
        self.due.setDate(NO_DATE)
        self.status.setCurrentIndex(0)
        for i in range(self.findings.count()):
            self.findings.item(i).setCheckState(Qt.CheckState.Unchecked)
        self.text.setFocus()
