"""The physiotherapist's report written out: one self-contained HTML page, or plain text.

The page is made by Jinja2 with autoescape from `templates/report.html.j2`, never by joining
strings, so a note `<script>` or a title with `"` and `&` is shown as text. Every value put in
the page also has its control characters written as escapes (coach.literal.shown). The page has
inline CSS and inline SVG only: no script, no font, no image, nothing fetched; its
Content-Security-Policy forbids any of them. The text is the same figures, line by line.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import TYPE_CHECKING, Any

from coach import __version__
from coach.literal import shown
from coach.report_charts import session_chart, week_chart
from coach.report_data import DayCell, Report
from coach.report_words import (
    MISSING,
    avg,
    change_groups,
    day_marks,
    day_title,
    empty_text,
    hurt_words,
    long_day,
    minutes_text,
    noteworthy,
    page_spans,
    pairs_text,
    period_text,
    plural_sessions,
    routine_codes,
    routine_sessions,
    scale,
    session_marks,
    short_day,
    span_dates,
    time_text,
    weeks_text,
    when,
    whole,
)

if TYPE_CHECKING:
    from jinja2 import Template

TEMPLATES = Path(__file__).parent / "templates"
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
SESSION_ROWS = 24
"""The page lists every session up to this many; beyond, the latest this many of those with
something to tell (`noteworthy`), so that the default report prints on two pages. The text
lists them all."""
NOTE_ROWS = 10
"""The page shows the latest notes up to this many; the text has them all."""


# ----------------------------------------------------------------------------- HTML


def _finalize(value: Any) -> Any:
    """Every value the page shows, with control characters written as escapes."""
    return shown(value) if isinstance(value, str) else value


@functools.cache
def _template() -> Template:
    """The page's template, compiled once a process."""
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
    return env.get_template("report.html.j2")


def render_html(report: Report) -> str:
    """The page, as one self-contained HTML document."""
    codes = routine_codes(report)
    titles = {r.routine_id: r.title for r in report.routines}
    days = [d for w in report.weeks for d in w.days]
    rows = list(report.sessions)
    if len(rows) > SESSION_ROWS:
        rows = [s for s in rows if noteworthy(s)]
    earlier_rows = max(0, len(rows) - SESSION_ROWS)
    rows = rows[earlier_rows:]
    notes = report.notes[-NOTE_ROWS:]
    return _template().render(
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
