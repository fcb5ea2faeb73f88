"""The next step after a session: the proposed doses, asked one at a time, with a box for
other values, and each answer written to history in a worker thread.

The screen that holds it forwards the keys (yes, no, other values, not now); the widget keeps
the questions and answers, and tells the screen when they change and when the last answer is
written.
"""

from __future__ import annotations

import contextlib
import threading
from datetime import datetime

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Input, Label, Static

from coach.clock import Clock
from coach.history.model import Dose, Store
from coach.literal import shown
from coach.programme import Proposal
from coach.proposals import (
    HOW_TO_EDIT,
    Answer,
    NextSteps,
    answer,
    answered_line,
    checked_values,
    question_line,
    values_text,
)

Answers = dict[int, tuple[Answer | None, Dose | None]]


def steps_text(steps: NextSteps, asked: int, answers: Answers) -> Text:
    """The next step: each question (the one asked now marked), what each answer did, the
    routine's safety advice with a step back, and the lines said once."""
    text = Text()
    text.append("Your next step\n", style="bold")
    for i, proposal in enumerate(steps.questions):
        if i in answers:
            said, values = answers[i]
            text.append("✓ " if said in ("yes", "edit") else "· ", style="bold")
            line = shown(answered_line(proposal, said, values))
            text.append(line + "\n", style="" if said else "dim")
            continue
        now = i == asked
        text.append("▸ " if now else "  ", style="bold")
        text.append(shown(question_line(proposal)), style="bold" if now else "")
        text.append(shown(f" ({proposal.reason})") + "\n", style="" if now else "dim")
    if steps.safety:
        text.append("Safety: ", style="bold")
        text.append(shown(steps.safety) + "\n")
    for line in steps.notes:
        text.append(shown(line) + "\n")
    text.rstrip()
    return text


class NextStep(Vertical):
    """The proposals after a session and the person's answers. Nothing is written without a
    yes (or values typed in its place); a no is written as the answer it is."""

    class Changed(Message):
        """A question was answered or left, or the box for values opened or closed."""

    class Written(Message):
        """Every answer given so far is written (or said to have failed)."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.steps = NextSteps()
        self.asked = 0  # the question asked now
        self.answers: Answers = {}
        self.saving = 0  # answers being written
        self._lock = threading.Lock()  # one answer written at a time
        self._store: Store | None = None
        self._clock: Clock | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="next-steps")
        with Horizontal(id="dose-edit-row"):
            yield Label("Values")
            yield Input(max_length=80, select_on_focus=False, id="dose-edit")
        yield Static(id="dose-error")

    def wait(self) -> None:
        """Say that the next step is being read."""
        self.query_one("#next-steps", Static).update(
            Text("Looking at your next step…", style="dim")
        )

    def show(self, steps: NextSteps, store: Store, clock: Clock) -> None:
        """Ask `steps`; answers go to `store`, at `clock`'s time."""
        self.steps, self._store, self._clock = steps, store, clock
        self._changed()

    @property
    def question(self) -> Proposal | None:
        """The question asked now, if any is left."""
        questions = self.steps.questions
        return questions[self.asked] if self.asked < len(questions) else None

    @property
    def editing(self) -> bool:
        return self.has_class("-editing")

    def say(self, said: Answer | None, values: Dose | None = None) -> None:
        """The answer to the question asked now (None: not now, nothing changes); then the
        next question."""
        proposal = self.question
        if proposal is None:
            return
        self.answers[self.asked] = (said, values)
        if said is not None:
            self._save(proposal, said, values)
        self.asked += 1
        self._changed()

    def edit(self) -> None:
        """Open the box for other values, filled with the proposal's."""
        proposal = self.question
        if proposal is None:
            return
        self.add_class("-editing")
        box = self.query_one("#dose-edit", Input)
        box.value = values_text(proposal)
        box.cursor_position = len(box.value)
        self.query_one("#dose-error", Static).update(
            Text(f"{HOW_TO_EDIT} · Enter keeps them", style="dim")
        )
        box.focus()
        self.post_message(self.Changed())

    def end_edit(self) -> None:
        """Close the box; the question is asked again."""
        self.remove_class("-editing")
        self._changed()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """The values typed: kept when they fit, else one line says why and nothing is."""
        event.stop()
        proposal = self.question
        if proposal is None:
            self.end_edit()
            return
        try:
            values = checked_values(proposal, event.value)
        except ValueError as exc:
            self.query_one("#dose-error", Static).update(Text(shown(str(exc)), style="bold"))
            return
        self.remove_class("-editing")
        self.say("edit", values)

    def _changed(self) -> None:
        self.query_one("#next-steps", Static).update(
            steps_text(self.steps, self.asked, self.answers)
        )
        self.post_message(self.Changed())

    def _save(self, proposal: Proposal, said: Answer, values: Dose | None) -> None:
        store, clock = self._store, self._clock
        assert store is not None and clock is not None  # set with the questions
        self.saving += 1
        at = clock.wall()
        self.run_worker(
            lambda: self._write(store, proposal, said, values, at),
            thread=True,
            group="answers",
            exit_on_error=False,
        )

    def _write(
        self, store: Store, proposal: Proposal, said: Answer, values: Dose | None, at: datetime
    ) -> None:
        """In a worker thread: the answer kept in history."""
        from coach.history.model import HistoryError

        problem = None
        with self._lock:
            try:
                answer(store, proposal, said, at, values)
            except (HistoryError, ValueError) as exc:
                problem = f"Your answer was not kept: {exc}"
        with contextlib.suppress(RuntimeError):  # the app closed meanwhile
            self.app.call_from_thread(self._written, problem)

    def _written(self, problem: str | None) -> None:
        self.saving -= 1
        if problem:
            self.app.notify(problem, severity="error", markup=False)
        if not self.saving:
            self.post_message(self.Written())
