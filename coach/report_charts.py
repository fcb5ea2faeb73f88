"""The report's charts as numbers: where each mark of the inline SVG goes. The template draws
them; nothing here writes markup.

Pain runs from 0 at the bottom to 10 at the top. The session chart puts each session on its
day, so it lines up with the weeks; the week chart has two bars a week, the average pain before
and after.

Pure: the report's figures in, coordinates out.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from coach.report_data import Report, WeekLine
from coach.report_sessions import SessionLine

SESSION_WIDTH = 700.0
WEEK_WIDTH = 300.0
"""The charts' widths in SVG units; the page scales each to its column."""
LEFT, RIGHT, TOP = 26.0, 8.0, 8.0
PLOT_HEIGHT = 110.0
AXIS_SPACE = 48.0  # under the plot: marks and week labels
DAY_ROOM = 9.0  # the room a day's number takes: over six weeks or so the days go unnamed
LABEL_ROOM = 46.0  # the room a week label ("2026-W45") takes


@dataclass(frozen=True)
class Tick:
    y: float
    label: str


@dataclass(frozen=True)
class Point:
    """One session: its pain before and after (y, None where not given), and marks."""

    x: float
    before: float | None
    after: float | None
    marks: str  # 'I' interrupted, 'R' resumed, '!' hurt, in that order
    title: str  # what a hover or a screen reader says of it


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    height: float
    value: str


@dataclass(frozen=True)
class WeekBars:
    label: str
    x: float  # the middle of the week's column
    before: Bar | None
    after: Bar | None
    title: str


@dataclass(frozen=True)
class Chart:
    width: float
    height: float
    left: float
    right: float  # x of the plot's right edge
    top: float
    bottom: float  # y of pain 0
    ticks: tuple[Tick, ...]
    dividers: tuple[float, ...]  # x of each line between weeks
    labels: tuple[tuple[float, str, str], ...]  # (x, week, its dates) under the plot
    points: tuple[Point, ...] = ()
    weeks: tuple[WeekBars, ...] = ()
    bar_width: float = 0.0
    days: tuple[tuple[float, str], ...] = ()  # (x, day of the month) under each day


def _chart(
    width: float,
    dividers: Sequence[float],
    labels: Sequence[tuple[float, str, str]],
    **marks: Any,
) -> Chart:
    """A chart `width` wide, with the plot, the pain scale, the lines between weeks and the
    labels under it, and its `marks` (points, or weeks of bars)."""
    return Chart(
        width,
        TOP + PLOT_HEIGHT + AXIS_SPACE,
        LEFT,
        width - RIGHT,
        TOP,
        TOP + PLOT_HEIGHT,
        tuple(Tick(_y(p), str(p)) for p in range(0, 11, 2)),
        tuple(round(x, 1) for x in dividers),
        tuple((round(x, 1), text, sub) for x, text, sub in labels),
        **marks,
    )


def _y(pain: float) -> float:
    return TOP + PLOT_HEIGHT * (1 - pain / 10)


def _frame(
    width: float, columns: int, labels: Sequence[tuple[str, str]]
) -> tuple[float, list[float], list[tuple[float, str, str]]]:
    """The width of a column, the x of each line between groups of columns (one group a
    label), and the place of each label (two lines) under the plot. Over many weeks only
    every so many groups get a label and a line, so that none overlap."""
    span = (width - LEFT - RIGHT) / max(columns, 1)
    step = max(1, columns // len(labels)) if labels else 1
    every = math.ceil(LABEL_ROOM / (span * step))
    dividers = [LEFT + span * n for n in range(step * every, columns, step * every)]
    placed = [
        (LEFT + span * step * (n + 0.5), text, sub)
        for n, (text, sub) in enumerate(labels)
        if n % every == 0
    ]
    return span, dividers, placed


def _dates(monday: date) -> str:
    """'16–22 Nov', '30 Nov – 6 Dec'."""
    sunday = monday + timedelta(days=6)
    if monday.month == sunday.month:
        return f"{monday.day}–{sunday.day} {sunday:%b}"
    return f"{monday.day} {monday:%b} – {sunday.day} {sunday:%b}"


def session_chart(report: Report) -> Chart:
    """Every session of the period on its day; sessions of one day side by side."""
    period = report.period
    days = (period.last - period.first).days + 1
    span, dividers, labels = _frame(
        SESSION_WIDTH, days, [(w.label, _dates(w.monday)) for w in report.weeks]
    )
    by_day: dict[int, list[SessionLine]] = {}
    for s in report.sessions:
        by_day.setdefault((s.day - period.first).days, []).append(s)
    points = []
    for index, sessions in sorted(by_day.items()):
        for n, s in enumerate(sessions):
            x = LEFT + span * (index + (n + 1) / (len(sessions) + 1))
            points.append(
                Point(
                    round(x, 1),
                    None if s.pain_before is None else round(_y(s.pain_before), 1),
                    None if s.pain_after is None else round(_y(s.pain_after), 1),
                    _marks(s),
                    session_title(s),
                )
            )
    numbers = (
        tuple(
            (round(LEFT + span * (n + 0.5), 1), str((period.first + timedelta(days=n)).day))
            for n in range(days)
        )
        if span >= DAY_ROOM
        else ()
    )
    return _chart(SESSION_WIDTH, dividers, labels, points=tuple(points), days=numbers)


def _marks(s: SessionLine) -> str:
    return (
        ("I" if s.status == "interrupted" else "")
        + ("R" if s.resumed else "")
        + ("!" if s.hurts else "")
    )


def session_title(s: SessionLine) -> str:
    """'Mon 3 Nov 07:10, Low-back basics: pain 4 before, 2 after; interrupted'."""
    pain = ", ".join(
        f"{value} {when}"
        for value, when in ((s.pain_before, "before"), (s.pain_after, "after"))
        if value is not None
    )
    text = f"{s.day:%a} {s.day.day} {s.day:%b} {s.started:%H:%M}, {s.title}: "
    text += f"pain {pain}" if pain else "no pain given"
    if s.marks:
        text += "; " + ", ".join(s.marks)
    return text


def week_chart(report: Report) -> Chart:
    """Two bars a week: the average pain before (left) and after (right)."""
    weeks = report.weeks
    span, dividers, labels = _frame(
        WEEK_WIDTH,
        len(weeks),
        [(f"W{w.monday.isocalendar()[1]:02d}", f"{w.monday.day} {w.monday:%b}") for w in weeks],
    )
    width = min(span * 0.28, 40.0)
    bars = []
    for n, w in enumerate(weeks):
        middle = LEFT + span * (n + 0.5)
        bars.append(
            WeekBars(
                w.label,
                round(middle, 1),
                _bar(w.pain_before, middle - width - 1),
                _bar(w.pain_after, middle + 1),
                week_title(w),
            )
        )
    return _chart(WEEK_WIDTH, dividers, labels, weeks=tuple(bars), bar_width=round(width, 1))


def _bar(value: float | None, x: float) -> Bar | None:
    if value is None:
        return None
    top = _y(value)
    return Bar(round(x, 1), round(top, 1), round(TOP + PLOT_HEIGHT - top, 1), f"{value:.1f}")


def week_title(w: WeekLine) -> str:
    """'2026-W45: pain 3.5 before, 2.0 after on average'."""
    parts = [
        f"{value:.1f} {when}"
        for value, when in ((w.pain_before, "before"), (w.pain_after, "after"))
        if value is not None
    ]
    return f"{w.label}: " + (f"pain {', '.join(parts)} on average" if parts else "no pain given")
