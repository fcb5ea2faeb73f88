"""What history holds: the records, the `Store` interface, the one failure, and the one list
of the session and set fields that every export and every surface reads.

Times are timezone-aware; the store keeps them as ISO 8601 text in UTC with microseconds, so
the text sorts as time.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, Literal, Protocol

ENDINGS = ("completed", "stopped", "interrupted")


class HistoryError(Exception):
    """A history failure, as one line a person can read; `reason` is the line without the
    "history is not saved:" lead-in a failed open gives it. `locked`: another program holds
    the file's lock, so the same write may well work a little later."""

    def __init__(self, message: str, reason: str | None = None, *, locked: bool = False) -> None:
        super().__init__(message)
        self.reason = reason or message
        self.locked = locked


@dataclass(frozen=True)
class Unreadable:
    """Rows the store leaves out because they cannot be read (a start time that is not a time,
    a status this coach does not know, text where a number belongs): they stay in the file as
    they are, and every surface says how many there are."""

    sessions: int = 0
    sets: int = 0  # of sessions that can be read

    def __bool__(self) -> bool:
        return bool(self.sessions or self.sets)

    def words(self) -> str:
        """'2 sessions and 1 set could not be read'."""
        parts = [
            f"{count} {name if count == 1 else name + 's'}"
            for count, name in ((self.sessions, "session"), (self.sets, "set"))
            if count
        ]
        return f"{' and '.join(parts)} could not be read" if parts else ""


@dataclass(frozen=True)
class SetRecord:
    """One finished or skipped set on one side in one direction (a block of the plan);
    `set_number` counts from 1. `side` is the side as the routine names it, `side_is` what it
    names (see coach.sides) and `working_side` the side of the leg that worked; both are None
    in sets saved before they were kept.

    `target_reps` and `target_hold` are the dose the set was done with (the reps planned on
    this side in this direction, the seconds of each hold, 0 for plain reps); `hurt` is the pain
    now, 0 to 10, when the set was stopped with "this hurts". All three are None in sets saved
    before they were kept (and `hurt` in every set that did not hurt)."""

    exercise_index: int
    exercise: str
    set_number: int
    recorded_at: datetime
    side: str | None = None
    direction: str | None = None
    reps: int = 0
    holds: int = 0
    skipped: bool = False
    side_is: str | None = None
    working_side: str | None = None
    target_reps: int | None = None
    target_hold: float | None = None
    hurt: int | None = None


@dataclass(frozen=True)
class SessionRecord:
    """A session. `exercise_index` and `set_number` point at its last committed set."""

    id: int
    routine_id: str
    title: str
    started_at: datetime
    day: date
    ended_at: datetime | None
    status: str
    pain_before: int | None
    pain_after: int | None
    effort: int | None
    note: str | None
    planned_sets: int | None
    pid: int
    host: str
    exercise_index: int | None
    set_number: int | None
    resumed_from: int | None
    dismissed: bool

    @property
    def minutes(self) -> float | None:
        return minutes_between(self.started_at, self.ended_at)


@dataclass(frozen=True)
class SessionSummary:
    """One line of the history list. `done`: sets done / planned (else recorded) sets."""

    id: int
    routine_id: str
    title: str
    started_at: datetime
    ended_at: datetime | None
    minutes: float | None
    status: str
    done: float | None
    pain_before: int | None
    pain_after: int | None
    effort: int | None = None


@dataclass(frozen=True)
class SessionDetail:
    session: SessionRecord
    sets: tuple[SetRecord, ...]


@dataclass(frozen=True)
class TrendPoint:
    day: date
    pain_before: int | None
    pain_after: int | None
    minutes: float | None


DOSE_FIELDS = ("sets", "reps", "hold", "rest", "relax")

DOSE_LIMITS: dict[str, tuple[int, int]] = {
    "sets": (1, 20),
    "reps": (1, 100),
    "hold": (0, 600),
    "rest": (0, 600),
    "relax": (0, 600),
}
"""The lowest and highest value of each dose field, as the routine format allows them (the
same limits as coach.routine.Exercise; a test holds them together)."""

SIDE_FIELDS = ("sets", "reps", "hold")
"""The dose fields one side may have of its own; rest and relax are the exercise's."""


