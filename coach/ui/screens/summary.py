"""The end of a session: what was done, what was skipped, and how long it took."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from coach.durations import spoken
from coach.ui.screens.session import SessionResult


def summary_table(result: SessionResult) -> Table:
    table = Table(expand=True, box=None, header_style="bold")
    table.add_column("exercise")
    table.add_column("sets done", justify="right")
    table.add_column("reps", justify="right")
    table.add_column("skipped", justify="right")
    for i, name in enumerate(result.plan.exercise_names):
        planned = [b for b in result.plan.blocks if b.exercise_index == i]
        records = [r for r in result.records if r.exercise_index == i]
        full = sum(1 for r in records if not r.skipped)
        reps = sum(r.reps for r in records)
        skipped = len(planned) - full
        table.add_row(
            name,
            f"{full}/{len(planned)}",
            f"{reps}/{sum(b.reps for b in planned)}",
            Text(str(skipped), style="bold" if skipped else "dim"),
        )
    return table


class SummaryScreen(Screen[None]):
    BINDINGS = [
        Binding("enter,escape,q", "close", "Done"),
    ]

    def __init__(self, result: SessionResult) -> None:
        super().__init__()
        self.result = result

    def compose(self) -> ComposeResult:
        result = self.result
        headline = "Well done: routine complete." if result.completed else "Session stopped."
        with VerticalScroll(id="summary"):
            yield Static(Text(headline, style="bold"), id="summary-title")
            yield Static(
                f"{result.entry.routine.title} · {spoken(result.elapsed)} "
                f"(planned {spoken(result.plan.total_seconds)})",
                id="summary-time",
            )
            yield Static(summary_table(result), id="summary-table")
            yield Static("Press Enter to go back to the routines.", id="summary-hint")
        yield Footer()

    def action_close(self) -> None:
        self.dismiss(None)
