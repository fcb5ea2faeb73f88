"""History: streak and week, 12 weeks of days, pain and minutes trends, and the sessions;
`p` shows the programme in their place: each week against the weekly plan, and every change
of a dose with its date and reason.

The screen asks the store only for what it shows: counts, one calendar, 30 trend points and
the latest 100 sessions; the next 100 load when the cursor reaches the last row. The weeks are
read only when there is a plan, from the latest sessions the rules look at.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.events import Resize
from textual.screen import Screen
from textual.widgets import DataTable, Static

from coach.clock import Clock
from coach.durations import plural
from coach.history.model import (
    DoseChange,
    HistoryAccess,
    Schedule,
    SessionSummary,
    Store,
    TrendPoint,
    Unreadable,
)
from coach.history_view import (
    LIST_COLUMNS,
    row_style,
)
from coach.literal import literal, shown
from coach.ui.widgets.calendar import ActivityCalendar
from coach.ui.widgets.footer import KeyFooter
from coach.ui.widgets.programme import ProgrammeView
from coach.ui.widgets.trendline import TrendLine

if TYPE_CHECKING:
    from coach.weekly import WeekAdherence


PAGE = 100
CHANGES = 100  # the latest dose changes shown
TREND_POINTS = 30
WEEKS = 12
SHORT = 22  # fewer rows than this: the charts make way for the sessions
EMPTY = "No sessions yet — finish a routine and it shows up here."
COLUMNS = tuple(column for column in LIST_COLUMNS if column.on_screen)
# The columns beside the routine's, which gets the rest of the width.
FIXED_WIDTH = sum(column.width or 0 for column in COLUMNS)
# A cell of padding each side of every column, the table's border and its scrollbar.
TABLE_EXTRA = 2 * len(COLUMNS) + 2 + 2


@dataclass(frozen=True)
class HistoryRead:
    """What the history screen shows, read at one moment off the event loop."""

    now: datetime
    total: int
    unreadable: Unreadable
    read_only: bool
    streak: int
    this_week: int
    calendar: dict[date, int]
    trend: list[TrendPoint]
    sessions: list[SessionSummary]
    changes: list[DoseChange] = field(default_factory=list)  # newest first
    planned: bool = False  # there is a weekly plan
    weeks: tuple[WeekAdherence, ...] = ()  # newest first


def read_history(store: Store, now: datetime) -> HistoryRead:
    """Everything the screen shows (the lists empty when there are no sessions)."""
    today = now.date()
    total = store.count()
    unreadable = store.unreadable()
    changes = store.dose_changes()[-CHANGES:][::-1]
    schedules = store.schedules()
    if not total:
        return HistoryRead(
            now, 0, unreadable, store.read_only, 0, 0, {}, [], [], changes, bool(schedules)
        )
    return HistoryRead(
        now=now,
        total=total,
        unreadable=unreadable,
        read_only=store.read_only,
        streak=store.streak(today),
        this_week=store.sessions_this_week(today),
        calendar=store.calendar(today, weeks=WEEKS),
        trend=store.trend(TREND_POINTS),
        sessions=store.recent(limit=PAGE),
        changes=changes,
        planned=bool(schedules),
        weeks=read_weeks(store, schedules, today, total) if schedules else (),
    )


def read_weeks(
    store: Store, schedules: Sequence[Schedule], today: date, total: int
) -> tuple[WeekAdherence, ...]:
    """Each week against the plan, newest first, from the sessions the rules look at: a week
    older than those sessions reach is left out rather than shown short."""
    from coach.programme import week
    from coach.programme_io import FACTS_LIMIT, session_facts

    facts = session_facts(store)
    weeks = week(schedules, facts, today, weeks=WEEKS).weeks
    if total > FACTS_LIMIT and facts:
        oldest = min(f.day for f in facts)
        weeks = tuple(w for w in weeks if w.monday > oldest) or weeks[:1]
    return weeks


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
        Binding("p", "programme", "Plan and doses"),
        Binding("p", "sessions", "Sessions"),
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
        self._paging = False  # a page of sessions is being read
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
        yield ProgrammeView(id="programme")
        yield Static(EMPTY, id="history-empty")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#calendar-box").border_title = f"Last {WEEKS} weeks"
        self.query_one("#trend-box").border_subtitle = "pain 0–10"
        self.query_one("#sessions").border_title = "Sessions"
        self.query_one("#programme").border_title = "Your programme"
        self.query_one("#programme").border_subtitle = "p: back to the sessions"
        # Read in a worker thread: the event loop never waits on the file (it may be locked).
        self.run_worker(self._read, thread=True, group="history-read", exit_on_error=False)

    def _read(self) -> None:
        """In a worker thread: everything the screen shows, then shown on the event loop."""
        from coach.history.model import HistoryError

        try:
            found: HistoryRead | str = read_history(self.history.history(), self.clock.wall())
        except HistoryError as exc:
            found = f"Could not read the history: {exc}"
        with contextlib.suppress(RuntimeError):  # the app closed meanwhile
            self.app.call_from_thread(self.show, found)

    def show(self, found: HistoryRead | str) -> None:
        """Show what the worker read (or why it could not)."""
        if isinstance(found, str):
            self.show_empty(found)
            return
        self.now = found.now
        today = found.now.date()
        self.query_one(ProgrammeView).show(
            found.now, planned=found.planned, weeks=found.weeks, changes=found.changes
        )
        self.total = found.total
        unreadable = found.unreadable  # rows left out, and left as they are in the file
        if not self.total:
            problem = None if found.read_only else self.history.history_problem
            if unreadable:
                problem = f"{unreadable.words()} (left as they are in the file)"
            self.show_empty(f"Your history cannot be read: {problem}" if problem else EMPTY)
            return
        stats = stats_line(found.streak, found.this_week, self.total)
        if unreadable:
            stats.append(f"   ·   {unreadable.words()}", style="bold")
        self.query_one("#history-stats", Static).update(stats)
        if found.read_only or self.history.history_problem:
            self.query_one("#history-title", Static).update(
                Text.assemble(
                    ("coach", "bold"),
                    ("  ·  history", "dim"),
                    (
                        "  ·  read-only: new sessions are not saved"
                        if found.read_only
                        else "  ·  not saved: only this run's sessions",  # kept in memory
                        "bold",
                    ),
                )
            )
        calendar = self.query_one(ActivityCalendar)
        calendar.show(today, found.calendar)
        self.query_one("#calendar-box").border_subtitle = calendar.legend()
        trend = found.trend
        self.query_one("#trend-box").border_title = f"Latest {plural(len(trend), 'session')}"
        self.query_one("#trend-before", TrendLine).show([p.pain_before for p in trend])
        self.query_one("#trend-after", TrendLine).show([p.pain_after for p in trend])
        self.query_one("#trend-minutes", TrendLine).show([p.minutes for p in trend])
        self.sessions = list(found.sessions)
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
        if event.cursor_row < len(self.sessions) - 1 or len(self.sessions) >= self.total:
            return
        if self._paging:
            return
        self._paging = True
        self.run_worker(self._read_more, thread=True, group="history-read", exit_on_error=False)

    def _read_more(self) -> None:
        """In a worker thread: the next page of sessions."""
        from coach.history.model import HistoryError

        try:
            more: list[SessionSummary] | str = self.history.history().recent(
                limit=PAGE, offset=len(self.sessions)
            )
        except HistoryError as exc:
            more = f"Could not read more sessions: {exc}"
        with contextlib.suppress(RuntimeError):
            self.app.call_from_thread(self._add_more, more)

    def _add_more(self, more: list[SessionSummary] | str) -> None:
        self._paging = False
        if isinstance(more, str):
            self.notify(more, severity="error", markup=False)
            return
        self.sessions.extend(more)
        self.add_rows(more)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """A click on a row: the same as Enter."""
        if event.row_key.value is not None:
            self.open(int(event.row_key.value))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        showing = self.has_class("-programme")
        if action == "programme":
            return not showing
        if action == "sessions":
            return showing
        if action in ("open", "first", "last"):
            return bool(self.sessions) and not showing
        return True

    def action_programme(self) -> None:
        """The plan's weeks and the changes of dose, in the sessions' place."""
        self.add_class("-programme")
        self.query_one("#programme").focus()
        self.refresh_bindings()

    def action_sessions(self) -> None:
        self.remove_class("-programme")
        if self.sessions:
            self.query_one(DataTable).focus()
        self.refresh_bindings()

    def action_first(self) -> None:
        self.query_one(DataTable).move_cursor(row=0)

    def action_last(self) -> None:
        self.query_one(DataTable).move_cursor(row=len(self.sessions) - 1)

    def action_open(self) -> None:
        table = self.query_one(DataTable)
        if self.sessions and 0 <= table.cursor_row < len(self.sessions):
            self.open(self.sessions[table.cursor_row].id)

    def open(self, session_id: int) -> None:
        from coach.ui.screens.session_detail import SessionDetailScreen

        self.app.push_screen(SessionDetailScreen(session_id, self.history, self.clock))

    def action_close(self) -> None:
        self.dismiss(None)
