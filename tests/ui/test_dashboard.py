"""The dashboard: commitments on each card, donor charts, a refresh timer only while shown."""

from __future__ import annotations

import re

from PySide6.QtWidgets import QLabel

from smartconf.ui.pages.dashboard import DashboardPage


def test_cards_charts_and_refresh(window, qtbot) -> None:
    window.show_page(0)
    page = window.page(DashboardPage)
    texts = [label.text() for label in page.findChildren(QLabel)]
    commitments = [t for t in texts if t.startswith("Commitments:")]
    assert commitments, "every card says how many commitments are open and overdue"
    assert any(re.search(r"[1-9]\d* overdue", t) for t in commitments)
    qtbot.waitUntil(lambda: not page.worker.is_running()
                    and all(not label.pixmap().isNull() for label in page.chart_labels.values()),
                    timeout=20_000)
    assert page.timer.isActive()
    window.show_page(1)
    assert not page.timer.isActive()
