"""What the dose screen shows and keeps, without the screen: the rows of its table, the values
its form starts with, and the dose record and change a filled-in form becomes.

A person's dose holds only the values that differ: a value equal to the file's (or, for one
side, equal to the exercise's dose on both sides) is not kept, and an empty field means
"as the file says" (for a side: as both sides do).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from coach.history.model import (
    DOSE_FIELDS,
    DOSE_LIMITS,
    SIDE_FIELDS,
    Dose,
    DoseChange,
    DoseRecord,
    Schedule,
    check_dose,
)
from coach.programme import Personal, days_text, dose_of, exercise_keys, parse_days, personal
from coach.routine import Routine

REASON = "set on the dose screen"
RESET_REASON = "reset on the dose screen"
ARROW = " → "
UNSET = "·"
SIDE_NAMES = {None: "both sides", "left": "left leg", "right": "right leg"}


def number(value: float | int) -> str:
    """12 → '12', 5.0 → '5', 2.5 → '2.5'."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


@dataclass(frozen=True)
class DoseRow:
    """One row of the table: an exercise (both sides), one side's own dose, or an unused dose."""

    key: str  # the table's row key
    exercise: str  # the exercise key
    index: int | None  # the exercise's place in the routine; None for an unused dose
    side: str | None
    name: str  # the first cell
    cells: tuple[str, ...]  # sets, reps, hold, rest, relax

    @property
    def unused(self) -> bool:
        return self.index is None


@dataclass(frozen=True)
class RoutineDoses:
    """One routine as the file gives it, with the person's doses of it and its weekly plan."""

    routine: Routine
    routine_id: str
    records: tuple[DoseRecord, ...] = ()
    schedule: Schedule | None = None

    @property
    def keys(self) -> list[str]:
        return exercise_keys(self.routine)

    @property
    def own(self) -> Personal:
        return personal(self.routine, self.routine_id, self.records)

    def has_sides(self, index: int) -> bool:
        return self.routine.exercises[index].sides != "none"

    def file_dose(self, index: int) -> Dose:
        return dose_of(self.routine.exercises[index])

    def in_force(self, index: int, side: str | None = None) -> Dose:
        """The full values this person does: the exercise's, with the side's own for a side."""
        own = self.own
        ex = own.routine.exercises[index]
        return dose_of(ex, own.side_doses.get((index, side)) if side else None)

    def record(self, exercise: str, side: str | None) -> DoseRecord | None:
        return next(
            (r for r in self.records if (r.exercise, r.side) == (exercise, side)),
            None,
        )

    def days(self) -> str:
        return days_text(self.schedule.days) if self.schedule else ""


def _cell(base: float | int | None, value: float | int | None) -> str:
    if value is None:
        return UNSET
    if base is None or base == value:
        return number(value)
    return number(base) + ARROW + number(value)


def rows(doses: RoutineDoses) -> list[DoseRow]:
    """The table: each exercise with the file's value beside the person's where they differ,
    under it a row for each side with a dose of its own, then the unused doses."""
    own = doses.own
    table: list[DoseRow] = []
    for index, key in enumerate(doses.keys):
        file = doses.file_dose(index)
        now = doses.in_force(index)
        cells = tuple(_cell(getattr(file, n), getattr(now, n)) for n in DOSE_FIELDS)
        table.append(DoseRow(f"ex:{index}", key, index, None, key, cells))
        for side in ("left", "right"):
            side_dose = own.side_doses.get((index, side))
            if side_dose is None or side_dose.is_empty():
                continue
            side_cells = tuple(
                _cell(getattr(now, n), getattr(side_dose, n)) if n in SIDE_FIELDS else UNSET
                for n in DOSE_FIELDS
            )
            name = "  " + SIDE_NAMES[side]
            table.append(DoseRow(f"ex:{index}:{side}", key, index, side, name, side_cells))
    for number_, record in enumerate(own.unused):
        where = f", {SIDE_NAMES[record.side]}" if record.side else ""
        cells = tuple(_cell(None, getattr(record.dose, n)) for n in DOSE_FIELDS)
        table.append(
            DoseRow(
                f"unused:{number_}",
                record.exercise,
                None,
                record.side,
                f"{record.exercise}{where} (unused)",
                cells,
            )
        )
    return table


def fields_for(side: str | None) -> tuple[str, ...]:
    """The fields a person may set: all for both sides, sets, reps and hold for one side."""
    return DOSE_FIELDS if side is None else SIDE_FIELDS


def form_values(doses: RoutineDoses, index: int, side: str | None) -> dict[str, str]:
    """What the form shows for an exercise (and side): the values in force."""
    now = doses.in_force(index, side)
    return {name: number(getattr(now, name)) for name in DOSE_FIELDS}


def read_value(name: str, text: str) -> int | float | None:
    """A field's text as its value; None when empty. ValueError, one line, when it is not a
    number of the field's kind (the limits are check_dose's)."""
    text = text.strip()
    if not text:
        return None
    low, high = DOSE_LIMITS[name]
    if name in ("sets", "reps"):
        try:
            return int(text)
        except ValueError:
            raise ValueError(
                f"{name} is a whole number from {low} to {high}, not {text!r}"
            ) from None
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise ValueError(f"{name} is a number of seconds from {low} to {high}, not {text!r}")
    return value


def entered(texts: Mapping[str, str], side: str | None, exercise: str) -> Dose:
    """The form's fields as a dose (an empty field is None), checked against the routine
    format's limits. ValueError, one line, for a value that is not allowed."""
    values = {name: read_value(name, texts.get(name, "")) for name in fields_for(side)}
    dose = Dose(**values)  # type: ignore[arg-type]
    check_dose(dose, side, exercise)
    return dose


def to_keep(
    doses: RoutineDoses, index: int, side: str | None, values: Dose, at: datetime
) -> tuple[DoseRecord, DoseChange] | None:
    """The record and change that keep `values` as the person's dose of the exercise (for
    both sides or one); None when that is already their dose."""
    exercise = doses.keys[index]
    base = doses.file_dose(index) if side is None else doses.in_force(index, None)
    own = Dose(
        **{
            name: value
            for name in fields_for(side)
            if (value := getattr(values, name)) is not None and value != getattr(base, name)
        }
    )
    old = doses.record(exercise, side)
    if own == (old.dose if old is not None else Dose()):
        return None
    before = doses.in_force(index, side)
    after = base.merged(own)
    record = DoseRecord(doses.routine_id, exercise, side, own)
    return record, DoseChange(at, doses.routine_id, exercise, side, before, after, REASON)


def changed_words(change: DoseChange) -> str:
    """'reps 10 → 12, hold 5 → 7'; 'no change' when the values are the same."""
    parts = [
        f"{name} {number(b)}{ARROW}{number(a)}"
        for name in DOSE_FIELDS
        if (b := getattr(change.before, name)) != (a := getattr(change.after, name))
        and a is not None
        and b is not None
    ]
    return ", ".join(parts) or "no change"


def read_schedule(routine_id: str, text: str) -> Schedule | None:
    """The weekly plan typed in the days field: 'mon wed fri', 'daily', or empty or 'none'
    for no plan. ValueError, one line, for a word that is not a day."""
    words = text.replace(",", " ").split()
    if not words or [w.lower() for w in words] == ["none"]:
        return None
    return Schedule(routine_id, parse_days(words))
