"""Fitting text into a box: shrink to fit on one line, then wrap, never overflow."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from reportlab.pdfbase.pdfmetrics import stringWidth

LEADING = 1.2  # line height as a multiple of the font size
ASCENT = 0.95  # top of accented capitals (Ë, Ć, Ђ) above the baseline, in font sizes
ELLIPSIS = "…"
WORD_SHRINK = 0.7  # a word too wide at min_size may shrink to this share of it before breaking
_SIZE_STEP = 0.5
_PIECES = re.compile(r"[^-]+-?|-")  # a word splits after its hyphens: "Ëmërllahu-|Çeku"


@dataclass(frozen=True, slots=True)
class FittedText:
    """Lines of text at one font size; ``height`` is what they take on the page."""

    lines: tuple[str, ...]
    size: float

    @property
    def leading(self) -> float:
        return self.size * LEADING

    @property
    def height(self) -> float:
        return len(self.lines) * self.leading


def fit_text(text: str, font: str, *, max_size: float, min_size: float, width: float,
             height: float) -> FittedText:
    """Fit ``text`` into a ``width`` x ``height`` box (points).

    One line at the largest size in [min_size, max_size] that fits; if even ``min_size`` is too
    wide, the largest size at which the wrapped text has no more lines than the box holds.
    A word wider than the box at ``min_size`` shrinks further (down to ``WORD_SHRINK`` times
    ``min_size``) rather than being broken; only a word still too wide is split between
    characters.
    Only when the text cannot fit at ``min_size`` is the last line cut short with an ellipsis,
    so nothing is ever drawn outside the box.
    """
    text = " ".join(text.split())
    max_size = min(max_size, height / LEADING)
    if not text or max_size <= 0:
        return FittedText((), max_size)
    min_size = min(min_size, max_size)
    one_line = _floor(min(max_size, width / stringWidth(text, font, 1)))
    if one_line >= min_size:
        return FittedText((text,), one_line)
    widest_piece = max(stringWidth(piece, font, 1) for piece, _ in _pieces(text))
    size = min(max_size, _floor(width / widest_piece))  # no word needs breaking up to here
    if min_size * WORD_SHRINK <= size < min_size:
        min_size = size  # a name is better a little smaller than cut in the middle of a word
    while size > min_size:
        lines = wrap_text(text, font, size, width)
        if len(lines) <= _lines_that_fit(height, size):
            return FittedText(tuple(lines), size)
        size = max(min_size, size - _SIZE_STEP)
    lines = wrap_text(text, font, min_size, width)
    room = max(1, _lines_that_fit(height, min_size))
    if len(lines) > room:
        lines = [*lines[:room - 1], _with_ellipsis(" ".join(lines[room - 1:]), font, min_size,
                                                   width)]
    return FittedText(tuple(lines), min_size)


def wrap_text(text: str, font: str, size: float, width: float) -> list[str]:
    """Greedy line breaking at spaces and after hyphens; a piece wider than a line is split
    between characters."""
    lines: list[str] = []
    line = ""
    for piece, spaced in _pieces(text):
        for chunk in _chunks(piece, font, size, width):
            candidate = f"{line} {chunk}" if spaced and line else line + chunk
            if line and stringWidth(candidate, font, size) > width:
                lines.append(line)
                candidate = chunk
            line, spaced = candidate, False
    if line:
        lines.append(line)
    return lines


def _pieces(text: str) -> list[tuple[str, bool]]:
    """``(piece, preceded by a space)`` for the places a line may break."""
    pieces = []
    for word in text.split(" "):
        for i, piece in enumerate(_PIECES.findall(word)):
            pieces.append((piece, i == 0))
    return pieces


def _chunks(piece: str, font: str, size: float, width: float) -> list[str]:
    """``piece`` cut between characters into parts no wider than ``width``."""
    if stringWidth(piece, font, size) <= width:
        return [piece]
    chunks, current = [], ""
    for ch in piece:
        if current and stringWidth(current + ch, font, size) > width:
            chunks.append(current)
            current = ""
        current += ch
    return [*chunks, current]


def _with_ellipsis(text: str, font: str, size: float, width: float) -> str:
    """The longest start of ``text`` that fits with an ellipsis after it."""
    cut = len(text)
    while cut and stringWidth(text[:cut].rstrip() + ELLIPSIS, font, size) > width:
        cut -= 1
    return text[:cut].rstrip() + ELLIPSIS


def _lines_that_fit(height: float, size: float) -> int:
    return int(height / (size * LEADING) + 1e-9)


def _floor(size: float) -> float:
    """Round a font size down to a tenth of a point (never up: it must still fit)."""
    return math.floor(size * 10) / 10
