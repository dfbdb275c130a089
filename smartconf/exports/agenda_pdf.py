"""The agenda of a conference as a PDF: AgendaDocument in, PDF bytes out.

A4 portrait: a title block (title, dates, venue, time zone), then one table per day with time,
room, kind, title, moderator/speakers/rapporteur and the report findings presented. Headings
can be in one to three languages (sq, sr, en, in the order asked); the content stays as
written. DejaVu Sans is embedded, so Albanian, Serbian Latin and Cyrillic names print as they
are.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from itertools import groupby
from xml.sax.saxutils import escape

from reportlab.lib.colors import HexColor, white
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Paragraph, SimpleDocTemplate, Spacer, Table
from reportlab.platypus.tables import TableStyle

from smartconf.core.enums import AgendaSessionKind
from smartconf.core.errors import ValidationError
from smartconf.exports.fonts import register_fonts

LANGUAGES = ("sq", "sr", "en")


@dataclass(frozen=True, slots=True)
class AgendaItem:
    """One session; times are aware datetimes in the conference's time zone."""

    starts_at: datetime
    ends_at: datetime
    room: str
    kind: AgendaSessionKind
    title: str
    moderators: tuple[str, ...] = ()  # "Name (Organisation)", in panel order
    speakers: tuple[str, ...] = ()
    rapporteurs: tuple[str, ...] = ()
    findings: tuple[str, ...] = ()  # "R2-F3"


@dataclass(frozen=True, slots=True)
class AgendaDocument:
    """A conference's agenda; items in the order they are printed (by time, then room)."""

    code: str
    title: str
    starts_at: datetime  # in the conference's time zone
    ends_at: datetime
    timezone: str
    venue: str
    address: str
    organiser: str
    items: tuple[AgendaItem, ...]


# --- words -----------------------------------------------------------------------------------

