"""What the session engine says: its events, the tally of each set, and its view of a moment."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from coach.plan import Step
from coach.sides import working_side


class EventKind(StrEnum):
    STEP_STARTED = "step_started"
    REP_STARTED = "rep_started"
    COUNTDOWN = "countdown"
    HALFWAY = "halfway"
    HOLD_DONE = "hold_done"
    REP_DONE = "rep_done"
    SET_DONE = "set_done"
    SIDE_SWITCH = "side_switch"
    REST_STARTED = "rest_started"
    REST_ENDED = "rest_ended"
    EXERCISE_DONE = "exercise_done"
    SESSION_DONE = "session_done"
    SESSION_STOPPED = "session_stopped"
    PAUSED = "paused"
    RESUMED = "resumed"


@dataclass(frozen=True, slots=True)
class SetTally:
    """What was done of one block (a set on one side in one direction)."""

    block: int
    exercise_index: int
    exercise: str
    set: int
    side: str | None
    direction: str | None
    reps: int
    holds: int
    reps_planned: int
    hold_planned: float = 0.0  # seconds of each hold of the block's reps; 0 without holds
    skipped: bool = False
    side_is: str = "working"  # what `side` names (see coach.sides)

    @property
    def set_number(self) -> int:
        return self.set

    @property
    def working_side(self) -> str | None:
        """The side of the leg that worked (None without sides)."""
        return working_side(self.side, self.side_is)


@dataclass(frozen=True, slots=True)
class Event:
    kind: EventKind
    index: int
    step: Step
    at: float
    count: int | None = None
    tally: SetTally | None = None


@dataclass(frozen=True, slots=True)
class SessionView:
    """Everything the screen shows, read at one moment."""

    index: int
    step: Step
    upcoming: Step | None
    remaining: float | None
    elapsed: float
    remaining_total: float
    total: float
    paused: bool
    done: bool
    stopped: bool

    @property
    def progress(self) -> float:
        if self.done:
            return 1.0
        if self.total <= 0:
            return 0.0
        return min(1.0, max(0.0, 1.0 - self.remaining_total / self.total))

    @property
    def step_fraction(self) -> float:
        """How far through the current timed step, 0..1 (0 for a self-paced one)."""
        if self.step.seconds is None or self.remaining is None or self.step.seconds <= 0:
            return 0.0
        return min(1.0, max(0.0, 1.0 - self.remaining / self.step.seconds))
