"""Sending the outbox over SMTP: each message once, whatever happens to the process.

The rule that makes a crash harmless:

1. For each message, ``MAIL FROM`` and ``RCPT TO`` go first. Then the message is claimed (a
   conditional update from *pending*, so two senders never take the same one) and committed
   as *sending* with ``attempts + 1`` **before** the ``DATA`` command; it is committed *sent*
   right after the server's 250 reply to the data.
2. A message in *sending* that no run is working on was handed to the server by a run that
   died, or whose connection broke, before the server's reply came back: the server may or may
   not have it, and SMTP offers no way to ask. Such a message is **uncertain**: it is never
   resent on its own. ``uncertain_messages()`` lists them for a person to decide, and
   ``resolve_uncertain(..., resend=True)`` queues them again or ``resend=False`` records them
   as sent (e.g. after asking a recipient).
3. A failure before ``DATA`` went through (connection dropped, a 4xx reply) leaves the message
   pending with ``attempts + 1`` and a later ``next_attempt_at`` (exponential back-off from
   one minute up to six hours); the run reconnects and goes on with the next message. After
   ``MAX_ATTEMPTS`` tries, or on a 5xx reply, the message is *failed* with ``last_error``.

Every state change goes through the ORM in its own short transaction, so the audit trail
records it. Killing the process at any moment therefore never sends a message twice (at most
one message is uncertain, and it waits for a person) and never loses one.
"""

from __future__ import annotations

import base64
import email.errors
import smtplib
import ssl
import time
from collections.abc import Callable, Collection, Generator
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from smartconf.core.enums import OutboxState
from smartconf.core.errors import SmartconfError, ValidationError
from smartconf.core.progress import Progress
from smartconf.models import Conference, OutboxMessage
from smartconf.models.base import utcnow
from smartconf.services.mail_format import build_mime, mime_bytes, smtp_address
from smartconf.services.settings import ENV_SMTP_PASSWORD, SmtpConfig, smtp_config, smtp_password
from smartconf.store.session import act_as, read_session, unit_of_work

MAX_ATTEMPTS = 8
BACKOFF_FIRST = timedelta(minutes=1)
BACKOFF_MAX = timedelta(hours=6)
_CANCEL_POLL_S = 0.05  # how often a wait between messages looks at ``cancel``
_MAX_ERROR_CHARS = 1000

SENT, FAILED, RETRY, UNCERTAIN, SKIPPED = "sent", "failed", "retry", "uncertain", "skipped"


class SmtpUnavailable(SmartconfError):
    """The SMTP server cannot be reached or refuses the login; the message at hand is intact."""


