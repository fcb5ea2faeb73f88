"""History in a SQLite file, written as the session happens, read by every surface.

Every method that needs the time takes it (timezone-aware); the store never reads the clock.
Pass local times: the calendar date of `started_at` as given is the day the session counts for.
Any SQLite or OS failure reaches the caller as one `HistoryError` with a one-line message.
"""

from __future__ import annotations

import os
import socket
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from coach.history.model import (
    ENDINGS,
    SESSION_FIELDS,
    SET_FIELDS,
    HistoryError,
    SessionDetail,
    SessionRecord,
    SessionSummary,
    SetRecord,
    Store,
    TrendPoint,
    check_scale,
    from_text,
    minutes_between,
    to_text,
)
from coach.history.owners import pid_alive
from coach.history.schema import (
    EXPORT_SESSIONS,
    EXPORT_SETS,
    MIGRATIONS,
    SESSION_COLUMNS,
    SET_COLUMNS,
    explain,
    exported,
    refusal,
    session_from_row,
    session_values,
    set_from_row,
    set_values,
    summary_from_row,
)

FILE_NAME = "history.db"
STALE_AFTER = timedelta(hours=12)
# A session counts for streaks, weeks and the calendar when at least one of its sets was done.
_DID_A_SET = "EXISTS (SELECT 1 FROM sets t WHERE t.session_id = s.id AND t.skipped = 0)"


