"""A person's programme in the history file: their doses, every change of them, and the weekdays
each routine is planned for (the tables of migration 3).

`StoreProgramme` is the programme half of `HistoryStore`; each call is one transaction, and a
value that does not fit raises ValueError (one line) before the file is touched. `read_tables`
reads whichever of the three tables a file has, for a reader that must not change the file.
Rows that cannot be read (a value beyond the routine format's limits, a time that is not one)
are left out and left in the file as they are.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from contextlib import AbstractContextManager
from datetime import datetime

from coach.history.model import (
    DOSE_FIELDS,
    DOSE_LIMITS,
    Dose,
    DoseChange,
    DoseRecord,
    Schedule,
    check_dose,
    check_schedule,
    to_text,
)
from coach.history.schema import is_text, is_time, or_null, records_of

WHOLE = ("sets", "reps")
"""The dose fields that count (the others are seconds)."""


def _value_check(column: str, field: str) -> str:
    low, high = DOSE_LIMITS[field]
    check = f"{column} BETWEEN {low} AND {high}"
    if field in WHOLE:
        check = f"typeof({column}) = 'integer' AND {check}"
    return or_null(f"({check})", column)


def _dose_checks(prefix: str = "") -> list[str]:
    return [_value_check(prefix + name, name) for name in DOSE_FIELDS]


_SIDE = "(side IS NULL OR side IN ('left', 'right'))"

READABLE_DOSE = " AND ".join(
    [
        is_text("routine_id"),
        is_text("exercise"),
        _SIDE,
        *_dose_checks(),
        "(side IS NULL OR (rest IS NULL AND relax IS NULL))",
    ]
)
"""True for a `doses` row that makes a whole record."""
READABLE_CHANGE = " AND ".join(
    [
        is_time("at"),
        is_text("routine_id"),
        is_text("exercise"),
        _SIDE,
        *_dose_checks("before_"),
        *_dose_checks("after_"),
        is_text("reason"),
    ]
)
"""True for a `dose_changes` row that makes a whole record."""
READABLE_SCHEDULE = (
    f"{is_text('routine_id')} AND typeof(days) = 'integer' AND days BETWEEN 1 AND 127"
)
"""True for a `schedules` row that makes a whole record."""

DOSE_COLUMNS = ", ".join(DOSE_FIELDS)
CHANGE_COLUMNS = ", ".join(
    [
        "at",
        "routine_id",
        "exercise",
        "side",
        *(f"before_{name}" for name in DOSE_FIELDS),
        *(f"after_{name}" for name in DOSE_FIELDS),
        "reason",
    ]
)
DOSES_QUERY = (
    f"SELECT routine_id, exercise, side, {DOSE_COLUMNS} FROM doses"
    f" WHERE (:routine IS NULL OR routine_id = :routine) AND {READABLE_DOSE}"
    " ORDER BY routine_id, exercise, side IS NOT NULL, side"
)
CHANGES_QUERY = (
    f"SELECT {CHANGE_COLUMNS} FROM dose_changes"
    f" WHERE (:routine IS NULL OR routine_id = :routine) AND {READABLE_CHANGE}"
    " ORDER BY at, id"
)
SCHEDULES_QUERY = f"SELECT routine_id, days FROM schedules WHERE {READABLE_SCHEDULE} ORDER BY 1"


def days_mask(days: Iterable[int]) -> int:
    """Weekdays (0 Monday .. 6 Sunday) as the file keeps them: a bit a day."""
    return sum(1 << day for day in set(days))


def mask_days(mask: int) -> tuple[int, ...]:
    """The weekdays of a mask, Monday first."""
    return tuple(day for day in range(7) if mask >> day & 1)


def _dose(row: sqlite3.Row, prefix: str = "") -> Dose:
    return Dose(**{name: row[prefix + name] for name in DOSE_FIELDS})


def _dose_values(dose: Dose) -> tuple[object, ...]:
    return tuple(getattr(dose, name) for name in DOSE_FIELDS)


def dose_from_row(row: sqlite3.Row) -> DoseRecord:
    return DoseRecord(row["routine_id"], row["exercise"], row["side"], _dose(row))


def change_from_row(row: sqlite3.Row) -> DoseChange:
    at = datetime.fromisoformat(row["at"])
    return DoseChange(
        at,
        row["routine_id"],
        row["exercise"],
        row["side"],
        _dose(row, "before_"),
        _dose(row, "after_"),
        row["reason"],
    )


def schedule_from_row(row: sqlite3.Row) -> Schedule:
    return Schedule(row["routine_id"], mask_days(row["days"]))


def read_doses(db: sqlite3.Connection, routine_id: str | None = None) -> list[DoseRecord]:
    """The doses (of one routine, or all), by routine, exercise, then both sides first."""
    rows = db.execute(DOSES_QUERY, {"routine": routine_id}).fetchall()
    return records_of(rows, dose_from_row)


def read_changes(db: sqlite3.Connection, routine_id: str | None = None) -> list[DoseChange]:
    """The changes of doses (of one routine, or all), oldest first."""
    rows = db.execute(CHANGES_QUERY, {"routine": routine_id}).fetchall()
    return records_of(rows, change_from_row)


def read_schedules(db: sqlite3.Connection) -> list[Schedule]:
    """Every routine's weekdays, by routine."""
    return records_of(db.execute(SCHEDULES_QUERY).fetchall(), schedule_from_row)


