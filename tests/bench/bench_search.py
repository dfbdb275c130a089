"""Search as you type over 100,000 persons, on SQLite and PostgreSQL (budget: p95 < 30 ms).

Each query is one keystroke of someone typing a name (folded or not, any script): the time is
what the person list waits for -- the ids of the first screenful in name order and the total
number of matches.
"""

from __future__ import annotations

import os
import statistics
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from smartconf.services.person_search import PersonFilter, search_persons
from smartconf.store.database import open_database
from smartconf.store.session import read_session

from .conftest import SCALE
from .datagen import generate

TYPED = ["colic", "Čolić", "Чолић", "ceku", "gashi", "krasniqi arb", "đorđe", "petrovic",
         "berisha", "hoxha ve", "jovanović m", "ministry", "dj", "zy"]
SCREEN = 200


def _keystrokes() -> list[str]:
    return [word[:n] for word in TYPED for n in range(1, len(word) + 1)]


def _measure(database) -> dict[str, float]:
    timings = []
    with read_session(database.sessions) as session:
        for typed in _keystrokes() * 2:
            started = time.perf_counter()
            criteria = PersonFilter(text=typed)
            search_persons(session, criteria, limit=SCREEN)
            timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    return {"queries": len(timings), "p50": statistics.median(timings),
            "p95": timings[int(len(timings) * 0.95)], "max": timings[-1]}


def _report(backend: str, figures: dict[str, float]) -> None:
    print(f"\n[bench] search-as-you-type {backend}, {SCALE['persons']:,} persons, "
          f"{figures['queries']} keystrokes: p50 {figures['p50']:.1f} ms, "
          f"p95 {figures['p95']:.1f} ms, max {figures['max']:.1f} ms")


def test_search_sqlite(bench_db_file: Path) -> None:
    database = open_database(f"sqlite:///{bench_db_file}")
    figures = _measure(database)
    database.dispose()
    _report("SQLite", figures)
    assert figures["p95"] < 300  # sanity only; the figure is the result


@pytest.fixture(scope="module")
def pg_bench_url() -> str:
    admin = os.environ.get("SMARTCONF_TEST_PG_URL")
    if not admin:
        pytest.skip("SMARTCONF_TEST_PG_URL not set")
    name = "smartconf_bench_search"
    url = make_url(admin).set(database=name).render_as_string(hide_password=False)
    engine = create_engine(admin, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        exists = conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name})
        if not exists:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    database = open_database(url)
    with database.engine.connect() as conn:
        persons = conn.scalar(text("SELECT count(*) FROM person"))
    database.dispose()
    if persons != SCALE["persons"]:
        if persons:
            pytest.skip(f"{name} holds {persons} persons; drop it to regenerate")
        started = time.perf_counter()
        generate(url, **SCALE)
        print(f"\n[bench] generated PostgreSQL {name} in {time.perf_counter() - started:.1f} s")
    return url


def test_search_postgresql(pg_bench_url: str) -> None:
    database = open_database(pg_bench_url)
    with database.engine.begin() as conn:
        conn.execute(text("ANALYZE person"))
    figures = _measure(database)
    database.dispose()
    _report("PostgreSQL", figures)
    assert figures["p95"] < 300
