"""Two weeks of low-back sessions through the real engine, recorder and history file: the
side-lying abduction's dose walks up and back down exactly as the pain gate says."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from coach.catalog import resolve
from coach.history.model import FixedHistory
from coach.history.sqlite import FILE_NAME, HistoryStore
from coach.programme import accept
from coach.programme_io import personal_entry, proposals_after
from coach.runner import SessionRunner
from coach.sound import NullBeeper
from coach.testing import FakeClock

ABDUCTION = "Side-lying hip abduction"
# day of the walk, pain before, pain after
DAYS = [(0, 2, 2), (2, 2, 1), (4, 2, 2), (7, 1, 1), (9, 2, 6), (11, 2, 2), (13, 1, 1)]


def session(store: HistoryStore, data: Path, day: int, before: int, after: int) -> list[str]:
    """One whole session of low-back on `day` at the person's dose; the proposals after it,
    each answered yes. Returns what the summary would say."""
    entry = resolve("low-back", data)
    mine, plan, _ = personal_entry(entry, store.doses("low-back"))
    clock = FakeClock(wall_start=datetime(2026, 11, 16, 8, tzinfo=UTC) + timedelta(days=day))
    runner = SessionRunner(
        mine, plan=plan, clock=clock, beeper=NullBeeper(), history=FixedHistory(store)
    )
    runner.begin(before)
    while not runner.finished:
        clock.advance(1)
        runner.tick()
    result = runner.result
    assert result is not None and result.completed and result.recorder is not None
    result.recorder.check_in(pain_after=after)
    result.recorder.close(10)
    said = []
    for proposal in proposals_after(store, entry):
        if proposal.exercise != ABDUCTION:
            continue
        said.append(f"{proposal.kind}: {proposal.question() or proposal.then} ({proposal.reason})")
        if proposal.changes:
            record, change = accept(proposal, store.doses("low-back"), clock.wall())
            store.set_dose(record, change)
    reps = [b.reps for b in plan.blocks if plan.exercise_names[b.exercise_index] == ABDUCTION]
    return [f"day {day + 1}: pain {before} → {after}, {ABDUCTION} at {reps[0]} reps", *said]


def test_two_weeks_walk_the_dose_up_and_back_down(data_dir: Path) -> None:
    data_dir.mkdir(parents=True)
    log: list[str] = []
    with HistoryStore.open(data_dir / FILE_NAME) as store:
        for day, before, after in DAYS:
            log += session(store, data_dir, day, before, after)
        changes = [(c.before.reps, c.after.reps) for c in store.dose_changes("low-back")]
    print("\n".join(log))  # what the summary said each day (pytest -s shows it)
    reps = [int(line.split(" at ")[1].split()[0]) for line in log if line.startswith("day")]
    assert reps == [10, 10, 12, 12, 14, 12, 12]
    assert changes == [(10, 12), (12, 14), (14, 12), (12, 14)]
    kinds = [line.split(":")[0] for line in log if not line.startswith("day")]
    assert kinds == ["stay", "step_up", "stay", "step_up", "step_back", "stay", "step_up"]
