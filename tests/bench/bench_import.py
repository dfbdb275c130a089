"""Benchmark: importing 10,000 contacts (budget: under 10 s) and finding duplicates.

Not part of the default run. ``pytest tests/bench/bench_import.py -s`` prints the figures:

- a 10,000-row CSV (UTF-8 with BOM, semicolons, three scripts) imported into the demo
  database plus 3,000 more persons, with duplicate detection (same e-mail, similar names in
  the same organisation, duplicates inside the file), written and committed: read, plan and
  write times;
- the duplicate finder and the import planning over the 100,000-person benchmark database.
"""

from __future__ import annotations

import csv
import io
import random
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from smartconf.models import Organisation, Person
from smartconf.services.bulk_persons import NewPerson, insert_persons
from smartconf.services.contact_import import execute_plan, plan_import, run_job
from smartconf.services.demo import load_demo
from smartconf.services.duplicates import find_duplicates
from smartconf.services.import_mapping import suggest_mapping
from smartconf.services.import_readers import read_table
from smartconf.services.persons import PersonInput, validate_person
from smartconf.store.database import open_database
from smartconf.store.session import read_session, unit_of_work

from . import pools

ROWS = 10_000
EXISTING = 3_000
BUDGET_S = 10.0
DUPLICATES_100K_BUDGET_S = 10.0
GIVEN = (pools.ALBANIAN_FEMALE + pools.ALBANIAN_MALE + pools.SERBIAN_LATIN_FEMALE
         + pools.SERBIAN_LATIN_MALE + pools.SERBIAN_CYRILLIC_FEMALE + pools.SERBIAN_CYRILLIC_MALE)
FAMILY = pools.ALBANIAN_FAMILY + pools.SERBIAN_LATIN_FAMILY + pools.SERBIAN_CYRILLIC_FAMILY
HEADERS = ["Emri", "Mbiemri", "E-mail", "Telefoni", "Organizata", "Pozita", "Gjuha", "Gjinia"]


def _name(rng: random.Random) -> tuple[str, str]:
    family = rng.choice(FAMILY)
    if rng.random() < 0.8:
        family = f"{family}-{rng.choice(FAMILY)}"
    return rng.choice(GIVEN), family


@pytest.fixture(scope="module")
def crm(tmp_path_factory) -> Path:
    """The demo database plus EXISTING persons in its organisations."""
    path = tmp_path_factory.mktemp("import") / "smartconf.db"
    rng = random.Random(7)
    database = open_database(f"sqlite:///{path}")
    try:
        with unit_of_work(database.sessions, "bench") as session:
            load_demo(session, actor="bench")
            org_ids = list(session.scalars(select(Organisation.id)))
            people = [NewPerson(validate_person(PersonInput(
                *_name(rng), emails=[f"existing{i}@example.org"],
                phones=[f"+38344{rng.randrange(100_000, 999_999)}"],
                position=rng.choice(pools.POSITIONS))), rng.choice(org_ids))
                for i in range(EXISTING)]
            insert_persons(session, people, actor="bench")
    finally:
        database.dispose()
    return path


def _existing(path: Path) -> list[tuple[str, str, str, str]]:
    database = open_database(f"sqlite:///{path}")
    try:
        with read_session(database.sessions) as session:
            persons = session.scalars(select(Person).order_by(Person.id)).all()
            return [(p.given_name, p.family_name, p.emails[0].address if p.emails else "",
                     p.primary_affiliation.organisation.name if p.primary_affiliation else "")
                    for p in persons]
    finally:
        database.dispose()


