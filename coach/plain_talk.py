"""The plain narration's two streams: lines out (flushed, control characters shown escaped)
and lines in, with the questions it asks (a check-in from 0 to 10, the resume offer, a
proposed dose and values in its place).

Every question has a safe default that an empty line or closed input gives: a check-in is
skipped, a resume offer is answered "not now", and a proposed dose is left for later (nothing
changes). A wrong answer is asked once more, then the default is taken, so nothing waits for
an answer that cannot come.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import Callable
from typing import IO, Literal, TypeVar

from coach.line_input import LineInput
from coach.literal import shown
from coach.resume import Answer, ResumeOffer, offer_lines

SKIP = "Type a number, or press Enter to skip."
YES_NO_EDIT = "y / n / e (Enter: no change now)"

Said = Literal["yes", "no", "edit"]
_SAID: dict[str, Said] = {
    "y": "yes",
    "yes": "yes",
    "n": "no",
    "no": "no",
    "e": "edit",
    "edit": "edit",
}
_T = TypeVar("_T")


class Leaving(Exception):
    """The person typed q at a question that lets them leave."""


class Talk:
    """Lines out on `stdout` (warnings on `stderr`) and in from `stdin`. When standard output
    goes away, `gone` is called once, on the event loop."""

    def __init__(
        self, stdin: IO[str], stdout: IO[str], stderr: IO[str], gone: Callable[[], None]
    ) -> None:
        self.input = LineInput(stdin)
        self.stdout = stdout
        self.stderr = stderr
        self._gone = gone
        self.closed = False  # standard output has gone

    def say(self, text: str) -> None:
        """One line of narration, flushed; text from files has its control characters shown
        escaped."""
        if self.closed:
            return
        line = shown(text.replace("\n", " ").replace("\t", " "))
        try:
            self.stdout.write(line + "\n")
            self.stdout.flush()
        except (OSError, ValueError):  # BrokenPipeError, or closed
            self._output_gone()

    def warn(self, text: str) -> None:
        with contextlib.suppress(OSError, ValueError):
            self.stderr.write(f"coach: {shown(text)}\n")
            self.stderr.flush()

    async def ask_scale(self, question: str, leave: bool = False) -> int | None:
        """A number from 0 to 10, or None (an empty line, closed input, or a second answer
        that is not one); `q`, when `leave` is allowed, raises Leaving."""
        self.say(f"{question} {SKIP}")
        for attempt in range(2):
            line = await self.input.get()
            text = "" if line is None else line.strip()
            if text.isdigit() and 0 <= int(text) <= 10:
                return int(text)
            if not text:
                return None
            if leave and text.lower() == "q":
                raise Leaving
            if attempt == 0:
                self.say("Give a whole number from 0 to 10, or press Enter to skip.")
        return None

    async def ask_resume(self, offer: ResumeOffer) -> Answer:
        for line in offer_lines(offer):
            self.say(line)
        self.say("Type r to resume, s to start over, or press Enter: not now (start afresh).")
        for attempt in range(2):
            answered = await self.input.get()
            text = "" if answered is None else answered.strip().lower()
            if text == "r":
                return Answer.RESUME
            if text == "s":
                return Answer.START_OVER
            if not text:
                break
            if attempt == 0:
                self.say("Type r, s, or press Enter.")
        return Answer.NOT_NOW

    async def ask_yes_no_edit(self, question: str) -> Said | None:
        """y, n or e to `question`; None for an empty line, closed input, or a second answer
        that is none of them."""
        self.say(f"{question} {YES_NO_EDIT}")
        for attempt in range(2):
            line = await self.input.get()
            text = "" if line is None else line.strip().lower()
            if not text:
                return None
            if text in _SAID:
                return _SAID[text]
            if attempt == 0:
                self.say("Type y (yes), n (no) or e (other values), or press Enter: no change now.")
        return None

    async def ask_text(self, question: str, read: Callable[[str], _T]) -> _T | None:
        """A line that `read` takes (it raises ValueError, in one line, for one it does not);
        None for an empty line, closed input, or a second line it does not take."""
        self.say(question)
        for attempt in range(2):
            line = await self.input.get()
            text = "" if line is None else line.strip()
            if not text:
                return None
            try:
                return read(text)
            except ValueError as exc:
                self.say(f"{exc}." if attempt == 0 else f"{exc}: no change now.")
        return None

    def _output_gone(self) -> None:
        """Nobody reads any more: what is left unwritten goes nowhere (so the end of the
        process does not fail on it), and the narration is told, once."""
        self.closed = True
        with contextlib.suppress(OSError, ValueError, AttributeError):
            nowhere = os.open(os.devnull, os.O_WRONLY)
            os.dup2(nowhere, self.stdout.fileno())
            os.close(nowhere)
        asyncio.get_running_loop().call_soon(self._gone)
