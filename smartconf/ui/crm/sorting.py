"""Ordering the persons list by a column, off the GUI thread, with the collation of a language.

Collation: ``core.collation`` (not QCollator). It is the order DESIGN.md §4 sets for names
(Albanian c < ç < d < dh < e < ë; Serbian Latin c < č < ć < d < dž < đ), the same on every
platform (QCollator follows ICU on Linux but the OS collator on Windows and macOS) and the same
as the exports'. Its keys are tuples; here they become ``bytes`` whose plain comparison gives
the same order, so that sorting 100,000 of them costs a few tens of milliseconds.

Computing 100,000 keys in Python takes most of a second: they are computed on a worker thread,
kept per (column, language), and dropped for the persons a write changes (``invalidate``).
"""

from __future__ import annotations

import heapq
import struct
import time
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from functools import lru_cache
from typing import Any

from sqlalchemy.orm import Session

from smartconf.core.collation import collation_key
from smartconf.services.overview import PersonColumn, person_sort_values

NAME_COLUMNS = (PersonColumn.NAME, PersonColumn.LATIN_NAME)
NUMBER_COLUMNS = (PersonColumn.INFLUENCE, PersonColumn.INTEREST)
FETCH_ALL_FROM = 5_000  # more ids than this: read the column of every person in one query
SORT_CHUNK = 5_000  # bigger lists are sorted in pieces and merged (short holds of the GIL)
CHECK_EVERY = 128  # keys between two looks at the clock
WORK_S = 0.002  # work between two pauses that let the GUI thread run...
PAUSE_S = 0.0003  # ...and the pause

Key = bytes | int


def text_key(text: str, language: str) -> bytes:
    """``collation_key(text, language)`` as bytes that compare in the same order."""
    return b"".join(_levels(text, language))


def name_sort_key(family: str, given: str, language: str) -> bytes:
    """A person's name: family name first, then given name; letters before accents and case
    (a difference of letters in the given name outweighs one of case in the family name)."""
    f, g = _levels(family, language), _levels(given, language)
    return f[0] + g[0] + f[1] + g[1] + f[2] + g[2]


@lru_cache(maxsize=32768)
def _levels(text: str, language: str) -> tuple[bytes, bytes, bytes]:
    """The three levels of ``collation_key`` as bytes: letters, then case-folded, then exact
    text. Cached: 100,000 persons have a few thousand family names, given names and
    organisations, and the key is most of the cost of a sort."""
    primary, folded, exact = collation_key(text, language)
    return _primary(primary), folded.encode() + b"\0", exact.encode() + b"\0"


def _primary(primary: tuple[int, ...] | str) -> bytes:
    """Letter ranks as big-endian 16-bit units ending in 0 (below every rank), or the folded
    text of languages without an alphabet of their own as UTF-8 ending in a NUL."""
    if isinstance(primary, str):
        return primary.encode() + b"\0"
    return struct.pack(f">{len(primary) + 1}H", *primary, 0)


def merged_sort(ids: list[int], keys: Mapping[int, Key]) -> list[int]:
    """``ids`` in the order of their ``keys`` (stable: ties keep their order); long lists in
    sorted chunks merged lazily, so that no single C-level sort holds the interpreter for
    tens of milliseconds. No tuple per id: 100,000 of them would wake the cyclic garbage
    collector, whose full pass stops every thread."""
    key = keys.__getitem__
    if len(ids) <= SORT_CHUNK:
        return sorted(ids, key=key)
    chunks = [sorted(ids[i:i + SORT_CHUNK], key=key) for i in range(0, len(ids), SORT_CHUNK)]
    return list(heapq.merge(*chunks, key=key))


class _Pacer:
    """Pauses a long Python loop every few milliseconds, handing the GIL to the GUI thread
    (which otherwise waits up to the interpreter's switch interval, 5 ms, for every call
    from Qt into Python while it paints)."""

    def __init__(self) -> None:
        self._since = time.perf_counter()

    def step(self, count: int) -> None:
        if count % CHECK_EVERY == 0 and time.perf_counter() - self._since > WORK_S:
            time.sleep(PAUSE_S)
            self._since = time.perf_counter()


class SortKeys:
    """Sort keys of persons per (column, language), computed on demand and cached.

    ``order`` runs on a worker thread (one at a time); ``invalidate`` may be called from the
    GUI thread meanwhile: keys computed by a job that started before it are not kept.
    """

    def __init__(self, value_labels: Mapping[Hashable, str] | None = None) -> None:
        self._labels = dict(value_labels or {})  # enum value -> shown text (language column)
        self._keys: dict[tuple[PersonColumn, str], dict[int, Key | None]] = {}
        self._generation = 0

    def invalidate(self, person_ids: Iterable[int] | None = None) -> None:
        """Forget the keys of ``person_ids`` (None: of everyone)."""
        self._generation += 1
        if person_ids is None:
            self._keys = {}
            return
        ids = list(person_ids)
        for keys in list(self._keys.values()):
            for pid in ids:
                keys.pop(pid, None)

    def order(self, session: Session, ids: Sequence[int], column: PersonColumn, *,
              descending: bool, language: str) -> list[int]:
        """``ids`` ordered by ``column``; persons without a value last, in their given order."""
        keys = self._keys_of(session, ids, column, language)
        present: list[int] = []
        missing: list[int] = []
        for pid in ids:
            (missing if keys.get(pid) is None else present).append(pid)
        ordered = merged_sort(present, keys)
        if descending:
            ordered.reverse()
        return ordered + missing

    def _keys_of(self, session: Session, ids: Sequence[int], column: PersonColumn,
                 language: str) -> Mapping[int, Key | None]:
        generation = self._generation
        cached = self._keys.get((column, language), {})
        missing = [pid for pid in ids if pid not in cached]
        if not missing:
            return cached
        wanted = None if len(missing) > FETCH_ALL_FROM else missing
        values = person_sort_values(session, column, wanted)
        make = self._key_maker(column, language)
        fresh: dict[int, Key | None] = {}
        todo = missing if wanted is not None else [pid for pid in values if pid not in cached]
        pacer = _Pacer()
        for count, pid in enumerate(todo, start=1):
            value = values.get(pid)
            fresh[pid] = None if value is None else make(value)
            pacer.step(count)
        for pid in missing:
            fresh.setdefault(pid, None)
        if generation != self._generation:  # invalidated meanwhile: use them, do not keep
            return {**cached, **fresh}
        kept = self._keys.setdefault((column, language), {})
        kept.update(fresh)
        return kept

    def _key_maker(self, column: PersonColumn, language: str) -> Callable[[Any], Key]:
        if column in NAME_COLUMNS:
            return lambda names: name_sort_key(names[0], names[1], language)
        if column in NUMBER_COLUMNS:
            return int
        if column is PersonColumn.LANGUAGE:
            return lambda value: text_key(self._labels.get(value, str(value)), language)
        return lambda value: text_key(str(value), language)
