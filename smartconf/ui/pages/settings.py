"""Settings: the SMTP server that sends the invitations; which database and data folder are in
use, and which version runs."""

from __future__ import annotations

import platform

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import QUrl, qVersion
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from smartconf import __version__
from smartconf.config import Paths
from smartconf.store.database import Database
from smartconf.ui.crm.context import CrmContext, current_actor
from smartconf.ui.formatting import fill
from smartconf.ui.invitations.smtp_settings import SmtpSettingsWidget
from smartconf.ui.models.info import InfoItem, InfoTableModel
from smartconf.ui.pages.base import Page
from smartconf.ui.widgets.heading import heading
from smartconf.ui.widgets.views import table_view

SMTP_WIDTH = 720
INFO_ROWS = 7  # database, schema, data and backups folders, versions of smartconf, Qt, Python


class SettingsPage(Page):
    """The SMTP settings (shared by everyone using this database), then facts about this
    installation."""

    def __init__(self, database: Database, paths: Paths, parent=None, *,
                 actor: str | None = None) -> None:
        super().__init__(database, parent)
        self.paths = paths
        outer = QVBoxLayout(self)
        outer.addWidget(heading(self.tr("Settings")))
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(0, 0, 0, 0)
        smtp_box = QGroupBox(self.tr("Sending invitations (SMTP)"))
        smtp_box.setMaximumWidth(SMTP_WIDTH)
        box_layout = QVBoxLayout(smtp_box)
        self.smtp = SmtpSettingsWidget(CrmContext(database, actor or current_actor()))
        box_layout.addWidget(self.smtp)
        layout.addWidget(smtp_box)
        layout.addWidget(heading(self.tr("This installation"), scale=1.1))
        self.info = InfoTableModel(self)
        self.info_view = table_view(self.info, sort_column=None, widths={InfoTableModel.LABEL: 220})
        self.info_view.setSortingEnabled(False)
        rows = self.info_view.verticalHeader().defaultSectionSize()
        self.info_view.setMinimumHeight(rows * (INFO_ROWS + 1) + 4)
        layout.addWidget(self.info_view, 1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        open_folder = QPushButton(self.tr("Open &data folder"))
        open_folder.clicked.connect(self.open_data_folder)
        buttons.addWidget(open_folder)
        layout.addLayout(buttons)
        scroll = QScrollArea()  # a small window scrolls instead of growing the main window
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(body)
        outer.addWidget(scroll, 1)

    def title(self) -> str:
        return self.tr("Settings")

    def reload(self) -> None:
        self.smtp.reload()
        status = self.database.status()
        if status.up_to_date:
            schema = status.head
        else:
            schema = fill(self.tr("%1 (needs an upgrade to %2)"), status.current or "-",
                          status.head)
        self.info.set_rows([
            InfoItem(self.tr("Database"), self.database.description),
            InfoItem(self.tr("Schema revision"), schema),
            InfoItem(self.tr("Data folder"), str(self.paths.data_dir)),
            InfoItem(self.tr("Backups folder"), str(self.paths.backups_dir)),
            InfoItem(self.tr("smartconf version"), __version__),
            InfoItem(self.tr("Qt version"),
                     f"Qt {qVersion()}, PySide6 {pyside_version}"),
            InfoItem(self.tr("Python version"), platform.python_version()),
        ])

    def open_data_folder(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.paths.data_dir)))
