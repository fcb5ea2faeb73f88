"""The committed WAV cues: valid, short, distinct, faded, and exactly what the script makes."""

from __future__ import annotations

import importlib.util
import io
import itertools
import wave
from array import array
from pathlib import Path
from types import ModuleType

import pytest

from coach.sound import CUES, cue_path, sounds_dir

SOUNDS = Path(__file__).parents[2] / "assets" / "sounds"


def load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_sounds", SOUNDS / "make_sounds.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class Cue:
    """A WAV file read into samples, with the few measures the tests compare."""

    def __init__(self, data: bytes) -> None:
        with wave.open(io.BytesIO(data)) as wav:
            self.channels = wav.getnchannels()
            self.width = wav.getsampwidth()
            self.rate: int = wav.getframerate()
            frames = wav.readframes(wav.getnframes())
        self.samples: array[int] = array("h", frames)
        self.seconds = len(self.samples) / self.rate

    def crossing_rate(self, start: float = 0.0, end: float = 1.0) -> float:
        """Sign changes a second over a fraction of the sound: a rough pitch."""
        part = self.samples[int(start * len(self.samples)) : int(end * len(self.samples))]
        sounding = [s for s in part if abs(s) > 200]
        changes = sum(1 for a, b in itertools.pairwise(sounding) if (a < 0) != (b < 0))
        return changes / (len(sounding) / self.rate)

    def peak(self, start: int = 0, end: int | None = None) -> int:
        return max(abs(s) for s in self.samples[start:end])


@pytest.fixture(scope="module")
def cues() -> dict[str, Cue]:
    return {cue: Cue(cue_path(cue).read_bytes()) for cue in CUES}


def test_the_bundled_directory_is_the_source_checkout() -> None:
    assert sounds_dir().resolve() == SOUNDS.resolve()


@pytest.mark.parametrize("cue", CUES)
def test_each_cue_is_a_short_mono_16_bit_wav(cue: str, cues: dict[str, Cue]) -> None:
    wav = cues[cue]
    assert (wav.channels, wav.width) == (1, 2)
    assert 0.05 <= wav.seconds <= 1.5
    assert cue_path(cue).stat().st_size < 100_000


@pytest.mark.parametrize("cue", CUES)
def test_each_cue_fades_in_and_out(cue: str, cues: dict[str, Cue]) -> None:
    wav = cues[cue]
    first_ms = wav.rate // 1000
    assert abs(wav.samples[0]) <= 50 and abs(wav.samples[-1]) <= 50
    # With fades of at least 5 ms, the first and last millisecond stay well under the peak.
    assert wav.peak(0, first_ms) < wav.peak() / 4
    assert wav.peak(-first_ms) < wav.peak() / 4


def test_no_two_cues_sound_alike(cues: dict[str, Cue]) -> None:
    for (a, wa), (b, wb) in itertools.combinations(cues.items(), 2):
        longer = abs(wa.seconds - wb.seconds) >= 0.02
        higher = abs(wa.crossing_rate() - wb.crossing_rate()) >= 0.1 * wb.crossing_rate()
        assert longer or higher, f"{a} and {b} are too alike"


def test_each_cue_has_its_shape(cues: dict[str, Cue]) -> None:
    rates = {cue: wav.crossing_rate() for cue, wav in cues.items()}
    lengths = {cue: wav.seconds for cue, wav in cues.items()}
    assert min(lengths, key=lengths.__getitem__) == "tick"
    assert max(lengths, key=lengths.__getitem__) == "finish"
    assert max(rates, key=rates.__getitem__) == "tick"
    assert min(rates, key=rates.__getitem__) == "rest"
    go, hold_done = cues["go"], cues["hold_done"]
    assert go.crossing_rate(0.6, 1) > 1.3 * go.crossing_rate(0, 0.4)  # rises
    assert hold_done.crossing_rate(0.6, 1) < 0.75 * hold_done.crossing_rate(0, 0.4)  # falls
    switch = cues["switch"]
    thirds = [switch.crossing_rate(i / 3, (i + 1) / 3) for i in range(3)]
    assert thirds[1] < 0.85 * thirds[0] and thirds[1] < 0.85 * thirds[2]  # high-low-high


def test_committed_files_are_what_the_script_makes() -> None:
    made = load_script().render_all()
    assert sorted(made) == sorted(f"{cue}.wav" for cue in CUES)
    for name, data in made.items():
        assert (SOUNDS / name).read_bytes() == data, f"{name} differs: rerun make_sounds.py"


def test_the_script_writes_identical_files_to_another_directory(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert load_script().main(["--out", str(tmp_path / "out")]) == 0
    for cue in CUES:
        assert (tmp_path / "out" / f"{cue}.wav").read_bytes() == cue_path(cue).read_bytes()
    assert "tick.wav" in capsys.readouterr().out
