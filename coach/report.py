"""The physiotherapist's report written out: one self-contained HTML page, or plain text.

The page is made by Jinja2 with autoescape from `templates/report.html.j2`, never by joining
strings, so a note `<script>` or a title with `"` and `&` is shown as text. Every value put in
the page also has its control characters written as escapes (coach.literal.shown). The page has
inline CSS and inline SVG only: no script, no font, no image, nothing fetched; its
Content-Security-Policy forbids any of them. The text is the same figures, line by line.
"""

from __future__ import annotations

import string
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from coach import __version__
from coach.literal import shown
from coach.report_charts import session_chart, week_chart
from coach.report_data import DayCell, Report
from coach.report_exercises import ChangeLine, DoseSpan, ExerciseLine
from coach.report_sessions import SessionLine

TEMPLATES = Path(__file__).parent / "templates"
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MISSING = "–"
SESSION_ROWS = 24
"""The page lists every session up to this many; beyond, the latest this many of those with
something to tell (`noteworthy`), so that the default report prints on two pages. The text
lists them all."""
NOTE_ROWS = 10
"""The page shows the latest notes up to this many; the text has them all."""


# ----------------------------------------------------------------------------- words


def short_day(day: date) -> str:
    """'Mon 3 Nov'."""
    return f"{day:%a} {day.day} {day:%b}"


def long_day(day: date) -> str:
    """'3 November 2026'."""
    return f"{day.day} {day:%B %Y}"


def avg(value: float | None) -> str:
    return MISSING if value is None else f"{value:.1f}"


def scale(value: int | None) -> str:
    return MISSING if value is None else str(value)


def whole(minutes: float) -> str:
    return str(round(minutes))


def minutes_text(minutes: float | None) -> str:
    """Whole minutes; '<1' for under half a minute; '–' when the session has no end."""
    if minutes is None:
        return MISSING
    return str(round(minutes)) if round(minutes) else "<1"


def time_text(minutes: float) -> str:
    """'45 min', '3 h 05 min'."""
    total = round(minutes)
    hours, rest = divmod(total, 60)
    return f"{hours} h {rest:02d} min" if hours else f"{rest} min"


def when(s: SessionLine) -> str:
    """'Mon 3 Nov 07:10'."""
    return f"{short_day(s.day)} {s.started:%H:%M}"  # the day it was kept under, as the calendar


def span_dates(span: DoseSpan) -> str:
    """'3–16 Nov (5 sessions)', 'Mon 3 Nov (1 session)'."""
    return f"{span_days(span)} ({plural_sessions(span.sessions)})"


def span_days(span: DoseSpan) -> str:
    """'3–16 Nov', '30 Nov – 2 Dec', 'Mon 3 Nov'."""
    if span.first == span.last:
        return short_day(span.first)
    if (span.first.year, span.first.month) == (span.last.year, span.last.month):
        return f"{span.first.day}–{span.last.day} {span.last:%b}"
    return f"{span.first.day} {span.first:%b} – {span.last.day} {span.last:%b}"


def plural_sessions(count: int) -> str:
    return f"{count} session{'' if count == 1 else 's'}"


def noteworthy(s: SessionLine) -> bool:
    """A session with something to tell: a mark, a set skipped or not reached, pain higher
    after than before, or a note."""
    return bool(s.marks or s.skipped or s.sets_done < s.sets_planned or s.pain_rose or s.note)


def session_marks(s: SessionLine) -> str:
    """'interrupted; resumed Sat 28 Nov', 'resumed (from Sat 28 Nov)', '1 set skipped',
    'stopped with pain: Clamshell, pain 6/10', 'note'."""
    words = []
    for mark in s.marks:
        if mark == "resumed" and s.resumed_from is not None:
            words.append(f"resumed (from {short_day(s.resumed_from)})")
        elif mark == "resumed later" and s.resumed_on is not None:
            words.append(f"resumed {short_day(s.resumed_on)}")
        elif mark == "hurt":
            words.append(
                "stopped with pain: "
                + ", ".join(f"{h.exercise}, pain {h.pain}/10" for h in s.hurts)
            )
        else:
            words.append(mark)
    if s.skipped:
        words.append(f"{s.skipped} set{'' if s.skipped == 1 else 's'} skipped")
    if s.note:
        words.append("note")
    return "; ".join(words)


