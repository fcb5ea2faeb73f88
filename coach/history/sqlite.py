"""History in a SQLite file, written as the session happens, read by every surface.

Every method that needs the time takes it (timezone-aware); the store never reads the clock.
Pass local times: the calendar date of `started_at` as given is the day the session counts for.
Any SQLite or OS failure reaches the caller as one `HistoryError` with a one-line message.

A file that can be read but not written (its mode, its folder, a read-only filesystem) opens
read-only: every read works, every write fails with "is read-only". Rows that cannot be read
are left out of every read, left in the file as they are, and counted by `unreadable()`.
Opening adds the journal of sets a coach kept aside while the file was locked (see journal.py).
"""

from __future__ import annotations

import contextlib
import os
import socket
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from coach.counts import count_sets, exported_block, sets_done
from coach.durations import plural
from coach.history import journal
from coach.history.journal import Begin, Finish
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
    Unreadable,
    check_scale,
    from_text,
    minutes_between,
    to_text,
)
from coach.history.owners import pid_alive
from coach.history.schema import (
    DAY_SHAPE,
    EXPORT_SESSIONS,
    EXPORT_SETS,
    MIGRATIONS,
    READABLE_SESSION,
    READABLE_SET,
    SESSION_COLUMNS,
    SET_COLUMNS,
    cannot_write,
    explain,
    exported,
    is_locked,
    readable_session,
    refusal,
    session_from_row,
    session_values,
    set_from_row,
    set_values,
    summary_from_row,
)

T = TypeVar("T")

SET_PLACES = ",".join("?" * (1 + len(SET_COLUMNS.split(","))))
"""The placeholders of a set row: its session's id and SET_COLUMNS."""

FILE_NAME = "history.db"
STALE_AFTER = timedelta(hours=12)
LOCK_WAIT = 0.1
"""Seconds a call waits on another program's lock before it fails as locked (the app's store;
the recorder's writer tries again, off the event loop, until the lock clears)."""
# A session counts for streaks, weeks and the calendar when at least one of its sets was done.
_DID_A_SET = "EXISTS (SELECT 1 FROM sets t WHERE t.session_id = s.id AND t.skipped = 0)"
# The streak, the week and the calendar count days: every session whose day can be read counts
# (a status a newer coach wrote does not undo the exercise), and a long streak reads one
# column a row, not the whole row's checks.
_DAY_READABLE = f"+s.day GLOB '{DAY_SHAPE}'"


