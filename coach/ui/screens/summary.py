"""The end of a session: what was done, what was skipped, how long it took, how it felt, and
the next step the rules propose for the dose.

Once the check-in is saved (the rules need the pain after), the proposals are read in a worker
thread and asked one at a time: y keeps the new dose, n keeps the dose as it is, e takes other
values, Enter leaves it for later. Nothing changes without a yes; the answers are written in a
worker thread too.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Literal

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.events import Key
from textual.screen import Screen
from textual.validation import Number
from textual.widgets import Input, Label, Static

from coach.counts import count_sets
from coach.durations import spoken
from coach.literal import literal
from coach.proposals import SAVE_WAIT, Answer, NextSteps, next_steps
from coach.resume import seconds_left, sets_left
from coach.runner import SessionResult
from coach.ui.widgets.footer import KeyFooter
from coach.ui.widgets.next_step import NextStep

Phase = Literal["check-in", "reading", "answering", "done"]
"""Where the screen is: the check-in, the next step being read, a question asked, or done."""


def summary_table(result: SessionResult) -> Table:
    table = Table(expand=True, box=None, header_style="bold")
    table.add_column("exercise")
    table.add_column("sets done", justify="right")
    table.add_column("reps", justify="right")
    table.add_column("skipped", justify="right")
    for count in count_sets(result.records, sets_left(result.plan, result.start_index)):
        skipped = count.skipped
        table.add_row(
            literal(result.plan.exercise_names[count.exercise_index]),
            count.sets_text(),
            count.reps_text(),
            Text(str(skipped), style="bold" if skipped else "dim"),
        )
    return table


def progression_text(result: SessionResult) -> Text:
    """How to make each exercise of the session harder, when the routine says."""
    text = Text()
    for exercise in result.entry.routine.exercises:
        if exercise.progression:
            if not text.plain:
                text.append("To progress\n", style="bold")
            text.append(f"• {exercise.name}: ", style="bold")
            text.append(exercise.progression + "\n")
    text.rstrip()
    return text


def planned_seconds(result: SessionResult) -> float:
    """The plan's time from where the session began (all of it, unless it was resumed)."""
    return seconds_left(result.plan, result.start_index)


SCALE_FIELDS = ("pain-after", "effort")
FIELD_ORDER = (*SCALE_FIELDS, "note")


def scale_value(text: str) -> int | None:
    """A whole number from 0 to 10 typed into a check-in field, else None."""
    text = text.strip()
    if not text.isdigit():
        return None
    value = int(text)
    return value if 0 <= value <= 10 else None


def check_in_words(pain: int | None, effort: int | None, note: str | None) -> str:
    """The check-in as it was saved, in a line."""
    said = [
        f"{label} {value}"
        for label, value in (("pain after", pain), ("effort", effort))
        if value is not None
    ]
    if note:
        said.append("a note")
    return "Check-in saved: " + ", ".join(said) + "." if said else "No check-in this time."


