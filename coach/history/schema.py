"""The history file's schema: its migrations, its columns, and rows turned into records and
back. Also why a file must be left alone, and a failure put into words.
"""

from __future__ import annotations

import errno
import sqlite3
from collections.abc import Callable, Iterable
from datetime import date, datetime
from pathlib import Path
from typing import Any, TypeVar

from coach.history.model import (
    DOSE_FIELDS,
    DOSE_LIMITS,
    SESSION_FIELDS,
    SET_FIELDS,
    Field,
    SessionRecord,
    SessionSummary,
    SetRecord,
    from_text,
    minutes_between,
    to_text,
)

T = TypeVar("T")

FILE_NAME = "history.db"
"""The history file's name in the data folder."""


def _migrate_1(db: sqlite3.Connection) -> None:
    """The first schema. `day` is the local calendar date the session counts for."""
    db.execute(
        """CREATE TABLE sessions (
            id INTEGER PRIMARY KEY,
            routine_id TEXT NOT NULL,
            title TEXT NOT NULL,
            started_at TEXT NOT NULL,
            day TEXT NOT NULL,
            ended_at TEXT,
            status TEXT NOT NULL
                CHECK (status IN ('running', 'completed', 'stopped', 'interrupted')),
            pain_before INTEGER CHECK (pain_before BETWEEN 0 AND 10),
            pain_after INTEGER CHECK (pain_after BETWEEN 0 AND 10),
            effort INTEGER CHECK (effort BETWEEN 0 AND 10),
            note TEXT,
            planned_sets INTEGER,
            owner_pid INTEGER NOT NULL,
            owner_host TEXT NOT NULL,
            exercise_index INTEGER,
            set_number INTEGER,
            resumed_from INTEGER REFERENCES sessions (id),
            dismissed INTEGER NOT NULL DEFAULT 0 CHECK (dismissed IN (0, 1)))"""
    )
    db.execute(
        """CREATE TABLE sets (
            id INTEGER PRIMARY KEY,
            session_id INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
            exercise_index INTEGER NOT NULL,
            exercise TEXT NOT NULL,
            set_number INTEGER NOT NULL,
            side TEXT CHECK (side IN ('left', 'right')),
            direction TEXT,
            reps INTEGER NOT NULL DEFAULT 0,
            holds INTEGER NOT NULL DEFAULT 0,
            skipped INTEGER NOT NULL DEFAULT 0 CHECK (skipped IN (0, 1)),
            recorded_at TEXT NOT NULL)"""
    )
    db.execute("CREATE INDEX sessions_by_start ON sessions (started_at)")
    db.execute("CREATE INDEX sessions_by_day ON sessions (day)")
    db.execute("CREATE INDEX sessions_by_status ON sessions (status)")
    db.execute("CREATE INDEX sets_by_session ON sets (session_id, skipped)")


def _migrate_2(db: sqlite3.Connection) -> None:
    """Sets keep what their side names and the side of the leg that worked; a session's
    `planned_sets` counts sets as the plan states them (2 sets on each side are 2, not 4).

    Before, `planned_sets` counted one a side and a direction. A session's recorded sets show
    how many of those made a set (the same rows with distinct exercise and set numbers), so the
    old number is scaled by that: exact for a session that recorded a part of every set it
    planned (every completed one), close for one that stopped early. The new columns stay NULL
    in the sets saved before: which leg worked there was not kept."""
    db.execute(
        "ALTER TABLE sets ADD COLUMN side_is TEXT"
        " CHECK (side_is IN ('working', 'lying_on', 'kneeling', 'leading'))"
    )
    db.execute(
        "ALTER TABLE sets ADD COLUMN working_side TEXT CHECK (working_side IN ('left', 'right'))"
    )
    db.execute(
        """UPDATE sessions SET planned_sets = (
            SELECT max(1, CAST(round(sessions.planned_sets * 1.0
                * count(DISTINCT printf('%d:%d', exercise_index, set_number)) / count(*))
                AS INTEGER))
            FROM sets WHERE sets.session_id = sessions.id)
        WHERE typeof(planned_sets) = 'integer' AND planned_sets > 0
            AND EXISTS (SELECT 1 FROM sets WHERE sets.session_id = sessions.id)"""
    )


def _limits(column: str, field: str) -> str:
    """A dose column's check: NULL, or within the routine format's limits for `field`."""
    low, high = DOSE_LIMITS[field]
    return f"{column} BETWEEN {low} AND {high}"


def _dose_columns(prefix: str = "") -> str:
    """The five dose columns (named `prefix` + field), each NULL (the file's value) or a value
    within the routine format's limits."""
    kinds = {"sets": "INTEGER", "reps": "INTEGER", "hold": "REAL", "rest": "REAL", "relax": "REAL"}
    return ",\n".join(
        f"{prefix}{name} {kinds[name]} CHECK ({_limits(prefix + name, name)})"
        for name in DOSE_FIELDS
    )


