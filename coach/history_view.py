"""Past sessions written out for people: dates, minutes, pain, and the `coach history` table."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from rich.console import JustifyMethod
from rich.table import Table

from coach.history.model import DOSE_FIELDS, Dose, DoseChange, SessionSummary
from coach.literal import literal

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


@dataclass(frozen=True)
class ListColumn:
    """A column of the sessions list, the same in `coach history` and on the history screen."""

    header: str
    width: int | None  # None: the routine's title, which takes the width left over
    justify: JustifyMethod
    cell: Callable[[SessionSummary, datetime], str]
    on_screen: bool = True  # the history screen leaves out what it has no room for at 80 columns


LIST_COLUMNS: tuple[ListColumn, ...] = (
    ListColumn("Date", 17, "left", lambda item, now: when(item.started_at, now)),
    ListColumn("Routine", None, "left", lambda item, _: item.title),
    ListColumn("Min", 3, "right", lambda item, _: minutes_text(item.minutes)),
    ListColumn("Done", 4, "right", lambda item, _: done_text(item.done)),
    ListColumn("Pain", 6, "left", lambda item, _: pain_text(item.pain_before, item.pain_after)),
    ListColumn("Effort", 6, "right", lambda item, _: scale_text(item.effort), on_screen=False),
    ListColumn("Status", 11, "left", lambda item, _: status_text(item.status)),
)
"""The sessions list's columns, in order."""


def row_style(item: SessionSummary) -> str:
    """Sessions that did not complete are dimmed."""
    return "" if item.status == "completed" else "dim"


def sessions_table(sessions: Sequence[SessionSummary], now: datetime) -> Table:
    """The latest sessions first, one row each."""
    table = Table(title="Sessions", title_justify="left", expand=False)
    for column in LIST_COLUMNS:
        table.add_column(
            column.header.lower(),
            justify=column.justify,
            no_wrap=column.width is not None,
            style="bold" if column.width is None else None,
        )
    for item in sessions:
        cells = [literal(column.cell(item, now)) for column in LIST_COLUMNS]
        cells[-1].stylize(row_style(item))
        table.add_row(*cells)
    return table


# ------------------------------------------------------------------ dose changes


def day_text(moment: datetime, now: datetime) -> str:
    """'Mon 2 Mar' in local time; '2 Mar 2025' in another year than `now`'s."""
    local = moment.astimezone()
    if local.year != now.year:
        return f"{local.day} {local:%b %Y}"
    return f"{local:%a} {local.day} {local:%b}"


def value_words(name: str, value: float | None) -> str:
    """One value of a dose as it is said: '12 reps', '1 set', '7 s hold', '30 s rest'."""
    if value is None:
        return f"{MISSING} {name}"
    if name in ("hold", "rest", "relax"):
        return f"{value:g} s {name}"
    return f"{value:g} {name[:-1] if value == 1 else name}"


def dose_words(dose: Dose, names: Sequence[str] = DOSE_FIELDS) -> str:
    """The values of `dose` among `names` that it has: '3 sets, 12 reps'."""
    return ", ".join(
        value_words(n, getattr(dose, n)) for n in names if getattr(dose, n) is not None
    )


def change_words(before: Dose, after: Dose) -> str:
    """What changed: '10 → 12 reps', '2 → 3 sets, 5 → 7 s hold'; 'no change' when nothing did."""
    words = []
    for name in DOSE_FIELDS:
        old, new = getattr(before, name), getattr(after, name)
        if old != new:
            number = MISSING if old is None else f"{old:g}"
            words.append(f"{number} → {value_words(name, new)}")
    return ", ".join(words) or "no change"


def change_label(change: DoseChange) -> str:
    """The exercise a change is about, and its side when it is one side's: 'Clamshell (left)'."""
    return change.exercise + (f" ({change.side})" if change.side else "")
