"""The agenda PDF from its DTO alone: text read back by poppler, fonts embedded, headings in
one to three languages, days split, pages that render."""

from __future__ import annotations

import subprocess
import tempfile
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from smartconf.core.enums import AgendaSessionKind
from smartconf.core.errors import ValidationError
from smartconf.exports.agenda_pdf import (
    AgendaDocument,
    AgendaItem,
    day_label,
    range_label,
    render_agenda,
)
from tests.pdftools import pdf_pages, pdf_text, require_poppler

ZONE = ZoneInfo("Europe/Belgrade")
LONG_TITLE = ("Oversight of critical infrastructure protection: a role for the Assembly of "
              "the Republic of Kosovo, its Committee on Internal Affairs, Security and "
              "Oversight of the Kosovo Security Force, and the Kosovo Intelligence Agency")


def _at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2027, 3, day, hour, minute, tzinfo=ZONE)


def _document(items: tuple[AgendaItem, ...] | None = None) -> AgendaDocument:
    if items is None:
        items = (
            AgendaItem(_at(16, 8), _at(16, 9), "", AgendaSessionKind.BREAK,
                       "Registration & welcome coffee"),
            AgendaItem(_at(16, 10, 30), _at(16, 12), "Diamond Ballroom", AgendaSessionKind.PANEL,
                       "Hybrid threats: lessons from the attack on the Ibër-Lepenc canal",
                       moderators=("Dr. Qëndresa Ëmërllahu (KCSS)",),
                       speakers=("Ђорђе Чолић (Радио Контакт плус)", "Đurđa Šćekić (CSP)"),
                       rapporteurs=("Çlirim Kastrati (KCSS)",), findings=("R1-F4", "R4-F1")),
            AgendaItem(_at(17, 11, 20), _at(17, 12, 30), "Sapphire Room",
                       AgendaSessionKind.WORKSHOP, LONG_TITLE, findings=("R1-F7",)),
        )
    return AgendaDocument(code="SB-CI", title="Mbrojtja e infrastrukturës kritike",
                          starts_at=_at(16, 8), ends_at=_at(17, 13), timezone="Europe/Belgrade",
                          venue="Swiss Diamond Hotel", address="Sheshi Nënë Tereza, Prishtinë",
                          organiser="KCSS", items=items)


def _flat(pdf: bytes) -> str:
    return " ".join(pdf_text(pdf).split())  # lines wrapped inside a table cell join up


def test_text_comes_back_with_diacritics_and_cyrillic() -> None:
    require_poppler()
    text = _flat(render_agenda(_document()))
    for expected in ("Mbrojtja e infrastrukturës kritike", "16–17 March 2027",
                     "Venue: Swiss Diamond Hotel, Sheshi Nënë Tereza, Prishtinë",
                     "Times in: Europe/Belgrade", "Day 1 · Tuesday 16 March 2027",
                     "Day 2 · Wednesday 17 March 2027", "08:00–09:00", "10:30–12:00",
                     "Registration & welcome coffee", "Ibër-Lepenc canal",
                     "Moderator: Dr. Qëndresa", "Ëmërllahu (KCSS)", "Speakers: Ђорђе Чолић",
                     "(Радио Контакт плус)", "Đurđa Šćekić (CSP)", "Rapporteur: Çlirim Kastrati",
                     "R1-F4, R4-F1", "Kosovo Intelligence Agency", "Panel", "Workshop",
                     "Break", "SB-CI · Agenda · page 1"):
        assert expected in text, expected


def test_only_embedded_dejavu_fonts() -> None:
    require_poppler()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder, "agenda.pdf")
        path.write_bytes(render_agenda(_document(), languages=("sq", "sr", "en")))
        listing = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True,
                                 text=True).stdout.splitlines()[2:]
    assert len(listing) == 2
    for line in listing:
        name, *_, emb, _sub, uni, _obj, _gen = line.split()
        assert "DejaVuSans" in name and (emb, uni) == ("yes", "yes"), line


def test_trilingual_headings_in_the_order_asked() -> None:
    require_poppler()
    text = _flat(render_agenda(_document(), languages=("sq", "sr", "en")))
    for expected in ("AXHENDA / AGENDA / AGENDA",
                     "16–17 mars 2027 / 16–17. mart 2027. / 16–17 March 2027",
                     "Vendi / Mesto / Venue:", "Dita 1 · e martë, 16 mars 2027",
                     "Dan 1 · utorak, 16. mart 2027. / Day 1 · Tuesday 16 March 2027",
                     "Ora", "Vreme", "Gjetjet e", "prezantuara", "Predstavljeni",
                     "Moderatori: Dr. Qëndresa", "Folësit: Ђорђе Чолић", "Punëtori", "Pushim",
                     "SB-CI · Axhenda · faqja 1"):
        assert expected in text, expected
    serbian_first = _flat(render_agenda(_document(), languages=("sr",)))
    assert "Dan 2 · sreda, 17. mart 2027." in serbian_first and "Govornici:" in serbian_first
    assert "Day 1" not in serbian_first


def test_pages_render_and_a_long_agenda_flows_onto_more_pages() -> None:
    require_poppler()
    start = _at(16, 8)
    items = tuple(AgendaItem(start + timedelta(minutes=30 * i),
                             start + timedelta(minutes=30 * i + 25), f"Room {i % 6}",
                             AgendaSessionKind.PANEL, f"Session {i:02}: {LONG_TITLE}",
                             speakers=tuple(f"Speaker {i}-{n} (Org)" for n in range(4)))
                  for i in range(60))
    pdf = render_agenda(_document(items))
    pages = pdf_pages(pdf, dpi=70)
    assert len(pages) > 3 and all(page.size == pages[0].size for page in pages)
    text = pdf_text(pdf)
    assert all(f"Session {i:02}" in text for i in range(60))
    assert "Time" in pdf_text(pdf, "-f", "3", "-l", "3")  # the header row repeats


def test_an_empty_agenda_still_renders() -> None:
    require_poppler()
    text = _flat(render_agenda(_document(items=()), languages=("sq",)))
    assert "Axhenda nuk ka ende sesione." in text and "Mbrojtja" in text


@pytest.mark.parametrize("languages", [(), ("de",), ("en", "fr")])
def test_unknown_languages_are_refused(languages) -> None:
    with pytest.raises(ValidationError) as error:
        render_agenda(_document(), languages=languages)
    assert error.value.field == "languages"


@pytest.mark.parametrize(("first", "last", "language", "expected"), [
    (date(2027, 3, 16), date(2027, 3, 16), "en", "16 March 2027"),
    (date(2027, 3, 16), date(2027, 3, 17), "sq", "16–17 mars 2027"),
    (date(2027, 3, 30), date(2027, 4, 1), "sr", "30. mart – 1. april 2027."),
    (date(2027, 12, 30), date(2028, 1, 2), "en", "30 December 2027 – 2 January 2028"),
])
def test_range_label(first, last, language, expected) -> None:
    assert range_label(first, last, language) == expected


def test_day_label() -> None:
    day = date(2027, 6, 10)
    assert [day_label(day, lang) for lang in ("sq", "sr", "en")] == [
        "e enjte, 10 qershor 2027", "četvrtak, 10. jun 2027.", "Thursday 10 June 2027"]
