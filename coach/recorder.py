"""Writes one session to history as it happens: the row at the start, each set as it ends.

The runner hands it the engine's set tallies; it turns them into history records with the
wall time and hands them to its `HistoryWriter`, whose own thread writes them: no call here
waits on the disk, and a set done while another program holds the file's lock is kept and
written when the lock clears (or put in the journal beside the file at the end, for the next
start to add). A history failure never stops the session: the first one becomes `problem`
(one line for the screen to show) and the session goes on. On a read-only history nothing is
written, and that is the problem.
"""

from __future__ import annotations

from datetime import datetime

from coach.clock import Clock
from coach.counts import sets_planned
from coach.history.journal import Begin, Finish, journal_path
from coach.history.model import SetRecord, Store, check_scale
from coach.history.writer import HistoryWriter
from coach.plan import Plan
from coach.resume import sets_left
from coach.session import SetTally

CLOSE_WAIT = 0.5
"""Seconds `close` waits, at most, for the writes left (the process is ending)."""


class SessionRecorder:
    """One session's history. `begin` once, `record` per set, `end` once, `check_in` after;
    `close` when the process ends."""

    def __init__(self, store: Store, clock: Clock, plan: Plan, start_index: int = 0) -> None:
        self.store = store
        self.clock = clock
        self.plan = plan
        self.start_index = start_index
        self.status: str | None = None
        self._problem: str | None = None  # found here, not by the writer
        self._problem_told = False
        self._began = False
        self._ended_at: datetime | None = None
        self.writer: HistoryWriter | None = None
        if store.read_only:
            self._problem = f"{store.path} is read-only"
        else:
            where = store.path
            self.writer = HistoryWriter(store, journal_path(where) if where else None)

    @property
    def session_id(self) -> int | None:
        """The session's id in history, once its start has been written."""
        return self.writer.session_id if self.writer is not None else None

    @property
    def began(self) -> bool:
        """The session was begun and is being saved (its start has not failed)."""
        return self._began and self.writer is not None and not self.writer.failed

    @property
    def running(self) -> bool:
        return self.began and self.status is None

    @property
    def problem(self) -> str | None:
        """The first failure, if any (the writer's come from its thread)."""
        if self._problem is None and self.writer is not None:
            return self.writer.problem
        return self._problem

    @property
    def pending(self) -> int:
        """Writes handed over and not made yet."""
        return self.writer.pending if self.writer is not None else 0

    def begin(self, pain_before: int | None = None, resumed_from: int | None = None) -> None:
        if self._began or self.writer is None:
            return
        self._began = True
        self.writer.put(
            Begin(
                routine_id=self.plan.routine_id,
                title=self.plan.title,
                started_at=self.clock.wall(),
                planned_sets=sets_planned(sets_left(self.plan, self.start_index)),
                pain_before=pain_before,
                resumed_from=resumed_from,
                pid=self.store.pid,
                host=self.store.host,
            )
        )

    def record(self, tally: SetTally, hurt: int | None = None) -> None:
        """Save a set as it ends, with the dose it was done with. `hurt`: the pain now, 0 to
        10, of a set stopped because it hurt; recording the same set again with it (once the
        person has said how much) adds the pain to the set already saved. ValueError for a
        pain outside 0–10."""
        check_scale(hurt=hurt)
        if not self._began or self.writer is None or self.status is not None:
            return
        self.writer.put(
            SetRecord(
                exercise_index=tally.exercise_index,
                exercise=tally.exercise,
                set_number=tally.set,
                recorded_at=self.clock.wall(),
                side=tally.side,
                direction=tally.direction,
                reps=tally.reps,
                holds=tally.holds,
                skipped=tally.skipped,
                side_is=tally.side_is if tally.side else None,
                working_side=tally.working_side,
                target_reps=tally.reps_planned,
                target_hold=tally.hold_planned,
                hurt=hurt,
            )
        )

    def end(self, status: str) -> None:
        """Close the session as `completed`, `stopped` or `interrupted` (once)."""
        if not self._began or self.writer is None or self.status is not None:
            return
        self.status = status
        self._ended_at = self.clock.wall()
        self.writer.put(Finish(self._ended_at, status))

    def check_in(
        self, pain_after: int | None = None, effort: int | None = None, note: str | None = None
    ) -> None:
        """Add the after-session check-in to an ended session."""
        status, ended_at = self.status, self._ended_at
        if self.writer is None or status is None or ended_at is None:
            return
        if pain_after is None and effort is None and not note:
            return
        self.writer.put(Finish(ended_at, status, pain_after, effort, note or None))

    def take_problem(self) -> str | None:
        """The first failure, once; then None."""
        problem = self.problem
        if problem is None or self._problem_told:
            return None
        self._problem_told = True
        return problem

    def take_note(self) -> str | None:
        """Something to tell once that is not a failure (the file is locked); then None."""
        return self.writer.take_note() if self.writer is not None else None

    def flush(self, timeout: float) -> bool:
        """Wait up to `timeout` seconds for every write to be made; True when none is left."""
        return self.writer.flush(timeout) if self.writer is not None else True

    def close(self, timeout: float = CLOSE_WAIT) -> int:
        """The process is ending: wait up to `timeout` seconds for the writes left, then put
        what is still not written in the journal. Returns how many writes went there."""
        return self.writer.close(timeout) if self.writer is not None else 0
