"""Reading the history file: what every surface shows, from the rows that can be read.

`StoreReads` is the reading half of `HistoryStore`; each read is one DEFERRED transaction (one
consistent view). Rows that cannot be read are left out and counted by `unreadable()`.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from contextlib import AbstractContextManager
from datetime import date, datetime, timedelta
from functools import partial
from typing import Any

from coach.counts import count_sets, exported_block, sets_done
from coach.history.model import (
    SESSION_FIELDS,
    SET_FIELDS,
    SessionDetail,
    SessionRecord,
    SessionSummary,
    SetRecord,
    TrendPoint,
    Unreadable,
    from_text,
    minutes_between,
    to_text,
)
from coach.history.schema import (
    DAY_SHAPE,
    EXPORT_SESSIONS,
    EXPORT_SETS,
    READABLE_SESSION,
    READABLE_SET,
    SET_COLUMNS,
    exported,
    readable_session,
    records_of,
    session_from_row,
    set_from_row,
    summary_from_row,
)

# A session counts for streaks, weeks and the calendar when at least one of its sets was done.
_DID_A_SET = "EXISTS (SELECT 1 FROM sets t WHERE t.session_id = s.id AND t.skipped = 0)"
# The streak, the week and the calendar count days: every session whose day can be read counts
# (a status a newer coach wrote does not undo the exercise), and a long streak reads one
# column a row, not the whole row's checks.
_DAY_READABLE = f"+s.day GLOB '{DAY_SHAPE}'"


class StoreReads:
    """The reads of a history store; the store gives the transaction."""

    _tallied: tuple[tuple[int, int], tuple[int, int]] | None

    def _transaction(
        self, action: str, kind: str = "IMMEDIATE"
    ) -> AbstractContextManager[sqlite3.Connection]:
        raise NotImplementedError  # the store's own, in sqlite.py

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
        return next(iter(records_of([] if row is None else [row], session_from_row)), None)

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
            for entry in records_of([row], set_from_row):
                by_session.setdefault(row["session_id"], []).append(entry)
        summaries = []
        for row in rows:
            counts = count_sets(by_session.get(row["id"], []))
            done = sum(count.done for count in counts)
            total = sum(count.planned for count in counts)
            summaries.extend(records_of([row], partial(summary_from_row, done=done, total=total)))
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
        session = next(iter(records_of([] if row is None else [row], session_from_row)), None)
        if session is None:
            return None
        return SessionDetail(session, tuple(records_of(sets, set_from_row)))

    def between(
        self, first: date, last: date, routine_ids: Sequence[str] | None = None
    ) -> list[SessionDetail]:
        """The sessions of the days `first` to `last` (of `routine_ids` when given), oldest
        first, each with its sets: two reads in one transaction, for a report."""
        wanted = list(dict.fromkeys(routine_ids)) if routine_ids is not None else None
        if wanted == []:
            return []
        which = "" if wanted is None else f" AND s.routine_id IN ({', '.join('?' * len(wanted))})"
        params = (first.isoformat(), last.isoformat(), *(wanted or ()))
        chosen = (
            f"SELECT s.* FROM sessions s WHERE s.day BETWEEN ? AND ?{which} AND {READABLE_SESSION}"
        )
        with self._transaction("read the sessions of the report", "DEFERRED") as db:
            rows = db.execute(f"{chosen} ORDER BY started_at, id", params).fetchall()
            plain = db.cursor()
            plain.row_factory = None  # tuples: a report of 10,000 sessions reads 150,000 sets
            sets = plain.execute(
                f"SELECT session_id, {SET_COLUMNS} FROM sets t"
                f" WHERE session_id IN (SELECT id FROM ({chosen})) AND {READABLE_SET}"
                " ORDER BY session_id, id",
                params,
            ).fetchall()
        by_session: dict[int, list[SetRecord]] = {}
        for row in sets:
            try:
                entry = _set_from_values(row)
            except (ValueError, TypeError, KeyError, OverflowError):
                continue  # as in records_of: never expected
            by_session.setdefault(row[0], []).append(entry)
        return [
            SessionDetail(session, tuple(by_session.get(session.id, ())))
            for session in records_of(rows, session_from_row)
        ]

    def first_day(self, routine_ids: Sequence[str] | None = None) -> date | None:
        """The day of the first session that did a set (of `routine_ids` when given); None
        when there is none."""
        wanted = list(dict.fromkeys(routine_ids)) if routine_ids is not None else None
        which = "" if wanted is None else f" AND s.routine_id IN ({', '.join('?' * len(wanted))})"
        with self._transaction("read the first day", "DEFERRED") as db:
            rows = db.execute(
                f"SELECT day FROM sessions s WHERE {_DAY_READABLE} AND {_DID_A_SET}{which}"
                " ORDER BY day LIMIT 5",
                tuple(wanted or ()),
            ).fetchall()
        for (text,) in rows:
            try:
                return date.fromisoformat(text)
            except ValueError:  # the shape of a date, and still none (30 February)
                continue
        return None

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


def _set_from_values(values: tuple[Any, ...]) -> SetRecord:
    """A set from a row of (session_id, *SET_COLUMNS) read by place: the same record
    set_from_row makes by name, in about half the time (tests/unit/test_history_between.py
    keeps the two alike)."""
    _, index, exercise, number, at, side, direction, reps, holds, skipped, *more = values
    side_is, working, target_reps, target_hold, hurt = more
    return SetRecord(
        index,
        exercise,
        number,
        datetime.fromisoformat(at),
        side,
        direction,
        reps,
        holds,
        bool(skipped),
        side_is,
        working,
        target_reps,
        target_hold,
        hurt,
    )
