"""Figure 1: process start → Home fully drawn, against a bare Textual app started the same way.

Both programs start in an 80×24 pseudo-terminal. "Fully drawn" is the last byte the program
wrote before it went quiet for `QUIET` seconds, once the texts that only the finished screen
shows have appeared (for Home: the first routine's exercises in the detail panel and the
footer). The same rule times both programs.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from functools import cache
from pathlib import Path

from report import Figure, Row, median
from terminal import PtyProgram, player_env, stand_in_player, terminal_env

HERE = Path(__file__).resolve().parent
QUIET = 0.3
BARE_MARKERS = ("A bare Textual app for reference", "palette")
GOAL = 1.15


@cache
def home_markers() -> tuple[str, ...]:
    """Texts only a fully drawn Home shows: the start of the first routine's first exercise,
    in the detail panel, and the footer."""
    from coach.catalog import load_catalog
    from coach.ui.screens.home import ORDER

    entries = load_catalog(Path(tempfile.gettempdir()) / "no-coach-data").entries
    first = min(entries, key=lambda e: (ORDER.index(e.id) if e.id in ORDER else len(ORDER), e.id))
    return (f"1. {first.routine.exercises[0].name[:20]}", "Quit")


def coach_command(*args: str) -> list[str]:
    """The `coach` console script beside this Python, else `python -m coach`."""
    script = shutil.which("coach", path=str(Path(sys.executable).parent))
    return [script, *args] if script else [sys.executable, "-m", "coach", *args]


def bare_command() -> list[str]:
    return [sys.executable, str(HERE / "bare_app.py")]


def drawn_after(argv: list[str], markers: tuple[str, ...], env: dict[str, str]) -> float:
    with PtyProgram(argv, env) as program:
        return program.wait_drawn(markers, quiet=QUIET)


def first_frame(runs: int) -> Figure:
    coach_times: list[float] = []
    bare_times: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        extra = player_env(stand_in_player(folder / "bin"))
        # One data folder, as a person has: run 0 warms the disk cache and the bytecode, and
        # writes coach's routine cache, as any earlier start would have.
        env = terminal_env({**extra, "COACH_DATA_DIR": str(folder / "data")})
        for n in range(runs + 1):
            pair = [
                (coach_command(), home_markers(), coach_times),
                (bare_command(), BARE_MARKERS, bare_times),
            ]
            for argv, texts, times in pair if n % 2 else reversed(pair):
                seconds = drawn_after(argv, texts, env)
                if n:
                    times.append(seconds * 1000)
    row = Row(
        "Home fully drawn",
        median(coach_times),
        "ms",
        reference=median(bare_times),
        reference_name="bare app",
        goal=GOAL,
    )
    return Figure(
        1,
        "First frame (process start → fully drawn, 80×24 pty)",
        [row],
        method=f"median of {runs} runs each, alternating, after one warm-up start; "
        f"drawn = last output before {QUIET * 1000:.0f} ms of quiet",
        runs={"coach_ms": coach_times, "bare_ms": bare_times},
    )
