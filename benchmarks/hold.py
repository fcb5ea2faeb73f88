"""Figures 3 and 4: CPU during a hold, against termdown; peak memory, against a bare Textual app.

Each run starts three programs in 80×24 pseudo-terminals: coach at Home (a 60-second hold
routine among the user's routines), the bare Textual app, and, when the coach session begins,
`termdown 60`. Keys take coach from Home to the routine's briefing and into the session. Once
coach is a second into its hold, the CPU time of each program is read from /proc over the same
window. Then the peak resident set size (VmHWM) of coach, which has by then drawn Home, the
briefing and the live session, played cues and opened its history file, is compared with the
bare app's, read at the same moment (it has been idle since its first frame).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

from report import Figure, Row, median
from startup import BARE_MARKERS, QUIET, bare_command, coach_command, home_markers
from terminal import PtyProgram, player_env, stand_in_player, terminal_env

from coach.catalog import cache_path, load_catalog

ROUTINE = """\
title: Benchmark hold
get_ready: 2
exercises:
  - name: One long hold
    reps: 1
    hold: 60
    tempo: {move: 1, release: 1}
"""
INTO_HOLD = 1.0  # seconds after the hold starts before the window opens
END_KEY, ENTER = b"\x1b[F", b"\r"
CPU_GOAL, MEMORY_GOAL = 1.0, 1.3


def find_termdown(install: bool = True) -> str | None:
    """The termdown program; installed into this Python's environment with pip if missing."""
    folder = str(Path(sys.executable).parent)
    found = shutil.which("termdown", path=folder) or shutil.which("termdown")
    if found or not install:
        return found
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "termdown"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=False,
        timeout=300,
    )
    return shutil.which("termdown", path=folder)


def one_run(folder: Path, termdown: str | None, window: float) -> dict[str, float | None]:
    env = terminal_env(
        {**player_env(stand_in_player(folder / "bin")), "COACH_DATA_DIR": str(folder / "data")}
    )
    routines = folder / "data" / "routines"
    routines.mkdir(parents=True, exist_ok=True)
    (routines / "zz-benchmark-hold.yaml").write_text(ROUTINE)
    # As after any earlier start: the routine cache is in place (the first start writes it).
    load_catalog(folder / "data", cache=cache_path(folder / "data"))
    with ExitStack() as stack:
        coach = stack.enter_context(PtyProgram(coach_command(), env))
        bare = stack.enter_context(PtyProgram(bare_command(), env))
        programs = {"coach": coach, "bare": bare}
        coach.wait_drawn(home_markers(), quiet=QUIET)
        coach.send(END_KEY)
        coach.wait_for("1. One long hold")
        coach.send(ENTER)
        coach.wait_for("Press Enter to begin")
        coach.send(ENTER)
        if termdown:
            programs["termdown"] = stack.enter_context(PtyProgram([termdown, "60"], env))
        coach.wait_for("Hold 60 s", timeout=10)
        bare.wait_drawn(BARE_MARKERS, quiet=QUIET)
        time.sleep(INTO_HOLD)
        before = {name: p.cpu_seconds() for name, p in programs.items()}
        opened = time.perf_counter()
        time.sleep(window)
        after = {name: p.cpu_seconds() for name, p in programs.items()}
        wall = time.perf_counter() - opened
        peaks = {"coach": coach.peak_rss(), "bare": bare.peak_rss()}
        if coach.process.poll() is not None:
            raise RuntimeError("coach exited during the hold")
    out: dict[str, float | None] = {"termdown_cpu_percent": None}
    out.update({f"{k}_cpu_percent": 100 * (after[k] - before[k]) / wall for k in programs})
    out.update({f"{k}_peak_rss": float(v) for k, v in peaks.items()})
    return out


def hold_figures(runs: int, window: float) -> tuple[Figure, Figure]:
    started = time.perf_counter()
    termdown = find_termdown()
    results = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as tmp:
            results.append(one_run(Path(tmp), termdown, window))
    series = {key: [r[key] for r in results] for key in results[0]}

    def mid(key: str) -> float | None:
        values = [v for v in series[key] if v is not None]
        return median(values) if values else None

    note = "" if termdown else "termdown could not be installed: no reference"
    cpu = Figure(
        3,
        "CPU during a 60 s hold",
        [
            Row(
                "coach CPU in the hold",
                mid("coach_cpu_percent"),
                "%",
                reference=mid("termdown_cpu_percent"),
                reference_name="termdown 60",
                goal=CPU_GOAL,
                note=note,
            ),
            Row(
                "bare Textual app, idle",
                mid("bare_cpu_percent"),
                "%",
                reference=mid("termdown_cpu_percent"),
                reference_name="termdown 60",
            ),
        ],
        method=f"median of {runs} runs; CPU time of all threads over the same {window:g} s "
        f"window, {INTO_HOLD:g} s into the hold",
        runs={k: v for k, v in series.items() if "cpu" in k},
    )
    memory = Figure(
        4,
        "Memory: peak RSS",
        [
            Row(
                "coach, Home → session, in a hold",
                mid("coach_peak_rss"),
                "B",
                reference=mid("bare_peak_rss"),
                reference_name="bare app",
                goal=MEMORY_GOAL,
            )
        ],
        method=f"median of {runs} runs; VmHWM of each process, read at the end of the CPU window",
        runs={k: v for k, v in series.items() if "rss" in k},
    )
    cpu.seconds = memory.seconds = time.perf_counter() - started
    return cpu, memory
