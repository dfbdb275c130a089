"""A table of plain values: services build it, the spreadsheet exports render it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

Cell = str | int | float | date | datetime | None
CELL_TYPES = (str, int, float, date, type(None))  # datetime is a date


@dataclass(frozen=True, slots=True)
class Table:
    """A titled table: column headers and rows of str, int, float, date, naive datetime or None.

    ``version`` names the layout of the columns (e.g. ``"contacts/1"``); spreadsheets that
    have document properties carry it, so a file says which column layout it follows.
    """

    title: str
    columns: tuple[str, ...]
    rows: Sequence[Sequence[Cell]]
    version: str = ""

    def __post_init__(self) -> None:
        width = len(self.columns)
        for number, row in enumerate(self.rows, start=1):
            if len(row) != width:
                raise ValueError(f"row {number} has {len(row)} values, the table has {width} "
                                 "columns")
            for value in row:
                if not isinstance(value, CELL_TYPES) or isinstance(value, bool):
                    raise TypeError(f"row {number}: {type(value).__name__} is not a table value")
                if isinstance(value, datetime) and value.tzinfo is not None:
                    raise ValueError(f"row {number}: datetimes in tables are wall-clock times "
                                     "(naive); convert to the local time zone first")
