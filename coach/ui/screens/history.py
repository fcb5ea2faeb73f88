"""History: streak and week, 12 weeks of days, pain and minutes trends, and the sessions.

The screen asks the store only for what it shows: counts, one calendar, 30 trend points and
the latest 100 sessions; the next 100 load when the cursor reaches the last row.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.events import Resize
from textual.screen import Screen
from textual.widgets import DataTable, Static

from coach.clock import Clock
from coach.counts import count_sets
from coach.durations import plural
from coach.history.model import (
    HistoryAccess,
    SessionDetail,
    SessionSummary,
    SetRecord,
    Store,
)
from coach.history_view import (
    LIST_COLUMNS,
    minutes_text,
    pain_text,
    row_style,
    scale_text,
    status_text,
    when,
)
from coach.literal import literal, shown
from coach.sides import side_short
from coach.ui.widgets.calendar import ActivityCalendar
from coach.ui.widgets.footer import KeyFooter
from coach.ui.widgets.trendline import TrendLine

if TYPE_CHECKING:
    from rich.console import JustifyMethod


PAGE = 100
TREND_POINTS = 30
WEEKS = 12
SHORT = 22  # fewer rows than this: the charts make way for the sessions
EMPTY = "No sessions yet — finish a routine and it shows up here."
COLUMNS = tuple(column for column in LIST_COLUMNS if column.on_screen)
# The columns beside the routine's, which gets the rest of the width.
FIXED_WIDTH = sum(column.width or 0 for column in COLUMNS)
# A cell of padding each side of every column, the table's border and its scrollbar.
TABLE_EXTRA = 2 * len(COLUMNS) + 2 + 2


def stats_line(streak: int, this_week: int, total: int) -> Text:
    return Text.assemble(
        "Streak ",
        (plural(streak, "day"), "bold"),
        "   ·   This week ",
        (plural(this_week, "session"), "bold"),
        "   ·   In all ",
        (plural(total, "session"), "bold"),
    )


class HistoryScreen(Screen[None]):
    """Past sessions; Enter shows one session's sets."""

    BINDINGS = [
        Binding("escape,q", "close", "Back"),
        Binding("enter", "open", "Details", priority=True),
        Binding("home", "first", "First", show=False, priority=True),
        Binding("end", "last", "Last", show=False, priority=True),
    ]

    def __init__(self, history: HistoryAccess, clock: Clock) -> None:
        super().__init__()
        self.history = history
        self.clock = clock
        self.sessions: list[SessionSummary] = []
        self.total = 0
        self.now: datetime | None = None
        self._routine_width = 0

    def compose(self) -> ComposeResult:
        yield Static(Text.assemble(("coach", "bold"), ("  ·  history", "dim")), id="history-title")
        yield Static(id="history-stats")
        with Horizontal(id="history-charts"):
            with Vertical(id="calendar-box"):
                yield ActivityCalendar(self.clock.wall().date(), weeks=WEEKS, id="calendar")
            with Vertical(id="trend-box"):
                yield TrendLine("Pain before", high=10, id="trend-before")
                yield TrendLine("Pain after", high=10, id="trend-after")
                yield TrendLine(
                    "Minutes", show_value=lambda value: f"{round(value)} min", id="trend-minutes"
                )
        yield DataTable(id="sessions", cursor_type="row")
        yield Static(EMPTY, id="history-empty")
        yield KeyFooter()

    def on_mount(self) -> None:
        from coach.history.model import HistoryError

        self.query_one("#calendar-box").border_title = f"Last {WEEKS} weeks"
        self.query_one("#trend-box").border_subtitle = "pain 0–10"
        self.query_one("#sessions").border_title = "Sessions"
        try:
            self.load(self.history.history(), self.clock.wall())
        except HistoryError as exc:
            self.show_empty(f"Could not read the history: {exc}")

    def load(self, store: Store, now: datetime) -> None:
        self.now = now
        today = now.date()
        self.total = store.count()
        unreadable = store.unreadable()  # rows left out, and left as they are in the file
        if not self.total:
            problem = None if store.read_only else self.history.history_problem
            if unreadable:
                problem = f"{unreadable.words()} (left as they are in the file)"
            self.show_empty(f"Your history cannot be read: {problem}" if problem else EMPTY)
            return
        stats = stats_line(store.streak(today), store.sessions_this_week(today), self.total)
        if unreadable:
            stats.append(f"   ·   {unreadable.words()}", style="bold")
        self.query_one("#history-stats", Static).update(stats)
        if store.read_only or self.history.history_problem:
            self.query_one("#history-title", Static).update(
                Text.assemble(
                    ("coach", "bold"),
                    ("  ·  history", "dim"),
                    (
                        "  ·  read-only: new sessions are not saved"
                        if store.read_only
                        else "  ·  not saved: only this run's sessions",  # kept in memory
                        "bold",
                    ),
                )
            )
        calendar = self.query_one(ActivityCalendar)
        calendar.show(today, store.calendar(today, weeks=WEEKS))
        self.query_one("#calendar-box").border_subtitle = calendar.legend()
        trend = store.trend(TREND_POINTS)
        self.query_one("#trend-box").border_title = f"Latest {plural(len(trend), 'session')}"
        self.query_one("#trend-before", TrendLine).show([p.pain_before for p in trend])
        self.query_one("#trend-after", TrendLine).show([p.pain_after for p in trend])
        self.query_one("#trend-minutes", TrendLine).show([p.minutes for p in trend])
        self.sessions = store.recent(limit=PAGE)
        self.fill_table()
        self.query_one(DataTable).focus()

    def show_empty(self, message: str) -> None:
        self.query_one("#history-empty", Static).update(literal(message))
        self.add_class("-empty")

    # -- the sessions table -------------------------------------------------------------------

    def routine_width(self) -> int:
        return max(12, self.size.width - TABLE_EXTRA - FIXED_WIDTH)

    def fill_table(self) -> None:
        table = self.query_one(DataTable)
        row = table.cursor_row
        table.clear(columns=True)
        self._routine_width = self.routine_width()
        for column in COLUMNS:
            width = column.width or self._routine_width
            table.add_column(column.header, width=width, key=column.header.lower())
        self.add_rows(self.sessions)
        if self.sessions:
            table.move_cursor(row=min(row, len(self.sessions) - 1), animate=False)

    def add_rows(self, sessions: list[SessionSummary]) -> None:
        table = self.query_one(DataTable)
        now = self.now or self.clock.wall()
        for item in sessions:
            cells = [
                Text(
                    shown(column.cell(item, now)),
                    justify=column.justify,
                    overflow="ellipsis",
                    no_wrap=True,
                )
                for column in COLUMNS
            ]
            cells[-1].stylize(row_style(item))
            table.add_row(*cells, key=str(item.id))
        loaded = len(self.sessions)
        table.border_subtitle = (
            plural(loaded, "session")
            if loaded >= self.total
            else f"latest {loaded:,} of {self.total:,} · more load at the end"
        )

    def on_resize(self, event: Resize) -> None:
        self.set_class(event.size.height < SHORT, "-short")
        if self.sessions and self.routine_width() != self._routine_width:
            self.fill_table()

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        from coach.history.model import HistoryError

        if event.cursor_row < len(self.sessions) - 1 or len(self.sessions) >= self.total:
            return
        try:
            more = self.history.history().recent(limit=PAGE, offset=len(self.sessions))
        except HistoryError as exc:
            self.notify(f"Could not read more sessions: {exc}", severity="error", markup=False)
            return
        self.sessions.extend(more)
        self.add_rows(more)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """A click on a row: the same as Enter."""
        if event.row_key.value is not None:
            self.open(int(event.row_key.value))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return bool(self.sessions) if action in ("open", "first", "last") else True

    def action_first(self) -> None:
        self.query_one(DataTable).move_cursor(row=0)

    def action_last(self) -> None:
        self.query_one(DataTable).move_cursor(row=len(self.sessions) - 1)

    def action_open(self) -> None:
        table = self.query_one(DataTable)
        if self.sessions and 0 <= table.cursor_row < len(self.sessions):
            self.open(self.sessions[table.cursor_row].id)

    def open(self, session_id: int) -> None:
        self.app.push_screen(SessionDetailScreen(session_id, self.history, self.clock))

    def action_close(self) -> None:
        self.dismiss(None)


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
        from coach.history.model import HistoryError

        try:
            detail = self.history.history().detail(self.session_id)
        except HistoryError as exc:
            self.query_one("#detail-info", Static).update(
                literal(f"Could not read the session: {exc}")
            )
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
