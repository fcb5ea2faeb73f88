"""The session engine: walks a plan's steps by the clock and says what happened.

Every timed step has a deadline on the monotonic clock. A step's deadline is the previous
step's deadline plus its own seconds, so late or missed ticks never make the session drift;
pausing keeps the remaining time and resuming sets a fresh deadline from it. Nothing here
counts ticks, draws anything or plays sound: callers read `view()` and act on the events.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from coach.clock import Clock
from coach.events import Event as Event
from coach.events import EventKind as EventKind
from coach.events import SessionView as SessionView
from coach.events import SetTally as SetTally
from coach.plan import Block, Plan, Step

COUNTDOWN_FROM = 3
COUNTDOWN_MIN_SECONDS = 5.0
"""Steps at least this long announce the last 3, 2 and 1 seconds."""
HALFWAY_MIN_SECONDS = 20.0
"""Holds at least this long announce their halfway point (a voice says the time left)."""


def upcoming_index(steps: Sequence[Step], index: int) -> int:
    """The index of what comes after step `index` (len(steps) at the end): past the rest of its
    run of reps when it is a rep's phase, else the very next step."""
    step = steps[index]
    after = index + 1
    if step.is_work:
        while after < len(steps) and steps[after].is_work and steps[after].block == step.block:
            after += 1
    return after


def rep_edges(steps: Sequence[Step]) -> tuple[list[bool], list[bool]]:
    """For each step, whether a rep starts with it and whether one ends with it."""
    ends = [
        s.is_work
        and (
            i + 1 >= len(steps)
            or not steps[i + 1].is_work
            or (steps[i + 1].rep, steps[i + 1].side, steps[i + 1].block) != (s.rep, s.side, s.block)
        )
        for i, s in enumerate(steps)
    ]
    starts = [
        s.is_work and (i == 0 or not steps[i - 1].is_work or ends[i - 1])
        for i, s in enumerate(steps)
    ]
    return starts, ends


