"""The walk-in's badge, straight out: to a printer, or to a PDF file opened in the viewer.

With a printer installed, the print dialog opens on it (the last one used is remembered by
the system). Without one (a desk laptop with no badge printer), the PDF is saved in the desk
folder and opened with the system's PDF viewer, which can print it or send it on.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QCoreApplication, QIODevice, QPoint, QSize, QUrl
from PySide6.QtGui import QDesktopServices, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrinterInfo
from PySide6.QtWidgets import QWidget

BADGE_FOLDER = "badges"


def has_printer() -> bool:
    """True when the system has at least one printer."""
    return bool(QPrinterInfo.availablePrinters())


def save_badge(pdf: bytes, folder: Path, participant_id: int | None) -> Path:
    """Write the badge PDF under ``folder``/badges (named by participant, never by name)."""
    target = folder / BADGE_FOLDER
    target.mkdir(parents=True, exist_ok=True)
    path = target / f"badge-{participant_id if participant_id is not None else 'walk-in'}.pdf"
    path.write_bytes(pdf)
    return path


def open_badge(path: Path) -> bool:
    """Open the saved PDF with the system's viewer."""
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


def print_pdf(pdf: bytes, printer: QPrinter) -> int:
    """Print every page of ``pdf`` on ``printer`` at its resolution; returns the pages."""
    data = QByteArray(pdf)
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document = QPdfDocument()
    document.load(buffer)
    painter = QPainter()
    if not painter.begin(printer):
        return 0
    try:
        dpi = printer.resolution()
        for page in range(document.pageCount()):
            if page:
                printer.newPage()
            points = document.pagePointSize(page)
            size = QSize(round(points.width() / 72 * dpi), round(points.height() / 72 * dpi))
            painter.drawImage(QPoint(0, 0), document.render(page, size))
        return document.pageCount()
    finally:
        painter.end()
        document.close()


def deliver_badge(pdf: bytes, folder: Path, participant_id: int | None,
                  parent: QWidget | None = None) -> Path | None:
    """Print the badge (print dialog) when there is a printer, else save and open it.

    Returns the saved file, or None when it went to the print dialog."""
    if has_printer():
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, parent)
        dialog.setWindowTitle(QCoreApplication.translate("desk", "Print the badge"))
        if dialog.exec() == QPrintDialog.DialogCode.Accepted:
            print_pdf(pdf, printer)
        return None
    path = save_badge(pdf, folder, participant_id)
    open_badge(path)
    return path
