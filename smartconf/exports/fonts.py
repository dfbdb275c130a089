"""The TrueType fonts embedded in every PDF smartconf writes.

ReportLab's built-in Helvetica has no glyphs for đ, č, ć or Cyrillic and silently draws black
boxes; DejaVu Sans (shipped in ``resources/fonts`` with its licence) covers Albanian, Serbian
Latin and Serbian Cyrillic.
"""

from __future__ import annotations

from functools import cache

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from smartconf.core.resources import resource_path

REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
_FILES = {REGULAR: "DejaVuSans.ttf", BOLD: "DejaVuSans-Bold.ttf"}


@cache
def register_fonts() -> tuple[str, str]:
    """Register DejaVu Sans and DejaVu Sans Bold with ReportLab (once); returns their names."""
    for name, filename in _FILES.items():
        pdfmetrics.registerFont(TTFont(name, str(resource_path("fonts", filename))))
    addMapping(REGULAR, 0, 0, REGULAR)
    addMapping(REGULAR, 1, 0, BOLD)
    return REGULAR, BOLD
