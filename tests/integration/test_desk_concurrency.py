"""Several desks on PostgreSQL: the database decides admission. Four desks in four processes
scan the same 200 badges, each in its own order, starting at the same moment: every badge is
admitted exactly once, and every other scan is amber naming the desk that admitted it."""

from __future__ import annotations

import multiprocessing
import random
import traceback
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import select

from smartconf.core.enums import Verdict
from smartconf.models import CheckIn
from smartconf.services.desk import Desk
from smartconf.store.database import open_database
from smartconf.store.session import unit_of_work
from tests.integration.test_desk import ACTOR, CODE, seed

pytestmark = pytest.mark.pg
DESKS = 4
BADGES = 200


def scan_all(url: str, journal_dir: str, desk_name: str, codes: list[str], seed_: int,
             start, results) -> None:
    """One desk in its own process: open, wait for the others, scan every code."""
    try:
        random.Random(seed_).shuffle(codes)
        with Desk(url, CODE, desk_name, f"operator {seed_}",
                  journal_dir=Path(journal_dir)) as desk:
            start.wait(timeout=120)
            verdicts = [(code, desk.scan(code)) for code in codes]
        results.put((desk_name, [(code, v.verdict.value, v.previous.desk if v.previous else None,
                                  v.offline) for code, v in verdicts]))
    except BaseException:
        results.put((desk_name, traceback.format_exc()))


def run_desks(url: str, folder: Path, codes: list[str]) -> dict[str, list[tuple]]:
    """Run DESKS processes over the same codes; their verdicts by desk name."""
    context = multiprocessing.get_context("spawn")
    start, results = context.Barrier(DESKS), context.Queue()
    processes = [context.Process(target=scan_all, args=(
        url, str(folder / f"desk-{i}"), f"Desk {i}", list(codes), i, start, results))
        for i in range(1, DESKS + 1)]
    for process in processes:
        process.start()
    try:
        collected = dict(results.get(timeout=300) for _ in processes)
    finally:
        for process in processes:
            process.join(timeout=60)
    failed = {name: out for name, out in collected.items() if isinstance(out, str)}
    assert not failed, failed
    assert [p.exitcode for p in processes] == [0] * DESKS
    return collected


def test_four_desks_scanning_the_same_badges_admit_each_once(pg_url: str,
                                                             tmp_path: Path) -> None:
    database = open_database(pg_url)
    try:
        codes = seed(database, extra=BADGES).extra
        verdicts = run_desks(pg_url, tmp_path, codes)
        with unit_of_work(database.sessions, ACTOR) as session:
            stored = session.execute(select(CheckIn.participant_id, CheckIn.desk)
                                     .where(CheckIn.voided_at.is_(None))).all()
    finally:
        database.dispose()

    admitted = {code: desk for desk, rows in verdicts.items()
                for code, verdict, _previous, _offline in rows if verdict == Verdict.ADMITTED}
    scans = [(desk, *row) for desk, rows in verdicts.items() for row in rows]
    assert len(scans) == DESKS * BADGES
    assert sorted(admitted) == sorted(codes)  # each badge admitted by exactly one desk ...
    assert sum(1 for _, _, v, _, _ in scans if v == Verdict.ADMITTED) == BADGES
    for desk, code, verdict, previous, offline in scans:  # ... and amber everywhere else
        assert not offline
        if verdict != Verdict.ADMITTED:
            assert (verdict, previous) == (Verdict.ALREADY_CHECKED_IN, admitted[code]), desk
    assert len(stored) == len({pid for pid, _ in stored}) == BADGES
    assert Counter(desk for _, desk in stored) == Counter(admitted.values())
    assert len(set(admitted.values())) > 1  # the desks really did race