def _migrate_3(db: sqlite3.Connection) -> None:
    """A person's own programme: the doses they set (in place of a routine file's values), every
    change of them with its time and reason, and the weekdays each routine is planned for.
    Sets keep the dose they were done with and the pain when one was stopped because it hurt;
    in the sets saved before, these stay NULL.

    `doses` holds one row an exercise (its key: the name, or "NAME #2" for a second of that
    name) and side (NULL for both sides; a side of its own holds sets, reps and hold only); a
    NULL value keeps the file's. `schedules.days` is a bit a weekday: 1 Monday, 2 Tuesday, 4
    Wednesday, ... 64 Sunday (127 is every day)."""
    db.execute(
        f"""CREATE TABLE doses (
            routine_id TEXT NOT NULL CHECK (length(routine_id) > 0),
            exercise TEXT NOT NULL CHECK (length(exercise) > 0),
            side TEXT CHECK (side IN ('left', 'right')),
            {_dose_columns()},
            CHECK (side IS NULL OR (rest IS NULL AND relax IS NULL)))"""
    )
    # One row an exercise and side: NULL sides are not equal to one another in a UNIQUE index.
    db.execute(
        "CREATE UNIQUE INDEX doses_by_exercise ON doses (routine_id, exercise, coalesce(side, ''))"
    )
    db.execute(
        f"""CREATE TABLE dose_changes (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            routine_id TEXT NOT NULL,
            exercise TEXT NOT NULL,
            side TEXT CHECK (side IN ('left', 'right')),
            {_dose_columns("before_")},
            {_dose_columns("after_")},
            reason TEXT NOT NULL)"""
    )
    db.execute("CREATE INDEX dose_changes_by_routine ON dose_changes (routine_id, at)")
    db.execute(
        """CREATE TABLE schedules (
            routine_id TEXT PRIMARY KEY CHECK (length(routine_id) > 0),
            days INTEGER NOT NULL CHECK (days BETWEEN 1 AND 127))"""
    )
    db.execute("ALTER TABLE sets ADD COLUMN target_reps INTEGER")
    db.execute("ALTER TABLE sets ADD COLUMN target_hold REAL")
    db.execute("ALTER TABLE sets ADD COLUMN hurt INTEGER CHECK (hurt BETWEEN 0 AND 10)")


# Migration n + 1 is MIGRATIONS[n]: to change the schema, append a function. Each one runs in the
# opening transaction together with its `PRAGMA user_version` bump, so a failure changes nothing.
MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [_migrate_1, _migrate_2, _migrate_3]


SESSION_COLUMNS = (
    "routine_id, title, started_at, day, ended_at, status, pain_before, pain_after, effort,"
    " note, planned_sets, owner_pid, owner_host, exercise_index, set_number, dismissed"
)
SET_COLUMNS = (
    "exercise_index, exercise, set_number, recorded_at, side, direction, reps, holds, skipped,"
    " side_is, working_side, target_reps, target_hold, hurt"
)

# -- rows that can be read ------------------------------------------------------------------
# A row another program (or a newer coach, or a hand at the sqlite3 prompt) wrote may hold what
# this coach cannot read: `yesterday` for a start time, text or NULL where a number belongs, a
# status it does not know. Every read keeps to the rows these conditions pass, so a record is
# only ever made of values that fit it; the rest stay in the file untouched and are counted.
# They are plain SQL (no Python function per row), to keep a history of 10,000 sessions quick.
# A time must have the shape `to_text` writes (ISO 8601 with microseconds and an offset), a day
# the shape of an ISO date; a value of that shape that is still no time (30 February) is left
# out where it is read, by the converters' own check.


# Each check is a comparison, not a function call where one will do: in SQLite NULL sorts
# before numbers, numbers before text, text before blobs. A check on NULL is NULL, which WHERE
# takes as false: `(check) IS NOT 1` is the row that fails.


def is_number(column: str) -> str:
    """An integer or real (the converters take either), never NULL, text or a blob."""
    return f"{column} BETWEEN -9223372036854775808 AND 9223372036854775807"


def is_text(column: str) -> str:
    return f"({column} >= '' AND {column} < x'')"


def or_null(check: str, column: str) -> str:
    return f"({column} IS NULL OR {check})"


def on_scale(column: str) -> str:
    return or_null(f"{column} BETWEEN 0 AND 10", column)


