"""A person's own dose of each exercise, and the dose one step up or down.

A routine's exercises are told apart by their key: the name, and `NAME #2`, `NAME #3` for a
second and third exercise of that name. A person's dose is kept by that key; one whose
exercise is gone (removed or renamed in the file) is *unused*: it is reported and never lands
on another exercise. A dose for one side names the leg that works (as coach.sides counts it),
whatever the routine's sides name, and holds only sets, reps and hold.

**A step up** raises the first of reps, hold and sets (that order) that is below its
`up_to`, by one step and never past `up_to`; when all are there, there is no step up (the
rule's `then` says what comes next). **A step back** undoes the latest step up: the last of
sets, hold and reps that is above the file's value goes down one step, not below the file's
value. At the file's dose or below, it lowers the first of them still above its floor, by
one step: the floor is half the file's value (rounded up; at least 1 rep or set). An
exercise without a rule steps back by a fifth of the file's reps (at least one), then by a
fifth of its hold. Below the file's dose a step back stops at the floor.

Pure: no files, no database, no clock.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import msgspec

from coach.history.model import (
    DOSE_FIELDS,
    Dose,
    DoseRecord,
    check_dose,
)
from coach.routine import ADVANCE_FIELDS, Advance, Exercise, Routine

SIDES = ("left", "right")
BACK_SHARE = 5
"""Without an advance rule a step back takes a fifth of the file's reps, or of its hold."""


# ---------------------------------------------------------------------------- doses


def exercise_keys(routine: Routine) -> list[str]:
    """Each exercise's key, in order: its name; `NAME #2`, `NAME #3` for a repeated name (a
    number that would give another exercise's own name is passed over)."""
    return keys_of([ex.name for ex in routine.exercises])


def keys_of(names: Sequence[str]) -> list[str]:
    """The keys of exercises of these names, in order (see `exercise_keys`)."""
    every = set(names)
    seen: dict[str, int] = {}
    keys: list[str] = []
    taken: set[str] = set()
    for name in names:
        count = seen.get(name, 0) + 1
        key = name if count == 1 else f"{name} #{count}"
        while count > 1 and (key in every or key in taken):
            count += 1
            key = f"{name} #{count}"
        seen[name] = count
        taken.add(key)
        keys.append(key)
    return keys


@dataclass(frozen=True)
class Personal:
    """A routine as this person does it."""

    routine: Routine  # the file's routine with the both-sides doses applied
    side_doses: dict[tuple[int, str], Dose]  # (exercise index, working side) → its own values
    unused: list[DoseRecord]  # doses whose exercise is gone or renamed, or that cannot apply


def personal(routine: Routine, routine_id: str, doses: Sequence[DoseRecord]) -> Personal:
    """The routine with the person's doses. Doses of other routines are passed over. A dose
    is unused when no exercise has its key, when it is for one side of an exercise without
    sides, or when a value is outside the format's limits (a file written by hand)."""
    keys = {key: i for i, key in enumerate(exercise_keys(routine))}
    both: dict[int, Dose] = {}
    sides: dict[tuple[int, str], Dose] = {}
    unused: list[DoseRecord] = []
    for record in doses:
        if record.routine_id != routine_id:
            continue
        index = keys.get(record.exercise)
        try:
            check_dose(record.dose, record.side)
        except ValueError:
            index = None
        if index is None or (record.side is not None and routine.exercises[index].sides == "none"):
            unused.append(record)
        elif record.side is None:
            both[index] = both.get(index, Dose()).merged(record.dose)
        else:
            sides[(index, record.side)] = sides.get((index, record.side), Dose()).merged(
                record.dose
            )
    exercises = [_with(ex, both[i]) if i in both else ex for i, ex in enumerate(routine.exercises)]
    if both:
        routine = msgspec.structs.replace(routine, exercises=exercises)
    return Personal(routine, sides, unused)


def _with(ex: Exercise, dose: Dose) -> Exercise:
    values = {name: getattr(dose, name) for name in DOSE_FIELDS}
    return msgspec.structs.replace(ex, **{k: v for k, v in values.items() if v is not None})


def dose_of(ex: Exercise, side_dose: Dose | None = None) -> Dose:
    """The full values in force: the exercise's, with one side's own where it has them."""
    full = Dose(ex.sets, ex.reps, ex.hold, ex.rest, ex.relax)
    if side_dose is None:
        return full
    return full.merged(Dose(side_dose.sets, side_dose.reps, side_dose.hold))


# ---------------------------------------------------------------------------- steps


def step_up(now: Dose, rule: Advance) -> Dose | None:
    """The dose one step up by the rule; None when every value is at its up_to."""
    for name in ADVANCE_FIELDS:
        step = getattr(rule, name)
        value = getattr(now, name)
        if step is None or value is None or value >= step.up_to:
            continue
        return replace(now, **{name: min(value + step.step, step.up_to)})
    return None


def _back_steps(file: Exercise, rule: Advance | None) -> list[tuple[str, float]]:
    """The values a step back may lower, in step-up order, with one step of each."""
    if rule is not None:
        return [
            (name, getattr(rule, name).step)
            for name in ADVANCE_FIELDS
            if getattr(rule, name) is not None
        ]
    steps: list[tuple[str, float]] = [("reps", max(1, math.ceil(file.reps / BACK_SHARE)))]
    if file.hold > 0 and not file.self_paced:
        steps.append(("hold", max(1.0, file.hold / BACK_SHARE)))
    return steps


def _floor(name: str, file: Exercise) -> float:
    """The lowest a step back goes: half the file's value (whole counts rounded up)."""
    value: float = getattr(file, name)
    if name == "hold":
        return value / 2
    return max(1, math.ceil(value / 2))


def step_back(now: Dose, file: Exercise, rule: Advance | None) -> Dose | None:
    """The dose one step down (see the module's note); None at the floor."""
    steps = _back_steps(file, rule)
    for name, step in reversed(steps):  # undo the latest step up, down to the file's value
        value, own = getattr(now, name), getattr(file, name)
        if value is not None and value > own:
            return replace(now, **{name: _whole(name, max(value - step, own))})
    for name, step in steps:  # then below the file's value, down to the floor
        value, floor = getattr(now, name), _floor(name, file)
        if value is not None and value > floor:
            return replace(now, **{name: _whole(name, max(value - step, floor))})
    return None


def _whole(name: str, value: float) -> Any:
    return value if name == "hold" else int(value)
