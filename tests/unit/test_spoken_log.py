"""benchmarks/spoken_log.py: the list of what a session plays, in order, and its words in one
WAV. A stand-in engine (COACH_VOICE_CMD) writes a silent WAV as long as its text needs, so the
lengths, and so the forms chosen, are known."""

from __future__ import annotations

import re
import sys
import wave
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parents[2] / "benchmarks"))
import spoken_log

ROUTINE = """\
title: Spoken
get_ready: 8
switch_sides: 2
exercises:
  - name: Clamshell
    reps: 2
    hold: 1
    sides: both
    tempo: {move: 1, release: 1}
"""
ENGINE = """\
import sys, wave
text = sys.stdin.read()
with wave.open(sys.argv[1], "wb") as out:
    out.setnchannels(1)
    out.setsampwidth(2)
    out.setframerate(8000)
    out.writeframes(b"\\0\\0" * int(8000 * 0.06 * len(text)))
"""
RATE = 0.06  # seconds a character


@pytest.fixture
def routine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    engine = tmp_path / "engine.py"
    engine.write_text(ENGINE)
    monkeypatch.setenv("COACH_VOICE_CMD", f"{sys.executable} {engine} {{out}}")
    path = tmp_path / "spoken.yaml"
    path.write_text(ROUTINE)
    return path


def seconds(clock: str) -> float:
    minutes, _, rest = clock.partition(":")
    return int(minutes) * 60 + float(rest)


def test_the_log_lists_phrases_and_cues_in_order_with_their_times(
    routine: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert spoken_log.main([str(routine), "--voice", "cmd"]) == 0
    lines = capsys.readouterr().out.split("\n\n")[0].splitlines()
    times = [seconds(line.split()[0]) for line in lines]
    assert times == sorted(times)
    said = [re.match(r'\S+  phrase "(.*)" \((.*) s\)', line) for line in lines]
    texts = [m.group(1) for m in said if m]
    # 8 s of get-ready holds the longest form; a 2 s switch only a shorter one.
    assert texts[0] == "Clamshell. Your left leg works. Two reps, each side, hold one second."
    assert "Switch. Right leg." in texts
    assert texts[-1] == "That's the routine done. Well done."
    for m in said:
        if m:
            assert float(m.group(2)) == pytest.approx(len(m.group(1)) * RATE, abs=0.06)
    assert lines[0].startswith("0:00.0  phrase ")
    assert any(line.endswith("cue hold_done") for line in lines)


def test_render_to_joins_the_phrases_said_with_a_gap_after_each(
    routine: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    assert spoken_log.main([str(routine), "--voice", "cmd", "--render-to", str(out)]) == 0
    printed = capsys.readouterr().out
    texts = re.findall(r'phrase "(.*)"', printed)
    with wave.open(str(out / "spoken-spoken.wav")) as joined:
        seconds = joined.getnframes() / joined.getframerate()
    expected = sum(int(8000 * RATE * len(t)) / 8000 + spoken_log.GAP for t in texts)
    assert seconds == pytest.approx(expected, abs=0.001)
    assert f"{len(texts)} phrases, {seconds:.1f} s" in printed


def test_an_unknown_routine_is_one_line_and_a_failure(
    routine: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert spoken_log.main(["no-such-routine", "--voice", "cmd"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("spoken_log: no routine named 'no-such-routine'")
    assert len(err.strip().splitlines()) == 1
