"""A real SMTP server on localhost for tests (aiosmtpd), with switches for the bad days.

``with smtp_server() as server:`` starts it on 127.0.0.1 on a free port; ``server.messages``
lists what it accepted (parsed), in order. Switches on ``server.handler``:

- ``drop_after = N``: after N accepted messages, the next MAIL FROM gets the connection
  closed in its face (once);
- ``drop_in_data = N``: the N-th DATA (counting from 1) is received, then the connection is
  closed before any reply (the message is not kept);
- ``temporary = N``: the next N DATA get ``451`` (not kept);
- ``reject = {addresses}``: RCPT TO of those gets ``550``;
- ``hold_data_at = N`` / ``hold_rcpt_at = N``: at the N-th DATA (kept) or N-th RCPT, set
  ``held`` and wait for ``release`` before answering, so that a test can kill the client at
  that exact moment.

``tls_files()`` makes a self-signed certificate for 127.0.0.1 (with the ``openssl`` tool) for
SMTPS (``implicit_tls=True``) and STARTTLS (the default when ``tls`` is given).
``MemoryKeyring`` with ``use_keyring()`` stands in for the OS keyring (the SMTP password).
"""

from __future__ import annotations

import asyncio
import shutil
import socket
import ssl
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default
from pathlib import Path

import keyring
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError

_POLL_S = 0.01


@dataclass
class Received:
    """One message the server accepted."""

    mail_from: str
    rcpt_tos: list[str]
    raw: bytes
    message: EmailMessage
    at: float  # time.monotonic() when accepted

    @property
    def message_id(self) -> str:
        return self.message["Message-ID"]


@dataclass
class Handler:
    """aiosmtpd handler that keeps what it accepts and misbehaves on request."""

    messages: list[Received] = field(default_factory=list)
    drop_after: int | None = None
    drop_in_data: int | None = None
    temporary: int = 0
    reject: set[str] = field(default_factory=set)
    hold_data_at: int | None = None
    hold_rcpt_at: int | None = None
    held: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)
    data_count: int = 0
    rcpt_count: int = 0
    logins: list[str] = field(default_factory=list)

    async def _hold(self) -> None:
        self.held.set()
        while not self.release.is_set():
            await asyncio.sleep(_POLL_S)

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        if self.drop_after is not None and len(self.messages) >= self.drop_after:
            self.drop_after = None
            server.transport.close()
            return "421 4.4.2 dropped"
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        self.rcpt_count += 1
        if self.rcpt_count == self.hold_rcpt_at:
            await self._hold()
        if address in self.reject:
            return "550 5.1.1 No such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.data_count += 1
        if self.data_count == self.drop_in_data:
            server.transport.close()
            return "421 4.4.2 dropped"
        if self.temporary > 0:
            self.temporary -= 1
            return "451 4.3.0 Try again later"
        raw = bytes(envelope.original_content)
        self.messages.append(Received(envelope.mail_from, list(envelope.rcpt_tos), raw,
                                      message_from_bytes(raw, policy=default),
                                      time.monotonic()))
        if self.data_count == self.hold_data_at:
            await self._hold()
        return "250 2.0.0 Accepted"

    def message_ids(self) -> list[str]:
        return [received.message_id for received in self.messages]


@dataclass
class Server:
    host: str
    port: int
    handler: Handler
    controller: Controller

    @property
    def messages(self) -> list[Received]:
        return self.handler.messages


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def tls_files(folder: Path) -> tuple[Path, Path]:
    """(certificate, key) of a self-signed certificate for 127.0.0.1 and localhost."""
    if shutil.which("openssl") is None:
        raise RuntimeError("the openssl tool is needed to make a test certificate")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-subj", "/CN=localhost", "-keyout", str(key), "-out", str(cert),
                    "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"],
                   check=True, capture_output=True)
    return cert, key


def _server_context(cert: Path, key: Path) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    return context


class _Accounts:
    """Authenticator accepting one user/password pair."""

    def __init__(self, handler: Handler, user: str, password: str) -> None:
        self.handler, self.user, self.password = handler, user, password

    def __call__(self, server, session, envelope, mechanism, auth_data):
        ok = (isinstance(auth_data, LoginPassword) and auth_data.login.decode() == self.user
              and auth_data.password.decode() == self.password)
        if ok:
            self.handler.logins.append(self.user)
        return AuthResult(success=ok, handled=False)  # not handled: the server answers 535


@contextmanager
def smtp_server(*, tls: tuple[Path, Path] | None = None, implicit_tls: bool = False,
                login: tuple[str, str] | None = None) -> Iterator[Server]:
    """A running server; with ``tls`` it speaks SMTPS (``implicit_tls``) or offers STARTTLS.

    ``login=(user, password)`` requires that login (over TLS when ``tls`` is given).
    """
    handler = Handler()
    kwargs: dict = {"hostname": "127.0.0.1", "port": free_port(),
                    "server_hostname": "localhost", "ready_timeout": 10}
    if tls is not None:
        context = _server_context(*tls)
        kwargs["ssl_context" if implicit_tls else "tls_context"] = context
    if login is not None:
        kwargs.update(authenticator=_Accounts(handler, *login), auth_required=True,
                      auth_require_tls=tls is not None)
    controller = Controller(handler, **kwargs)
    controller.start()
    try:
        yield Server("127.0.0.1", kwargs["port"], handler, controller)
    finally:
        handler.release.set()
        controller.stop()


class MemoryKeyring(KeyringBackend):
    """An OS keyring stand-in that keeps passwords in a dict, for the test's duration."""

    priority = 1

    def __init__(self) -> None:
        super().__init__()
        self.passwords: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.passwords.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.passwords[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.passwords.pop((service, username), None) is None:
            raise PasswordDeleteError(username)


@contextmanager
def use_keyring(backend: KeyringBackend) -> Iterator[KeyringBackend]:
    """Make ``backend`` the process's keyring, and restore the previous one afterwards."""
    previous = keyring.get_keyring()
    keyring.set_keyring(backend)
    try:
        yield backend
    finally:
        keyring.set_keyring(previous)