def _csv(path: Path, existing: list[tuple[str, str, str, str]]) -> tuple[Path, dict]:
    """ROWS rows: mostly new people; some already in the CRM (by e-mail, or by name in the
    same organisation), some twice in the file."""
    rng = random.Random(11)
    organisations = sorted({org for *_, org in existing if org})
    rows, kinds = [], {"same e-mail": 0, "same name and organisation": 0, "twice": 0}
    for i in range(ROWS):
        roll = rng.random()
        if roll < 0.04:
            given, family, email, org = rng.choice(existing)
            kinds["same e-mail"] += 1
        elif roll < 0.08:
            given, family, _, org = rng.choice([e for e in existing[:500] if e[3]])
            email = f"other{i}@example.net"
            kinds["same name and organisation"] += 1
        elif roll < 0.10 and rows:
            given, family, email, org = rng.choice(rows)[:4]
            kinds["twice"] += 1
        else:
            given, family = _name(rng)
            email = f"new{i}@example.org"
            org = rng.choice(organisations) if rng.random() < 0.9 else \
                f"New Organisation {rng.randrange(40)}"
        rows.append([given, family, email, f"+383 4{rng.randrange(4, 10)} "
                     f"{rng.randrange(100, 999)} {rng.randrange(100, 999)}", org,
                     rng.choice(pools.POSITIONS), rng.choice(["shqip", "sr", "en", ""]),
                     rng.choice(["F", "M", "femër", "muško", ""])])
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADERS)
    writer.writerows(rows)
    file = path / "contacts.csv"
    file.write_bytes(out.getvalue().encode("utf-8-sig"))
    return file, kinds


def test_ten_thousand_rows_within_budget(crm: Path, tmp_path: Path) -> None:
    file, kinds = _csv(tmp_path, _existing(crm))
    database = open_database(f"sqlite:///{crm}")
    try:
        with database.sessions() as session:
            before = session.scalar(select(func.count()).select_from(Person))
        started, cpu = time.perf_counter(), time.process_time()
        table = read_table(file)
        read = time.perf_counter()
        with unit_of_work(database.sessions, "bench") as session:
            plan = run_job(plan_import(session, table, suggest_mapping(table.headers)))
            planned = time.perf_counter()
            report = run_job(execute_plan(session, plan, actor="bench"))
            written = time.perf_counter()
        committed, cpu = time.perf_counter(), time.process_time() - cpu
        with database.sessions() as session:
            after = session.scalar(select(func.count()).select_from(Person))
    finally:
        database.dispose()
    total = committed - started
    confidence = {c: sum(1 for d in report.duplicates if d["confidence"] == c)
                  for c in ("certain", "likely")}
    print(f"\nimport of {ROWS:,} rows into {before:,} persons: {total:.2f} s "
          f"(read {read - started:.2f}, check and match {planned - read:.2f}, "
          f"write {written - planned:.2f}, commit {committed - written:.2f}; CPU {cpu:.2f} s); "
          f"{ROWS / total:,.0f} rows/s")
    print(f"rows made as {kinds}; created {report.created:,}, skipped {report.skipped:,}, "
          f"duplicates {confidence}, errors {len(report.errors)}, new organisations "
          f"{len(report.organisations_created)}")
    assert report.written and after == before + report.created
    assert confidence["certain"] >= kinds["same e-mail"]
    assert total < BUDGET_S


def test_duplicates_and_planning_at_100k(bench_db_file: Path, tmp_path: Path) -> None:
    database = open_database(f"sqlite:///{bench_db_file}")
    try:
        with read_session(database.sessions) as session:
            started = time.perf_counter()
            groups = find_duplicates(session)
            found = time.perf_counter() - started
            people = sum(len(g.members) for g in groups)
            likely = sum(1 for g in groups if g.confidence == "likely")
            print(f"\nduplicates among 100,000 persons: {found:.2f} s, {len(groups):,} groups "
                  f"({likely:,} likely) of {people:,} persons")
            known = [(g, f, f"x{i}@example.org", o) for i, (g, f, o) in enumerate(
                session.execute(select(Person.given_name, Person.family_name,
                                       Organisation.name)
                                .join(Person.affiliations).join(Organisation).limit(500)))]
            file, _ = _csv(tmp_path, known)
            table = read_table(file)
            started = time.perf_counter()
            plan = run_job(plan_import(session, table, suggest_mapping(table.headers)))
            planned = time.perf_counter() - started
            print(f"planning {ROWS:,} rows against 100,000 persons: {planned:.2f} s, "
                  f"{len(plan.duplicates):,} duplicates")
    finally:
        database.dispose()
    assert found < DUPLICATES_100K_BUDGET_S