@dataclass(frozen=True)
class Dose:
    """A person's own values for an exercise; None keeps the routine file's."""

    sets: int | None = None
    reps: int | None = None
    hold: float | None = None
    rest: float | None = None
    relax: float | None = None

    def is_empty(self) -> bool:
        """No value of its own: the routine file's values all hold."""
        return all(getattr(self, name) is None for name in DOSE_FIELDS)

    def merged(self, newer: Dose) -> Dose:
        """This dose with `newer`'s values wherever it has one."""
        values = {name: getattr(newer, name) for name in DOSE_FIELDS}
        return replace(self, **{name: value for name, value in values.items() if value is not None})


@dataclass(frozen=True)
class DoseRecord:
    """A person's dose of one exercise of one routine, kept in history."""

    routine_id: str
    exercise: str  # the exercise key: its name, or "NAME #2" for the second of that name
    side: str | None  # None: both sides; "left" / "right": that side only (sets, reps, hold)
    dose: Dose


@dataclass(frozen=True)
class DoseChange:
    """One change of a person's dose, kept with its time and why."""

    at: datetime
    routine_id: str
    exercise: str
    side: str | None
    before: Dose  # the values in force before (file's where not overridden)
    after: Dose
    reason: str  # "set with coach dose", "step up: two sessions at full dose, pain ≤ 2", ...


@dataclass(frozen=True)
class Schedule:
    """The weekdays a routine is planned for."""

    routine_id: str
    days: tuple[int, ...]  # weekday numbers 0=Mon..6=Sun; all seven = daily


def check_dose(dose: Dose, side: str | None = None, what: str = "dose") -> None:
    """ValueError, in one line, for a value outside the routine format's limits, a count that
    is not a whole number, or rest or relax given for one side only."""
    if side not in (None, "left", "right"):
        raise ValueError(f"a side is left or right, not {side!r}")
    for name in DOSE_FIELDS:
        value = getattr(dose, name)
        if value is None:
            continue
        low, high = DOSE_LIMITS[name]
        whole = name in ("sets", "reps")
        if (
            isinstance(value, bool)
            or not isinstance(value, int if whole else (int, float))
            or not low <= value <= high  # also refuses NaN
        ):
            kind = "a whole number" if whole else "a number of seconds"
            raise ValueError(f"{what}: {name} is {kind} from {low} to {high}, not {value!r}")
        if side is not None and name not in SIDE_FIELDS:
            raise ValueError(f"{what}: {name} is the same on both sides (no {name} for {side})")


def check_schedule(schedule: Schedule) -> None:
    """ValueError, in one line, for a schedule without days or with a day that is not 0–6."""
    if not schedule.routine_id:
        raise ValueError("a schedule needs a routine")
    if not schedule.days:
        raise ValueError(f"a schedule needs at least one day, not none for {schedule.routine_id}")
    for day in schedule.days:
        if isinstance(day, bool) or not isinstance(day, int) or not 0 <= day <= 6:
            raise ValueError(f"a weekday is a number from 0 (Monday) to 6 (Sunday), not {day!r}")


