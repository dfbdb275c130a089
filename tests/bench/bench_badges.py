"""Benchmark: 1,000 badges to PDF (budget: under 5 s, DESIGN.md §6).

Not part of the default run. ``pytest tests/bench/bench_badges.py -s`` prints the figures:
render time, badges per second and file size for every layout; every QR of the A6 four-up PDF
decoded from pages rendered at 150 dpi; and the service path (load participants, issue
missing codes, render) for each conference of the 100,000-person benchmark database.
"""

from __future__ import annotations

import itertools
import time

import pytest
from sqlalchemy import select

from smartconf.core.badge_code import new_badge_code
from smartconf.core.dto import BadgeData
from smartconf.core.enums import ParticipantRole
from smartconf.exports.badges import LAYOUTS, render_badges
from smartconf.models import Conference
from smartconf.services.badges import badges_for_conference
from smartconf.store.database import open_database
from smartconf.store.session import unit_of_work
from tests.pdftools import decoded_codes, require_poppler

BADGES = 1000
BUDGET_S = 5.0
GIVEN = ["Arta", "Ђорђе", "Đorđe", "Arbëreshë", "Vjosa", "Çlirim", "Maximilianus-Bartholomäus",
         "Ivana", "Dragan", "Lirije"]
FAMILY = ["Gashi", "Чолић", "Čolić", "Ëmërllahu-Çeku", "Šćepanović-Žižić", "Krasniqi",
          "Wolfeschlegelsteinhausenbergerdorff", "Berisha", "Јовановић"]
ORGS = ["KCSS", "Ministria e Punëve të Brendshme", "Министарство унутрашњих послова",
        "Autoriteti Rregullativ i Komunikimeve Elektronike dhe Postare, Departamenti për "
        "Sigurinë Kibernetike dhe Infrastrukturën", "", "Kosovo Police"]


def _badges() -> list[BadgeData]:
    combos = itertools.cycle(itertools.product(GIVEN, FAMILY, ORGS, ParticipantRole))
    return [BadgeData(i, given, family, org, role, role.value.title(),
                      "SMART Balkans Conference on Critical Infrastructure Protection",
                      "12–13 March 2027", new_badge_code())
            for i, (given, family, org, role) in zip(range(BADGES), combos, strict=False)]


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_thousand_badges_within_budget(layout: str) -> None:
    badges = _badges()
    render_badges(badges[:4], layout=layout)  # fonts registered, caches warm
    start = time.perf_counter()
    pdf = render_badges(badges, layout=layout)
    elapsed = time.perf_counter() - start
    print(f"\n{layout}: {BADGES} badges in {elapsed:.2f} s ({BADGES / elapsed:.0f}/s), "
          f"{len(pdf) / 1e6:.2f} MB ({len(pdf) / BADGES / 1e3:.1f} kB per badge)")
    assert elapsed < BUDGET_S


def test_thousand_badges_all_decode() -> None:
    require_poppler()
    badges = _badges()
    pdf = render_badges(badges)
    start = time.perf_counter()
    codes = decoded_codes(pdf)
    elapsed = time.perf_counter() - start
    print(f"\ndecoded {len(codes)}/{BADGES} QR codes from 150 dpi pages in {elapsed:.1f} s")
    assert sorted(codes) == sorted(b.code for b in badges)


def test_conference_badges_from_the_database(bench_db_copy) -> None:
    database = open_database(f"sqlite:///{bench_db_copy}")
    try:
        with unit_of_work(database.sessions, "bench") as session:
            for conference in session.scalars(select(Conference).order_by(Conference.id)):
                start = time.perf_counter()
                badges = badges_for_conference(session, conference, actor="bench")
                loaded = time.perf_counter()
                pdf = render_badges(badges)
                done = time.perf_counter()
                print(f"\n{conference.code}: {len(badges)} badges, loaded and coded in "
                      f"{loaded - start:.2f} s, rendered in {done - loaded:.2f} s "
                      f"({(done - start) / len(badges) * BADGES:.2f} s per {BADGES}), "
                      f"{len(pdf) / 1e6:.2f} MB")
                assert (done - start) / len(badges) * BADGES < BUDGET_S
    finally:
        database.dispose()
