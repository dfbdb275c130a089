"""Importing contacts and participants: bad input is reported and writes nothing, or exactly
the accepted rows are written; duplicates are found across scripts and diacritics; the plan's
decisions can be changed; dry runs, write-time failures and cancels leave no trace."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from smartconf.__main__ import main
from smartconf.core.enums import (
    AuditAction,
    Gender,
    Language,
    OrganisationKind,
    ParticipantRole,
    ParticipantStatus,
)
from smartconf.core.errors import ValidationError
from smartconf.models import (
    Affiliation,
    AuditEvent,
    Conference,
    Organisation,
    Participant,
    Person,
    PersonEmail,
    PersonPhone,
    Tag,
)
from smartconf.services import organisations, persons
from smartconf.services.contact_import import (
    Decision,
    ImportCancelled,
    execute_plan,
    import_contacts,
    import_participants,
    plan_import,
    run_job,
)
from smartconf.services.import_mapping import suggest_mapping
from smartconf.services.import_readers import read_bytes
from smartconf.services.organisations import OrganisationInput
from smartconf.services.persons import PersonInput
from smartconf.store.session import unit_of_work

ACTOR = "arta"
COUNTED = (Person, PersonEmail, PersonPhone, Affiliation, Organisation, Participant, Tag)


def counts(database) -> dict[str, int]:
    """Rows per table: what "nothing was written" is checked against."""
    with database.sessions() as session:
        return {model.__tablename__: session.scalar(select(func.count()).select_from(model))
                for model in COUNTED}


def table(text: str, encoding: str = "utf-8", name: str = "people.csv"):
    return read_bytes(text.encode(encoding), name=name)


def run_contacts(database, text: str, **options):
    source = table(text)
    with unit_of_work(database.sessions, ACTOR) as session:
        return run_job(import_contacts(session, source, suggest_mapping(source.headers),
                                       actor=ACTOR, **options))


@pytest.fixture
def world(database) -> dict[str, int]:
    """A ministry and two persons already in the CRM, one of them written in Cyrillic."""
    with unit_of_work(database.sessions, ACTOR) as session:
        ministry = organisations.create_organisation(session, OrganisationInput(
            "Ministria e Punëve të Brendshme", OrganisationKind.MINISTRY, acronym="MPB"),
            actor=ACTOR)
        arber = persons.create_person(session, PersonInput(
            "Arbër", "Çeku", emails=["arber.ceku@mpb.example"]), actor=ACTOR)
        persons.add_affiliation(session, arber.id, ministry.id, actor=ACTOR)
        djordje = persons.create_person(session, PersonInput("Ђорђе", "Чолић"), actor=ACTOR)
        start = datetime(2027, 3, 16, 7, tzinfo=UTC)
        conference = Conference(code="SB-CI-2027", title="Critical infrastructure",
                                starts_at=start, ends_at=start + timedelta(hours=9),
                                calendar_uid="ci-2027@test")
        session.add(conference)
        session.flush()
        return {"ministry": ministry.id, "arber": arber.id, "djordje": djordje.id,
                "conference": conference.id}


GOOD = (
    "Emri;Mbiemri;E-mail;Telefoni;Organizata;Pozita;Gjuha;Gjinia;Etiketat\r\n"
    "Vjosa;Ëmërllahu;V.Emerllahu@Example.ORG;044 123 456;MPB;Drejtoreshë;shqip;F;"
    "speaker-pool, cyber\r\n"
    "Милица;Јовановић;milica@example.rs;+381 64 123 4567;Министарство правде;;српски;"
    "женско;\r\n"
    "Thomas;Müller;thomas@example.de;;;Adviser;English;m;cyber\r\n"
)


def test_a_good_file_is_written_with_clean_values(database, world) -> None:
    before = counts(database)
    report = run_contacts(database, GOOD)
    assert report.as_json() | {"duplicates": [], "organisations_created": []} == {
        "source": "people.csv", "rows": 3, "created": 3, "updated": 0, "linked": 0,
        "skipped": 0, "invalid": 0, "errors": [], "duplicates": [],
        "organisations_created": [], "dry_run": False, "written": True,
        "not_written_because": None}
    assert report.organisations_created == [
        {"name": "Министарство правде", "kind": "ministry", "country": "XK", "row": 3}]
    after = counts(database)
    assert after["person"] == before["person"] + 3
    assert after["organisation"] == before["organisation"] + 1
    assert after["affiliation"] == before["affiliation"] + 2
    with database.sessions() as session:
        vjosa = session.scalar(select(Person).where(Person.family_name == "Ëmërllahu"))
        assert [e.address for e in vjosa.emails] == ["V.Emerllahu@example.org"]
        assert [p.number for p in vjosa.phones] == ["+38344123456"]
        assert (vjosa.preferred_language, vjosa.gender) == (Language.ALBANIAN, Gender.FEMALE)
        assert vjosa.primary_affiliation.organisation_id == world["ministry"]
        assert vjosa.primary_affiliation.role == "Drejtoreshë"
        assert sorted(t.name for t in vjosa.tags) == ["cyber", "speaker-pool"]
        milica = session.scalar(select(Person).where(Person.given_name == "Милица"))
        assert (milica.given_name_latin, milica.family_name_latin) == ("Milica", "Jovanović")
        assert "jovanovic" in milica.search_text and "ministarstvo pravde" in milica.search_text
        created = session.scalars(select(AuditEvent).where(
            AuditEvent.entity == "person", AuditEvent.entity_id == str(milica.id))).all()
        assert [(e.actor, e.action) for e in created] == [(ACTOR, AuditAction.CREATE)]
        assert created[0].changes["given_name"] == [None, "Милица"]


BAD_ROWS = (
    "First name,Last name,Email,Phone,Language\r\n"
    "Arta,Gashi,arta@example.org,044 123 456,sq\r\n"  # row 2: fine
    f"{'A' * 1000},Berisha,long@example.org,,\r\n"  # row 3: 1,000-character name
    ",Hoxha,hoxha@example.org,,\r\n"  # row 4: no given name
    "Besa,Krasniqi,not-an-address,,\r\n"  # row 5: bad e-mail
    "Drita,Morina,drita@example.org,12,\r\n"  # row 6: bad phone
    "Ilir,Shala,ilir@example.org,,klingon\r\n"  # row 7: unknown language
    '"=HYPERLINK(""http://evil.example"",""x"")",Kelmendi,formula@example.org,,\r\n'  # row 8
)
EXPECTED_ERRORS = [(3, "given_name"), (4, "given_name"), (5, "email"), (6, "phone"),
                   (7, "language")]


def test_rows_with_errors_are_reported_and_nothing_is_written(database, world) -> None:
    before = counts(database)
    report = run_contacts(database, BAD_ROWS)
    assert [(e.row, e.field) for e in report.errors] == EXPECTED_ERRORS
    assert "1000 characters long; at most 200" in report.errors[0].message
    assert (report.written, report.not_written_because) == (False, "invalid_rows")
    assert (report.created, report.invalid, report.skipped) == (2, 5, 5)
    assert counts(database) == before


def test_skip_invalid_writes_exactly_the_valid_rows(database, world) -> None:
    before = counts(database)
    report = run_contacts(database, BAD_ROWS, skip_invalid=True)
    assert report.written and report.created == 2
    assert counts(database)["person"] == before["person"] + 2
    with database.sessions() as session:
        formula = session.scalar(select(Person).where(Person.family_name == "Kelmendi"))
        assert formula.given_name == '=HYPERLINK("http://evil.example","x")'  # text, as is


def test_dry_run_reports_like_a_real_run_and_writes_nothing(database, world) -> None:
    before = counts(database)
    with database.sessions() as session:
        audit_before = session.scalar(select(func.count()).select_from(AuditEvent))
    dry = run_contacts(database, GOOD, dry_run=True)
    assert (dry.dry_run, dry.written, dry.not_written_because) == (True, False, "dry_run")
    assert counts(database) == before
    with database.sessions() as session:
        assert session.scalar(select(func.count()).select_from(AuditEvent)) == audit_before
    real = run_contacts(database, GOOD)  # and the same session-free plan can run for real
    assert {k: v for k, v in real.as_json().items() if k not in ("dry_run", "written",
                                                                  "not_written_because")} == \
        {k: v for k, v in dry.as_json().items() if k not in ("dry_run", "written",
                                                             "not_written_because")}


DUPLICATES = (
    "Emri,Mbiemri,Email,Organizata,Telefoni\r\n"
    "Arber,Ceku,ARBER.CEKU@mpb.example,MPB,\r\n"  # 2: same e-mail as #arber: certain
    "Djordje,Colic,,,\r\n"  # 3: Ђорђе Чолић in Latin, no organisation: likely
    "Arbër,Çeku,arber2@example.org,MPB,045 111 222\r\n"  # 4: same name, same ministry
    "Arbër,Çeku,arber3@example.org,Kosovo Police,\r\n"  # 5: same name, other org: new
    "Teuta,Hoxha,teuta@example.org,,\r\n"  # 6: new
    "Teuta,Hoxha,TEUTA@example.org,,\r\n"  # 7: same e-mail as row 6
    "Teutë,Hoxhа,teuta.h@example.org,,\r\n"  # 8: similar to row 6 (Cyrillic а inside)
)


def _plan(database, text: str, conference_id: int | None = None):
    source = table(text)
    with database.sessions() as session:
        conference = session.get(Conference, conference_id) if conference_id else None
        return run_job(plan_import(session, source, suggest_mapping(source.headers),
                                   conference=conference))


def test_duplicates_are_found_and_skipped_by_default(database, world) -> None:
    plan = _plan(database, DUPLICATES)
    found = {r.row: (r.match.confidence, r.match.person_id, r.match.row, r.decision)
             for r in plan.rows if r.match}
    assert found == {
        2: ("certain", world["arber"], None, Decision.SKIP),
        3: ("likely", world["djordje"], None, Decision.SKIP),
        4: ("likely", world["arber"], None, Decision.SKIP),
        7: ("certain", None, 6, Decision.SKIP),
        8: ("likely", None, 6, Decision.SKIP),
    }
    assert plan.row(4).match.reason == "same name, same organisation"
    assert plan.row(2).match.person_name == "Arbër Çeku"
    assert [r.decision for r in plan.rows if not r.match] == [Decision.CREATE] * 2
    before = counts(database)
    with unit_of_work(database.sessions, ACTOR) as session:
        report = run_job(execute_plan(session, plan, actor=ACTOR))
    assert (report.created, report.skipped, len(report.duplicates)) == (2, 5, 5)
    assert counts(database)["person"] == before["person"] + 2


def test_changed_decisions_update_the_matched_person(database, world) -> None:
    plan = _plan(database, DUPLICATES)
    plan.decide(4, Decision.UPDATE)  # same name, same ministry: merge into Arbër
    plan.decide(3, "create")  # a different Đorđe after all
    with pytest.raises(ValidationError, match="cannot create this row"):
        plan.decide(2, Decision.CREATE)  # the e-mail is taken
    with pytest.raises(ValidationError, match="cannot update"):
        plan.decide(7, Decision.UPDATE)  # a duplicate of another row can only be skipped
    with pytest.raises(ValidationError, match=r"no row 99 in people\.csv"):
        plan.decide(99, Decision.SKIP)
    assert plan.row(2).allowed == (Decision.UPDATE, Decision.SKIP)
    before = counts(database)
    with unit_of_work(database.sessions, ACTOR) as session:
        report = run_job(execute_plan(session, plan, actor=ACTOR))
    assert (report.created, report.updated) == (3, 1)
    assert counts(database)["person"] == before["person"] + 3
    with database.sessions() as session:
        arber = session.get(Person, world["arber"])
        assert [e.address for e in arber.emails] == ["arber.ceku@mpb.example",
                                                    "arber2@example.org"]
        assert [p.number for p in arber.phones] == ["+38345111222"]
        assert [a.organisation_id for a in arber.affiliations] == [world["ministry"]]


def test_a_failure_while_writing_writes_nothing(database, world) -> None:
    plan = _plan(database, GOOD)  # planned in one session...
    with unit_of_work(database.sessions, "driton") as session:  # ...meanwhile, elsewhere:
        persons.create_person(session, PersonInput("Other", "Person",
                                                   emails=["thomas@example.de"]), actor="x")
    before = counts(database)
    with unit_of_work(database.sessions, ACTOR) as session:  # ...executed in another
        report = run_job(execute_plan(session, plan, actor=ACTOR))
    assert (report.written, report.not_written_because) == (False, "write_error")
    assert report.errors[-1].row == 2 and "refused" in report.errors[-1].message
    assert counts(database) == before


@pytest.mark.parametrize("stage", ["plan", "write"])
def test_cancel_writes_nothing(database, world, stage: str) -> None:
    source = table(GOOD)
    asked = []

    def cancel() -> bool:  # says yes the second time it is asked while writing
        asked.append(stage)
        return stage == "plan" or len(asked) > 1

    before = counts(database)
    with pytest.raises(ImportCancelled), unit_of_work(database.sessions, ACTOR) as session:
        mapping = suggest_mapping(source.headers)
        plan = run_job(plan_import(session, source, mapping,
                                   cancel=cancel if stage == "plan" else None))
        run_job(execute_plan(session, plan, actor=ACTOR, cancel=cancel))
    assert counts(database) == before


def test_progress_is_reported(database, world) -> None:
    source = table("Emri,Mbiemri\r\n" + "".join(f"P{i},Q{i}\r\n" for i in range(600)))
    seen = []
    with unit_of_work(database.sessions, ACTOR) as session:
        run_job(import_contacts(session, source, suggest_mapping(source.headers),
                                actor=ACTOR, dry_run=True), seen.append)
    assert seen[0].done == 0 and seen[0].total == 600
    assert {p.message for p in seen} >= {"Checking rows", "Looking for duplicates", "Writing"}
    assert all(0 <= (p.fraction or 0) <= 1 for p in seen)


def test_participants_join_with_role_status_and_badges(database, world) -> None:
    with unit_of_work(database.sessions, ACTOR) as session:
        session.add(Participant(conference_id=world["conference"], person_id=world["arber"],
                                status=ParticipantStatus.SHORTLISTED))
    text = ("Emri,Mbiemri,Email,Roli,Statusi\r\n"
            "Arbër,Çeku,arber.ceku@mpb.example,Folës,Pranuar\r\n"  # known: link, update
            "Jelena,Ilić,jelena@example.rs,moderatorka,pozvan\r\n"  # new, invited
            "Besa,Gashi,besa@example.org,,\r\n"  # new: participant, shortlisted
            "Dren,Rexhepi,dren@example.org,astronaut,\r\n")  # bad role
    source = table(text)
    before = counts(database)
    with unit_of_work(database.sessions, ACTOR) as session:
        conference = session.get(Conference, world["conference"])
        report = run_job(import_participants(session, source, suggest_mapping(source.headers),
                                             conference, actor=ACTOR, skip_invalid=True))
    assert [(e.row, e.field) for e in report.errors] == [(5, "role")]
    assert report.as_json()["participants"] == {"conference": "SB-CI-2027", "added": 2,
                                                "updated": 1, "badges_issued": 2}
    assert (report.created, report.linked) == (2, 1)
    assert counts(database)["participant"] == before["participant"] + 2
    with database.sessions() as session:
        rows = {p.person.given_name: (p.role, p.status, p.badge_code is not None)
                for p in session.scalars(select(Participant))}
    assert rows == {"Arbër": (ParticipantRole.SPEAKER, ParticipantStatus.ACCEPTED, True),
                    "Jelena": (ParticipantRole.MODERATOR, ParticipantStatus.INVITED, True),
                    "Besa": (ParticipantRole.PARTICIPANT, ParticipantStatus.SHORTLISTED,
                             False)}


def test_vcard_and_xlsx_import(database, world, tmp_path: Path) -> None:
    vcard = ("BEGIN:VCARD\r\nVERSION:3.0\r\nN:Berisha;Lirije;;;\r\nFN:Lirije Berisha\r\n"
             "EMAIL:lirije@example.org\r\nORG:MPB\r\nTITLE:Zyrtare për siguri\r\n"
             "  kibernetike\r\nLANG:sq\r\nEND:VCARD\r\n")
    book = Workbook()
    book.active.append(["Име", "Презиме", "Е-пошта", "Телефон"])
    book.active.append(["Марко", "Петровић", "marko@example.rs", 38163123456])
    book.save(tmp_path / "people.xlsx")
    sources = [read_bytes(vcard.encode(), name="card.vcf"),
               read_bytes((tmp_path / "people.xlsx").read_bytes(), name="people.xlsx")]
    with unit_of_work(database.sessions, ACTOR) as session:
        reports = [run_job(import_contacts(session, s, suggest_mapping(s.headers),
                                           actor=ACTOR)) for s in sources]
    assert [(r.created, r.errors) for r in reports] == [(1, []), (1, [])]
    with database.sessions() as session:
        lirije = session.scalar(select(Person).where(Person.given_name == "Lirije"))
        assert lirije.position == "Zyrtare për siguri kibernetike"
        assert lirije.preferred_language is Language.ALBANIAN
        assert lirije.primary_affiliation.organisation_id == world["ministry"]
        marko = session.scalar(select(Person).where(Person.given_name == "Марко"))
        assert [p.number for p in marko.phones] == ["+38163123456"]  # the lost "+" restored


# -- the command line ---------------------------------------------------------------------------

@pytest.fixture
def cli(capsys, database, tmp_path: Path):
    """Run smartconf on the test database: (exit code, stdout, stderr)."""
    url = database.engine.url.render_as_string(hide_password=False)

    def run(*argv: str) -> tuple[int, str, str]:
        code = main(["--db", url, "--data-dir", str(tmp_path / "home"), "--user", ACTOR,
                     *argv])
        out, err = capsys.readouterr()
        return code, out, err

    return run


BAD_FILES = {
    "ragged.csv": b"Emri,Mbiemri\r\nArta,Gashi\r\nBesa,Krasniqi,extra\r\n",
    "mixed.csv": "Emri,Mbiemri\r\nĐorđe,Čolić\r\n".encode("cp1250") + "Arbër,Ç\r\n".encode(),
    "binary.csv": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00",
    "empty.csv": b"",
    "broken.vcf": b"BEGIN:VCARD\r\nFN:Arta\r\nGashi\r\nEND:VCARD\r\n",
    "nonames.csv": b"Email,Telefoni\r\na@example.org,044123456\r\n",
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_cli_unreadable_file_is_one_line_and_writes_nothing(cli, database, world,
                                                             tmp_path: Path,
                                                             name: str) -> None:
    path = tmp_path / name
    path.write_bytes(BAD_FILES[name])
    before = counts(database)
    code, out, err = cli("import", "contacts", str(path))
    assert code == 1 and out == ""
    assert err.startswith("smartconf: ") and err.count("\n") == 1
    assert counts(database) == before


def test_cli_a_50_mb_file(cli, world, tmp_path: Path) -> None:
    path = tmp_path / "huge.csv"
    with path.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    code, _, err = cli("import", "contacts", str(path))
    assert code == 1 and "over 20 MB" in err


def test_cli_reports_errors_then_imports_the_valid_rows(cli, database, world,
                                                        tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    path.write_text(BAD_ROWS, encoding="cp1252")
    before = counts(database)
    code, out, _ = cli("import", "contacts", str(path))
    assert code == 0 and "Nothing was written: 5 row(s) have errors" in out
    assert "row 6, phone: '12' is not a valid phone number" in out
    assert counts(database) == before
    code, out, _ = cli("import", "contacts", str(path), "--skip-invalid", "--json")
    report = json.loads(out)
    assert code == 0 and (report["created"], report["written"]) == (2, True)
    assert [(e["row"], e["field"]) for e in report["errors"]] == EXPECTED_ERRORS
    assert report["mapping"]["First name"] == "given_name"
    assert counts(database)["person"] == before["person"] + 2


def test_cli_participants(cli, world, tmp_path: Path) -> None:
    path = tmp_path / "guests.csv"
    path.write_text("Ime;Prezime;Email;Uloga;Status\r\nJelena;Ilić;j@example.rs;govornik;"
                    "prihvaćeno\r\n", encoding="cp1250")
    code, out, _ = cli("import", "participants", "--conference", "sb-ci-2027", str(path),
                       "--dry-run", "--json")
    assert code == 0 and json.loads(out)["participants"]["added"] == 1
    code, out, _ = cli("import", "participants", "--conference", "SB-CI-2027", str(path))
    assert code == 0 and "1 participants added" in out and "Written." in out
    code, _, err = cli("import", "participants", "--conference", "NOPE", str(path))
    assert code == 1 and "Unknown conference code 'NOPE'" in err


@pytest.mark.parametrize("command", [
    ["import"], ["import", "contacts"], ["import", "participants"], ["duplicates"],
    ["duplicates", "list"], ["duplicates", "merge"]])
def test_every_import_and_duplicates_command_has_help(capsys, command: list[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main([*command, "--help"])
    assert exit_info.value.code == 0
    assert "usage: smartconf" in capsys.readouterr().out
