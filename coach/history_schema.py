"""What history holds: the file's schema and migrations, the records, the Store interface.

Times are stored as ISO 8601 text in UTC with microseconds, so the text sorts as time.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, Protocol


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


# Migration n + 1 is MIGRATIONS[n]: to change the schema, append a function. Each one runs in the
# opening transaction together with its `PRAGMA user_version` bump, so a failure changes nothing.
MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [_migrate_1]

SESSION_COLUMNS = (
    "routine_id, title, started_at, day, ended_at, status, pain_before, pain_after, effort,"
    " note, planned_sets, owner_pid, owner_host, exercise_index, set_number, dismissed"
)
SET_COLUMNS = (
    "exercise_index, exercise, set_number, recorded_at, side, direction, reps, holds, skipped"
)


@dataclass(frozen=True)
class SetRecord:
    """One finished or skipped set; `set_number` counts from 1."""

    exercise_index: int
    exercise: str
    set_number: int
    recorded_at: datetime
    side: str | None = None
    direction: str | None = None
    reps: int = 0
    holds: int = 0
    skipped: bool = False


@dataclass(frozen=True)
class SessionRecord:
    """A session. `exercise_index` and `set_number` point at its last committed set."""

    id: int
    routine_id: str
    title: str
    started_at: datetime
    day: date
    ended_at: datetime | None
    status: str
    pain_before: int | None
    pain_after: int | None
    effort: int | None
    note: str | None
    planned_sets: int | None
    pid: int
    host: str
    exercise_index: int | None
    set_number: int | None
    resumed_from: int | None
    dismissed: bool

    @property
    def minutes(self) -> float | None:
        return minutes_between(self.started_at, self.ended_at)


@dataclass(frozen=True)
class SessionSummary:
    """One line of the history list. `done`: sets done / planned (else recorded) sets."""

    id: int
    routine_id: str
    title: str
    started_at: datetime
    ended_at: datetime | None
    minutes: float | None
    status: str
    done: float | None
    pain_before: int | None
    pain_after: int | None
    effort: int | None = None


@dataclass(frozen=True)
class SessionDetail:
    session: SessionRecord
    sets: tuple[SetRecord, ...]


@dataclass(frozen=True)
class TrendPoint:
    day: date
    pain_before: int | None
    pain_after: int | None
    minutes: float | None


class Store(Protocol):
    """What the app needs from history; the file store and the memory store both give it."""

    @property
    def path(self) -> Path | None: ...
    def close(self) -> None: ...
    def start_session(
        self,
        routine_id: str,
        title: str,
        started_at: datetime,
        *,
        planned_sets: int | None = None,
        pain_before: int | None = None,
        resumed_from: int | None = None,
    ) -> int: ...
    def record_set(self, session_id: int, entry: SetRecord) -> None: ...
    def finish_session(
        self,
        session_id: int,
        ended_at: datetime,
        status: str = "completed",
        *,
        pain_after: int | None = None,
        effort: int | None = None,
        note: str | None = None,
    ) -> None: ...
    def mark_interrupted(self, now: datetime) -> list[int]: ...
    def resumable(self, routine_id: str | None, now: datetime) -> SessionRecord | None: ...
    def dismiss(self, session_id: int) -> None: ...
    def recent(self, limit: int = 50, offset: int = 0) -> list[SessionSummary]: ...
    def count(self) -> int: ...
    def detail(self, session_id: int) -> SessionDetail | None: ...
    def streak(self, today: date) -> int: ...
    def sessions_this_week(self, today: date) -> int: ...
    def calendar(self, today: date, weeks: int = 12) -> dict[date, int]: ...
    def trend(self, limit: int = 30) -> list[TrendPoint]: ...
    def export_rows(self) -> list[dict[str, Any]]: ...
    def export_json(self) -> str: ...
    def export_csv(self) -> str: ...


def to_text(moment: datetime) -> str:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"history needs timezone-aware times, not {moment!r}")
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def from_text(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text)


def minutes_between(start: datetime | None, end: datetime | None) -> float | None:
    return None if start is None or end is None else (end - start).total_seconds() / 60


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
    )


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


def summary_from_row(row: sqlite3.Row) -> SessionSummary:
    """From a sessions row with `done` and `total` set counts added."""
    started, ended = datetime.fromisoformat(row["started_at"]), from_text(row["ended_at"])
    base = row["planned_sets"] or row["total"]
    return SessionSummary(
        id=row["id"],
        routine_id=row["routine_id"],
        title=row["title"],
        started_at=started,
        ended_at=ended,
        minutes=minutes_between(started, ended),
        status=row["status"],
        done=min(1.0, row["done"] / base) if base else None,
        pain_before=row["pain_before"],
        pain_after=row["pain_after"],
        effort=row["effort"],
    )


def sample_sessions(
    count: int, first_start: datetime, *, sets_each: int = 8
) -> Iterator[tuple[SessionRecord, list[SetRecord]]]:
    """`count` made-up finished sessions, one a day from `first_start`, for tests and
    benchmarks; feed them to `HistoryStore.import_sessions`."""
    for n in range(count):
        start = first_start + timedelta(days=n)
        sets = [
            SetRecord(
                i // 2,
                f"exercise {i // 2}",
                i % 2 + 1,
                start + timedelta(minutes=i + 1),
                side=("left", "right")[i % 2],
                reps=10,
                holds=10,
                skipped=i % 7 == 6,
            )
            for i in range(sets_each)
        ]
        session = SessionRecord(
            id=0,
            routine_id=f"routine-{n % 3}",
            title=f"Routine {n % 3}",
            started_at=start,
            day=start.date(),
            ended_at=start + timedelta(minutes=sets_each + 2),
            status="completed",
            pain_before=n % 11,
            pain_after=max(0, n % 11 - 2),
            effort=n % 10,
            note=None,
            planned_sets=sets_each,
            pid=1,
            host="sample",
            exercise_index=(sets_each - 1) // 2,
            set_number=2,
            resumed_from=None,
            dismissed=False,
        )
        yield session, sets