class SummaryScreen(Screen[None]):
    """The result, and the optional after-session check-in: pain, effort and a note."""

    BINDINGS = [
        Binding("escape", "close", "Save and close"),
        Binding("escape", "leave", "Close"),
        Binding("escape", "back", "Back to the question"),
        Binding("y", "answer('yes')", "Yes"),
        Binding("n", "answer('no')", "No"),
        Binding("e", "edit", "Edit"),
    ]

    def __init__(self, result: SessionResult, data_dir: Path | None = None) -> None:
        super().__init__()
        self.result = result
        self.data_dir = data_dir  # where the list's own routines are (their doses are kept)
        recorder = result.recorder
        self.checking_in = recorder is not None and recorder.began
        self._done = False  # saved and closing; not `_closed`, which Textual uses
        self._warned = False  # told once about a value out of range
        self._stage: Phase = "check-in" if self.checking_in else "done"
        self._close_when_written = False
        self.next_step = NextStep(id="next-step")

    def compose(self) -> ComposeResult:
        result = self.result
        headline = "Well done: routine complete." if result.completed else "Session stopped."
        with VerticalScroll(id="summary"):
            yield Static(Text(headline, style="bold"), id="summary-title")
            yield Static(
                literal(
                    f"{result.entry.routine.title} · {spoken(result.elapsed)} "
                    f"(planned {spoken(planned_seconds(result))})"
                ),
                id="summary-time",
            )
            yield Static(summary_table(result), id="summary-table")
            for words in result.hurt_words():
                yield Static(literal(words, style="bold"), classes="summary-hurt")
            progress = progression_text(result)
            if progress.plain:
                yield Static(progress, id="summary-progress")
            if self.checking_in:
                yield Static(Text("How was it? (all optional)", style="bold"), id="check-in")
                for field_id, label in (
                    ("pain-after", "Pain now, 0–10"),
                    ("effort", "Effort, 0–10"),
                ):
                    with Horizontal(classes="check-in-row"):
                        yield Label(label)
                        yield Input(
                            placeholder="–",
                            type="integer",
                            max_length=2,
                            validators=[Number(minimum=0, maximum=10)],
                            id=field_id,
                        )
                with Horizontal(classes="check-in-row"):
                    yield Label("Note")
                    yield Input(placeholder="how it went", max_length=500, id="note")
            yield Static(id="check-in-saved")
            yield self.next_step
            hint = (
                "Enter goes to the next box and saves at the end · Esc saves and closes."
                if self.checking_in
                else "Press Esc to go back to the routines."
            )
            yield Static(hint, id="summary-hint")
        yield KeyFooter()

    def _box(self, box_id: str) -> Input | None:
        """A check-in box; None once the screen is being taken down (closing, or the app
        exiting just as the session ended)."""
        boxes = self.query(f"#{box_id}").results(Input)
        return next(boxes, None)

    def _typed(self, box_id: str) -> str:
        box = self._box(box_id)
        return box.value if box is not None else ""

    @property
    def phase(self) -> Phase:
        if self._stage != "done":
            return self._stage
        return "answering" if self.next_step.question is not None else "done"

    def on_mount(self) -> None:
        box = self._box("pain-after") if self.checking_in else None
        if box is not None:
            box.focus()

    def on_key(self, event: Key) -> None:
        if isinstance(self.focused, Input):
            return
        if self.phase == "answering" and event.key == "enter":
            event.stop()
            self.next_step.say(None)  # not now: nothing changes, and the proposal waits
        elif self.phase == "done" and event.key in ("enter", "q"):
            event.stop()
            self.action_close()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("answer", "edit"):
            return self.phase == "answering" and not isinstance(self.focused, Input)
        editing = self.next_step.editing
        if action == "close":  # Esc saves the check-in,
            return self.phase == "check-in" and not editing
        if action == "back":  # leaves the values typed,
            return editing
        if action == "leave":  # or closes the screen
            return self.phase != "check-in" and not editing
        return True

    def on_input_submitted(self, event: Input.Submitted) -> None:
        field_id = event.input.id or ""
        if field_id in SCALE_FIELDS and event.value.strip() and scale_value(event.value) is None:
            self.notify(
                "Give a whole number from 0 to 10, or leave it empty.", timeout=4, markup=False
            )
            return
        if field_id == FIELD_ORDER[-1]:
            self.action_close()
            return
        box = self._box(FIELD_ORDER[FIELD_ORDER.index(field_id) + 1])
        if box is not None:
            box.focus()

    def action_close(self) -> None:
        if self._done:  # a second Esc or Enter before the screen has gone
            return
        if self.next_step.editing:
            self.action_back()
            return
        if self.phase != "check-in":  # unanswered proposals stay waiting
            self.leave()
            return
        wrong = [
            field_id
            for field_id in SCALE_FIELDS
            if self._typed(field_id).strip() and scale_value(self._typed(field_id)) is None
        ]
        if wrong and not self._warned and self.checking_in:
            # Once: a value that cannot be saved is shown, not silently dropped.
            self._warned = True
            box = self._box(wrong[0])
            if box is not None:
                box.focus()
            self.notify(
                "Give a whole number from 0 to 10, or leave it empty; Esc again leaves it out.",
                timeout=6,
                markup=False,
            )
            return
        recorder = self.result.recorder
        if not self.checking_in or recorder is None:
            self.leave()
            return
        pain = scale_value(self._typed("pain-after"))
        effort = scale_value(self._typed("effort"))
        note = self._typed("note").strip() or None
        recorder.check_in(pain_after=pain, effort=effort, note=note)
        problem = recorder.take_problem()
        if problem:
            self.app.notify(
                f"History will not be saved: {problem}", severity="warning", markup=False
            )
            self.leave()
            return
        # The check-in is kept; the rules read it back once it is written.
        self._stage = "reading"
        self.add_class("-checked-in")
        self.query_one("#check-in-saved", Static).update(check_in_words(pain, effort, note))
        self.next_step.wait()
        self.query_one("#summary-hint", Static).update("Esc goes back to the routines.")
        self.query_one("#summary").focus()
        self.run_worker(self._read_steps, thread=True, group="next-steps", exit_on_error=False)

    def action_leave(self) -> None:
        self.leave()

    def leave(self) -> None:
        """Close the screen, once the answers given are written."""
        if self._done:
            return
        if self.next_step.saving:
            self._close_when_written = True
            return
        self._done = True
        self.dismiss(None)

    # -- the next step ------------------------------------------------------------------------

    def _read_steps(self) -> None:
        """In a worker thread: the check-in written, then what the rules say after it."""
        from coach.history.model import HistoryError

        recorder = self.result.recorder
        assert recorder is not None
        found: NextSteps | str
        if not recorder.flush(SAVE_WAIT):
            found = "History is busy: `coach today` shows your next step once it is saved."
        else:
            try:
                found = next_steps(
                    recorder.store, self.result.entry, recorder.session_id, self.data_dir
                )
            except HistoryError as exc:
                found = f"Could not read your next step: {exc}"
        with contextlib.suppress(RuntimeError):  # the app closed meanwhile
            self.app.call_from_thread(self.show_steps, found)

    def show_steps(self, found: NextSteps | str) -> None:
        recorder = self.result.recorder
        if self._done or self._stage != "reading" or recorder is None:
            return
        if isinstance(found, str):
            self.app.notify(found, severity="warning", markup=False)
            self.leave()
            return
        if found.empty:  # nothing to ask or tell
            self.leave()
            return
        self._stage = "done"
        self.next_step.show(found, recorder.store, recorder.clock)

    def on_next_step_changed(self, message: NextStep.Changed) -> None:
        """What the keys do now, and the questions in view."""
        if self.next_step.editing:
            hint = ""
        elif self.phase == "answering":
            hint = "y yes · n no · e other values · Enter: not now (no change) · Esc closes."
        else:
            hint = "Press Esc or Enter to go back to the routines."
        self.query_one("#summary-hint", Static).update(hint)
        if not self.next_step.editing and isinstance(self.focused, Input):
            self.query_one("#summary").focus()
        self.refresh_bindings()
        summary = self.query_one("#summary")
        self.call_after_refresh(summary.scroll_end, animate=False)

    def on_next_step_written(self, message: NextStep.Written) -> None:
        if self._close_when_written:
            self._close_when_written = False
            self.leave()

    def action_answer(self, said: Answer) -> None:
        self.next_step.say(said)

    def action_edit(self) -> None:
        self.next_step.edit()

    def action_back(self) -> None:
        self.next_step.end_edit()
