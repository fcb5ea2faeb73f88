"""Figure 8: the physiotherapist's page (`coach report`) from a history of 10,000 sessions.

The history holds two routines as a person does them on a home programme (the built-in
low-back and pre-run routines, every set with the dose it was done at), a weekly plan for each,
a step up or back of one exercise's reps in each routine every two weeks (each a dose change
with its reason), notes, skipped sets, sets stopped with pain, and sessions interrupted and
resumed later that day. It is written straight into the file (`import_sessions`), so a
history of 10,000 sessions takes a few seconds to make.

- 4 weeks (the default) of a history of 10,000 sessions, two a day: the page reads the 44 to
  56 sessions of its period (fewer early in the week); the reference is the same report from a
  history that holds only those sessions.
- 520 weeks (the most `--weeks` takes) of 10,000 sessions that all fall in them, about 2.7 a
  day: every session is read, and the calendar has 3,640 days. The page and the text; the
  reference is the same report from the small history.
- The same, as a person runs it: `coach report` in a fresh process (Python starting, coach and
  Jinja2 imported, the template compiled), from start to exit.

In-process times run from calling `cmd_report` (the history file not yet open) to its return
(the bytes written to the file); the first call of each case warms up (imports, the template)
and is left out. `python benchmarks/physio_report.py [--quick]` prints the figure on its own.
"""

from __future__ import annotations

import contextlib
import io
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from report import Figure, Row, median

SESSIONS = 10_000
DEFAULT_WEEKS = 4
ALL_WEEKS = 520  # the most --weeks takes (coach.report_cli.MAX_WEEKS)
PER_DAY = 2  # sessions a day in the history read by the default report
GOAL_MS = 1000.0
CHANGE_DAYS = 14  # a dose change in each routine this often
STEPPED = {"low-back": "Side-lying hip abduction", "pre-run": "Donkey kicks"}
REPS = (10, 12, 14)  # the stepped exercise's reps, in turn; after the last, back to the first
NOTES = (
    "Left hip a bit stiff this morning; the right side felt fine.",
    "Slept badly, so I kept it gentle.",
    "Easier than last week. The left knee still wobbles a little on the step down, mostly in"
    " the last few reps of the second set, and it settles after a minute of walking.",
    "No pain on the stairs at work <b>today</b> & none on the bus.",
)


@dataclass(frozen=True)
class Made:
    """A history file made for the benchmark: its folder, and what is in it."""

    data: Path
    sessions: int
    changes: int
    seconds: float  # to write it


