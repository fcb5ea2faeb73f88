"""What the physiotherapist's report says: the figures of a period, worked out once, for the
HTML page and the plain text alike (coach.report renders them).

The period is whole weeks, Monday to Sunday, ending with this week, and beginning no earlier
than the week of the first session. A session counts for the plan when at least one of its
sets was done (as for the streak and `coach today`), and a workout interrupted and resumed
later counts once in the number of sessions; a session planned today is due, not missed, until
it is done. The weeks are measured against the weekly plans of today, since history keeps no
older ones.

Pure: sessions, dose changes and plans come in, dates as arguments; no files, no clock.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from statistics import fmean

from coach.counts import count_sets
from coach.history.model import DoseChange, Schedule, SessionDetail
from coach.report_exercises import ExerciseLine, exercise_lines
from coach.report_sessions import SessionLine, session_lines, workouts
from coach.weekly import days_text, planned_on, week_label

NOTE_LIMIT = 200
"""A note longer than this many characters is cut on the page (the export keeps it whole)."""


@dataclass(frozen=True)
class Period:
    first: date  # a Monday
    last: date  # the Sunday of today's week
    today: date
    asked: int = 0  # the weeks asked for, when the history began later (then fewer are shown)

    @property
    def weeks(self) -> int:
        return ((self.last - self.first).days + 1) // 7

    def holds(self, day: date) -> bool:
        return self.first <= day <= self.last


def period_of(today: date, weeks: int, started: date | None = None) -> Period:
    """The `weeks` whole weeks that end with the week of `today`; from the week of `started`
    (the first session ever) when that came later, so that no empty week leads the page."""
    monday = today - timedelta(days=today.weekday())
    first = monday - timedelta(weeks=weeks - 1)
    if started is not None and first < started <= today:
        begun = started - timedelta(days=started.weekday())
        if begun > first:
            return Period(begun, monday + timedelta(days=6), today, asked=weeks)
    return Period(first, monday + timedelta(days=6), today)


@dataclass(frozen=True)
class RoutineLine:
    routine_id: str
    title: str
    plan: str  # 'mon wed fri', 'daily', '' without a weekly plan


@dataclass(frozen=True)
class DayCell:
    """A day of the calendar: the routines planned and the sessions of it."""

    day: date
    planned: tuple[str, ...]
    sessions: tuple[SessionLine, ...]
    when: str  # "before" (the first session), "past", "today" or "to-come"

    @property
    def done(self) -> tuple[str, ...]:
        """The routines with a session that counts, in the order done."""
        return tuple(dict.fromkeys(s.routine_id for s in self.sessions if s.counts))

    @property
    def kept(self) -> int:
        return sum(1 for r in self.planned if r in self.done)

    @property
    def state(self) -> str:
        """kept (all planned done), part (some), extra (done, none planned), to-come, due
        (planned today, not done yet), missed (planned, a day gone by), before (a day
        before the first session, which no plan counts), rest."""
        if self.planned and self.kept == len(self.planned):
            return "kept"
        if self.kept:
            return "part"
        if self.done:
            return "extra"
        if self.when in ("to-come", "before"):
            return self.when
        if self.planned:
            return "due" if self.when == "today" else "missed"
        return "rest"


@dataclass(frozen=True)
class WeekLine:
    monday: date
    days: tuple[DayCell, ...]
    planned: int  # planned routine-days in the week
    planned_so_far: int  # of those, up to today
    kept: int
    extra: int  # routine-days done and not planned
    sessions: int  # sessions that did a set
    minutes: float
    pain_before: float | None  # averages of the sessions with a pain before and after
    pain_after: float | None
    effort: float | None

    @property
    def label(self) -> str:
        return week_label(self.monday)


@dataclass(frozen=True)
class NoteLine:
    day: date
    title: str
    text: str  # cut at NOTE_LIMIT characters
    cut: int  # characters left out
    whole: str


@dataclass(frozen=True)
class Totals:
    sessions: int  # that did a set
    days: int  # days with such a session
    planned_so_far: int
    kept: int
    minutes: float
    sets_done: int
    sets_skipped: int
    interrupted: int
    resumed: int
    hurts: int
    pain_before: float | None  # averages of the sessions with both
    pain_after: float | None
    effort: float | None
    paired: int  # sessions with a pain before and after


@dataclass(frozen=True)
class Report:
    period: Period
    made: datetime
    routines: tuple[RoutineLine, ...]
    weeks: tuple[WeekLine, ...]  # oldest first
    sessions: tuple[SessionLine, ...]  # oldest first
    exercises: tuple[ExerciseLine, ...]
    notes: tuple[NoteLine, ...]
    totals: Totals
    ever: int  # sessions in the history, when none is in the period but some of its routines
    only: tuple[str, ...] = ()  # the routines asked for; () all
    left_out: str = ""  # 'sessions that could not be read' words, '' when none
    problems: tuple[str, ...] = field(default=())

    @property
    def empty(self) -> bool:
        return not self.sessions


# ----------------------------------------------------------------------------- building


def build_report(
    period: Period,
    details: Sequence[SessionDetail],
    *,
    made: datetime,
    titles: dict[str, str],
    schedules: Sequence[Schedule] = (),
    changes: Sequence[DoseChange] = (),
    routine_ids: Sequence[str] | None = None,
    ever: int = 0,
    started: date | None = None,
    left_out: str = "",
    problems: Sequence[str] = (),
) -> Report:
    """The report of `period` from its sessions (any order) and the dose changes and weekly
    plans of today (of every routine: those of `routine_ids` are kept when it is given).
    `started`: the day of the first session ever; the plan counts no day before it."""
    wanted = set(routine_ids) if routine_ids is not None else None

    def keep(routine_id: str) -> bool:
        return wanted is None or routine_id in wanted

    details = sorted(
        (d for d in details if keep(d.session.routine_id) and period.holds(d.session.day)),
        key=lambda d: (d.session.started_at, d.session.id),
    )
    plans = [s for s in schedules if keep(s.routine_id)]
    joined = workouts(details)
    # Counted once a session (the slowest step): a workout's over all its sessions, on the
    # line of its last; a session carried on by a later one, its own sets for its line.
    counted = [count_sets((m or d).sets) for d, m in zip(details, joined.merged, strict=True)]
    sessions = session_lines(details, counted, joined)
    titles = {**titles, **{d.session.routine_id: d.session.title for d in details}}
    routines = _routines(plans, sessions, titles, routine_ids)
    weeks = _weeks(period, plans, sessions, started)
    whole = [(m, c) for m, c in zip(joined.merged, counted, strict=True) if m is not None]
    exercises = exercise_lines(
        [m for m, _ in whole],
        [c for c in changes if keep(c.routine_id)],
        period.holds,
        [r.routine_id for r in routines],
        [c for _, c in whole],
    )
    notes = tuple(
        _note(s.day, s.title, s.note) for s in sessions if s.note is not None and s.note.strip()
    )
    return Report(
        period=period,
        made=made,
        routines=routines,
        weeks=weeks,
        sessions=sessions,
        exercises=exercises,
        notes=notes,
        totals=_totals(weeks, sessions, exercises),
        ever=ever,
        only=tuple(routine_ids or ()),
        left_out=left_out,
        problems=tuple(problems),
    )


def _routines(
    plans: Sequence[Schedule],
    sessions: Sequence[SessionLine],
    titles: dict[str, str],
    asked: Sequence[str] | None,
) -> tuple[RoutineLine, ...]:
    order = list(asked or ())
    order += [s.routine_id for s in plans]
    order += [s.routine_id for s in sessions]
    days = {s.routine_id: s.days for s in plans}
    return tuple(
        RoutineLine(rid, titles.get(rid, rid), days_text(days[rid]) if rid in days else "")
        for rid in dict.fromkeys(order)
    )


def _weeks(
    period: Period,
    plans: Sequence[Schedule],
    sessions: Sequence[SessionLine],
    started: date | None,
) -> tuple[WeekLine, ...]:
    by_day: dict[date, list[SessionLine]] = {}
    for s in sessions:
        by_day.setdefault(s.day, []).append(s)
    weeks = []
    for n in range(period.weeks):
        monday = period.first + timedelta(weeks=n)
        days = tuple(
            DayCell(
                day, planned_on(plans, day), tuple(by_day.get(day, ())), _when(day, period, started)
            )
            for day in (monday + timedelta(days=k) for k in range(7))
        )
        mine = [s for day in days for s in day.sessions]
        done = [s for s in mine if s.counts]
        weeks.append(
            WeekLine(
                monday=monday,
                days=days,
                planned=sum(len(d.planned) for d in days),
                planned_so_far=sum(_so_far(d) for d in days),
                kept=sum(d.kept for d in days if d.when in ("past", "today")),
                extra=sum(1 for d in days for r in d.done if r not in d.planned),
                sessions=sum(1 for s in done if s.counted),
                minutes=sum(s.minutes or 0.0 for s in mine),
                pain_before=_mean(s.pain_before for s in _paired(mine)),
                pain_after=_mean(s.pain_after for s in _paired(mine)),
                effort=_mean(s.effort for s in mine),
            )
        )
    return tuple(weeks)


def _so_far(day: DayCell) -> int:
    """The planned sessions of a day that count so far: every one of a day gone by; today's
    once kept (today is not over)."""
    if day.when == "past":
        return len(day.planned)
    return day.kept if day.when == "today" else 0


def _paired(sessions: Iterable[SessionLine]) -> list[SessionLine]:
    """The sessions with a pain both before and after: the averages compare like with like."""
    return [s for s in sessions if s.pain_before is not None and s.pain_after is not None]


def _when(day: date, period: Period, started: date | None) -> str:
    if started is None or day < started:
        return "before"
    return "past" if day < period.today else "today" if day == period.today else "to-come"


def _mean(values: Iterable[int | None]) -> float | None:
    known = [v for v in values if v is not None]
    return fmean(known) if known else None


# ----------------------------------------------------------------------- notes and totals


def _note(day: date, title: str, text: str | None) -> NoteLine:
    words = (text or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    cut = max(0, len(words) - NOTE_LIMIT)
    return NoteLine(day, title, words[:NOTE_LIMIT].rstrip() if cut else words, cut, words)


def _totals(
    weeks: Sequence[WeekLine], sessions: Sequence[SessionLine], exercises: Sequence[ExerciseLine]
) -> Totals:
    done = [s for s in sessions if s.counts]
    return Totals(
        sessions=sum(1 for s in done if s.counted),
        days=len({s.day for s in done}),
        planned_so_far=sum(w.planned_so_far for w in weeks),
        kept=sum(w.kept for w in weeks),
        minutes=sum(s.minutes or 0.0 for s in sessions),
        sets_done=sum(e.sets_done for e in exercises),
        sets_skipped=sum(e.sets_skipped for e in exercises),
        interrupted=sum(1 for s in sessions if s.status == "interrupted"),
        resumed=sum(1 for s in sessions if s.resumed),
        hurts=sum(len(s.hurts) for s in sessions),
        pain_before=_mean(s.pain_before for s in _paired(sessions)),
        pain_after=_mean(s.pain_after for s in _paired(sessions)),
        paired=len(_paired(sessions)),
        effort=_mean(s.effort for s in sessions),
    )
