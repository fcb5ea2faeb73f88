"""A coach in a child process, for the kill and signal drills.

    python -m tests.session_child engine DATA_DIR   the session runner (engine and history
                                                    store) on a fake clock, as fast as it goes
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
from coach.history.model import FixedHistory, SetRecord
from coach.history.sqlite import HistoryStore
from coach.plan import build_plan
from coach.routine import RoutineEntry
from coach.routine_yaml import parse_routine
from coach.runner import SessionRunner
from coach.sound import NullBeeper
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
    entry = RoutineEntry("short", data_dir / "short.yaml", parse_routine(SHORT))
    plan = build_plan(entry.routine, entry.id)
    clock = FakeClock()
    store = open_store(data_dir)
    history = FixedHistory(store)
    for _ in range(20):  # several sessions in a row, so a kill can land anywhere
        runner = SessionRunner(entry, clock=clock, beeper=NullBeeper(), history=history, plan=plan)
        runner.begin()
        while not runner.finished:
            if runner.current.phase == "rep":
                runner.enter()
            else:
                clock.advance(0.25)
                runner.tick()
        if runner.recorder is not None:
            runner.recorder.close(5.0)  # the session's last writes, made on the writer's thread
    print("done", flush=True)


class FastClock(MonotonicClock):
    def __init__(self, factor: float) -> None:
        self.factor = factor
        self.origin = time.monotonic()

    def now(self) -> float:
        return self.origin + (time.monotonic() - self.origin) * self.factor


async def run_app(data_dir: Path) -> None:
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
