"""The report's words: dates, numbers, marks and the lines of the page and the text, said the
same way in both.

Pure: the report's figures in, strings out.
"""

from __future__ import annotations

import string
from collections.abc import Sequence
from datetime import date

from coach.report_data import DayCell, Report
from coach.report_exercises import ChangeLine, DoseSpan, ExerciseLine
from coach.report_sessions import SessionLine

MISSING = "–"


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
