"""Measure coach against references taken in the same run; print a table and write JSON.

    python benchmarks/run.py            # every figure, median of 5 runs, 60 s timer session
    python benchmarks/run.py --quick    # a smoke run for CI: fewer, shorter runs
    python benchmarks/run.py --long     # the timer session lasts 10 minutes
    python benchmarks/run.py --only first-frame,timer --out results.json

1. First frame: process start → routine list first visible, and Home fully drawn, in an 80×24
   pty, vs a bare Textual app.
2. Timer accuracy: phase boundaries and cues vs their scheduled times, real clock, headless.
3. CPU during a 60 s hold, vs `termdown 60` over the same window.
4. Peak RSS through Home and a session, vs the bare Textual app.
5. History with 10,000 sessions: the history screen, `coach history`, set commits, file size.
6. Home and `coach list` with 100 user routines of 40 exercises, warm and cold, vs none.
7. Voice: phrase start after its boundary with a real player; rendering of each seed routine's
   phrases, cold and cached; CPU of a session with the voice against without (needs espeak-ng).
8. `coach report` from a history of 10,000 sessions: 4 weeks (the default) and 520 weeks (all
   of them), page and text, in-process and in a fresh process; the page's size.

A missed goal is printed and recorded, and the exit status stays 0; it is 1 only when a
benchmark itself failed. Linux only (pseudo-terminals and /proc).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from report import Figure, machine, table

HERE = Path(__file__).resolve().parent
NAMES = ("first-frame", "timer", "cpu-memory", "history", "home-many", "voice", "report")


@dataclass(frozen=True)
class Settings:
    mode: str
    runs: int
    timer_seconds: float
    cpu_window: float
    commits: int
    # A start takes under a second, and on a shared machine one start can take half as long
    # again as the next: more of them make the median steady.
    start_runs: int = 15
    home_runs: int = 5  # each takes a cold start, seconds long with 100 files to read
    voice_seconds: float = 60  # the spoken session, run twice (with and without the voice)
    report_runs: int = 10  # each in-process report (those of 520 weeks take half as many)
    report_starts: int = 5  # each report in a fresh process


QUICK = Settings(
    "quick",
    runs=3,
    timer_seconds=12,
    cpu_window=2,
    commits=100,
    start_runs=5,
    home_runs=2,
    voice_seconds=10,
    report_runs=3,
    report_starts=2,
)

FULL = Settings("full", runs=5, timer_seconds=60, cpu_window=10, commits=500)
LONG = Settings("long", runs=5, timer_seconds=600, cpu_window=10, commits=500)


def first_frame(settings: Settings) -> list[Figure]:
    from startup import first_frame

    return [first_frame(settings.start_runs)]


def timer(settings: Settings) -> list[Figure]:
    import timing

    runs = []
    for extra in ([], ["--locked"]):  # then again, with the history file locked throughout
        done = subprocess.run(
            [
                sys.executable,
                str(HERE / "timing.py"),
                "--seconds",
                str(settings.timer_seconds),
                *extra,
            ],
            capture_output=True,
            text=True,
            timeout=settings.timer_seconds * 1.5 + 120,
            check=False,
        )
        if done.returncode:
            raise RuntimeError(done.stderr.strip().splitlines()[-1] if done.stderr else "no output")
        runs.append(json.loads(done.stdout))
    return [timing.figure(runs[0], settings.timer_seconds, locked=runs[1])]


def cpu_memory(settings: Settings) -> list[Figure]:
    from hold import hold_figures

    return list(hold_figures(settings.runs, settings.cpu_window))


def history(settings: Settings) -> list[Figure]:
    from history_scale import history_figure

    return [history_figure(settings.runs, settings.commits)]


def home_many(settings: Settings) -> list[Figure]:
    from home_many import home_many_figure

    return [home_many_figure(settings.home_runs)]


def voice(settings: Settings) -> list[Figure]:
    from voice import voice_figure

    return [voice_figure(settings.voice_seconds)]


def physio_report(settings: Settings) -> list[Figure]:
    from physio_report import physio_report_figure

    return [physio_report_figure(settings.report_runs, settings.report_starts)]


BENCHMARKS: dict[str, tuple[tuple[int, ...], str, Callable[[Settings], list[Figure]]]] = {
    "first-frame": ((1,), "First frame", first_frame),
    "timer": ((2,), "Timer accuracy", timer),
    "cpu-memory": ((3, 4), "CPU during a hold; memory", cpu_memory),
    "history": ((5,), "History at scale", history),
    "home-many": ((6,), "Home with 100 user routines", home_many),
    "voice": ((7,), "Voice", voice),
    "report": ((8,), "The physiotherapist's report", physio_report),
}


def run(names: list[str], settings: Settings) -> list[Figure]:
    figures: list[Figure] = []
    for name in names:
        numbers, title, benchmark = BENCHMARKS[name]
        print(f"running {title} …", file=sys.stderr, flush=True)
        started = time.perf_counter()
        try:
            made = benchmark(settings)
        except Exception as exc:
            traceback.print_exc(file=sys.stderr)
            reason = f"{type(exc).__name__}: {exc}"
            made = [Figure(number, title, error=reason) for number in numbers]
        for figure in made:
            figure.seconds = figure.seconds or time.perf_counter() - started
        figures += made
    return figures


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="benchmarks/run.py",
        description="Measure coach against references from the same run.",
    )
    speed = parser.add_mutually_exclusive_group()
    speed.add_argument("--quick", action="store_true", help="fewer, shorter runs (for CI)")
    speed.add_argument("--long", action="store_true", help="a 10-minute timer session")
    parser.add_argument(
        "--out",
        metavar="FILE",
        type=Path,
        default=HERE / "results.json",
        help="where the JSON goes (default: benchmarks/results.json)",
    )
    parser.add_argument(
        "--only",
        metavar="NAMES",
        default=",".join(NAMES),
        help=f"comma-separated benchmarks to run, of: {', '.join(NAMES)}",
    )
    args = parser.parse_args(argv)
    args.names = [name.strip() for name in args.only.split(",") if name.strip()]
    unknown = [name for name in args.names if name not in BENCHMARKS]
    if unknown:
        parser.error(f"unknown benchmark {', '.join(unknown)}; known: {', '.join(NAMES)}")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    settings = QUICK if args.quick else LONG if args.long else FULL
    if not sys.platform.startswith("linux"):
        print("benchmarks/run.py needs Linux (pseudo-terminals and /proc)", file=sys.stderr)
        return 1
    started = time.perf_counter()
    when = datetime.now().astimezone().isoformat(timespec="seconds")
    info = machine()
    figures = run(args.names, settings)
    total = time.perf_counter() - started
    print(table(figures, info, f"{settings.mode} mode, {total:.0f} s"))
    result = {
        "mode": settings.mode,
        "settings": settings.__dict__,
        "started": when,
        "seconds": round(total, 1),
        "machine": info,
        "figures": [figure.to_json() for figure in figures],
        "goals_missed": [
            f"{f.number}. {row.name}" for f in figures for row in f.rows if row.met is False
        ],
        "failed": [f"{f.number}. {f.title}: {f.error}" for f in figures if f.error],
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    print(f"JSON written to {args.out}")
    return 1 if result["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
