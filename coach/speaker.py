"""The coach's voice in a session: renders a routine's phrases ahead, then says them on time.

`VoiceSpeaker` fills the runner's `Speaker` port. `prepare` renders every phrase the plan may
call for, in the order they will be needed, in a thread of its own (cached ones cost a look on
disk); `speak` runs on the runner's thread and never waits: it picks the phrase for the moment
(coach.phrases), takes its first form that is rendered and ends before the session's next
sound, and hands the file to the player, the same one that plays the cues, so the two never
sound at once. A phrase not rendered yet, or too long for every form, leaves the beep. While a
phrase is sounding, the beeps it covers are left out.

Any failure to render (no engine, an engine that fails or hangs) turns the voice off for the
session with one notice; the beeps carry on.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from coach.phrases import Phrase, Phrasebook
from coach.plan import Plan
from coach.routine import Routine
from coach.session import Event, EventKind
from coach.voice import PhraseCache, VoiceError, VoiceSetting, choose_engine

OFF = "Voice is off: "
"""How every notice of a voice that failed begins."""
MARGIN = 0.15
"""Seconds a phrase must leave before the next sound (the player's start, a breath)."""


class PhraseSource(Protocol):
    """Rendered phrases on disk (coach.voice.PhraseCache)."""

    def ensure(self, text: str) -> Path:
        """The phrase's file, rendering it now if need be; raises on failure."""
        ...

    def seconds(self, text: str) -> float | None:
        """How long the rendered phrase lasts; None when it is not rendered."""
        ...


class PhrasePlayer(Protocol):
    """Plays a rendered phrase (the beeper that plays the cues)."""

    def play_phrase(self, path: Path, seconds: float) -> bool:
        """Start it and return at once; True when it started."""
        ...


@dataclass(frozen=True)
class Said:
    """One phrase said: when (the moment it belongs to), what, and for how long."""

    at: float
    text: str
    seconds: float
    moment: str


class VoiceSpeaker:
    """Says a session's phrases through `player`, from `source`.

    `muted` follows the sound (m); `enabled` is the voice alone (v). `problem` is set once the
    voice has failed; `log` keeps every phrase said, for the drills and benchmarks."""

    def __init__(
        self,
        source: PhraseSource | None,
        player: PhrasePlayer,
        *,
        label: str = "",
        problem: str | None = None,
    ) -> None:
        self.source = source
        self.player = player
        self.label = label  # the engine in use, for people
        self.muted = False
        self.enabled = True
        self.problem: str | None = None if source is not None else (problem or "no engine")
        if self.problem is not None and not self.problem.startswith(OFF):
            self.problem = OFF + self.problem
        self.log: list[Said] = []
        self.rendered = threading.Event()
        """Set once every phrase of the plan is rendered, or rendering has stopped."""
        self._book: Phrasebook | None = None
        self._ready: dict[str, tuple[Path, float]] = {}  # rendered: file and seconds
        self._busy_until = float("-inf")
        self._told = False
        self._closed = False
        self._lock = threading.Lock()

    @property
    def on(self) -> bool:
        """The voice can be heard now."""
        return self.problem is None and self.enabled and not self.muted

    def prepare(self, plan: Plan, routine: Routine) -> None:
        """Render the plan's phrases in a thread of its own; returns at once."""
        if self._book is not None:
            return
        self._book = book = Phrasebook(plan, routine)
        if self.source is None or self.problem is not None:
            self.rendered.set()
            return
        thread = threading.Thread(
            target=self._render, args=(self.source, book.every_phrase()), daemon=True,
            name="coach-voice-render",
        )  # fmt: skip
        thread.start()

    def replan(self, plan: Plan, routine: Routine) -> None:
        """The plan changed before the start (the person's own dose): its phrases instead,
        the new ones rendered as `prepare` does."""
        self._book = None
        self.rendered.clear()
        self.prepare(plan, routine)

    def speak(self, events: Sequence[Event]) -> bool:
        """Say what these events call for. True when the voice has this moment: a phrase
        started now, or one still sounding covers it (its beep is then left out)."""
        book = self._book
        if book is None or not events or not self.on:
            return False
        at = max(e.at for e in events)
        phrase = book.for_events(events)
        if phrase is not None:
            said = self._say(book, phrase, events, at)
            if said:
                return True
        return at < self._busy_until

    def take_problem(self) -> str | None:
        """The notice the first time it is asked for after a failure; None otherwise."""
        if self.problem is None or self._told:
            return None
        self._told = True
        return self.problem

    def close(self) -> None:
        """Stop rendering after the phrase in hand."""
        self._closed = True

    # ------------------------------------------------------------------ internals

    def _say(self, book: Phrasebook, phrase: Phrase, events: Sequence[Event], at: float) -> bool:
        room = self._room(book, phrase, events)
        for text in phrase.forms:
            ready = self._ready.get(text)  # never the disk here: the render thread looked
            if ready is None:
                continue  # not rendered yet: a shorter form may be
            path, seconds = ready
            if room is not None and seconds > room - MARGIN:
                continue
            if not self.player.play_phrase(path, seconds):
                return False
            self._busy_until = at + seconds
            self.log.append(Said(at, text, seconds, phrase.moment))
            return True
        return False

    @staticmethod
    def _room(book: Phrasebook, phrase: Phrase, events: Sequence[Event]) -> float | None:
        halfway = next((e for e in events if e.kind is EventKind.HALFWAY), None)
        if phrase.moment == "finish":
            return None
        if phrase.moment == "halfway" and halfway is not None:
            return book.room(halfway.index, (halfway.step.seconds or 0) / 2)
        started = [e for e in events if e.kind is EventKind.STEP_STARTED]
        index = started[-1].index if started else events[-1].index
        return book.room(index)

    def _render(self, source: PhraseSource, texts: list[str]) -> None:
        try:
            for text in texts:
                if self._closed:
                    return
                path = source.ensure(text)
                seconds = source.seconds(text)
                if seconds is not None and seconds > 0:
                    self._ready[text] = (path, seconds)
        except Exception as exc:  # any engine failure: the voice goes, the beeps stay
            with self._lock:
                if self.problem is None:
                    self.problem = OFF + (str(exc) or type(exc).__name__)
        finally:
            self.rendered.set()


NO_ENGINE = "no speech engine found (install espeak-ng, or set COACH_VOICE_CMD)"


def make_speaker(
    setting: VoiceSetting, player: PhrasePlayer, data_dir: Path, environ: Mapping[str, str]
) -> VoiceSpeaker | None:
    """The speaker for one session: None when the voice is off; without an engine (none
    found, or the one named is missing) a speaker that tells so once and stays quiet."""
    if setting.kind == "off":
        return None
    try:
        engine = choose_engine(setting, environ)
    except VoiceError as exc:
        return VoiceSpeaker(None, player, problem=str(exc))
    if engine is None:
        return VoiceSpeaker(None, player, problem=NO_ENGINE)
    return VoiceSpeaker(PhraseCache(data_dir / "voice", engine), player, label=engine.label)
