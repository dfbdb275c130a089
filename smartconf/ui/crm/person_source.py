"""What the persons list asks of the database, on a worker thread: the ordered ids matching a
filter (with the first rows), and the rows of further ids. Plain values only cross threads."""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from smartconf.services.overview import PersonColumn, PersonListRow, person_list_rows
from smartconf.services.person_search import PersonFilter, search_person_ids
from smartconf.ui.crm.context import CrmContext
from smartconf.ui.crm.jobs import collector_paused
from smartconf.ui.crm.sorting import SortKeys


@dataclass(frozen=True)
class ListRequest:
    """What the list shows: the matching persons, ordered by ``column`` (None: by the folded
    "family given" name of the database), in ``language``'s collation."""

    criteria: PersonFilter = field(default_factory=PersonFilter)
    column: PersonColumn | None = PersonColumn.NAME
    descending: bool = False
    language: str = "en"


@dataclass(frozen=True)
class ListResult:
    request: ListRequest
    ids: list[int]
    rows: dict[int, PersonListRow]  # of the first ids


class PersonSource:
    """Reads for the persons list; its methods run on worker threads, one list at a time."""

    def __init__(self, context: CrmContext,
                 value_labels: Mapping[Hashable, str] | None = None) -> None:
        self.context = context
        self.sort_keys = SortKeys(value_labels)

    def list(self, request: ListRequest, first_rows: int) -> ListResult:
        """The ids matching ``request`` in its order, and the rows of the first ones."""
        with collector_paused():
            return self.context.read(self._list, request, first_rows)

    def _list(self, session: Session, request: ListRequest, first_rows: int) -> ListResult:
        ids = search_person_ids(session, request.criteria)
        if request.column is not None:
            ids = self.sort_keys.order(session, ids, request.column,
                                       descending=request.descending,
                                       language=request.language)
        elif request.descending:
            ids.reverse()
        return ListResult(request, ids, person_list_rows(session, ids[:first_rows]))

    def rows(self, ids: Sequence[int]) -> dict[int, PersonListRow]:
        """The rows of ``ids`` (those still there)."""
        return self.context.read(person_list_rows, ids)
