"""The command line: each command, its JSON, and one clear line on bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from smartconf import __version__
from smartconf.__main__ import main


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_version_through_the_real_entry_point() -> None:
    result = subprocess.run([sys.executable, "-m", "smartconf", "--version"],
                            capture_output=True, text=True, check=True)
    assert result.stdout.strip() == f"smartconf {__version__}"


def _all_commands(parser=None, prefix=()) -> list[list[str]]:
    """Every command and sub-command of the real parser, walked from the top."""
    import argparse

    from smartconf.cli import build_parser

    parser = parser or build_parser()
    found = [list(prefix)]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found += _all_commands(sub, (*prefix, name))
    return found


@pytest.mark.parametrize("command", _all_commands(), ids=lambda c: " ".join(c) or "smartconf")
def test_every_command_has_help(capsys, command: list[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main([*command, "--help"])
    assert exit_info.value.code == 0
    assert "usage: smartconf" in capsys.readouterr().out


def test_db_upgrade_status_backup(capsys, tmp_path: Path) -> None:
    home = str(tmp_path / "home")
    code, out, _ = run(capsys, "--data-dir", home, "db", "status", "--json")
    assert code == 0 and json.loads(out)["revision"] is None
    code, out, _ = run(capsys, "--data-dir", home, "db", "upgrade", "--json")
    assert code == 0 and json.loads(out)["upgraded"] is True
    code, out, _ = run(capsys, "db", "status", "--json", "--data-dir", home)
    status = json.loads(out)
    assert code == 0 and status["up_to_date"] is True and status["revision"] == status["head"]
    code, out, _ = run(capsys, "--data-dir", home, "db", "backup", "--json")
    assert code == 0 and Path(json.loads(out)["backup"]).is_file()


def test_environment_chooses_data_folder_and_database(capsys, tmp_path: Path,
                                                      monkeypatch) -> None:
    monkeypatch.setenv("SMARTCONF_HOME", str(tmp_path / "envhome"))
    run(capsys, "db", "upgrade")
    assert (tmp_path / "envhome" / "smartconf.db").is_file()
    monkeypatch.setenv("SMARTCONF_DB", str(tmp_path / "other.db"))
    run(capsys, "db", "upgrade")
    assert (tmp_path / "other.db").is_file()
    code, out, _ = run(capsys, "--db", str(tmp_path / "third.db"), "db", "status")
    assert code == 0 and "third.db" in out


def test_conferences_list_on_an_empty_database(capsys, tmp_path: Path) -> None:
    code, out, _ = run(capsys, "--data-dir", str(tmp_path), "conferences", "list", "--json")
    assert code == 0 and json.loads(out) == []


def _one_error_line(code: int, out: str, err: str) -> str:
    assert code == 1, (code, out, err)
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("smartconf: ")
    return lines[0]


def test_unknown_conference_code(capsys, tmp_path: Path) -> None:
    line = _one_error_line(*run(capsys, "--data-dir", str(tmp_path), "checkin",
                                "--conference", "NOPE", "--desk", "1", "1ABC"))
    assert "Unknown conference code 'NOPE'" in line


def test_not_a_database(capsys, tmp_path: Path) -> None:
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"\x00\x01binary junk" * 100)
    line = _one_error_line(*run(capsys, "--db", str(junk), "conferences", "list"))
    assert "not a smartconf database" in line
    assert junk.read_bytes() == b"\x00\x01binary junk" * 100


def test_unwritable_data_folder(capsys, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    line = _one_error_line(*run(capsys, "--data-dir", str(blocker / "data"), "db", "status"))
    assert "data folder" in line and "cannot be created" in line


def test_unreachable_server(capsys) -> None:
    line = _one_error_line(*run(capsys, "--db", "postgresql+psycopg://postgres@127.0.0.1:1/x",
                                "conferences", "list"))
    assert "cannot be reached" in line


def test_bad_usage_exits_2_with_one_line(capsys) -> None:
    code, out, err = run(capsys, "conferences", "frobnicate")
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and "--help" in err
