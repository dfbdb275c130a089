"""Sending the outbox to a real SMTP server on localhost (aiosmtpd): exactly once, whatever
the server or the process does."""

from __future__ import annotations

import itertools
import subprocess
import sys
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from smartconf.core.enums import OutboxKind, OutboxState
from smartconf.core.progress import run_job
from smartconf.models import AuditEvent, Conference, OutboxMessage
from smartconf.models.base import utcnow
from smartconf.services.outbox import (
    MAX_ATTEMPTS,
    SendReport,
    SmtpUnavailable,
    backoff,
    outbox_counts,
    resolve_uncertain,
    send_pending,
    uncertain_messages,
)
from smartconf.services.settings import ENV_SMTP_PASSWORD, SmtpConfig, set_smtp_password
from smartconf.store.database import Database
from smartconf.store.session import read_session, unit_of_work
from tests.conftest import TEST_ACTOR
from tests.smtp_server import MemoryKeyring, Server, free_port, smtp_server, tls_files, use_keyring

SENDER = "smart@qkss.org"
ICS = ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//KCSS//smartconf//EN\r\nMETHOD:REQUEST\r\n"
       "BEGIN:VEVENT\r\nUID:sb-ci@qkss.org\r\nSUMMARY:Konferenca – Ђорђе\r\nEND:VEVENT\r\n"
       "END:VCALENDAR\r\n")
FAST = 100_000  # messages a minute: no noticeable pacing


def enqueue(database: Database, count: int, *, start: int = 1,
            conference_id: int | None = None) -> list[int]:
    """``count`` pending invitations, Message-IDs <m{n}@test>, recipients p{n}@example.org."""
    with unit_of_work(database.sessions, TEST_ACTOR) as session:
        messages = [OutboxMessage(key=f"invite:{n}", kind=OutboxKind.INVITE,
                                  conference_id=conference_id,
                                  recipient=f"p{n}@example.org", subject=f"Ftesë {n}",
                                  body_text=f"Përshëndetje {n}\n", body_html=f"<p>{n}</p>",
                                  ics=ICS, message_id=f"<m{n}@test>")
                    for n in range(start, start + count)]
        session.add_all(messages)
        session.flush()
        return [m.id for m in messages]


def config(server: Server, **changes) -> SmtpConfig:
    values = {"host": server.host, "port": server.port, "security": "none", "sender": SENDER,
              "rate_per_minute": FAST, "timeout": 10}
    values.update(changes)
    return SmtpConfig(**values)


def send(database: Database, server: Server, **kwargs) -> SendReport:
    smtp = kwargs.pop("smtp", None) or config(server)
    return run_job(send_pending(database.sessions, actor=TEST_ACTOR, smtp=smtp, **kwargs))


def states(database: Database) -> dict[str, OutboxState]:
    """Message-ID -> state."""
    with read_session(database.sessions) as session:
        return {m.message_id: m.state for m in session.scalars(select(OutboxMessage))}


def message(database: Database, message_id: str) -> OutboxMessage:
    with read_session(database.sessions) as session:
        row = session.scalar(select(OutboxMessage).where(OutboxMessage.message_id == message_id))
        session.expunge(row)  # keeps its loaded values after the read session ends
        return row


def received_once(server: Server, count: int) -> None:
    """The server holds exactly <m1@test> .. <m{count}@test>, each exactly once."""
    ids = Counter(server.handler.message_ids())
    assert ids == Counter(f"<m{n}@test>" for n in range(1, count + 1))


def later(minutes: float) -> datetime:
    return utcnow() + timedelta(minutes=minutes)


# -- the good day ------------------------------------------------------------------------------

def test_batch_delivered_exactly_once(database: Database) -> None:
    enqueue(database, 12)
    with smtp_server() as server:
        progress = []
        report = run_job(send_pending(database.sessions, actor=TEST_ACTOR,
                                      smtp=config(server)), progress.append)
        assert (report.sent, report.failed, report.retried, report.uncertain) == (12, 0, 0, 0)
        assert [p.done for p in progress] == list(range(13))
        assert {p.total for p in progress} == {12}
        assert send(database, server).sent == 0, "a second run has nothing left to send"
        received_once(server, 12)
        assert server.handler.message_ids() == [f"<m{n}@test>" for n in range(1, 13)]
        first = server.messages[0]
        assert first.mail_from == SENDER and first.rcpt_tos == ["p1@example.org"]
    with read_session(database.sessions) as session:
        rows = session.scalars(select(OutboxMessage)).all()
        assert {(m.state, m.attempts) for m in rows} == {(OutboxState.SENT, 1)}
        assert all(m.sent_at is not None and m.last_error is None for m in rows)
        events = session.scalars(select(AuditEvent).where(
            AuditEvent.entity == "outbox_message", AuditEvent.entity_id == str(rows[0].id))
            .order_by(AuditEvent.id)).all()
        transitions = [e.changes.get("state") for e in events if e.changes]
        actors = {e.actor for e in events}
    assert transitions == [[None, "pending"], ["pending", "sending"], ["sending", "sent"]]
    assert actors == {TEST_ACTOR}


