"""Bar charts as PNG for the programme's infographics (Pillow, DejaVu Sans). DTO in, bytes out.

A chart is a title, bars (label, count) and a footnote. Counts arrive already suppressed: a
bar whose count is a marker ("<3", "[c]") is drawn hatched at a neutral length (a fixed small
share of the axis, so its length says nothing) with the marker as its label. Bars are
horizontal so that long labels ("Critical infrastructure operator", Cyrillic names) stay
readable; sizes scale with the image, 1600x900 for print, smaller for the dashboard.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import cache

from PIL import Image, ImageDraw, ImageFont

from smartconf.core.resources import resource_path

MAX_BARS = 14
MIN_UNIT = 11  # smallest text, in pixels
NEUTRAL_SHARE = 0.06  # length of a suppressed bar, as a share of the axis
BACKGROUND = (255, 255, 255)
INK = (33, 37, 41)
MUTED = (108, 117, 125)
BAR = (0, 84, 147)  # KCSS blue
HATCH = (150, 160, 170)
GRID = (222, 226, 230)


@dataclass(frozen=True, slots=True)
class Bar:
    label: str
    count: int | str  # a count, or a suppression marker


@dataclass(frozen=True, slots=True)
class BarChart:
    title: str
    bars: tuple[Bar, ...]
    subtitle: str = ""
    footnote: str = ""
    by_size: bool = False  # largest first (hidden ones last), else in the given order


@cache
def _font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    return ImageFont.truetype(str(resource_path("fonts", name)), size)


def _shown_bars(chart: BarChart) -> tuple[list[Bar], int]:
    """The bars drawn (at most MAX_BARS) and how many were left out."""
    ordered = list(chart.bars)
    if chart.by_size:
        ordered.sort(key=lambda b: (isinstance(b.count, str),
                                    -b.count if isinstance(b.count, int) else 0))
    return ordered[:MAX_BARS], max(0, len(ordered) - MAX_BARS)


def _fit(draw: ImageDraw.ImageDraw, text: str, font, width: float) -> str:
    if draw.textlength(text, font=font) <= width:
        return text
    while text and draw.textlength(text + "…", font=font) > width:
        text = text[:-1]
    return text + "…"


def _hatched(draw: ImageDraw.ImageDraw, box: tuple[float, float, float, float],
             step: int) -> None:
    left, top, right, bottom = box
    draw.rectangle(box, outline=HATCH, width=max(1, step // 4))
    x = left - (bottom - top)
    while x < right:
        start = (max(x, left), top + max(0, left - x))
        end_x = min(x + (bottom - top), right)
        end = (end_x, top + (end_x - x))
        draw.line([start, end], fill=HATCH, width=max(1, step // 4))
        x += step


def bar_chart_png(chart: BarChart, *, size: tuple[int, int] = (1600, 900)) -> bytes:
    """``chart`` drawn as a horizontal bar chart, PNG bytes of ``size`` pixels."""
    width, height = size
    unit = max(MIN_UNIT, height // 40)
    image = Image.new("RGB", size, BACKGROUND)
    draw = ImageDraw.Draw(image)
    title_font, text_font, small_font = _font(int(unit * 1.6), True), _font(unit), \
        _font(max(MIN_UNIT - 1, int(unit * 0.8)))
    margin = unit * 2
    draw.text((margin, margin), _fit(draw, chart.title, title_font, width - 2 * margin),
              font=title_font, fill=INK)
    top = margin + unit * 2.4
    if chart.subtitle:
        draw.text((margin, top), _fit(draw, chart.subtitle, text_font, width - 2 * margin),
                  font=text_font, fill=MUTED)
        top += unit * 1.8
    bars, left_out = _shown_bars(chart)
    footnote = chart.footnote + (f" {left_out} more not shown." if left_out else "")
    bottom = height - margin - (unit * 1.5 if footnote else 0)
    if footnote:
        draw.text((margin, height - margin - unit), _fit(draw, footnote, small_font,
                                                         width - 2 * margin),
                  font=small_font, fill=MUTED)
    _draw_bars(draw, bars, (margin, top + unit, width - margin, bottom), text_font, unit)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=False)
    return buffer.getvalue()


def _draw_bars(draw: ImageDraw.ImageDraw, bars: list[Bar],
               area: tuple[float, float, float, float], font, unit: int) -> None:
    left, top, right, bottom = area
    if not bars:
        draw.text((left, top), "No data", font=font, fill=MUTED)
        return
    label_width = min((right - left) * 0.38,
                      max(draw.textlength(b.label, font=font) for b in bars) + unit)
    value_width = draw.textlength("00000", font=font) + unit
    axis_left, axis_right = left + label_width, right - value_width
    slot = (bottom - top) / len(bars)
    thickness = max(4.0, min(slot * 0.7, unit * 2.2))
    largest = max((b.count for b in bars if isinstance(b.count, int)), default=0) or 1
    draw.line([(axis_left, top), (axis_left, bottom)], fill=GRID, width=max(1, unit // 6))
    for index, bar in enumerate(bars):
        middle = top + slot * (index + 0.5)
        draw.text((axis_left - unit * 0.6, middle), _fit(draw, bar.label, font,
                                                         label_width - unit),
                  font=font, fill=INK, anchor="rm")
        y0, y1 = middle - thickness / 2, middle + thickness / 2
        if isinstance(bar.count, int):
            end = axis_left + (axis_right - axis_left) * bar.count / largest
            if bar.count:
                draw.rectangle((axis_left, y0, end, y1), fill=BAR)
        else:
            end = axis_left + (axis_right - axis_left) * NEUTRAL_SHARE
            _hatched(draw, (axis_left, y0, end, y1), max(4, unit // 2))
        draw.text((end + unit * 0.5, middle), str(bar.count), font=font,
                  fill=INK if isinstance(bar.count, int) else MUTED, anchor="lm")