_DIGITS = "[0-9]"
DAY_SHAPE = f"{_DIGITS * 4}-[01]{_DIGITS}-[0-3]{_DIGITS}"
_TIME_SHAPE = (
    f"{DAY_SHAPE}T[0-2]{_DIGITS}:[0-5]{_DIGITS}:[0-5]{_DIGITS}"
    f".{_DIGITS * 6}[+-][0-2]{_DIGITS}:[0-5]{_DIGITS}"
)


def is_time(column: str) -> str:
    return f"{column} GLOB '{_TIME_SHAPE}'"


def readable_session(table: str = "s") -> str:
    """True for a row of `sessions` (named `table` in the query) that makes a whole record."""
    t = f"{table}."
    # `+` keeps the planner from taking these for index lookups: the list reads the sessions
    # newest first by their start, and these only filter what it reads.
    checks = [
        f"+{t}status IN ('running', 'completed', 'stopped', 'interrupted')",
        f"{t}dismissed IN (0, 1)",
        is_text(t + "routine_id"),
        is_text(t + "title"),
        is_text(t + "owner_host"),
        or_null(is_text(t + "note"), t + "note"),
        is_number(t + "owner_pid"),
        *(on_scale(t + name) for name in ("pain_before", "pain_after", "effort")),
        *(
            or_null(is_number(t + name), t + name)
            for name in ("planned_sets", "exercise_index", "set_number", "resumed_from")
        ),
        f"+{t}day GLOB '{DAY_SHAPE}'",
        is_time(f"+{t}started_at"),
        or_null(is_time(t + "ended_at"), t + "ended_at"),
    ]
    return f"({' AND '.join(checks)})"


READABLE_SESSION = readable_session("s")
"""True for a `sessions s` row that makes a whole record."""
READABLE_SET = (
    "("
    + " AND ".join(
        [
            "t.skipped IN (0, 1)",
            "(t.side IS NULL OR t.side IN ('left', 'right'))",
            "(t.working_side IS NULL OR t.working_side IN ('left', 'right'))",
            "(t.side_is IS NULL OR t.side_is IN ('working', 'lying_on', 'kneeling', 'leading'))",
            is_text("t.exercise"),
            or_null(is_text("t.direction"), "t.direction"),
            *(is_number("t." + name) for name in ("exercise_index", "set_number", "reps", "holds")),
            or_null(is_number("t.target_reps"), "t.target_reps"),
            or_null(is_number("t.target_hold"), "t.target_hold"),
            on_scale("t.hurt"),
            is_time("t.recorded_at"),
        ]
    )
    + ")"
)
"""True for a `sets t` row that makes a whole record."""


EXPORT_SESSIONS = (
    f"SELECT {', '.join('s.' + f.attribute for f in SESSION_FIELDS if f.stored)}"
    " FROM sessions s"
    f" WHERE {READABLE_SESSION} ORDER BY started_at, id"
)
"""Every readable session's exported fields, oldest first (named as the file names them)."""
EXPORT_SETS = (
    f"SELECT session_id, {', '.join('t.' + f.attribute for f in SET_FIELDS)} FROM sets t"
    f" WHERE {READABLE_SET} ORDER BY id"
)
"""Every readable set's exported fields, with its session's id, in the order they were saved."""


def exported(fields: tuple[Field, ...], values: tuple[object, ...]) -> dict[str, Any]:
    """A row of EXPORT_SESSIONS or EXPORT_SETS as the exports name and type its fields."""
    return {
        field.name: bool(value) if field.kind == "bool" and value is not None else value
        for field, value in zip(fields, values, strict=True)
    }


def session_values(record: SessionRecord) -> tuple[object, ...]:
    """The values for SESSION_COLUMNS, in order."""
    return (
        record.routine_id,
        record.title,
        to_text(record.started_at),
        record.day.isoformat(),
        None if record.ended_at is None else to_text(record.ended_at),
        record.status,
        record.pain_before,
        record.pain_after,
        record.effort,
        record.note,
        record.planned_sets,
        record.pid,
        record.host,
        record.exercise_index,
        record.set_number,
        int(record.dismissed),
    )


def set_values(entry: SetRecord) -> tuple[object, ...]:
    """The values for SET_COLUMNS, in order."""
    return (
        entry.exercise_index,
        entry.exercise,
        entry.set_number,
        to_text(entry.recorded_at),
        entry.side,
        entry.direction,
        entry.reps,
        entry.holds,
        int(entry.skipped),
        entry.side_is,
        entry.working_side,
        entry.target_reps,
        entry.target_hold,
        entry.hurt,
    )


def records_of(rows: Iterable[sqlite3.Row], convert: Callable[[sqlite3.Row], T]) -> list[T]:
    """The rows as records, leaving out any the readable-row checks let through that still
    cannot make one (a time of the right shape that is no time, 30 February): a read never
    fails on one row."""
    records: list[T] = []
    for row in rows:
        try:
            records.append(convert(row))
        except (ValueError, TypeError, KeyError, OverflowError):
            continue
    return records


