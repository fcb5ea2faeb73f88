"""Keys in bursts, at any moment: Home → session → summary → history never crashes, and no
dialog is left that Esc cannot close."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from textual.screen import ModalScreen

from coach.history.sqlite import MemoryStore
from coach.routine import RoutineEntry
from coach.routine_yaml import parse_routine
from coach.testing import FakeClock, RecordingBeeper
from coach.ui.app import CoachApp, make_app
from coach.ui.screens.session import SessionScreen

from .conftest import SHORT

KEYS = [
    "enter", "space", "escape", "q", "question_mark", "n", "p", "m", "h", "y", "r", "s",
    "1", "0", "backspace", "tab", "down", "up", "end", "home", "ctrl+t", "x",
    "d", "R", "w", "right",  # the dose screen's keys
]  # fmt: skip
# A step is a key, or time passing (seconds on the fake clock) without a key.
STEP = st.one_of(st.sampled_from(KEYS), st.sampled_from([0.5, 3.0, 20.0]))


async def press_through(app: CoachApp, clock: FakeClock, steps: list[str | float]) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        for step in steps:
            if not app.is_running:
                return
            if isinstance(step, float):
                clock.advance(step)
                if isinstance(app.screen, SessionScreen):
                    app.screen.tick()
            else:
                await pilot.press(step)
        await pilot.pause()
        # Whatever is open now, Esc closes dialogs one by one and nothing is left stuck.
        for _ in range(6):
            if not app.is_running or not isinstance(app.screen, ModalScreen):
                break
            modal = app.screen
            await pilot.press("escape")
            await pilot.pause()
            assert app.screen is not modal, f"Esc does not close {type(modal).__name__}"
        if app.is_running:
            assert not isinstance(app.screen, ModalScreen)
            screen = app.screen
            if screen.query("HelpPanel"):
                await pilot.press("escape")
                await pilot.pause()
                assert app.screen is screen, "Esc left the key panel open and did something else"
                assert not screen.query("HelpPanel"), "Esc does not close the key panel"


def short_entry() -> RoutineEntry:
    return RoutineEntry("short", Path("short.yaml"), parse_routine(SHORT))


@settings(
    max_examples=int(os.environ.get("COACH_BURSTS", "25")),  # more for a longer hunt
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(STEP, min_size=1, max_size=40), from_home=st.booleans())
def test_random_keys_never_crash_or_leave_a_dialog_stuck(
    data_dir: Path, steps: list[str | float], from_home: bool
) -> None:
    clock = FakeClock()
    app = make_app(
        clock=clock,
        beeper=RecordingBeeper(),
        store=MemoryStore(),
        routine=None if from_home else short_entry(),
        data_dir=data_dir,
    )
    asyncio.run(press_through(app, clock, steps))
    assert app.return_code in (None, 0)


@pytest.mark.parametrize(
    "steps",
    [
        ["enter", 3.0, "q", "question_mark", "escape", "escape"],
        ["enter", "question_mark"],  # Esc closes the key panel, not the session
        ["enter", 3.0, "question_mark", "space", "escape"],
    ],
)
def test_bursts_that_once_went_wrong(data_dir: Path, steps: list[str | float]) -> None:
    clock = FakeClock()
    app = make_app(clock=clock, beeper=RecordingBeeper(), store=MemoryStore(), data_dir=data_dir,
                   routine=short_entry())  # fmt: skip
    asyncio.run(press_through(app, clock, steps))
    assert app.return_code in (None, 0)
