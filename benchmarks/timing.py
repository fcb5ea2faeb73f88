"""Figure 2: how close to its scheduled time does each phase boundary happen, and the cue?

The session runner, with the real clock and the real PlaysoundBeeper, on an asyncio loop of its
own (`coach.runner.drive`, as a front end without a screen runs it), walks a routine of 2-second
holds, reps, side switches and rests. The engine gives every event the moment it was due
(`Event.at`); a thin subclass of the engine notes when the runner actually asked for it (the
wake-up that handled the boundary), and a thin subclass of the beeper notes when
`playsound` returned, by which time the player process has been started. A stand-in
`gst-play-1.0` on PATH plays nothing, so the figure is the app's own delay, not the audio
system's.

With `--locked` the session is saved to a history file that another program holds the write
lock of from start to end (a second SQLite connection in `BEGIN IMMEDIATE`): the recorder's
writer thread keeps trying while the boundaries must stay on time; at the end its writes go to
the journal beside the file.

Run on its own it prints JSON: python benchmarks/timing.py --seconds 60 [--locked]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from report import Figure, Row, median, percentile
from terminal import player_env, stand_in_player

ROUTINE = """\
title: Timer accuracy
get_ready: 5
switch_sides: 3
exercises:
  - name: Holds
    sets: {sets}
    reps: {reps}
    hold: 2
    sides: both
    rest: 3
    tempo: {{move: 1, release: 1}}
