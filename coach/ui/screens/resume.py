"""The offer to pick up a session that was cut off: "Resume …?" or start over."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid
from textual.screen import ModalScreen
from textual.widgets import Button, Label

from coach.resume import Answer, ResumeOffer, offer_lines


def offer_text(offer: ResumeOffer) -> Text:
    question, stopped, picks_up = offer_lines(offer)
    return Text.assemble((question + "\n\n", "bold"), stopped + "\n", picks_up)


class ResumeScreen(ModalScreen[Answer]):
    """Dismisses with the answer: Resume, or Not now on Home and Start over on `coach run`."""

    BINDINGS = [
        Binding("r", "answer(True)", "Resume"),
        Binding("s,n,escape", "answer(False)", "Start over"),
    ]

    def __init__(self, offer: ResumeOffer, home: bool = False) -> None:
        super().__init__()
        self.offer = offer
        self.home = home

    def compose(self) -> ComposeResult:
        no = "Not now (n)" if Answer.declined(self.home) is Answer.NOT_NOW else "Start over (s)"
        with Grid(id="resume"):
            yield Label(offer_text(self.offer), id="resume-question")
            yield Button("Resume (r)", variant="primary", id="resume-yes")
            yield Button(no, id="resume-no")

    def on_mount(self) -> None:
        self.query_one("#resume-yes", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.action_answer(event.button.id == "resume-yes")

    def action_answer(self, resume: bool) -> None:
        self.dismiss(Answer.RESUME if resume else Answer.declined(on_home=self.home))