@dataclass
class SendReport:
    """What a sending run did. ``uncertain`` counts every message waiting for a decision."""

    sent: int = 0
    failed: int = 0
    retried: int = 0  # temporary failures: pending again, for a later run
    uncertain: int = 0
    skipped: int = 0  # taken by another sender meanwhile
    remaining: int = 0  # due but not tried because the run was cancelled
    cancelled: bool = False

    def count(self, outcome: str) -> None:
        if outcome == SENT:
            self.sent += 1
        elif outcome == FAILED:
            self.failed += 1
        elif outcome == RETRY:
            self.retried += 1
        elif outcome == SKIPPED:
            self.skipped += 1

    def as_json(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class UncertainMessage:
    """A message the server may or may not have received; a person decides."""

    id: int
    key: str
    recipient: str
    subject: str
    attempts: int
    last_attempt_at: datetime
    last_error: str | None


def backoff(attempts: int) -> timedelta:
    """Wait before try number ``attempts + 1``: 1, 2, 4, 8... minutes, at most six hours."""
    return min(BACKOFF_FIRST * 2 ** max(attempts - 1, 0), BACKOFF_MAX)


# -- the SMTP connection -----------------------------------------------------------------------

def _password(config: SmtpConfig) -> str | None:
    if not config.user:
        return None
    password = config.password or smtp_password(config.user)
    if not password:
        raise SmtpUnavailable(f"No SMTP password is stored for {config.user}.",
                              hint=f"Set it with `smartconf config set-password` or in the "
                                   f"Settings page (automation: {ENV_SMTP_PASSWORD}).")
    return password


def _b64(text: str) -> str:
    return base64.b64encode(text.encode("utf-8")).decode("ascii")


def _login(client: smtplib.SMTP, user: str, password: str) -> None:
    """Log in; smtplib cannot send a non-ASCII password, so that case speaks AUTH itself."""
    if (user + password).isascii():
        client.login(user, password)
        return
    mechanisms = client.esmtp_features.get("auth", "").upper().split()
    if "PLAIN" in mechanisms:  # RFC 4616: user and password in UTF-8
        reply = client.docmd("AUTH", "PLAIN " + _b64(f"\0{user}\0{password}"))
    elif "LOGIN" in mechanisms:
        reply = client.docmd("AUTH", "LOGIN " + _b64(user))
        if reply[0] == 334:
            reply = client.docmd(_b64(password))
    else:
        raise smtplib.SMTPNotSupportedError("the server offers no login for this password")
    if reply[0] != 235:
        raise smtplib.SMTPAuthenticationError(*reply)


def _open(config: SmtpConfig, password: str | None) -> smtplib.SMTP:
    context = ssl.create_default_context(cafile=str(config.ca_file) if config.ca_file else None)
    if config.security == "ssl":
        client = smtplib.SMTP_SSL(config.host, config.effective_port, timeout=config.timeout,
                                  context=context)
    else:
        client = smtplib.SMTP(config.host, config.effective_port, timeout=config.timeout)
    try:
        client.ehlo()
        if config.security == "starttls":  # never falls back to plain text
            client.starttls(context=context)
            client.ehlo()
        if config.user:
            _login(client, config.user, password)
    except BaseException:
        client.close()
        raise
    return client


def _unavailable(exc: OSError, config: SmtpConfig) -> SmtpUnavailable:
    """What went wrong while connecting, said so that a coordinator can act on it."""
    where = config.description
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return SmtpUnavailable(f"The SMTP server {where} refused the login of {config.user} "
                               f"({_reply_text(exc)}).",
                               hint="Check smtp.user and set the password again.")
    if isinstance(exc, ssl.SSLCertVerificationError):
        return SmtpUnavailable(f"The certificate of the SMTP server {where} is not trusted "
                               f"({exc.verify_message}).",
                               hint="Check smtp.host; ask IT whether the server's "
                                    "certificate is valid.")
    if isinstance(exc, ssl.SSLError):
        return SmtpUnavailable(f"TLS with the SMTP server {where} failed ({exc.reason}).",
                               hint="Check smtp.security and smtp.port: ssl is usually port "
                                    "465, starttls port 587.")
    return SmtpUnavailable(f"Cannot use the SMTP server {where} ({_reply_text(exc)}).",
                           hint="Check smtp.host, smtp.port, smtp.security and the network.")


def _connect(config: SmtpConfig) -> smtplib.SMTP:
    """A connected, secured and logged-in client; SmtpUnavailable says what went wrong."""
    password = _password(config)
    try:
        return _open(config, password)
    except OSError as exc:  # smtplib's and ssl's errors are OSErrors too
        raise _unavailable(exc, config) from None


def _reply_text(exc: BaseException) -> str:
    if isinstance(exc, smtplib.SMTPResponseException):
        text = exc.smtp_error
        text = text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)
        return f"{exc.smtp_code} {text}"
    return str(exc) or type(exc).__name__


class _Link:
    """The run's connection: opened on first use, and again after it dropped."""

    def __init__(self, config: SmtpConfig) -> None:
        self.config = config
        self.client: smtplib.SMTP | None = None

    def open(self) -> smtplib.SMTP:
        if self.client is None:
            self.client = _connect(self.config)
        return self.client

    def drop(self) -> None:
        if self.client is not None:
            self.client.close()
            self.client = None

    def reset(self) -> None:
        """Abandon the current transaction (RSET), or the connection if that fails."""
        try:
            if self.client is not None:
                self.client.rset()
        except (OSError, smtplib.SMTPException):
            self.drop()

    def close(self) -> None:
        try:
            if self.client is not None:
                self.client.quit()
        except (OSError, smtplib.SMTPException):
            pass
        finally:
            self.drop()


