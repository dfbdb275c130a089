"""Checking real PDFs: render pages with poppler, decode QR codes, extract text."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image


def require_poppler() -> None:
    """Skip when poppler-utils is missing on a developer machine; in CI it must be there."""
    missing = [tool for tool in ("pdftoppm", "pdftotext", "pdffonts") if not shutil.which(tool)]
    if not missing:
        return
    message = f"{', '.join(missing)} not found (Debian: apt-get install poppler-utils)"
    if os.environ.get("CI"):
        pytest.fail(message + "; CI must install it (.ci/install)")
    pytest.skip(message)


def pdf_pages(pdf: bytes, dpi: int = 150) -> list[Image.Image]:
    """The pages rendered by poppler's pdftoppm, as PIL images."""
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder, "badges.pdf")
        source.write_bytes(pdf)
        subprocess.run(["pdftoppm", "-r", str(dpi), "-png", str(source),
                        str(Path(folder, "page"))], check=True)
        pages = sorted(Path(folder).glob("page-*.png"), key=lambda p: int(p.stem[5:]))
        return [Image.open(page).convert("L") for page in pages]


def decoded_codes(pdf: bytes) -> list[str]:
    """Every QR code found on the pages rendered at 150 dpi, page by page."""
    codes = []
    for page in pdf_pages(pdf):
        found = zxingcpp.read_barcodes(page, formats=zxingcpp.BarcodeFormat.QRCode)
        codes += [barcode.text for barcode in found]
    return codes


def pdf_text(pdf: bytes, *options: str) -> str:
    """The text poppler's pdftotext extracts (with ``options``, e.g. a crop or -bbox)."""
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder, "badges.pdf")
        source.write_bytes(pdf)
        return subprocess.run(["pdftotext", "-enc", "UTF-8", *options, str(source), "-"],
                              check=True, capture_output=True, text=True).stdout
