"""Home: the routines, with the highlighted one's summary, article and exercises.

The built-in routines are read while the screen is composed (from the routine cache, as a rule),
so the first frame shows them. The user's own files are read afterwards in a worker thread,
each from the cache while it has not changed, and join the list as they arrive; a file that
cannot be used is one line of the list, with its error.

Once history is open (after the first frame, see CoachApp), a worker reads the weekly plans
and today's sessions, and the routines planned for today and not done yet are marked "due
today"; they are read again each time Home comes back.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from coach.catalog import RoutineFile, RoutineReader, cache_path, routine_files
from coach.durations import minutes, plural
from coach.literal import shown
from coach.paths import builtin_routines_dir, user_routines_dir
from coach.plan_view import dosage
from coach.routine import RoutineEntry
from coach.ui.widgets.footer import KeyFooter

if TYPE_CHECKING:  # Home's first frame waits on no more imports than it needs
    from coach.clock import Clock
    from coach.history.model import HistoryAccess, Store

# The runner's routine first: it is one of the two main uses and the one people look for.
ORDER = ("pre-run", "low-back", "home-basics", "pre-run-strength")
# How often the worker hands over what it has read, while files still need parsing: often
# enough that the list fills as you watch, seldom enough that laying the list out again does
# not hold up the parsing (they share the interpreter: every 50 ms, a cold start of 100 files
# took 1.9 s; every 300 ms, 1.3 s).
BATCH_SECONDS = 0.3


def _row_key(row: RoutineFile) -> tuple[int, str, bool]:
    """Home's order: the ORDER routines, then by id; a file's error after the routine it left."""
    return (ORDER.index(row.id) if row.id in ORDER else len(ORDER), row.id, row.error is not None)


DUE = "due today"


def option_prompt(row: RoutineFile, due: bool = False) -> Text | Content:
    """A routine's entry: its title, then its minutes, exercises and tags; "due today" first
    on the second line when it is planned for today and not done yet."""
    summary = row.summary
    if summary is None:
        return broken_prompt(row)
    text = Text(summary.title, style="bold")
    text.append(f"\n{minutes(row.seconds)} · {plural(summary.exercises, 'exercise')}", style="dim")
    if summary.tags:
        text.append(" · " + ", ".join(summary.tags[:3]), style="dim")
    if not due:
        return text
    title, rest = text.divide([len(summary.title) + 1])
    return Content.assemble(
        Content.from_rich_text(title), (f" {DUE} ", "bold $background on $accent"), (" ", ""),
        Content.from_rich_text(rest),
    )  # fmt: skip


def due_today(store: Store, now_: date, since: timedelta = timedelta(days=2)) -> frozenset[str]:
    """The routines planned for `now_`'s weekday with no session that counts today (a set of
    it done, whatever the session's status). Reads only the latest sessions."""
    from coach.progression import SessionFacts
    from coach.weekly import week

    schedules = store.schedules()
    if not any(now_.weekday() in s.days for s in schedules):
        return frozenset()
    facts = []
    for summary in store.recent(limit=DUE_SESSIONS):
        if summary.started_at.date() < now_ - since:
            break  # the latest first: the rest are older
        detail = store.detail(summary.id)
        if detail is not None and detail.session.day == now_:
            facts.append(SessionFacts.of(detail))
    return frozenset(week(schedules, facts, now_).due)


DUE_SESSIONS = 20
"""At most this many of the latest sessions are read to see what was done today."""


def broken_prompt(row: RoutineFile) -> Text:
    """One entry: the file's name and its error (the detail panel has the whole path)."""
    text = Text(shown(row.path.name), style="bold")
    err = row.error
    if err is not None:
        where = f"{err.line}:{err.col or 1}: " if err.line is not None else ""
        text.append(": " + shown(where + err.message), style="dim")
    return text


def detail_text(row: RoutineFile) -> Text:
    entry = row.entry
    if entry is None:
        return broken_detail(row)
    routine = entry.routine
    text = Text(routine.title + "\n", style="bold")
    if routine.summary:
        text.append(routine.summary + "\n")
    if routine.source:
        text.append(f"From the article “{routine.source}”\n", style="italic dim")
    if routine.equipment:
        text.append("\nYou need: ", style="bold")
        text.append(", ".join(routine.equipment) + "\n")
    text.append("\n")
    for i, ex in enumerate(routine.exercises, 1):
        text.append(f"{i}. {ex.name}\n", style="bold")
        text.append(f"   {dosage(ex)}\n", style="dim")
    if not entry.builtin:
        text.append(f"\nYour routine: {shown(str(entry.path))}\n", style="dim")
    return text


