"""Settings in the database, the SMTP password in the keyring, and `smartconf config`."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from keyring.backends.fail import Keyring as NoKeyring
from sqlalchemy import create_engine, select, text

from smartconf.__main__ import main
from smartconf.core.errors import SmartconfError, ValidationError
from smartconf.models import AuditEvent, Base
from smartconf.services.settings import (
    ENV_SMTP_PASSWORD,
    KEYRING_SERVICE,
    KeyringUnavailable,
    forget_smtp_password,
    get_setting,
    list_settings,
    set_setting,
    set_smtp_password,
    smtp_config,
    smtp_password,
    unset_setting,
)
from smartconf.store.session import unit_of_work
from tests.conftest import TEST_ACTOR
from tests.smtp_server import MemoryKeyring, free_port, smtp_server, use_keyring

SECRET = "s3cret-Ëë-passw0rd"


@pytest.fixture
def memory_keyring(monkeypatch) -> MemoryKeyring:
    monkeypatch.delenv(ENV_SMTP_PASSWORD, raising=False)
    with use_keyring(MemoryKeyring()) as backend:
        yield backend


def test_values_are_checked_and_stored_canonically(session) -> None:
    assert set_setting(session, "smtp.port", " 587 ", actor=TEST_ACTOR) == "587"
    assert set_setting(session, "smtp.security", "STARTTLS", actor=TEST_ACTOR) == "starttls"
    assert set_setting(session, "smtp.host", "Mail.QKSS.org", actor=TEST_ACTOR) == \
        "mail.qkss.org"
    assert set_setting(session, "smtp.sender", "smart@QKSS.org", actor=TEST_ACTOR) == \
        "smart@qkss.org"
    set_setting(session, "smtp.port", "2525", actor=TEST_ACTOR)
    assert get_setting(session, "smtp.port") == "2525"
    assert get_setting(session, "smtp.host") == "mail.qkss.org"


@pytest.mark.parametrize(("key", "value"), [
    ("smtp.port", "0"), ("smtp.port", "65536"), ("smtp.port", "twenty-five"),
    ("smtp.security", "tls"), ("smtp.sender", "not an address"), ("smtp.host", "mail host"),
    ("smtp.host", ""), ("smtp.rate_per_minute", "0"), ("smtp.timeout", "601"),
    ("smtp.user", "two\nlines")])
def test_bad_values_are_refused_naming_the_key(session, key: str, value: str) -> None:
    with pytest.raises(ValidationError) as error:
        set_setting(session, key, value, actor=TEST_ACTOR)
    assert error.value.field == key and key in str(error.value)
    assert get_setting(session, key) == {"smtp.security": "starttls",
                                         "smtp.rate_per_minute": "30",
                                         "smtp.timeout": "30"}.get(key)


def test_unknown_keys_are_refused(session) -> None:
    for call in (lambda: set_setting(session, "smtp.password", "x", actor=TEST_ACTOR),
                 lambda: get_setting(session, "smtp.hots")):
        with pytest.raises(ValidationError) as error:
            call()
        assert "smtp." in error.value.field and "smtp.host" in error.value.hint


def test_defaults_unset_and_listing(session) -> None:
    assert get_setting(session, "smtp.security") == "starttls"
    assert get_setting(session, "smtp.user") is None
    assert get_setting(session, "smtp.user", "fallback") == "fallback"
    set_setting(session, "smtp.security", "ssl", actor=TEST_ACTOR)
    assert unset_setting(session, "smtp.security", actor=TEST_ACTOR) is True
    assert unset_setting(session, "smtp.security", actor=TEST_ACTOR) is False
    assert get_setting(session, "smtp.security") == "starttls"
    set_setting(session, "smtp.host", "mail.qkss.org", actor=TEST_ACTOR)
    listed = {item.key: item for item in list_settings(session)}
    assert listed["smtp.host"].value == "mail.qkss.org"
    assert listed["smtp.security"].value is None
    assert listed["smtp.security"].effective == "starttls"


def test_changes_are_audited(database) -> None:
    with unit_of_work(database.sessions, "ana") as session:
        set_setting(session, "smtp.host", "mail.qkss.org", actor="ana")
    with unit_of_work(database.sessions, "besa") as session:
        set_setting(session, "smtp.host", "smtp.qkss.org", actor="besa")
        events = session.scalars(select(AuditEvent).where(AuditEvent.entity == "setting")
                                 .order_by(AuditEvent.id)).all()
    assert [(e.actor, e.action.value, e.changes["value"]) for e in events] == [
        ("ana", "create", [None, "mail.qkss.org"]),
        ("besa", "update", ["mail.qkss.org", "smtp.qkss.org"])]


def test_smtp_config_from_settings(session) -> None:
    with pytest.raises(SmartconfError, match=r"smtp\.host"):
        smtp_config(session)
    set_setting(session, "smtp.host", "mail.qkss.org", actor=TEST_ACTOR)
    set_setting(session, "smtp.sender", "smart@qkss.org", actor=TEST_ACTOR)
    config = smtp_config(session)
    assert (config.host, config.effective_port, config.security, config.user) == (
        "mail.qkss.org", 587, "starttls", None)
    set_setting(session, "smtp.security", "ssl", actor=TEST_ACTOR)
    set_setting(session, "smtp.user", "smart", actor=TEST_ACTOR)
    config = smtp_config(session)
    assert (config.effective_port, config.user, config.rate_per_minute) == (465, "smart", 30)


def test_password_lives_in_the_keyring_only(database, memory_keyring) -> None:
    with unit_of_work(database.sessions, TEST_ACTOR) as session:
        set_setting(session, "smtp.user", "smart@qkss.org", actor=TEST_ACTOR)
    set_smtp_password("smart@qkss.org", SECRET)
    assert memory_keyring.passwords == {(KEYRING_SERVICE, "smart@qkss.org"): SECRET}
    assert smtp_password("smart@qkss.org") == SECRET
    assert smtp_password("someone-else") is None
    with unit_of_work(database.sessions, TEST_ACTOR) as session:
        config = smtp_config_or_none(session)
        for table in Base.metadata.sorted_tables:
            for row in session.execute(select(table)).all():
                assert SECRET not in repr(tuple(row)), table.name
    assert config is None or SECRET not in repr(config)
    assert forget_smtp_password("smart@qkss.org") is True
    assert forget_smtp_password("smart@qkss.org") is False
    assert smtp_password("smart@qkss.org") is None


def smtp_config_or_none(session):
    try:
        return smtp_config(session)
    except SmartconfError:
        return None


def test_without_a_keyring_the_message_says_what_to_do(monkeypatch) -> None:
    monkeypatch.delenv(ENV_SMTP_PASSWORD, raising=False)
    with use_keyring(NoKeyring()):
        for call in (lambda: smtp_password("smart"), lambda: set_smtp_password("smart", "x")):
            with pytest.raises(KeyringUnavailable) as error:
                call()
            assert "no OS keyring" in str(error.value)
            assert ENV_SMTP_PASSWORD in error.value.hint
        monkeypatch.setenv(ENV_SMTP_PASSWORD, SECRET)
        assert smtp_password("smart") == SECRET


def test_environment_variable_wins_over_the_keyring(memory_keyring, monkeypatch) -> None:
    set_smtp_password("smart", "from-keyring")
    monkeypatch.setenv(ENV_SMTP_PASSWORD, "from-environment")
    assert smtp_password("smart") == "from-environment"


# -- the command line --------------------------------------------------------------------------

def cli(capsys, db: Path, *argv: str) -> tuple[int, str, str]:
    code = main(["--db", str(db), "--user", "ana", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_config_commands(capsys, tmp_path: Path) -> None:
    db = tmp_path / "smartconf.db"
    assert cli(capsys, db, "config", "set", "smtp.port", "2525")[:2] == (0, "smtp.port = 2525\n")
    assert cli(capsys, db, "config", "get", "smtp.port")[:2] == (0, "2525\n")
    assert cli(capsys, db, "config", "get", "smtp.security")[1] == \
        "(not set; default: starttls)\n"
    code, out, _ = cli(capsys, db, "config", "get", "smtp.port", "--json")
    assert json.loads(out)["value"] == "2525"
    code, out, _ = cli(capsys, db, "config", "list", "--json")
    listed = {item["key"]: item for item in json.loads(out)}
    assert listed["smtp.port"]["value"] == "2525" and listed["smtp.host"]["value"] is None
    code, out, _ = cli(capsys, db, "config", "list")
    assert code == 0 and "smtp.port" in out and "(default starttls)" in out
    assert cli(capsys, db, "config", "unset", "smtp.port")[:2] == (0, "smtp.port unset.\n")
    assert cli(capsys, db, "config", "get", "smtp.port")[1] == "(not set)\n"


def test_config_errors_name_the_key(capsys, tmp_path: Path) -> None:
    db = tmp_path / "smartconf.db"
    code, out, err = cli(capsys, db, "config", "set", "smtp.port", "99999")
    assert code == 1 and not out and "smtp.port" in err and "65535" in err
    code, _, err = cli(capsys, db, "config", "get", "smtp.nonsense")
    assert code == 1 and "smtp.nonsense" in err and "smtp.host" in err
    code, _, err = cli(capsys, db, "config", "set")
    assert code == 2


def test_set_password_from_stdin(capsys, tmp_path: Path, memory_keyring, monkeypatch) -> None:
    db = tmp_path / "smartconf.db"
    monkeypatch.setattr("sys.stdin", io.StringIO(SECRET + "\n"))
    code, _, err = cli(capsys, db, "config", "set-password", "--stdin")
    assert code == 1 and "smtp.user" in err and not memory_keyring.passwords
    cli(capsys, db, "config", "set", "smtp.user", "smart@qkss.org")
    monkeypatch.setattr("sys.stdin", io.StringIO(SECRET + "\n"))
    code, out, err = cli(capsys, db, "config", "set-password", "--stdin")
    assert code == 0 and SECRET not in out + err
    assert smtp_password("smart@qkss.org") == SECRET
    code, out, _ = cli(capsys, db, "config", "list", "--json")
    assert SECRET not in out
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    code, _, err = cli(capsys, db, "config", "set-password")
    assert code == 1 and "--stdin" in err


def test_set_password_without_keyring(capsys, tmp_path: Path, monkeypatch) -> None:
    db = tmp_path / "smartconf.db"
    monkeypatch.delenv(ENV_SMTP_PASSWORD, raising=False)
    cli(capsys, db, "config", "set", "smtp.user", "smart")
    monkeypatch.setattr("sys.stdin", io.StringIO(SECRET + "\n"))
    with use_keyring(NoKeyring()):
        code, out, err = cli(capsys, db, "config", "set-password", "--stdin")
    assert code == 1 and ENV_SMTP_PASSWORD in err and SECRET not in out + err


def test_check_smtp(capsys, tmp_path: Path) -> None:
    db = tmp_path / "smartconf.db"
    with smtp_server() as server:
        for key, value in (("smtp.host", server.host), ("smtp.port", str(server.port)),
                           ("smtp.security", "none"), ("smtp.sender", "smart@qkss.org")):
            cli(capsys, db, "config", "set", key, value)
        code, out, _ = cli(capsys, db, "config", "check-smtp")
        assert code == 0 and f"{server.host}:{server.port}" in out
        assert not server.messages
    cli(capsys, db, "config", "set", "smtp.port", str(free_port()))
    code, _, err = cli(capsys, db, "config", "check-smtp")
    assert code == 1 and "Cannot use the SMTP server" in err and "smtp.port" in err


def test_sqlite_file_holds_no_password(tmp_path: Path, capsys, memory_keyring,
                                       monkeypatch) -> None:
    db = tmp_path / "smartconf.db"
    cli(capsys, db, "config", "set", "smtp.user", "smart")
    monkeypatch.setattr("sys.stdin", io.StringIO(SECRET + "\n"))
    assert cli(capsys, db, "config", "set-password", "--stdin")[0] == 0
    engine = create_engine(f"sqlite:///{db}")
    with engine.connect() as conn:
        conn.execute(text("PRAGMA wal_checkpoint(FULL)"))
    engine.dispose()
    for path in tmp_path.rglob("*"):
        if path.is_file():
            assert SECRET.encode() not in path.read_bytes(), path