def test_the_wire_message_carries_the_invite(database: Database) -> None:
    with unit_of_work(database.sessions, TEST_ACTOR) as session:
        conference = Conference(code="SB-CI", title="Critical infrastructure",
                                starts_at=datetime(2027, 3, 28, 8, tzinfo=UTC),
                                ends_at=datetime(2027, 3, 28, 17, tzinfo=UTC),
                                organiser_name="Donika Berisha – KCSS",
                                organiser_email="donika@qkss.org", calendar_uid="sb-ci@qkss.org")
        session.add(conference)
        session.flush()
        conference_id = conference.id
    enqueue(database, 1, conference_id=conference_id)
    enqueue(database, 1, start=2)
    with smtp_server() as server:
        assert send(database, server, conference_id=conference_id).sent == 1
        mail = server.messages[0].message
        assert mail["From"].addresses[0].display_name == "Donika Berisha – KCSS"
        assert mail["From"].addresses[0].addr_spec == SENDER
        assert mail["Reply-To"].addresses[0].addr_spec == "donika@qkss.org"
        assert mail["Subject"] == "Ftesë 1"
        calendar = next(p for p in mail.walk() if p.get_content_type() == "text/calendar")
        assert calendar.get_param("method") == "REQUEST"
        assert calendar.get_payload(decode=True) == ICS.encode("utf-8")
    assert states(database) == {"<m1@test>": OutboxState.SENT, "<m2@test>": OutboxState.PENDING}


def test_message_without_id_gets_the_one_it_was_sent_with(database: Database) -> None:
    with unit_of_work(database.sessions, TEST_ACTOR) as session:
        session.add(OutboxMessage(key="reminder:1", kind=OutboxKind.REMINDER,
                                  recipient="p1@example.org", subject="Reminder",
                                  body_text="See you tomorrow."))
    with smtp_server() as server:
        send(database, server)
        sent_with = server.handler.message_ids()
    assert len(sent_with) == 1 and states(database) == {sent_with[0]: OutboxState.SENT}


# -- bad days at the server --------------------------------------------------------------------

def test_connection_dropped_mid_batch(database: Database) -> None:
    enqueue(database, 10)
    with smtp_server() as server:
        server.handler.drop_after = 4
        before = utcnow()
        report = send(database, server)
        assert (report.sent, report.retried, report.failed) == (9, 1, 0)
        dropped = message(database, "<m5@test>")
        assert (dropped.state, dropped.attempts) == (OutboxState.PENDING, 1)
        assert "Connection lost" in dropped.last_error
        assert before + backoff(1) <= dropped.next_attempt_at <= utcnow() + backoff(1)
        assert send(database, server).sent == 0, "not due before its back-off"
        assert send(database, server, now=later(2)).sent == 1
        received_once(server, 10)
    assert set(states(database).values()) == {OutboxState.SENT}


def test_temporary_refusal_then_success(database: Database) -> None:
    enqueue(database, 3)
    with smtp_server() as server:
        server.handler.temporary = 1
        report = send(database, server)
        assert (report.sent, report.retried) == (2, 1)
        refused = message(database, "<m1@test>")
        assert refused.state is OutboxState.PENDING and "451" in refused.last_error
        assert send(database, server, now=later(2)).sent == 1
        received_once(server, 3)
    assert message(database, "<m1@test>").attempts == 2


def test_back_off_doubles_then_gives_up(database: Database) -> None:
    assert [backoff(n) for n in (1, 2, 3)] == [timedelta(minutes=m) for m in (1, 2, 4)]
    assert backoff(30) == timedelta(hours=6)
    enqueue(database, 1)
    with smtp_server() as server:
        server.handler.temporary = 1000
        at = utcnow()
        for attempt in range(1, MAX_ATTEMPTS + 1):
            report = send(database, server, now=at)
            row = message(database, "<m1@test>")
            assert row.attempts == attempt
            if attempt < MAX_ATTEMPTS:
                assert report.retried == 1 and row.next_attempt_at == at + backoff(attempt)
                at = row.next_attempt_at
        assert report.failed == 1 and row.state is OutboxState.FAILED
        assert row.last_error.startswith(f"Gave up after {MAX_ATTEMPTS} attempts")
        assert send(database, server, now=later(60 * 24)).sent == 0
        assert not server.messages


