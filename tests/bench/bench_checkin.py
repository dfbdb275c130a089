"""Check-in at the scale of DESIGN.md §6 (100,000 persons, 20,000 participants), on SQLite and
PostgreSQL. Budget: scan to verdict in the service, p99 under 10 ms.

* one desk: scan to verdict through ``Desk.scan`` -- first scans (admitted: one transaction
  with the check-in, the status change, the interaction and their audit rows), repeats (amber)
  and rejections -- online, and offline (snapshot + fsync'd journal);
* the desk's snapshot: full refresh and an incremental one;
* four desks in four processes scanning 2,000 badges with 10% repeats on PostgreSQL: zero
  double admissions, scans per second.

``pytest tests/bench/bench_checkin.py -s`` prints the figures. The PostgreSQL database is
generated once (``smartconf_bench_checkin_base``) and cloned for each run.
"""

from __future__ import annotations

import multiprocessing
import os
import random
import statistics
import time
import traceback
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from smartconf.core.badge_code import new_badge_code
from smartconf.core.enums import ADMISSIBLE, ParticipantStatus, Verdict
from smartconf.models import CheckIn, Conference, Participant, Person
from smartconf.services.desk import Desk
from smartconf.store import migrations
from smartconf.store.database import open_database
from smartconf.store.session import unit_of_work
from tests.integration.test_desk_offline import CuttableProxy

from .conftest import SCALE
from .datagen import generate

CONFERENCE = "SB-DI-2027"  # the open conference of the generated data: nobody admitted yet
FIRST_SCANS, REPEATS, REJECTS = 1000, 500, 100
DESKS, BADGES, REPEAT_SHARE = 4, 2000, 0.10
BUDGET_P99_MS = 10.0
BASE = "smartconf_bench_checkin_base"
RUN = "smartconf_bench_checkin_run"


# -- data ---------------------------------------------------------------------------------


def admissible_codes(url: str) -> list[str]:
    """The badge codes of CONFERENCE that admit, in a fixed order."""
    database = open_database(url, upgrade=False)
    try:
        with unit_of_work(database.sessions, "bench") as session:
            return list(session.scalars(
                select(Participant.badge_code).join(Conference)
                .where(Conference.code == CONFERENCE, Participant.status.in_(ADMISSIBLE),
                       Participant.status != ParticipantStatus.ATTENDED,
                       Participant.badge_code.is_not(None))
                .order_by(Participant.id)))
    finally:
        database.dispose()


def _admin() -> str:
    admin = os.environ.get("SMARTCONF_TEST_PG_URL")
    if not admin:
        pytest.skip("SMARTCONF_TEST_PG_URL not set")
    return admin


def _ready_base(admin: str) -> bool:
    engine = create_engine(admin, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        exists = conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": BASE})
    engine.dispose()
    if not exists:
        return False
    base = create_engine(make_url(admin).set(database=BASE))
    try:
        with base.connect() as conn:
            at_head = migrations.current_revision(conn) == migrations.head_revision()
            persons = conn.scalar(select(func.count()).select_from(Person.__table__))
    finally:
        base.dispose()
    return at_head and persons == SCALE["persons"]


@pytest.fixture(scope="module")
def pg_url() -> Iterator[str]:
    """A fresh clone of the generated PostgreSQL database (generated on the first run)."""
    admin = _admin()
    engine = create_engine(admin, isolation_level="AUTOCOMMIT")
    if not _ready_base(admin):
        with engine.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{BASE}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{BASE}"'))
        started = time.perf_counter()
        generate(make_url(admin).set(database=BASE).render_as_string(hide_password=False),
                 **SCALE)
        print(f"\n[bench] generated PostgreSQL {BASE} in {time.perf_counter() - started:.1f} s")
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{RUN}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{RUN}" TEMPLATE "{BASE}"'))
    url = make_url(admin).set(database=RUN).render_as_string(hide_password=False)
    analyse = create_engine(url, isolation_level="AUTOCOMMIT")
    with analyse.connect() as conn:
        conn.execute(text("ANALYZE"))
    analyse.dispose()
    yield url
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{RUN}" WITH (FORCE)'))
    engine.dispose()


@pytest.fixture(scope="module")
def pg_codes(pg_url: str) -> list[str]:
    codes = admissible_codes(pg_url)
    assert len(codes) >= 2 * (FIRST_SCANS + 20) + BADGES  # each benchmark has its own badges
    return codes


# -- one desk -------------------------------------------------------------------------------


def _timed(desk: Desk, codes: list[str], cpu: list[float] | None = None
           ) -> tuple[list[float], Counter]:
    """Scan ``codes``: wall milliseconds per scan (and this process's CPU ms into ``cpu``)."""
    timings, verdicts = [], Counter()
    for code in codes:
        started, used = time.perf_counter(), time.process_time()
        verdict = desk.scan(code)
        timings.append((time.perf_counter() - started) * 1000)
        if cpu is not None:
            cpu.append((time.process_time() - used) * 1000)
        verdicts[verdict.verdict] += 1
    return timings, verdicts


def _figures(timings: list[float]) -> str:
    ordered = sorted(timings)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return (f"p50 {statistics.median(ordered):.2f} ms, p99 {p99:.2f} ms, "
            f"max {ordered[-1]:.2f} ms (n={len(ordered)})")


def _p99(timings: list[float]) -> float:
    ordered = sorted(timings)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]


