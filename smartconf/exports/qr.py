"""QR matrices for badge codes (drawing is the renderer's business)."""

from __future__ import annotations

import zxingcpp

QUIET_ZONE = 4  # modules of white around the symbol, the minimum the QR standard asks for
ERROR_CORRECTION = "M"  # 15 % of the symbol may be damaged; a 15-character code fits version 1
_DARK = 0  # zxing-cpp images: 0 is a dark module, 255 a light one

QrMatrix = tuple[tuple[bool, ...], ...]


def qr_matrix(text: str) -> QrMatrix:
    """The modules of the QR code for ``text`` (rows top to bottom, True = dark), without the
    quiet zone. Error correction is fixed at M, so a badge code always gives the same symbol."""
    barcode = zxingcpp.create_barcode(text, zxingcpp.BarcodeFormat.QRCode,
                                      ec_level=ERROR_CORRECTION)
    image = barcode.to_image(scale=1, add_quiet_zones=False)
    height, width = image.shape[:2]
    pixels = memoryview(image).tobytes()
    return tuple(tuple(pixels[row * width + col] == _DARK for col in range(width))
                 for row in range(height))


def dark_rectangles(matrix: QrMatrix) -> list[tuple[int, int, int, int]]:
    """Dark modules merged into rectangles ``(column, row, width, height)`` in module units.

    Runs of dark modules in a row become one rectangle, and a run repeated at the same place
    in the rows below grows it downwards: a version-1 code needs ~100 rectangles, not ~220.
    """
    open_runs: dict[tuple[int, int], list[int]] = {}  # (col, width) -> [row, height]
    done: list[tuple[int, int, int, int]] = []
    for row, modules in enumerate(matrix):
        runs = set(_runs(modules))
        for key in list(open_runs):
            if key not in runs:
                top, height = open_runs.pop(key)
                done.append((key[0], top, key[1], height))
        for key in runs:
            if key in open_runs:
                open_runs[key][1] += 1
            else:
                open_runs[key] = [row, 1]
    done += [(col, top, width, height) for (col, width), (top, height) in open_runs.items()]
    return sorted(done, key=lambda r: (r[1], r[0]))


def _runs(modules: tuple[bool, ...]) -> list[tuple[int, int]]:
    """``(start, length)`` of each run of dark modules."""
    runs, start = [], None
    for col, dark in enumerate((*modules, False)):
        if dark and start is None:
            start = col
        elif not dark and start is not None:
            runs.append((start, col - start))
            start = None
    return runs
