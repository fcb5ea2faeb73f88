"""Writing the history file: a session as it happens, sets kept aside, sessions in bulk.

`StoreWrites` is the writing half of `HistoryStore`; each call is one committed transaction.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager
from datetime import datetime, timedelta

from coach.history import journal
from coach.history.journal import Begin, Finish
from coach.history.model import (
    ENDINGS,
    HistoryError,
    SessionRecord,
    SetRecord,
    check_scale,
    to_text,
)
from coach.history.owners import pid_alive
from coach.history.schema import (
    READABLE_SESSION,
    READABLE_SET,
    SESSION_COLUMNS,
    SET_COLUMNS,
    session_values,
    set_values,
)

SET_PLACES = ",".join("?" * (1 + len(SET_COLUMNS.split(","))))
"""The placeholders of a set row: its session's id and SET_COLUMNS."""

STALE_AFTER = timedelta(hours=12)


class StoreWrites:
    """The writes of a history store; the store gives the transaction and its owner."""

    pid: int
    host: str
    _read_only: bool

    def _transaction(
        self, action: str, kind: str = "IMMEDIATE"
    ) -> AbstractContextManager[sqlite3.Connection]:
        raise NotImplementedError  # the store's own, in sqlite.py

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
        the most reps and holds of its tries; it counts as skipped only if every try was. Its
        dose and its pain ("this hurts") are the latest try's that has them, so recording the
        set again with `hurt` adds the pain to the set already saved."""
        self._check_set(entry)
        with self._transaction("save the set") as db:
            self._save_set(db, session_id, entry)

    @staticmethod
    def _check_set(entry: SetRecord) -> None:
        if entry.side not in (None, "left", "right"):
            raise ValueError(f"side is left, right or None, not {entry.side!r}")
        check_scale(hurt=entry.hurt)

    @classmethod
    def _save_set(cls, db: sqlite3.Connection, session_id: int, entry: SetRecord) -> None:
        cls._check_set(entry)
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
                " skipped = min(skipped, ?), recorded_at = ?, target_reps = coalesce(?,"
                " target_reps), target_hold = coalesce(?, target_hold), hurt = coalesce(?, hurt)"
                " WHERE id = ?",
                (
                    entry.reps,
                    entry.holds,
                    int(entry.skipped),
                    to_text(entry.recorded_at),
                    entry.target_reps,
                    entry.target_hold,
                    entry.hurt,
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
