"""The person's dose is what the full screen runs: known once history opens, before the start."""

from __future__ import annotations

from datetime import UTC, datetime

from coach.history.model import Dose, DoseChange, DoseRecord
from coach.history.sqlite import MemoryStore
from coach.routine import RoutineEntry
from coach.testing import FakeClock
from coach.ui.app import make_app

from .conftest import settle


def dosed(routine_id: str, exercise: str, dose: Dose, side: str | None = None) -> MemoryStore:
    store = MemoryStore()
    at = datetime(2026, 3, 1, tzinfo=UTC)
    change = DoseChange(at, routine_id, exercise, side, Dose(), dose, "test")
    store.set_dose(DoseRecord(routine_id, exercise, side, dose), change)
    return store


async def test_coach_run_takes_the_dose_once_history_has_opened(
    clock: FakeClock, low_back: RoutineEntry
) -> None:
    store = dosed("low-back", "Clamshell", Dose(reps=4), "left")
    app = make_app(clock=clock, routine=low_back, store=store)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        runner = app.runner
        assert runner is not None and not runner.started
        left = [b.reps for b in runner.plan.blocks if b.exercise_index == 0 and b.side == "right"]
        # Clamshell's side names the side lain on: lying on the right, the left leg works.
        assert left == [4, 4]
        assert "Clamshell" in str(app.screen.query_one("#brief-body").render())
        await pilot.press("enter")
        assert runner.started and runner.plan.blocks[0].reps == 4


async def test_a_session_from_home_runs_the_dose(
    clock: FakeClock, short_entry: RoutineEntry
) -> None:
    store = dosed("short", "Clamshell", Dose(reps=3, hold=1))
    app = make_app(clock=clock, store=store, data_dir=short_entry.path.parent.parent)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        _, plan = app.personal(short_entry)
        assert plan is None  # a file outside the list keeps the file's dose
    app = make_app(clock=clock, store=store, data_dir=short_entry.path.parent.parent)
    entry = RoutineEntry(
        "short", short_entry.path.parent.parent / "routines" / "short.yaml", short_entry.routine
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.start_session(entry)
        await pilot.pause()
        runner = app.runner
        assert runner is not None
        assert runner.entry.routine.exercises[0].reps == 3
        assert runner.plan.blocks[0].reps == 3
        assert [s.seconds for s in runner.plan.steps if s.phase == "hold"][:1] == [1.0]
