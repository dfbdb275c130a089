"""Locating the shipped ``resources/`` and ``db/`` folders (source tree, wheel or bundle).

Both are installed as top-level packages (``smartconf_resources``, ``smartconf_db``), see
pyproject.toml, so importlib.resources finds them the same way everywhere.
"""

from __future__ import annotations

from importlib.resources import as_file, files
from importlib.resources.abc import Traversable
from pathlib import Path


def resources() -> Traversable:
    """The ``resources/`` folder: fonts, icons, translations, demo data."""
    return files("smartconf_resources")


def resource_path(*parts: str) -> Path:
    """A real filesystem path to a resource (fonts need one for ReportLab and Qt)."""
    with as_file(resources().joinpath(*parts)) as path:
        return Path(path)


def migrations_path() -> Path:
    """The ``db/`` folder holding the Alembic environment and its revisions."""
    with as_file(files("smartconf_db")) as path:
        return Path(path)