_WORDS: dict[str, dict[str, str]] = {
    "agenda": {"sq": "Axhenda", "sr": "Agenda", "en": "Agenda"},
    "time": {"sq": "Ora", "sr": "Vreme", "en": "Time"},
    "room": {"sq": "Salla", "sr": "Sala", "en": "Room"},
    "kind": {"sq": "Lloji", "sr": "Vrsta", "en": "Type"},
    "session": {"sq": "Sesioni", "sr": "Sesija", "en": "Session"},
    "people": {"sq": "Moderimi dhe folësit", "sr": "Moderator i govornici",
               "en": "Moderator and speakers"},
    "findings": {"sq": "Gjetjet e prezantuara", "sr": "Predstavljeni nalazi",
                 "en": "Findings presented"},
    "venue": {"sq": "Vendi", "sr": "Mesto", "en": "Venue"},
    "times": {"sq": "Oraret sipas zonës kohore", "sr": "Vreme po vremenskoj zoni",
              "en": "Times in"},
    "day": {"sq": "Dita", "sr": "Dan", "en": "Day"},
    "moderator": {"sq": "Moderatori", "sr": "Moderator", "en": "Moderator"},
    "speakers": {"sq": "Folësit", "sr": "Govornici", "en": "Speakers"},
    "rapporteur": {"sq": "Raportuesi", "sr": "Izvestilac", "en": "Rapporteur"},
    "empty": {"sq": "Axhenda nuk ka ende sesione.", "sr": "Agenda još nema sesija.",
              "en": "The agenda has no sessions yet."},
    "page": {"sq": "faqja", "sr": "strana", "en": "page"},
}
KIND_LABELS: dict[AgendaSessionKind, dict[str, str]] = {
    AgendaSessionKind.OPENING: {"sq": "Hapja", "sr": "Otvaranje", "en": "Opening"},
    AgendaSessionKind.KEYNOTE: {"sq": "Fjalim kryesor", "sr": "Uvodno izlaganje",
                                "en": "Keynote"},
    AgendaSessionKind.PANEL: {"sq": "Panel", "sr": "Panel", "en": "Panel"},
    AgendaSessionKind.WORKSHOP: {"sq": "Punëtori", "sr": "Radionica", "en": "Workshop"},
    AgendaSessionKind.BREAK: {"sq": "Pushim", "sr": "Pauza", "en": "Break"},
    AgendaSessionKind.CLOSING: {"sq": "Mbyllja", "sr": "Zatvaranje", "en": "Closing"},
}
_MONTHS = {
    "sq": ("janar", "shkurt", "mars", "prill", "maj", "qershor", "korrik", "gusht", "shtator",
           "tetor", "nëntor", "dhjetor"),
    "sr": ("januar", "februar", "mart", "april", "maj", "jun", "jul", "avgust", "septembar",
           "oktobar", "novembar", "decembar"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"),
}
_WEEKDAYS = {
    "sq": ("e hënë", "e martë", "e mërkurë", "e enjte", "e premte", "e shtunë", "e diel"),
    "sr": ("ponedeljak", "utorak", "sreda", "četvrtak", "petak", "subota", "nedelja"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}


def day_label(day: date, language: str) -> str:
    """"Tuesday 16 March 2027", "e martë, 16 mars 2027", "utorak, 16. mart 2027."."""
    weekday = _WEEKDAYS[language][day.weekday()]
    if language == "en":
        return f"{weekday} {_day_month(day, language)} {day.year}"
    return f"{weekday}, {_day_month(day, language)} {_year(day, language)}"


def range_label(first: date, last: date, language: str) -> str:
    """A day range repeating only what differs: "16–17 March 2027"."""
    if first == last:
        return f"{_day_month(first, language)} {_year(last, language)}"
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.day}–{_day_month(last, language)} {_year(last, language)}"
    start = _day_month(first, language)
    if first.year != last.year:
        start += f" {_year(first, language)}"
    return f"{start} – {_day_month(last, language)} {_year(last, language)}"


def _day_month(day: date, language: str) -> str:
    dot = "." if language == "sr" else ""
    return f"{day.day}{dot} {_MONTHS[language][day.month - 1]}"


def _year(day: date, language: str) -> str:
    return f"{day.year}." if language == "sr" else str(day.year)


# --- rendering -------------------------------------------------------------------------------

_INK = HexColor("#111111")
_MUTED_HEX = "#5A6570"
_MUTED = HexColor(_MUTED_HEX)
_HEADER = HexColor("#1F3A5F")
_RULE = HexColor("#C8CDD2")
_BREAK = HexColor("#EEF0F2")
_MARGIN = 15 * mm
_COLUMNS = (21 * mm, 22 * mm, 18 * mm, 51 * mm, 46 * mm, 22 * mm)  # 180 mm: A4 less margins
_DAY_START = 45 * mm
_COLUMN_WORDS = ("time", "room", "kind", "session", "people", "findings")


def render_agenda(document: AgendaDocument, *, languages: Sequence[str] = ("en",)) -> bytes:
    """The agenda PDF; headings in ``languages`` (first one leads), content as written."""
    langs = _languages(languages)
    styles = _Styles(*register_fonts())
    buffer = io.BytesIO()
    pdf = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=_MARGIN, rightMargin=_MARGIN, topMargin=_MARGIN,
        bottomMargin=_MARGIN + 4 * mm, initialFontName=styles.regular,
        title=f"{document.title} — {_WORDS['agenda'][langs[0]]}", author=document.organiser,
        subject=document.code, creator="smartconf")
    story = _title_block(document, langs, styles)
    if not document.items:
        story.append(Paragraph(escape(_WORDS["empty"][langs[0]]), styles.body))
    days = groupby(document.items, key=lambda item: item.starts_at.date())
    for number, (day, items) in enumerate(days, start=1):
        heading = _day_heading(number, day, langs, styles)
        table = _day_table(list(items), langs, styles)
        # a day starts on a new page only when its heading and first rows would not fit
        story += [CondPageBreak(_DAY_START), *heading, table, Spacer(1, 6 * mm)]
    footer = _Footer(document.code, langs[0], styles.regular)
    pdf.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()


def _languages(languages: Sequence[str]) -> tuple[str, ...]:
    chosen = tuple(dict.fromkeys(str(lang).strip().lower() for lang in languages))
    unknown = [lang for lang in chosen if lang not in LANGUAGES]
    if not chosen or unknown:
        raise ValidationError(f"choose from {', '.join(LANGUAGES)}, not "
                              f"{', '.join(unknown) or 'nothing'}", field="languages")
    return chosen


class _Styles:
    """Paragraph styles over the embedded fonts."""

    def __init__(self, regular: str, bold: str) -> None:
        self.regular, self.bold = regular, bold
        self.body = ParagraphStyle("body", fontName=regular, fontSize=8.5, leading=10.5,
                                   textColor=_INK)
        self.small = ParagraphStyle("small", parent=self.body, fontSize=7.5, leading=9.5,
                                    textColor=_MUTED)
        self.strong = ParagraphStyle("strong", parent=self.body, fontName=bold)
        self.header = ParagraphStyle("header", parent=self.body, fontName=bold, fontSize=8,
                                     leading=9.5, textColor=white)
        self.title = ParagraphStyle("title", fontName=bold, fontSize=17, leading=21,
                                    textColor=_INK, spaceAfter=3 * mm)
        self.label = ParagraphStyle("label", parent=self.small, fontName=bold, fontSize=9,
                                    leading=11, spaceAfter=1 * mm)
        self.day = ParagraphStyle("day", fontName=bold, fontSize=12, leading=15,
                                  textColor=_HEADER)
        self.day_other = ParagraphStyle("day_other", parent=self.small, spaceAfter=2 * mm)


