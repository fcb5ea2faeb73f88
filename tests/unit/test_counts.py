"""Sets counted the way the plan states them: one function, every surface."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from coach.counts import count_sets, sets_done, sets_planned
from coach.history.model import SetRecord
from coach.plan import Block, Plan, build_plan
from coach.routine_yaml import parse_routine
from coach.session import SetTally

ROUTINE = """\
title: Counts
exercises:
  - name: Clamshell
    sets: 2
    reps: 10
    sides: both
    side_is: lying_on
  - name: Hip circles
    sets: 2
    reps: 5
    directions: [forward, backward]
  - name: Alternating lunge
    reps: 4
    sides: alternate
"""

T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def plan() -> Plan:
    return build_plan(parse_routine(ROUTINE), "counts")


def tally(plan: Plan, block: Block, reps: int | None = None, skipped: bool = False) -> SetTally:
    step = plan.steps[block.start]
    return SetTally(
        block=plan.blocks.index(block),
        exercise_index=block.exercise_index,
        exercise=step.exercise,
        set=block.set,
        side=block.side,
        direction=block.direction,
        reps=block.reps if reps is None else reps,
        holds=block.holds,
        reps_planned=block.reps,
        skipped=skipped,
        side_is=step.side_is,
    )


def record(entry: SetTally) -> SetRecord:
    return SetRecord(
        entry.exercise_index,
        entry.exercise,
        entry.set,
        T0,
        side=entry.side,
        direction=entry.direction,
        reps=entry.reps,
        skipped=entry.skipped,
        side_is=entry.side_is if entry.side else None,
        working_side=entry.working_side,
    )


def test_sides_and_directions_do_not_multiply_sets() -> None:
    p = plan()
    counts = count_sets([tally(p, b) for b in p.blocks], p.blocks)
    assert [(c.exercise, c.sets_text(), c.reps_text(), c.skipped) for c in counts] == [
        ("Clamshell", "2/2 each side", "20/20 each side", 0),
        ("Hip circles", "2/2", "20/20", 0),
        ("Alternating lunge", "1/1", "8/8", 0),
    ]
    assert sets_planned(p.blocks) == 5
    assert sets_done([tally(p, b) for b in p.blocks], p.blocks) == 5


def test_a_set_with_one_side_skipped_is_not_done_and_its_reps_show_per_leg() -> None:
    """Set 1 of the clamshell: lying on the left done (the right leg's 10 reps), lying on the
    right skipped after 4 reps: set 1 is skipped, set 2 done; the left leg did 14 reps."""
    p = plan()
    clam = p.exercise_blocks(0)
    done = [tally(p, b) for b in clam]
    done[1] = tally(p, clam[1], reps=4, skipped=True)
    (count,) = count_sets(done, clam)
    assert (count.done, count.planned, count.skipped) == (1, 2, 1)
    assert count.sets_text() == "1/2 each side"
    assert count.reps_text() == "L 14/20 · R 20/20"  # by the working leg, not the side lain on
    # History has no plan: the same count from the saved records
    (again,) = count_sets([record(t) for t in done])
    assert (again.sets_text(), again.reps_text(), again.skipped) == (
        "1/2 each side",
        "L 14 · R 20",
        1,
    )


def test_a_set_cut_off_before_its_other_side_is_not_done() -> None:
    p = plan()
    clam = p.exercise_blocks(0)
    only_left = [tally(p, clam[0])]  # the session stopped before the switch
    (count,) = count_sets(only_left, p.blocks[:2])
    assert (count.done, count.planned) == (0, 1)
    (saved,) = count_sets([record(t) for t in only_left])
    assert (saved.done, saved.planned) == (0, 1)  # history knows a sided set has two sides
    circles = p.exercise_blocks(1)
    # Both directions of set 1 and only forward of set 2: history infers set 2 needs both
    (circle,) = count_sets([record(tally(p, b)) for b in circles[:3]])
    assert (circle.done, circle.planned) == (1, 2)


def test_planned_exercises_not_reached_count_as_skipped() -> None:
    p = plan()
    counts = count_sets([], p.blocks)
    assert [(c.sets_text(), c.skipped) for c in counts] == [
        ("0/2 each side", 2),
        ("0/2", 2),
        ("0/1", 1),
    ]
    assert count_sets([]) == []


def test_old_records_without_the_working_leg_count_by_side() -> None:
    p = plan()
    saved = [replace(record(tally(p, b)), side_is=None, working_side=None) for b in p.blocks[:4]]
    saved[3] = replace(saved[3], reps=7, recorded_at=T0 + timedelta(minutes=1))
    (count,) = count_sets(saved)
    assert count.reps_text() == "L 20 · R 17"
