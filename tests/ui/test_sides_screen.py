"""The session screen names the working leg: getting ready, at the switch, and in short."""

from __future__ import annotations

import io
from pathlib import Path

from rich.console import Console
from textual.pilot import Pilot
from textual.widgets import Static

from coach.routine import RoutineEntry
from coach.routine_yaml import parse_routine
from coach.testing import FakeClock
from coach.ui.screens.session import SessionScreen
from coach.ui.screens.summary import SummaryScreen

from .conftest import app_for

CLAMSHELL = """\
title: Clamshell only
get_ready: 5
switch_sides: 3
exercises:
  - name: Clamshell
    sets: 2
    reps: 1
    hold: 2
    sides: both
    side_is: lying_on
    rest: 4
    tempo: {move: 1, release: 1}
"""


def entry() -> RoutineEntry:
    return RoutineEntry("clam", Path("clam.yaml"), parse_routine(CLAMSHELL))


def shown(pilot: Pilot[int], selector: str) -> str:
    return str(pilot.app.screen.query_one(selector).render())


async def advance(pilot: Pilot[int], clock: FakeClock, seconds: float) -> None:
    clock.advance(seconds)
    screen = pilot.app.screen
    assert isinstance(screen, SessionScreen)
    screen.tick()
    await pilot.pause()


async def test_get_ready_the_switch_and_the_summary_name_the_working_leg() -> None:
    clock = FakeClock(1000.0)
    app = app_for(clock, entry())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        assert shown(pilot, "#where") == "Set 1/2 · Right leg works · lying on your left side"
        await advance(pilot, clock, 5)  # into the rep on the left side
        assert "Right leg works · lying on your left side" in shown(pilot, "#where")
        assert shown(pilot, "#next") == "Next: switch to your left leg · lie on your right side"
        await advance(pilot, clock, 4)  # the rep is done: the switch
        assert app.screen.query_one("#word").text == "SWITCH SIDES"  # type: ignore[attr-defined]
        cues = shown(pilot, "#cues")
        assert cues.startswith("Switch: now your left leg · lie on your right side")
        assert shown(pilot, "#where") == "Set 1/2 · Left leg works · lying on your right side"
        for _ in range(30):
            if isinstance(app.screen, SummaryScreen):
                break
            await advance(pilot, clock, 1)
        assert isinstance(app.screen, SummaryScreen)
        console = Console(width=76, file=io.StringIO(), record=True)
        console.print(app.screen.query_one("#summary-table", Static).content)
        table = console.export_text()
        assert "2/2 each side" in table and "4/4" not in table


async def test_a_short_window_says_the_short_form() -> None:
    clock = FakeClock(1000.0)
    app = app_for(clock, entry())
    async with app.run_test(size=(80, 14)) as pilot:
        await pilot.press("enter")
        assert app.screen.has_class("-short")
        assert shown(pilot, "#where") == "Set 1/2 · Right leg"
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert shown(pilot, "#where") == "Set 1/2 · Right leg works · lying on your left side"