def set_from_row(row: sqlite3.Row) -> SetRecord:
    return SetRecord(
        exercise_index=row["exercise_index"],
        exercise=row["exercise"],
        set_number=row["set_number"],
        recorded_at=datetime.fromisoformat(row["recorded_at"]),
        side=row["side"],
        direction=row["direction"],
        reps=row["reps"],
        holds=row["holds"],
        skipped=bool(row["skipped"]),
        side_is=row["side_is"],
        working_side=row["working_side"],
        target_reps=row["target_reps"],
        target_hold=row["target_hold"],
        hurt=row["hurt"],
    )


def session_from_row(row: sqlite3.Row) -> SessionRecord:
    return SessionRecord(
        id=row["id"],
        routine_id=row["routine_id"],
        title=row["title"],
        started_at=datetime.fromisoformat(row["started_at"]),
        day=date.fromisoformat(row["day"]),
        ended_at=from_text(row["ended_at"]),
        status=row["status"],
        pain_before=row["pain_before"],
        pain_after=row["pain_after"],
        effort=row["effort"],
        note=row["note"],
        planned_sets=row["planned_sets"],
        pid=row["owner_pid"],
        host=row["owner_host"],
        exercise_index=row["exercise_index"],
        set_number=row["set_number"],
        resumed_from=row["resumed_from"],
        dismissed=bool(row["dismissed"]),
    )


def summary_from_row(row: sqlite3.Row, done: int, total: int) -> SessionSummary:
    """From a sessions row and its sets done and recorded, counted as coach.counts counts
    them (2 sets on each side are 2)."""
    started, ended = datetime.fromisoformat(row["started_at"]), from_text(row["ended_at"])
    base = row["planned_sets"] or total
    return SessionSummary(
        id=row["id"],
        routine_id=row["routine_id"],
        title=row["title"],
        started_at=started,
        ended_at=ended,
        minutes=minutes_between(started, ended),
        status=row["status"],
        done=min(1.0, done / base) if base else None,
        pain_before=row["pain_before"],
        pain_after=row["pain_after"],
        effort=row["effort"],
    )


def refusal(db: sqlite3.Connection, path: Path) -> str | None:
    """Why this file must not be changed, found before anything is written to it."""
    version = db.execute("PRAGMA user_version").fetchone()[0]
    if version > len(MIGRATIONS):
        return (
            f"{path} was made by a newer coach (schema {version}, this one knows "
            f"{len(MIGRATIONS)}); left untouched"
        )
    if version == 0 and db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
        return f"{path} is not a coach history (left untouched)"
    # A row that breaks a CHECK (a status a newer coach knows, a number out of range) is a row
    # that cannot be read, left out by every read; it does not make the file damaged.
    db.execute("PRAGMA ignore_check_constraints = ON")
    try:
        damaged = db.execute("PRAGMA quick_check(1)").fetchone()[0] != "ok"
    finally:
        db.execute("PRAGMA ignore_check_constraints = OFF")
    if damaged:
        return f"{path} is damaged (left untouched)"
    return None


def is_locked(exc: BaseException) -> bool:
    """Whether another program's lock made this fail (so it may work a little later)."""
    name = getattr(exc, "sqlite_errorname", "") or ""
    return name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED"))


def cannot_write(exc: BaseException) -> bool:
    """Whether this failure means the file (its folder, its filesystem) cannot be written,
    though it may still be read."""
    if isinstance(exc, OSError):
        return exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS)
    name = getattr(exc, "sqlite_errorname", "") or ""
    return name.startswith(("SQLITE_READONLY", "SQLITE_CANTOPEN", "SQLITE_PERM"))


def explain(exc: BaseException, where: str) -> str:
    if isinstance(exc, OSError):
        return f"cannot write {exc.filename or where}: {exc.strerror or exc}"
    name = getattr(exc, "sqlite_errorname", "") or ""
    for code, text in (
        ("SQLITE_NOTADB", "is not a SQLite database (left untouched)"),
        ("SQLITE_CORRUPT", "is damaged (left untouched)"),
        ("SQLITE_BUSY", "is locked by another program"),
        ("SQLITE_LOCKED", "is locked by another program"),
        ("SQLITE_READONLY", "is read-only"),
        ("SQLITE_CANTOPEN", "cannot be opened (is its folder writable?)"),
        ("SQLITE_FULL", "cannot grow: the disk is full"),
    ):
        if name.startswith(code):
            return f"{where} {text}"
    return f"{where}: {exc}"
