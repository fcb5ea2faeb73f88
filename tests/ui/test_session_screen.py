from __future__ import annotations

import asyncio
import shutil
import sys
from pathlib import Path

import pytest
from textual.pilot import Pilot

from coach.routine import RoutineEntry
from coach.sound import NO_PLAYER, PlaysoundBeeper
from coach.testing import FakeClock, RecordingBeeper
from coach.ui.app import make_app
from coach.ui.screens.confirm import ConfirmScreen
from coach.ui.screens.home import HomeScreen
from coach.ui.screens.session import SessionScreen
from coach.ui.screens.summary import SummaryScreen
from coach.ui.widgets.bigtext import BigText

from .conftest import app_for


def word(pilot: Pilot[int]) -> str:
    return pilot.app.screen.query_one("#word", BigText).text


def count(pilot: Pilot[int]) -> str:
    return pilot.app.screen.query_one("#count", BigText).text


async def advance(pilot: Pilot[int], clock: FakeClock, seconds: float) -> None:
    clock.advance(seconds)
    screen = pilot.app.screen
    assert isinstance(screen, SessionScreen)
    screen.tick()
    await pilot.pause()


async def test_briefing_then_hands_free_session(
    clock: FakeClock, short_entry: RoutineEntry
) -> None:
    beeper = RecordingBeeper(clock)
    app = app_for(clock, short_entry, beeper)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert isinstance(screen, SessionScreen)
        assert screen.has_class("-briefing")
        assert "Stop if anything hurts." in str(screen.query_one("#brief-body").render())
        await pilot.press("enter")
        assert not screen.has_class("-briefing")
        assert word(pilot) == "GET READY" and count(pilot) == "5"
        for _ in range(5):
            await advance(pilot, clock, 1)
        assert word(pilot) == "LIFT"
        await advance(pilot, clock, 1)
        assert word(pilot) == "HOLD" and count(pilot) == "2"
        assert "Rep 1/2 · Set 1/2 · Left leg works" in str(screen.query_one("#where").render())
        await advance(pilot, clock, 0.5)
        assert count(pilot) == "2"  # whole seconds, rounded up
        await advance(pilot, clock, 0.6)
        assert count(pilot) == "1"
        assert beeper.cues == ["tick", "tick", "tick", "go"]


async def test_pause_freezes_the_screen(clock: FakeClock, short_entry: RoutineEntry) -> None:
    app = app_for(clock, short_entry)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        await advance(pilot, clock, 1.5)
        assert count(pilot) == "4"
        await pilot.press("space")
        assert word(pilot) == "PAUSED"
        assert app.screen.has_class("-paused")
        await advance(pilot, clock, 120)
        assert count(pilot) == "4"
        await pilot.press("space")
        assert word(pilot) == "GET READY"
        await advance(pilot, clock, 3.4)
        assert count(pilot) == "1"


async def test_next_previous_enter_and_self_paced(
    clock: FakeClock, short_entry: RoutineEntry
) -> None:
    app = app_for(clock, short_entry)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")  # begin
        await pilot.press("enter")  # skip get ready
        assert word(pilot) == "LIFT"
        await pilot.press("n")  # skip the rest of the set
        assert word(pilot) == "SWITCH SIDES"
        await pilot.press("p")
        assert word(pilot) == "LIFT"
        where = str(app.screen.query_one("#where").render())
        assert "Left leg works" in where
        for _ in range(7):
            await pilot.press("n")
        assert word(pilot) == "GET READY"
        assert "Counted squats" in str(app.screen.query_one("#exercise").render())
        await pilot.press("enter")
        assert word(pilot) == "LIFT" and count(pilot) == "1"
        await advance(pilot, clock, 600)
        assert count(pilot) == "1"  # waits for the person
        await pilot.press("enter")
        assert count(pilot) == "2"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        last = app.screen.result.records[-1]
        assert (last.exercise, last.reps, last.skipped) == ("Counted squats", 2, False)


async def test_quit_asks_first_and_no_keeps_going(
    clock: FakeClock, short_entry: RoutineEntry
) -> None:
    app = app_for(clock, short_entry)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        await advance(pilot, clock, 1)
        await pilot.press("q")
        assert isinstance(app.screen, ConfirmScreen)
        await advance_clock_only(clock, 50)
        await pilot.press("n")
        assert isinstance(app.screen, SessionScreen)
        assert not app.screen.runner.session.paused  # type: ignore[union-attr]
        assert count(pilot) == "4"  # the time spent answering did not count
        await advance(pilot, clock, 6)  # into the first rep
        await pilot.press("escape")
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        assert "Session stopped" in str(app.screen.query_one("#summary-title").render())


