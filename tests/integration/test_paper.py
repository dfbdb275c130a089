"""The desk's paper fallback on the demo data, on SQLite and PostgreSQL: the sign-in sheet read
back from its PDF, its row codes entered as check-ins with method "paper", and the CLI."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from smartconf.__main__ import main
from smartconf.core.collation import name_key
from smartconf.core.enums import (
    ADMISSIBLE,
    AuditAction,
    CheckInMethod,
    ParticipantStatus,
    Verdict,
)
from smartconf.core.errors import ValidationError
from smartconf.models import AuditEvent, CheckIn, Conference, Participant, Person, PersonEmail
from smartconf.services.checkin import check_in
from smartconf.services.demo import load_demo
from smartconf.services.paper import enter_paper_checkins, row_code, signin_sheet_pdf
from smartconf.services.privacy import erase_person
from smartconf.store.database import Database
from smartconf.store.session import unit_of_work
from tests.pdftools import pdf_text, require_poppler

ACTOR = "coordinator"
DESK_STAFF = "desk-anna"
DEMO_TODAY = date(2027, 5, 25)  # the demo's dates as written: SB-CSA is open, ahead
PRINTED = datetime(2027, 6, 1, 7, 30, tzinfo=UTC)
SIGNED_AT = datetime(2027, 6, 18, 7, 45, tzinfo=UTC)


def _load(database: Database) -> None:
    with unit_of_work(database.sessions, ACTOR) as session:
        load_demo(session, actor=ACTOR, today=DEMO_TODAY)


def _conference(session: Session, code: str = "SB-CSA") -> Conference:
    return session.scalars(select(Conference).where(Conference.code == code)).one()


def _participants(session: Session, conference: Conference, statuses) -> list[Participant]:
    return list(session.scalars(select(Participant).join(Person).where(
        Participant.conference_id == conference.id, Participant.status.in_(statuses),
        Person.erased_at.is_(None))))


def _sheet(database: Database, **options) -> tuple[bytes, list[str]]:
    """The SB-CSA sheet and the row codes read back from it, in the order printed."""
    with unit_of_work(database.sessions, ACTOR) as session:
        pdf = signin_sheet_pdf(session, _conference(session), actor=ACTOR,
                               printed_at=PRINTED, **options)
        every = {row_code(p) for p in session.scalars(select(Participant))}
    return pdf, [word for word in pdf_text(pdf, "-raw").split() if word in every]


def test_sheet_lists_who_is_expected_in_serbian_order(database: Database) -> None:
    require_poppler()
    _load(database)
    with unit_of_work(database.sessions, ACTOR) as session:
        erased = _participants(session, _conference(session), {ParticipantStatus.ACCEPTED})[0]
        erased_code = row_code(erased)
        erase_person(session, erased.person_id, actor=ACTOR, reason="request by e-mail")
    pdf, printed = _sheet(database, language="sr")
    text = " ".join(pdf_text(pdf).split())
    with unit_of_work(database.sessions, ACTOR) as session:
        conference = _conference(session)
        expected = sorted(_participants(session, conference, ADMISSIBLE), key=lambda p: (
            name_key(p.person.family_name, p.person.given_name, "sr"), p.id))
        assert len(expected) > 60
        assert printed == [row_code(p) for p in expected]  # everyone, once, in collation order
        assert erased_code not in printed
        for participant in expected:
            person = participant.person
            assert f"{person.family_name}, {person.given_name}" in text
        assert any(not p.person.family_name.isascii() for p in expected)
        emails = session.scalars(select(PersonEmail.address).join(Person).join(Participant)
                                 .where(Participant.conference_id == conference.id)).all()
        assert emails and not any(address in text for address in emails)
        assert "@" not in text and "+383" not in text and "+381" not in text
        (event,) = session.scalars(select(AuditEvent).where(
            AuditEvent.action == AuditAction.EXPORT, AuditEvent.entity == "conference",
            AuditEvent.summary.contains("sign-in sheet"))).all()
        assert event.actor == ACTOR and event.entity_id == str(conference.id)
        assert f"sign-in sheet of SB-CSA: {len(expected)} participant(s)" in event.summary
        assert "language sr" in event.summary


def test_status_filter_and_refused_statuses(database: Database) -> None:
    require_poppler()
    _load(database)
    _, printed = _sheet(database, language="sq", statuses=["accepted", "tentative"])
    with unit_of_work(database.sessions, ACTOR) as session:
        chosen = _participants(session, _conference(session),
                               {ParticipantStatus.ACCEPTED, ParticipantStatus.TENTATIVE})
        assert sorted(printed) == sorted(row_code(p) for p in chosen)
        with pytest.raises(ValidationError, match="declined"):
            signin_sheet_pdf(session, _conference(session), statuses=["declined"],
                             actor=ACTOR)


def _paper_check_ins(session: Session) -> list[CheckIn]:
    """SB-CSA's paper check-ins (the demo's SB-CI, already held, has some of its own)."""
    return list(session.scalars(select(CheckIn).join(Participant).where(
        CheckIn.method == CheckInMethod.PAPER,
        Participant.conference_id == _conference(session).id)))


def test_signed_rows_are_admitted_once_with_method_paper(database: Database) -> None:
    require_poppler()
    _load(database)
    _, printed = _sheet(database, language="sq")
    signed = printed[3:8]
    typed = [signed[0].lower(), f"{signed[1][:2]}-{signed[1][2:]}", *signed[2:]]
    typo = signed[0][:-1] + ("1" if signed[0][-1] != "1" else "2")
    with unit_of_work(database.sessions, ACTOR) as session:
        cancelled = _participants(session, _conference(session), {ParticipantStatus.CANCELLED})
        elsewhere = _participants(session, _conference(session, "SB-CI"), ADMISSIBLE)
        others = [row_code(cancelled[0]), row_code(elsewhere[0])]
    with unit_of_work(database.sessions, DESK_STAFF) as session:
        report = enter_paper_checkins(session, _conference(session), [*typed, typo, *others],
                                      desk="paper", actor=DESK_STAFF, at=SIGNED_AT)
    assert [entry.code for entry in report.admitted] == signed
    assert not report.already
    reasons = dict(report.rejected)
    assert "check character" in reasons[typo]
    assert reasons[others[0]] == "participation cancelled"
    assert "another conference (SB-CI)" in reasons[others[1]]
    with unit_of_work(database.sessions, ACTOR) as session:
        rows = _paper_check_ins(session)
        assert sorted(row_code(r.participant_id) for r in rows) == sorted(signed)
        assert {(r.desk, r.operator, r.checked_in_at) for r in rows} == {
            ("paper", DESK_STAFF, SIGNED_AT)}
        assert {r.participant.status for r in rows} == {ParticipantStatus.ATTENDED}
        badge = rows[0].participant.badge_code
    with unit_of_work(database.sessions, DESK_STAFF) as session:
        again = enter_paper_checkins(session, _conference(session), signed, desk="paper 2",
                                     actor=DESK_STAFF)
        scan = check_in(session, _conference(session), badge, desk="1", actor=DESK_STAFF)
    assert not again.admitted and not again.rejected
    assert [entry.code for entry in again.already] == signed
    assert {entry.result.previous.desk for entry in again.already} == {"paper"}
    assert scan.verdict is Verdict.ALREADY_CHECKED_IN  # a scan after the paper admits nobody
    with unit_of_work(database.sessions, ACTOR) as session:
        assert len(_paper_check_ins(session)) == 5


def test_scanned_first_then_signed_is_not_admitted_twice(database: Database) -> None:
    _load(database)
    with unit_of_work(database.sessions, DESK_STAFF) as session:
        conference = _conference(session)
        participant = _participants(session, conference, {ParticipantStatus.ACCEPTED})[0]
        assert check_in(session, conference, participant.badge_code, desk="1",
                        actor=DESK_STAFF).verdict is Verdict.ADMITTED
        report = enter_paper_checkins(session, conference, [row_code(participant)],
                                      desk="paper", actor=DESK_STAFF)
    assert not report.admitted and report.already[0].result.previous.desk == "1"


def test_admissible_participant_without_a_badge_is_admitted(database: Database) -> None:
    _load(database)
    with unit_of_work(database.sessions, ACTOR) as session:  # as an import might leave it
        participant = _participants(session, _conference(session),
                                    {ParticipantStatus.SHORTLISTED})[0]
        participant.status = ParticipantStatus.ACCEPTED
        code, participant_id = row_code(participant), participant.id
    with unit_of_work(database.sessions, DESK_STAFF) as session:
        report = enter_paper_checkins(session, _conference(session), [code], desk="paper",
                                      actor=DESK_STAFF)
        participant = session.get(Participant, participant_id)
        assert [entry.code for entry in report.admitted] == [code]
        assert participant.badge_code is not None and participant.badge_revision == 1
        assert participant.status is ParticipantStatus.ATTENDED


def test_shortlisted_participant_is_rejected_and_gets_no_badge(database: Database) -> None:
    _load(database)
    with unit_of_work(database.sessions, DESK_STAFF) as session:
        participant = _participants(session, _conference(session),
                                    {ParticipantStatus.SHORTLISTED})[0]
        report = enter_paper_checkins(session, _conference(session), [row_code(participant)],
                                      desk="paper", actor=DESK_STAFF)
        assert report.rejected == [(row_code(participant), "participation shortlisted")]
        assert participant.badge_code is None
        assert not session.scalars(select(CheckIn).where(
            CheckIn.participant_id == participant.id)).all()


def _cli(capsys, database: Database, tmp_path: Path, *argv: str) -> tuple[int, str, str]:
    url = database.engine.url.render_as_string(hide_password=False)
    code = main(["--db", url, "--data-dir", str(tmp_path / "home"), "--user", "desk-cli",
                 *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_prints_the_sheet_and_enters_it(capsys, database: Database,
                                            tmp_path: Path) -> None:
    require_poppler()
    _load(database)
    output = tmp_path / "signin.pdf"
    code, out, _ = _cli(capsys, database, tmp_path, "export", "signin", "--conference",
                        "sb-csa", "--language", "en", "--status", "accepted", "-o", str(output))
    assert code == 0 and "signin.pdf" in out
    pdf = output.read_bytes()
    assert "Sign-in sheet" in pdf_text(pdf)
    with unit_of_work(database.sessions, ACTOR) as session:
        accepted = _participants(session, _conference(session), {ParticipantStatus.ACCEPTED})
        codes = [row_code(p) for p in accepted[:2]]
        assert all(c in pdf_text(pdf).split() for c in codes)
        assert session.scalars(select(AuditEvent).where(
            AuditEvent.actor == "desk-cli", AuditEvent.action == AuditAction.EXPORT)).one()
    code, out, _ = _cli(capsys, database, tmp_path, "checkin-paper", "--conference", "SB-CSA",
                        "--desk", "paper", "--at", "2027-06-18 09:45", "--json", *codes, "ZZZZ")
    result = json.loads(out)
    assert code == 0
    assert [entry["code"] for entry in result["admitted"]] == codes
    assert result["admitted"][0]["verdict"] == "admitted" and result["already"] == []
    assert result["rejected"] == [{"code": "ZZZZ",
                                   "reason": "not a valid row code: characters not used in "
                                             "row codes: Z"}]
    code, out, _ = _cli(capsys, database, tmp_path, "checkin-paper", "--conference", "SB-CSA",
                        "--desk", "paper", *codes)
    assert code == 0 and "ALREADY CHECKED IN at 09:45, desk paper" in out
    assert out.strip().endswith("0 admitted, 2 already checked in, 0 rejected")
    code, _, err = _cli(capsys, database, tmp_path, "export", "signin", "--conference",
                        "SB-CSA", "--status", "declined", "-o", str(output))
    assert code == 2 and "invalid choice" in err
