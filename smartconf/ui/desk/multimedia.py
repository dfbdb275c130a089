"""Qt Multimedia, imported once its logging categories are quiet.

On machines without PipeWire or VA-API, loading the multimedia backend logs warnings under
``qt.multimedia.*`` (harmless: the desk then has no camera or no sound). Those categories are
switched off before the module is imported; every desk module imports multimedia from here.
"""

from __future__ import annotations

from PySide6.QtCore import QLoggingCategory

MULTIMEDIA_LOG_RULES = "qt.multimedia.*=false"

QLoggingCategory.setFilterRules(MULTIMEDIA_LOG_RULES)

from PySide6.QtMultimedia import (  # noqa: E402
    QCamera,
    QCameraDevice,
    QMediaCaptureSession,
    QMediaDevices,
    QSoundEffect,
    QVideoFrame,
    QVideoFrameFormat,
    QVideoSink,
)
from PySide6.QtMultimediaWidgets import QVideoWidget  # noqa: E402

__all__ = ["QCamera", "QCameraDevice", "QMediaCaptureSession", "QMediaDevices", "QSoundEffect",
           "QVideoFrame", "QVideoFrameFormat", "QVideoSink", "QVideoWidget"]