def check_smtp(config: SmtpConfig) -> None:
    """Connect, secure, log in and quit: SmtpUnavailable if any step fails."""
    link = _Link(config)
    link.open()
    link.close()


def _expect(reply: tuple[int, bytes], *codes: int) -> None:
    if reply[0] not in codes:
        raise smtplib.SMTPResponseException(*reply)


def _data(payload: bytes) -> bytes:
    """The DATA content: dot-stuffed, CRLF, ending with the lone dot."""
    stuffed = smtplib.quotedata(payload.decode("ascii")).encode("ascii")
    if not stuffed.endswith(b"\r\n"):
        stuffed += b"\r\n"
    return stuffed + b".\r\n"


# -- recording states --------------------------------------------------------------------------

@dataclass(frozen=True)
class _Job:
    """What one run needs to record states: where, who, and what time it is."""

    factory: sessionmaker[Session]
    actor: str
    clock: Callable[[], datetime]


def _locked(session: Session, message_id: int,
            state: OutboxState | None = None) -> OutboxMessage | None:
    """The message, write-locked for this transaction (if still in ``state``), else None.

    A no-op update comes first so that the transaction writes from its first statement: a
    second sender waits for the lock (SQLite: the database's, PostgreSQL: the row's) and then
    sees the new state, instead of failing to upgrade a read or both reading "pending".
    """
    query = update(OutboxMessage).where(OutboxMessage.id == message_id)
    if state is not None:
        query = query.where(OutboxMessage.state == state)
    locked = session.execute(query.values(state=OutboxMessage.state)
                             .execution_options(synchronize_session=False))
    if locked.rowcount != 1:
        return None
    return session.get(OutboxMessage, message_id, populate_existing=True)


def _claim(job: _Job, message_id: int, header_id: str) -> bool:
    """Pending -> sending with one more attempt; False if another sender took it.

    A message without a Message-ID gets the one its e-mail carries, for tracing it in the
    server's logs.
    """
    with unit_of_work(job.factory, job.actor) as session:
        message = _locked(session, message_id, OutboxState.PENDING)
        if message is None:
            return False
        message.state = OutboxState.SENDING
        message.attempts += 1
        message.last_error = None
        message.message_id = message.message_id or header_id
    return True


def _mark_sent(job: _Job, message_id: int) -> str:
    """The server took it: sent, whatever anyone decided meanwhile."""
    with unit_of_work(job.factory, job.actor) as session:
        message = _locked(session, message_id)
        message.state = OutboxState.SENT
        message.sent_at = utcnow()
        message.last_error = None
        message.next_attempt_at = None
    return SENT


def _mark_failure(job: _Job, message_id: int, error: str, *, permanent: bool,
                  claimed: bool) -> str:
    """Failed for good, or pending again after a back-off (failed after MAX_ATTEMPTS).

    Left alone if its state changed meanwhile (another sender sent it, a person decided).
    """
    expected = OutboxState.SENDING if claimed else OutboxState.PENDING
    with unit_of_work(job.factory, job.actor) as session:
        message = _locked(session, message_id, expected)
        if message is None:
            return SKIPPED
        if not claimed:
            message.attempts += 1
        if not permanent and message.attempts >= MAX_ATTEMPTS:
            permanent = True
            error = f"Gave up after {message.attempts} attempts. {error}"
        message.last_error = error[:_MAX_ERROR_CHARS]
        if permanent:
            message.state = OutboxState.FAILED
            message.next_attempt_at = None
        else:
            message.state = OutboxState.PENDING
            message.next_attempt_at = job.clock() + backoff(message.attempts)
    return FAILED if permanent else RETRY


def _mark_uncertain(job: _Job, message_id: int, error: str) -> str:
    with unit_of_work(job.factory, job.actor) as session:
        message = _locked(session, message_id, OutboxState.SENDING)
        if message is None:  # a person decided meanwhile
            return SKIPPED
        message.last_error = (f"The connection broke after the message was handed over "
                              f"({error}); the server may or may not have accepted it. "
                              f"Resend it or mark it as sent.")[:_MAX_ERROR_CHARS]
    return UNCERTAIN


