"""How late after a phase boundary does the player start? Real clock, headless app.

Runs a short routine of 2-second holds with the real PlaysoundBeeper and a stand-in player
program, and prints, for every cue, the time from the boundary the engine scheduled to the
moment `playsound` returned (the player process has been started by then).

    python benchmarks/cue_latency.py [--seconds 30]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import stat
import statistics
import sys
import tempfile
import time
from pathlib import Path

from coach.clock import MonotonicClock
from coach.routine import RoutineEntry, parse_routine
from coach.session import Event
from coach.sound import PlaysoundBeeper
from coach.ui.app import make_app
from coach.ui.screens import session as session_screen

ROUTINE = """\
title: Latency
get_ready: 5
exercises:
  - name: Holds
    reps: {reps}
    hold: 2
    tempo: {{move: 1, release: 1}}
"""


def stand_in_player(folder: Path) -> None:
    player = folder / "gst-play-1.0"
    player.write_text('#!/bin/sh\n[ "$1" = "--version" ] && echo "gst-play-1.0 1.22"\nexit 0\n')
    player.chmod(player.stat().st_mode | stat.S_IEXEC)
    os.environ["PATH"] = f"{folder}{os.pathsep}{os.environ['PATH']}"


async def measure(seconds: float) -> list[float]:
    delays: list[float] = []
    clock = MonotonicClock()
    beeper = PlaysoundBeeper()
    original = session_screen.cue_for

    def timed_cue_for(events: list[Event]) -> str | None:
        cue = original(events)
        if cue:
            due = min(e.at for e in events)
            beeper.play(cue)
            delays.append(clock.now() - due)
            return None  # already played
        return None

    session_screen.cue_for = timed_cue_for  # type: ignore[assignment]
    reps = max(1, int((seconds - 5) / 4))
    text = ROUTINE.format(reps=reps)
    entry = RoutineEntry("latency", Path("latency.yaml"), parse_routine(text))
    app = make_app(clock=clock, beeper=beeper, routine=entry)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        end = time.monotonic() + 5 + reps * 4 + 1
        while time.monotonic() < end and app.is_running:
            await asyncio.sleep(0.2)
    session_screen.cue_for = original
    beeper.close()
    return delays[1:]  # the first cue also imports playsound3


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        stand_in_player(Path(tmp))
        delays = asyncio.run(measure(args.seconds))
    ms = sorted(d * 1000 for d in delays)
    p99 = ms[min(len(ms) - 1, int(len(ms) * 0.99))]
    print(
        f"cues: {len(ms)}  median {statistics.median(ms):.1f} ms  p99 {p99:.1f} ms  "
        f"max {ms[-1]:.1f} ms  (goal: within 10 ms)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
