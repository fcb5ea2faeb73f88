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
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from coach.durations import plural
from coach.history import journal
from coach.history.model import (
    HistoryError,
    SetRecord,
    Store,
)
from coach.history.programme_rows import StoreProgramme
from coach.history.reads import StoreReads
from coach.history.schema import FILE_NAME as FILE_NAME
from coach.history.schema import (
    MIGRATIONS,
    cannot_write,
    explain,
    is_locked,
    refusal,
)
from coach.history.writes import StoreWrites

LOCK_WAIT = 0.1
"""Seconds a call waits on another program's lock before it fails as locked (the app's store;
the recorder's writer tries again, off the event loop, until the lock clears)."""


class HistoryStore(StoreReads, StoreWrites, StoreProgramme):
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
                _use_wal(db)
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


class MemoryStore(HistoryStore):
    """The same store in memory: the session runs, and nothing outlives the process."""

    def __init__(self, *, pid: int | None = None, host: str | None = None) -> None:
        db = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
        super().__init__(db, None, pid=pid, host=host)
        self._migrate()


WAL_TRIES = 50
"""How many times opening reads the journal mode again when another coach, opening the same
new file at the same moment, holds it while switching it to WAL."""


def _use_wal(db: sqlite3.Connection) -> None:
    """Put the file in WAL mode, once for all coaches. Two coaches opening a new file at once
    both find it in rollback mode; the second one's switch is refused at once (SQLite does not
    wait on a lock for it), so it reads the mode again (that read does wait on the lock, up to
    the busy timeout) and finds the first one's switch done."""
    for attempt in range(WAL_TRIES):
        if db.execute("PRAGMA journal_mode").fetchone()[0] == "wal":
            return
        try:
            db.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError:
            if attempt == WAL_TRIES - 1:
                raise


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


def open_for_coach(
    data_dir: Path, now: datetime, store: Store | None = None
) -> tuple[Store, bool, str | None]:
    """History as a coach (the full screen, plain narration) works with it: `store` when one is
    given, else the file in `data_dir` (or memory, and why); then the sessions of coaches that
    are gone are closed as interrupted, and if that fails, memory and why. Returns the store,
    whether the caller owns it (and closes it), and the problem to tell, if any."""
    owned = store is None
    problem = None
    if store is None:
        store, problem = open_store(data_dir)
    try:
        store.mark_interrupted(now)
    except HistoryError as exc:
        if owned:
            store.close()
        store, owned, problem = MemoryStore(), True, exc.reason
    return store, owned, problem
