"""The webcam scanner: camera frames in, badge codes out (zxing-cpp, off the GUI thread).

Frames arrive at the camera's rate (30 per second); a few per second are decoded, never more
than one at a time, each on the thread pool. A code seen again within the cooldown (a badge
held in front of the camera) is reported once.
"""

from __future__ import annotations

import time

import zxingcpp
from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QImage

from smartconf.ui.desk.multimedia import (
    QCamera,
    QCameraDevice,
    QMediaCaptureSession,
    QMediaDevices,
    QVideoFrame,
    QVideoFrameFormat,
    QVideoSink,
    QVideoWidget,
)
from smartconf.ui.workers import Worker

DECODE_INTERVAL = 0.25  # seconds between two decodes: four frames a second at most
COOLDOWN = 3.0  # seconds a code must be out of sight before it is reported again

_PF = QVideoFrameFormat.PixelFormat
# Pixel formats whose first plane is 8-bit luminance: a grey image with no conversion.
_LUMA_FIRST = frozenset({_PF.Format_NV12, _PF.Format_NV21, _PF.Format_YUV420P,
                         _PF.Format_YUV422P, _PF.Format_YV12, _PF.Format_IMC1, _PF.Format_IMC2,
                         _PF.Format_IMC3, _PF.Format_IMC4, _PF.Format_Y8})


def video_inputs() -> list[QCameraDevice]:
    """The cameras of this computer (empty: the camera button is hidden)."""
    return list(QMediaDevices.videoInputs())


def frame_to_grey(frame: QVideoFrame) -> QImage | None:
    """A grey copy of ``frame`` (what the decoder needs), or None for an empty frame.

    Luminance planes and RGB frames are read from memory; other formats go through
    ``QVideoFrame.toImage``.
    """
    if not frame.isValid():
        return None
    pixel_format = frame.pixelFormat()
    image_format = QVideoFrameFormat.imageFormatFromPixelFormat(pixel_format)
    if (pixel_format in _LUMA_FIRST or image_format != QImage.Format.Format_Invalid) \
            and frame.map(QVideoFrame.MapMode.ReadOnly):
        try:
            wrapped = QImage(frame.bits(0), frame.width(), frame.height(), frame.bytesPerLine(0),
                             QImage.Format.Format_Grayscale8 if pixel_format in _LUMA_FIRST
                             else image_format)
            return wrapped.convertToFormat(QImage.Format.Format_Grayscale8).copy()
        finally:
            frame.unmap()
    image = frame.toImage()
    return None if image.isNull() else image.convertToFormat(QImage.Format.Format_Grayscale8)


def decode_qr(image: QImage) -> list[str]:
    """The texts of the QR codes in ``image``."""
    return [barcode.text for barcode in
            zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)]


class CameraScanner(QObject):
    """Decodes the frames of ``sink`` (its own, or a preview's) and emits each new code."""

    code_read = Signal(str)
    failed = Signal(str)

    def __init__(self, parent: QObject | None = None, *, interval: float = DECODE_INTERVAL,
                 cooldown: float = COOLDOWN) -> None:
        super().__init__(parent)
        self.interval = interval
        self.cooldown = cooldown
        self.sink = QVideoSink(self)
        self.sink.videoFrameChanged.connect(self._on_frame)
        self.camera: QCamera | None = None
        self.capture: QMediaCaptureSession | None = None
        self._decoder = Worker(self)
        self._decoder.finished.connect(self._on_decoded)
        self._decoder.failed.connect(self._on_decode_failed)
        self._last_decode = float("-inf")
        self._last_seen: dict[str, float] = {}
        self.frames_decoded = 0

    # --- the camera ---------------------------------------------------------------------

    def start(self, device: QCameraDevice | None = None,
              preview: QVideoWidget | None = None) -> None:
        """Open ``device`` (default: the system's default camera), showing it in ``preview``."""
        self.stop()
        self.camera = QCamera(device or QMediaDevices.defaultVideoInput(), self)
        self.camera.errorOccurred.connect(lambda _error, text: self.failed.emit(text))
        self.capture = QMediaCaptureSession(self)
        self.capture.setCamera(self.camera)
        if preview is not None:
            self.capture.setVideoOutput(preview)
            preview.videoSink().videoFrameChanged.connect(self._on_frame)
        else:
            self.capture.setVideoSink(self.sink)
        self.camera.start()

    def stop(self) -> None:
        """Close the camera (the sink stays usable)."""
        if self.camera is not None:
            self.camera.stop()
            self.camera.deleteLater()
            self.capture.deleteLater()
            self.camera = self.capture = None

    @property
    def running(self) -> bool:
        return self.camera is not None and self.camera.isActive()

    # --- frames -------------------------------------------------------------------------

    def _on_frame(self, frame: QVideoFrame) -> None:
        now = time.monotonic()
        if self._decoder.is_running() or now - self._last_decode < self.interval:
            return
        image = frame_to_grey(frame)
        if image is None:
            return
        self._last_decode = now
        self._decoder.start(lambda: decode_qr(image))

    def _on_decoded(self, texts: list[str]) -> None:
        self.frames_decoded += 1
        now = time.monotonic()
        for text in texts:
            seen = self._last_seen.get(text)
            self._last_seen[text] = now
            if seen is None or now - seen > self.cooldown:
                self.code_read.emit(text)
        self._last_seen = {t: s for t, s in self._last_seen.items() if now - s <= self.cooldown}

    def _on_decode_failed(self, exc: BaseException) -> None:
        self.frames_decoded += 1
        self.failed.emit(str(exc))