def broken_detail(row: RoutineFile) -> Text:
    text = Text(shown(row.path.name) + " cannot be used\n\n", style="bold")
    text.append(shown(str(row.error) if row.error else str(row.path)) + "\n\n")
    text.append(
        "Mend the file and open coach again; `coach validate FILE` checks it.\n", style="dim"
    )
    return text


class HomeScreen(Screen[None]):
    AUTO_FOCUS = "#routines"
    BINDINGS = [
        Binding("enter", "start", "Start", show=True),
        Binding("d", "dose", "Dose"),
        Binding("h", "history", "History"),
        Binding("q", "app.quit", "Quit"),
    ]

    class StartRoutine(Message):
        """The person chose a routine to do now."""

        def __init__(self, entry: RoutineEntry) -> None:
            super().__init__()
            self.entry = entry

    class ShowHistory(Message):
        """The person asked for their history."""

    class ShowDose(Message):
        """The person asked for their dose of a routine."""

        def __init__(self, entry: RoutineEntry) -> None:
            super().__init__()
            self.entry = entry

    class RoutinesRead(Message):
        """From the worker: user routine files read (or found broken) since the last one."""

        def __init__(self, rows: Sequence[RoutineFile], done: bool) -> None:
            super().__init__()
            self.rows = tuple(rows)
            self.done = done

    def __init__(
        self, data_dir: Path, history: HistoryAccess | None = None, clock: Clock | None = None
    ) -> None:
        super().__init__()
        self.data_dir = data_dir
        self.history = history  # where the weekly plan is read; None: no "due today" marks
        self.clock = clock
        self.due: frozenset[str] = frozenset()  # the routines due today
        self._history_open = False
        self.rows: list[RoutineFile] = []  # one for each option, in the list's order
        self.user_files_read = False  # the worker has read every user file
        self._reader = RoutineReader(None)
        self._shown: RoutineFile | None = None  # the row the detail panel shows

    def compose(self) -> ComposeResult:
        # The built-in routines are read here, so the first layout already holds them (filling
        # them in on mount would lay the screen out and draw it again).
        self._reader = RoutineReader(cache_path(self.data_dir))
        self.rows = sorted(self._reader.read_folder(builtin_routines_dir(), True), key=_row_key)
        yield Static(
            Text.assemble(("coach", "bold"), ("  ·  choose a routine, press Enter", "dim")),
            id="home-title",
        )
        options = OptionList(*[Option(self._prompt(row)) for row in self.rows], id="routines")
        if self.rows:  # set quietly: the detail already shows the first routine
            options.set_reactive(OptionList.highlighted, 0)
        with Horizontal(id="home"):
            yield options
            with VerticalScroll(id="detail-box"):
                yield Static(detail_text(self.rows[0]) if self.rows else "", id="detail")
        self._shown = self.rows[0] if self.rows else None
        yield KeyFooter()

    def on_mount(self) -> None:
        # After the first frame, so reading them does not hold up drawing the built-in ones.
        self.call_after_refresh(self._read_user_files)

    def _read_user_files(self) -> None:
        self.run_worker(
            self._user_files_worker, thread=True, group="user-routines", exit_on_error=False
        )

    def _user_files_worker(self) -> None:
        """In a worker thread: read each user file (from the cache while it has not changed),
        handing them to the screen in batches, then keep what was read in the cache."""
        worker = get_current_worker()
        reader = self._reader
        batch: list[RoutineFile] = []
        handed = time.monotonic()
        paths = routine_files(user_routines_dir(self.data_dir))
        # In the list's order, so the routines at its top (and those that replace a built-in
        # one) are there first.
        for path in sorted(
            paths, key=lambda p: (ORDER.index(p.stem) if p.stem in ORDER else len(ORDER), p.name)
        ):
            if worker.is_cancelled:
                return
            batch.append(reader.read(path, builtin=False))
            if time.monotonic() - handed >= BATCH_SECONDS:
                self.post_message(self.RoutinesRead(batch, done=False))
                batch, handed = [], time.monotonic()
        self.post_message(self.RoutinesRead(batch, done=True))
        reader.save()

    def on_home_screen_routines_read(self, message: HomeScreen.RoutinesRead) -> None:
        message.stop()
        if message.rows:
            self._add(message.rows)
        self.user_files_read = message.done

    def _add(self, arrived: Sequence[RoutineFile]) -> None:
        """Put rows in their place in the list: a routine replaces the one with its id (a user
        routine with a built-in's id takes its place); an error is a row of its own."""
        old = self.rows
        rows = list(old)
        for row in arrived:
            same = next(
                (i for i, r in enumerate(rows) if r.summary is not None and r.id == row.id), None
            )
            if row.summary is not None and same is not None:
                rows[same] = row
            else:
                rows.append(row)
        rows.sort(key=_row_key)
        options = self.query_one("#routines", OptionList)
        highlighted = options.highlighted
        current = old[highlighted] if highlighted is not None and highlighted < len(old) else None
        self.rows = rows
        if rows[: len(old)] == old:  # the usual case: they all go after the ones shown
            options.add_options([Option(self._prompt(row)) for row in rows[len(old) :]])
        elif len(rows) == len(old):  # replaced where they stood
            for i, (was, now) in enumerate(zip(old, rows, strict=True)):
                if was is not now:
                    options.replace_option_prompt_at_index(i, self._prompt(now))
        else:
            options.set_options([Option(self._prompt(row)) for row in rows])
            if current is not None:
                options.highlighted = next(
                    (i for i, r in enumerate(rows) if (r.id, r.path) == (current.id, current.path)),
                    next((i for i, r in enumerate(rows) if r.id == current.id), 0),
                )
        if options.highlighted is None and rows:
            options.highlighted = 0
        self._show(options.highlighted)

    def _prompt(self, row: RoutineFile) -> Text | Content:
        return option_prompt(row, row.summary is not None and row.id in self.due)

    # -- due today ----------------------------------------------------------------------------

    def history_opened(self) -> None:
        """History is open (the app says so once): read what is due today."""
        self._history_open = True
        self.read_due()

    def on_screen_resume(self) -> None:
        # Back from a session, the dose screen or history: what is due may have changed.
        if self._history_open:
            self.read_due()

    def read_due(self) -> None:
        if self.history is None or self.clock is None:
            return
        self.run_worker(self._due_worker, thread=True, group="due", exclusive=True)

    def _due_worker(self) -> None:
        """In a worker thread: the routines due today, then marked on the event loop."""
        from coach.history.model import HistoryError

        assert self.history is not None and self.clock is not None
        try:
            due = due_today(self.history.history(), self.clock.wall().date())
        except HistoryError:
            return  # no marks: the history screen says what is wrong with the file
        with contextlib.suppress(RuntimeError):  # the app closed meanwhile
            self.app.call_from_thread(self._show_due, due)

    def _show_due(self, due: frozenset[str]) -> None:
        if due == self.due:
            return
        was, self.due = self.due, due
        options = self.query_one("#routines", OptionList)
        for i, row in enumerate(self.rows):
            if row.summary is not None and (row.id in was) != (row.id in due):
                options.replace_option_prompt_at_index(i, self._prompt(row))

    # -- choosing -----------------------------------------------------------------------------

    def _row(self, index: int | None) -> RoutineFile | None:
        if index is None or not 0 <= index < len(self.rows):
            return None
        return self.rows[index]

    def _show(self, index: int | None) -> None:
        row = self._row(index)
        if row is not None and row is not self._shown:
            self._shown = row
            self.query_one("#detail", Static).update(detail_text(row))

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self._show(event.option_index)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self._start(self._row(event.option_index))

    def action_start(self) -> None:
        self._start(self._row(self.query_one("#routines", OptionList).highlighted))

    def action_history(self) -> None:
        self.post_message(self.ShowHistory())

    def action_dose(self) -> None:
        row = self._row(self.query_one("#routines", OptionList).highlighted)
        if row is not None and row.entry is not None:  # a broken file's row has no dose
            self.post_message(self.ShowDose(row.entry))

    def _start(self, row: RoutineFile | None) -> None:
        entry = None if row is None else row.entry
        if entry is not None:  # a broken file's row starts nothing
            self.post_message(self.StartRoutine(entry))
