"""Calendar invitations end to end, on SQLite and PostgreSQL: who gets a REQUEST, updates with
a higher SEQUENCE to the affected participants only, CANCELs, idempotent syncs, the texts in
the recipient's language, and the `smartconf invites` command (files and SMTP)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from email import message_from_bytes
from email.policy import default
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import vobject
from icalendar import Calendar
from sqlalchemy import select

from smartconf.__main__ import main
from smartconf.core.enums import (
    AgendaRole,
    AgendaSessionKind,
    ConferenceStatus,
    ConsentPurpose,
    Language,
    LawfulBasis,
    OutboxKind,
    OutboxState,
    ParticipantRole,
    ParticipantStatus,
)
from smartconf.core.errors import ValidationError
from smartconf.exports.calendar import Method, check_ics
from smartconf.models import (
    AgendaSession,
    AgendaSessionPerson,
    Conference,
    Consent,
    OutboxMessage,
    Participant,
    Person,
    PersonEmail,
    Room,
)
from smartconf.services import invitations, planning
from smartconf.services.calendar_invites import (
    Decision,
    Sent,
    SyncReport,
    Want,
    agenda_feed,
    decide,
    sync_invitations,
)
from smartconf.services.conferences import get_conference
from smartconf.services.contact_import import run_job
from smartconf.services.demo import load_demo
from smartconf.services.invite_files import BATCH, EXPORTED, export_pending
from smartconf.services.settings import set_setting
from smartconf.store.database import Database
from smartconf.store.session import read_session, unit_of_work
from tests.smtp_server import smtp_server

ACTOR = "coordinator"
ZONE = ZoneInfo("Europe/Belgrade")
NOW = datetime(2027, 5, 3, 9, 0, tzinfo=UTC)
CODE = "SB-CSA"
TITLE = "Building the Cyber Security Agency: from Law to Operations"
ORGANISER = "smartbalkans@kcss.example"
CONFERENCE_UID = "sb-csa-2027@smartconf.kcss"


def at(*args: int) -> datetime:
    """A wall-clock time in Prishtina as a UTC instant."""
    return datetime(*args, tzinfo=ZONE).astimezone(UTC)


@dataclass(frozen=True)
class Someone:
    given: str
    family: str
    language: Language
    status: ParticipantStatus
    email: str | None = None
    consent: str = "yes"  # yes, none, withdrawn, override
    honorific: str | None = None
    given_latin: str | None = None
    family_latin: str | None = None


S = ParticipantStatus
PEOPLE = {
    "arta": Someone("Arta", "Gashi", Language.ALBANIAN, S.INVITED, "arta.gashi@mpb-rks.example",
                    honorific="Dr."),
    "dorde": Someone("Ђорђе", "Чолић", Language.SERBIAN, S.ACCEPTED, "djordje.colic@rks.example",
                     given_latin="Đorđe", family_latin="Čolić"),
    "rachel": Someone("Rachel", "Goldberg", Language.ENGLISH, S.TENTATIVE,
                      "r.goldberg@embassy.example", honorific="Ms"),
    "besa": Someone("Besa", "Krasniqi", Language.ALBANIAN, S.WAITLISTED, "besa@example.org"),
    "ilir": Someone("Ilir", "Zeka", Language.ALBANIAN, S.SHORTLISTED, "ilir@example.org"),
    "marko": Someone("Marko", "Anđelković", Language.SERBIAN, S.DECLINED, "marko@example.org"),
    "noemail": Someone("Teuta", "Rexhepi", Language.ALBANIAN, S.INVITED),
    "noconsent": Someone("Vjosa", "Dema", Language.ALBANIAN, S.INVITED, "vjosa@example.org",
                         consent="none"),
    "withdrew": Someone("Mërgim", "Shabani", Language.ALBANIAN, S.INVITED, "mergim@example.org",
                        consent="withdrawn"),
    "override": Someone("Øystein", "Lunde", Language.ENGLISH, S.INVITED, "o.lunde@nsm.example",
                        consent="override"),
}
INVITEES = {"arta", "dorde", "rachel", "override"}


@dataclass(frozen=True)
class Ids:
    participants: dict[str, int]
    opening: int
    panel: int


def seed(database: Database) -> Ids:
    """SB-CSA on 10 June 2027: two agenda sessions and people in every interesting state."""
    with unit_of_work(database.sessions, ACTOR) as session:
        hall, room_b = Room(name="Grand Hall", capacity=120), Room(name="Room B", capacity=40)
        conference = Conference(
            code=CODE, title=TITLE, description="The first year of the Cyber Security Agency.",
            starts_at=at(2027, 6, 10, 8, 30), ends_at=at(2027, 6, 10, 17, 0),
            timezone="Europe/Belgrade", venue="Emerald Hotel Prishtina",
            address="Rruga Agim Ramadani p.n., 10000 Prishtinë", capacity=50,
            organiser_name="Kosovar Centre for Security Studies – SMART Balkans",
            organiser_email=ORGANISER, calendar_uid=CONFERENCE_UID, rooms=[hall, room_b])
        persons = {key: _person(session, spec) for key, spec in PEOPLE.items()}
        opening = AgendaSession(
            kind=AgendaSessionKind.OPENING, title="Opening remarks", room=hall,
            starts_at=at(2027, 6, 10, 9, 0), ends_at=at(2027, 6, 10, 9, 30),
            calendar_uid="opening@smartconf.kcss",
            people=[AgendaSessionPerson(person=persons["arta"], role=AgendaRole.SPEAKER),
                    AgendaSessionPerson(person=persons["rachel"], role=AgendaRole.MODERATOR)])
        panel = AgendaSession(
            kind=AgendaSessionKind.PANEL, title="Incident reporting: the first year",
            room=room_b, starts_at=at(2027, 6, 10, 10, 0), ends_at=at(2027, 6, 10, 11, 30),
            calendar_uid="panel@smartconf.kcss",
            people=[AgendaSessionPerson(person=persons["dorde"], role=AgendaRole.SPEAKER)])
        conference.agenda_sessions = [opening, panel]
        participants = {
            key: Participant(conference=conference, person=persons[key], status=spec.status,
                             role=ParticipantRole.PARTICIPANT,
                             consent_override="Keynote speaker; invited by the Minister"
                             if spec.consent == "override" else None)
            for key, spec in PEOPLE.items()}
        session.add_all([conference, *participants.values()])
        session.flush()
        return Ids({k: p.id for k, p in participants.items()}, opening.id, panel.id)


def _person(session, spec: Someone) -> Person:
    person = Person(given_name=spec.given, family_name=spec.family,
                    given_name_latin=spec.given_latin, family_name_latin=spec.family_latin,
                    honorific=spec.honorific, preferred_language=spec.language)
    if spec.email:
        person.emails.append(PersonEmail(address=spec.email, is_primary=True))
    if spec.consent in ("yes", "withdrawn"):
        withdrawn = datetime(2026, 9, 1, tzinfo=UTC) if spec.consent == "withdrawn" else None
        session.add(Consent(person=person, purpose=ConsentPurpose.EVENT_INVITATIONS,
                            basis=LawfulBasis.CONSENT, given_at=datetime(2026, 3, 15, tzinfo=UTC),
                            withdrawn_at=withdrawn))
    return person


# -- helpers --------------------------------------------------------------------------------


def sync(database: Database, now: datetime = NOW) -> SyncReport:
    with unit_of_work(database.sessions, ACTOR) as session:
        return sync_invitations(session, get_conference(session, CODE), actor=ACTOR, now=now)


def outbox(database: Database) -> list[OutboxMessage]:
    with read_session(database.sessions) as session:
        rows = session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
        session.expunge_all()
        return list(rows)


def deliver(database: Database, folder: Path) -> int:
    """Deliver what is pending the way Outlook users do: as files (marks them sent)."""
    with read_session(database.sessions) as session:
        conference_id = get_conference(session, CODE).id
    return len(run_job(export_pending(database.sessions, conference_id, folder,
                                      actor=ACTOR)).written)


def change(database: Database, operation, *args, **kwargs):
    """Run a planning/invitations operation on the conference in its own transaction."""
    with unit_of_work(database.sessions, ACTOR) as session:
        return operation(session, get_conference(session, CODE), *args, actor=ACTOR, **kwargs)


def vevent(message: OutboxMessage):
    (event,) = Calendar.from_ical(message.ics).walk("VEVENT")
    return event


def method(message: OutboxMessage) -> str:
    return str(Calendar.from_ical(message.ics)["method"])


def of(messages: list[OutboxMessage], participant_id: int) -> list[OutboxMessage]:
    return [m for m in messages if m.participant_id == participant_id]


def conference_messages(messages: list[OutboxMessage]) -> list[OutboxMessage]:
    return [m for m in messages if ":s:" not in m.key]


# -- who gets what --------------------------------------------------------------------------


def test_first_sync_invites_the_invitees_only(database: Database) -> None:
    ids = seed(database)
    report = sync(database)
    messages = outbox(database)
    invited = {pid for pid in (m.participant_id for m in conference_messages(messages))}
    assert invited == {ids.participants[k] for k in INVITEES}
    assert {m.kind for m in messages} == {OutboxKind.INVITE}
    assert all(m.state is OutboxState.PENDING for m in messages)
    skipped = {(s.participant_id, s.reason) for s in report.skipped}
    assert skipped == {
        (ids.participants["noemail"], "no e-mail address"),
        (ids.participants["noconsent"],
         "no consent to event invitations (and no recorded decision)"),
        (ids.participants["withdrew"],
         "no consent to event invitations (and no recorded decision)"),
    }
    assert report.count(OutboxKind.INVITE) == len(messages) == len(report.queued)


def test_every_invitation_is_a_valid_itip_request(database: Database) -> None:
    ids = seed(database)
    sync(database)
    for message in outbox(database):
        assert check_ics(message.ics.encode(), Method.REQUEST) == []
        event = vevent(message)
        assert str(event["attendee"]) == f"mailto:{message.recipient}"
        assert str(event["organizer"]) == f"mailto:{ORGANISER}"
        parsed = vobject.readOne(message.ics)
        assert parsed.method.value == "REQUEST"
        assert len(parsed.vevent.contents["attendee"]) == 1
        assert message.message_id.startswith("<") and message.message_id.endswith(
            "@smartconf.kcss>")
    arta = of(outbox(database), ids.participants["arta"])[0]
    assert arta.key == f"conf:{arta.conference_id}:p:{ids.participants['arta']}:seq:0:request"
    assert str(vevent(arta)["uid"]) == CONFERENCE_UID
    assert vevent(arta).decoded("dtstart") == datetime(2027, 6, 10, 8, 30, tzinfo=ZONE)


def test_speakers_get_one_request_per_session(database: Database) -> None:
    ids = seed(database)
    sync(database)
    messages = outbox(database)
    uids = {key: sorted(str(vevent(m)["uid"]) for m in of(messages, ids.participants[key]))
            for key in INVITEES}
    assert uids == {"arta": ["opening@smartconf.kcss", CONFERENCE_UID],
                    "rachel": ["opening@smartconf.kcss", CONFERENCE_UID],  # moderates it
                    "dorde": ["panel@smartconf.kcss", CONFERENCE_UID],
                    "override": [CONFERENCE_UID]}
    panel = next(m for m in messages if ":s:" in m.key and m.participant_id
                 == ids.participants["dorde"])
    assert panel.key.startswith(f"conf:{panel.conference_id}:s:{ids.panel}:p:")
    assert str(vevent(panel)["location"]) == ("Room B, Emerald Hotel Prishtina, Rruga Agim "
                                              "Ramadani p.n., 10000 Prishtinë")


def test_a_second_sync_enqueues_nothing(database: Database) -> None:
    seed(database)
    first = sync(database)
    again = sync(database)
    assert len(first.queued) == 7  # 4 conference invitations, 3 session invitations
    assert again.queued == [] and again.superseded == 0
    assert len(outbox(database)) == 7


# -- the words --------------------------------------------------------------------------------


def test_texts_follow_the_preferred_language(database: Database) -> None:
    ids = seed(database)
    sync(database)
    messages = {m.participant_id: m for m in conference_messages(outbox(database))}
    arta, dorde, rachel = (messages[ids.participants[k]] for k in ("arta", "dorde", "rachel"))
    assert arta.subject == f"Ftesë: {TITLE}"
    assert arta.body_text.startswith("I/E nderuar Dr. Arta Gashi,\n")
    assert "Koha: e enjte, 10 qershor 2027, 08:30–17:00 (ora lokale, UTC+02:00)" \
        in arta.body_text
    assert "Vendi: Emerald Hotel Prishtina, Rruga Agim Ramadani p.n., 10000 Prishtinë" \
        in arta.body_text
    assert "Sesionet tuaja:\n- 09:00–09:30  Opening remarks (Grand Hall)\n" in arta.body_text
    assert "pranojeni" in arta.body_text
    assert arta.body_text.rstrip().endswith(f"SMART Balkans\n{ORGANISER}")
    assert dorde.subject == f"Poziv: {TITLE}"
    assert dorde.body_text.startswith("Poštovani/a Đorđe Čolić,\n")  # Latin form
    assert "Vreme: četvrtak, 10. juna 2027. 08:30–17:00" in dorde.body_text
    assert "Vaše sesije:\n- 10:00–11:30  Incident reporting: the first year (Room B)" \
        in dorde.body_text
    assert rachel.subject == f"Invitation: {TITLE}"
    assert rachel.body_text.startswith("Dear Ms Rachel Goldberg,\n")
    assert "When: Thursday, 10 June 2027, 08:30–17:00 (local time, UTC+02:00)" \
        in rachel.body_text
    override = messages[ids.participants["override"]]  # no session: the programme instead
    assert "Programme:\n- 09:00–09:30  Opening remarks (Grand Hall)\n" \
           "- 10:00–11:30  Incident reporting: the first year (Room B)\n" in override.body_text
    assert '<html lang="sq">' in arta.body_html and "<p>I/E nderuar Dr. Arta Gashi,</p>" \
        in arta.body_html
    assert "Ø" in vevent(override)["attendee"].params["CN"]


def test_html_is_escaped(database: Database) -> None:
    seed(database)
    with unit_of_work(database.sessions, ACTOR) as session:
        get_conference(session, CODE).title = "Cyber <Security> & \"Trust\""
    sync(database)
    message = outbox(database)[0]
    assert "Cyber &lt;Security&gt; &amp; &quot;Trust&quot;" in message.body_html
    assert "<Security>" not in message.body_html
    assert "Cyber <Security> & \"Trust\"" in message.body_text


# -- changes: updates to the affected only ------------------------------------------------------


def test_moving_a_session_updates_its_people_only(database: Database, tmp_path: Path) -> None:
    ids = seed(database)
    sync(database)
    deliver(database, tmp_path)
    with unit_of_work(database.sessions, ACTOR) as session:
        planning.move_agenda_session(session, ids.opening, starts_at=at(2027, 6, 10, 9, 15),
                                     ends_at=at(2027, 6, 10, 9, 45), room_id=None, actor=ACTOR)
    report = sync(database)
    new = [m for m in outbox(database) if m.state is OutboxState.PENDING]
    assert {m.participant_id for m in new} == {ids.participants["arta"],
                                               ids.participants["rachel"]}
    assert {m.kind for m in new} == {OutboxKind.UPDATE} == {q.kind for q in report.queued}
    for message in new:
        event = vevent(message)
        assert str(event["uid"]) == "opening@smartconf.kcss"  # the same event, moved
        assert int(event["sequence"]) == 1
        assert event.decoded("dtstart") == datetime(2027, 6, 10, 9, 15, tzinfo=ZONE)
    assert "sesionit tuaj" in next(m.body_text for m in new
                                   if m.participant_id == ids.participants["arta"])


def test_moving_the_conference_updates_everyone_with_a_higher_sequence(
        database: Database, tmp_path: Path) -> None:
    ids = seed(database)
    sync(database)
    deliver(database, tmp_path)
    change(database, planning.update_conference, venue="Swiss Diamond Hotel Prishtina")
    sync(database)
    change(database, planning.update_conference, starts_at=at(2027, 6, 10, 9, 0))
    sync(database)
    for key in INVITEES:
        mine = conference_messages(of(outbox(database), ids.participants[key]))
        sequences = [int(vevent(m)["sequence"]) for m in mine]
        assert sequences == [0, 1, 2]  # strictly rising
        assert {str(vevent(m)["uid"]) for m in mine} == {CONFERENCE_UID}  # never changes
        assert [m.kind for m in mine] == [OutboxKind.INVITE, OutboxKind.UPDATE,
                                          OutboxKind.UPDATE]
        assert "Swiss Diamond" in str(vevent(mine[-1])["location"])
    with read_session(database.sessions) as session:
        participant = session.get(Participant, ids.participants["arta"])
        assert participant.invite_sequence == 2
    speakers = [m for m in outbox(database) if ":s:" in m.key]
    assert all(int(vevent(m)["sequence"]) == 1 for m in speakers if m.kind is OutboxKind.UPDATE)


def test_an_unsent_invitation_is_replaced_not_doubled(database: Database) -> None:
    ids = seed(database)
    sync(database)
    change(database, planning.update_conference, venue="Swiss Diamond Hotel Prishtina")
    report = sync(database)
    mine = conference_messages(of(outbox(database), ids.participants["arta"]))
    assert [(m.state, m.kind) for m in mine] == [(OutboxState.CANCELLED, OutboxKind.INVITE),
                                                 (OutboxState.PENDING, OutboxKind.INVITE)]
    assert mine[0].last_error == "superseded by a newer message"
    # A new venue moves the sessions too (planning raises their sequences): all 7 replaced.
    assert report.superseded == len(report.queued) == 7
    assert {m.kind for m in outbox(database) if m.state is OutboxState.PENDING} == {
        OutboxKind.INVITE}  # none was delivered: still first invitations
    assert int(vevent(mine[1])["sequence"]) == 1


# -- cancellations ----------------------------------------------------------------------------


@pytest.mark.parametrize("status", [S.CANCELLED, S.WAITLISTED])
def test_withdrawn_participation_sends_cancel(database: Database, tmp_path: Path,
                                              status: ParticipantStatus) -> None:
    ids = seed(database)
    sync(database)
    deliver(database, tmp_path)
    change(database, invitations.set_status, [ids.participants["arta"]], status)
    report = sync(database)
    new = [m for m in outbox(database) if m.state is OutboxState.PENDING]
    assert {m.participant_id for m in new} == {ids.participants["arta"]}
    assert {str(vevent(m)["uid"]) for m in new} == {CONFERENCE_UID, "opening@smartconf.kcss"}
    for message in new:
        assert method(message) == "CANCEL" and message.kind is OutboxKind.CANCELLATION
        assert str(vevent(message)["status"]) == "CANCELLED"
        assert int(vevent(message)["sequence"]) == 1  # above the REQUEST's 0
        assert check_ics(message.ics.encode(), Method.CANCEL) == []
    conference_cancel = next(m for m in new if ":s:" not in m.key)
    assert conference_cancel.subject == f"Anulim: {TITLE}"
    assert "ftesa juaj" in conference_cancel.body_text and "tërhequr" in conference_cancel.body_text
    assert report.count(OutboxKind.CANCELLATION) == 2
    assert sync(database).queued == []


def test_cancelled_before_sending_is_only_withdrawn(database: Database) -> None:
    ids = seed(database)
    sync(database)
    change(database, invitations.set_status, [ids.participants["rachel"]], S.CANCELLED)
    report = sync(database)
    mine = of(outbox(database), ids.participants["rachel"])
    assert {m.state for m in mine} == {OutboxState.CANCELLED}  # never left: nothing to undo
    assert report.superseded == 2
    # Her seat went to the waitlist (invitations.set_status): Besa is invited now.
    assert [(q.participant_id, q.kind) for q in report.queued] == [
        (ids.participants["besa"], OutboxKind.INVITE)]


def test_declining_stops_further_mail(database: Database, tmp_path: Path) -> None:
    ids = seed(database)
    sync(database)
    deliver(database, tmp_path)
    change(database, invitations.set_status, [ids.participants["rachel"]], S.DECLINED)
    change(database, planning.update_conference, venue="Swiss Diamond Hotel Prishtina")
    sync(database)
    assert all(m.state is OutboxState.SENT for m in of(outbox(database),
                                                      ids.participants["rachel"]))


def test_cancelled_conference_then_reinstated(database: Database, tmp_path: Path) -> None:
    ids = seed(database)
    sync(database)
    deliver(database, tmp_path)
    change(database, planning.cancel_conference)
    cancelled = sync(database)
    assert {q.participant_id for q in cancelled.queued} == {ids.participants[k]
                                                           for k in INVITEES}
    assert {q.kind for q in cancelled.queued} == {OutboxKind.CANCELLATION}
    assert len(cancelled.queued) == 7  # 4 conference + 3 session invitations
    dorde = next(m for m in outbox(database) if m.participant_id == ids.participants["dorde"]
                 and m.kind is OutboxKind.CANCELLATION and ":s:" not in m.key)
    assert dorde.subject == f"Otkazano: {TITLE}"
    assert "konferencija navedena u nastavku otkazana" in dorde.body_text
    deliver(database, tmp_path)
    change(database, planning.update_conference, status=ConferenceStatus.PLANNED)
    reinstated = sync(database)
    assert {q.kind for q in reinstated.queued} == {OutboxKind.INVITE}
    mine = conference_messages(of(outbox(database), ids.participants["dorde"]))
    assert [(method(m), int(vevent(m)["sequence"])) for m in mine] == [
        ("REQUEST", 0), ("CANCEL", 1), ("REQUEST", 3)]  # sequence 1 + 2 * one CANCEL


def test_taken_off_the_panel_gets_the_session_cancelled(database: Database,
                                                        tmp_path: Path) -> None:
    ids = seed(database)
    sync(database)
    deliver(database, tmp_path)
    with unit_of_work(database.sessions, ACTOR) as session:
        planning.update_agenda_session(session, ids.opening, actor=ACTOR, speakers=())
    report = sync(database)
    (cancel,) = report.queued
    assert cancel.participant_id == ids.participants["arta"]
    assert cancel.kind is OutboxKind.CANCELLATION and cancel.uid == "opening@smartconf.kcss"


def test_deleted_session_is_cancelled_from_what_was_sent(database: Database,
                                                         tmp_path: Path) -> None:
    ids = seed(database)
    sync(database)
    deliver(database, tmp_path)
    with unit_of_work(database.sessions, ACTOR) as session:
        planning.delete_agenda_session(session, ids.panel, actor=ACTOR)
    report = sync(database)
    (cancel,) = report.queued
    assert cancel.participant_id == ids.participants["dorde"] and cancel.sequence == 1
    message = next(m for m in outbox(database) if m.id == cancel.id)
    assert str(vevent(message)["uid"]) == "panel@smartconf.kcss"
    assert str(vevent(message)["summary"]) == "Incident reporting: the first year"
    assert message.subject == "Otkazano: Incident reporting: the first year"


def test_consent_withdrawn_before_sending_holds_the_invitation(database: Database) -> None:
    ids = seed(database)
    sync(database)
    with unit_of_work(database.sessions, ACTOR) as session:
        for consent in session.scalars(select(Consent).join(Participant, Participant.person_id
                                                            == Consent.person_id)
                                       .where(Participant.id == ids.participants["dorde"])):
            consent.withdrawn_at = NOW
    report = sync(database)
    mine = of(outbox(database), ids.participants["dorde"])
    assert {m.state for m in mine} == {OutboxState.CANCELLED}  # not sent without consent
    assert report.queued == []
    assert (ids.participants["dorde"],
            "no consent to event invitations (and no recorded decision)") in {
        (s.participant_id, s.reason) for s in report.skipped}


def test_nothing_for_events_that_are_over(database: Database) -> None:
    seed(database)
    report = sync(database, now=at(2027, 6, 11, 9, 0))
    assert report.queued == [] and outbox(database) == []


def test_an_organiser_address_is_required(database: Database) -> None:
    seed(database)
    with unit_of_work(database.sessions, ACTOR) as session:
        conference = get_conference(session, CODE)
        conference.organiser_email = ""
        with pytest.raises(ValidationError, match="organiser e-mail"):
            sync_invitations(session, conference, actor=ACTOR, now=NOW)


# -- the decision itself (no database) ---------------------------------------------------------


def sent(message_id: int, sequence: int, method: Method, state: OutboxState) -> Sent:
    return Sent(message_id, sequence, method, state)


R, C = Method.REQUEST, Method.CANCEL


@pytest.mark.parametrize(("history", "want", "sequence", "expected"), [
    ([], Want.ACTIVE, 0, Decision((), R, 0, OutboxKind.INVITE)),
    ([], Want.WITHDRAWN, 0, Decision()),
    ([sent(1, 0, R, OutboxState.SENT)], Want.ACTIVE, 0, Decision()),
    ([sent(1, 0, R, OutboxState.SENT)], Want.ACTIVE, 1, Decision((), R, 1, OutboxKind.UPDATE)),
    ([sent(1, 0, R, OutboxState.PENDING)], Want.ACTIVE, 1,
     Decision((1,), R, 1, OutboxKind.INVITE)),
    # a message that a sender took while we superseded counts as delivered
    ([sent(1, 0, R, OutboxState.SENDING)], Want.ACTIVE, 1, Decision((), R, 1, OutboxKind.UPDATE)),
    ([sent(1, 0, R, OutboxState.FAILED)], Want.WITHDRAWN, 0, Decision((1,))),
    ([sent(1, 2, R, OutboxState.SENT)], Want.WITHDRAWN, 2,
     Decision((), C, 3, OutboxKind.CANCELLATION)),
    ([sent(1, 0, R, OutboxState.SENT), sent(2, 1, C, OutboxState.SENT)], Want.ACTIVE, 0,
     Decision((), R, 2, OutboxKind.INVITE)),  # re-invited above the CANCEL
    ([sent(1, 0, R, OutboxState.SENT), sent(2, 1, C, OutboxState.PENDING)], Want.ACTIVE, 0,
     Decision((2,), R, 2, OutboxKind.UPDATE)),  # the CANCEL never left: still an update
    ([sent(1, 0, R, OutboxState.SENT), sent(2, 1, C, OutboxState.SENT)], Want.WITHDRAWN, 5,
     Decision()),
    ([sent(1, 0, R, OutboxState.PENDING), sent(2, 1, C, OutboxState.PENDING)], Want.QUIET, 0,
     Decision((1,))),  # nothing more, and no queued REQUEST goes out
])
def test_decide(history, want: Want, sequence: int, expected: Decision) -> None:
    assert decide(history, want, sequence) == expected


# -- the demo data ---------------------------------------------------------------------------


def test_demo_conference_invitations(database: Database) -> None:
    with unit_of_work(database.sessions, ACTOR) as session:
        load_demo(session, actor=ACTOR, today=date(2026, 11, 27))
        conference = get_conference(session, "SB-PPP")
        report = sync_invitations(session, conference, actor=ACTOR,
                                  now=datetime(2026, 11, 27, tzinfo=UTC))
        languages = {p.id: p.person.preferred_language for p in session.scalars(
            select(Participant).where(Participant.conference_id == conference.id))}
    messages = outbox(database)
    assert len(messages) == len(report.queued) > 50
    prefix = {Language.ALBANIAN: "Ftesë: ", Language.SERBIAN: "Poziv: ",
              Language.ENGLISH: "Invitation: "}
    for message in messages:
        assert check_ics(message.ics.encode(), Method.REQUEST) == []
        vobject.readOne(message.ics)
        assert message.subject.startswith(prefix[languages[message.participant_id]])
    assert {languages[m.participant_id] for m in messages} == set(Language)
    assert all("consent" in s.reason or "e-mail" in s.reason for s in report.skipped)


# -- the command line -------------------------------------------------------------------------


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def demo_db(tmp_path: Path) -> str:
    """A SQLite file with the demo data around today (SB-CSA and SB-PPP still ahead)."""
    path = tmp_path / "demo.db"
    from smartconf.store.database import open_database

    database = open_database(f"sqlite:///{path}")
    with unit_of_work(database.sessions, ACTOR) as session:
        load_demo(session, actor=ACTOR)
    database.dispose()
    return str(path)


def test_invites_out_writes_eml_and_ics_once(capsys, demo_db: str, tmp_path: Path) -> None:
    out = tmp_path / "outbox"
    code, stdout, _ = run(capsys, "--db", demo_db, "invites", "--conference", "sb-csa",
                          "--out", str(out), "--json")
    result = json.loads(stdout)
    assert code == 0
    assert result["enqueued"] == result["written"] > 50 and result["failed"] == 0
    emls, icss = sorted(out.glob("*.eml")), sorted(out.glob("*.ics"))
    assert len(emls) == len(icss) == result["written"]
    assert [p.stem for p in emls] == [p.stem for p in icss]
    assert emls[0].name.startswith("0001-") and emls[0].name.endswith("-request.eml")
    assert all(p.name.isascii() and " " not in p.name for p in emls)
    mail = message_from_bytes(emls[0].read_bytes(), policy=default)
    assert mail["X-Unsent"] == "1"
    (calendar_part,) = [p for p in mail.walk() if p.get_content_type() == "text/calendar"]
    assert calendar_part.get_param("method") == "REQUEST"
    assert calendar_part.get_content().encode() == icss[0].read_bytes()
    assert check_ics(icss[0].read_bytes(), Method.REQUEST) == []
    code, stdout, _ = run(capsys, "--db", demo_db, "invites", "--conference", "SB-CSA",
                          "--out", str(out), "--json")
    assert json.loads(stdout)["written"] == 0 and len(list(out.glob("*.eml"))) == len(emls)
    database_states = _states(demo_db)
    assert set(database_states) == {(OutboxState.SENT, EXPORTED)}


def test_export_stops_between_batches_and_resumes(demo_db: str, tmp_path: Path) -> None:
    from smartconf.store.database import open_database

    database = open_database(f"sqlite:///{demo_db}")
    try:
        with unit_of_work(database.sessions, ACTOR) as session:
            conference = get_conference(session, "SB-CSA")
            total = len(sync_invitations(session, conference, actor=ACTOR).queued)
        assert total > BATCH
        asked = []
        first = run_job(export_pending(database.sessions, conference.id, tmp_path, actor=ACTOR,
                                       cancel=lambda: bool(asked.append(1)) or len(asked) > 1))
        assert len(first.written) == BATCH == len(list(tmp_path.glob("*.eml")))
        with read_session(database.sessions) as session:
            pending = session.scalars(select(OutboxMessage).where(
                OutboxMessage.state == OutboxState.PENDING)).all()
            assert len(pending) == total - BATCH
        rest = run_job(export_pending(database.sessions, conference.id, tmp_path, actor=ACTOR))
        assert len(rest.written) == total - BATCH
        assert len(list(tmp_path.glob("*.eml"))) == len(list(tmp_path.glob("*.ics"))) == total
    finally:
        database.dispose()


def _states(path: str) -> set[tuple[OutboxState, str | None]]:
    from smartconf.store.database import open_database

    database = open_database(f"sqlite:///{path}")
    try:
        with read_session(database.sessions) as session:
            return {(state, error) for state, error in session.execute(
                select(OutboxMessage.state, OutboxMessage.last_error))}
    finally:
        database.dispose()


def test_invites_send_over_smtp(capsys, demo_db: str) -> None:
    from smartconf.store.database import open_database

    with smtp_server() as server:
        database = open_database(f"sqlite:///{demo_db}")
        with unit_of_work(database.sessions, ACTOR) as session:
            for key, value in (("smtp.host", server.host), ("smtp.port", str(server.port)),
                               ("smtp.security", "none"), ("smtp.sender", ORGANISER),
                               ("smtp.rate_per_minute", "10000")):
                set_setting(session, key, value, actor=ACTOR)
        database.dispose()
        code, stdout, _ = run(capsys, "--db", demo_db, "invites", "--conference", "SB-PPP",
                              "--send", "--json")
        result = json.loads(stdout)
        assert code == 0 and result["sent"] == result["enqueued"] == len(server.messages) > 0
        assert result["failed"] == 0
        code, stdout, _ = run(capsys, "--db", demo_db, "invites", "--conference", "SB-PPP",
                              "--send", "--json")
        assert json.loads(stdout)["sent"] == 0 and len(server.messages) == result["sent"]
    received = server.messages[0].message
    parts = [p for p in received.walk() if p.get_content_type() == "text/calendar"]
    assert parts and parts[0].get_param("method") == "REQUEST"


@pytest.mark.parametrize("command", [["invites"], ["rsvp"], ["rsvp", "import"],
                                     ["agenda-feed"]])
def test_commands_have_help(capsys, command: list[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main([*command, "--help"])
    assert exit_info.value.code == 0
    assert "usage: smartconf" in capsys.readouterr().out


def test_invites_needs_send_or_out(capsys, demo_db: str) -> None:
    code, _, err = run(capsys, "--db", demo_db, "invites", "--conference", "SB-CSA")
    assert code == 2 and "--send" in err


def test_agenda_feed(capsys, demo_db: str, tmp_path: Path) -> None:
    target = tmp_path / "agenda.ics"
    code, _, _ = run(capsys, "--db", demo_db, "agenda-feed", "--conference", "SB-CSA", "-o",
                     str(target))
    assert code == 0
    data = target.read_bytes()
    assert check_ics(data, Method.PUBLISH) == []
    calendar = Calendar.from_ical(data)
    assert str(calendar["method"]) == "PUBLISH" and "ATTENDEE" not in data.decode()
    assert len(calendar.walk("VEVENT")) == 10
    assert len(vobject.readOne(data.decode()).contents["vevent"]) == 10


def test_agenda_feed_of_a_cancelled_conference(database: Database) -> None:
    seed(database)
    change(database, planning.cancel_conference)
    with read_session(database.sessions) as session:
        data = agenda_feed(get_conference(session, CODE))
    statuses = {str(e["status"]) for e in Calendar.from_ical(data).walk("VEVENT")}
    assert statuses == {"CANCELLED"}
