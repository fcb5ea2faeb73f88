"""The voice in the full screen: the engine chosen, phrases rendered under the data folder and
played through the same player as the cues, `v` and `m`, and what the top line says."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from textual.pilot import Pilot

from coach.routine import RoutineEntry
from coach.speaker import VoiceSpeaker
from coach.testing import FakeClock, RecordingBeeper, StandInEngine
from coach.ui.app import make_app
from coach.ui.screens.session import SessionScreen
from coach.voice import VoiceSetting

CMD = VoiceSetting("engine", "cmd")


def top_line(pilot: Pilot[int]) -> str:
    return str(pilot.app.screen.query_one("#top").render())


async def begin(pilot: Pilot[int]) -> VoiceSpeaker:
    """Wait (in a thread, at most 20 s) for the phrases to be rendered while the briefing is
    read, then Enter."""
    runner = pilot.app.runner  # type: ignore[attr-defined]
    speaker = runner.speaker
    assert isinstance(speaker, VoiceSpeaker)
    assert await asyncio.to_thread(speaker.rendered.wait, 20)
    await pilot.press("enter")
    return speaker


async def advance(pilot: Pilot[int], clock: FakeClock, seconds: float) -> None:
    for _ in range(int(seconds * 4)):
        clock.advance(0.25)
        screen = pilot.app.screen
        assert isinstance(screen, SessionScreen)
        screen.tick()
    await pilot.pause()


@pytest.fixture
def engine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> StandInEngine:
    stand_in = StandInEngine(tmp_path)
    monkeypatch.setenv("COACH_VOICE_CMD", stand_in.template())
    return stand_in


async def test_the_voice_says_the_get_ready_and_counts_and_v_turns_it_off(
    clock: FakeClock, short_entry: RoutineEntry, engine: StandInEngine, data_dir: Path
) -> None:
    beeper = RecordingBeeper(clock)
    app = make_app(clock=clock, beeper=beeper, routine=short_entry, voice=CMD)
    async with app.run_test(size=(80, 24)) as pilot:
        speaker = await begin(pilot)
        assert speaker.problem is None
        assert top_line(pilot).endswith("sound on (m)  ·  voice on (v)")
        said = [call["text"] for call in engine.calls()]
        assert said[0].startswith("Clamshell. Your left leg works.")
        assert len(list((data_dir / "voice").glob("*.wav"))) == len(said)
        await advance(pilot, clock, 6)  # the get-ready, then rep one
        assert [s.text for s in speaker.log][:2] == [said[0], "One."]
        assert [cue for cue in beeper.cues if not cue.startswith("phrase:")] == ["tick"] * 3
        await pilot.press("v")
        assert top_line(pilot).endswith("voice off (v)")
        await advance(pilot, clock, 4)  # rep two starts: its beep, not its word
        assert beeper.cues[-1] == "go" and len(speaker.log) == 2


async def test_mute_silences_the_voice_and_sound_off_means_no_voice(
    clock: FakeClock,
    short_entry: RoutineEntry,
    engine: StandInEngine,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    beeper = RecordingBeeper(clock)
    app = make_app(clock=clock, beeper=beeper, routine=short_entry, voice=CMD, mute=True)
    async with app.run_test(size=(80, 24)) as pilot:
        speaker = await begin(pilot)
        assert speaker.muted and top_line(pilot).endswith("sound muted (m)  ·  voice muted (v)")
        await advance(pilot, clock, 6)
        assert beeper.played == [] and speaker.log == []
    monkeypatch.setenv("COACH_SOUND", "off")
    notices: list[str] = []
    monkeypatch.setattr(SessionScreen, "notify", lambda self, msg, **kw: notices.append(msg))
    off = make_app(clock=clock, routine=short_entry, voice=CMD)
    async with off.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter", "v")
        assert off.runner is not None and off.runner.speaker is None
        assert notices == ["Voice stays off: COACH_SOUND is 'off'."]
        assert "voice" not in top_line(pilot)


async def test_an_engine_that_fails_is_one_notice_and_the_cues_carry_on(
    clock: FakeClock, short_entry: RoutineEntry, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stand_in = StandInEngine(tmp_path)
    monkeypatch.setenv("COACH_VOICE_CMD", stand_in.template("fail"))
    notices: list[str] = []
    monkeypatch.setattr(SessionScreen, "notify", lambda self, msg, **kw: notices.append(msg))
    beeper = RecordingBeeper(clock)
    app = make_app(clock=clock, beeper=beeper, routine=short_entry, voice=CMD)
    async with app.run_test(size=(80, 24)) as pilot:
        await begin(pilot)
        await advance(pilot, clock, 6)
        assert [n for n in notices if n.startswith("Voice")] == [
            "Voice is off: cmd failed (exit status 3): boom: no model \\x1b[31mhere"
        ]
        assert top_line(pilot).endswith("no voice")
        assert beeper.cues == ["tick", "tick", "tick", "go"]


async def test_no_engine_found_is_one_notice(
    clock: FakeClock, short_entry: RoutineEntry, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    notices: list[str] = []
    monkeypatch.setattr(SessionScreen, "notify", lambda self, msg, **kw: notices.append(msg))
    app = make_app(
        clock=clock, beeper=RecordingBeeper(clock), routine=short_entry, voice=VoiceSetting("auto")
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        await advance(pilot, clock, 1)
        assert notices == [
            "Voice is off: no speech engine found (install espeak-ng, or set COACH_VOICE_CMD)"
        ]
