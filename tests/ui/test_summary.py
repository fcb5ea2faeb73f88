"""The summary's table counts what this session set out to do, and each set once."""

from __future__ import annotations

from pathlib import Path

from coach.plan import Block, build_plan
from coach.routine import RoutineEntry
from coach.routine_yaml import parse_routine
from coach.runner import SessionResult
from coach.session import SetTally
from coach.ui.screens.summary import planned_seconds, summary_table

from .conftest import SHORT


def rows(result: SessionResult) -> list[tuple[str, ...]]:
    table = summary_table(result)
    cells = [[str(cell) for cell in column._cells] for column in table.columns]
    return list(zip(*cells, strict=True))


def tallies(plan_blocks: list[Block], reps: int | None = None) -> list[SetTally]:
    return [
        SetTally(
            block=plan_blocks.index(b),
            exercise_index=b.exercise_index,
            exercise="x",
            set=b.set,
            side=b.side,
            direction=b.direction,
            reps=b.reps if reps is None else reps,
            holds=b.holds,
            reps_planned=b.reps,
        )
        for b in plan_blocks
    ]


def test_a_resumed_session_counts_only_the_sets_it_had_left() -> None:
    routine = parse_routine(SHORT)
    plan = build_plan(routine, "short")
    entry = RoutineEntry("short", Path("short.yaml"), routine)
    blocks = list(plan.blocks)
    resume_at = blocks[2]  # Clamshell set 2, left side: set 1 was done before the break
    assert (resume_at.set, resume_at.side) == (2, "left")
    done = [b for b in blocks if b.end > resume_at.start]
    result = SessionResult(
        entry,
        plan,
        records=[t for t in tallies(blocks) if blocks[t.block] in done],
        completed=True,
        start_index=resume_at.start,
    )
    assert rows(result) == [
        ("Clamshell", "1/1 each side", "2/2 each side", "0"),
        ("Counted squats", "1/1", "2/2", "0"),
    ]
    assert planned_seconds(result) == plan.seconds_after(resume_at.start - 1)
    assert planned_seconds(result) < plan.total_seconds
    whole = SessionResult(entry, plan, records=tallies(blocks), completed=True)
    # 2 sets on each side are 2 sets, as the plan says, not 4
    assert rows(whole)[0] == ("Clamshell", "2/2 each side", "4/4 each side", "0")
    assert planned_seconds(whole) == plan.total_seconds