def _words(key: str, langs: Sequence[str]) -> str:
    return " / ".join(_WORDS[key][lang] for lang in langs)


def _title_block(document: AgendaDocument, langs: Sequence[str],
                 styles: _Styles) -> list:
    first, last = document.starts_at.date(), document.ends_at.date()
    dates = " / ".join(dict.fromkeys(range_label(first, last, lang) for lang in langs))
    place = ", ".join(p for p in (document.venue, document.address) if p)
    block = [Paragraph(escape(_words("agenda", langs)).upper(), styles.label),
             Paragraph(escape(document.title), styles.title),
             Paragraph(escape(dates), styles.strong)]
    if place:
        block.append(Paragraph(f"{escape(_words('venue', langs))}: {escape(place)}",
                               styles.body))
    block += [Paragraph(f"{escape(_words('times', langs))}: {escape(document.timezone)}",
                        styles.small), Spacer(1, 6 * mm)]
    return block


def _day_heading(number: int, day: date, langs: Sequence[str], styles: _Styles) -> list:
    lead, *others = (f"{_WORDS['day'][lang]} {number} · {day_label(day, lang)}"
                     for lang in langs)
    heading = [Paragraph(escape(lead), styles.day)]
    heading.append(Paragraph(escape(" / ".join(others)), styles.day_other) if others
                   else Spacer(1, 2 * mm))
    return heading


def _day_table(items: Sequence[AgendaItem], langs: Sequence[str], styles: _Styles) -> Table:
    rows = [[_header_cell(key, langs, styles) for key in _COLUMN_WORDS]]
    rows += [_row(item, langs[0], styles) for item in items]
    table = Table(rows, colWidths=_COLUMNS, repeatRows=1)
    commands = [
        ("FONTNAME", (0, 0), (-1, -1), styles.regular),  # never ReportLab's Helvetica
        ("BACKGROUND", (0, 0), (-1, 0), _HEADER),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 1), (-1, -1), 0.4, _RULE),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]
    commands += [("BACKGROUND", (0, i), (-1, i), _BREAK)
                 for i, item in enumerate(items, start=1) if item.kind is AgendaSessionKind.BREAK]
    table.setStyle(TableStyle(commands))
    return table


def _header_cell(key: str, langs: Sequence[str], styles: _Styles) -> Paragraph:
    lead, *others = (escape(_WORDS[key][lang]) for lang in langs)
    more = "".join(f'<br/><font size="6.5">{word}</font>' for word in others)
    return Paragraph(lead + more, styles.header)


def _row(item: AgendaItem, language: str, styles: _Styles) -> list[Paragraph]:
    times = f"{item.starts_at:%H:%M}–{item.ends_at:%H:%M}"
    return [
        Paragraph(times, styles.body),
        Paragraph(escape(item.room), styles.body),
        Paragraph(escape(KIND_LABELS[item.kind][language]), styles.small),
        Paragraph(escape(item.title), styles.strong),
        Paragraph(_people(item, language), styles.body),
        Paragraph(escape(", ".join(item.findings)), styles.body),
    ]


def _people(item: AgendaItem, language: str) -> str:
    parts = []
    for key, names in (("moderator", item.moderators), ("speakers", item.speakers),
                       ("rapporteur", item.rapporteurs)):
        if names:
            label = f'<font color="{_MUTED_HEX}">{escape(_WORDS[key][language])}:</font>'
            parts.append(f"{label} " + "<br/>".join(escape(n) for n in names))
    return "<br/>".join(parts)


class _Footer:
    """Draws "CODE · Agenda · page N" at the bottom of each page."""

    def __init__(self, code: str, language: str, font: str) -> None:
        self.text = f"{code} · {_WORDS['agenda'][language]} · {_WORDS['page'][language]}"
        self.font = font

    def __call__(self, canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont(self.font, 7)
        canvas.setFillColor(_MUTED)
        canvas.drawRightString(A4[0] - _MARGIN, _MARGIN, f"{self.text} {doc.page}")
        canvas.restoreState()
