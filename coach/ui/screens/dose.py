"""Your dose of one routine: each exercise's sets, reps, hold, rest and relax, the file's value
beside yours; a form to change them (for both sides or one), reset them, and the weekly plan.

The store is read and written in worker threads: the event loop never waits on the file. A
value outside the routine format's limits is one line on screen, and nothing is saved.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.events import Resize
from textual.screen import Screen
from textual.widgets import DataTable, Input, Label, Static

from coach.clock import Clock
from coach.history.model import DOSE_FIELDS, HistoryAccess, HistoryError, Store
from coach.literal import literal, shown
from coach.programme import days_text
from coach.routine import RoutineEntry
from coach.ui.dose_form import (
    RESET_REASON,
    SIDE_NAMES,
    DoseRow,
    RoutineDoses,
    changed_words,
    entered,
    fields_for,
    form_values,
    number,
    read_schedule,
    rows,
    to_keep,
)
from coach.ui.widgets.footer import KeyFooter
from coach.ui.widgets.side_choice import SideChoice

HEADERS = {"sets": "Sets", "reps": "Reps", "hold": "Hold s", "rest": "Rest s", "relax": "Relax s"}
LABELS = {"sets": "Sets", "reps": "Reps", "hold": "Hold", "rest": "Rest", "relax": "Relax"}
NAME_MIN = 16
# Padding of each column, the table's border and its scrollbar.
TABLE_EXTRA = 2 * (len(DOSE_FIELDS) + 1) + 2 + 2
DAYS_HINT = "mon..sun, daily, or none"
HINT = "Enter or Tab to change a value, Enter to save; an empty value is the file's."


class DoseInput(Input):
    """A field of the form: Enter saves (and the footer says so)."""

    BINDINGS = [Binding("enter", "submit", "Save")]


class DoseScreen(Screen[None]):
    """One routine's doses. Dismissed with None (Esc leaves whatever is not saved)."""

    BINDINGS = [
        Binding("escape", "leave", "Back"),
        Binding("enter", "save", "Save"),
        Binding("r", "reset", "Reset"),
        Binding("R", "reset_all", "Reset all", key_display="R"),
        Binding("w", "plan", "Weekly plan"),
    ]

    def __init__(self, entry: RoutineEntry, history: HistoryAccess, clock: Clock) -> None:
        super().__init__()
        self.entry = entry
        self.history = history
        self.clock = clock
        self.doses = RoutineDoses(entry.routine, entry.id)
        self.rows: list[DoseRow] = []
        self.loaded = False  # the person's doses have been read
        self.busy = False  # a read or a write is under way
        self.exercise: int | None = 0  # the exercise the form is for
        self.side: str | None = None
        self._placing: str | None = None  # the row the cursor is being put back on
        self._row_key: str | None = None  # the row last highlighted
        self._name_width = 0
        self._widths: dict[str, int] = {}  # the value columns' widths

    # -- layout -------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Static(self._title(), id="dose-title")
        yield DataTable(id="doses", cursor_type="row", zebra_stripes=False)
        with Vertical(id="dose-form"):
            yield Static(id="dose-exercise")
            with Horizontal(id="dose-side-row"):
                yield Label("Side", classes="dose-label")
                yield SideChoice(id="dose-side")
            with Horizontal(id="dose-fields"):
                for name in DOSE_FIELDS:
                    yield Label(LABELS[name], classes="dose-label")
                    yield DoseInput(id=f"dose-{name}", compact=True, max_length=8)
        with Horizontal(id="dose-plan"):
            yield Label("Weekly plan", classes="dose-label")
            yield DoseInput(id="dose-days", compact=True, max_length=60, placeholder=DAYS_HINT)
        yield Static(id="dose-message")
        yield KeyFooter()

    def _title(self, note: str = "") -> Text:
        title = Text.assemble(("coach", "bold"), ("  ·  your dose  ·  ", "dim"))
        title.append_text(literal(self.entry.routine.title))
        if note:
            title.append("  ·  " + note, style="bold")
        return title

    def on_mount(self) -> None:
        row = self._fill()
        if row is not None:
            self._select(row.index, row.side, row)
        self.query_one(DataTable).focus()
        self.say("Reading your doses…")
        self._run(None)

    # -- reading and writing, off the event loop ----------------------------------------------

    def _run(self, action: Callable[[Store], str] | None) -> None:
        self.busy = True
        self.run_worker(lambda: self._work(action), thread=True, group="dose", exit_on_error=False)

    def _work(self, action: Callable[[Store], str] | None) -> None:
        """In a worker thread: do `action` (a write, giving what to say), then read the
        routine's doses and plan again, and show them on the event loop."""
        message, error, note = "", False, ""
        found: RoutineDoses | None = None
        try:
            store = self.history.history()
            if store.read_only:
                note = "read-only: changes are not saved"
            elif self.history.history_problem:
                note = "kept only while coach runs"  # history is in memory
            if action is not None:
                message = action(store)
            schedule = next((s for s in store.schedules() if s.routine_id == self.entry.id), None)
            found = RoutineDoses(
                self.entry.routine, self.entry.id, tuple(store.doses(self.entry.id)), schedule
            )
        except (HistoryError, ValueError) as exc:
            message = f"Not saved: {exc}" if action else f"Your doses could not be read: {exc}"
            error = True
        with contextlib.suppress(RuntimeError):  # the app closed meanwhile
            self.app.call_from_thread(self._read, found, message, error, note)

    def _read(self, found: RoutineDoses | None, message: str, error: bool, note: str) -> None:
        self.busy = False
        if found is not None:
            self.loaded = True
            self.doses = found
            row = self._fill()
            if self.exercise is not None:
                self._select(self.exercise, self.side)
            elif row is not None:
                self._select(row.index, row.side, row)
            days = self.query_one("#dose-days", Input)
            days.value = found.days()
        if note:
            self.query_one("#dose-title", Static).update(self._title(note))
        if message:
            self.say(message, error=error, done=not error)
        else:
            self.say(HINT)

    def say(self, message: str, *, error: bool = False, done: bool = False) -> None:
        """One line under the form: a hint, what was saved (`done`), or why not (`error`)."""
        line = self.query_one("#dose-message", Static)
        line.update(literal(message))
        line.set_class(error, "-error")
        line.set_class(done, "-done")

    # -- the table ----------------------------------------------------------------------------

    def _fill(self) -> DoseRow | None:
        """The table from the doses, the cursor kept on the exercise (and side) of the form."""
        table = self.query_one(DataTable)
        self.rows = rows(self.doses)
        widths = {
            name: max([len(HEADERS[name]), *(len(row.cells[i]) for row in self.rows)])
            for i, name in enumerate(DOSE_FIELDS)
        }
        self._widths = widths
        self._name_width = self._name_room(widths)
        table.clear(columns=True)
        table.add_column("Exercise", width=self._name_width, key="exercise")
        for name in DOSE_FIELDS:
            table.add_column(HEADERS[name], width=widths[name], key=name)
        for row in self.rows:
            style = "dim" if row.unused else ("italic" if row.side else "")
            cells = [Text(shown(row.name), style=style, overflow="ellipsis", no_wrap=True)]
            cells += [Text(cell, style=style, justify="right") for cell in row.cells]
            table.add_row(*cells, key=row.key)
        if not self.rows:
            return None
        target = self._row_index(self.exercise, self.side)
        self._placing = self._row_key = self.rows[target].key
        table.move_cursor(row=target, animate=False)
        return self.rows[target]

    def _name_room(self, widths: dict[str, int]) -> int:
        """The exercise column: the width the value columns leave."""
        room = self.size.width or self.app.size.width
        return max(NAME_MIN, room - TABLE_EXTRA - sum(widths.values()))

    def on_resize(self, event: Resize) -> None:
        if self._widths and self._name_room(self._widths) != self._name_width:
            self._fill()

    def _row_index(self, exercise: int | None, side: str | None) -> int:
        keys = [row.key for row in self.rows]
        if exercise is None:
            return keys.index(self._row_key) if self._row_key in keys else 0
        for key in (f"ex:{exercise}:{side}", f"ex:{exercise}"):
            if key in keys:
                return keys.index(key)
        return 0

    def _current_row(self) -> DoseRow | None:
        table = self.query_one(DataTable)
        if not self.rows or not 0 <= table.cursor_row < len(self.rows):
            return None
        return self.rows[table.cursor_row]

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        key = event.row_key.value
        if self._placing is not None:
            if key == self._placing:
                self._placing = None
            return  # the cursor put back after reading: the form is already set
        row = next((r for r in self.rows if r.key == key), None)
        if row is not None:
            self._row_key = row.key
            self._select(row.index, row.side, row)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """Enter on the table: on to the form (its side, or its first value)."""
        if self.exercise is None:
            return
        if self.doses.has_sides(self.exercise):
            self.query_one(SideChoice).focus()
        else:
            self.query_one("#dose-sets", Input).focus()

    # -- the form -----------------------------------------------------------------------------

    def _select(self, exercise: int | None, side: str | None, row: DoseRow | None = None) -> None:
        """Show the form for an exercise and side (or an unused dose's row, with no form)."""
        self.exercise = exercise
        choice = self.query_one(SideChoice)
        name = self.query_one("#dose-exercise", Static)
        if exercise is None:
            self.side = None
            name.update(
                Text.assemble(
                    literal(row.name if row else "", "bold"),
                    ("  ·  its exercise is gone from the file: r removes it", "dim"),
                )
            )
            for field in DOSE_FIELDS:
                box = self.query_one(f"#dose-{field}", Input)
                box.value = ""
                box.disabled = True
            choice.disabled = True
            return
        choice.disabled = False
        choice.one_side = self.doses.has_sides(exercise)
        self.side = side if choice.one_side else None
        choice.value = self.side
        self._fill_form()

    def _fill_form(self) -> None:
        assert self.exercise is not None
        key = self.doses.keys[self.exercise]
        file = self.doses.file_dose(self.exercise)
        file_words = " ".join(f"{name} {number(getattr(file, name))}" for name in DOSE_FIELDS)
        self.query_one("#dose-exercise", Static).update(
            Text.assemble(
                literal(key, "bold"),
                ("  ·  " + SIDE_NAMES[self.side], "bold" if self.side else ""),
                ("  ·  file: " + file_words, "dim"),
            )
        )
        values = form_values(self.doses, self.exercise, self.side)
        allowed = fields_for(self.side)
        for field in DOSE_FIELDS:  # rest and relax are both sides' (shown, not changed)
            box = self.query_one(f"#dose-{field}", Input)
            box.value = values[field]
            box.disabled = field not in allowed

    def on_side_choice_changed(self, event: SideChoice.Changed) -> None:
        if self.exercise is not None:
            self.side = event.value
            self._fill_form()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "dose-days":
            self.save_days()
        else:
            self.action_save()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("reset", "reset_all", "plan"):  # letters typed in a field are the field's
            return None if isinstance(self.focused, Input) else True
        if action == "save":
            return None if isinstance(self.focused, DataTable) else True
        return True

    # -- actions ------------------------------------------------------------------------------

    def _can_write(self) -> bool:
        if self.busy:
            self.say("Wait a moment: your doses are still being read or saved.")
            return False
        if not self.loaded:
            self.say("Your doses could not be read, so nothing can be saved.", error=True)
            return False
        return True

    def action_save(self) -> None:
        if isinstance(self.focused, Input) and self.focused.id == "dose-days":
            self.save_days()
            return
        if self.exercise is None or not self._can_write():
            return
        index, side = self.exercise, self.side
        key = self.doses.keys[index]
        texts = {name: self.query_one(f"#dose-{name}", Input).value for name in DOSE_FIELDS}
        try:
            values = entered(texts, side, key)
        except ValueError as exc:
            self.say(f"Not saved: {exc}", error=True)
            return
        kept = to_keep(self.doses, index, side, values, self.clock.wall())
        where = key + (f", {SIDE_NAMES[side]}" if side else "")
        if kept is None:
            self.say(f"Nothing to save: that is already your dose of {where}.")
            return
        record, change = kept
        words = f"Saved {where}: {changed_words(change)}."

        def write(store: Store) -> str:
            store.set_dose(record, change)
            return words

        self._run(write)

    def save_days(self) -> None:
        if not self._can_write():
            return
        text = self.query_one("#dose-days", Input).value
        rid = self.entry.id
        try:
            schedule = read_schedule(rid, text)
        except ValueError as exc:
            self.say(f"Not saved: {exc}", error=True)
            return
        if schedule == self.doses.schedule:
            self.say("Nothing to save: that is already the weekly plan.")
            return
        words = (
            f"Planned for {days_text(schedule.days)}."
            if schedule is not None
            else "No weekly plan for this routine now."
        )

        def write(store: Store) -> str:
            store.set_schedule(schedule, rid)
            return words

        self._run(write)

    def action_reset(self) -> None:
        row = self._current_row()
        if row is None or not self._can_write():
            return
        mine = [r for r in self.doses.records if r.exercise == row.exercise]
        if not mine:
            self.say(f"{row.exercise} already has the file's dose.")
            return
        self._reset(row.exercise, f"{row.exercise} is back to the file's dose.")

    def action_reset_all(self) -> None:
        if not self._can_write():
            return
        if not self.doses.records:
            self.say("Every exercise already has the file's dose.")
            return
        from coach.ui.screens.confirm import ConfirmScreen

        def answered(yes: bool | None) -> None:
            if yes:
                self._reset(None, "Every exercise is back to the file's dose.")

        self.app.push_screen(
            ConfirmScreen("Put every exercise of this routine back to the file's dose?"),
            answered,
        )

    def _reset(self, exercise: str | None, words: str) -> None:
        rid, at = self.entry.id, self.clock.wall()

        def write(store: Store) -> str:
            store.reset_doses(rid, exercise, at, RESET_REASON)
            return words

        self._run(write)

    def action_plan(self) -> None:
        self.query_one("#dose-days", Input).focus()

    def action_leave(self) -> None:
        self.dismiss(None)
