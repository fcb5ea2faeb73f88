"""The end of a session: what was done, what was skipped, how long it took, and how it felt."""

from __future__ import annotations

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
from coach.resume import seconds_left, sets_left
from coach.runner import SessionResult
from coach.ui.widgets.footer import KeyFooter


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


class SummaryScreen(Screen[None]):
    """The result, and the optional after-session check-in: pain, effort and a note."""

    BINDINGS = [
        Binding("escape", "close", "Save and close"),
    ]

    def __init__(self, result: SessionResult) -> None:
        super().__init__()
        self.result = result
        recorder = result.recorder
        self.checking_in = recorder is not None and recorder.began
        self._done = False  # saved and closing; not `_closed`, which Textual uses
        self._warned = False  # told once about a value out of range

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

    def on_mount(self) -> None:
        box = self._box("pain-after") if self.checking_in else None
        if box is not None:
            box.focus()

    def on_key(self, event: Key) -> None:
        if not self.checking_in and event.key in ("enter", "q"):
            event.stop()
            self.action_close()

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
        self._done = True
        recorder = self.result.recorder
        if self.checking_in and recorder is not None:
            recorder.check_in(
                pain_after=scale_value(self._typed("pain-after")),
                effort=scale_value(self._typed("effort")),
                note=self._typed("note").strip() or None,
            )
            problem = recorder.take_problem()
            if problem:
                self.app.notify(
                    f"History will not be saved: {problem}", severity="warning", markup=False
                )
        self.dismiss(None)
