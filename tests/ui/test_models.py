"""Item models without a window: rows in, cells and native sort values out."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import (
    QDate,
    QLocale,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtTest import QAbstractItemModelTester

from smartconf.core.dto import ConferenceRow
from smartconf.core.enums import (
    AgendaSessionKind,
    ConferenceStatus,
    Language,
    OrganisationKind,
    OutcomeKind,
    OutcomeStatus,
    ParticipantRole,
    ParticipantStatus,
)
from smartconf.services.organisations import OrganisationNode
from smartconf.services.overview import (
    FUNNEL,
    AgendaRow,
    ConferenceCard,
    OutcomeRow,
    ParticipantRow,
    RecentCheckIn,
)
from smartconf.ui.models.base import ROW_ROLE, SORT_ROLE, sort_key
from smartconf.ui.models.checkin import RecentCheckInTableModel
from smartconf.ui.models.conferences import (
    AgendaTableModel,
    ConferenceListModel,
    DashboardModel,
    ParticipantTableModel,
)
from smartconf.ui.models.organisations import OrganisationTreeModel
from smartconf.ui.models.outcomes import OVERDUE_BACKGROUND, OutcomeTableModel

BELGRADE = ZoneInfo("Europe/Belgrade")


def checked(model):
    """Let Qt's model tester check the model's consistency on every change."""
    model._tester = QAbstractItemModelTester(
        model, QAbstractItemModelTester.FailureReportingMode.Warning)
    return model


def outcome(oid: int, due: date | None, *, overdue: bool = False,
            status: OutcomeStatus = OutcomeStatus.OPEN) -> OutcomeRow:
    return OutcomeRow(oid, "SB-CI", "Panel", OutcomeKind.COMMITMENT, f"text {oid}",
                      "Arta Krasniqi", "Ana", due, status, overdue)


def test_set_rows_replaces_the_rows_and_resets_the_model(qtbot):
    model = checked(OutcomeTableModel())
    assert model.rowCount() == 0
    with qtbot.waitSignal(model.modelReset):
        model.set_rows([outcome(1, None), outcome(2, date(2027, 9, 30))])
    assert model.rowCount() == 2 and model.columnCount() == 8
    model.set_rows([outcome(3, None)])
    assert [r.id for r in model.rows()] == [3]
    assert model.rowCount(model.index(0, 0)) == 0  # a table: rows have no children


def test_cells_show_labels_and_rows_are_reachable(qapp):
    model = OutcomeTableModel()
    model.set_rows([outcome(1, date(2027, 9, 30))])
    assert model.index(0, model.KIND).data() == "Commitment"
    assert model.index(0, model.STATUS).data() == "Open"
    assert model.index(0, model.TEXT).data() == "text 1"
    assert model.index(0, model.CONFERENCE).data(ROW_ROLE).id == 1
    assert model.headerData(model.DUE, Qt.Orientation.Horizontal) == "Due"
    assert model.data(QModelIndex()) is None


def test_sort_role_returns_native_values(qapp):
    model = OutcomeTableModel()
    rows = [outcome(1, date(2027, 9, 30)), outcome(2, None)]
    model.set_rows(rows)
    assert model.sort_value(rows[0], model.DUE) == date(2027, 9, 30)
    assert model.index(0, model.DUE).data(SORT_ROLE) == QDate(2027, 9, 30)  # comparable by Qt
    assert model.index(1, model.DUE).data(SORT_ROLE) is None
    assert model.index(0, model.TEXT).data(SORT_ROLE) == "text 1"


def test_names_sort_ignoring_case_diacritics_and_script(qapp):
    model = ParticipantTableModel()
    model.set_rows([ParticipantRow(i, i, name, "", ParticipantRole.PARTICIPANT,
                                   ParticipantStatus.INVITED)
                    for i, name in enumerate(["Zeka", "Чолић", "adams", "Čolić", "Bajrami"])])
    model.sort(model.NAME)
    assert [model.index(r, 0).data() for r in range(5)] == [
        "adams", "Bajrami", "Čolić", "Чолић", "Zeka"]


@pytest.fixture
def albanian_locale(qapp):
    previous = QLocale()
    QLocale.setDefault(QLocale(QLocale.Language.Albanian))
    yield
    QLocale.setDefault(previous)


def test_names_sort_by_the_users_language(albanian_locale):
    model = ParticipantTableModel()
    model.set_rows([ParticipantRow(i, i, name, "", ParticipantRole.PARTICIPANT,
                                   ParticipantStatus.INVITED)
                    for i, name in enumerate(["Dhimitri", "Çeku", "Dushi", "Cana"])])
    model.sort(model.NAME)
    # Albanian: c < ç < d < dh, and dh is a letter of its own.
    assert [model.index(r, 0).data() for r in range(4)] == ["Cana", "Çeku", "Dushi",
                                                            "Dhimitri"]


def test_sort_key_keeps_the_order_of_instants(qapp):
    utc = datetime(2027, 5, 12, 7, 0, tzinfo=UTC)
    same_in_belgrade = utc.astimezone(BELGRADE)
    assert sort_key(utc) == sort_key(same_in_belgrade)
    assert sort_key(utc) < sort_key(datetime(2027, 5, 12, 7, 1, tzinfo=UTC))
    assert sort_key(3) == 3 and sort_key("a") == "a" and sort_key(None) is None


def ids(model) -> list[int]:
    return [model.index(r, 0).data(ROW_ROLE).id for r in range(model.rowCount())]


def test_sorts_dates_by_date_not_by_text_and_empty_last(qapp):
    model = checked(OutcomeTableModel())
    # As text "01/10/2027" < "30/09/2027"; as dates 30 September comes first.
    model.set_rows([outcome(1, date(2027, 10, 1)), outcome(3, None),
                    outcome(2, date(2027, 9, 30))])
    model.sort(model.DUE, Qt.SortOrder.AscendingOrder)
    assert ids(model) == [2, 1, 3]
    model.sort(model.DUE, Qt.SortOrder.DescendingOrder)
    assert ids(model) == [1, 2, 3]


def test_sorting_keeps_the_selection_on_its_row(qapp):
    model = OutcomeTableModel()
    model.set_rows([outcome(1, date(2027, 10, 1)), outcome(2, date(2027, 9, 30))])
    selected = QPersistentModelIndex(model.index(0, model.TEXT))
    model.sort(model.DUE)
    assert selected.row() == 1 and selected.data() == "text 1"


def test_new_rows_keep_the_last_sort_order(qapp):
    model = OutcomeTableModel()
    model.sort(model.DUE, Qt.SortOrder.DescendingOrder)
    model.set_rows([outcome(1, date(2027, 9, 30)), outcome(2, date(2027, 10, 1))])
    assert ids(model) == [2, 1]


def sort_role_proxy(model) -> QSortFilterProxyModel:
    proxy = QSortFilterProxyModel()
    proxy.setSourceModel(model)
    proxy.setSortRole(SORT_ROLE)
    return proxy


def test_a_proxy_can_sort_on_the_sort_role(qapp):
    model = OutcomeTableModel()
    model.set_rows([outcome(1, date(2027, 10, 1)), outcome(2, date(2027, 9, 30))])
    proxy = sort_role_proxy(model)
    proxy.sort(model.DUE, Qt.SortOrder.AscendingOrder)
    assert [proxy.index(r, 0).data(ROW_ROLE).id for r in range(2)] == [2, 1]


def test_overdue_outcomes_are_highlighted(qapp):
    model = OutcomeTableModel()
    model.set_rows([outcome(1, date(2020, 1, 1), overdue=True), outcome(2, None)])
    background = model.index(0, model.TEXT).data(Qt.ItemDataRole.BackgroundRole)
    assert background.color() == OVERDUE_BACKGROUND
    assert "Overdue" in model.index(0, model.DUE).data(Qt.ItemDataRole.ToolTipRole)
    assert model.index(1, model.TEXT).data(Qt.ItemDataRole.BackgroundRole) is None


def test_agenda_times_are_wall_times_and_sort_chronologically(qapp):
    model = AgendaTableModel()
    late = AgendaRow(1, datetime(2027, 5, 12, 14, 0, tzinfo=BELGRADE),
                     datetime(2027, 5, 12, 15, 30, tzinfo=BELGRADE), "Room B",
                     AgendaSessionKind.PANEL, "Grid", ("Arta Krasniqi", "Ilir Gashi"),
                     ("Dragan Čolić",))
    early = AgendaRow(2, datetime(2027, 5, 12, 9, 0, tzinfo=BELGRADE),
                      datetime(2027, 5, 12, 9, 30, tzinfo=BELGRADE), "", AgendaSessionKind.OPENING,
                      "Opening", (), ())
    model.set_rows([late, early])
    assert model.index(0, model.TIME).data() == "14:00–15:30"
    assert model.index(0, model.KIND).data() == "Panel"
    assert model.index(0, model.SPEAKERS).data() == \
        "Arta Krasniqi, Ilir Gashi, Dragan Čolić (moderator)"
    assert model.sort_value(late, model.TIME) == late.starts_at
    model.sort(model.TIME)
    assert model.index(0, model.TITLE).data() == "Opening"


def test_recent_check_ins_show_time_desk_name_organisation_role(qapp):
    model = RecentCheckInTableModel()
    at = datetime(2027, 5, 12, 8, 41, tzinfo=BELGRADE)
    model.set_rows([RecentCheckIn(1, at, "Desk 2", "Arta Krasniqi", "Ministry",
                                  ParticipantRole.VIP)])
    assert [model.index(0, c).data() for c in range(model.columnCount())] == \
        ["08:41", "Desk 2", "Arta Krasniqi", "Ministry", "VIP"]
    assert model.sort_value(model.rows()[0], model.TIME) == at


def conference_row(cid: int, title: str, start: datetime) -> ConferenceRow:
    return ConferenceRow(cid, f"C{cid}", title, start, start.replace(hour=16), "Europe/Belgrade",
                         "Prishtina", "open", None, 3)


def test_conference_list_finds_rows_by_id(qapp):
    model = ConferenceListModel()
    model.set_rows([conference_row(7, "Data protection", datetime(2027, 3, 1, 8, tzinfo=UTC)),
                    conference_row(9, "Grid", datetime(2027, 5, 1, 8, tzinfo=UTC))])
    assert model.row_of_id(9) == 1 and model.row_of_id(1) == -1
    assert model.index(0, model.DATES).data() == "1 Mar 2027"
    assert model.index(0, model.PARTICIPANTS).data(SORT_ROLE) == 3


def test_dashboard_countdown_uses_the_models_clock(qapp):
    start = datetime(2027, 5, 12, 9, tzinfo=BELGRADE)
    card = ConferenceCard(1, "C1", "Grid", start, start.replace(hour=18), "Europe/Belgrade",
                          "Prishtina", ConferenceStatus.OPEN, 100,
                          tuple((s, 1) for s in FUNNEL), 2, 3)
    model = DashboardModel(clock=lambda: datetime(2027, 5, 1, 12, tzinfo=UTC))
    model.set_rows([card])
    assert model.index(0, model.COUNTDOWN).data() == "Starts in 11 days"
    assert model.index(0, model.PARTICIPANTS).data() == str(len(FUNNEL))
    assert model.index(0, model.CHECKED_IN).data() == "2 of 3"


def org(oid: int, name: str, *children: OrganisationNode) -> OrganisationNode:
    return OrganisationNode(oid, name, None, OrganisationKind.MINISTRY, "XK", oid, list(children))


def test_organisation_tree_nests_divisions_inside_their_ministry(qapp):
    model = checked(OrganisationTreeModel())
    model.set_rows([org(1, "Ministry", org(2, "Division", org(3, "Unit"))), org(4, "Agency")])
    assert [model.index(r, 0).data() for r in range(model.rowCount())] == ["Ministry", "Agency"]
    ministry = model.index(0, 0)
    division = model.index(0, 0, ministry)
    assert division.data() == "Division"
    assert model.index(0, 0, division).data() == "Unit"
    assert model.parent(division) == ministry
    assert model.parent(ministry) == QModelIndex()
    assert model.index_of_id(3).data() == "Unit"
    assert model.index(0, model.ACRONYM, ministry).data() == ""
    assert model.index(0, model.PEOPLE, ministry).data(SORT_ROLE) == 2
    assert model.rowCount(model.index(1, 0)) == 0


def test_organisation_tree_sorts_every_level(qapp):
    model = checked(OrganisationTreeModel())
    model.set_rows([org(1, "Ministry", org(3, "Zeta unit"), org(2, "alpha unit")),
                    org(4, "Agency")])
    selected = QPersistentModelIndex(model.index_of_id(3))
    model.sort(0)
    assert [model.index(r, 0).data() for r in range(2)] == ["Agency", "Ministry"]
    ministry = model.index(1, 0)
    assert [model.index(r, 0, ministry).data() for r in range(2)] == ["alpha unit",
                                                                      "Zeta unit"]
    assert selected.data() == "Zeta unit" and selected.parent() == ministry
    model.sort(model.PEOPLE, Qt.SortOrder.DescendingOrder)
    assert model.index(0, 0).data() == "Agency"  # 4 people before 1
    model.set_rows([org(5, "A"), org(6, "B")])  # the last order holds for new rows
    assert model.index(0, 0).data() == "B"


@pytest.mark.parametrize("enum", [ParticipantStatus, ParticipantRole, ConferenceStatus,
                                  AgendaSessionKind, OutcomeKind, OutcomeStatus, Language,
                                  OrganisationKind])
def test_every_enum_member_has_a_label(qapp, enum):
    from smartconf.ui.labels import label

    labels = [label(member) for member in enum]
    assert all(text and text != member.value for text, member in zip(labels, enum, strict=True))
    assert len(set(labels)) == len(labels)
