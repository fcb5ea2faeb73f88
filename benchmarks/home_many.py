"""Figure 6: Home and `coach list` with 100 user routines of 40 exercises each.

Each start is in an 80×24 pty, as in figure 1. Three data folders: one with no routines of the
user's, one with the 100 files (`many_routines.py`), and a copy of the latter whose routine
cache is deleted before each start (cold). Each run starts coach once in each, one after the
other, and takes:

- "list first visible": the output that first shows the routine list (its first routine);
- "user routines drawn": the last output before quiet once the first user routines are on
  screen with their minutes (with none of the user's: Home fully drawn). The list's scrollbar
  changes as each batch of routines arrives, so the quiet comes after the last one as a rule;
  End is then pressed, and if the last routine is not there yet, again every 0.25 s until it
  shows, and the start counts until it first showed.

`coach list` is timed from process start to exit, output to a pipe, warm with 0 and with 100
routines, and with 100 and no cache (the printing commands read the cache but never write it).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from many_routines import title, write_routines
from report import Figure, Row, median
from startup import QUIET, coach_command, home_first, home_markers
from terminal import PtyProgram, player_env, stand_in_player, terminal_env

from coach.catalog import cache_path, read_routine_file
from coach.durations import minutes

END_KEY = b"\x1b[F"
WARM_GOAL, COLD_GOAL = 1.2, 2.0


def user_markers(data: Path) -> tuple[str, ...]:
    """The first user routine's title and minutes: on screen once the user routines are."""
    first = read_routine_file(data / "routines" / "bench-000.yaml", builtin=False)
    assert first.entry is not None
    return (title(0), f"{minutes(first.seconds)} · 40 exercises")


def home_start(data: Path, env: dict[str, str], markers: tuple[str, ...]) -> tuple[float, float]:
    """Seconds to the list first visible and to drawn with every user routine in the list.

    With user routines, End is pressed once the screen is quiet, and again until the last
    routine shows: a start whose files took longer than the quiet to parse (cold) counts until
    the output that first shows the last one, at most one press late."""
    with PtyProgram(coach_command(), {**env, "COACH_DATA_DIR": str(data)}) as program:
        drawn = program.wait_drawn((home_first(), *home_markers(), *markers), quiet=QUIET)
        seen = program.first_seen(home_first())
        assert seen is not None
        if markers:
            for presses in range(1, 200):
                program.send(END_KEY)
                try:
                    program.wait_for(title(99), timeout=0.25 if presses < 199 else 10)
                    break
                except RuntimeError:
                    continue
            if presses > 1:
                last = program.first_seen(title(99))
                assert last is not None
                drawn = max(drawn, last)
        return seen, drawn


def list_time(data: Path, env: dict[str, str]) -> float:
    started = time.perf_counter()
    done = subprocess.run(
        [*coach_command(), "list"],
        env={**env, "COACH_DATA_DIR": str(data)},
        stdin=subprocess.DEVNULL,
        capture_output=True,
        check=False,
    )
    seconds = time.perf_counter() - started
    if done.returncode or done.stderr:
        raise RuntimeError(f"coach list failed: {done.stderr.decode(errors='replace')[-300:]}")
    return seconds


def home_many_figure(runs: int, files: int = 100) -> Figure:
    times: dict[str, list[float]] = {}

    def add(name: str, seconds: float) -> None:
        times.setdefault(name, []).append(seconds * 1000)

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        env = terminal_env(player_env(stand_in_player(folder / "bin")))
        env.pop("COLUMNS", None)
        none, many, cold = folder / "none", folder / "many", folder / "cold"
        none.mkdir()
        write_routines(many, files)
        shutil.copytree(many / "routines", cold / "routines")
        markers = user_markers(many)
        # Run 0 warms the disk cache and the bytecode and writes each folder's routine cache.
        for n in range(runs + 1):
            for name, data, user in (("none", none, ()), ("warm", many, markers)):
                seen, drawn = home_start(data, env, user)
                if n:
                    add(f"home_{name}_visible_ms", seen)
                    add(f"home_{name}_drawn_ms", drawn)
            shutil.rmtree(cold / "cache", ignore_errors=True)
            seen, drawn = home_start(cold, env, markers)
            if n:
                add("home_cold_visible_ms", seen)
                add("home_cold_drawn_ms", drawn)
            for name, data in (("none", none), ("warm", many)):
                seconds = list_time(data, env)
                if n:
                    add(f"list_{name}_ms", seconds)
        if not (runs and cache_path(many).is_file()):
            raise RuntimeError("Home wrote no routine cache")
        shutil.rmtree(cold / "cache", ignore_errors=True)
        for _ in range(max(1, runs // 3)):  # slow: a few are enough
            add("list_cold_ms", list_time(cold, env))
    m = {name: median(values) for name, values in times.items()}
    rows = [
        Row(
            "warm: list first visible",
            m["home_warm_visible_ms"],
            "ms",
            reference=m["home_none_visible_ms"],
            reference_name="no routines",
        ),
        Row(
            "warm: user routines drawn",
            m["home_warm_drawn_ms"],
            "ms",
            reference=m["home_none_drawn_ms"],
            reference_name="no routines",
            goal=WARM_GOAL,
        ),
        Row(
            "cold: list first visible",
            m["home_cold_visible_ms"],
            "ms",
            reference=m["home_warm_visible_ms"],
            reference_name="warm",
        ),
        Row(
            "cold: user routines drawn",
            m["home_cold_drawn_ms"],
            "ms",
            reference=m["home_warm_drawn_ms"],
            reference_name="warm",
            goal=COLD_GOAL,
        ),
        Row(
            "`coach list`, warm",
            m["list_warm_ms"],
            "ms",
            reference=m["list_none_ms"],
            reference_name="no routines",
            goal=WARM_GOAL,
        ),
        Row(
            "`coach list`, no cache",
            m["list_cold_ms"],
            "ms",
            reference=m["list_warm_ms"],
            reference_name="warm",
            goal=COLD_GOAL,
        ),
    ]
    return Figure(
        6,
        f"Home and `coach list` with {files} user routines of 40 exercises (80×24 pty)",
        rows,
        method=f"median of {runs} starts each, in turn (none, warm, cold, list none, list "
        f"warm); drawn = last output before {QUIET * 1000:.0f} ms of quiet",
        runs={**times, "cpu_count": os.cpu_count()},
    )


if __name__ == "__main__":
    import json
    import sys

    figure = home_many_figure(int(sys.argv[1]) if len(sys.argv) > 1 else 3)
    print(json.dumps(figure.to_json(), indent=2))
