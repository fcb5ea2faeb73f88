"""The weekly plan: what is due today, this week against the plan, and each week's adherence;
and what `coach today` shows.

A day's session of a routine counts when at least one of its sets was done (not skipped),
whatever its status: the rule the streak and the calendar use. Past weeks are measured
against today's schedules (history keeps no older ones).

Pure: sessions and schedules come in, dates as arguments; no files, no database, no clock.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from coach.history.model import Schedule
from coach.progression import Proposal, SessionFacts, latest

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAILY = "daily"


def parse_days(words: Sequence[str]) -> tuple[int, ...]:
    """`mon wed fri` → (0, 2, 4); `daily` → all seven. ValueError, one line, for anything
    else or for no day at all."""
    days: set[int] = set()
    for word in words:
        low = word.strip().lower()
        if low == DAILY:
            days.update(range(7))
        elif low in WEEKDAYS:
            days.add(WEEKDAYS.index(low))
        else:
            raise ValueError(
                f"{word!r} is not a day: use mon, tue, wed, thu, fri, sat, sun or daily"
            )
    if not days:
        raise ValueError("give the days: mon, tue, wed, thu, fri, sat, sun, or daily")
    return tuple(sorted(days))


def days_text(days: Sequence[int]) -> str:
    """(0, 2, 4) → 'mon wed fri'; all seven → 'daily'."""
    if set(days) == set(range(7)):
        return DAILY
    return " ".join(WEEKDAYS[d] for d in sorted(set(days)))


@dataclass(frozen=True)
class DayPlan:
    """One day of the week: the routines planned, and those with a session that counts."""

    day: date
    planned: tuple[str, ...]
    done: tuple[str, ...]


@dataclass(frozen=True)
class WeekAdherence:
    """One ISO week against the plan: planned routine-days, those kept, and sessions on days
    not planned. For this week `planned_so_far` counts the days up to today."""

    monday: date
    planned: int
    planned_so_far: int
    kept: int
    extra: int

    @property
    def label(self) -> str:
        return week_label(self.monday)


def week_label(day: date) -> str:
    """The ISO week of `day`: '2026-W07'."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


@dataclass(frozen=True)
class WeekView:
    """What is due today and this week against the plan, and each week's adherence (newest
    first; from the first week with a session, at most `weeks` of them). Past weeks are
    measured against the schedules of today: history keeps no older ones."""

    today: date
    due: tuple[str, ...]  # planned today, not done yet today
    done_today: tuple[str, ...]
    days: tuple[DayPlan, ...]  # Monday to Sunday of this week
    weeks: tuple[WeekAdherence, ...]

    @property
    def this_week(self) -> WeekAdherence:
        return self.weeks[0]


def _done_days(sessions: Iterable[SessionFacts], today: date) -> dict[date, list[str]]:
    done: dict[date, list[str]] = {}
    for session in sessions:
        if session.counts and session.day <= today:
            ids = done.setdefault(session.day, [])
            if session.routine_id not in ids:
                ids.append(session.routine_id)
    return done


def planned_on(schedules: Sequence[Schedule], day: date) -> tuple[str, ...]:
    """The routines planned on `day`, in schedule order."""
    return tuple(s.routine_id for s in schedules if day.weekday() in s.days)


def week(
    schedules: Sequence[Schedule],
    sessions: Sequence[SessionFacts],
    today: date,
    weeks: int = 12,
) -> WeekView:
    """The week of `today` against the plan (all routines' sessions, any order)."""
    done = _done_days(sessions, today)
    monday = today - timedelta(days=today.weekday())
    days = tuple(
        DayPlan(d, planned_on(schedules, d), tuple(done.get(d, ())))
        for d in (monday + timedelta(days=n) for n in range(7))
    )
    first = min(done, default=today)
    first_monday = first - timedelta(days=first.weekday())
    count = min(max(weeks, 1), (monday - first_monday).days // 7 + 1)
    adherence = tuple(
        _adherence(schedules, done, monday - timedelta(weeks=n), today) for n in range(count)
    )
    due = tuple(r for r in planned_on(schedules, today) if r not in done.get(today, ()))
    return WeekView(today, due, tuple(done.get(today, ())), days, adherence)


def _adherence(
    schedules: Sequence[Schedule], done: Mapping[date, list[str]], monday: date, today: date
) -> WeekAdherence:
    planned = so_far = kept = extra = 0
    for n in range(7):
        day = monday + timedelta(days=n)
        wanted = planned_on(schedules, day)
        planned += len(wanted)
        if day <= today:
            so_far += len(wanted)
        did = done.get(day, ())
        kept += sum(1 for r in wanted if r in did)
        extra += sum(1 for r in did if r not in wanted)
    return WeekAdherence(monday, planned, so_far, kept, extra)


# ---------------------------------------------------------------------------- coach today


@dataclass(frozen=True)
class RoutineWeek:
    """One routine's week: its plan, and what was done."""

    routine_id: str
    days: tuple[int, ...]  # its planned weekdays; () when it has no schedule
    due: bool  # planned today and not done yet today
    done_today: bool
    planned: int  # planned days this week
    kept: int  # of those, days with a session that counts
    sessions: int  # days this week with a session of it that counts (planned or not)


@dataclass(frozen=True)
class LastPain:
    """The last pain entered: the latest session with a pain before or after."""

    day: date
    routine_id: str
    before: int | None
    after: int | None


@dataclass(frozen=True)
class TodayView:
    """What `coach today` prints."""

    today: date
    first_day: bool  # no session yet
    start_with: str | None  # on a first day: the routine to start with
    routines: tuple[RoutineWeek, ...]  # planned routines (in schedule order), then others done
    last_pain: LastPain | None
    waiting: tuple[Proposal, ...]
    week: WeekView


def today_view(
    schedules: Sequence[Schedule],
    sessions: Sequence[SessionFacts],
    today: date,
    *,
    waiting: Sequence[Proposal] = (),
    routine_ids: Sequence[str] = (),
) -> TodayView:
    """`coach today`: the week, each routine's part of it, the last pain and the proposals
    waiting. With no session yet, `start_with` names a routine: one planned today, else one
    planned at all, else the first of `routine_ids` (the catalog's, in the order to offer)."""
    view = week(schedules, sessions, today)
    order = [s.routine_id for s in schedules]
    for day in view.days:
        order += [r for r in day.done if r not in order]
    routines = []
    for rid in order:
        planned_days = next((s.days for s in schedules if s.routine_id == rid), ())
        planned = [d for d in view.days if rid in d.planned]
        routines.append(
            RoutineWeek(
                rid,
                tuple(planned_days),
                rid in view.due,
                rid in view.done_today,
                len(planned),
                sum(1 for d in planned if rid in d.done),
                sum(1 for d in view.days if rid in d.done),
            )
        )
    first_day = not sessions
    start_with = None
    if first_day:
        planned_ids = [s.routine_id for s in schedules]
        start_with = next(iter([*view.due, *planned_ids, *routine_ids]), None)
    last = latest(
        sorted(sessions, key=lambda s: (s.day, s.id)),
        lambda s: s.pain_before is not None or s.pain_after is not None,
    )
    last_pain = (
        LastPain(last.day, last.routine_id, last.pain_before, last.pain_after)
        if last is not None
        else None
    )
    return TodayView(today, first_day, start_with, tuple(routines), last_pain, tuple(waiting), view)
