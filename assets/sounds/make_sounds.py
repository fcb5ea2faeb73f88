"""Make the WAV cues that coach plays.

Each cue is a few sine notes with short linear fades, so nothing clicks. The output is
deterministic: running the script twice gives identical bytes, and the tests compare the
committed files with a fresh render.

    python assets/sounds/make_sounds.py            # write next to this script
    python assets/sounds/make_sounds.py --out DIR  # write somewhere else
"""

from __future__ import annotations

import argparse
import io
import math
import wave
from array import array
from pathlib import Path

RATE = 22050  # samples a second
FADE = 0.008  # seconds of fade-in and fade-out on every note

# Note frequencies in hertz.
C5, E5, G5, C6 = 523.25, 659.25, 783.99, 1046.50
A5, B5, E6, FS5, A6 = 880.00, 987.77, 1318.51, 739.99, 1760.00
E4 = 329.63

# A note is (frequency, seconds, loudness from 0 to 1); a frequency of 0 is silence.
Note = tuple[float, float, float]

CUES: dict[str, list[Note]] = {
    # 3-2-1: one short, high, dry blip.
    "tick": [(A6, 0.06, 0.5)],
    # Work starts: a bright step up.
    "go": [(A5, 0.10, 0.6), (E6, 0.14, 0.6)],
    # Hold done, lower now: a step down.
    "hold_done": [(G5, 0.15, 0.6), (C5, 0.20, 0.6)],
    # Switch sides: high-low-high, quick.
    "switch": [(B5, 0.07, 0.55), (0, 0.02, 0), (FS5, 0.07, 0.55), (0, 0.02, 0), (B5, 0.09, 0.55)],
    # Rest starts: one soft low tone.
    "rest": [(E4, 0.50, 0.35)],
    # Finished: a rising C major arpeggio that rings out on the top note.
    "finish": [(C5, 0.15, 0.5), (E5, 0.15, 0.5), (G5, 0.15, 0.5), (C6, 0.65, 0.5)],
}


def render_note(freq: float, seconds: float, loudness: float) -> list[float]:
    """One note as samples from -1 to 1, faded in and out; silence if freq is 0."""
    count = round(seconds * RATE)
    fade = round(FADE * RATE)
    samples = []
    for i in range(count):
        envelope = min(1.0, i / fade, (count - 1 - i) / fade)
        # A little second harmonic makes the tone brighter than a pure sine.
        phase = 2 * math.pi * freq * i / RATE
        samples.append(loudness * envelope * (0.85 * math.sin(phase) + 0.15 * math.sin(2 * phase)))
    return samples


def render(notes: list[Note]) -> bytes:
    """A whole cue as the bytes of a 16-bit mono WAV file."""
    pcm = array("h")
    for freq, seconds, loudness in notes:
        pcm.extend(round(32767 * s) for s in render_note(freq, seconds, loudness))
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(pcm.tobytes())
    return buffer.getvalue()


def render_all() -> dict[str, bytes]:
    """Every cue: file name to WAV bytes."""
    return {f"{name}.wav": render(notes) for name, notes in CUES.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write coach's WAV cues.")
    parser.add_argument(
        "--out", type=Path, default=Path(__file__).parent, help="directory to write to"
    )
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    for name, data in render_all().items():
        (args.out / name).write_bytes(data)
        print(f"{args.out / name}  {len(data) / 1024:.1f} KB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
