"""Your programme on the history screen: each week against the weekly plan, and every change
of a dose with its date, before and after, and reason (newest first)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from coach.durations import plural
from coach.history.model import DoseChange
from coach.history_view import change_label, change_words, day_text
from coach.literal import literal, shown

if TYPE_CHECKING:
    from coach.weekly import WeekAdherence


def weeks_text(weeks: Sequence[WeekAdherence], today: date) -> Text:
    """'W10  ●●○  2 of 3 planned days', a line a week, newest first."""
    text = Text()
    for adherence in weeks:
        current = adherence.monday <= today < adherence.monday + timedelta(days=7)
        label = f"W{adherence.monday.isocalendar()[1]:02d}"
        text.append(f"{label}  ", style="bold")
        missed = (adherence.planned_so_far if current else adherence.planned) - adherence.kept
        text.append("●" * adherence.kept, style="green")
        text.append("○" * max(0, missed), style="dim")
        if adherence.kept or missed:
            text.append("  ")
        text.append(f"{adherence.kept} of {plural(adherence.planned, 'planned day')}")
        if current:
            text.append(" (this week)", style="dim")
        if adherence.extra:
            text.append(f", {adherence.extra} more unplanned", style="dim")
        text.append("\n")
    text.rstrip()
    return text


def changes_table(changes: Sequence[DoseChange], now: datetime) -> Table:
    """The changes of dose, as given (newest first): date, exercise, before → after, why."""
    table = Table(box=None, expand=True, header_style="bold", pad_edge=False)
    table.add_column("Date", no_wrap=True, width=10)
    table.add_column("Exercise", ratio=3)
    table.add_column("Change", ratio=2)
    table.add_column("Why", ratio=4)
    several = len({c.routine_id for c in changes}) > 1
    for change in changes:
        exercise = literal(change_label(change))
        if several:
            exercise = Text.assemble((shown(change.routine_id) + " · ", "dim"), exercise)
        table.add_row(
            day_text(change.at, now),
            exercise,
            literal(change_words(change.before, change.after)),
            literal(change.reason),
        )
    return table


def programme_text(
    now: datetime,
    *,
    planned: bool,
    weeks: Sequence[WeekAdherence],
    changes: Sequence[DoseChange],
) -> Group:
    """The plan's weeks and the changes of dose, or what to do to have them."""
    parts: list[RenderableType] = [Text("Weekly plan", style="bold")]
    if not planned:
        parts.append(Text("No weekly plan yet: `coach schedule ROUTINE mon wed fri` makes one."))
    elif weeks:
        parts.append(weeks_text(weeks, now.date()))
    else:
        parts.append(Text("No sessions yet to hold against it."))
    parts.append(Text("\nDose changes, newest first", style="bold"))
    if changes:
        parts.append(changes_table(changes, now))
    else:
        parts.append(
            Text(
                "None yet: your dose changes when you say yes to a next step, or with `coach dose`."
            )
        )
    return Group(*parts)


class ProgrammeView(VerticalScroll):
    """The weeks and the changes, scrolled as one."""

    def compose(self) -> ComposeResult:
        yield Static(id="programme-body")

    def show(
        self,
        now: datetime,
        *,
        planned: bool,
        weeks: Sequence[WeekAdherence],
        changes: Sequence[DoseChange],
    ) -> None:
        body = programme_text(now, planned=planned, weeks=weeks, changes=changes)
        self.query_one("#programme-body", Static).update(body)