def hurt_words(hurts: Sequence[tuple[date, int]]) -> str:
    """'stopped with pain on Tue 1 Dec (6/10)'; over three times, how often, the highest
    pain and the latest: 'stopped with pain 5 times, up to 7/10, last on Tue 1 Dec'."""
    if len(hurts) > 3:
        return (
            f"stopped with pain {len(hurts)} times, up to {max(p for _, p in hurts)}/10, "
            f"last on {short_day(max(day for day, _ in hurts))}"
        )
    return "stopped with pain on " + ", ".join(
        f"{short_day(day)} ({pain}/10)" for day, pain in hurts
    )


def change_groups(e: ExerciseLine) -> list[tuple[str, str]]:
    """The dose changes as (what, why) lines: one line when every change has the same reason
    ('Mon 16 Nov 10 → 12 reps; Fri 20 Nov 12 → 14 reps', 'step up: …'), else one each."""
    if not e.changes:
        return []

    def what(c: ChangeLine) -> str:
        side = f" ({c.side} leg)" if c.side else ""
        return f"{short_day(c.day)}{side}: {c.what}"

    reasons = {c.reason for c in e.changes}
    if len(reasons) == 1:
        return [("; ".join(what(c) for c in e.changes), e.changes[0].reason)]
    return [(what(c), c.reason) for c in e.changes]


def page_spans(e: ExerciseLine) -> str:
    """The dose over time on one line, as the page shows it: 'A (dates) → B (dates)'; over
    three doses, the first, how many between, and the last (the changes give each step)."""
    parts = [
        f"{span.dose} ({span_days(span)}, {plural_sessions(span.sessions)})" for span in e.spans
    ]
    if len(parts) > 3:
        parts = [parts[0], f"{len(parts) - 2} doses between", parts[-1]]
    return " → ".join(parts)


def routine_codes(report: Report) -> dict[str, str]:
    """A letter for each routine (A, B, …), for the calendar and the tables."""
    letters = [c for c in string.ascii_uppercase if c not in "IR"]  # I and R are marks
    return {
        r.routine_id: letters[n] if n < len(letters) else str(n + 1)
        for n, r in enumerate(report.routines)
    }


def routine_sessions(report: Report) -> dict[str, int]:
    """Each routine's sessions (workouts) in the period."""
    counts = {r.routine_id: 0 for r in report.routines}
    for s in report.sessions:
        if s.counted:
            counts[s.routine_id] = counts.get(s.routine_id, 0) + 1
    return counts


def day_marks(day: DayCell, codes: dict[str, str]) -> list[tuple[str, str]]:
    """The marks of a day, one (routine, marks) a session: the routine's letter (✓ with one
    routine) when a set of it was done; I interrupted, R resumed, ! a set stopped with pain."""
    one = len(codes) <= 1
    marks = []
    for s in day.sessions:
        # A session carried on later gets the letter where the workout ended.
        code = ("✓" if one else codes.get(s.routine_id, "?")) if s.counted else ""
        extra = ("I" if s.status == "interrupted" else "") + ("R" if s.resumed else "")
        extra += "!" if s.hurts else ""
        if code or extra:
            marks.append((code, extra))
    return marks


def day_title(day: DayCell, titles: dict[str, str]) -> str:
    """What the day was: planned, done, and each session's marks, in words."""
    parts = []
    if day.planned:
        parts.append("planned: " + ", ".join(titles.get(r, r) for r in day.planned))
    for s in day.sessions:
        parts.append(
            f"{s.title} at {s.started:%H:%M}" + (f" ({', '.join(s.marks)})" if s.marks else "")
        )
    return f"{short_day(day.day)}: " + ("; ".join(parts) if parts else "nothing planned")


