"""A desk that loses the PostgreSQL server mid-burst keeps admitting from its snapshot into its
journal, and replays the journal when the server is back: exact counts, double admissions
listed for review, nothing lost, nothing written twice.

The server is taken away from one desk only: that desk talks to it through a small TCP proxy
started by the test, which is cut (every connection closed, the port refused) and restored.
"""

from __future__ import annotations

import contextlib
import json
import shutil
import socket
import threading
from collections.abc import Iterator

import pytest
from sqlalchemy import select
from sqlalchemy.engine import make_url

from smartconf.__main__ import main
from smartconf.config import resolve_paths
from smartconf.core.enums import CheckInMethod, ParticipantStatus, Verdict
from smartconf.core.errors import DatabaseUnreachable
from smartconf.models import CheckIn, Conference, Participant
from smartconf.services.desk import Desk, ReplayReport
from smartconf.services.invitations import set_status
from smartconf.store.database import Database, open_database
from smartconf.store.session import unit_of_work
from tests.integration.test_desk import ACTOR, CODE, seed

pytestmark = pytest.mark.pg


class CuttableProxy:
    """Forwards 127.0.0.1:port to the server; ``cut()`` drops every connection and refuses new
    ones, ``restore()`` listens again on the same port."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.port = 0
        self._listener: socket.socket | None = None
        self._sockets: set[socket.socket] = set()
        self._threads: list[threading.Thread] = []
        self._lock = threading.Lock()

    def restore(self) -> None:
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(16)
        listener.settimeout(0.05)
        self.port = listener.getsockname()[1]
        self._listener = listener
        self._spawn(self._accept, listener)

    def cut(self) -> None:
        listener, self._listener = self._listener, None
        with self._lock:
            doomed, self._sockets = self._sockets, set()
        for sock in doomed:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
        self._join()
        for sock in doomed:
            sock.close()
        if listener is not None:
            listener.close()

    def _spawn(self, target, *args) -> None:
        thread = threading.Thread(target=target, args=args, daemon=True)
        self._threads.append(thread)
        thread.start()

    def _join(self) -> None:
        threads, self._threads = self._threads, []
        for thread in threads:
            thread.join(timeout=5)

    def _accept(self, listener: socket.socket) -> None:
        while self._listener is listener:
            try:
                client, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            client.settimeout(None)
            try:
                upstream = socket.create_connection(self.target)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._sockets |= {client, upstream}
            self._spawn(self._pump, client, upstream)
            self._spawn(self._pump, upstream, client)

    @staticmethod
    def _pump(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        with contextlib.suppress(OSError):
            sink.shutdown(socket.SHUT_WR)


@pytest.fixture
def server(pg_url: str) -> Iterator[Database]:
    database = open_database(pg_url)
    yield database
    database.dispose()


@pytest.fixture
def proxy(pg_url: str) -> Iterator[CuttableProxy]:
    url = make_url(pg_url)
    proxy = CuttableProxy((url.host or "127.0.0.1", url.port or 5432))
    proxy.restore()
    yield proxy
    proxy.cut()


def through(proxy: CuttableProxy, pg_url: str) -> str:
    return make_url(pg_url).set(host="127.0.0.1", port=proxy.port).render_as_string(
        hide_password=False)


def admissions(database: Database) -> list[tuple[int, str]]:
    """(participant id, desk) of every valid admission on the server."""
    with unit_of_work(database.sessions, ACTOR) as session:
        return list(session.execute(select(CheckIn.participant_id, CheckIn.desk)
                                    .where(CheckIn.voided_at.is_(None))).all())


def test_offline_burst_then_replay_gives_exact_counts(server, pg_url, proxy, tmp_path) -> None:
    seeded = seed(server, extra=30)
    codes = seeded.extra
    desk_a = Desk(through(proxy, pg_url), CODE, "Desk A", "arta", journal_dir=tmp_path / "a",
                  retry_after=0)
    desk_b = Desk(pg_url, CODE, "Desk B", "besnik", journal_dir=tmp_path / "b")
    try:
        assert all(not v.offline and v.verdict is Verdict.ADMITTED
                   for v in map(desk_a.scan, codes[:10]))
        proxy.cut()  # mid-burst
        burst = [desk_a.scan(code) for code in codes[10:20]]
        assert [(v.verdict, v.offline) for v in burst] == [(Verdict.ADMITTED, True)] * 10
        assert not desk_a.online and "cannot be reached" in desk_a.last_error
        assert desk_a.pending == 10
        seen_online = desk_a.scan(codes[3])  # admitted before the cut: known to the snapshot
        seen_offline = desk_a.scan(codes[12])  # admitted offline: known to the journal
        for again in (seen_online, seen_offline):
            assert (again.verdict, again.offline, again.previous.desk) == (
                Verdict.ALREADY_CHECKED_IN, True, "Desk A")
        assert desk_b.scan(codes[15]).verdict is Verdict.ADMITTED  # Desk A has it offline
        assert desk_b.scan(codes[25]).verdict is Verdict.ADMITTED
        assert desk_a.counts().checked_in == 20  # what Desk A knows
        assert len(admissions(server)) == 12

        proxy.restore()
        back = desk_a.scan(codes[20])
        assert desk_a.online and desk_a.last_error is None
        assert (back.verdict, back.offline) == (Verdict.ADMITTED, False)
        report = desk_a.last_replay
        assert (report.replayed, report.unchanged, report.pending) == (9, 0, 0)
        (double,) = report.duplicates
        assert double.name == "Guest Number 0015" and double.desk == "Desk A"
        assert double.previous.desk == "Desk B" and not report.rejected
        assert desk_a.review() == [double]
        assert desk_a.pending == 0

        stored = admissions(server)
        scanned = set(codes[:21]) | {codes[25]}
        assert len(stored) == len({pid for pid, _ in stored}) == len(scanned) == 22
        assert desk_a.replay() == ReplayReport()  # a second replay changes nothing
        assert len(admissions(server)) == 22
        assert desk_a.counts().checked_in == 22
        assert desk_a.scan(codes[15]).previous.desk == "Desk B"
    finally:
        desk_a.close()
        desk_b.close()


def test_offline_verdicts_match_the_online_ones(server, pg_url, proxy, tmp_path) -> None:
    seeded = seed(server)
    online = Desk(pg_url, CODE, "Desk B", "besnik", journal_dir=tmp_path / "b")
    offline = Desk(through(proxy, pg_url), CODE, "Desk A", "arta", journal_dir=tmp_path / "a")
    try:
        proxy.cut()
        red = [seeded.codes["andjelkovic"], seeded.revoked, seeded.other_conference,
               "1" + "0" * 13 + "0", "not a code"]
        for code in red:
            there, here = online.scan(code), offline.scan(code)
            assert here.offline and not there.offline
            assert (here.verdict, here.reason) == (there.verdict, there.reason)
            # the snapshot keeps no names of other conferences' participants
            assert here.name == (None if code == seeded.other_conference else there.name)
        vip, noted = (offline.scan(seeded.codes[k]) for k in ("berisha", "krasniqi"))
        assert vip.verdict is noted.verdict is Verdict.ADMITTED
        assert vip.tone == noted.tone == "amber" and noted.note
        (found,) = offline.search("colic")
        assert found.name == "Ђорђе Чолић" and found.checked_in_at is None
        assert offline.admit_participant(found.id).offline
        assert offline.search("Чолић")[0].checked_in_at is not None
        assert offline.counts().checked_in == 3
        with pytest.raises(DatabaseUnreachable):
            offline.walk_in("Era", "Hoxha", "", "participant")
    finally:
        online.close()
        offline.close()
    proxy.restore()
    with Desk(through(proxy, pg_url), CODE, "Desk A", "arta",
              journal_dir=tmp_path / "a") as again:
        assert again.last_replay.replayed == 3
    with unit_of_work(server.sessions, ACTOR) as session:
        methods = session.scalars(select(CheckIn.method).order_by(CheckIn.id)).all()
    assert methods == [CheckInMethod.SCAN, CheckInMethod.SCAN, CheckInMethod.SEARCH]


def test_a_journal_left_by_a_crash_is_replayed_once(server, pg_url, proxy, tmp_path) -> None:
    seeded = seed(server, extra=5)
    folder = tmp_path / "a"
    desk = Desk(through(proxy, pg_url), CODE, "Desk A", "arta", journal_dir=folder)
    proxy.cut()
    for code in seeded.extra[:3]:
        assert desk.scan(code).offline
    journal = desk.journal_path
    desk.close()  # the laptop dies before the server is back
    with journal.open("ab") as handle:  # ... in the middle of writing a line
        handle.write(b'{"v":1,"type":"admit","nonce":"0f')
    saved = tmp_path / "journal-before-replay"
    shutil.copy(journal, saved)

    with Desk(through(proxy, pg_url), CODE, "Desk A", "arta", journal_dir=folder) as desk:
        assert not desk.online and desk.pending == 3  # started offline, from the snapshot
        assert desk.scan(seeded.extra[3]).offline
        assert desk.scan(seeded.extra[0]).verdict is Verdict.ALREADY_CHECKED_IN
    proxy.restore()
    with Desk(through(proxy, pg_url), CODE, "Desk A", "arta", journal_dir=folder) as desk:
        assert desk.online and desk.last_replay.replayed == 4 and desk.pending == 0
    assert len(admissions(server)) == 4

    shutil.copy(saved, journal)  # as if the replay had never been written down
    with Desk(through(proxy, pg_url), CODE, "Desk A", "arta", journal_dir=folder) as desk:
        report = desk.last_replay
        assert (report.replayed, report.unchanged, report.duplicates) == (0, 3, ())
    assert len(admissions(server)) == 4


def test_an_offline_admission_undone_is_never_replayed(server, pg_url, proxy,
                                                       tmp_path) -> None:
    seeded = seed(server, extra=3)
    first, second = seeded.extra[:2]
    with Desk(through(proxy, pg_url), CODE, "Desk A", "arta", journal_dir=tmp_path) as desk:
        proxy.cut()
        assert desk.scan(first).offline and desk.scan(second).offline
        assert desk.undo_last("wrong person") is True
        assert desk.pending == 1 and desk.counts().checked_in == 1
        assert desk.scan(second).verdict is Verdict.ADMITTED  # the right one this time
        proxy.restore()
        report = desk.replay()
        assert report.replayed == 2 and desk.undo_last("too late?") is True  # online now
    with unit_of_work(server.sessions, ACTOR) as session:
        rows = session.execute(select(CheckIn.voided_at.is_(None), CheckIn.void_reason)
                               .order_by(CheckIn.id)).all()
    assert [tuple(r) for r in rows] == [(True, None), (False, "too late?")]


def test_scans_retry_the_server_at_most_every_few_seconds(server, pg_url, proxy,
                                                          tmp_path) -> None:
    seeded = seed(server, extra=3)
    with Desk(through(proxy, pg_url), CODE, "Desk A", "arta", journal_dir=tmp_path,
              retry_after=3600) as desk:
        proxy.cut()
        assert desk.scan(seeded.extra[0]).offline
        proxy.restore()
        assert desk.scan(seeded.extra[1]).offline  # the last failure is too recent
        assert desk.refresh_snapshot() is None and not desk.online
        assert desk.replay().replayed == 2  # an explicit replay tries at once
        assert desk.online and not desk.scan(seeded.extra[2]).offline
    assert len(admissions(server)) == 3


def test_without_server_and_snapshot_a_desk_cannot_start(pg_url, proxy, tmp_path) -> None:
    url = through(proxy, pg_url)
    proxy.cut()
    with pytest.raises(DatabaseUnreachable):
        Desk(url, CODE, "Desk A", "arta", journal_dir=tmp_path)
    assert not any(tmp_path.glob("*.journal.jsonl")) or all(
        p.stat().st_size == 0 for p in tmp_path.glob("*.journal.jsonl"))



def test_cli_shows_and_replays_a_desk_journal(server, pg_url, proxy, tmp_path, capsys) -> None:
    seeded = seed(server, extra=2)
    home = tmp_path / "home"
    url = through(proxy, pg_url)
    desk = Desk(url, CODE, "Desk A", "arta", journal_dir=resolve_paths(home).journal_dir)
    proxy.cut()
    assert all(desk.scan(code).offline for code in seeded.extra)
    desk.close()
    with Desk(pg_url, CODE, "Desk B", "besnik", journal_dir=tmp_path / "b") as other:
        other.scan(seeded.extra[1])
    argv = ["--data-dir", str(home), "--db", url, "--user", "arta", "desk"]
    where = ["--conference", CODE.lower(), "--desk", "Desk A"]

    assert main([*argv, "status", *where, "--json"]) == 0
    status = json.loads(capsys.readouterr().out)
    assert (status["pending"], status["review"]) == (2, [])
    assert main([*argv, "replay", *where]) == 1
    error = capsys.readouterr().err
    assert "2 offline admission(s) stay in the journal" in error and len(error.splitlines()) == 1

    proxy.restore()
    assert main([*argv, "replay", *where, "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert (report["replayed"], report["pending"], report["rejected"]) == (1, 0, [])
    (double,) = report["duplicates"]
    assert (double["name"], double["previous"]["desk"]) == ("Guest Number 0001", "Desk B")
    assert main([*argv, "status", *where]) == 0
    out = capsys.readouterr().out
    assert "0 offline admission(s) waiting" in out and "1 to review" in out
    assert "Guest Number 0001: admitted offline at" in out and "at Desk B" in out
    assert len(admissions(server)) == 2


def test_replay_lists_admissions_the_server_refuses(server, pg_url, proxy, tmp_path) -> None:
    seeded = seed(server, extra=3)
    cancelled, deleted, kept = seeded.extra
    with unit_of_work(server.sessions, ACTOR) as session:
        ids = dict(session.execute(select(Participant.badge_code, Participant.id)
                                   .where(Participant.badge_code.in_(seeded.extra))).all())
    with Desk(through(proxy, pg_url), CODE, "Desk A", "arta", journal_dir=tmp_path) as desk:
        proxy.cut()
        assert desk.scan(cancelled).offline and desk.scan(kept).offline
        assert desk.admit_participant(ids[deleted]).offline
        with unit_of_work(server.sessions, ACTOR) as session:
            conference = session.scalar(select(Conference).where(Conference.code == CODE))
            set_status(session, conference, [ids[cancelled]], ParticipantStatus.CANCELLED,
                       actor=ACTOR)
            session.delete(session.get(Participant, ids[deleted]))
        proxy.restore()
        report = desk.replay()
        assert (report.replayed, report.duplicates, report.pending) == (1, (), 0)
        reasons = {item.participant_id: item.reason for item in report.rejected}
        assert reasons[ids[cancelled]] == "badge revoked (participation cancelled)"
        assert str(ids[deleted]) in reasons[ids[deleted]]
        assert [item.participant_id for item in desk.review()] == [
            item.participant_id for item in report.rejected]
    assert [pid for pid, _ in admissions(server)] == [ids[kept]]