def _refused(job: _Job, link: _Link, message_id: int, exc: smtplib.SMTPResponseException, *,
             claimed: bool) -> str:
    """The server said no: 5xx for good, anything else (4xx, nonsense) for now."""
    if exc.smtp_code == 421:  # the server closes the connection
        link.drop()
    else:
        link.reset()
    return _mark_failure(job, message_id, f"The server answered {_reply_text(exc)}.",
                         permanent=500 <= exc.smtp_code < 600, claimed=claimed)


def _lost(job: _Job, link: _Link, message_id: int, exc: BaseException, *, claimed: bool) -> str:
    link.drop()
    return _mark_failure(job, message_id, f"Connection lost ({_reply_text(exc)}).",
                         permanent=False, claimed=claimed)


# -- one message -------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Envelope:
    recipient: str
    message_id: str
    payload: bytes


def _prepare(session: Session, message: OutboxMessage, config: SmtpConfig) -> _Envelope:
    """The envelope recipient and DATA bytes; From shows the conference's organiser."""
    conference = session.get(Conference, message.conference_id) if message.conference_id \
        else None
    name = (conference.organiser_name if conference else "") or config.sender_name
    reply_to = conference.organiser_email if conference else None
    mime = build_mime(message, sender=config.sender, sender_name=name, reply_to=reply_to or None)
    return _Envelope(smtp_address(message.recipient), str(mime["Message-ID"]),
                     _data(mime_bytes(mime)))


def _load(job: _Job, message_id: int, config: SmtpConfig) -> _Envelope | str:
    """The message ready to send, or the outcome when there is nothing to send."""
    with read_session(job.factory) as session:
        message = session.get(OutboxMessage, message_id)
        if message is None or message.state is not OutboxState.PENDING:
            return SKIPPED
        try:
            return _prepare(session, message, config)
        except (ValidationError, ValueError, email.errors.MessageError) as exc:
            problem = f"The e-mail cannot be built: {exc}"
    return _mark_failure(job, message_id, problem, permanent=True, claimed=False)


def _send_one(job: _Job, link: _Link, message_id: int, config: SmtpConfig) -> str:
    """Send one message and record its outcome (see the module docstring for the rule)."""
    envelope = _load(job, message_id, config)
    if isinstance(envelope, str):
        return envelope
    client = link.open()  # SmtpUnavailable: nothing was recorded for this message
    try:
        _expect(client.mail(smtp_address(config.sender, field="smtp.sender")), 250)
        _expect(client.rcpt(envelope.recipient), 250, 251)
    except smtplib.SMTPResponseException as exc:
        return _refused(job, link, message_id, exc, claimed=False)
    except (OSError, smtplib.SMTPException) as exc:
        return _lost(job, link, message_id, exc, claimed=False)
    if not _claim(job, message_id, envelope.message_id):
        link.reset()
        return SKIPPED
    try:
        _expect(client.docmd("DATA"), 354)
    except smtplib.SMTPResponseException as exc:
        return _refused(job, link, message_id, exc, claimed=True)
    except (OSError, smtplib.SMTPException) as exc:
        return _lost(job, link, message_id, exc, claimed=True)
    try:  # from here on, the server may have the message
        client.send(envelope.payload)
        reply = client.getreply()
    except (OSError, smtplib.SMTPException) as exc:
        link.drop()
        return _mark_uncertain(job, message_id, _reply_text(exc))
    if reply[0] == 250:
        return _mark_sent(job, message_id)
    if 400 <= reply[0] < 600:  # an explicit refusal: the server does not have it
        return _refused(job, link, message_id, smtplib.SMTPResponseException(*reply),
                        claimed=True)
    link.drop()
    return _mark_uncertain(job, message_id, _reply_text(smtplib.SMTPResponseException(*reply)))


# -- the run -----------------------------------------------------------------------------------

class _Pace:
    """At most ``per_minute`` transactions a minute; waits in short, cancellable slices."""

    def __init__(self, per_minute: int) -> None:
        self.interval = 60.0 / per_minute
        self.next_at = 0.0

    def wait(self, cancel: Callable[[], bool]) -> bool:
        """Wait for the next slot; False if ``cancel()`` said stop meanwhile."""
        while True:
            if cancel():
                return False
            left = self.next_at - time.monotonic()
            if left <= 0:
                self.next_at = time.monotonic() + self.interval
                return True
            time.sleep(min(left, _CANCEL_POLL_S))


