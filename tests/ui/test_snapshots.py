"""Pictures of the screens, compared with the committed SVGs (frozen clock, no sound)."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot

from coach.routine import RoutineEntry
from coach.testing import FakeClock
from coach.ui.screens.session import SessionScreen

from .conftest import app_for, settle


def at(seconds: float, *keys: str) -> Any:
    """A run_before that begins the session and moves the fake clock on."""

    async def run_before(pilot: Pilot[int]) -> None:
        await pilot.press("enter")
        clock = pilot.app.clock  # type: ignore[attr-defined]
        screen = pilot.app.screen
        assert isinstance(screen, SessionScreen)
        for _ in range(int(seconds * 2)):
            clock.advance(0.5)
            screen.tick()
        if keys:
            await pilot.press(*keys)
        await pilot.pause()

    return run_before


def test_home(snap_compare: Any) -> None:
    # Your own routines and history are read in worker threads: the picture waits for them.
    assert snap_compare(app_for(FakeClock(), None), terminal_size=(80, 24), run_before=settle)


def test_get_ready(snap_compare: Any, low_back: RoutineEntry) -> None:
    app = app_for(FakeClock(), low_back)
    assert snap_compare(app, terminal_size=(80, 24), run_before=at(3))


def test_hold(snap_compare: Any, low_back: RoutineEntry) -> None:
    app = app_for(FakeClock(), low_back)
    assert snap_compare(app, terminal_size=(80, 24), run_before=at(15 + 6 * 2 + 2.5))


def test_rest(snap_compare: Any, low_back: RoutineEntry) -> None:
    app = app_for(FakeClock(), low_back)
    assert snap_compare(app, terminal_size=(80, 24), run_before=at(15 + 60 + 5 + 60 + 4))


def test_paused(snap_compare: Any, low_back: RoutineEntry) -> None:
    app = app_for(FakeClock(), low_back)
    assert snap_compare(app, terminal_size=(80, 24), run_before=at(15 + 7, "space"))


def test_summary(snap_compare: Any, short_entry: RoutineEntry) -> None:
    app = app_for(FakeClock(), short_entry)

    async def run_before(pilot: Pilot[int]) -> None:
        await at(5 + 4 * 2 + 1)(pilot)
        await pilot.press("n", "n", "q", "y")
        await pilot.pause()

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


def test_hold_large(snap_compare: Any, low_back: RoutineEntry) -> None:
    app = app_for(FakeClock(), low_back)
    assert snap_compare(app, terminal_size=(200, 60), run_before=at(15 + 6 * 2 + 2.5))
