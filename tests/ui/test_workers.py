"""ui.workers: a job runs off the GUI thread; its result or error comes back on it."""

from __future__ import annotations

import threading

import pytest

from smartconf.ui.workers import Worker


def test_result_arrives_on_the_gui_thread(qtbot):
    worker = Worker()
    ran_on: list[threading.Thread] = []
    received_on: list[threading.Thread] = []
    worker.finished.connect(lambda _result: received_on.append(threading.current_thread()))

    def job() -> bytes:
        ran_on.append(threading.current_thread())
        return b"%PDF-1.4"

    with qtbot.waitSignal(worker.finished, timeout=10_000) as blocker:
        worker.start(job)
        assert worker.is_running()
    assert blocker.args == [b"%PDF-1.4"]
    assert ran_on[0] is not threading.main_thread()
    assert received_on == [threading.main_thread()]
    assert not worker.is_running()


def test_an_error_arrives_as_the_exception(qtbot):
    worker = Worker()

    def job() -> None:
        raise ValueError("no badges to print")

    with qtbot.waitSignal(worker.failed, timeout=10_000) as blocker:
        worker.start(job)
    (error,) = blocker.args
    assert isinstance(error, ValueError) and str(error) == "no badges to print"
    assert not worker.is_running()


def test_one_job_at_a_time(qtbot):
    worker = Worker()
    release = threading.Event()
    with qtbot.waitSignal(worker.finished, timeout=10_000):
        worker.start(lambda: release.wait(10))
        with pytest.raises(RuntimeError):
            worker.start(lambda: None)
        release.set()
