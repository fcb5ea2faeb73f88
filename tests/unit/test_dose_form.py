"""The dose screen's sums: its table's rows, the form's values, and what a form keeps."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from coach.history.model import Dose, DoseRecord, Schedule
from coach.routine_yaml import parse_routine
from coach.ui.dose_form import (
    RoutineDoses,
    changed_words,
    entered,
    read_schedule,
    read_value,
    rows,
    to_keep,
)

ROUTINE = parse_routine(
    """\
title: Two bridges
exercises:
  - name: Bridge
    reps: 10
    hold: 5
    sides: both
  - name: Bridge
    reps: 8
"""
)
AT = datetime(2026, 3, 2, 8, tzinfo=UTC)


def doses(*records: DoseRecord) -> RoutineDoses:
    return RoutineDoses(ROUTINE, "two", records)


def test_rows_show_the_files_value_beside_the_persons_and_each_sides_own() -> None:
    table = rows(
        doses(
            DoseRecord("two", "Bridge", None, Dose(reps=12)),
            DoseRecord("two", "Bridge", "right", Dose(hold=7.5)),
            DoseRecord("two", "Bridge #2", "left", Dose(reps=3)),  # no sides: unused
            DoseRecord("two", "Gone", None, Dose(sets=2)),
            DoseRecord("other", "Bridge", None, Dose(reps=50)),  # another routine's
        )
    )
    assert [(r.name, r.cells) for r in table] == [
        ("Bridge", ("1", "10 → 12", "5", "30", "0")),
        ("  right leg", ("·", "·", "5 → 7.5", "·", "·")),
        ("Bridge #2", ("1", "8", "0", "30", "0")),
        ("Bridge #2, left leg (unused)", ("·", "3", "·", "·", "·")),
        ("Gone (unused)", ("2", "·", "·", "·", "·")),
    ]
    assert [r.unused for r in table] == [False, False, False, True, True]


def test_a_form_keeps_only_the_values_that_differ() -> None:
    mine = doses(DoseRecord("two", "Bridge", None, Dose(reps=12)))
    # Both sides: reps back to the file's 10, hold 6: only the hold is kept.
    record, change = to_keep(mine, 0, None, Dose(1, 10, 6.0, 30.0, 0.0), AT) or (None, None)
    assert record == DoseRecord("two", "Bridge", None, Dose(hold=6.0))
    assert change is not None and change.before == Dose(1, 12, 5.0, 30.0, 0.0)
    assert change.after == Dose(1, 10, 6.0, 30.0, 0.0) and change.reason == "set on the dose screen"
    assert changed_words(change) == "reps 12 → 10, hold 5 → 6"
    # One side: a value equal to both sides' is not the side's own.
    kept = to_keep(mine, 0, "left", Dose(sets=1, reps=12, hold=4.0), AT)
    assert kept is not None and kept[0].dose == Dose(hold=4.0)
    assert kept[1].after == Dose(1, 12, 4.0, 30.0, 0.0)
    # The dose as it is: nothing to keep.
    assert to_keep(mine, 0, None, Dose(1, 12, 5.0, 30.0, 0.0), AT) is None


@pytest.mark.parametrize(
    ("name", "text", "value"),
    [("reps", " 12 ", 12), ("hold", "2.5", 2.5), ("rest", "", None), ("relax", "0", 0.0)],
)
def test_a_field_reads_as_its_kind(name: str, text: str, value: object) -> None:
    assert read_value(name, text) == value


@pytest.mark.parametrize(
    ("texts", "side", "said"),
    [
        ({"reps": "12.5"}, None, "reps is a whole number from 1 to 100, not '12.5'"),
        ({"hold": "inf"}, None, "hold is a number of seconds from 0 to 600, not 'inf'"),
        ({"sets": "21"}, None, "Bridge: sets is a whole number from 1 to 20, not 21"),
        ({"reps": "0"}, "left", "Bridge: reps is a whole number from 1 to 100, not 0"),
    ],
)
def test_a_wrong_value_is_one_line(texts: dict[str, str], side: str | None, said: str) -> None:
    with pytest.raises(ValueError) as caught:
        entered(texts, side, "Bridge")
    assert str(caught.value) == said


def test_one_side_never_takes_rest_or_relax() -> None:
    assert entered({"reps": "9", "rest": "45"}, "left", "Bridge") == Dose(reps=9)


def test_the_weekly_plan_reads_days_daily_or_none() -> None:
    assert read_schedule("two", "Mon, wed  fri") == Schedule("two", (0, 2, 4))
    assert read_schedule("two", "daily") == Schedule("two", tuple(range(7)))
    assert read_schedule("two", "  ") is None and read_schedule("two", "None") is None
    with pytest.raises(ValueError, match="'someday' is not a day"):
        read_schedule("two", "mon someday")
