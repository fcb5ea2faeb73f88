"""The sessions of the report: each as the page and the text show it, with what marks it
(interrupted, resumed, stopped, hurt) and whether it counts.

Pure: sessions in, lines out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from coach.counts import ExerciseCount
from coach.history.model import SessionDetail


@dataclass(frozen=True)
class Hurt:
    exercise: str
    pain: int


@dataclass(frozen=True)
class SessionLine:
    """One session as the report shows it."""

    id: int
    day: date
    started: datetime  # local time
    routine_id: str
    title: str
    status: str  # completed, stopped, interrupted, running
    minutes: float | None
    pain_before: int | None
    pain_after: int | None
    effort: int | None
    sets_done: int
    sets_planned: int
    counts: bool  # a set of it was done
    skipped: int  # sets skipped (the person moved on)
    resumed: bool  # it carried on an interrupted session
    resumed_from: date | None  # the day of that session, when it is in the period
    resumed_on: date | None  # it was interrupted and carried on that day
    continued: bool  # carried on by a later session that did a set: one workout with it
    hurts: tuple[Hurt, ...]
    note: str | None

    @property
    def counted(self) -> bool:
        """A session in the counts of sessions: it did a set, and was not carried on in a
        later session (the two are one workout, counted once, where it was resumed)."""
        return self.counts and not self.continued

    @property
    def pain_rose(self) -> bool:
        return (
            self.pain_before is not None
            and self.pain_after is not None
            and self.pain_after > self.pain_before
        )

    @property
    def marks(self) -> list[str]:
        """'interrupted', 'resumed later', 'resumed', 'stopped early', 'hurt', in that order."""
        out = []
        if self.status == "interrupted":
            out.append("interrupted")
        if self.resumed_on is not None:
            out.append("resumed later")
        if self.resumed:
            out.append("resumed")
        if self.status == "stopped":
            out.append("stopped early")
        if self.hurts:
            out.append("hurt")
        return out


@dataclass(frozen=True)
class Workouts:
    """The sessions as workouts: `merged[i]` is session i with the sets of the interrupted
    sessions it carried on (in the period) before its own, or None for a session carried on
    by a later one that did a set (its sets count there); `planned` the sets the workout
    planned, from its first session."""

    merged: tuple[SessionDetail | None, ...]
    planned: tuple[int | None, ...]

    @property
    def continued(self) -> set[int]:
        return {i for i, m in enumerate(self.merged) if m is None}


def workouts(details: Sequence[SessionDetail]) -> Workouts:
    """`details` (oldest first) as workouts; see Workouts."""
    place = {d.session.id: i for i, d in enumerate(details)}
    merged: list[SessionDetail | None] = list(details)
    planned: list[int | None] = [d.session.planned_sets for d in details]
    for i, d in enumerate(details):
        j = place.get(d.session.resumed_from, i) if d.session.resumed_from is not None else i
        earlier = merged[j] if j < i else None
        if earlier is None or not any(not r.skipped for r in d.sets):
            continue
        merged[i] = SessionDetail(d.session, earlier.sets + d.sets)
        planned[i] = planned[j] or planned[i]
        merged[j] = None
    return Workouts(tuple(merged), tuple(planned))


def session_lines(
    details: Sequence[SessionDetail],
    counted: Sequence[Sequence[ExerciseCount]],
    workouts: Workouts,
) -> tuple[SessionLine, ...]:
    """Each session as a line; a workout's sets done are counted over all its sessions, on
    the line of its last."""
    by_id = {d.session.id: d.session for d in details}
    resumed_on: dict[int, date] = {}
    for d in details:
        if d.session.resumed_from is not None:
            resumed_on.setdefault(d.session.resumed_from, d.session.day)
    lines = []
    continued = workouts.continued
    for n, (d, counts) in enumerate(zip(details, counted, strict=True)):
        s = d.session
        done = sum(c.done for c in counts)
        earlier = by_id.get(s.resumed_from) if s.resumed_from is not None else None
        lines.append(
            SessionLine(
                id=s.id,
                day=s.day,
                started=s.started_at.astimezone(),
                routine_id=s.routine_id,
                title=" ".join(s.title.split()),  # a line break or tab in a title: a space
                status=s.status,
                minutes=s.minutes if s.minutes is None or s.minutes >= 0 else None,
                pain_before=s.pain_before,
                pain_after=s.pain_after,
                effort=s.effort,
                sets_done=done,
                sets_planned=workouts.planned[n] or sum(c.planned for c in counts),
                counts=any(not r.skipped for r in d.sets),
                skipped=len({(r.exercise_index, r.set_number) for r in d.sets if r.skipped}),
                resumed=s.resumed_from is not None,
                resumed_from=earlier.day if earlier is not None else None,
                resumed_on=resumed_on.get(s.id),
                continued=n in continued,
                hurts=tuple(Hurt(r.exercise, r.hurt) for r in d.sets if r.hurt is not None),
                note=s.note,
            )
        )
    return tuple(lines)
