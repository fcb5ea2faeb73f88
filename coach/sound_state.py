"""What can be heard: the sound state a status line shows, the `Beeper` port, and the
one-notice bookkeeping every beeper shares (with `NullBeeper`, which plays nothing)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, Protocol

OFF = "Sound is off: "
"""How every notice of a failed beeper begins."""


@dataclass(frozen=True)
class SoundState:
    """What the person can hear now, for a status line and for the mute key.

    `on`: cues play. `starting`: the player is still being loaded (a cue due now is left out).
    `muted`: the person turned sound off, and can turn it on. `off`: sound cannot be turned
    on; `why` is the reason in full (as the notice said it) and `words` the same in a few words.
    """

    kind: Literal["on", "starting", "muted", "off"]
    why: str = ""
    words: str = ""

    @property
    def label(self) -> str:
        """A few words for a status line: "sound on", "sound muted", "sound off: no player"."""
        if self.kind == "off":
            return f"sound off: {self.words}" if self.words else "sound off"
        return f"sound {self.kind}"


class Beeper(Protocol):
    """What the app needs from a sound player.

    `play` never blocks and never raises for audio trouble. If sound fails, `problem` holds
    the notice ("Sound is off: ...") from then on, and `take_problem` hands it out exactly
    once, so the app can call it after every play and show whatever it returns.
    """

    muted: bool
    problem: str | None

    @property
    def state(self) -> SoundState:
        """What can be heard now."""
        ...

    def play(self, cue: str) -> None:
        """Start the cue and return at once; do nothing when muted."""
        ...

    def play_phrase(self, path: Path, seconds: float) -> bool:
        """Start a rendered phrase (`seconds` long) instead of a cue, stopping any phrase
        still sounding; return at once. True when it started."""
        ...

    def take_problem(self) -> str | None:
        """The notice the first time it is asked for after a failure; None otherwise."""
        ...

    def prepare(self, settled: Callable[[], None] | None = None) -> None:
        """Start getting ready to play (loading the player) and return at once. When that ends
        (ready, or sound has gone off), call `settled`, from whatever thread did the work."""
        ...

    def close(self) -> None:
        """Stop any cue still sounding. Safe to call more than once."""
        ...


class NoticeOnce:
    """The one-notice bookkeeping shared by the beepers."""

    muted: bool = False
    problem: str | None = None
    problem_words: str | None = None  # the problem in a few words, for a status line
    _told: bool = False

    @property
    def ready(self) -> bool:
        """False while the player is still being loaded."""
        return True

    @property
    def state(self) -> SoundState:
        """What can be heard now: off for a problem, else muted, starting or on."""
        if self.problem:
            why = self.problem.removeprefix(OFF)
            return SoundState("off", why, self.problem_words or "player failed")
        if self.muted:
            return SoundState("muted")
        return SoundState("on" if self.ready else "starting")

    def take_problem(self) -> str | None:
        """The notice the first time it is asked for after a failure; None otherwise."""
        if self.problem is None or self._told:
            return None
        self._told = True
        return self.problem

    def prepare(self, settled: Callable[[], None] | None = None) -> None:
        """Nothing to get ready, so nothing will change: `settled` is never called."""


class NullBeeper(NoticeOnce):
    """Silence. For sound turned off, and for snapshot tests."""

    def __init__(self) -> None:
        self.muted = False

    def play(self, cue: str) -> None:
        """Do nothing."""

    def play_phrase(self, path: Path, seconds: float) -> bool:
        """Nothing is heard: the beep stays (and is silent too)."""
        return False

    def close(self) -> None:
        """Do nothing."""
