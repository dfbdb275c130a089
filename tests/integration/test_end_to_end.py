"""The thin path through every layer, from the command line: demo data, badge PDF, QR codes
decoded from the rendered pages, admitted once at the desk, "already checked in" the second
time."""

from __future__ import annotations

import json
from pathlib import Path

from smartconf.__main__ import main
from tests.pdftools import decoded_codes, pdf_text, require_poppler


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_demo_badges_and_checkin(capsys, tmp_path: Path) -> None:
    require_poppler()
    home = ["--data-dir", str(tmp_path / "home"), "--user", "desk-operator"]
    assert _run(capsys, *home, "demo")[0] == 0
    code, out, _ = _run(capsys, *home, "conferences", "list", "--json")
    conferences = json.loads(out)
    assert len(conferences) == 3
    assert {"code", "title", "starts_at", "ends_at", "venue"} <= set(conferences[0])
    conference = conferences[1]["code"]  # not the running one: nobody checked in yet

    pdf_path = tmp_path / "badges.pdf"
    code, _, err = _run(capsys, *home, "badges", "--conference", conference, "-o", str(pdf_path))
    assert code == 0, err
    pdf = pdf_path.read_bytes()
    codes = decoded_codes(pdf)
    assert len(codes) >= 20 and len(set(codes)) == len(codes)

    first = codes[0]
    code, out, _ = _run(capsys, *home, "checkin", "--conference", conference, "--desk", "Desk 1",
                        first, "--json")
    admitted = json.loads(out)
    assert code == 0 and admitted["verdict"] == "admitted"
    assert admitted["name"] and admitted["role"]
    assert admitted["name"].split()[0] in pdf_text(pdf)

    code, out, _ = _run(capsys, *home, "checkin", "--conference", conference, "--desk", "Desk 2",
                        first.lower(), "--json")
    again = json.loads(out)
    assert code == 0 and again["verdict"] == "already_checked_in"
    assert again["previous"]["desk"] == "Desk 1"
    assert again["name"] == admitted["name"]

    tampered = first[:5] + ("A" if first[5] != "A" else "B") + first[6:]
    code, out, _ = _run(capsys, *home, "checkin", "--conference", conference, "--desk", "Desk 1",
                        tampered, "--json")
    rejected = json.loads(out)
    assert rejected["verdict"] == "rejected" and "check character" in rejected["reason"]
    assert rejected["name"] is None

    other = conferences[2]["code"]
    code, out, _ = _run(capsys, *home, "checkin", "--conference", other, "--desk", "Desk 1",
                        codes[1], "--json")
    assert json.loads(out)["reason"] == f"badge for another conference ({conference})"
