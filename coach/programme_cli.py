"""The programme on the command line: `coach dose`, `coach schedule` and `coach today`.

Printing reads the history file without creating it (coach.history.programme_store); setting a
dose or a schedule opens it as the coach does. A mistake (an unknown exercise, a value outside
the routine format's limits, a day that is not one) is one line and exit status 1.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from coach.commands import UserError, rich_console
from coach.durations import plural
from coach.history.model import DOSE_FIELDS, Dose, DoseChange, DoseRecord, HistoryError, Schedule
from coach.literal import literal

if TYPE_CHECKING:
    from coach.history.model import Store
    from coach.programme import TodayView
    from coach.routine import Exercise, RoutineEntry


def catalog_only(entry: RoutineEntry, data: Path) -> None:
    """Doses and plans are for routines in the list (built-in, or in the data folder)."""
    from coach.programme_io import in_list

    if in_list(entry, data):
        return
    raise UserError(
        f"{entry.path.name} is not in your list of routines: put it in "
        f"{data / 'routines'} to keep a dose or a plan for it"
    )


def _writable(data: Path) -> Store:
    from coach.history.sqlite import open_store

    store, problem = open_store(data)
    if problem is not None:
        store.close()
        raise UserError(f"cannot change your programme: {problem}")
    return store


# ---------------------------------------------------------------------------------- dose


def cmd_dose(
    data: Path,
    entry: RoutineEntry,
    exercise: str | None,
    values: Dose,
    side: str | None,
    reset: bool,
) -> int:
    from coach.programme import check_dose, exercise_keys

    catalog_only(entry, data)
    keys = exercise_keys(entry.routine)
    key = None if exercise is None else _key(exercise, keys, entry)
    if reset and not values.is_empty():
        raise UserError("--reset goes back to the file's dose; it takes no values")
    if side is not None and key is None:
        raise UserError("--side goes with an exercise and the values to set")
    if not reset and values.is_empty():
        if key is not None or side is not None:
            raise UserError("give the values to set: --sets, --reps, --hold, --rest or --relax")
        return _show(data, entry)
    if reset:
        return _reset(data, entry, key)
    if key is None:
        raise UserError('name the exercise to set a dose for: coach dose ROUTINE "EXERCISE" ...')
    try:
        check_dose(values, side, what=key)
    except ValueError as exc:
        raise UserError(str(exc)) from None
    return _set(data, entry, key, values, side)


def _key(name: str, keys: Sequence[str], entry: RoutineEntry) -> str:
    """The exercise key for what the person typed: exact, else the one that matches ignoring
    case and spaces."""
    if name in keys:
        return name
    folded = {" ".join(k.lower().split()): k for k in keys}
    found = folded.get(" ".join(name.lower().split()))
    if found is None:
        listed = ", ".join(repr(k) for k in keys)
        raise UserError(f"no exercise {name!r} in {entry.id}; its exercises are {listed}")
    return found


def _exercise(entry: RoutineEntry, key: str) -> Exercise:
    from coach.programme import exercise_keys

    return entry.routine.exercises[exercise_keys(entry.routine).index(key)]


def file_dose(exercise: Exercise) -> Dose:
    return Dose(
        sets=exercise.sets,
        reps=exercise.reps,
        hold=exercise.hold,
        rest=exercise.rest,
        relax=exercise.relax,
    )


def _set(data: Path, entry: RoutineEntry, key: str, values: Dose, side: str | None) -> int:
    store = _writable(data)
    try:
        current = next(
            (d.dose for d in store.doses(entry.id) if d.exercise == key and d.side == side),
            Dose(),
        )
        before = file_dose(_exercise(entry, key)).merged(current)
        new = current.merged(values)
        after = file_dose(_exercise(entry, key)).merged(new)
        change = DoseChange(
            datetime.now().astimezone(), entry.id, key, side, before, after, "set with coach dose"
        )
        store.set_dose(DoseRecord(entry.id, key, side, new), change)
    except HistoryError as exc:
        raise UserError(f"cannot change your programme: {exc.reason}") from None
    finally:
        store.close()
    where = f" ({side} leg)" if side else ""
    print(f"{key}{where}: {_changes(before, after) or 'no change'}")
    return 0


def _reset(data: Path, entry: RoutineEntry, key: str | None) -> int:
    store = _writable(data)
    try:
        changes = store.reset_doses(
            entry.id, key, datetime.now().astimezone(), "back to the file's dose"
        )
    except HistoryError as exc:
        raise UserError(f"cannot change your programme: {exc.reason}") from None
    finally:
        store.close()
    if not changes:
        print(f"{key or entry.id}: already the file's dose")
    for change in changes:
        where = f" ({change.side} leg)" if change.side else ""
        print(f"{change.exercise}{where}: back to the file's dose")
    return 0


def _changes(before: Dose, after: Dose) -> str:
    parts = []
    for name in DOSE_FIELDS:
        old, new = getattr(before, name), getattr(after, name)
        if old != new:
            parts.append(f"{name} {_value(name, old)} → {_value(name, new)}")
    return ", ".join(parts)


def _value(name: str, value: float | None) -> str:
    if value is None:
        return "–"
    text = f"{value:g}"
    return f"{text} s" if name in ("hold", "rest", "relax") else text


def _show(data: Path, entry: RoutineEntry) -> int:
    from rich.table import Table

    from coach.history.programme_store import read_programme
    from coach.programme import exercise_keys, personal

    programme = read_programme(data)
    if programme.problem:
        print(f"coach: {programme.problem}", flush=True)
    doses = [d for d in programme.doses if d.routine_id == entry.id]
    mine = personal(entry.routine, entry.id, doses)
    # Names and titles are the file's words, never markup: `Clam [/] shell` prints as written.
    title = literal(f"{entry.routine.title}: the file's dose → yours")
    table = Table(title=title, title_justify="left")
    table.add_column("exercise")
    for name in DOSE_FIELDS:
        table.add_column(name, justify="right")
    for index, key in enumerate(exercise_keys(entry.routine)):
        original = file_dose(entry.routine.exercises[index])
        yours = file_dose(mine.routine.exercises[index])
        table.add_row(literal(key), *(_cell(name, original, yours) for name in DOSE_FIELDS))
        for side in ("left", "right"):
            own = mine.side_doses.get((index, side))
            if own is not None:
                table.add_row(
                    f"  {side} leg",
                    *(_cell(name, yours, yours.merged(own)) for name in DOSE_FIELDS),
                )
    out = rich_console()
    out.print(table)
    for unused in mine.unused:
        where = f" ({unused.side} leg)" if unused.side else ""
        out.print(
            f"Unused: {unused.exercise}{where} is no longer in {entry.id}; "
            f"its dose is kept, and not used (coach dose {entry.id} --reset drops it)",
            markup=False,
            highlight=False,
        )
    return 0


def _cell(name: str, before: Dose, after: Dose) -> str:
    old, new = getattr(before, name), getattr(after, name)
    return _value(name, old) if old == new else f"{_value(name, old)} → {_value(name, new)}"


# ------------------------------------------------------------------------------ schedule


def cmd_schedule(data: Path, entry: RoutineEntry, days: Sequence[str], clear: bool) -> int:
    catalog_only(entry, data)
    if clear and days:
        raise UserError("--clear drops the plan; it takes no days")
    from coach.programme import parse_days

    try:
        chosen = None if clear else parse_days(days)
    except ValueError as exc:
        raise UserError(str(exc)) from None
    store = _writable(data)
    try:
        store.set_schedule(None if chosen is None else Schedule(entry.id, chosen), entry.id)
    except HistoryError as exc:
        raise UserError(f"cannot change your programme: {exc.reason}") from None
    finally:
        store.close()
    from coach.programme import days_text

    print(f"{entry.id}: {'no weekly plan' if chosen is None else days_text(chosen)}")
    return 0


def today_date() -> date:
    return datetime.now().astimezone().date()


# --------------------------------------------------------------------------------- today


def cmd_today(data: Path) -> int:
    """What is due today, this week against the plan, the last pain, and any proposal
    waiting; a first-day message naming a routine to start with when there is no session."""
    from coach.catalog import resolve, routine_list
    from coach.history.model import HistoryError
    from coach.history.sqlite import FILE_NAME, HistoryStore
    from coach.programme import today_view, waiting
    from coach.programme_io import proposals_after, session_facts

    today = today_date()
    found, _ = routine_list(data, write_cache=False)
    ids = [item.id for item in found]
    titles = {item.id: item.summary.title for item in found if item.summary is not None}
    path = data / FILE_NAME
    schedules: list[Schedule] = []
    facts = []
    waits = []
    if path.exists():
        try:
            with HistoryStore.open(path, busy_timeout=2.0) as store:
                schedules = store.schedules()
                facts = session_facts(store)
                changes = store.dose_changes()
                for routine_id in dict.fromkeys(f.routine_id for f in facts):
                    try:
                        entry = resolve(routine_id, data)
                    except Exception:  # a routine gone from the list: nothing to propose
                        continue
                    last = [f for f in facts if f.routine_id == routine_id][-1]
                    ended = store.detail(last.id)
                    since = ended.session.ended_at if ended is not None else None
                    if since is not None:
                        waits += waiting(proposals_after(store, entry), changes, since)
        except HistoryError as exc:
            raise UserError(f"cannot read the history: {exc.reason}") from None
    view = today_view(schedules, facts, today, waiting=waits, routine_ids=ids)
    for line in today_lines(view, titles):
        print(line)
    return 0


def today_lines(view: TodayView, titles: dict[str, str]) -> list[str]:
    from coach.programme import days_text

    def name(routine_id: str) -> str:
        title = titles.get(routine_id)
        return f"{title} ({routine_id})" if title else routine_id

    lines = [f"Today, {view.today:%A %-d %B}"]
    if view.first_day:
        lines.append("No session yet: welcome.")
        if view.start_with:
            lines.append(
                f"Start with {name(view.start_with)}: coach run {view.start_with} "
                f"(coach plan {view.start_with} shows it first)."
            )
        lines.append("coach schedule ROUTINE mon wed fri plans your week.")
        return lines
    due = [r for r in view.routines if r.due]
    if due:
        lines.append("Due today: " + ", ".join(name(r.routine_id) for r in due))
    elif any(r.done_today for r in view.routines):
        lines.append(
            "Done today: " + ", ".join(name(r.routine_id) for r in view.routines if r.done_today)
        )
    else:
        lines.append("Nothing planned today.")
    if view.routines:
        lines.append("This week:")
        for r in view.routines:
            plan = (
                f"{r.kept} of {r.planned} planned days ({days_text(r.days)})"
                if r.days
                else "no plan"
            )
            lines.append(
                f"  {name(r.routine_id)}: {plan}; {plural(r.sessions, 'day')} with a session"
            )
    if view.last_pain is not None:
        last = view.last_pain
        before = "–" if last.before is None else str(last.before)
        after = "–" if last.after is None else str(last.after)
        lines.append(
            f"Last pain: {before} before → {after} after "
            f"({name(last.routine_id)}, {last.day:%a %-d %b})"
        )
    for proposal in view.waiting:
        side = f" ({proposal.side} leg)" if proposal.side else ""
        lines.append(
            f"Waiting for you: {proposal.exercise}{side}: {proposal.question()} ({proposal.reason})"
        )
    return lines
