"""Writes one session to history as it happens: the row at the start, each set as it ends.

The screen hands it the engine's set tallies; it turns them into history records with the
wall time. A history failure never stops the session: the first one becomes `problem` (one
line for the screen to show) and the session goes on.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TypeVar

from coach.clock import Clock
from coach.history.model import SetRecord, Store
from coach.plan import Plan
from coach.resume import sets_left
from coach.session import SetTally

T = TypeVar("T")


class SessionRecorder:
    """One session's history. `begin` once, `record` per set, `end` once, `check_in` after."""

    def __init__(self, store: Store, clock: Clock, plan: Plan, start_index: int = 0) -> None:
        self.store = store
        self.clock = clock
        self.plan = plan
        self.start_index = start_index
        self.session_id: int | None = None
        self.status: str | None = None
        self.problem: str | None = None
        self._problem_told = False
        self._ended_at: datetime | None = None

    @property
    def running(self) -> bool:
        return self.session_id is not None and self.status is None

    def begin(self, pain_before: int | None = None, resumed_from: int | None = None) -> None:
        planned = len(sets_left(self.plan, self.start_index))
        self.session_id = self._try(
            lambda: self.store.start_session(
                self.plan.routine_id,
                self.plan.title,
                self.clock.wall(),
                planned_sets=planned,
                pain_before=pain_before,
                resumed_from=resumed_from,
            )
        )

    def record(self, tally: SetTally) -> None:
        session_id = self.session_id
        if session_id is None or self.status is not None:
            return
        entry = SetRecord(
            exercise_index=tally.exercise_index,
            exercise=tally.exercise,
            set_number=tally.set,
            recorded_at=self.clock.wall(),
            side=tally.side,
            direction=tally.direction,
            reps=tally.reps,
            holds=tally.holds,
            skipped=tally.skipped,
        )
        self._try(lambda: self.store.record_set(session_id, entry))

    def end(self, status: str) -> None:
        """Close the session as `completed`, `stopped` or `interrupted` (once)."""
        session_id = self.session_id
        if session_id is None or self.status is not None:
            return
        self.status = status
        self._ended_at = self.clock.wall()
        ended_at = self._ended_at
        self._try(lambda: self.store.finish_session(session_id, ended_at, status))

    def check_in(
        self, pain_after: int | None = None, effort: int | None = None, note: str | None = None
    ) -> None:
        """Add the after-session check-in to an ended session."""
        session_id, status, ended_at = self.session_id, self.status, self._ended_at
        if session_id is None or status is None or ended_at is None:
            return
        if pain_after is None and effort is None and not note:
            return
        self._try(
            lambda: self.store.finish_session(
                session_id,
                ended_at,
                status,
                pain_after=pain_after,
                effort=effort,
                note=note or None,
            )
        )

    def take_problem(self) -> str | None:
        """The first failure, once; then None."""
        if self.problem is None or self._problem_told:
            return None
        self._problem_told = True
        return self.problem

    def _try(self, write: Callable[[], T]) -> T | None:
        from coach.history.model import HistoryError

        try:
            return write()
        except HistoryError as exc:
            if self.problem is None:
                self.problem = str(exc)
            return None
