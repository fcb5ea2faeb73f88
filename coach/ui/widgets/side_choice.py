"""A one-line choice of side: both sides, left or right, moved with the arrow keys."""

from __future__ import annotations

from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

CHOICES: tuple[str | None, ...] = (None, "left", "right")
WORDS = {None: "both sides", "left": "left", "right": "right"}


class SideChoice(Widget, can_focus=True):
    """`value`: None (both sides), "left" or "right". With `one_side` off, only both sides."""

    BINDINGS = [
        Binding("left", "move(-1)", "Side", show=False),
        Binding("right,space", "move(1)", "Side", show=False),
    ]

    value: reactive[str | None] = reactive(None)
    one_side: reactive[bool] = reactive(True)

    class Changed(Message):
        """The person chose another side."""

        def __init__(self, choice: SideChoice, value: str | None) -> None:
            super().__init__()
            self.choice = choice
            self.value = value

        @property
        def control(self) -> SideChoice:
            return self.choice

    def render(self) -> Content:
        parts: list[Content | tuple[str, str] | str] = []
        for choice in CHOICES:
            chosen = choice == self.value
            mark = "● " if chosen else "○ "
            if choice is not None and not self.one_side:
                style = "$text-disabled"
            elif chosen:
                style = "bold $text-accent" if self.has_focus else "bold"
            else:
                style = ""
            parts += [(mark + WORDS[choice], style), "   "]
        return Content.assemble(*parts[:-1])

    def action_move(self, step: int) -> None:
        if not self.one_side:
            return
        at = CHOICES.index(self.value)
        self.choose(CHOICES[(at + step) % len(CHOICES)])

    def choose(self, value: str | None) -> None:
        """Choose `value` (both sides when one side may not be chosen) and say so."""
        value = value if self.one_side else None
        if value != self.value:
            self.value = value
            self.post_message(self.Changed(self, value))

    def watch_one_side(self, allowed: bool) -> None:
        if not allowed and self.value is not None:
            self.choose(None)

    def on_focus(self) -> None:
        self.refresh()  # the chosen side shows where the focus is

    def on_blur(self) -> None:
        self.refresh()
