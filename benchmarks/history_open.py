"""How long does the history screen take to open on a big history? Headless app, file store.

Seeds a history file with one session a day up to yesterday (the longest possible streak, so
the streak query does the most work), then opens the screen headless several times both ways:
`h` on the home screen (the history file is already open by then) and `coach history --tui`
(the app starts on the screen and opens the file for it). Prints, for each run, the time from
the screen being created to its first full draw with the sessions in it, as wall time and as
this process's CPU time (which a busy machine does not inflate).

    python benchmarks/history_open.py [--sessions 10000] [--runs 5]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from coach.clock import MonotonicClock
from coach.history.sqlite import FILE_NAME, HistoryStore
from coach.sound import NullBeeper
from coach.testing import sample_sessions
from coach.ui.app import make_app
from coach.ui.screens.history import HistoryScreen


def seed(folder: Path, sessions: int) -> None:
    first = datetime.now().astimezone() - timedelta(days=sessions)
    with HistoryStore.open(folder / FILE_NAME) as store:
        store.import_sessions(sample_sessions(sessions, first))


async def open_once(folder: Path, from_home: bool) -> tuple[float, float, int]:
    """(screen created → first draw, the same in this process's CPU time, table rows) in
    seconds. CPU time leaves out the time other programs on a busy machine took."""
    marks: dict[str, float] = {}
    cpu: dict[str, float] = {}
    drawn = asyncio.Event()
    original_init = HistoryScreen.__init__
    original_mount = HistoryScreen.on_mount

    def timed_init(self: HistoryScreen, *args: Any, **kwargs: Any) -> None:
        marks["created"] = time.perf_counter()
        cpu["created"] = time.process_time()
        original_init(self, *args, **kwargs)

    def timed_mount(self: HistoryScreen) -> None:
        original_mount(self)

        def first_draw() -> None:
            marks["drawn"] = time.perf_counter()
            cpu["drawn"] = time.process_time()
            drawn.set()

        self.call_after_refresh(first_draw)

    HistoryScreen.__init__ = timed_init  # type: ignore[method-assign]
    HistoryScreen.on_mount = timed_mount  # type: ignore[method-assign]
    try:
        app = make_app(
            clock=MonotonicClock(),
            beeper=NullBeeper(),
            data_dir=folder,
            start="home" if from_home else "history",
        )
        async with app.run_test(size=(80, 24)) as pilot:
            if from_home:
                await pilot.pause()
                await pilot.press("h")
            await drawn.wait()
            rows = len(app.screen.sessions) if isinstance(app.screen, HistoryScreen) else -1
    finally:
        HistoryScreen.__init__ = original_init  # type: ignore[method-assign]
        HistoryScreen.on_mount = original_mount  # type: ignore[method-assign]
    return marks["drawn"] - marks["created"], cpu["drawn"] - cpu["created"], rows


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sessions", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        began = time.perf_counter()
        seed(folder, args.sessions)
        print(f"seeded {args.sessions:,} sessions in {time.perf_counter() - began:.1f} s")
        for from_home, way in ((True, "h on home"), (False, "history --tui")):
            walls, cpus = [], []
            for _ in range(args.runs):
                wall, used, rows = asyncio.run(open_once(folder, from_home))
                walls.append(wall * 1000)
                cpus.append(used * 1000)
            print(f"{way} ({rows} rows), screen created to first draw:")
            for name, times in (("wall", walls), ("cpu", cpus)):
                listed = " ".join(f"{t:.0f}" for t in times)
                print(f"  {name} ms: {listed}  (median {statistics.median(times):.0f})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