def _scope(query, conference_id: int | None):
    return query if conference_id is None else query.where(
        OutboxMessage.conference_id == conference_id)


def due_messages(session: Session, at: datetime, *, conference_id: int | None = None
                 ) -> list[int]:
    """Ids of the pending messages whose time has come, oldest first."""
    query = select(OutboxMessage.id).where(
        OutboxMessage.state == OutboxState.PENDING,
        or_(OutboxMessage.next_attempt_at.is_(None), OutboxMessage.next_attempt_at <= at))
    return list(session.scalars(_scope(query, conference_id).order_by(OutboxMessage.id)))


def outbox_counts(session: Session, *, conference_id: int | None = None) -> dict[str, int]:
    """How many messages are in each state (every state listed, zeros included)."""
    query = select(OutboxMessage.state, func.count()).group_by(OutboxMessage.state)
    counts = dict(session.execute(_scope(query, conference_id)).all())
    return {state.value: counts.get(state, 0) for state in OutboxState}


def _progress(done: int, total: int, report: SendReport) -> Progress:
    return Progress(done, total, f"{report.sent} sent, {report.retried} to retry, "
                                 f"{report.failed} failed")


def send_pending(session_factory: sessionmaker[Session], *, actor: str,
                 smtp: SmtpConfig | None = None, cancel: Callable[[], bool] = lambda: False,
                 now: datetime | None = None, conference_id: int | None = None
                 ) -> Generator[Progress, None, SendReport]:
    """Send the due pending messages (of one conference, or all); yields progress.

    ``smtp`` defaults to the database's settings; ``now`` (default: the clock) decides which
    messages are due and where back-offs start. ``cancel`` is looked at between messages and
    while waiting for the rate limit; a cancelled run leaves every message pending or sent.
    Raises SmtpUnavailable when the server cannot be reached (messages stay as they were).
    """
    if not actor:
        raise ValueError("actor must be a non-empty user name")
    job = _Job(session_factory, actor, (lambda: now) if now is not None else utcnow)
    with read_session(session_factory) as session:
        config = smtp or smtp_config(session)
        due = due_messages(session, job.clock(), conference_id=conference_id)
    report = SendReport()
    yield _progress(0, len(due), report)
    link, pace = _Link(config), _Pace(config.rate_per_minute)
    try:
        for index, message_id in enumerate(due):
            link.open()  # (re)connect first: the pace spaces the transactions themselves
            if not pace.wait(cancel):
                report.cancelled, report.remaining = True, len(due) - index
                break
            report.count(_send_one(job, link, message_id, config))
            yield _progress(index + 1, len(due), report)
    finally:
        link.close()
    with read_session(session_factory) as session:
        report.uncertain = outbox_counts(session, conference_id=conference_id)[
            OutboxState.SENDING.value]
    return report


# -- uncertain messages: a person decides ------------------------------------------------------

def uncertain_messages(session: Session, *, conference_id: int | None = None
                       ) -> list[UncertainMessage]:
    """Messages left in *sending*: the server may or may not have them."""
    query = select(OutboxMessage).where(OutboxMessage.state == OutboxState.SENDING)
    return [UncertainMessage(m.id, m.key, m.recipient, m.subject, m.attempts, m.updated_at,
                             m.last_error)
            for m in session.scalars(_scope(query, conference_id).order_by(OutboxMessage.id))]


def resolve_uncertain(session: Session, ids: Collection[int], *, resend: bool,
                      actor: str) -> int:
    """Queue uncertain messages again (``resend``) or record them as sent; returns how many.

    Ids that are no longer uncertain (someone else decided meanwhile) are left alone.
    """
    act_as(session, actor)
    messages = session.scalars(select(OutboxMessage).where(
        OutboxMessage.id.in_(list(ids)), OutboxMessage.state == OutboxState.SENDING)).all()
    for message in messages:
        if resend:
            message.state = OutboxState.PENDING
            message.next_attempt_at = None
        else:
            message.state = OutboxState.SENT
            message.sent_at = message.updated_at  # when it was handed to the server
            message.last_error = None
    session.flush()
    return len(messages)