def test_permanent_refusal_fails_the_message(database: Database) -> None:
    enqueue(database, 3)
    with smtp_server() as server:
        server.handler.reject = {"p2@example.org"}
        report = send(database, server)
        assert (report.sent, report.failed, report.retried) == (2, 1, 0)
        rejected = message(database, "<m2@test>")
        assert rejected.state is OutboxState.FAILED and "550" in rejected.last_error
        assert send(database, server, now=later(60 * 24)).sent == 0
        assert server.handler.message_ids() == ["<m1@test>", "<m3@test>"]


def test_connection_lost_during_data_is_uncertain_until_someone_decides(
        database: Database) -> None:
    enqueue(database, 4)
    with smtp_server() as server:
        server.handler.drop_in_data = 2  # the server closes without replying (and drops it)
        report = send(database, server)
        assert (report.sent, report.uncertain) == (3, 1)
        assert send(database, server, now=later(60 * 24)).sent == 0, "never resent on its own"
        with read_session(database.sessions) as session:
            waiting = uncertain_messages(session)
        assert [(m.recipient, m.attempts) for m in waiting] == [("p2@example.org", 1)]
        assert "may or may not" in waiting[0].last_error
        with unit_of_work(database.sessions, TEST_ACTOR) as session:
            assert resolve_uncertain(session, [waiting[0].id], resend=True,
                                     actor=TEST_ACTOR) == 1
        assert send(database, server).sent == 1
        received_once(server, 4)
    assert set(states(database).values()) == {OutboxState.SENT}


def test_unreachable_server_touches_nothing(database: Database) -> None:
    enqueue(database, 2)
    with pytest.raises(SmtpUnavailable) as error:
        run_job(send_pending(database.sessions, actor=TEST_ACTOR, smtp=SmtpConfig(
            host="127.0.0.1", port=free_port(), security="none", sender=SENDER, timeout=5)))
    assert "127.0.0.1" in str(error.value) and "smtp.port" in error.value.hint
    with read_session(database.sessions) as session:
        assert {(m.state, m.attempts) for m in session.scalars(select(OutboxMessage))} == {
            (OutboxState.PENDING, 0)}


# -- pace and cancel ---------------------------------------------------------------------------

def test_rate_limit_is_honoured(database: Database) -> None:
    enqueue(database, 6)
    with smtp_server() as server:
        started = time.monotonic()
        assert send(database, server, smtp=config(server, rate_per_minute=600)).sent == 6
        elapsed = time.monotonic() - started
        arrivals = [m.at for m in server.messages]
    gaps = [b - a for a, b in itertools.pairwise(arrivals)]  # 0.1 s apart, give or take
    assert elapsed >= 0.5 and arrivals[-1] - arrivals[0] >= 0.45, (elapsed, gaps)
    assert min(gaps) >= 0.07, gaps


def test_cancel_mid_batch_leaves_a_consistent_outbox(database: Database) -> None:
    enqueue(database, 8)
    stop = False
    with smtp_server() as server:
        job = send_pending(database.sessions, actor=TEST_ACTOR, smtp=config(server),
                           cancel=lambda: stop)

        def watch(progress) -> None:
            nonlocal stop
            stop = progress.done == 3

        report = run_job(job, watch)
        assert (report.cancelled, report.sent, report.remaining) == (True, 3, 5)
        assert Counter(states(database).values()) == {OutboxState.SENT: 3,
                                                       OutboxState.PENDING: 5}
        assert len(server.messages) == 3
        stop = False
        assert send(database, server).sent == 5
        received_once(server, 8)


def test_cancel_while_waiting_for_the_rate_limit(database: Database) -> None:
    enqueue(database, 3)
    with smtp_server() as server:
        started = time.monotonic()
        deadline = started + 0.3
        report = run_job(send_pending(database.sessions, actor=TEST_ACTOR,
                                      smtp=config(server, rate_per_minute=1),
                                      cancel=lambda: time.monotonic() > deadline))
        waited = time.monotonic() - started
    assert (report.sent, report.cancelled, report.remaining) == (1, True, 2)
    assert waited < 2, "a one-a-minute pace must not hold the cancel for a minute"


# -- TLS and login -----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def certificate(tmp_path_factory) -> tuple[Path, Path]:
    return tls_files(tmp_path_factory.mktemp("tls"))


def test_smtps(database: Database, certificate) -> None:
    enqueue(database, 2)
    with smtp_server(tls=certificate, implicit_tls=True) as server:
        assert send(database, server, smtp=config(server, security="ssl",
                                                   ca_file=certificate[0])).sent == 2
        received_once(server, 2)


