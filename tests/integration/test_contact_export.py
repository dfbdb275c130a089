"""Contact export: columns (snapshot), collation, formula neutralisation, filters, audit, CLI."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from smartconf.__main__ import main
from smartconf.core.enums import AuditAction, OrganisationKind
from smartconf.core.errors import ValidationError
from smartconf.models import AuditEvent
from smartconf.services import organisations, persons
from smartconf.services.contact_export import CONTACTS_VERSION, contact_table, export_contacts
from smartconf.services.organisations import OrganisationInput
from smartconf.services.person_search import PersonFilter
from smartconf.services.persons import PersonInput
from smartconf.services.privacy import erase_person
from smartconf.store.database import open_database
from smartconf.store.session import unit_of_work

ACTOR = "arta"
SNAPSHOT = [
    "Given name,Family name,Given name (Latin),Family name (Latin),Honorific,Position,"
    "Organisation,Country,E-mail,Phone,Language,Tags",
    'Arbër,Çeku,,,Dr.,"\'=HYPERLINK(""http://x"";""click"")",Ministria e Punëve të Brendshme,XK,'
    "arber.ceku@mpb-rks.example,'+383 44 123 456,sq,cert; speaker-pool",
]


def _people(session) -> dict[str, int]:
    """Persons at a Kosovar ministry and a Serbian one, in Albanian, Serbian and Cyrillic."""
    ministry = organisations.create_organisation(session, OrganisationInput(
        "Ministria e Punëve të Brendshme", OrganisationKind.MINISTRY), actor=ACTOR)
    serbian = organisations.create_organisation(session, OrganisationInput(
        "Министарство унутрашњих послова", OrganisationKind.MINISTRY, country="RS"),
        actor=ACTOR)
    rows = {
        "ceku": (PersonInput("Arbër", "Çeku", honorific="Dr.",
                             position='=HYPERLINK("http://x";"click")',
                             emails=["arber.ceku@mpb-rks.example"], phones=["044 123 456"],
                             tags=["speaker-pool", "cert"], preferred_language="sq"), ministry),
        "cana": (PersonInput("Besa", "Cana"), ministry),
        "dushi": (PersonInput("Drita", "Dushi", position="@SUM(1+1)"), ministry),
        "dhimitri": (PersonInput("Ilir", "Dhimitri"), ministry),
        "emer": (PersonInput("Vjosa", "Ëmërllahu"), ministry),
        "lukic": (PersonInput("Marko", "Lukić", preferred_language="sr"), serbian),
        "ljubica": (PersonInput("Ana", "Ljubica", preferred_language="sr"), serbian),
        "cyrillic": (PersonInput("Ђорђе", "Чолић", preferred_language="sr"), serbian),
    }
    ids = {}
    for key, (data, org) in rows.items():
        person = persons.create_person(session, data, actor=ACTOR)
        persons.add_affiliation(session, person.id, org.id, actor=ACTOR)
        ids[key] = person.id
    return ids


def _csv(data: bytes, delimiter: str = ",") -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""),
                           delimiter=delimiter))


def test_csv_snapshot_order_and_neutralised_formulas(session) -> None:
    _people(session)
    data = export_contacts(session, PersonFilter(countries=("XK",)), fmt="csv", actor=ACTOR)
    lines = data.decode("utf-8-sig").split("\r\n")
    assert [lines[0], lines[2]] == SNAPSHOT, "contact columns changed: raise CONTACTS_VERSION"
    assert CONTACTS_VERSION == "contacts/1"
    rows = _csv(data)
    assert [r[1] for r in rows[1:]] == ["Cana", "Çeku", "Dushi", "Dhimitri", "Ëmërllahu"]
    assert rows[3][5] == "'@SUM(1+1)"


def test_serbian_collation_and_scripts(session) -> None:
    _people(session)
    table = contact_table(session, PersonFilter(countries=("RS",)), language="sr")
    assert [row[1] for row in table.rows] == ["Lukić", "Ljubica", "Чолић"]
    assert table.rows[2][2:4] == ("Đorđe", "Čolić")  # Latin forms derived
    english = contact_table(session, PersonFilter(countries=("RS",)), language="en")
    assert [row[1] for row in english.rows] == ["Чолић", "Ljubica", "Lukić"]


def test_xlsx_holds_the_values_as_text(session) -> None:
    ids = _people(session)
    data = export_contacts(session, PersonFilter(text="ceku"), fmt="xlsx", actor=ACTOR)
    sheet = load_workbook(io.BytesIO(data)).active
    assert [c.value for c in sheet[1]][:3] == ["Given name", "Family name", "Given name (Latin)"]
    row = [c for c in sheet[2]]
    assert not [c for r in sheet.iter_rows() for c in r if c.data_type == "f"]
    assert row[5].value == '=HYPERLINK("http://x";"click")' and row[5].data_type == "s"
    assert row[9].value == "+383 44 123 456"
    assert sheet.max_row == 2 and ids["ceku"]


def test_export_is_audited_with_filter_and_count(session) -> None:
    _people(session)
    criteria = PersonFilter(countries=("RS",), text="l")
    export_contacts(session, criteria, fmt="csv", actor="besnik", delimiter=";")
    event = session.scalars(select(AuditEvent).where(
        AuditEvent.action == AuditAction.EXPORT)).one()
    assert (event.actor, event.entity, event.entity_id) == ("besnik", "person", None)
    assert event.summary == ('contact list exported as CSV: 2 persons; columns contacts/1; '
                             'filter {"text": "l", "countries": ["RS"]}')


def test_erased_persons_are_not_exported(session) -> None:
    ids = _people(session)
    erase_person(session, ids["dushi"], actor=ACTOR, reason="request")
    rows = _csv(export_contacts(session, PersonFilter(), fmt="csv", actor=ACTOR))
    assert len(rows) == 1 + len(ids) - 1
    assert not [r for r in rows if "Erased" in r[1] or "Dushi" in r[1]]


def test_bad_format_or_language_exports_nothing(session) -> None:
    _people(session)
    with pytest.raises(ValidationError, match="format"):
        export_contacts(session, PersonFilter(), fmt="ods", actor=ACTOR)
    with pytest.raises(ValidationError, match="language"):
        export_contacts(session, PersonFilter(), fmt="csv", actor=ACTOR, language="de")
    exports = select(func.count()).where(AuditEvent.action == AuditAction.EXPORT)
    assert session.scalar(exports) == 0


def test_export_command_has_help(capsys) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["export", "contacts", "--help"])
    assert exit_info.value.code == 0 and "--delimiter" in capsys.readouterr().out


def test_cli_export_contacts(capsys, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    database = open_database(url)
    with unit_of_work(database.sessions, ACTOR) as session:
        _people(session)
    database.dispose()
    target = tmp_path / "contacts.xlsx"
    assert main(["--db", url, "export", "contacts", "--country", "xk", "--kind", "ministry",
                 "-o", str(target)]) == 0
    assert "contacts.xlsx" in capsys.readouterr().out
    assert load_workbook(target).active.max_row == 6
    semicolons = tmp_path / "contacts.txt"
    assert main(["--db", url, "export", "contacts", "--search", "Чолић", "--format", "csv",
                 "--delimiter", ";", "--language", "sr", "-o", str(semicolons)]) == 0
    assert [r[1] for r in _csv(semicolons.read_bytes(), ";")[1:]] == ["Чолић"]
    assert main(["--db", url, "export", "contacts", "-o",
                 str(tmp_path / "x.ods")]) == 2  # wrong usage
    assert "--format" in capsys.readouterr().err
    assert main(["--db", url, "export", "contacts", "--kind", "bakery", "-o", "x.csv"]) == 2
