"""Progress of a long job: services yield these, the CLI and the GUI show them."""

from __future__ import annotations

from dataclasses import dataclass


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