class Session:
    """One run through a plan, driven by an injected clock."""

    def __init__(self, plan: Plan, clock: Clock, start_index: int = 0) -> None:
        if not plan.steps:
            raise ValueError("a plan with no steps cannot be run")
        self.plan = plan
        self.clock = clock
        self.start_index = min(max(start_index, 0), len(plan.steps) - 1)
        self.index = self.start_index
        self.started = False
        self.done = False
        self.stopped = False
        self.paused = False
        self.records: list[SetTally] = []
        self._deadline: float | None = None
        self._paused_remaining: float | None = None
        self._countdown_next = 0
        self._halfway: float | None = None  # seconds before the deadline of a halfway to come
        self._started_at = 0.0
        self._paused_total = 0.0
        self._pause_began: float | None = None
        self._tally: SetTally | None = None
        steps = plan.steps
        self._starts_rep, self._ends_rep = rep_edges(steps)
        last_work: dict[int, int] = {}
        for i, s in enumerate(steps):
            if s.is_work:
                last_work[s.exercise_index] = i
        self._last_block_of_exercise = {b.exercise_index: n for n, b in enumerate(plan.blocks)}
        self._last_work = last_work

    # ------------------------------------------------------------------ reading

    @property
    def current(self) -> Step:
        return self.plan.steps[self.index]

    def _block(self, step: Step) -> Block | None:
        return None if step.block is None else self.plan.blocks[step.block]

    def _hold_planned(self, block: Block) -> float:
        """Seconds of each hold of the block's reps: its first hold step's, 0 without holds."""
        steps = self.plan.steps[block.start : block.end]
        return next((step.seconds or 0.0 for step in steps if step.phase == "hold"), 0.0)

    def upcoming(self) -> Step | None:
        """What really comes next: the first step after this one's run of reps (reps that
        follow each other in one set, with no rest between them), or after this step when it
        is a get-ready, a rest, a relax or a side switch."""
        after = upcoming_index(self.plan.steps, self.index)
        return self.plan.steps[after] if after < len(self.plan.steps) else None

    def remaining(self, now: float | None = None) -> float | None:
        if self.current.seconds is None:
            return None
        if not self.started:
            return self.current.seconds
        if self.done:
            return 0.0
        if self.paused:
            return self._paused_remaining
        assert self._deadline is not None
        return max(0.0, self._deadline - self._now(now))

    def next_due(self) -> float | None:
        """The clock time of the next countdown second or step end, if the clock drives one."""
        if not self.started or self.done or self.paused or self._deadline is None:
            return None
        if self._halfway is not None:
            return self._deadline - self._halfway
        if self._countdown_next > 0:
            return self._deadline - self._countdown_next
        return self._deadline

    def elapsed(self, now: float | None = None) -> float:
        if not self.started:
            return 0.0
        moment = self._now(now) if self._pause_began is None else self._pause_began
        return max(0.0, moment - self._started_at - self._paused_total)

    def view(self, now: float | None = None) -> SessionView:
        now = self._now(now)
        remaining = self.remaining(now)
        after = 0.0 if self.done else self.plan.seconds_after(self.index)
        return SessionView(
            index=self.index,
            step=self.current,
            upcoming=None if self.done else self.upcoming(),
            remaining=remaining,
            elapsed=self.elapsed(now),
            remaining_total=after + (remaining or 0.0) if not self.done else 0.0,
            total=self.plan.total_seconds,
            paused=self.paused,
            done=self.done,
            stopped=self.stopped,
        )

    # ------------------------------------------------------------------ driving

    def start(self, now: float | None = None) -> list[Event]:
        if self.started:
            return []
        now = self._now(now)
        self.started = True
        self._started_at = now
        return self._enter(self.start_index, now)

    def tick(self, now: float | None = None) -> list[Event]:
        """Everything that has happened up to `now`, with the moments it was due."""
        if not self.started or self.done or self.paused:
            return []
        now = self._now(now)
        events: list[Event] = []
        while not self.done and self._deadline is not None:
            deadline = self._deadline
            if self._halfway is not None and now >= deadline - self._halfway:
                left = self._halfway  # the count is the whole seconds left
                events.append(
                    Event(EventKind.HALFWAY, self.index, self.current, deadline - left, round(left))
                )
                self._halfway = None
            while self._countdown_next > 0 and now >= deadline - self._countdown_next:
                n = self._countdown_next
                events.append(Event(EventKind.COUNTDOWN, self.index, self.current, deadline - n, n))
                self._countdown_next -= 1
            if now < deadline:
                break
            events += self._finish(deadline)
            events += self._enter(self.index + 1, deadline)
        return events

    def count_rep(self, now: float | None = None) -> list[Event]:
        """A self-paced rep is done. Does nothing on any other step."""
        if not self.started or self.done or self.current.phase != "rep":
            return []
        now = self._now(now)
        if self.paused:
            self.resume(now)
        return self._finish(now) + self._enter(self.index + 1, now)

    def next(self, now: float | None = None) -> list[Event]:
        """Skip this step; from a rep, skip the rest of the set."""
        if not self.started or self.done:
            return []
        now = self._now(now)
        step = self.current
        block = self._block(step)
        events: list[Event] = []
        if step.is_work and block is not None:
            events += self._close_block(step, now, skipped=True)
            if self._last_block_of_exercise.get(step.exercise_index) == step.block:
                events.append(Event(EventKind.EXERCISE_DONE, self.index, step, now))
            target = block.end
        else:
            if step.phase == "rest":
                events.append(Event(EventKind.REST_ENDED, self.index, step, now))
            target = self.index + 1
        return events + self._enter(target, now)

    def next_exercise(self, now: float | None = None) -> list[Event]:
        """Leave this exercise here (it hurts): the set in progress is kept as far as it got
        and counts as skipped, the exercise's later sets are left, and the next exercise's
        get-ready begins (or the session is done). Carries on when paused."""
        if not self.started or self.done:
            return []
        now = self._now(now)
        events = self.resume(now) if self.paused else []
        step = self.current
        if self._tally is not None:
            events += self._close_block(step, now, skipped=True)
        events.append(Event(EventKind.EXERCISE_DONE, self.index, step, now))
        steps = self.plan.steps
        target = next(
            (
                i
                for i in range(self.index + 1, len(steps))
                if steps[i].exercise_index > step.exercise_index
            ),
            len(steps),
        )
        return events + self._enter(target, now)

    def previous(self, now: float | None = None) -> list[Event]:
        """Back to the start of this set; from its start, back to the set before."""
        if not self.started or self.done:
            return []
        now = self._now(now)
        block = self._block(self.current)
        starts = [b.start for b in self.plan.blocks]
        if block is not None and self.index != block.start:
            target = block.start
        else:
            earlier = [s for s in starts if s < self.index]
            target = earlier[-1] if earlier else self.index
        self._tally = None
        return self._enter(target, now)

    def pause(self, now: float | None = None) -> list[Event]:
        if not self.started or self.done or self.paused:
            return []
        now = self._now(now)
        self._paused_remaining = self.remaining(now)
        self.paused = True
        self._pause_began = now
        return [Event(EventKind.PAUSED, self.index, self.current, now)]

    def resume(self, now: float | None = None) -> list[Event]:
        if not self.paused:
            return []
        now = self._now(now)
        assert self._pause_began is not None
        self._paused_total += now - self._pause_began
        self._pause_began = None
        self.paused = False
        if self._paused_remaining is not None:
            self._deadline = now + self._paused_remaining
        self._paused_remaining = None
        return [Event(EventKind.RESUMED, self.index, self.current, now)]

    def toggle_pause(self, now: float | None = None) -> list[Event]:
        return self.resume(now) if self.paused else self.pause(now)

    def stop(self, now: float | None = None) -> list[Event]:
        """End early. The set in progress is kept as far as it got."""
        if not self.started or self.done:
            return []
        now = self._now(now)
        if self.paused and self._pause_began is not None:
            self._paused_total += now - self._pause_began
            self._pause_began = None
        events = self._close_block(self.current, now, skipped=True) if self._tally else []
        self.done = self.stopped = True
        self.paused = False
        return [*events, Event(EventKind.SESSION_STOPPED, self.index, self.current, now)]

    # ------------------------------------------------------------------ internals

    def _now(self, now: float | None) -> float:
        return self.clock.now() if now is None else now

    def _enter(self, index: int, at: float) -> list[Event]:
        if index >= len(self.plan.steps):
            self.done = True
            self._deadline = None
            last = self.plan.steps[-1]
            self.index = len(self.plan.steps) - 1
            return [Event(EventKind.SESSION_DONE, self.index, last, at)]
        self.index = index
        step = self.plan.steps[index]
        seconds = step.seconds
        self._deadline = None if seconds is None else at + seconds
        self._countdown_next = (
            COUNTDOWN_FROM if seconds is not None and seconds >= COUNTDOWN_MIN_SECONDS else 0
        )
        long_hold = step.phase == "hold" and (seconds or 0) >= HALFWAY_MIN_SECONDS
        self._halfway = seconds / 2 if long_hold and seconds is not None else None
        if self.paused:
            self._paused_remaining = seconds
        block = self._block(step)
        if block is not None and index == block.start:
            self._tally = SetTally(
                step.block or 0, step.exercise_index, step.exercise, block.set, block.side,
                block.direction, 0, 0, block.reps, self._hold_planned(block),
                side_is=step.side_is,
            )  # fmt: skip
        events = [Event(EventKind.STEP_STARTED, index, step, at)]
        if self._starts_rep[index]:
            events.append(Event(EventKind.REP_STARTED, index, step, at))
        if step.phase == "rest":
            events.append(Event(EventKind.REST_STARTED, index, step, at))
        elif step.phase == "switch":
            events.append(Event(EventKind.SIDE_SWITCH, index, step, at))
        return events

    def _finish(self, at: float) -> list[Event]:
        index, step = self.index, self.current
        events: list[Event] = []
        if step.phase == "hold":
            events.append(Event(EventKind.HOLD_DONE, index, step, at))
            if self._tally is not None:
                self._tally = replace(self._tally, holds=self._tally.holds + 1)
        if self._ends_rep[index]:
            if self._tally is not None:
                self._tally = replace(self._tally, reps=self._tally.reps + 1)
            events.append(Event(EventKind.REP_DONE, index, step, at))
        if step.phase == "rest":
            events.append(Event(EventKind.REST_ENDED, index, step, at))
        block = self._block(step)
        if block is not None and index + 1 == block.end:
            events += self._close_block(step, at, skipped=False)
        if self._last_work.get(step.exercise_index) == index:
            events.append(Event(EventKind.EXERCISE_DONE, index, step, at))
        return events

    def _close_block(self, step: Step, at: float, skipped: bool) -> list[Event]:
        tally = self._tally
        self._tally = None
        if tally is None:
            return []
        tally = replace(tally, skipped=skipped and tally.reps < tally.reps_planned)
        for i, earlier in enumerate(self.records):
            if earlier.block == tally.block:  # gone back to and done again: one record, the best
                tally = replace(
                    tally,
                    reps=max(earlier.reps, tally.reps),
                    holds=max(earlier.holds, tally.holds),
                    skipped=earlier.skipped and tally.skipped,
                )
                self.records[i] = tally
                break
        else:
            self.records.append(tally)
        return [Event(EventKind.SET_DONE, self.index, step, at, tally=tally)]