def empty_text(report: Report) -> str:
    """Why the page has no session, and what to do."""
    period = report.period
    if report.ever:
        return (
            "There are earlier sessions in the history, none between "
            f"{long_day(period.first)} and {long_day(min(period.last, period.today))}; "
            "--weeks N reaches further back."
        )
    if report.only:
        names = ", ".join(report.only)
        return (
            f"No session of {names} is in the history yet: coach run {report.only[0]} starts one."
        )
    return "No session is in the history yet: coach run ROUTINE starts one."


def period_text(report: Report) -> str:
    """'23 November – 2 December 2026' (up to the day it was made)."""
    period = report.period
    return f"{long_day(period.first)} – {long_day(min(period.last, period.today))}"


def pairs_text(count: int) -> str:
    """'of the 8 sessions with both'."""
    return f"of the {count} session{'' if count == 1 else 's'} with both"


def weeks_text(report: Report) -> str:
    """'4 weeks', or '2 weeks of the 4 asked for: the history begins then' when the history
    began later than the weeks asked for."""
    weeks = report.period.weeks
    text = f"{weeks} week{'' if weeks == 1 else 's'}"
    if report.period.asked:
        text += f" of the {report.period.asked} asked for: the history begins then"
    return text


# ----------------------------------------------------------------------------- HTML


def _finalize(value: Any) -> Any:
    """Every value the page shows, with control characters written as escapes."""
    return shown(value) if isinstance(value, str) else value


def render_html(report: Report) -> str:
    """The page, as one self-contained HTML document."""
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=StrictUndefined,
        finalize=_finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    codes = routine_codes(report)
    titles = {r.routine_id: r.title for r in report.routines}
    days = [d for w in report.weeks for d in w.days]
    rows = list(report.sessions)
    if len(rows) > SESSION_ROWS:
        rows = [s for s in rows if noteworthy(s)]
    earlier_rows = max(0, len(rows) - SESSION_ROWS)
    rows = rows[earlier_rows:]
    notes = report.notes[-NOTE_ROWS:]
    return env.get_template("report.html.j2").render(
        report=report,
        rows=rows,
        other_sessions=len(report.sessions) - len(rows) - earlier_rows,
        earlier_rows=earlier_rows,
        weeks_text=weeks_text(report),
        hurt_words=hurt_words,
        change_groups=change_groups,
        page_spans=page_spans,
        notes=notes,
        earlier_notes=len(report.notes) - len(notes),
        t=report.totals,
        version=__version__,
        period_text=period_text(report),
        made_text=f"{long_day(report.made.date())} {report.made:%H:%M}",
        empty_text=empty_text(report),
        codes=codes,
        routine_sessions=routine_sessions(report),
        weekdays=WEEKDAYS,
        day_marks={d.day: day_marks(d, codes) for d in days},
        day_titles={d.day: day_title(d, titles) for d in days},
        total_time=time_text(report.totals.minutes),
        sc=session_chart(report),
        wc=week_chart(report),
        avg=avg,
        whole=whole,
        scale=scale,
        short_day=short_day,
        when=when,
        minutes_text=minutes_text,
        session_marks=session_marks,
        span_dates=span_dates,
    )


# ----------------------------------------------------------------------------- text