class HistoryStore:
    """History on one SQLite connection; `HistoryStore.open(path)` for the file."""

    def __init__(
        self,
        db: sqlite3.Connection,
        path: Path | None,
        *,
        pid: int | None = None,
        host: str | None = None,
    ) -> None:
        self._db = db
        self._path = path
        self._where = str(path) if path else "the in-memory history"
        self._lock = threading.RLock()
        self.pid = os.getpid() if pid is None else pid
        self.host = socket.gethostname() if host is None else host
        db.row_factory = sqlite3.Row
        db.execute("PRAGMA foreign_keys = ON")

    @classmethod
    def open(
        cls,
        path: Path,
        *,
        busy_timeout: float = 5.0,
        pid: int | None = None,
        host: str | None = None,
    ) -> HistoryStore:
        """Open the file (created with mode 0600) and migrate it. A file that is not a coach
        history, is damaged or comes from a newer coach is left exactly as it was."""
        db: sqlite3.Connection | None = None
        cause: BaseException | None = None
        try:
            path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            os.close(os.open(path, os.O_RDWR | os.O_CREAT, 0o600))
            db = sqlite3.connect(
                path, timeout=busy_timeout, isolation_level=None, check_same_thread=False
            )
            reason = refusal(db, path)
            if reason is None:
                db.execute("PRAGMA journal_mode = WAL")
                db.execute("PRAGMA synchronous = NORMAL")  # WAL: a killed coach loses no commit
                store = HistoryStore(db, path, pid=pid, host=host)
                store._migrate()
                return store
        except (sqlite3.Error, OSError, HistoryError) as exc:
            cause = exc.__cause__ or exc
            reason = explain(cause, str(path))
        if db is not None:
            db.close()
        raise HistoryError(f"history is not saved: {reason}", reason) from cause

    @property
    def path(self) -> Path | None:
        return self._path

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def __enter__(self) -> HistoryStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _migrate(self) -> None:
        with self._transaction("prepare the history") as db:
            version = db.execute("PRAGMA user_version").fetchone()[0]
            for number in range(version, len(MIGRATIONS)):
                MIGRATIONS[number](db)
                db.execute(f"PRAGMA user_version = {number + 1}")

    # -- writing: each call is one committed transaction ------------------------------------------

    def start_session(
        self,
        routine_id: str,
        title: str,
        started_at: datetime,
        *,
        planned_sets: int | None = None,
        pain_before: int | None = None,
        resumed_from: int | None = None,
    ) -> int:
        """Insert a `running` session owned by this process; `resumed_from` when resuming."""
        check_scale(pain_before=pain_before)
        row = (routine_id, title, to_text(started_at), started_at.date().isoformat())
        with self._transaction("start the session") as db:
            cursor = db.execute(
                "INSERT INTO sessions (routine_id, title, started_at, day, status, pain_before,"
                " planned_sets, owner_pid, owner_host, resumed_from)"
                " VALUES (?, ?, ?, ?, 'running', ?, ?, ?, ?, ?)",
                (*row, pain_before, planned_sets, self.pid, self.host, resumed_from),
            )
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    def record_set(self, session_id: int, entry: SetRecord) -> None:
        """Commit one finished or skipped set and move the session's progress pointer to it.

        A set already saved in this session (gone back to and done again) keeps one row, with
        the most reps and holds of its tries; it counts as skipped only if every try was."""
        if entry.side not in (None, "left", "right"):
            raise ValueError(f"side is left, right or None, not {entry.side!r}")
        with self._transaction("save the set") as db:
            saved = db.execute(
                "SELECT id FROM sets WHERE session_id = ? AND exercise_index = ?"
                " AND set_number = ? AND side IS ? AND direction IS ?",
                (session_id, entry.exercise_index, entry.set_number, entry.side, entry.direction),
            ).fetchone()
            if saved is None:
                db.execute(
                    f"INSERT INTO sets (session_id, {SET_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?)",
                    (session_id, *set_values(entry)),
                )
            else:
                db.execute(
                    "UPDATE sets SET reps = max(reps, ?), holds = max(holds, ?),"
                    " skipped = min(skipped, ?), recorded_at = ? WHERE id = ?",
                    (
                        entry.reps,
                        entry.holds,
                        int(entry.skipped),
                        to_text(entry.recorded_at),
                        saved[0],
                    ),
                )
            db.execute(
                "UPDATE sessions SET exercise_index = ?, set_number = ? WHERE id = ?",
                (entry.exercise_index, entry.set_number, session_id),
            )

    def finish_session(
        self,
        session_id: int,
        ended_at: datetime,
        status: str = "completed",
        *,
        pain_after: int | None = None,
        effort: int | None = None,
        note: str | None = None,
    ) -> None:
        if status not in ENDINGS:
            raise ValueError(f"a session ends {', '.join(ENDINGS)}, not {status!r}")
        check_scale(pain_after=pain_after, effort=effort)
        with self._transaction("finish the session") as db:
            db.execute(
                "UPDATE sessions SET ended_at = ?, status = ?, pain_after = ?, effort = ?,"
                " note = ? WHERE id = ?",
                (to_text(ended_at), status, pain_after, effort, note, session_id),
            )

    def mark_interrupted(self, now: datetime) -> list[int]:
        """Mark `interrupted` the running sessions whose coach is gone; return their ids.

        Gone: its process is not alive on this host, or it started more than 12 h ago (on
        another host, or on this one under a pid since reused). It ends at its last set.
        """
        stale = to_text(now - STALE_AFTER)
        with self._transaction("close unfinished sessions") as db:
            rows = db.execute(
                "SELECT id, owner_pid, owner_host, started_at FROM sessions"
                " WHERE status = 'running'"
            ).fetchall()
            gone = [
                row["id"]
                for row in rows
                if row["started_at"] < stale
                or (row["owner_host"] == self.host and not pid_alive(row["owner_pid"]))
            ]
            db.executemany(
                "UPDATE sessions SET status = 'interrupted', ended_at = coalesce("
                "(SELECT max(recorded_at) FROM sets WHERE session_id = sessions.id), started_at)"
                " WHERE id = ? AND status = 'running'",
                [(session_id,) for session_id in gone],
            )
        return gone

    def dismiss(self, session_id: int) -> None:
        """Do not offer this session for resuming again."""
        with self._transaction("dismiss the session") as db:
            db.execute("UPDATE sessions SET dismissed = 1 WHERE id = ?", (session_id,))

    def import_sessions(self, items: Iterable[tuple[SessionRecord, Sequence[SetRecord]]]) -> int:
        """Bulk-insert sessions with their sets in one transaction (new ids; `resumed_from`
        is dropped). Returns how many sessions."""
        with self._transaction("import sessions") as db:
            first = db.execute("SELECT coalesce(max(id), 0) + 1 FROM sessions").fetchone()[0]
            sessions: list[tuple[object, ...]] = []
            sets: list[tuple[object, ...]] = []
            for new_id, (record, entries) in enumerate(items, start=first):
                sessions.append((new_id, *session_values(record)))
                sets.extend((new_id, *set_values(entry)) for entry in entries)
            db.executemany(
                f"INSERT INTO sessions (id, {SESSION_COLUMNS})"
                " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                sessions,
            )
            db.executemany(
                f"INSERT INTO sets (session_id, {SET_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?)",
                sets,
            )
        return len(sessions)

    # -- reading ------------------------------------------------------------------------------

    def resumable(self, routine_id: str | None, since: datetime) -> SessionRecord | None:
        """The latest session interrupted since `since` (of `routine_id` if given) that
        got a set in, was not dismissed, and has no later session of its routine; resuming
        starts one (`resumed_from`), so a resumed session is not offered again."""
        with self._transaction("look for a session to resume", "DEFERRED") as db:
            row = db.execute(
                "SELECT * FROM sessions s WHERE status = 'interrupted' AND dismissed = 0"
                " AND started_at >= ? AND exercise_index IS NOT NULL"
                " AND (? IS NULL OR routine_id = ?)"
                " AND NOT EXISTS (SELECT 1 FROM sessions l WHERE l.routine_id = s.routine_id"
                " AND l.started_at > s.started_at)"
                " ORDER BY started_at DESC, id DESC LIMIT 1",
                (to_text(since), routine_id, routine_id),
            ).fetchone()
        return None if row is None else session_from_row(row)

    def recent(self, limit: int = 50, offset: int = 0) -> list[SessionSummary]:
        """The latest sessions first, as the history list shows them."""
        with self._transaction("read the history", "DEFERRED") as db:
            rows = db.execute(
                "SELECT s.*, (SELECT count(*) FROM sets t WHERE t.session_id = s.id) AS total,"
                " (SELECT count(*) FROM sets t WHERE t.session_id = s.id AND t.skipped = 0)"
                " AS done FROM sessions s ORDER BY started_at DESC, id DESC LIMIT ? OFFSET ?",
                (limit, offset),
            ).fetchall()
        return [summary_from_row(row) for row in rows]

    def count(self) -> int:
        with self._transaction("count the sessions", "DEFERRED") as db:
            return int(db.execute("SELECT count(*) FROM sessions").fetchone()[0])

    def detail(self, session_id: int) -> SessionDetail | None:
        with self._transaction("read the session", "DEFERRED") as db:
            row = db.execute("SELECT * FROM sessions WHERE id = ?", (session_id,)).fetchone()
            sets = db.execute(
                f"SELECT {SET_COLUMNS} FROM sets WHERE session_id = ? ORDER BY id", (session_id,)
            ).fetchall()
        if row is None:
            return None
        return SessionDetail(session_from_row(row), tuple(set_from_row(entry) for entry in sets))

    def streak(self, today: date) -> int:
        """Consecutive days that had a session doing a set, up to today, or up to yesterday
        while today has none yet. The days are read newest first and only until the first gap,
        so a usual streak reads a handful of rows."""
        count, expected = 0, today
        with self._transaction("count the streak", "DEFERRED") as db:
            days = db.execute(
                f"SELECT DISTINCT day FROM sessions s WHERE day <= ? AND {_DID_A_SET}"
                " ORDER BY day DESC",
                (today.isoformat(),),
            )
            for (text,) in days:
                day = date.fromisoformat(text)
                if count == 0 and day == today - timedelta(days=1):
                    expected = day
                if day != expected:
                    break
                count, expected = count + 1, day - timedelta(days=1)
        return count

    def sessions_this_week(self, today: date) -> int:
        """Sessions that did a set in today's ISO week, Monday to Sunday."""
        monday = today - timedelta(days=today.weekday())
        return sum(self._per_day(monday, monday + timedelta(days=6)).values())

    def calendar(self, today: date, weeks: int = 12) -> dict[date, int]:
        """Sessions that did a set, for every day (0 included) from the Monday `weeks - 1`
        weeks before this week's up to today."""
        first = today - timedelta(days=today.weekday(), weeks=weeks - 1)
        counts = self._per_day(first, today)
        days = (first + timedelta(days=n) for n in range((today - first).days + 1))
        return {day: counts.get(day, 0) for day in days}

    def _per_day(self, first: date, last: date) -> dict[date, int]:
        with self._transaction("read the calendar", "DEFERRED") as db:
            rows = db.execute(
                f"SELECT day, count(*) FROM sessions s WHERE day BETWEEN ? AND ? AND {_DID_A_SET}"
                " GROUP BY day",
                (first.isoformat(), last.isoformat()),
            ).fetchall()
        return {date.fromisoformat(day): number for day, number in rows}

    def trend(self, limit: int = 30) -> list[TrendPoint]:
        """Pain before and after, and minutes, of the latest ended sessions, oldest first."""
        with self._transaction("read the trend", "DEFERRED") as db:
            rows = db.execute(
                "SELECT day, pain_before, pain_after, started_at, ended_at FROM sessions"
                " WHERE ended_at IS NOT NULL ORDER BY started_at DESC, id DESC LIMIT ?",
                (limit,),
            ).fetchall()
        return [
            TrendPoint(
                day=date.fromisoformat(row["day"]),
                pain_before=row["pain_before"],
                pain_after=row["pain_after"],
                minutes=minutes_between(from_text(row["started_at"]), from_text(row["ended_at"])),
            )
            for row in reversed(rows)
        ]

    def export_rows(self) -> list[dict[str, Any]]:
        """Every session with its sets, oldest first, as JSON-ready dicts named by the fields
        of SESSION_FIELDS and SET_FIELDS."""
        by_session: dict[int, list[dict[str, Any]]] = {}
        with self._transaction("export the history", "DEFERRED") as db:
            sessions = db.execute(EXPORT_SESSIONS).fetchall()
            for row in db.execute(EXPORT_SETS):
                by_session.setdefault(row[0], []).append(exported(SET_FIELDS, tuple(row)[1:]))
        return [
            {**exported(SESSION_FIELDS, tuple(row)), "sets": by_session.get(row[0], [])}
            for row in sessions
        ]

    # -- plumbing -----------------------------------------------------------------------------

    @contextmanager
    def _transaction(self, action: str, kind: str = "IMMEDIATE") -> Iterator[sqlite3.Connection]:
        """One transaction, committed at the end (DEFERRED for reads: one consistent view)."""
        with self._lock:
            try:
                self._db.execute(f"BEGIN {kind}")
                try:
                    yield self._db
                    self._db.execute("COMMIT")
                finally:
                    if self._db.in_transaction:
                        self._db.execute("ROLLBACK")
            except (sqlite3.Error, OSError) as exc:
                raise HistoryError(f"could not {action}: {explain(exc, self._where)}") from exc


class MemoryStore(HistoryStore):
    """The same store in memory: the session runs, and nothing outlives the process."""

    def __init__(self, *, pid: int | None = None, host: str | None = None) -> None:
        db = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
        super().__init__(db, None, pid=pid, host=host)
        self._migrate()


def open_store(data_dir: Path) -> tuple[Store, str | None]:
    """The history file in `data_dir`, or a memory store and the one-line reason why not."""
    try:
        return HistoryStore.open(data_dir / FILE_NAME), None
    except HistoryError as exc:
        return MemoryStore(), exc.reason
