"""Benchmark: 20,000-row spreadsheets (budgets: CSV under 1 s, XLSX under 5 s, DESIGN.md §6).

Not part of the default run. ``pytest tests/bench/bench_exports.py -s`` prints the figures:
the renderers on a 20,000-row table of realistic contact rows; the contact export service
(query, load, collate, render, audit) on the 100,000-person benchmark database; and one
erasure there (the scan of every text column for the person's identifiers).
"""

from __future__ import annotations

import itertools
import time
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import func, select

from smartconf.core.tabular import Table
from smartconf.exports.spreadsheet import write_csv, write_xlsx
from smartconf.models import Participant
from smartconf.services.contact_export import CONTACT_COLUMNS, contact_table, export_contacts
from smartconf.services.person_search import PersonFilter
from smartconf.services.privacy import erase_person
from smartconf.store.database import open_database
from smartconf.store.session import unit_of_work

ROWS = 20_000
CSV_BUDGET_S = 1.0
XLSX_BUDGET_S = 5.0
GIVEN = ["Arta", "Ђорђе", "Đorđe", "Vjosa", "Çlirim", "Ivana", "Dragan", "Lirije", "Љиљана"]
FAMILY = ["Gashi", "Чолић", "Čolić", "Ëmërllahu-Çeku", "Šćepanović", "Krasniqi", "Јовановић"]
POSITIONS = ["Head of the Division for Critical Infrastructure", "=HYPERLINK(\"http://x\")",
             "Помоћник министра", "@SUM(1+1)", "-", None]
ORGS = ["Ministria e Punëve të Brendshme", "Министарство унутрашњих послова", "KCSS"]


def _table() -> Table:
    combos = itertools.cycle(itertools.product(GIVEN, FAMILY, POSITIONS, ORGS))
    rows = [(given, family, None, None, "Dr." if i % 7 == 0 else None, position, org, "XK",
             f"person{i}@example.org", f"+383 44 {i % 1000:03d} {i % 997:03d}", "sq",
             "speaker-pool; cert" if i % 3 == 0 else None)
            for i, (given, family, position, org) in zip(range(ROWS), combos, strict=False)]
    return Table("Contacts", CONTACT_COLUMNS, rows, version="contacts/1")


def _timed(function, *args, **kwargs):
    start = time.perf_counter()
    result = function(*args, **kwargs)
    return result, time.perf_counter() - start


def test_twenty_thousand_row_spreadsheets_within_budget() -> None:
    table = _table()
    write_csv(Table("warm-up", table.columns, table.rows[:10]))
    data, csv_s = _timed(write_csv, table)
    _, semicolon_s = _timed(write_csv, table, delimiter=";")
    xlsx, xlsx_s = _timed(write_xlsx, table)
    print(f"\n{ROWS} rows x {len(table.columns)} columns: CSV {csv_s * 1000:.0f} ms "
          f"({len(data) / 1e6:.1f} MB), CSV; {semicolon_s * 1000:.0f} ms, XLSX {xlsx_s:.2f} s "
          f"({len(xlsx) / 1e6:.2f} MB)")
    assert csv_s < CSV_BUDGET_S and semicolon_s < CSV_BUDGET_S
    assert xlsx_s < XLSX_BUDGET_S


def test_with_dates_and_numbers() -> None:
    start = date(2027, 3, 16)
    rows = [(f"Person {i}", i, start + timedelta(days=i % 3), None) for i in range(ROWS)]
    table = Table("Attendance", ("Name", "Number", "Day", "Note"), rows)
    _, csv_s = _timed(write_csv, table)
    _, xlsx_s = _timed(write_xlsx, table)
    print(f"\n{ROWS} rows with numbers and dates: CSV {csv_s * 1000:.0f} ms, "
          f"XLSX {xlsx_s:.2f} s")
    assert csv_s < CSV_BUDGET_S and xlsx_s < XLSX_BUDGET_S


def test_contact_export_service_on_the_benchmark_database(bench_db_copy: Path) -> None:
    database = open_database(f"sqlite:///{bench_db_copy}")
    criteria = PersonFilter(organisation_kinds=("ministry", "critical_infrastructure"))
    try:
        with unit_of_work(database.sessions, "bench") as session:
            table, table_s = _timed(contact_table, session, criteria, language="sq")
            for fmt in ("csv", "xlsx"):
                data, total_s = _timed(export_contacts, session, criteria, fmt=fmt,
                                       actor="bench", language="sq")
                print(f"\ncontact export {fmt.upper()}: {len(table.rows)} persons of 100,000, "
                      f"table {table_s:.2f} s (query, load, collate), whole export "
                      f"{total_s:.2f} s, {len(data) / 1e6:.1f} MB")
    finally:
        database.dispose()


def test_erasure_on_the_benchmark_database(bench_db_copy: Path) -> None:
    database = open_database(f"sqlite:///{bench_db_copy}")
    try:
        with unit_of_work(database.sessions, "bench") as session:
            person_id = session.scalar(select(Participant.person_id).group_by(
                Participant.person_id).order_by(func.count().desc()).limit(1))
            _, erase_s = _timed(erase_person, session, person_id, actor="bench",
                                reason="benchmark")
        print(f"\nerasure of person #{person_id} among 100,000: {erase_s:.2f} s")
    finally:
        database.dispose()