def render_text(report: Report) -> str:
    """The same figures as plain lines, for an email body or a screen reader."""
    lines = [f"Home exercise report: {period_text(report)} ({weeks_text(report)})"]
    lines.append(f"Made {long_day(report.made.date())} {report.made:%H:%M}")
    lines += [*report.problems, *([report.left_out] if report.left_out else [])]
    codes = routine_codes(report)
    if report.routines:
        lines += ["", "Routines and weekly plan"]
        done = routine_sessions(report)
        lines += [
            f"  {codes[r.routine_id]}  {r.title} ({r.routine_id}): {r.plan or 'no weekly plan'}; "
            f"{plural_sessions(done[r.routine_id])}"
            for r in report.routines
        ]
    if report.empty:
        lines += ["", "No sessions in this period.", empty_text(report)]
    else:
        t = report.totals
        kept = f"{t.kept} of {t.planned_so_far}" if t.planned_so_far else MISSING
        lines += [
            "",
            "Summary",
            f"  Sessions: {t.sessions} on {t.days} day{'' if t.days == 1 else 's'}",
            f"  Planned sessions kept: {kept}",
            f"  Time exercising: {time_text(t.minutes)}",
            f"  Pain before → after, average (0–10): {avg(t.pain_before)} → {avg(t.pain_after)}"
            f" ({pairs_text(t.paired)})",
            f"  Effort, average (0–10): {avg(t.effort)}",
            f"  Sets done: {t.sets_done}; skipped: {t.sets_skipped}",
        ]
    lines += ["", "Calendar against the plan"]
    for w in report.weeks:
        kept = (
            f"{w.kept} of {w.planned_so_far} planned sessions kept"
            if w.planned_so_far
            else ("no planned session yet" if any(r.plan for r in report.routines) else "no plan")
        )
        lines.append(f"  {w.label}: {kept}" + (f", {w.extra} not planned" if w.extra else ""))
        for d in w.days:
            if (d.planned and d.when != "before") or d.sessions:
                lines.append(f"    {_day_line(d, codes)}")
    if not report.empty:
        lines += ["", "Week by week (minutes; pain before, after and effort are averages)"]
        for w in report.weeks:
            lines.append(
                f"  {w.label}: {w.sessions} session{'' if w.sessions == 1 else 's'}, "
                f"{whole(w.minutes)} min, pain {avg(w.pain_before)} → {avg(w.pain_after)}, "
                f"effort {avg(w.effort)}"
            )
        lines += ["", "Sessions"]
        for s in report.sessions:
            marks = session_marks(s)
            lines.append(
                f"  {when(s)}  {codes[s.routine_id]}  {minutes_text(s.minutes)} min, "
                f"pain {scale(s.pain_before)} → {scale(s.pain_after)}, effort {scale(s.effort)}, "
                f"{s.sets_done} of {s.sets_planned} set{'' if s.sets_planned == 1 else 's'}"
                + (f"; {marks}" if marks else "")
            )
    if report.exercises:
        lines += ["", "Exercises: dose over time, sets, changes"]
        for e in report.exercises:
            hurt = f"; {hurt_words(e.hurts)}" if e.hurts else ""
            lines.append(
                f"  {codes[e.routine_id]}  {e.key}: {e.sets_done} "
                f"set{'' if e.sets_done == 1 else 's'} done, "
                f"{e.sets_skipped} skipped{hurt}"
            )
            lines += [f"      {span_dates(span)}: {span.dose}" for span in e.spans]
            for c in e.changes:
                side = f" ({c.side} leg)" if c.side else ""
                lines.append(f"      changed {short_day(c.day)}{side}: {c.what} — {c.reason}")
    if report.notes:
        lines += ["", "Notes written after sessions"]
        for n in report.notes:  # whole here: an email has room
            text = n.whole.replace("\n", "\n    ")
            lines.append(f"  {short_day(n.day)}, {n.title}: {text}")
    return "\n".join(shown(line) for line in lines) + "\n"


def _day_line(day: DayCell, codes: dict[str, str]) -> str:
    """'Mon 9 Nov: kept; planned A; done A at 07:15'."""
    words = {
        "kept": "kept",
        "part": "partly kept",
        "extra": "not planned",
        "missed": "missed",
        "due": "due today",
        "to-come": "to come",
        "before": "",
        "rest": "",
    }[day.state]
    planned = ", ".join(codes.get(r, r) for r in day.planned)
    done = [
        f"{codes.get(s.routine_id, '?')} at {s.started:%H:%M}"
        + (f" ({', '.join(s.marks)})" if s.marks else "")
        for s in day.sessions
    ]
    parts = [words] if words else []
    if planned:
        parts.append(f"planned {planned}")
    if done:
        parts.append("done " + ", ".join(done))
    return f"{short_day(day.day)}: " + "; ".join(parts)