def _days(sessions: int, last: date, days: int) -> Iterator[tuple[date, int]]:
    """Each session's day and its number on that day: `sessions` spread evenly over the
    `days` days up to `last`."""
    first = last - timedelta(days=days - 1)
    on_day: dict[date, int] = {}
    for n in range(sessions):
        day = first + timedelta(days=n * days // sessions)
        on_day[day] = on_day.get(day, -1) + 1
        yield day, on_day[day]


def make_history(data: Path, sessions: int, days: int, today: date) -> Made:
    """A history of `sessions` sessions spread over the `days` days up to `today`."""
    from coach.catalog import resolve
    from coach.history.model import (
        Dose,
        DoseChange,
        DoseRecord,
        Schedule,
        SessionRecord,
        SetRecord,
    )
    from coach.history.sqlite import FILE_NAME, HistoryStore
    from coach.plan import Plan
    from coach.programme_io import personal_entry
    from coach.routine import RoutineEntry
    from coach.testing_history import block_sets

    started = time.perf_counter()
    data.mkdir(parents=True, exist_ok=True)
    entries = [resolve("low-back", data), resolve("pre-run", data)]
    zone = datetime.now().astimezone().tzinfo
    first = today - timedelta(days=days - 1)
    plans: dict[tuple[str, int], tuple[RoutineEntry, Plan]] = {}

    def plan_at(entry: RoutineEntry, reps: int) -> tuple[RoutineEntry, Plan]:
        key = (entry.id, reps)
        if key not in plans:
            dose = DoseRecord(entry.id, STEPPED[entry.id], None, Dose(reps=reps))
            mine, plan, _ = personal_entry(entry, [dose])
            plans[key] = (mine, plan)
        return plans[key]

    def reps_on(day: date) -> int:
        return REPS[(day - first).days // CHANGE_DAYS % len(REPS)]

    items: list[tuple[SessionRecord, list[SetRecord]]] = []
    resumes: list[tuple[int, int]] = []  # (the resumed session's place, the earlier one's)
    interrupted: tuple[int, RoutineEntry, int] | None = None  # place, entry, blocks done
    for n, (day, k) in enumerate(_days(sessions, today, days)):
        entry = entries[k % 2]
        first_block, resumed_from = 0, None
        if interrupted is not None and interrupted[0] == n - 1:
            entry, first_block, resumed_from = interrupted[1], interrupted[2], n - 1
        mine, plan = plan_at(entry, reps_on(day))
        blocks = plan.blocks[first_block:]
        status, stop, hurt = "completed", len(blocks), None
        if resumed_from is None and n % 53 == 7 and k == 0:
            status, stop = "interrupted", 5
            interrupted = (n, entry, stop)
        elif n % 41 == 5:
            status, stop, hurt = "stopped", len(blocks) // 2, 6
        start = datetime.combine(day, datetime.min.time(), zone) + timedelta(
            hours=7 + 4 * k + (3 if resumed_from is not None else 0), minutes=n % 50
        )
        sets = block_sets(
            mine.routine,
            blocks,
            start,
            stop=stop,
            skip={3} if n % 9 == 4 else set(),
            hurt=hurt,
        )
        moment = sets[-1].recorded_at if sets else start
        pain = 2 + (n // 7) % 5
        items.append(
            (
                SessionRecord(
                    id=0,
                    routine_id=entry.id,
                    title=entry.routine.title,
                    started_at=start,
                    day=day,
                    ended_at=None if status == "interrupted" else moment + timedelta(seconds=30),
                    status=status,
                    pain_before=pain,
                    pain_after=None if status == "interrupted" else max(0, pain - 1 - n % 2),
                    effort=None if status == "interrupted" else 3 + n % 5,
                    note=NOTES[n // 5 % len(NOTES)] if n % 5 == 2 else None,
                    planned_sets=len(blocks),
                    pid=1,
                    host="benchmark",
                    exercise_index=sets[-1].exercise_index if sets else None,
                    set_number=sets[-1].set_number if sets else None,
                    resumed_from=None,
                    dismissed=False,
                ),
                sets,
            )
        )
        if resumed_from is not None:
            resumes.append((n, resumed_from))
    path = data / FILE_NAME
    with HistoryStore.open(path) as store:
        store.set_schedule(Schedule("low-back", (0, 1, 2, 3, 4, 5, 6)), "low-back")
        store.set_schedule(Schedule("pre-run", (1, 3, 5)), "pre-run")
        store.import_sessions(items)
        changes = 0
        for entry in entries:
            before = reps_on(first)
            day = first + timedelta(days=CHANGE_DAYS)
            while day <= today:
                after = reps_on(day)
                at = datetime.combine(day, datetime.min.time(), zone) + timedelta(hours=6)
                key = (entry.id, STEPPED[entry.id], None)
                reason = (
                    "step up: two sessions at full dose, pain ≤ 2"
                    if after > before
                    else "step back: pain above 4 after the session"
                )
                store.set_dose(
                    DoseRecord(*key, Dose(reps=after)),
                    DoseChange(at, *key, Dose(reps=before), Dose(reps=after), reason),
                )
                before, changes, day = after, changes + 1, day + timedelta(days=CHANGE_DAYS)
    # import_sessions leaves out `resumed_from`; the ids it gave follow the order of the items.
    with contextlib.closing(sqlite3.connect(path)) as db, db:
        base = int(db.execute("SELECT min(id) FROM sessions").fetchone()[0])
        db.executemany(
            "UPDATE sessions SET resumed_from = ? WHERE id = ?",
            [(base + earlier, base + later) for later, earlier in resumes],
        )
    return Made(data, sessions, changes, time.perf_counter() - started)


# ----------------------------------------------------------------------------- timing


@dataclass
class Case:
    """One report to time: a history, the weeks asked for, the form."""

    name: str
    made: Made
    weeks: int
    form: str  # html or text
    wall: list[float]  # ms, warm runs
    cpu: list[float]  # ms of this process's CPU, the same runs
    size: int = 0  # bytes written
    sessions: int = 0  # sessions the report counts
    first: float = 0.0  # ms, the first run in this process (the warm-up)
    gather: float = 0.0  # ms, median: the history read and the figures worked out
    render: float = 0.0  # ms, median: the page or text made from them


def report_once(made: Made, weeks: int, form: str, out: Path, now: datetime) -> float:
    """Milliseconds of one `coach report` in this process, from the call (history not yet
    open) to the bytes written."""
    from coach.report_cli import cmd_report

    said = io.StringIO()
    started = time.perf_counter()
    with contextlib.redirect_stdout(said):
        cmd_report(made.data, [], weeks=weeks, output=str(out), open_page=False, form=form, now=now)
    seconds = time.perf_counter() - started
    if "Wrote " not in said.getvalue():
        raise RuntimeError(f"coach report said {said.getvalue()!r}")
    return seconds * 1000


def phases(made: Made, weeks: int, form: str, now: datetime) -> tuple[float, float, int]:
    """Milliseconds to gather the report and to render it; the sessions it counts."""
    from coach.report import render_html, render_text
    from coach.report_cli import gather

    started = time.perf_counter()
    report, _ = gather(made.data, [], weeks, now)
    gathered = time.perf_counter()
    (render_html if form == "html" else render_text)(report)
    rendered = time.perf_counter()
    return (gathered - started) * 1000, (rendered - gathered) * 1000, report.totals.sessions


def time_case(name: str, made: Made, weeks: int, form: str, runs: int, folder: Path) -> Case:
    now = datetime.now().astimezone()
    out = folder / f"report-{made.data.name}-{weeks}.{form}"
    case = Case(name, made, weeks, form, [], [])
    case.first = report_once(made, weeks, form, out, now)
    for _ in range(runs):
        cpu = time.process_time()
        case.wall.append(report_once(made, weeks, form, out, now))
        case.cpu.append((time.process_time() - cpu) * 1000)
    case.size = out.stat().st_size
    split = [phases(made, weeks, form, now) for _ in range(max(1, runs // 2))]
    case.gather = median([g for g, _, _ in split])
    case.render = median([r for _, r, _ in split])
    case.sessions = split[0][2]
    return case


def cold_runs(made: Made, weeks: int, runs: int, folder: Path) -> list[float]:
    """Milliseconds of `coach report` in a fresh process each time, start to exit."""
    from startup import coach_command

    out = folder / f"cold-{made.data.name}-{weeks}.html"
    times = []
    for _ in range(runs):
        argv = coach_command(
            "report", "--data-dir", str(made.data), "--weeks", str(weeks), "-o", str(out)
        )
        started = time.perf_counter()
        done = subprocess.run(argv, capture_output=True, text=True, timeout=120, check=False)
        times.append((time.perf_counter() - started) * 1000)
        if done.returncode or "Wrote " not in done.stdout:
            raise RuntimeError(f"coach report failed: {done.stderr.strip()[-300:]}")
    return times


def period_days(weeks: int, today: date) -> int:
    """The days of the last `weeks` weeks up to today."""
    from coach.report_data import period_of

    return (today - period_of(today, weeks).first).days + 1


def _timed(case: Case, reference: Case) -> Row:
    what = "page" if case.form == "html" else "text"
    return Row(
        f"{case.name}: {what}",
        median(case.wall),
        "ms",
        reference=median(reference.wall),
        reference_name=f"{reference.sessions} sessions",
        goal=GOAL_MS,
        goal_is_ratio=False,
        strict=True,
        note=f"max {max(case.wall):.0f} ms, CPU {median(case.cpu):.0f} ms; "
        f"read and worked out {case.gather:.0f} ms, {what} made {case.render:.0f} ms; "
        f"{case.size / 1024:.0f} KB, {case.sessions:,} sessions",
    )


def physio_report_figure(runs: int, cold: int) -> Figure:
    """Figure 8, with `runs` warm runs of each 4-week report (half as many of the 520-week
    ones, seconds each) and `cold` fresh processes of each page."""
    started = time.perf_counter()
    heavy = max(2, runs // 2)
    today = datetime.now().astimezone().date()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        recent = period_days(DEFAULT_WEEKS, today)
        long = make_history(folder / "long", SESSIONS, SESSIONS // PER_DAY, today)
        packed = make_history(folder / "packed", SESSIONS, period_days(ALL_WEEKS, today), today)
        small = make_history(folder / "small", PER_DAY * recent, recent, today)
        default, every = f"4 weeks, {SESSIONS:,} in history", f"{ALL_WEEKS} weeks, all {SESSIONS:,}"
        cases = {
            key: time_case(
                name, made, weeks, form, runs if weeks == DEFAULT_WEEKS else heavy, folder
            )
            for key, name, made, weeks, form in (
                ("4", default, long, DEFAULT_WEEKS, "html"),
                ("4s", "4 weeks, only its sessions", small, DEFAULT_WEEKS, "html"),
                ("4t", default, long, DEFAULT_WEEKS, "text"),
                ("4ts", "4 weeks, only its sessions", small, DEFAULT_WEEKS, "text"),
                ("520", every, packed, ALL_WEEKS, "html"),
                ("520s", f"{ALL_WEEKS} weeks, small history", small, ALL_WEEKS, "html"),
                ("520t", every, packed, ALL_WEEKS, "text"),
                ("520ts", f"{ALL_WEEKS} weeks, small history", small, ALL_WEEKS, "text"),
            )
        }
        cold_long = cold_runs(long, DEFAULT_WEEKS, cold, folder)
        cold_small = cold_runs(small, DEFAULT_WEEKS, cold, folder)
        cold_packed = cold_runs(packed, ALL_WEEKS, cold, folder)
    rows = [
        _timed(cases["4"], cases["4s"]),
        _timed(cases["4t"], cases["4ts"]),
        Row(
            "the same page, fresh process",
            median(cold_long),
            "ms",
            reference=median(cold_small),
            reference_name=f"{cases['4s'].sessions} sessions",
            goal=GOAL_MS,
            goal_is_ratio=False,
            strict=True,
            note=f"max {max(cold_long):.0f} ms over {cold} starts; in-process, the first "
            f"report (Jinja2 imported, the template compiled) took {cases['4'].first:.0f} ms",
        ),
        Row("page size, 4 weeks", cases["4"].size / 1024, "KB"),
        _timed(cases["520"], cases["520s"]),
        _timed(cases["520t"], cases["520ts"]),
        Row(
            "the same page, fresh process",
            median(cold_packed),
            "ms",
            goal=GOAL_MS,
            goal_is_ratio=False,
            strict=True,
            note=f"max {max(cold_packed):.0f} ms over {cold} starts",
        ),
        Row(
            f"page size, {ALL_WEEKS} weeks",
            cases["520"].size / 1024,
            "KB",
        ),
    ]
    figure = Figure(
        8,
        f"The physiotherapist's report ({SESSIONS:,} sessions)",
        rows,
        method=f"in-process: median of {runs} runs ({heavy} of {ALL_WEEKS} weeks) after one "
        "warm-up, from the call to the "
        f"bytes written; fresh process: {cold} starts; histories of {SESSIONS:,} sessions "
        f"({long.changes} and {packed.changes} dose changes) made in {long.seconds:.1f} and "
        f"{packed.seconds:.1f} s",
        runs={
            **{f"{key}_ms": case.wall for key, case in cases.items()},
            **{f"{key}_cpu_ms": case.cpu for key, case in cases.items()},
            **{f"{key}_bytes": case.size for key, case in cases.items()},
            "cold_4_ms": cold_long,
            "cold_4_small_ms": cold_small,
            "cold_520_ms": cold_packed,
        },
    )
    figure.seconds = time.perf_counter() - started
    return figure


def main() -> int:
    import argparse

    from report import machine, table

    parser = argparse.ArgumentParser(description="Time `coach report` (figure 8) on its own.")
    parser.add_argument("--quick", action="store_true", help="fewer runs")
    args = parser.parse_args()
    figure = physio_report_figure(3 if args.quick else 10, 2 if args.quick else 5)
    print(table([figure], machine(), "quick" if args.quick else "full"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