class Store(Protocol):
    """What the app needs from history; the file store and the memory store both give it.

    `read_only`: the file can be read but not written (sessions then are not saved).
    `journal_note`: what opening added from the journal of sets kept aside while the file was
    locked, to tell the person once; None when nothing was added. `pid` and `host` own the
    sessions this store starts."""

    pid: int
    host: str

    @property
    def path(self) -> Path | None: ...
    @property
    def read_only(self) -> bool: ...
    @property
    def journal_note(self) -> str | None: ...
    def close(self) -> None: ...
    def start_session(
        self,
        routine_id: str,
        title: str,
        started_at: datetime,
        *,
        planned_sets: int | None = None,
        pain_before: int | None = None,
        resumed_from: int | None = None,
    ) -> int: ...
    def record_set(self, session_id: int, entry: SetRecord) -> None: ...
    def finish_session(
        self,
        session_id: int,
        ended_at: datetime,
        status: str = "completed",
        *,
        pain_after: int | None = None,
        effort: int | None = None,
        note: str | None = None,
    ) -> None: ...
    def mark_interrupted(self, now: datetime) -> list[int]: ...
    def resumable(self, routine_id: str | None, since: datetime) -> SessionRecord | None: ...
    def dismiss(self, session_id: int) -> None: ...
    def recent(self, limit: int = 50, offset: int = 0) -> list[SessionSummary]: ...
    def count(self) -> int: ...
    def detail(self, session_id: int) -> SessionDetail | None: ...
    def between(
        self, first: date, last: date, routine_ids: Sequence[str] | None = None
    ) -> list[SessionDetail]: ...
    def first_day(self, routine_ids: Sequence[str] | None = None) -> date | None: ...
    def streak(self, today: date) -> int: ...
    def sessions_this_week(self, today: date) -> int: ...
    def calendar(self, today: date, weeks: int = 12) -> dict[date, int]: ...
    def trend(self, limit: int = 30) -> list[TrendPoint]: ...
    def export_rows(self) -> list[dict[str, Any]]: ...
    def unreadable(self, sets: bool = False) -> Unreadable: ...
    def doses(self, routine_id: str | None = None) -> list[DoseRecord]: ...
    def set_dose(self, record: DoseRecord, change: DoseChange) -> None: ...
    def reset_doses(
        self, routine_id: str, exercise: str | None, change_at: datetime, reason: str
    ) -> list[DoseChange]: ...
    def dose_changes(self, routine_id: str | None = None) -> list[DoseChange]: ...
    def schedules(self) -> list[Schedule]: ...
    def set_schedule(self, schedule: Schedule | None, routine_id: str) -> None: ...


class HistoryAccess(Protocol):
    """Where a front end finds history: the store (opened on first use) and, when it could not
    be the file, why not (then the store keeps this run's sessions in memory only)."""

    def history(self) -> Store: ...

    @property
    def history_problem(self) -> str | None: ...


class FixedHistory:
    """History access to a store already open, for the drills, benchmarks and plain runs."""

    def __init__(self, store: Store, problem: str | None = None) -> None:
        self.store = store
        self.history_problem = problem

    def history(self) -> Store:
        return self.store


@dataclass(frozen=True)
class Field:
    """One exported field: its name in JSON and CSV, and the record attribute (and file
    column) it comes from; `stored` False for one counted from the rest when exporting."""

    name: str
    attribute: str
    kind: Literal["int", "number", "text", "bool", "time"] = "text"
    stored: bool = True


SESSION_FIELDS: tuple[Field, ...] = (
    Field("id", "id", "int"),
    Field("routine", "routine_id"),
    Field("title", "title"),
    Field("started_at", "started_at", "time"),
    Field("ended_at", "ended_at", "time"),
    Field("status", "status"),
    Field("pain_before", "pain_before", "int"),
    Field("pain_after", "pain_after", "int"),
    Field("effort", "effort", "int"),
    Field("note", "note"),
    # Sets as the plan states them (2 sets on each side are 2), done as coach.counts counts them.
    Field("planned_sets", "planned_sets", "int"),
    Field("sets_done", "sets_done", "int", stored=False),
    Field("resumed_from", "resumed_from", "int"),
)
"""A session's fields in every export, in order."""

SET_FIELDS: tuple[Field, ...] = (
    Field("exercise_index", "exercise_index", "int"),
    Field("exercise", "exercise"),
    Field("set", "set_number", "int"),
    Field("side", "side"),
    Field("working_leg", "working_side"),
    Field("direction", "direction"),
    Field("reps", "reps", "int"),
    Field("holds", "holds", "int"),
    Field("skipped", "skipped", "bool"),
    # The dose the set was done with, and the pain when it was stopped with "this hurts".
    Field("target_reps", "target_reps", "int"),
    Field("target_hold", "target_hold", "number"),
    Field("hurt", "hurt", "int"),
    Field("recorded_at", "recorded_at", "time"),
)
"""A set's fields in every export, in order."""


def to_text(moment: datetime) -> str:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"history needs timezone-aware times, not {moment!r}")
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def from_text(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text)


def minutes_between(start: datetime | None, end: datetime | None) -> float | None:
    return None if start is None or end is None else (end - start).total_seconds() / 60


def check_scale(**values: int | None) -> None:
    for name, value in values.items():
        if value is not None and not 0 <= value <= 10:
            raise ValueError(f"{name} is from 0 to 10, not {value}")
