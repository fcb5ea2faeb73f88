""" "This hurts": stop the exercise in progress, with the pain now on a 0–10 scale."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.events import Key
from textual.screen import ModalScreen
from textual.widgets import Label, Static


@dataclass(frozen=True)
class Stop:
    """Stop the exercise; `pain` is what was typed (None: not given)."""

    pain: int | None


class HurtScreen(ModalScreen[Stop | None]):
    """Asks for the pain now (digits; 1 then 0 makes 10). Enter stops the exercise and goes on
    to the next; Esc carries on with it. Dismisses with a Stop, or None to carry on."""

    BINDINGS = [
        Binding("enter", "stop", "Stop this exercise"),
        Binding("escape", "carry_on", "Carry on"),
    ]

    def __init__(self, exercise: str) -> None:
        super().__init__()
        self.exercise = exercise
        self.pain: int | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="hurt"):
            question = Text.assemble("It hurts: stop ", (self.exercise, "bold"), " here?")
            yield Label(question, id="hurt-question")
            yield Static(self._pain_text(), id="hurt-pain")
            yield Label(
                "Enter stops this exercise and goes on to the next one; Esc carries on.",
                id="hurt-keys",
            )

    def _pain_text(self) -> Text:
        text = Text("Pain now, 0–10? ", style="bold")
        if self.pain is None:
            text.append("type a number", style="dim")
        else:
            text.append(f" {self.pain} ", style="bold reverse")
        return text

    def on_key(self, event: Key) -> None:
        if event.character is not None and event.character.isdigit():
            digit = int(event.character)
            self.pain = 10 if self.pain == 1 and digit == 0 else digit
            self.query_one("#hurt-pain", Static).update(self._pain_text())
            event.stop()
        elif event.key == "backspace":
            self.pain = None
            self.query_one("#hurt-pain", Static).update(self._pain_text())
            event.stop()

    def action_stop(self) -> None:
        self.dismiss(Stop(self.pain))

    def action_carry_on(self) -> None:
        self.dismiss(None)
