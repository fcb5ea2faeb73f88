"""A session's writes, made on one thread of their own so the caller never waits on the disk.

The recorder hands every write (the start, each set, the end and the check-in) to a
`HistoryWriter` and returns at once. The writer's thread makes them in order. While another
program holds the file's lock, each try waits at most the store's short busy timeout, then the
thread waits a little and tries again, keeping every write that is not made yet, in order; it
tells once that the file is locked. Any other failure becomes the one problem to tell, and the
writes of a session whose start failed are dropped (there is no row to add them to).

`close(timeout)` waits for what is left (a bounded wait, for the end of the process) and puts
what is still not made in the journal beside the history file, which the next open adds.
The thread also does that by itself when the main thread has ended without closing it, so
no front end can lose a session by forgetting to.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections import deque
from pathlib import Path

from coach.history import journal
from coach.history.journal import Begin, Write
from coach.history.model import HistoryError, SetRecord, Store

RETRY_FIRST = 0.05
"""Seconds before the first retry on a locked file; each next wait doubles, up to RETRY_MOST."""
RETRY_MOST = 1.0
WATCH = 0.5
"""Seconds between looks, while the thread is idle, at whether the main thread has ended."""
LAST_TRY = 0.5
"""Seconds the thread keeps trying after the main thread ended without closing it."""

LOCKED_NOTE = (
    "The history file is locked by another program; the sets you do are kept and saved "
    "when it is free."
)


class HistoryWriter:
    """The writes of one session to `store`, in order, on one long-lived thread.

    `journal` is where unmade writes go at the end (None for a store in memory, which is
    never locked). Safe to call from any thread; no call waits except `flush` and `close`.
    """

    def __init__(self, store: Store, journal_path: Path | None = None) -> None:
        self.store = store
        self.journal_path = journal_path
        self.key = uuid.uuid4().hex  # names this session in the journal before it has an id
        self.journaled = 0  # writes put in the journal
        self._jobs: deque[Write] = deque()
        self._busy = False  # the thread is making the first job
        self._cond = threading.Condition()
        self._thread: threading.Thread | None = None
        self._session_id: int | None = None
        self._begin_failed = False
        self._ended = False  # the session's end has been made
        self._closed = False
        self._problem: str | None = None
        self._note: str | None = None
        self._told_locked = False
        self._locked = False

    # ------------------------------------------------------------------ reading

    @property
    def session_id(self) -> int | None:
        """The session's id in the store, once its start has been made."""
        with self._cond:
            return self._session_id

    @property
    def failed(self) -> bool:
        """The session's start failed, so nothing of it is saved."""
        with self._cond:
            return self._begin_failed

    @property
    def pending(self) -> int:
        """Writes not made yet."""
        with self._cond:
            return len(self._jobs)

    @property
    def problem(self) -> str | None:
        with self._cond:
            return self._problem

    @property
    def locked(self) -> bool:
        """A write has found the file locked by another program (since the last made write)."""
        with self._cond:
            return self._locked

    def wait_for_lock(self, timeout: float) -> bool:
        """Wait up to `timeout` seconds until a write finds the file locked (as a drill that
        holds the lock does before it lets go); True when one has."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while not self._locked and time.monotonic() < deadline:
                self._cond.wait(deadline - time.monotonic())
            return self._locked

    def take_note(self) -> str | None:
        """Something to tell once that is not a failure (the file is locked); then None."""
        with self._cond:
            note, self._note = self._note, None
            return note

    # ------------------------------------------------------------------ writing

    def put(self, write: Write) -> None:
        """Make this write after the ones before it; returns at once. After `close`, it goes
        straight to the journal."""
        with self._cond:
            if self._closed:
                left = [write]
            else:
                self._jobs.append(write)
                self._ended = False
                if self._thread is None:
                    self._thread = threading.Thread(
                        target=self._run, name="coach-history-writer", daemon=False
                    )
                    self._thread.start()
                self._cond.notify_all()
                return
        self._to_journal(left)

    def flush(self, timeout: float) -> bool:
        """Wait up to `timeout` seconds for every write to be made (a locked file is tried
        again at once); True when none is left."""
        deadline = time.monotonic() + timeout
        with self._cond:
            self._cond.notify_all()
            while self._jobs or self._busy:
                left = deadline - time.monotonic()
                if left <= 0 or self._thread is None:
                    break
                self._cond.wait(left)
            return not self._jobs and not self._busy

    def close(self, timeout: float) -> int:
        """Wait up to `timeout` seconds for the writes left, then stop; what is still not made
        goes to the journal. Returns how many writes went there."""
        self.flush(timeout)
        with self._cond:
            self._closed = True
            left = list(self._jobs)
            self._jobs.clear()
            self._cond.notify_all()
        return self._to_journal(left)

    # ------------------------------------------------------------------ the thread

    def _run(self) -> None:
        wait = RETRY_FIRST
        main = threading.main_thread()
        orphaned_at: float | None = None  # when the main thread was seen gone
        while True:
            with self._cond:
                while not self._jobs and not self._closed:
                    if self._ended or self._begin_failed or not main.is_alive():
                        self._thread = None  # a later write starts a new one
                        self._cond.notify_all()
                        return
                    self._cond.wait(WATCH)
                if self._closed or not self._jobs:
                    self._thread = None
                    self._cond.notify_all()
                    return
                job = self._jobs[0]
                self._busy = True
            outcome = self._make(job)
            with self._cond:
                self._busy = False
                if outcome == "locked":
                    self._locked = True
                    if not self._told_locked:
                        self._told_locked = True
                        self._note = LOCKED_NOTE
                    if not main.is_alive():
                        orphaned_at = orphaned_at or time.monotonic()
                        if time.monotonic() - orphaned_at > LAST_TRY:
                            left = list(self._jobs)
                            self._jobs.clear()
                            self._closed = True
                            self._thread = None
                            self._cond.notify_all()
                            break
                    self._cond.notify_all()
                    self._cond.wait(wait)  # a flush or close wakes it early
                    wait = min(wait * 2, RETRY_MOST)
                    continue
                wait = RETRY_FIRST
                self._locked = False
                if self._jobs and self._jobs[0] is job:
                    self._jobs.popleft()
                self._cond.notify_all()
        self._to_journal(left)

    def _make(self, job: Write) -> str:
        """One write: "done", "locked" (try again later) or "failed" (dropped, told once)."""
        store = self.store
        try:
            if isinstance(job, Begin):
                new_id = store.start_session(
                    job.routine_id,
                    job.title,
                    job.started_at,
                    planned_sets=job.planned_sets,
                    pain_before=job.pain_before,
                    resumed_from=job.resumed_from,
                )
                with self._cond:
                    self._session_id = new_id
                return "done"
            session_id = self.session_id
            if session_id is None:
                return "failed"  # its start failed: there is no session to add it to
            if isinstance(job, SetRecord):
                store.record_set(session_id, job)
            else:
                store.finish_session(
                    session_id,
                    job.ended_at,
                    job.status,
                    pain_after=job.pain_after,
                    effort=job.effort,
                    note=job.note,
                )
                with self._cond:
                    self._ended = True
            return "done"
        except HistoryError as exc:
            if exc.locked:
                return "locked"
            self._fail(str(exc), job)
        except Exception as exc:  # a write never ends the thread or the session
            self._fail(f"could not save to history: {exc}", job)
        return "failed"

    def _fail(self, message: str, job: Write) -> None:
        with self._cond:
            if self._problem is None:
                self._problem = message
            if isinstance(job, Begin):
                self._begin_failed = True

    def _to_journal(self, writes: list[Write]) -> int:
        """Put writes in the journal, as this session's; how many went there. Nothing goes
        when there is no journal (a store in memory) or the session's start failed."""
        with self._cond:
            session_id, failed = self._session_id, self._begin_failed
        if not writes or self.journal_path is None or failed:
            return 0
        entries = [journal.Entry(self.key, session_id, write) for write in writes]
        try:
            journal.append(self.journal_path, entries)
        except OSError as exc:
            with self._cond:
                if self._problem is None:
                    self._problem = f"could not keep {len(entries)} writes aside: {exc}"
            return 0
        with self._cond:
            self.journaled += len(entries)
        return len(entries)