async def advance_clock_only(clock: FakeClock, seconds: float) -> None:
    clock.advance(seconds)


async def test_whole_routine_hands_free_to_summary(
    clock: FakeClock, low_back: RoutineEntry
) -> None:
    beeper = RecordingBeeper(clock)
    app = app_for(clock, low_back, beeper)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        screen = app.screen
        assert isinstance(screen, SessionScreen)
        seen = set()
        while isinstance(app.screen, SessionScreen):
            clock.advance(1.0)
            screen.tick()
            seen.add(screen.query_one("#word", BigText).text)
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        assert {
            "GET READY",
            "OPEN",
            "HOLD",
            "CLOSE",
            "SWITCH SIDES",
            "REST",
            "LOWER",
            "RISE",
        } <= seen
        assert beeper.cues[-1] == "finish"
        assert app.screen.result.completed
        assert len(app.screen.result.records) == len(screen.plan.blocks)


async def test_home_lists_routines_and_enter_starts_pre_run(clock: FakeClock) -> None:
    app = app_for(clock, None)
    async with app.run_test(size=(80, 24)) as pilot:
        assert isinstance(app.screen, HomeScreen)
        detail = str(app.screen.query_one("#detail").render())
        assert "Pre-run hip warm-up" in detail and "Back Pain? It's All in The Hips" in detail
        await pilot.press("enter")
        assert isinstance(app.screen, SessionScreen)
        assert app.screen.entry.id == "pre-run"
        await pilot.press("escape")  # not started yet: leaves without asking
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("down")
        detail = str(app.screen.query_one("#detail").render())
        assert "Clamshell" in detail


async def test_resize_mid_session_keeps_time(clock: FakeClock, short_entry: RoutineEntry) -> None:
    app = app_for(clock, short_entry)
    async with app.run_test(size=(200, 60)) as pilot:
        await pilot.press("enter")
        await advance(pilot, clock, 2)
        await pilot.resize_terminal(30, 10)
        await advance(pilot, clock, 1)
        assert app.screen.has_class("-too-small")
        await pilot.resize_terminal(80, 24)
        await advance(pilot, clock, 0)
        assert not app.screen.has_class("-too-small")
        assert count(pilot) == "2" and word(pilot) == "GET READY"


async def test_mute_key_toggles_sound(clock: FakeClock, short_entry: RoutineEntry) -> None:
    beeper = RecordingBeeper(clock)
    app = app_for(clock, short_entry, beeper)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter", "m")
        assert beeper.muted
        assert "sound muted (m)" in str(app.screen.query_one("#top").render())
        await advance(pilot, clock, 5)
        assert beeper.played == []
        await pilot.press("m")
        await advance(pilot, clock, 1)
        assert not beeper.muted and "sound on (m)" in str(app.screen.query_one("#top").render())


