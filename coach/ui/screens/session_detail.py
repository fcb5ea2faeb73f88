"""One past session: when, how it felt, and every set with its reps, holds and skips."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from coach.clock import Clock
from coach.counts import count_sets
from coach.history.model import HistoryAccess, SessionDetail, SetRecord
from coach.history_view import minutes_text, pain_text, scale_text, status_text, when
from coach.literal import literal, shown
from coach.sides import side_short
from coach.ui.widgets.footer import KeyFooter

if TYPE_CHECKING:
    from rich.console import JustifyMethod


def side_text(entry: SetRecord) -> str:
    """The side as every surface names it ('right leg', 'left knee down'); a set saved before
    the coach kept what its side names says only the side ('left side')."""
    if entry.side is None:
        return ""
    if entry.side_is is None:
        return f"{entry.side} side"
    return side_short(entry.side, entry.side_is)


def exercises_table(detail: SessionDetail) -> Table:
    """One row per exercise: its sets done counted as the plan states them (2 sets on each
    side are 2), its reps (per side where the sides differ) and the sets skipped."""
    table = Table(box=None, header_style="bold", pad_edge=False, padding=(0, 2, 0, 0))
    table.add_column("Exercise")
    table.add_column("Sets done", justify="right")
    table.add_column("Reps", justify="right")
    table.add_column("Skipped", justify="right")
    for count in count_sets(detail.sets):
        skipped = count.skipped
        table.add_row(
            literal(count.exercise),
            count.sets_text(),
            count.reps_text(),
            Text(str(skipped), style="bold" if skipped else "dim"),
        )
    return table


def sets_table(detail: SessionDetail) -> Table:
    """One row per side of a set (and direction); side, direction and holds only when some set
    has them."""
    sets = detail.sets
    table = Table(box=None, header_style="bold", pad_edge=False, padding=(0, 2, 0, 0))
    columns: list[tuple[str, JustifyMethod, Callable[[SetRecord], str]]] = [
        ("Exercise", "left", lambda entry: entry.exercise),
        ("Set", "right", lambda entry: str(entry.set_number)),
    ]
    if any(entry.side for entry in sets):
        columns.append(("Side", "left", side_text))
    if any(entry.direction for entry in sets):
        columns.append(("Direction", "left", lambda entry: entry.direction or ""))
    columns.append(("Reps", "right", lambda entry: str(entry.reps)))
    if any(entry.holds for entry in sets):
        columns.append(("Holds", "right", lambda entry: str(entry.holds)))
    for name, justify, _ in columns:
        table.add_column(name, justify=justify)
    table.add_column("")
    for entry in sets:
        skipped = Text("skipped", style="bold") if entry.skipped else ""
        table.add_row(*(literal(cell(entry)) for _, _, cell in columns), skipped)
    return table


def detail_lines(detail: SessionDetail, now: datetime) -> Text:
    session = detail.session
    counts = count_sets(detail.sets)
    done = sum(count.done for count in counts)
    planned = session.planned_sets or sum(count.planned for count in counts)
    ended = session.ended_at
    start = when(session.started_at, now)
    period = start if ended is None else f"{start} to {ended.astimezone():%H:%M}"
    text = Text.assemble(
        (period, "bold"),
        f" · {minutes_text(session.minutes)} min · {status_text(session.status)}\n",
        "Pain ",
        (pain_text(session.pain_before, session.pain_after).strip(), "bold"),
        "   Effort ",
        (scale_text(session.effort), "bold"),
        "/10" if session.effort is not None else "",
        "   Sets done ",
        (f"{done} of {planned}", "bold"),
    )
    if session.note:
        text.append("\nNote ")
        text.append(shown(session.note), style="italic")
    return text


class SessionDetailScreen(Screen[None]):
    """One session: when, how it felt, and every set with its reps, holds and skips."""

    BINDINGS = [Binding("escape,q", "close", "Back")]

    def __init__(self, session_id: int, history: HistoryAccess, clock: Clock) -> None:
        super().__init__()
        self.session_id = session_id
        self.history = history
        self.clock = clock

    def compose(self) -> ComposeResult:
        yield Static(id="detail-title")
        with VerticalScroll(id="detail-body"):
            yield Static(id="detail-info")
            yield Static(id="detail-sets")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.run_worker(self._read, thread=True, group="history-read", exit_on_error=False)

    def _read(self) -> None:
        """In a worker thread: the session and its sets, then shown on the event loop."""
        from coach.history.model import HistoryError

        try:
            found: SessionDetail | str | None = self.history.history().detail(self.session_id)
        except HistoryError as exc:
            found = f"Could not read the session: {exc}"
        with contextlib.suppress(RuntimeError):
            self.app.call_from_thread(self.show, found)

    def show(self, detail: SessionDetail | str | None) -> None:
        if isinstance(detail, str):
            self.query_one("#detail-info", Static).update(literal(detail))
            return
        if detail is None:
            self.query_one("#detail-info", Static).update("This session is no longer in history.")
            return
        self.query_one("#detail-title", Static).update(
            Text.assemble(literal(detail.session.title, "bold"), ("  ·  session", "dim"))
        )
        self.query_one("#detail-info", Static).update(detail_lines(detail, self.clock.wall()))
        if detail.sets:
            sets: Group | Text = Group(exercises_table(detail), Text(""), sets_table(detail))
        else:
            sets = Text("No sets were recorded.", style="dim")
        self.query_one("#detail-sets", Static).update(sets)
        self.query_one("#detail-body").focus()

    def action_close(self) -> None:
        self.dismiss(None)
