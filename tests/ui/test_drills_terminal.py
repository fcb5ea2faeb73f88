"""Fault drills for the terminal: resizing mid-session, and terminals far too small.

Resizing never moves the timer: the engine follows the fake clock to the step and the
fraction of a second, whatever the window does. Below 40×12 the session screen says the window
is too small instead of drawing a squashed countdown, and it draws the countdown again, right,
once the window is big enough.
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from textual.app import App
from textual.pilot import Pilot

from coach.plan import build_plan
from coach.routine import RoutineEntry
from coach.routine_yaml import parse_routine
from coach.session import Session
from coach.testing import FakeClock
from coach.ui.screens.confirm import ConfirmScreen
from coach.ui.screens.session import SessionScreen
from coach.ui.screens.summary import SummaryScreen
from coach.ui.widgets.bigtext import BigText

from .conftest import app_for

HOLDS = """\
title: Resize drill
get_ready: 5
exercises:
  - name: Long hold
    reps: 2
    hold: 30
    rest: 0
    tempo: {move: 1, release: 1}
"""
# What the plan must be, written out by hand: (word, seconds).
STEPS = [
    ("GET READY", 5.0),
    ("LIFT", 1.0),
    ("HOLD", 30.0),
    ("LOWER", 1.0),
    ("LIFT", 1.0),
    ("HOLD", 30.0),
    ("LOWER", 1.0),
]
TOO_SMALL = "Make the window larger"
BLOCKS = set("█▀▄")


@pytest.fixture
def holds(tmp_path: Path) -> RoutineEntry:
    path = tmp_path / "holds.yaml"
    path.write_text(HOLDS)
    return RoutineEntry("holds", path, parse_routine(HOLDS))


def expected_at(elapsed: float) -> tuple[int, float]:
    """(step index, seconds left in it) after `elapsed` seconds, from the table above."""
    start = 0.0
    for index, (_, seconds) in enumerate(STEPS):
        if elapsed < start + seconds:
            return index, start + seconds - elapsed
        start += seconds
    raise AssertionError("past the end of the drill routine")


def screen_text(app: App[int]) -> str:
    """What the terminal shows now, one string per row joined by newlines."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def flat(text: str) -> str:
    return " ".join(text.split())


def session_screen(pilot: Pilot[int]) -> SessionScreen:
    screen = pilot.app.screen
    assert isinstance(screen, SessionScreen)
    return screen


async def check_shows(pilot: Pilot[int], size: tuple[int, int], word: str, left: float) -> None:
    """The screen at `size`: the too-small notice below 40×12, else the word and count."""
    screen = session_screen(pilot)
    shown = screen_text(pilot.app)
    rows = shown.split("\n")
    assert len(rows) == size[1] and all(len(row) <= size[0] for row in rows)
    small = size[0] < 40 or size[1] < 12
    assert screen.has_class("-too-small") is small
    assert screen.query_one("#too-small").display is small
    assert screen.query_one("#live").display is not small
    if small:
        assert TOO_SMALL in flat(shown)
        assert not BLOCKS & set(shown), "big letters drawn into a too-small window"
        return
    assert TOO_SMALL not in flat(shown)
    assert screen.query_one("#word", BigText).text == word
    assert screen.query_one("#count", BigText).text == str(math.ceil(left))
    assert BLOCKS & set(shown), "the countdown is not drawn in big letters"


async def test_resizing_mid_hold_never_moves_the_timer(
    clock: FakeClock, holds: RoutineEntry
) -> None:
    plan = build_plan(holds.routine, holds.id)
    assert [(s.word, s.seconds) for s in plan.steps] == STEPS
    twin = Session(plan, clock)  # the same plan on the same clock, with no screen at all
    app = app_for(clock, holds)
    async with app.run_test(size=(200, 60)) as pilot:
        await pilot.press("enter")
        twin.start()
        screen = session_screen(pilot)
        session = screen.runner.session
        assert session is not None and session.started
        elapsed = 0.0
        # Into the first hold, then resize again and again while it runs, and on into the next.
        moves = [
            (6.25, (30, 10)),
            (3.5, (80, 24)),
            (0.0, (30, 10)),
            (7.75, (200, 60)),
            (14.5, (30, 10)),
            (5.25, (80, 24)),
            (12.5, (30, 10)),
            (0.75, (200, 60)),
        ]
        for seconds, size in moves:
            clock.advance(seconds)
            elapsed += seconds
            await pilot.resize_terminal(*size)
            screen.tick()
            twin.tick()
            await pilot.pause()
            index, left = expected_at(elapsed)
            assert (session.index, session.remaining()) == (index, left), (elapsed, size)
            assert (twin.index, twin.remaining()) == (index, left)
            assert session.elapsed() == twin.elapsed() == elapsed
            await check_shows(pilot, size, STEPS[index][0], left)
        assert session.index == 5 and not session.paused  # well into the second hold


async def test_the_briefing_too_gives_way_to_the_notice_and_comes_back(
    clock: FakeClock, holds: RoutineEntry
) -> None:
    app = app_for(clock, holds)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = session_screen(pilot)
        assert screen.query_one("#briefing").display
        await pilot.resize_terminal(30, 10)
        assert not screen.query_one("#briefing").display
        assert TOO_SMALL in flat(screen_text(app))
        clock.advance(100)  # nothing runs before the start, however long the window is small
        await pilot.resize_terminal(80, 24)
        assert screen.query_one("#briefing").display
        assert TOO_SMALL not in flat(screen_text(app))
        await pilot.press("enter")
        await check_shows(pilot, (80, 24), "GET READY", 5)


