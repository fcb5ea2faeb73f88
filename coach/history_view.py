"""Past sessions written out for people: dates, minutes, pain, and the `coach history` table."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from rich.table import Table
from rich.text import Text

from coach.history_schema import SessionSummary

MISSING = "–"
STATUS_WORDS = {
    "completed": "completed",
    "stopped": "stopped",
    "interrupted": "interrupted",
    "running": "in progress",
}


def when(moment: datetime, now: datetime) -> str:
    """'Mon 2 Mar 08:00' in local time; '2 Mar 2025 08:00' in another year than `now`'s."""
    local = moment.astimezone()
    if local.year != now.year:
        return f"{local.day} {local:%b %Y %H:%M}"
    return f"{local:%a} {local.day} {local:%b %H:%M}"


def minutes_text(minutes: float | None) -> str:
    """Whole minutes; '<1' for a session shorter than half a minute."""
    if minutes is None:
        return MISSING
    whole = round(minutes)
    return str(whole) if whole else "<1"


def done_text(done: float | None) -> str:
    return MISSING if done is None else f"{round(done * 100)}%"


def scale_text(value: int | None) -> str:
    return MISSING if value is None else str(value)


def pain_text(before: int | None, after: int | None) -> str:
    """' 6 → 4', '10 → –', or '–' when neither was given; the arrows line up in a column."""
    if before is None and after is None:
        return MISSING
    return f"{scale_text(before):>2} → {scale_text(after)}"


def status_text(status: str) -> str:
    return STATUS_WORDS.get(status, status)


def sessions_table(sessions: Sequence[SessionSummary], now: datetime) -> Table:
    """The latest sessions first, one row each."""
    table = Table(title="Sessions", title_justify="left", expand=False)
    table.add_column("date", no_wrap=True)
    table.add_column("routine", style="bold")
    table.add_column("min", justify="right", no_wrap=True)
    table.add_column("done", justify="right", no_wrap=True)
    table.add_column("pain", no_wrap=True)
    table.add_column("effort", justify="right", no_wrap=True)
    table.add_column("status", no_wrap=True)
    for item in sessions:
        table.add_row(
            when(item.started_at, now),
            item.title,
            minutes_text(item.minutes),
            done_text(item.done),
            pain_text(item.pain_before, item.pain_after),
            scale_text(item.effort),
            Text(status_text(item.status), style="" if item.status == "completed" else "dim"),
        )
    return table