class HistoryStore:
    """History on one SQLite connection; `HistoryStore.open(path)` for the file."""

    def __init__(
        self,
        db: sqlite3.Connection,
        path: Path | None,
        *,
        pid: int | None = None,
        host: str | None = None,
        read_only: bool = False,
    ) -> None:
        self._db = db
        self._path = path
        self._where = str(path) if path else "the in-memory history"
        self._lock = threading.RLock()
        self._read_only = read_only
        self._journal_note: str | None = None
        self._tallied: tuple[tuple[int, int], tuple[int, int]] | None = None
        self.pid = os.getpid() if pid is None else pid
        self.host = socket.gethostname() if host is None else host
        db.row_factory = sqlite3.Row
        if not read_only:
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
        """Open the file (created with mode 0600), migrate it and add its journal. A file that
        is not a coach history, is damaged or comes from a newer coach is left exactly as it was.
        A file that exists but cannot be written opens read-only (see `read_only`)."""
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
                if db.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                    db.execute("PRAGMA journal_mode = WAL")
                db.execute("PRAGMA synchronous = NORMAL")  # WAL: a killed coach loses no commit
                store = HistoryStore(db, path, pid=pid, host=host)
                store._migrate()
                store._add_journal()
                return store
        except (sqlite3.Error, OSError, HistoryError) as exc:
            cause = exc.__cause__ or exc
            reason = explain(cause, str(path))
            if db is not None:
                db.close()
                db = None
            if cannot_write(cause) and path.is_file():
                store_or_none = cls._open_read_only(path, busy_timeout, pid=pid, host=host)
                if store_or_none is not None:
                    return store_or_none
        if db is not None:
            db.close()
        raise HistoryError(f"history is not saved: {reason}", reason) from cause

    @classmethod
    def _open_read_only(
        cls, path: Path, busy_timeout: float, *, pid: int | None, host: str | None
    ) -> HistoryStore | None:
        """The file opened for reading only, or None when even that fails (or the file is not
        a history this coach can read as it is). With no WAL index beside the file (there is
        none after a coach closes it) nobody is writing it, and it is read as immutable: a
        read-only connection would make the index, with the file's read-only mode, and every
        coach after it could then not write the file even once its mode allows. With an index
        there, a read-only connection shares it."""
        uri = path.resolve().as_uri()
        index = path.with_name(path.name + "-shm")
        queries = ("mode=ro", "mode=ro&immutable=1") if index.exists() else ("mode=ro&immutable=1",)
        for query in queries:
            db = sqlite3.connect(
                f"{uri}?{query}",
                uri=True,
                timeout=busy_timeout,
                isolation_level=None,
                check_same_thread=False,
            )
            try:
                current = db.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
                if current and refusal(db, path) is None:
                    return HistoryStore(db, path, pid=pid, host=host, read_only=True)
            except sqlite3.Error:
                pass
            db.close()
        return None

    @property
    def path(self) -> Path | None:
        return self._path

    @property
    def read_only(self) -> bool:
        """The file can be read but not written: every write fails with "is read-only"."""
        return self._read_only

    @property
    def journal_note(self) -> str | None:
        """What opening added from the journal, in one line to tell once; else None."""
        return self._journal_note

    @property
    def busy_timeout(self) -> float:
        """Seconds a call waits on another program's lock before it fails as locked."""
        with self._lock:
            return int(self._db.execute("PRAGMA busy_timeout").fetchone()[0]) / 1000

    @busy_timeout.setter
    def busy_timeout(self, seconds: float) -> None:
        with self._lock:
            self._db.execute(f"PRAGMA busy_timeout = {max(0, round(seconds * 1000))}")

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def __enter__(self) -> HistoryStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _migrate(self) -> None:
        """Bring the schema up to date; a file already so is only read (so it opens while
        another program holds its write lock)."""
        with self._lock:
            if self._db.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS):
                return
        with self._transaction("prepare the history") as db:
            version = db.execute("PRAGMA user_version").fetchone()[0]
            for number in range(version, len(MIGRATIONS)):
                MIGRATIONS[number](db)
                db.execute(f"PRAGMA user_version = {number + 1}")

    def _add_journal(self) -> None:
        """Add the journal beside the file, if there is one, in one transaction, then remove
        it; while the file is locked it waits for the next open. Sets `journal_note`."""
        if self._path is None:
            return
        path = journal.journal_path(self._path)
        try:
            entries, _ = journal.read(path)
        except FileNotFoundError:
            return
        except OSError:
            return  # cannot read it now; it stays for a later start
        ids: dict[str, int] = {}
        sessions: set[int] = set()
        sets = 0
        waits = self.busy_timeout
        self.busy_timeout = min(waits, LOCK_WAIT)  # still locked: the next open adds it
        try:
            with self._transaction("add the sets kept aside") as db:
                for entry in entries:
                    try:
                        session_id = self._replay(db, entry, ids)
                    except (ValueError, TypeError, AttributeError, sqlite3.IntegrityError):
                        continue  # an entry that cannot be added is left out, not the rest
                    if session_id is not None:
                        sessions.add(session_id)
                        sets += isinstance(entry.write, SetRecord)
        except HistoryError:
            return
        finally:
            self.busy_timeout = waits
        with contextlib.suppress(OSError):
            path.unlink()
        if sessions:
            self._journal_note = (
                f"Added {plural(sets, 'set')} of {plural(len(sessions), 'session')} that "
                f"could not be saved while the history file was locked (from {path.name})."
            )

    def _replay(
        self, db: sqlite3.Connection, entry: journal.Entry, ids: dict[str, int]
    ) -> int | None:
        """One journal entry into the file; the id of its session, or None when its session
        is not there. A start already in the file (the same journal added before) is reused."""
        write = entry.write
        if isinstance(write, Begin):
            check_scale(pain_before=write.pain_before)
            row = (write.routine_id, write.title, to_text(write.started_at))
            found = db.execute(
                "SELECT id FROM sessions WHERE routine_id = ? AND title = ? AND started_at = ?"
                " AND owner_pid = ? AND owner_host = ?",
                (*row, write.pid, write.host),
            ).fetchone()
            if found is None:
                found = (
                    self._insert_session(
                        db,
                        *row,
                        write.started_at.date().isoformat(),
                        write.pain_before,
                        write.planned_sets,
                        write.pid,
                        write.host,
                        write.resumed_from,
                    ),
                )
            ids[entry.key] = found[0]
            return int(found[0])
        session_id = entry.session_id if entry.session_id is not None else ids.get(entry.key)
        if (
            session_id is None
            or not db.execute("SELECT 1 FROM sessions WHERE id = ?", (session_id,)).fetchone()
        ):
            return None
        if isinstance(write, Finish):
            self._finish(db, session_id, write)
        else:
            self._save_set(db, session_id, write)
        return session_id

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
            return self._insert_session(
                db, *row, pain_before, planned_sets, self.pid, self.host, resumed_from
            )

    @staticmethod
    def _insert_session(db: sqlite3.Connection, *values: object) -> int:
        cursor = db.execute(
            "INSERT INTO sessions (routine_id, title, started_at, day, pain_before,"
            " planned_sets, owner_pid, owner_host, resumed_from, status)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'running')",
            values,
        )
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    def record_set(self, session_id: int, entry: SetRecord) -> None:
        """Commit one finished or skipped set and move the session's progress pointer to it.

        A set already saved in this session (gone back to and done again) keeps one row, with
        the most reps and holds of its tries; it counts as skipped only if every try was."""
        with self._transaction("save the set") as db:
            self._save_set(db, session_id, entry)

    @staticmethod
    def _save_set(db: sqlite3.Connection, session_id: int, entry: SetRecord) -> None:
        if entry.side not in (None, "left", "right"):
            raise ValueError(f"side is left, right or None, not {entry.side!r}")
        saved = db.execute(
            "SELECT id FROM sets WHERE session_id = ? AND exercise_index = ?"
            " AND set_number = ? AND side IS ? AND direction IS ?",
            (session_id, entry.exercise_index, entry.set_number, entry.side, entry.direction),
        ).fetchone()
        if saved is None:
            db.execute(
                f"INSERT INTO sets (session_id, {SET_COLUMNS}) VALUES ({SET_PLACES})",
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
        write = Finish(ended_at, status, pain_after, effort, note)
        self._check_finish(write)
        with self._transaction("finish the session") as db:
            self._finish(db, session_id, write)

    @staticmethod
    def _check_finish(write: Finish) -> None:
        if write.status not in ENDINGS:
            raise ValueError(f"a session ends {', '.join(ENDINGS)}, not {write.status!r}")
        check_scale(pain_after=write.pain_after, effort=write.effort)

    def _finish(self, db: sqlite3.Connection, session_id: int, write: Finish) -> None:
        self._check_finish(write)
        db.execute(
            "UPDATE sessions SET ended_at = ?, status = ?, pain_after = ?, effort = ?,"
            " note = ? WHERE id = ?",
            (
                to_text(write.ended_at),
                write.status,
                write.pain_after,
                write.effort,
                write.note,
                session_id,
            ),
        )

    def mark_interrupted(self, now: datetime) -> list[int]:
        """Mark `interrupted` the running sessions whose coach is gone; return their ids.

        Gone: its process is not alive on this host, or it started more than 12 h ago (on
        another host, or on this one under a pid since reused). It ends at its last set.
        This is housekeeping: on a read-only file, or while another program holds the lock,
        it does nothing (and returns no ids) and is done at a later open.
        """
        if self._read_only:
            return []
        stale = to_text(now - STALE_AFTER)
        try:
            with self._transaction("close unfinished sessions") as db:
                rows = db.execute(
                    "SELECT id, owner_pid, owner_host, started_at FROM sessions s"
                    f" WHERE status = 'running' AND {READABLE_SESSION}"
                ).fetchall()
                gone = [
                    row["id"]
                    for row in rows
                    if row["started_at"] < stale
                    or (row["owner_host"] == self.host and not pid_alive(row["owner_pid"]))
                ]
                db.executemany(
                    "UPDATE sessions SET status = 'interrupted', ended_at = coalesce("
                    f"(SELECT max(recorded_at) FROM sets t WHERE t.session_id = sessions.id"
                    f" AND {READABLE_SET}), started_at) WHERE id = ? AND status = 'running'",
                    [(session_id,) for session_id in gone],
                )
        except HistoryError as exc:
            if exc.locked:
                return []
            raise
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
                f"INSERT INTO sets (session_id, {SET_COLUMNS}) VALUES ({SET_PLACES})",
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
                f" AND l.started_at > s.started_at AND {readable_session('l')})"
                f" AND {READABLE_SESSION}"
                " ORDER BY started_at DESC, id DESC LIMIT 1",
                (to_text(since), routine_id, routine_id),
            ).fetchone()
        return next(iter(_readable([] if row is None else [row], session_from_row)), None)

    def recent(self, limit: int = 50, offset: int = 0) -> list[SessionSummary]:
        """The latest sessions first, as the history list shows them; a session's sets done
        are counted by coach.counts (2 sets on each side are 2)."""
        with self._transaction("read the history", "DEFERRED") as db:
            page = (
                f"SELECT s.* FROM sessions s WHERE {READABLE_SESSION}"
                " ORDER BY started_at DESC, id DESC LIMIT ? OFFSET ?"
            )
            rows = db.execute(page, (limit, offset)).fetchall()
            sets = db.execute(
                f"SELECT session_id, {SET_COLUMNS} FROM sets t"
                f" WHERE session_id IN (SELECT id FROM ({page})) AND {READABLE_SET}"
                " ORDER BY id",
                (limit, offset),
            ).fetchall()
        by_session: dict[int, list[SetRecord]] = {}
        for row in sets:
            for entry in _readable([row], set_from_row):
                by_session.setdefault(row["session_id"], []).append(entry)
        summaries = []
        for row in rows:
            counts = count_sets(by_session.get(row["id"], []))
            done = sum(count.done for count in counts)
            total = sum(count.planned for count in counts)
            summaries.extend(_readable([row], partial(summary_from_row, done=done, total=total)))
        return summaries

    def count(self) -> int:
        """The sessions that can be read."""
        return self._tally()[0]

    def unreadable(self, sets: bool = False) -> Unreadable:
        """How many sessions every read leaves out; with `sets`, also how many sets of the
        other sessions (that reads every set, as an export does anyway)."""
        sessions = self._tally()[1]
        if not sets:
            return Unreadable(sessions)
        with self._transaction("count the sets that cannot be read", "DEFERRED") as db:
            bad = db.execute(
                "SELECT count(*) FROM sets t JOIN sessions s ON s.id = t.session_id"
                f" WHERE {READABLE_SESSION} AND {READABLE_SET} IS NOT 1"
            ).fetchone()[0]
        return Unreadable(sessions, int(bad))

    def _tally(self) -> tuple[int, int]:
        """Sessions that can be read and that cannot, in one pass over the table, kept until
        the file changes (the list and its count line both ask)."""
        with self._transaction("count the sessions", "DEFERRED") as db:
            version = (db.execute("PRAGMA data_version").fetchone()[0], db.total_changes)
            if self._tallied is None or self._tallied[0] != version:
                every, good = db.execute(
                    f"SELECT count(*), coalesce(sum({READABLE_SESSION} IS 1), 0) FROM sessions s"
                ).fetchone()
                self._tallied = (version, (int(good), int(every) - int(good)))
            return self._tallied[1]

    def detail(self, session_id: int) -> SessionDetail | None:
        """A session with its sets; None when it is not there or cannot be read."""
        with self._transaction("read the session", "DEFERRED") as db:
            row = db.execute(
                f"SELECT * FROM sessions s WHERE id = ? AND {READABLE_SESSION}", (session_id,)
            ).fetchone()
            sets = db.execute(
                f"SELECT {SET_COLUMNS} FROM sets t WHERE session_id = ? AND {READABLE_SET}"
                " ORDER BY id",
                (session_id,),
            ).fetchall()
        session = next(iter(_readable([] if row is None else [row], session_from_row)), None)
        if session is None:
            return None
        return SessionDetail(session, tuple(_readable(sets, set_from_row)))

    def streak(self, today: date) -> int:
        """Consecutive days that had a session doing a set, up to today, or up to yesterday
        while today has none yet. The days are read newest first and only until the first gap,
        so a usual streak reads a handful of rows."""
        count, expected = 0, today
        with self._transaction("count the streak", "DEFERRED") as db:
            days = db.execute(
                "SELECT DISTINCT day FROM sessions s WHERE day <= ?"
                f" AND {_DAY_READABLE} AND {_DID_A_SET} ORDER BY day DESC",
                (today.isoformat(),),
            )
            for (text,) in days:
                try:
                    day = date.fromisoformat(text)
                except ValueError:  # the shape of a date, and still none (30 February)
                    continue
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
                "SELECT day, count(*) FROM sessions s WHERE day BETWEEN ? AND ?"
                f" AND {_DAY_READABLE} AND {_DID_A_SET} GROUP BY day",
                (first.isoformat(), last.isoformat()),
            ).fetchall()
        counts: dict[date, int] = {}
        for text, number in rows:
            try:
                counts[date.fromisoformat(text)] = number
            except ValueError:  # the shape of a date, and still none (30 February)
                continue
        return counts

    def trend(self, limit: int = 30) -> list[TrendPoint]:
        """Pain before and after, and minutes, of the latest ended sessions, oldest first."""
        with self._transaction("read the trend", "DEFERRED") as db:
            rows = db.execute(
                "SELECT day, pain_before, pain_after, started_at, ended_at FROM sessions s"
                f" WHERE ended_at IS NOT NULL AND {READABLE_SESSION}"
                " ORDER BY started_at DESC, id DESC LIMIT ?",
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
        of SESSION_FIELDS and SET_FIELDS; rows that cannot be read are left out (see
        `unreadable`)."""
        by_session: dict[int, list[dict[str, Any]]] = {}
        with self._transaction("export the history", "DEFERRED") as db:
            sessions = db.execute(EXPORT_SESSIONS).fetchall()
            for row in db.execute(EXPORT_SETS):
                by_session.setdefault(row[0], []).append(exported(SET_FIELDS, tuple(row)[1:]))
        stored = tuple(field for field in SESSION_FIELDS if field.stored)
        rows = []
        for row in sessions:
            sets = by_session.get(row[0], [])
            values = {
                **exported(stored, tuple(row)),
                "sets_done": sets_done(map(exported_block, sets)),
            }
            rows.append(
                {**{field.name: values[field.name] for field in SESSION_FIELDS}, "sets": sets}
            )
        return rows

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
                raise HistoryError(
                    f"could not {action}: {explain(exc, self._where)}", locked=is_locked(exc)
                ) from exc


def _readable(rows: Iterable[sqlite3.Row], convert: Callable[[sqlite3.Row], T]) -> list[T]:
    """The rows as records, leaving out any the readable-row checks let through that still
    cannot make one (they are never expected; a read never fails on one row)."""
    records: list[T] = []
    for row in rows:
        try:
            records.append(convert(row))
        except (ValueError, TypeError, KeyError, OverflowError):
            continue
    return records


class MemoryStore(HistoryStore):
    """The same store in memory: the session runs, and nothing outlives the process."""

    def __init__(self, *, pid: int | None = None, host: str | None = None) -> None:
        db = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
        super().__init__(db, None, pid=pid, host=host)
        self._migrate()


def open_store(data_dir: Path) -> tuple[Store, str | None]:
    """The history file in `data_dir`, or a memory store and the one-line reason why not.
    A file that can only be read is read, and the reason says sessions are not saved to it.
    Once open, a call waits at most LOCK_WAIT on another program's lock."""
    try:
        store = HistoryStore.open(data_dir / FILE_NAME)
    except HistoryError as exc:
        return MemoryStore(), exc.reason
    store.busy_timeout = LOCK_WAIT
    if store.read_only:
        return store, f"{store.path} is read-only"
    return store, None