async def test_keys_still_work_while_the_window_is_too_small(
    clock: FakeClock, holds: RoutineEntry
) -> None:
    app = app_for(clock, holds)
    async with app.run_test(size=(30, 10)) as pilot:
        await pilot.press("enter")
        screen = session_screen(pilot)
        assert screen.runner.session is not None and screen.runner.session.started
        clock.advance(7.0)
        screen.tick()
        await pilot.press("space")
        assert screen.runner.session.paused
        clock.advance(60.0)
        await pilot.resize_terminal(80, 24)
        screen.tick()
        await pilot.pause()
        assert screen.query_one("#word", BigText).text == "PAUSED"
        assert screen.query_one("#count", BigText).text == "29"
        await pilot.press("space")
        clock.advance(0.5)
        screen.tick()
        await pilot.pause()
        await check_shows(pilot, (80, 24), "HOLD", 28.5)


@pytest.mark.parametrize(("during", "after"), [((30, 10), (80, 24)), ((80, 24), (20, 6))])
async def test_a_resize_behind_the_quit_dialog_is_seen_when_it_closes(
    clock: FakeClock, holds: RoutineEntry, during: tuple[int, int], after: tuple[int, int]
) -> None:
    app = app_for(clock, holds)
    async with app.run_test(size=during) as pilot:
        await pilot.press("enter")
        screen = session_screen(pilot)
        clock.advance(10.0)
        screen.tick()
        await pilot.press("q")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.resize_terminal(*after)
        await pilot.press("n")
        assert session_screen(pilot) is screen
        screen.tick()
        await pilot.pause()
        await check_shows(pilot, after, "HOLD", 26.0)


@pytest.mark.parametrize("size", [(1, 1), (20, 6), (39, 24), (40, 12)])
async def test_a_tiny_terminal_from_the_start_runs_the_whole_session(
    clock: FakeClock, holds: RoutineEntry, size: tuple[int, int]
) -> None:
    app = app_for(clock, holds)
    async with app.run_test(size=size) as pilot:
        screen = session_screen(pilot)
        small = size[0] < 40 or size[1] < 12
        assert screen.has_class("-too-small") is small
        assert screen.query_one("#briefing").display is not small
        await pilot.press("enter")
        assert screen.query_one("#live").display is not small
        for seconds in (7.0, 30.0, 40.0):
            assert app.screen is screen
            if small:
                assert not BLOCKS & set(screen_text(app))
            clock.advance(seconds)
            screen.tick()
            await pilot.pause()
            assert len(screen_text(app).split("\n")) == size[1]
        assert isinstance(app.screen, SummaryScreen)
        assert app.screen.result.completed
        await pilot.resize_terminal(1, 1)
        await pilot.resize_terminal(80, 24)
        assert isinstance(app.screen, SummaryScreen)


async def test_the_home_screen_survives_one_cell(clock: FakeClock) -> None:
    app = app_for(clock, None)
    async with app.run_test(size=(1, 1)) as pilot:
        await pilot.pause()
        assert screen_text(app).count("\n") == 0
        for size in [(2, 2), (200, 60), (1, 1), (0, 0), (80, 24)]:
            await pilot.resize_terminal(*size)
        assert len(screen_text(app).split("\n")) == 24
        await pilot.press("down", "up")


async def test_home_and_quitting_in_a_tiny_terminal(clock: FakeClock, holds: RoutineEntry) -> None:
    size = (20, 6)
    app = app_for(clock, None)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        assert len(screen_text(app).split("\n")) == size[1]
        app.start_session(holds)
        await pilot.pause()
        screen = session_screen(pilot)
        await pilot.press("enter")
        clock.advance(12.0)
        screen.tick()
        await pilot.press("q")
        assert isinstance(app.screen, ConfirmScreen)
        assert len(screen_text(app).split("\n")) == size[1]
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        assert not app.screen.result.completed
        assert len(screen_text(app).split("\n")) == size[1]


@pytest.mark.parametrize("size", [(40, 12), (40, 14), (80, 15)])
async def test_a_short_window_still_shows_where_you_are_and_a_whole_countdown(
    clock: FakeClock, holds: RoutineEntry, size: tuple[int, int]
) -> None:
    app = app_for(clock, holds)
    async with app.run_test(size=size) as pilot:
        await pilot.press("enter")
        clock.advance(5 + 1 + 10)  # ten seconds into the first hold: 20 left
        screen = session_screen(pilot)
        screen.tick()
        await pilot.pause()
        assert screen.has_class("-short")
        bottom = size[1] - 1  # the footer's row
        for widget_id in ("#word", "#count", "#exercise", "#where", "#times"):
            region = screen.query_one(widget_id).region
            assert region.height >= 1 and region.bottom <= bottom, (widget_id, region)
        count = screen.query_one("#count", BigText)
        assert count.text == "20"
        width, height = count.content_size
        assert count.scale_for(width, height) >= 1  # block digits, and all of their rows
        assert "Rep 1/2" in str(screen.query_one("#where").render())
