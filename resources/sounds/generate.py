"""Writes the desk's three verdict sounds (16-bit mono PCM, 22,050 Hz) with the stdlib only.

    python resources/sounds/generate.py

admitted.wav: a rising two-tone chime; attention.wav: a double beep; rejected.wav: a low buzz.
Synthesised here from sine waves, so they are ours (same licence as smartconf).
"""

from __future__ import annotations

import math
import struct
import wave
from collections.abc import Callable, Iterable
from pathlib import Path

RATE = 22_050
PEAK = 0.55  # of full scale: loud enough in a hall, no clipping when partials add up
FADE = 0.006  # seconds of fade at each end of a tone (no clicks)


def tone(frequency: float, seconds: float, *, partials: Iterable[tuple[int, float]] = ((1, 1.0),),
         decay: float = 0.0) -> list[float]:
    """A tone of ``frequency`` with harmonic ``partials`` (number, weight), faded at both ends
    and decaying exponentially at ``decay`` per second."""
    partials = tuple(partials)
    weight = sum(w for _, w in partials)
    count = int(seconds * RATE)
    fade = int(FADE * RATE)
    samples = []
    for i in range(count):
        t = i / RATE
        value = sum(w * math.sin(2 * math.pi * frequency * n * t) for n, w in partials) / weight
        envelope = math.exp(-decay * t) * min(1.0, i / fade, (count - 1 - i) / fade)
        samples.append(value * envelope)
    return samples


def silence(seconds: float) -> list[float]:
    return [0.0] * int(seconds * RATE)


def admitted() -> list[float]:
    bell = ((1, 1.0), (2, 0.35), (3, 0.12))
    return (tone(784.0, 0.13, partials=bell, decay=6.0)  # G5
            + tone(1174.7, 0.24, partials=bell, decay=7.0))  # D6


def attention() -> list[float]:
    beep = tone(988.0, 0.09, partials=((1, 1.0), (3, 0.15)))  # B5
    return beep + silence(0.06) + beep


def rejected() -> list[float]:
    odd = tuple((n, 1.0 / n) for n in (1, 3, 5, 7, 9))  # a soft square wave
    return tone(140.0, 0.42, partials=odd, decay=1.5)


SOUNDS: dict[str, Callable[[], list[float]]] = {
    "admitted": admitted, "attention": attention, "rejected": rejected}


def write(path: Path, samples: list[float]) -> None:
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(b"".join(struct.pack("<h", round(s * PEAK * 32767)) for s in samples))


def main() -> None:
    folder = Path(__file__).parent
    for name, make in SOUNDS.items():
        write(folder / f"{name}.wav", make())


if __name__ == "__main__":
    main()