@pytest.mark.parametrize("secret", ["s3cret", "Ëë-s3cret"])  # smtplib alone refuses the 2nd
def test_starttls_with_login_from_the_keyring(database: Database, certificate, caplog,
                                              monkeypatch, secret: str) -> None:
    monkeypatch.delenv(ENV_SMTP_PASSWORD, raising=False)
    enqueue(database, 2)
    with smtp_server(tls=certificate, login=("smart", secret)) as server, \
            use_keyring(MemoryKeyring()):
        smtp = config(server, security="starttls", user="smart", ca_file=certificate[0])
        with pytest.raises(SmtpUnavailable, match="No SMTP password"):
            send(database, server, smtp=smtp)
        set_smtp_password("smart", "wrong")
        with pytest.raises(SmtpUnavailable, match="refused the login of smart"):
            send(database, server, smtp=smtp)
        set_smtp_password("smart", secret)
        assert send(database, server, smtp=smtp).sent == 2
        assert server.handler.logins == ["smart"]
        received_once(server, 2)
    assert secret not in caplog.text
    with read_session(database.sessions) as session:
        for event in session.scalars(select(AuditEvent)):
            assert secret not in repr(event.changes) + (event.summary or "")


def test_untrusted_certificate_is_refused(database: Database, certificate) -> None:
    enqueue(database, 1)
    with smtp_server(tls=certificate, implicit_tls=True) as server:
        with pytest.raises(SmtpUnavailable, match="not trusted"):
            send(database, server, smtp=config(server, security="ssl"))
        assert not server.messages
    with smtp_server() as server:  # no STARTTLS offered: never fall back to plain text
        with pytest.raises(SmtpUnavailable, match="STARTTLS"):
            send(database, server, smtp=config(server, security="starttls"))
        assert not server.messages
    assert states(database) == {"<m1@test>": OutboxState.PENDING}


# -- killing the sending process ---------------------------------------------------------------

SENDER_PROCESS = f"""
import sys
from smartconf.core.progress import run_job
from smartconf.services.outbox import send_pending
from smartconf.services.settings import SmtpConfig
from smartconf.store.database import open_database

database = open_database(sys.argv[1])
smtp = SmtpConfig(host="127.0.0.1", port=int(sys.argv[2]), security="none", sender="{SENDER}",
                  rate_per_minute={FAST}, timeout=30)
print(run_job(send_pending(database.sessions, actor="sender-process", smtp=smtp)).sent)
"""


def start_sender(database: Database, server: Server) -> subprocess.Popen:
    url = database.engine.url.render_as_string(hide_password=False)
    return subprocess.Popen([sys.executable, "-c", SENDER_PROCESS, url, str(server.port)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def kill_when_held(process: subprocess.Popen, server: Server) -> None:
    """SIGKILL the sender while the server holds its transaction (no reply sent yet)."""
    try:
        assert server.handler.held.wait(60), process.communicate(timeout=10)
    finally:
        process.kill()
        process.communicate()
    server.handler.release.set()


def test_killed_after_the_server_received_a_message(database: Database) -> None:
    enqueue(database, 8)
    with smtp_server() as server:
        server.handler.hold_data_at = 5  # the server has message 5, the sender no reply
        kill_when_held(start_sender(database, server), server)
        assert len(server.messages) == 5
        assert Counter(states(database).values()) == {
            OutboxState.SENT: 4, OutboxState.SENDING: 1, OutboxState.PENDING: 3}

        report = send(database, server)
        assert (report.sent, report.uncertain) == (3, 1)
        received_once(server, 8)  # the one in flight was not sent again
        with read_session(database.sessions) as session:
            waiting = uncertain_messages(session)
        assert [m.recipient for m in waiting] == ["p5@example.org"]
        with unit_of_work(database.sessions, TEST_ACTOR) as session:  # the user: "it arrived"
            resolve_uncertain(session, [w.id for w in waiting], resend=False, actor=TEST_ACTOR)
        assert send(database, server, now=later(60 * 24)).sent == 0
        received_once(server, 8)
    assert set(states(database).values()) == {OutboxState.SENT}
    assert message(database, "<m5@test>").sent_at is not None


def test_killed_before_the_data(database: Database) -> None:
    enqueue(database, 6)
    with smtp_server() as server:
        server.handler.hold_rcpt_at = 3  # RCPT TO of message 3 waits for its reply
        kill_when_held(start_sender(database, server), server)
        assert len(server.messages) == 2
        third = message(database, "<m3@test>")
        assert (third.state, third.attempts) == (OutboxState.PENDING, 0)
        report = send(database, server)
        assert (report.sent, report.uncertain) == (4, 0)
        received_once(server, 6)
    assert set(states(database).values()) == {OutboxState.SENT}


def test_two_senders_at_once_never_send_one_twice(database: Database) -> None:
    enqueue(database, 30)
    with smtp_server() as server:
        processes = [start_sender(database, server) for _ in range(2)]
        outputs = [p.communicate(timeout=120) for p in processes]
        assert [p.returncode for p in processes] == [0, 0], outputs
        assert sum(int(out.strip()) for out, _ in outputs) == 30
        received_once(server, 30)
    with read_session(database.sessions) as session:
        assert outbox_counts(session)["sent"] == 30
