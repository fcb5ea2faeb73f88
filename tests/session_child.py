"""A coach in a child process, for the kill and signal drills.

    python -m tests.session_child engine DATA_DIR   the engine and the history store on a fake
                                                    clock, as fast as it goes
    python -m tests.session_child app DATA_DIR      the real app, headless, on a clock running
                                                    fifty times faster than real time

Both run the short test routine and print `set N` (flushed) right after each set is committed,
then `done` at the end; the drills read those lines to know what must be in the file.
"""

from __future__ import annotations

import asyncio
import sys
import time
from pathlib import Path

from coach.clock import MonotonicClock
from coach.history.model import SetRecord
from coach.history.sqlite import HistoryStore
from coach.plan import build_plan
from coach.recorder import SessionRecorder
from coach.routine import RoutineEntry
from coach.routine_yaml import parse_routine
from coach.session import Session
from coach.testing import FakeClock
from tests.ui.conftest import SHORT


class CountingStore(HistoryStore):
    """Says on stdout when a set has been committed."""

    committed = 0

    def record_set(self, session_id: int, entry: SetRecord) -> None:
        super().record_set(session_id, entry)
        CountingStore.committed += 1
        print(f"set {CountingStore.committed}", flush=True)


def open_store(data_dir: Path) -> HistoryStore:
    store = HistoryStore.open(data_dir / "history.db")
    store.__class__ = CountingStore
    return store


def run_engine(data_dir: Path) -> None:
    plan = build_plan(parse_routine(SHORT), "short")
    clock = FakeClock()
    store = open_store(data_dir)
    for _ in range(20):  # several sessions in a row, so a kill can land anywhere
        recorder = SessionRecorder(store, clock, plan)
        recorder.begin()
        session = Session(plan, clock)
        events = session.start()
        while True:
            for event in events:
                if event.tally is not None:
                    recorder.record(event.tally)
            if session.done:
                break
            if session.current.phase == "rep":
                events = session.count_rep()
            else:
                clock.advance(0.25)
                events = session.tick()
        recorder.end("completed")
    print("done", flush=True)


class FastClock(MonotonicClock):
    def __init__(self, factor: float) -> None:
        self.factor = factor
        self.origin = time.monotonic()

    def now(self) -> float:
        return self.origin + (time.monotonic() - self.origin) * self.factor


async def run_app(data_dir: Path) -> None:
    from coach.sound import NullBeeper
    from coach.ui.app import make_app

    path = data_dir / "short.yaml"
    entry = RoutineEntry("short", path, parse_routine(SHORT), builtin=False)
    store = open_store(data_dir)
    app = make_app(
        clock=FastClock(50), beeper=NullBeeper(), routine=entry, store=store, data_dir=data_dir
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        while app.is_running:
            await asyncio.sleep(0.02)
    print(f"exit {app.return_code}", flush=True)


def main() -> None:
    mode, folder = sys.argv[1], Path(sys.argv[2])
    if mode == "engine":
        run_engine(folder)
    else:
        asyncio.run(run_app(folder))


if __name__ == "__main__":
    main()