def measure_desk(url: str, codes: list[str], journal_dir: Path, label: str) -> float:
    """First scans, repeats and rejections at one desk; prints them, returns the overall p99."""
    scans = codes[:FIRST_SCANS]
    repeats = random.Random(1).sample(scans, REPEATS)
    rejects = [new_badge_code() for _ in range(REJECTS)]
    with Desk(url, CONFERENCE, f"bench {label}", "bench", journal_dir=journal_dir) as desk:
        _timed(desk, codes[FIRST_SCANS:FIRST_SCANS + 20])  # connections and caches warm
        cpu: list[float] = []
        first, verdicts = _timed(desk, scans, cpu)
        again, repeat_verdicts = _timed(desk, repeats, cpu)
        red, red_verdicts = _timed(desk, rejects, cpu)
    assert verdicts == {Verdict.ADMITTED: FIRST_SCANS}
    assert repeat_verdicts == {Verdict.ALREADY_CHECKED_IN: REPEATS}
    assert red_verdicts == {Verdict.REJECTED: REJECTS}
    load = os.getloadavg()[0]
    print(f"\n[bench] scan to verdict, {label}, {SCALE['participants']:,} participants "
          f"(load average {load:.1f} on {os.cpu_count()} cores):"
          f"\n    admitted     {_figures(first)}\n    already in   {_figures(again)}"
          f"\n    rejected     {_figures(red)}\n    all          {_figures(first + again + red)}"
          f"\n    client CPU   {_figures(cpu)}")
    return _p99(first + again + red)


def measure_refresh(url: str, journal_dir: Path, label: str) -> None:
    with Desk(url, CONFERENCE, f"refresh {label}", "bench", journal_dir=journal_dir) as desk:
        full = [desk.refresh_snapshot(full=True) for _ in range(3)]
        incremental = [desk.refresh_snapshot() for _ in range(5)]
    print(f"\n[bench] snapshot refresh, {label}: full {min(s.seconds for s in full) * 1000:.0f} ms "
          f"({full[0].participants:,} participants, {full[0].admissions:,} admissions), "
          f"incremental {statistics.median(s.seconds for s in incremental) * 1000:.1f} ms")
    assert not any(s.full for s in incremental)


def test_scan_sqlite(bench_db_copy: Path, tmp_path: Path) -> None:
    url = f"sqlite:///{bench_db_copy}"
    codes = admissible_codes(url)
    p99 = measure_desk(url, codes, tmp_path, "SQLite")
    measure_refresh(url, tmp_path, "SQLite")
    assert p99 < 20 * BUDGET_P99_MS  # sanity only; the figure is the result


def test_scan_postgresql(pg_url: str, pg_codes: list[str], tmp_path: Path) -> None:
    p99 = measure_desk(pg_url, pg_codes, tmp_path, "PostgreSQL")
    measure_refresh(pg_url, tmp_path, "PostgreSQL")
    assert p99 < 20 * BUDGET_P99_MS


