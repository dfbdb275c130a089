"""How fast the benchmark data is generated, and that it is what the application would write.

Run: ``pytest tests/bench/bench_datagen.py -s`` (PostgreSQL with SMARTCONF_TEST_PG_URL).
"""

from __future__ import annotations

import time

import pytest
from sqlalchemy import func, select

from smartconf.core.badge_code import normalise_badge_code
from smartconf.core.enums import ADMISSIBLE
from smartconf.models import CheckIn, Organisation, Participant, Person, PersonEmail
from smartconf.services.search_text import organisation_search_text, person_search_text
from smartconf.store.database import open_database
from smartconf.store.session import read_session, unit_of_work

from .conftest import SCALE
from .datagen import generate

SAMPLE = 200


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_url(request, sqlite_url):
    if request.param == "sqlite":
        return sqlite_url
    return request.getfixturevalue("pg_url")


def test_generate_full_scale(empty_url: str) -> None:
    started = time.perf_counter()
    counts = generate(empty_url, **SCALE)
    elapsed = time.perf_counter() - started
    backend = empty_url.split(":", 1)[0]
    print(f"\n[datagen] {backend}: {SCALE['persons']:,} persons, {counts['participant']:,} "
          f"participants in {elapsed:.1f} s = {SCALE['persons'] / elapsed:,.0f} persons/s")
    assert counts["person"] == SCALE["persons"]
    assert counts["participant"] == SCALE["participants"]
    assert elapsed < 120, "generation should take well under a minute"
    _check_consistent(empty_url)


def _check_consistent(url: str) -> None:
    """Stored search texts match the application's, badges are valid, ORM writes still work."""
    database = open_database(url)
    try:
        with read_session(database.sessions) as session:
            persons = session.scalars(select(Person).order_by(func.random()).limit(SAMPLE))
            assert all(person_search_text(p) == p.search_text for p in persons)
            orgs = session.scalars(select(Organisation).order_by(func.random()).limit(SAMPLE))
            assert all(organisation_search_text(o) == o.search_text for o in orgs)
            participants = session.scalars(select(Participant).limit(SAMPLE * 10)).all()
            for p in participants:
                assert (p.badge_code is not None) == (p.status in ADMISSIBLE)
                assert p.badge_code is None or normalise_badge_code(p.badge_code) == p.badge_code
            assert session.scalar(select(func.count()).select_from(CheckIn)) > 0
        with unit_of_work(database.sessions, "bench") as session:  # sequences moved past ids
            session.add(Person(given_name="New", family_name="Person",
                               emails=[PersonEmail(address="new.person@example.org")]))
            session.flush()
            session.rollback()
    finally:
        database.dispose()
