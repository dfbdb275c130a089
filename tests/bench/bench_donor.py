"""Benchmark: the donor workbook for three conferences of 2,000 participants each (budget:
under 3 s). Not part of the default run; ``pytest tests/bench/bench_donor.py -s`` prints the
figures: statistics (queries), suppression, workbook, charts, and the whole audited export.
"""

from __future__ import annotations

import time
from pathlib import Path

from smartconf.exports.donor_workbook import write_donor_workbook
from smartconf.services.donor_stats import (
    chart_pngs,
    donor_stats,
    export_donor,
    publish,
)
from smartconf.store.database import open_database
from smartconf.store.session import read_session, unit_of_work

from .datagen import generate

BUDGET_S = 3.0
SCALE = {"persons": 6_000, "organisations": 600, "participants": 6_000, "conferences": 3}


def _timed(function, *args, **kwargs):
    start = time.perf_counter()
    result = function(*args, **kwargs)
    return result, time.perf_counter() - start


def test_donor_workbook_for_three_conferences_of_two_thousand(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'donor.db'}"
    _, generate_s = _timed(generate, url, **SCALE)
    database = open_database(url)
    try:
        with read_session(database.sessions) as session:
            stats, stats_s = _timed(donor_stats, session, "all")
        _, publish_s = _timed(publish, stats)
        with unit_of_work(database.sessions, "bench") as session:
            export, export_s = _timed(export_donor, session, "all", actor="bench")
            _, charts_s = _timed(chart_pngs, export.report)
        _, workbook_s = _timed(write_donor_workbook, export.report)
    finally:
        database.dispose()
    print(f"\n[donor] data {generate_s:.1f} s; {sum(stats.participants)} participations in "
          f"{len(stats.scopes)} conferences; statistics {stats_s * 1000:.0f} ms, suppression "
          f"{publish_s * 1000:.0f} ms, workbook {workbook_s * 1000:.0f} ms "
          f"({len(export.workbook) / 1000:.0f} kB), whole audited export {export_s:.2f} s; "
          f"4 charts 1600x900 {charts_s:.2f} s")
    assert export_s < BUDGET_S