def read_tables(
    db: sqlite3.Connection,
) -> tuple[list[DoseRecord], list[DoseChange], list[Schedule]]:
    """The doses, changes and schedules of whichever of their tables the file has (a file of
    an older schema has none: nothing is read from it). `db` gives rows as sqlite3.Row."""
    tables = {
        name
        for (name,) in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'"
            " AND name IN ('doses', 'dose_changes', 'schedules')"
        )
    }
    return (
        read_doses(db) if "doses" in tables else [],
        read_changes(db) if "dose_changes" in tables else [],
        read_schedules(db) if "schedules" in tables else [],
    )


def _check_text(what: str, value: object) -> None:
    if not isinstance(value, str) or not value:
        raise ValueError(f"{what} is text, not {value!r}")


def _check_key(routine_id: object, exercise: object, side: object) -> None:
    _check_text("a routine id", routine_id)
    _check_text("an exercise", exercise)
    if side not in (None, "left", "right"):
        raise ValueError(f"a side is left or right, not {side!r}")


class StoreProgramme:
    """The programme calls of a history store; the store gives the transaction."""

    def _transaction(
        self, action: str, kind: str = "IMMEDIATE"
    ) -> AbstractContextManager[sqlite3.Connection]:
        raise NotImplementedError  # the store's own, in sqlite.py

    # -- reading ------------------------------------------------------------------------------

    def doses(self, routine_id: str | None = None) -> list[DoseRecord]:
        """The person's doses, of one routine or of all, by routine and exercise (an exercise's
        both-sides dose before its sides' own)."""
        with self._transaction("read the doses", "DEFERRED") as db:
            return read_doses(db, routine_id)

    def dose_changes(self, routine_id: str | None = None) -> list[DoseChange]:
        """Every change of a dose, of one routine or of all, oldest first."""
        with self._transaction("read the changes of doses", "DEFERRED") as db:
            return read_changes(db, routine_id)

    def schedules(self) -> list[Schedule]:
        """The weekdays each planned routine is planned for, by routine."""
        with self._transaction("read the weekly plan", "DEFERRED") as db:
            return read_schedules(db)

    # -- writing ------------------------------------------------------------------------------

    def set_dose(self, record: DoseRecord, change: DoseChange) -> None:
        """Put `record` in place of the exercise's (and side's) dose, and keep `change`, in one
        transaction; an empty dose removes the row (the file's values hold again). ValueError
        for a value outside the routine format's limits, rest or relax for one side, or a
        change of another exercise."""
        _check_key(record.routine_id, record.exercise, record.side)
        check_dose(record.dose, record.side, record.exercise)
        if (change.routine_id, change.exercise, change.side) != (
            record.routine_id,
            record.exercise,
            record.side,
        ):
            raise ValueError("a dose change names another exercise or side than its dose")
        check_dose(change.before, None, f"{record.exercise} (before)")
        check_dose(change.after, None, f"{record.exercise} (after)")
        _check_text("a dose change's reason", change.reason)
        at = to_text(change.at)
        key = (record.routine_id, record.exercise, record.side)
        with self._transaction("save the dose") as db:
            db.execute("DELETE FROM doses WHERE routine_id = ? AND exercise = ? AND side IS ?", key)
            if not record.dose.is_empty():
                db.execute(
                    f"INSERT INTO doses (routine_id, exercise, side, {DOSE_COLUMNS})"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (*key, *_dose_values(record.dose)),
                )
            self._log(db, at, change)

    def reset_doses(
        self, routine_id: str, exercise: str | None, change_at: datetime, reason: str
    ) -> list[DoseChange]:
        """Remove the person's doses of a routine (or of one exercise of it, both sides and
        each side's), so the file's values hold again, and keep one change a dose removed (its
        `before` the values that were the person's, its `after` empty). Returns the changes."""
        _check_text("a routine id", routine_id)
        if exercise is not None:
            _check_text("an exercise", exercise)
        _check_text("a dose change's reason", reason)
        at = to_text(change_at)
        with self._transaction("reset the doses") as db:
            found = [
                record
                for record in read_doses(db, routine_id)
                if exercise is None or record.exercise == exercise
            ]
            changes = [
                DoseChange(
                    change_at,
                    record.routine_id,
                    record.exercise,
                    record.side,
                    record.dose,
                    Dose(),
                    reason,
                )
                for record in found
            ]
            for change in changes:
                db.execute(
                    "DELETE FROM doses WHERE routine_id = ? AND exercise = ? AND side IS ?",
                    (change.routine_id, change.exercise, change.side),
                )
                self._log(db, at, change)
        return changes

    @staticmethod
    def _log(db: sqlite3.Connection, at: str, change: DoseChange) -> None:
        db.execute(
            f"INSERT INTO dose_changes ({CHANGE_COLUMNS})"
            f" VALUES ({', '.join('?' * len(CHANGE_COLUMNS.split(',')))})",
            (
                at,
                change.routine_id,
                change.exercise,
                change.side,
                *_dose_values(change.before),
                *_dose_values(change.after),
                change.reason,
            ),
        )

    def set_schedule(self, schedule: Schedule | None, routine_id: str) -> None:
        """Plan `routine_id` for the schedule's weekdays, in place of its plan before; None
        drops its plan. ValueError for no day, a day that is not 0–6, or another routine's
        schedule."""
        _check_text("a routine id", routine_id)
        if schedule is not None:
            check_schedule(schedule)
            if schedule.routine_id != routine_id:
                raise ValueError(f"a schedule of {schedule.routine_id!r} given for {routine_id!r}")
        with self._transaction("save the weekly plan") as db:
            if schedule is None:
                db.execute("DELETE FROM schedules WHERE routine_id = ?", (routine_id,))
            else:
                db.execute(
                    "INSERT OR REPLACE INTO schedules (routine_id, days) VALUES (?, ?)",
                    (routine_id, days_mask(schedule.days)),
                )
