"""One sound per verdict colour, from resources/sounds; silent where there is no audio."""

from __future__ import annotations

from PySide6.QtCore import QObject, QUrl

from smartconf.core.resources import resource_path
from smartconf.ui.desk.multimedia import QMediaDevices, QSoundEffect
from smartconf.ui.desk.verdict_view import Tone

SOUND_FILES = {Tone.ADMITTED: "admitted.wav", Tone.ATTENTION: "attention.wav",
               Tone.REJECTED: "rejected.wav"}


class VerdictSounds(QObject):
    """Plays the chime, the double beep or the buzz. Without an audio output (or a file) it
    stays silent: a desk without sound still admits people."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.effects: dict[Tone, QSoundEffect] = {}
        if QMediaDevices.audioOutputs():
            for tone, name in SOUND_FILES.items():
                path = resource_path("sounds", name)
                if path.is_file():
                    effect = QSoundEffect(self)
                    effect.setSource(QUrl.fromLocalFile(str(path)))
                    self.effects[tone] = effect

    @property
    def audible(self) -> bool:
        """True when there is an audio output to play on."""
        return bool(self.effects)

    def play(self, tone: Tone) -> None:
        """Play the sound of ``tone`` (stopping one still playing); nothing if unavailable."""
        effect = self.effects.get(tone)
        if effect is None or effect.status() is QSoundEffect.Status.Error:
            return
        effect.stop()
        effect.play()
