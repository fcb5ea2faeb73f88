"""What a session runner reports to its front ends (`Update`, `Notice`, the `SessionResult` at
the end) and the port its voice plugs into (`Speaker`)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Literal, Protocol

from coach.plan import Plan
from coach.recorder import SessionRecorder
from coach.routine import Routine, RoutineEntry
from coach.session import Event, SetTally

Severity = Literal["information", "warning", "error"]


@dataclass
class SessionResult:
    """What a session leaves behind: enough for the summary and for history."""

    entry: RoutineEntry
    plan: Plan
    records: list[SetTally] = field(default_factory=list)
    elapsed: float = 0.0
    completed: bool = False
    recorder: SessionRecorder | None = None
    start_index: int = 0  # where a resumed session picked up; what came before is not its own
    hurts: list[tuple[str, int | None]] = field(default_factory=list)  # left because it hurt

    def hurt_words(self) -> list[str]:
        """'Clamshell: stopped because it hurt (pain 6)', for each exercise left that way."""
        return [
            f"{name}: stopped because it hurt" + ("" if pain is None else f" (pain {pain})")
            for name, pain in self.hurts
        ]


@dataclass(frozen=True)
class Notice:
    """Something to tell the person once, in one line."""

    text: str
    severity: Severity = "warning"
    timeout: float = 8


@dataclass(frozen=True)
class Update:
    """What one command or tick did: the engine's events, notices, and the end."""

    events: tuple[Event, ...] = ()
    notices: tuple[Notice, ...] = ()
    ended: SessionResult | None = None
    moved: bool = False  # the start moved (a resume chosen during the briefing)


Listener = Callable[[Update], None]


class Speaker(Protocol):
    """The second sound port: says what the events call for (coach.speaker.VoiceSpeaker)."""

    muted: bool  # follows the sound: m mutes cues and voice together
    enabled: bool  # the voice alone: v
    problem: str | None  # why the voice cannot be heard, once it has failed

    def prepare(self, plan: Plan, routine: Routine) -> None:
        """Get ready off the first cue's path (render the plan's phrases); return at once."""
        ...

    def replan(self, plan: Plan, routine: Routine) -> None:
        """The plan changed before the start: get its phrases ready instead."""
        ...

    def speak(self, events: Sequence[Event]) -> bool:
        """Say what these events call for; True when the voice has the moment (the beep it
        would cover is then left out)."""
        ...

    def take_problem(self) -> str | None:
        """A failure to tell once, then None."""
        ...

    def close(self) -> None:
        """Stop getting ready (rendering); safe to call more than once."""
        ...
