"""Figure 1: process start → Home first visible and fully drawn, against a bare Textual app
started the same way.

Both programs start in an 80×24 pseudo-terminal. "First visible" is the moment of the output
that first shows the routine list (the first routine's title; for the bare app its one line of
text). "Fully drawn" is the last byte the program wrote before it went quiet for `QUIET`
seconds, once the texts that only the finished screen shows have appeared (for Home: the first
routine's exercises in the detail panel and the footer). The same rules time both programs.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from report import Figure, Row, median
from terminal import PtyProgram, player_env, stand_in_player, terminal_env

if TYPE_CHECKING:
    from coach.routine import RoutineEntry

HERE = Path(__file__).resolve().parent
QUIET = 0.3
BARE_FIRST = "A bare Textual app for reference"
BARE_MARKERS = (BARE_FIRST, "palette")
GOAL = 1.15


@cache
def first_routine() -> RoutineEntry:
    """The routine at the top of Home with no routines of the user's."""
    from coach.catalog import load_catalog
    from coach.ui.screens.home import ORDER

    entries = load_catalog(Path(tempfile.gettempdir()) / "no-coach-data").entries
    return min(entries, key=lambda e: (ORDER.index(e.id) if e.id in ORDER else len(ORDER), e.id))


def home_first() -> str:
    """The text that shows the routine list is there: its first routine's title."""
    return first_routine().routine.title[:20]


def home_markers() -> tuple[str, ...]:
    """Texts only a fully drawn Home shows: the start of the first routine's first exercise,
    in the detail panel, and the footer."""
    return (f"1. {first_routine().routine.exercises[0].name[:20]}", "Quit")


def coach_command(*args: str) -> list[str]:
    """The `coach` console script beside this Python, else `python -m coach`."""
    script = shutil.which("coach", path=str(Path(sys.executable).parent))
    return [script, *args] if script else [sys.executable, "-m", "coach", *args]


def bare_command() -> list[str]:
    return [sys.executable, str(HERE / "bare_app.py")]


def drawn_after(argv: list[str], markers: tuple[str, ...], env: dict[str, str]) -> float:
    with PtyProgram(argv, env) as program:
        return program.wait_drawn(markers, quiet=QUIET)


def visible_and_drawn(
    argv: list[str], first: str, markers: tuple[str, ...], env: Mapping[str, str]
) -> tuple[float, float]:
    """Seconds from start to `first` showing, and to fully drawn, in one start."""
    with PtyProgram(argv, env) as program:
        drawn = program.wait_drawn((first, *markers), quiet=QUIET)
        seen = program.first_seen(first)
        assert seen is not None
        return seen, drawn


def first_frame(runs: int) -> Figure:
    times: dict[str, list[float]] = {
        "coach_visible_ms": [],
        "coach_ms": [],
        "bare_visible_ms": [],
        "bare_ms": [],
    }
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        extra = player_env(stand_in_player(folder / "bin"))
        # One data folder, as a person has: run 0 warms the disk cache and the bytecode, and
        # writes coach's routine cache, as any earlier start would have.
        env = terminal_env({**extra, "COACH_DATA_DIR": str(folder / "data")})
        for n in range(runs + 1):
            pair = [
                (coach_command(), home_first(), home_markers(), "coach"),
                (bare_command(), BARE_FIRST, BARE_MARKERS, "bare"),
            ]
            for argv, first, texts, name in pair:
                seen, drawn = visible_and_drawn(argv, first, texts, env)
                if n:
                    times[f"{name}_visible_ms"].append(seen * 1000)
                    times[f"{name}_ms"].append(drawn * 1000)
    rows = [
        Row(
            "Home first visible",
            median(times["coach_visible_ms"]),
            "ms",
            reference=median(times["bare_visible_ms"]),
            reference_name="bare app",
            goal=GOAL,
        ),
        Row(
            "Home fully drawn",
            median(times["coach_ms"]),
            "ms",
            reference=median(times["bare_ms"]),
            reference_name="bare app",
            goal=GOAL,
        ),
    ]
    return Figure(
        1,
        "First frame (process start → routine list visible / fully drawn, 80×24 pty)",
        rows,
        method=f"median of {runs} starts each, interleaved (coach, bare, coach, bare …), after "
        f"one warm-up start; visible = the output that first shows the list; drawn = last "
        f"output before {QUIET * 1000:.0f} ms of quiet",
        runs=times,
    )