async def test_mute_key_cannot_turn_on_sound_the_environment_turned_off(
    clock: FakeClock, short_entry: RoutineEntry, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COACH_SOUND", "off")
    notices: list[str] = []
    monkeypatch.setattr(SessionScreen, "notify", lambda self, msg, **kw: notices.append(msg))
    app = make_app(clock=clock, routine=short_entry)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter", "m")
        assert app.beeper.muted
        assert top_line(pilot) == "Short test routine  ·  sound off: COACH_SOUND"
        assert notices == ["Sound stays off: COACH_SOUND is 'off'."]


async def test_no_audio_player_one_notice_and_the_session_completes(
    clock: FakeClock, short_entry: RoutineEntry, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no player program anywhere
    monkeypatch.delenv("PLAYSOUND3_BACKEND", raising=False)
    for name in [m for m in sys.modules if m.startswith("playsound3")]:
        monkeypatch.delitem(sys.modules, name)
    notices: list[str] = []
    monkeypatch.setattr(SessionScreen, "notify", lambda self, msg, **kw: notices.append(msg))
    app = make_app(clock=clock, beeper=PlaysoundBeeper(), routine=short_entry)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        screen = app.screen
        while isinstance(app.screen, SessionScreen):
            clock.advance(0.5)
            screen.tick()
            if screen.runner.session is not None and screen.runner.session.current.phase == "rep":
                await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen) and app.screen.result.completed
    assert notices == [NO_PLAYER]


def top_line(pilot: Pilot[int]) -> str:
    return str(pilot.app.screen.query_one("#top").render())


@pytest.fixture
def empty_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """PATH is one empty folder, and playsound3 probes it afresh when next imported."""
    folder = tmp_path / "bin"
    folder.mkdir()
    monkeypatch.setenv("PATH", str(folder))
    monkeypatch.delenv("PLAYSOUND3_BACKEND", raising=False)
    for name in [m for m in sys.modules if m.startswith("playsound3")]:
        monkeypatch.delitem(sys.modules, name)
    return folder


async def loaded(pilot: Pilot[int], beeper: PlaysoundBeeper) -> None:
    """Let the player finish loading (or give up) and the screen hear of it."""
    assert await asyncio.to_thread(beeper.settled.wait, 10), "the player never finished loading"
    await pilot.pause()


async def test_with_no_audio_player_the_screen_says_sound_is_off(
    clock: FakeClock,
    short_entry: RoutineEntry,
    empty_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    notices: list[str] = []
    monkeypatch.setattr(SessionScreen, "notify", lambda self, msg, **kw: notices.append(msg))
    beeper = PlaysoundBeeper()
    app = make_app(clock=clock, beeper=beeper, routine=short_entry)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot, beeper)
        # Already during the briefing: the notice and the top line agree.
        assert notices == [NO_PLAYER]
        assert top_line(pilot) == "Short test routine  ·  sound off: no player"
        await pilot.press("enter", "m")
        assert not beeper.muted
        assert notices[1:] == [f"Sound stays off: {NO_PLAYER.removeprefix('Sound is off: ')}."]
        await advance(pilot, clock, 2)
        assert top_line(pilot) == "Short test routine  ·  sound off: no player"
        assert len(notices) == 2


async def test_a_player_probe_that_never_answers_leaves_the_screen_running(
    clock: FakeClock,
    short_entry: RoutineEntry,
    empty_path: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    started = tmp_path / "probe-started"
    probe = empty_path / "gst-play-1.0"
    sleep = shutil.which("sleep") or "/bin/sleep"
    probe.write_text(f"#!/bin/sh\necho $$ > '{started}'\nexec '{sleep}' 1000\n")
    probe.chmod(0o755)
    notices: list[str] = []
    monkeypatch.setattr(SessionScreen, "notify", lambda self, msg, **kw: notices.append(msg))
    beeper = PlaysoundBeeper(probe_seconds=1.0)
    app = make_app(clock=clock, beeper=beeper, routine=short_entry)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert top_line(pilot) == "Short test routine  ·  sound starting (m)"
        await pilot.press("enter")
        await advance(pilot, clock, 4)  # the 3-2-1 cues fall due while the probe hangs
        assert word(pilot) == "GET READY" and count(pilot) == "1"
        await loaded(pilot, beeper)
        assert started.exists()
        assert notices == ["Sound is off: gst-play-1.0 did not answer"]
        assert top_line(pilot) == "Short test routine  ·  sound off: player not answering"
        await advance(pilot, clock, 1.5)
        assert word(pilot) == "LIFT"
        assert len(notices) == 1


async def test_the_session_bars_keep_no_clock_of_their_own(
    clock: FakeClock, short_entry: RoutineEntry, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The screen wakes itself at the next visible change. The stock progress bar would also
    # wake once a second, for as long as it is shown, to update an estimate it never shows.
    from textual.message_pump import MessagePump
    from textual.widgets import ProgressBar

    intervals: list[str] = []
    real = MessagePump.set_interval

    def set_interval(self: MessagePump, *args: object, **kwargs: object) -> object:
        if isinstance(self, ProgressBar):
            intervals.append(str(self.id))
        return real(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(MessagePump, "set_interval", set_interval)
    app = app_for(clock, short_entry)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        await advance(pilot, clock, 6.5)
        assert word(pilot) == "HOLD"
        bars = list(app.screen.query("ProgressBar"))
        assert len(bars) == 2
    assert intervals == [], intervals


async def test_the_top_line_shows_every_state_whole_and_a_long_title_gives_way(
    clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    from coach.history.sqlite import MemoryStore
    from coach.routine_yaml import parse_routine

    monkeypatch.setenv("COACH_SOUND", "off")
    title = "A routine with a title long enough to fill the line [x]"
    text = f'title: "{title}"\nexercises:\n  - name: Squat\n    reps: 2\n'
    entry = RoutineEntry("long", Path("long.yaml"), parse_routine(text))
    app = make_app(clock=clock, routine=entry, store=MemoryStore())
    app.history_problem = "history.db is not a SQLite database"
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        line = top_line(pilot)
        assert line.endswith("  ·  sound off: COACH_SOUND  ·  history not saved")
        assert line.startswith("A routine with") and "…" in line and len(line) <= 78
        await pilot.resize_terminal(120, 30)
        await pilot.pause()
        assert top_line(pilot).startswith(title)