"""
GOAL_MS = 10.0
GROWTH_GOAL_MS = 2.0


def routine_text(seconds: float) -> tuple[str, float]:
    """The smallest routine of this shape that lasts at least `seconds`, and its length."""
    from coach.plan import build_plan
    from coach.routine_yaml import parse_routine

    for sets in range(1, 1000):
        for reps in (1, 2, 3) if sets == 1 else (3,):
            text = ROUTINE.format(sets=sets, reps=reps)
            total = build_plan(parse_routine(text), "timing").total_seconds
            if total >= seconds:
                return text, total
    raise ValueError(f"no routine of {seconds} s")


async def measure(seconds: float, data_dir: Path, locked: bool = False) -> dict[str, Any]:
    import sqlite3

    from coach.clock import MonotonicClock
    from coach.history.model import FixedHistory, Store
    from coach.history.sqlite import FILE_NAME, HistoryStore, MemoryStore, open_store
    from coach.routine import RoutineEntry
    from coach.routine_yaml import parse_routine
    from coach.runner import SessionRunner, drive
    from coach.session import Event, EventKind, Session
    from coach.sound import PlaysoundBeeper

    clock = MonotonicClock()
    boundaries: list[tuple[float, float, str]] = []
    cues: list[tuple[float, float, float, str]] = []
    due: list[float | None] = [None]
    begun: list[float] = []

    class TimedSession(Session):
        def start(self, now: float | None = None) -> list[Event]:
            events = super().start(now)
            begun.extend(e.at for e in events[:1])
            return events

        def tick(self, now: float | None = None) -> list[Event]:
            moment = clock.now() if now is None else now
            events = super().tick(moment)
            boundaries.extend(
                (e.at, moment, e.step.phase) for e in events if e.kind is EventKind.STEP_STARTED
            )
            due[0] = min((e.at for e in events), default=None)
            return events

    class TimedBeeper(PlaysoundBeeper):
        def play(self, cue: str) -> None:
            scheduled, due[0] = due[0], None
            called = clock.now()
            super().play(cue)
            if scheduled is not None and not self.muted:
                cues.append((scheduled, called, clock.now(), cue))

    text, total = routine_text(seconds)
    entry = RoutineEntry("timing", Path("timing.yaml"), parse_routine(text))
    beeper = TimedBeeper()
    store: Store = MemoryStore()
    other: sqlite3.Connection | None = None
    if locked:
        HistoryStore.open(data_dir / FILE_NAME).close()
        store, _ = open_store(data_dir)  # as the app opens it
        other = sqlite3.connect(data_dir / FILE_NAME, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
    runner = SessionRunner(entry, clock=clock, beeper=beeper, history=FixedHistory(store))
    runner.session = TimedSession(runner.plan, clock)
    runner.prepare()  # as the full screen does during the briefing
    await asyncio.to_thread(beeper.wait_ready)  # the player loads while the briefing is read
    runner.begin()
    result = await asyncio.wait_for(drive(runner), total + 5)
    beeper.close()
    kept = result.recorder.close(0.1) if result.recorder is not None else 0
    if other is not None:
        other.execute("ROLLBACK")
        other.close()
    store.close()
    if not result.completed:
        raise RuntimeError("the session did not finish")
    if beeper.problem:
        raise RuntimeError(f"the beeper failed: {beeper.problem}")
    zero = begun[0]
    return {
        "locked": locked,
        "kept_in_journal": kept,
        "routine_seconds": total,
        "boundaries": [(at - zero, actual - at, phase) for at, actual, phase in boundaries],
        "cues": [
            (at - zero, started - at, started - called, cue) for at, called, started, cue in cues
        ],
    }


def fit_slope(points: list[tuple[float, float]]) -> float:
    """Least-squares slope of y against x."""
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    spread = sum((x - mx) ** 2 for x in xs)
    return sum((x - mx) * (y - my) for x, y in points) / spread if spread else 0.0


def figure(data: dict[str, Any], seconds: float, locked: dict[str, Any] | None = None) -> Figure:
    """The figure; with `locked`, a second run's data taken while the history file was
    locked, shown as one more row."""
    errors = [(at, late * 1000) for at, late, _ in data["boundaries"]]
    cues = [(at, total * 1000, call * 1000, cue) for at, total, call, cue in data["cues"]]
    if len(errors) < 4 or len(cues) < 2:
        raise RuntimeError(f"only {len(errors)} boundaries and {len(cues)} cues were seen")
    late = [e for _, e in errors]
    quarter = max(1, len(errors) // 4)
    growth = median(late[-quarter:]) - median(late[:quarter])
    drift = fit_slope(errors) * 60
    first, later = cues[0], cues[1:]
    delays = [total for _, total, _, _ in cues]
    later_delays = [total for _, total, _, _ in later]
    calls = [call for _, _, call, _ in later]
    rows = [
        Row("boundary error, max", max(late), "ms", goal=GOAL_MS, goal_is_ratio=False),
        Row("boundary error, p99", percentile(late, 0.99), "ms", goal=GOAL_MS, goal_is_ratio=False),
        Row(
            "error growth (last - first quarter)",
            growth,
            "ms",
            goal=GROWTH_GOAL_MS,
            goal_is_ratio=False,
            note=f"fitted drift {drift:+.3f} ms a minute; median error {median(late):.2f} ms; "
            f"earliest {min(late):+.2f} ms",
        ),
        Row(
            "boundary → player started, max",
            max(delays),
            "ms",
            goal=GOAL_MS,
            goal_is_ratio=False,
            note=f"first cue ({first[3]} at {first[0]:.0f} s): {first[1]:.1f} ms",
        ),
        Row(
            "player started, later cues, p99",
            percentile(later_delays, 0.99),
            "ms",
            goal=GOAL_MS,
            goal_is_ratio=False,
            note=f"median {median(later_delays):.1f} ms, of which the playsound call "
            f"(starting the player process) {median(calls):.1f} ms",
        ),
    ]
    if locked is not None:
        late_locked = [late * 1000 for _, late, _ in locked["boundaries"]]
        rows.append(
            Row(
                "boundary error while the history file is locked, max",
                max(late_locked),
                "ms",
                goal=GOAL_MS,
                goal_is_ratio=False,
                note=f"p99 {percentile(late_locked, 0.99):.2f} ms; "
                f"{locked['kept_in_journal']} writes kept in the journal",
            )
        )
    return Figure(
        2,
        "Timer accuracy (real clock, headless)",
        rows,
        method=f"one {data['routine_seconds']:.0f} s session (asked for ≥ {seconds:.0f} s): "
        f"{len(late)} phase boundaries, {len(cues)} cues; error = handled - scheduled",
        runs=data,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument(
        "--locked", action="store_true", help="another program holds the history file's lock"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        os.environ.update(player_env(stand_in_player(folder / "bin")))
        (folder / "data").mkdir()
        data = asyncio.run(measure(args.seconds, folder / "data", locked=args.locked))
    json.dump(data, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
