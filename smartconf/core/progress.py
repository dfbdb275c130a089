"""Progress of a long job: services yield these, the CLI and the GUI show them."""

from __future__ import annotations

from collections.abc import Callable, Generator
from dataclasses import dataclass
from typing import TypeVar

R = TypeVar("R")


@dataclass(frozen=True, slots=True)
class Progress:
    """``done`` of ``total`` steps (``total`` 0 when unknown), with a short message."""

    done: int
    total: int = 0
    message: str = ""

    @property
    def fraction(self) -> float | None:
        """Share done in [0, 1], or None when the total is unknown."""
        return min(1.0, self.done / self.total) if self.total else None


def run_job(job: Generator[Progress, None, R],
            on_progress: Callable[[Progress], None] | None = None) -> R:
    """Drive a long job (a generator of Progress) to its end and return its result."""
    while True:
        try:
            progress = next(job)
        except StopIteration as stop:
            return stop.value
        if on_progress is not None:
            on_progress(progress)