def test_scan_offline(pg_url: str, pg_codes: list[str], tmp_path: Path) -> None:
    """Verdicts from the snapshot, every admission fsync'd to the journal first; then the
    replay when the desk opens again with the server back."""
    url = make_url(pg_url)
    proxy = CuttableProxy((url.host or "127.0.0.1", url.port or 5432))
    proxy.restore()
    codes = pg_codes[-(FIRST_SCANS + 20):]  # not used by the other benchmarks
    through = url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
    try:
        with Desk(through, CONFERENCE, "bench offline", "bench", journal_dir=tmp_path,
                  retry_after=3600) as desk:
            proxy.cut()
            desk.scan(codes[0])  # the scan that finds the server gone
            first, verdicts = _timed(desk, codes[1:FIRST_SCANS])
            again, _ = _timed(desk, codes[1:REPEATS])
            assert not desk.online and verdicts == {Verdict.ADMITTED: FIRST_SCANS - 1}
    finally:
        proxy.cut()
    started = time.perf_counter()
    with Desk(pg_url, CONFERENCE, "bench offline", "bench", journal_dir=tmp_path) as desk:
        opened = time.perf_counter() - started
        report = desk.last_replay
    print(f"\n[bench] offline scan (snapshot + fsync'd journal):\n    admitted     "
          f"{_figures(first)}\n    already in   {_figures(again)}\n[bench] desk opened with "
          f"{report.replayed} offline admissions to replay: {opened:.2f} s "
          f"(full snapshot refresh included)")
    assert report.replayed == FIRST_SCANS and report.complete


# -- four desks -----------------------------------------------------------------------------


def desk_process(url: str, journal_dir: str, name: str, codes: list[str], start, results
                 ) -> None:
    """One desk in its own process: wait for the others, scan, report verdicts and times."""
    try:
        with Desk(url, CONFERENCE, name, name, journal_dir=Path(journal_dir)) as desk:
            start.wait(timeout=300)
            began = time.time()
            rows = []
            for code in codes:
                clock = time.perf_counter()
                verdict = desk.scan(code)
                rows.append((code, verdict.verdict.value, verdict.previous.desk
                             if verdict.previous else None,
                             (time.perf_counter() - clock) * 1000))
            results.put((name, began, time.time(), rows))
    except BaseException:
        results.put((name, 0.0, 0.0, traceback.format_exc()))


def test_four_desks_postgresql(pg_url: str, pg_codes: list[str], tmp_path: Path) -> None:
    rng = random.Random(4)
    badges = pg_codes[FIRST_SCANS + 20:FIRST_SCANS + 20 + BADGES]
    assert len(badges) == BADGES
    scans = badges + rng.sample(badges, int(BADGES * REPEAT_SHARE))
    rng.shuffle(scans)
    shares = [scans[i::DESKS] for i in range(DESKS)]
    context = multiprocessing.get_context("spawn")
    start, results = context.Barrier(DESKS), context.Queue()
    processes = [context.Process(target=desk_process, args=(
        pg_url, str(tmp_path / f"desk-{i}"), f"desk {i}", share, start, results))
        for i, share in enumerate(shares, start=1)]
    for process in processes:
        process.start()
    collected = [results.get(timeout=900) for _ in processes]
    for process in processes:
        process.join(timeout=60)
    failed = [rows for *_, rows in collected if isinstance(rows, str)]
    assert not failed, failed[0]

    elapsed = max(end for _, _, end, _ in collected) - min(began for _, began, _, _ in collected)
    rows = [row for *_, desk_rows in collected for row in desk_rows]
    verdicts = Counter(verdict for _, verdict, _, _ in rows)
    admitted = Counter(code for code, verdict, _, _ in rows if verdict == Verdict.ADMITTED)
    database = open_database(pg_url, upgrade=False)
    with unit_of_work(database.sessions, "bench") as session:
        stored = session.execute(
            select(CheckIn.participant_id, func.count()).join(Participant)
            .where(Participant.badge_code.in_(badges), CheckIn.voided_at.is_(None))
            .group_by(CheckIn.participant_id)).all()
    database.dispose()
    doubles = sum(1 for _, n in stored if n > 1)
    print(f"\n[bench] {DESKS} desks (processes) on PostgreSQL, {BADGES:,} badges + "
          f"{len(scans) - BADGES} repeats = {len(scans):,} scans in {elapsed:.2f} s: "
          f"{len(scans) / elapsed:.0f} scans/s; admitted {verdicts[Verdict.ADMITTED]:,}, "
          f"amber {verdicts[Verdict.ALREADY_CHECKED_IN]:,}, double admissions {doubles} "
          f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)"
          f"\n    per scan     {_figures([ms for *_, ms in rows])}")
    assert doubles == 0 and len(stored) == BADGES
    assert set(admitted.values()) == {1} and len(admitted) == BADGES
    assert verdicts == {Verdict.ADMITTED: BADGES, Verdict.ALREADY_CHECKED_IN: len(scans) - BADGES}
