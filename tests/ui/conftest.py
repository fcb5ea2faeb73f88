from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot

from coach.catalog import resolve
from coach.routine import RoutineEntry
from coach.routine_yaml import parse_routine
from coach.sound import NullBeeper
from coach.testing import FakeClock, RecordingBeeper
from coach.ui.app import CoachApp, make_app

SHORT = """\
title: Short test routine
safety: Stop if anything hurts.
get_ready: 5
switch_sides: 3
exercises:
  - name: Clamshell
    sets: 2
    reps: 2
    hold: 2
    sides: both
    rest: 6
    tempo: {move: 1, release: 1}
    setup: Lie on your side.
    cues: [Knees apart]
    mistakes: [Rolling back]
  - name: Counted squats
    reps: 2
    self_paced: true
"""


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(1000.0)


@pytest.fixture
def short_entry(tmp_path: Path) -> RoutineEntry:
    path = tmp_path / "short.yaml"
    path.write_text(SHORT)
    return RoutineEntry("short", path, parse_routine(SHORT), builtin=False)


@pytest.fixture
def low_back(data_dir: Path) -> RoutineEntry:
    return resolve("low-back", data_dir)


def app_for(
    clock: FakeClock, entry: RoutineEntry | None, beeper: RecordingBeeper | NullBeeper | None = None
) -> CoachApp:
    return make_app(clock=clock, beeper=beeper or NullBeeper(), routine=entry)


async def settle(pilot: Pilot[int]) -> None:
    """Let the app take in what its worker threads read (history is read off the event loop)."""
    for _ in range(3):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()
