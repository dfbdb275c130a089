"""Startup: from process start to the main window painted (budget 1.5 s, DESIGN.md §6).

Each run starts ``python -m smartconf --db URL`` (or the PyInstaller bundle) with
SMARTCONF_EXIT_AFTER_PAINT=1; the window prints "painted" after its first paint and exits.
Measured from Popen to that line ("painted") and to the process' exit ("exit"): on an empty
database, on the 100,000-person SQLite database, on the same data in PostgreSQL, and with the
bundle (``dist/smartconf/smartconf``, or $SMARTCONF_BUNDLE) when one has been built.

Run: ``pytest tests/bench/bench_startup.py -s``
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import pytest

from smartconf.store.database import open_database

from .conftest import SCALE
from .datagen import generate

RUNS = 5
BUDGET_S = 1.5
SANITY_BOUND_S = 5 * BUDGET_S  # fails only when something is badly wrong
TIMEOUT_S = 60
ROOT = Path(__file__).resolve().parents[2]
PYTHON = (sys.executable, "-m", "smartconf")


def start_once(program: tuple[str, ...], db_url: str, home: Path) -> tuple[float, float]:
    """Start the GUI once; seconds until "painted" is printed and until the process exits."""
    env = {k: v for k, v in os.environ.items() if k != "SMARTCONF_DB"}
    env.update(SMARTCONF_EXIT_AFTER_PAINT="1", QT_QPA_PLATFORM="offscreen",
               SMARTCONF_HOME=str(home), XDG_CONFIG_HOME=str(home / "config"))
    started = time.perf_counter()
    process = subprocess.Popen([*program, "--db", db_url], env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    painted = None
    assert process.stdout is not None
    for line in process.stdout:
        if line.strip() == "painted" and painted is None:
            painted = time.perf_counter() - started
    try:
        _, stderr = process.communicate(timeout=TIMEOUT_S)
    except subprocess.TimeoutExpired:
        process.kill()
        raise
    exited = time.perf_counter() - started
    assert process.returncode == 0 and painted is not None, (
        f"exit {process.returncode}, painted={painted}; stderr:\n{stderr[-3000:]}")
    return painted, exited


def measure(label: str, db_url: str, home: Path, program: tuple[str, ...] = PYTHON) -> None:
    """Start RUNS times, print min/median/max and check the median against a sanity bound."""
    results = [start_once(program, db_url, home) for _ in range(RUNS)]
    painted = [p for p, _ in results]
    exited = [e for _, e in results]
    print(f"\n[startup] {label}, {RUNS} runs (budget {BUDGET_S} s to painted)")
    for name, values in (("painted", painted), ("exit", exited)):
        print(f"  {name:>8}: min {min(values):.3f} s  median {statistics.median(values):.3f} s"
              f"  max {max(values):.3f} s   [{', '.join(f'{v:.2f}' for v in values)}]")
    assert statistics.median(painted) < SANITY_BOUND_S


@pytest.fixture
def empty_db_url(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    open_database(url).dispose()  # migrated beforehand: startup, not migration, is measured
    return url


def bundle_executable() -> Path | None:
    """The built bundle: $SMARTCONF_BUNDLE or dist/smartconf/smartconf, if it exists."""
    path = Path(os.environ.get("SMARTCONF_BUNDLE", ROOT / "dist" / "smartconf" / "smartconf"))
    return path if path.is_file() else None


def test_startup_empty_database(empty_db_url: str, tmp_path: Path) -> None:
    measure("empty SQLite database", empty_db_url, tmp_path / "home")


def test_startup_100k_persons(bench_db_copy: Path, tmp_path: Path) -> None:
    measure("SQLite, 100,000 persons, 20,000 participants", f"sqlite:///{bench_db_copy}",
            tmp_path / "home")


def test_startup_100k_persons_postgresql(pg_url: str, tmp_path: Path) -> None:
    generate(pg_url, **SCALE)
    measure("PostgreSQL, 100,000 persons, 20,000 participants", pg_url, tmp_path / "home")


def test_startup_bundle_100k_persons(bench_db_copy: Path, tmp_path: Path) -> None:
    executable = bundle_executable()
    if executable is None:
        pytest.skip("no bundle: build it with `pyinstaller build.spec` or set SMARTCONF_BUNDLE")
    measure(f"bundle {executable}, SQLite, 100,000 persons", f"sqlite:///{bench_db_copy}",
            tmp_path / "home", program=(str(executable),))
