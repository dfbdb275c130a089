"""Benchmark fixtures: the 100,000-person SQLite database, built once and cached.

The file is cached in ``$SMARTCONF_BENCH_CACHE`` (default ``/tmp/smartconf-bench/``) under a
name made of the generator's parameters and a hash of the generator's source, and reused while
it is at the current migration head. Benchmarks live in ``bench_*.py`` files, collected here.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import time
from pathlib import Path

import pytest

from smartconf.store import migrations
from smartconf.store.engine import create_db_engine

from .datagen import generate

CACHE_ENV = "SMARTCONF_BENCH_CACHE"
SCALE = {"persons": 100_000, "organisations": 2_000, "participants": 20_000, "conferences": 3,
         "seed": 1}


def pytest_collect_file(file_path: Path, parent):
    """Collect ``bench_*.py`` as test modules (only when tests/bench is run explicitly)."""
    if (file_path.suffix == ".py" and file_path.name.startswith("bench_")
            and not parent.session.isinitpath(file_path)):  # named files are collected anyway
        return pytest.Module.from_parent(parent, path=file_path)
    return None


def cache_dir() -> Path:
    path = Path(os.environ.get(CACHE_ENV, "/tmp/smartconf-bench"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def _generator_hash() -> str:
    here = Path(__file__).parent
    digest = hashlib.sha256()
    for name in ("datagen.py", "pools.py"):
        digest.update((here / name).read_bytes())
    return digest.hexdigest()[:10]


def cached_database(**scale: int) -> Path:
    """The SQLite file generated with ``scale``: from the cache, or built now."""
    key = "-".join(f"{k[:4]}{v}" for k, v in scale.items())
    path = cache_dir() / f"bench-{key}-{_generator_hash()}.db"
    if path.exists() and _at_head(path):
        return path
    building = path.with_suffix(f".building-{os.getpid()}")
    _remove(building)
    started = time.perf_counter()
    generate(f"sqlite:///{building}", **scale)
    print(f"\n[bench] generated {path.name} in {time.perf_counter() - started:.1f} s")
    os.replace(building, path)
    return path


def _at_head(path: Path) -> bool:
    engine = create_db_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as connection:
            return migrations.current_revision(connection) == migrations.head_revision()
    finally:
        engine.dispose()


def _remove(path: Path) -> None:
    for extra in ("", "-wal", "-shm"):
        Path(f"{path}{extra}").unlink(missing_ok=True)


@pytest.fixture(scope="session")
def bench_db_file() -> Path:
    """The cached 100,000-person SQLite file. Read it; copy it before writing to it."""
    return cached_database(**SCALE)


@pytest.fixture(scope="session")
def bench_db_copy(bench_db_file: Path, tmp_path_factory) -> Path:
    """A private copy of the 100,000-person database that a benchmark may write to."""
    copy = tmp_path_factory.mktemp("bench") / "smartconf.db"
    shutil.copyfile(bench_db_file, copy)
    return copy
