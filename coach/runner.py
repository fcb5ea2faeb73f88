"""One session from its first step to its end, for every front end.

`SessionRunner` owns the engine, reads the clock, plays the cues (and, through a second port,
speaks), records every set in history as it ends, starts a resumed session where it picks up,
and ends the session on a command or a signal. Front ends (the full screen, plain narration,
the drills, the benchmarks) send it commands and subscribe to what it reports: after every
command and every tick, each listener gets one `Update` with the engine's events, any notice
to show, and the result once the session has ended. The current state is `view()`. Nothing
here imports Textual, draws or waits: `due()` says when the runner next needs a `tick()`, and
`drive()` is the loop for a front end that has no timer of its own.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
from collections.abc import Callable
from typing import Literal

from coach.clock import Clock
from coach.cues import cue_for
from coach.history.model import HistoryAccess
from coach.plan import Plan, Step, build_plan
from coach.recorder import CLOSE_WAIT, SessionRecorder
from coach.routine import RoutineEntry
from coach.runner_ports import Listener as Listener
from coach.runner_ports import Notice as Notice
from coach.runner_ports import SessionResult as SessionResult
from coach.runner_ports import Severity as Severity
from coach.runner_ports import Speaker as Speaker
from coach.runner_ports import Update as Update
from coach.session import Event, EventKind, Session, SessionView, SetTally
from coach.sound import Beeper, SoundState


class SessionRunner:
    """Runs one routine. Commands do nothing once the session has ended."""

    def __init__(
        self,
        entry: RoutineEntry,
        *,
        clock: Clock,
        beeper: Beeper,
        history: HistoryAccess,
        speaker: Speaker | None = None,
        start_index: int = 0,
        resumed_from: int | None = None,
        sound_off: str | None = None,
        plan: Plan | None = None,
    ) -> None:
        self.entry = entry
        self.plan = plan if plan is not None else build_plan(entry.routine, entry.id)
        self.clock = clock
        self.beeper = beeper
        self.speaker = speaker
        if speaker is not None:
            speaker.muted = beeper.muted  # --mute silences the voice as well
        self.history = history
        self.sound_off = sound_off  # why sound cannot be turned on (COACH_SOUND=off)
        self.start_index = start_index
        self.resumed_from = resumed_from
        self.session = Session(self.plan, clock, start_index)
        self.recorder: SessionRecorder | None = None
        self.result: SessionResult | None = None
        self._listeners: list[Listener] = []
        self._prepared = False
        self._hurt: tuple[int, int | None] | None = None  # (exercise, pain) while leaving it
        self.hurts: list[tuple[str, int | None]] = []  # each exercise left because it hurt

    # ------------------------------------------------------------------ reading

    @property
    def started(self) -> bool:
        return self.session.started

    @property
    def finished(self) -> bool:
        return self.result is not None

    @property
    def current(self) -> Step:
        return self.session.current

    @property
    def muted(self) -> bool:
        return self.beeper.muted

    @property
    def sound_state(self) -> SoundState:
        """What the person can hear now: on, starting (the player is loading), muted, or off
        with the reason (COACH_SOUND, or the player failed). Every front end shows this."""
        if self.sound_off:
            return SoundState("off", self.sound_off, "COACH_SOUND")
        return self.beeper.state

    @property
    def history_saved(self) -> bool:
        """False when history is kept in memory only, or a write has failed."""
        recorder_failed = self.recorder is not None and self.recorder.problem is not None
        return self.history.history_problem is None and not recorder_failed

    def view(self, now: float | None = None) -> SessionView:
        return self.session.view(now)

    def due(self) -> float | None:
        """The clock time at which the next boundary or countdown second falls, if any."""
        return None if self.finished else self.session.next_due()

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call `listener` with every update from now on; returns the way to stop."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener) if listener in self._listeners else None

    # ------------------------------------------------------------------ commands

    def prepare(self) -> None:
        """Start loading the sound player (and voice) while the briefing is read, not on the
        first cue. Returns at once: the player loads in a thread of its own, and once it is
        ready or sound has gone off, the runner reports (with the notice, if any) on the event
        loop this was called from, so the sound state shown can change. With no event loop
        running, the notice comes with the next command or tick."""
        if self._prepared:
            return
        self._prepared = True
        self.beeper.prepare(self._on_loop(self._sound_settled))
        if self.speaker is not None:
            self.speaker.prepare(self.plan, self.entry.routine)
        self._report(Update(notices=tuple(self._sound_notices())))

    def state_changed(self) -> None:
        """Something the front end shows besides the engine changed (history became ready or
        failed): report, so it redraws."""
        self._report(Update())

    def move_start(self, start_index: int, resumed_from: int) -> None:
        """Before the start: begin at `start_index` instead, resuming session `resumed_from`."""
        if self.started or self.finished:
            return
        self.start_index = start_index
        self.resumed_from = resumed_from
        self.session = Session(self.plan, self.clock, start_index)
        self._report(Update(moved=True))

    def replan(self, entry: RoutineEntry, plan: Plan) -> None:
        """Before the start: run `entry` by `plan` instead (the person's own dose, known once
        history has opened). The start stays where it was, within the new plan."""
        if self.started or self.finished:
            return
        self.entry, self.plan = entry, plan
        self.start_index = min(self.start_index, len(plan.steps) - 1)
        self.session = Session(plan, self.clock, self.start_index)
        if self.speaker is not None and self._prepared:
            self.speaker.replan(plan, entry.routine)
        self._report(Update(moved=True))

    def begin(self, pain_before: int | None = None) -> None:
        """Start the session: its history row, then the first step."""
        if self.started or self.finished:
            return
        self.prepare()  # if the front end has not: the first cue must not load the player
        self.recorder = SessionRecorder(
            self.history.history(), self.clock, self.plan, self.start_index
        )
        self.recorder.begin(pain_before, self.resumed_from)
        self._act(self.session.start())

    def tick(self) -> None:
        """Catch up with the clock."""
        if self.started and not self.finished:
            self._act(self.session.tick())

    def enter(self) -> None:
        """Count a self-paced rep, or cut a get-ready, side switch or rest short."""
        session = self.session
        if not session.started or self.finished:
            return
        if session.current.phase == "rep":
            self._act(session.count_rep())
        elif session.current.phase in ("ready", "switch", "rest") and not session.paused:
            self._act(session.next())

    def toggle_pause(self) -> None:
        if self.started and not self.finished:
            self._act(self.session.toggle_pause())

    def pause(self) -> None:
        if self.started and not self.finished:
            self._act(self.session.pause())

    def resume(self) -> None:
        if self.started and not self.finished:
            self._act(self.session.resume())

    def next(self) -> None:
        if self.started and not self.finished:
            self._act(self.session.next())

    def previous(self) -> None:
        if self.started and not self.finished:
            self._act(self.session.previous())

    def hurt(self, pain: int | None) -> None:
        """ "This hurts": leave the exercise in progress for the next one. Its set so far is
        kept as skipped, with the pain now (0–10, or None when not given); with no set in
        progress (a get-ready, a rest), an empty skipped set of the exercise keeps it. The
        programme counts it toward a step back for that exercise."""
        if not self.started or self.finished:
            return
        exercise = self.session.current.exercise_index
        self._hurt = (exercise, pain)
        self.hurts.append((self.session.current.exercise, pain))
        try:
            events = self.session.next_exercise()
            if not any(e.kind is EventKind.SET_DONE for e in events):
                self._record(self._untouched_set(exercise))
            self._act(events)
        finally:
            self._hurt = None

    def stop(self) -> None:
        """End early; what was done is kept. Before the start, leave with nothing done."""
        if self.finished:
            return
        if not self.started:
            self.result = SessionResult(self.entry, self.plan, start_index=self.start_index)
            self._report(Update(ended=self.result))
            return
        self._act(self.session.stop())

    def toggle_mute(self) -> Notice:
        """Sound (cues and voice) off or on; says which, or why it stays off."""
        beeper = self.beeper
        state = self.sound_state
        if state.kind == "off":  # the voice plays through the same player: it is off too
            return Notice(f"Sound stays off: {state.why}.", "information", 6)
        beeper.muted = not beeper.muted
        if self.speaker is not None:
            self.speaker.muted = beeper.muted
        return Notice("Sound off" if beeper.muted else "Sound on", "information", 2)

    @property
    def voice_state(self) -> str:
        """The voice in a few words for a status line: 'voice on', 'voice off' (v),
        'voice muted' (with the sound), 'no voice' (none found, or it failed)."""
        speaker = self.speaker
        if speaker is None or speaker.problem is not None or self.sound_off:
            return "no voice"
        if not speaker.enabled:
            return "voice off"
        return "voice muted" if self.muted else "voice on"

    def toggle_voice(self) -> Notice:
        """The voice off or on (the cues carry on); says which, or why it cannot be heard."""
        speaker = self.speaker
        if self.sound_off:
            return Notice(f"Voice stays off: {self.sound_off}.", "information", 6)
        if speaker is None:
            return Notice("No voice in this session (--voice turns it on).", "information", 6)
        if speaker.problem is not None:
            return Notice(speaker.problem, "information", 6)
        speaker.enabled = not speaker.enabled
        if speaker.enabled and self.muted:
            return Notice("Voice on, but sound is muted: m turns it on.", "information", 4)
        return Notice("Voice on" if speaker.enabled else "Voice off", "information", 2)

    def end_for_signal(self, status: Literal["stopped", "interrupted"]) -> None:
        """The process is going away: save the session as `stopped` (with the set in progress
        as far as it got) or `interrupted` (to be resumed at the set in progress), waiting at
        most `CLOSE_WAIT` for history (what a locked file has not taken by then goes to the
        journal beside it). Reports nothing: there is no front end left to tell."""
        session, recorder = self.session, self.recorder
        if self.speaker is not None:
            self.speaker.close()
        if self.finished or recorder is None or not session.started:
            return
        if status == "stopped":
            for event in session.stop():
                if event.tally is not None:
                    recorder.record(event.tally)
        recorder.end(status)
        self.result = self._result(completed=False)
        recorder.close(CLOSE_WAIT)

    # ------------------------------------------------------------------ internals

    def _act(self, events: list[Event]) -> None:
        notices: list[Notice] = []
        ended: SessionResult | None = None
        if events:
            spoke = self.speaker is not None and self.speaker.speak(events)
            cue = None if spoke else cue_for(events)
            if cue:
                self.beeper.play(cue)
            notices += self._sound_notices()
            for event in events:
                if event.kind is EventKind.SET_DONE and event.tally is not None:
                    self._record(event.tally)
                if event.kind in (EventKind.SESSION_DONE, EventKind.SESSION_STOPPED):
                    ended = self._end(completed=event.kind is EventKind.SESSION_DONE)
        notices += self._history_notices()
        self._report(Update(tuple(events), tuple(notices), ended))

    def _record(self, tally: SetTally) -> None:
        """A set finished or was skipped: it goes to history at once (with the pain, when
        it was left because it hurt)."""
        if self.recorder is None:
            return
        hurt = self._hurt
        if hurt is not None and hurt[0] == tally.exercise_index:
            self.recorder.record(tally, hurt=hurt[1])
        else:
            self.recorder.record(tally)

    def _untouched_set(self, exercise_index: int) -> SetTally:
        """The exercise's first set not yet recorded (its last, if all were), as not begun."""
        plan, done = self.plan, {r.block for r in self.session.records}
        blocks = [n for n, b in enumerate(plan.blocks) if b.exercise_index == exercise_index]
        number = next((n for n in blocks if n not in done), blocks[-1])
        block = plan.blocks[number]
        step = plan.steps[block.start]
        return SetTally(
            number, exercise_index, step.exercise, block.set, block.side, block.direction,
            0, 0, block.reps, skipped=True, side_is=step.side_is,
        )  # fmt: skip

    def _end(self, completed: bool) -> SessionResult | None:
        if self.finished:
            return None
        if self.speaker is not None:
            self.speaker.close()
        if self.recorder is not None:
            self.recorder.end("completed" if completed else "stopped")
        self.result = self._result(completed)
        return self.result

    def _result(self, completed: bool) -> SessionResult:
        return SessionResult(
            entry=self.entry,
            plan=self.plan,
            records=list(self.session.records),
            elapsed=self.session.elapsed(),
            completed=completed,
            recorder=self.recorder,
            start_index=self.start_index,
            hurts=list(self.hurts),
        )

    def _on_loop(self, callback: Callable[[], None]) -> Callable[[], None] | None:
        """`callback`, made safe to call from any thread: it runs on the running event loop,
        in this moment's context. None when no loop is running."""
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return None
        context = contextvars.copy_context()

        def from_any_thread() -> None:
            with contextlib.suppress(RuntimeError):  # the loop has closed: nobody to tell
                loop.call_soon_threadsafe(callback, context=context)

        return from_any_thread

    def _sound_settled(self) -> None:
        """The player is ready, or sound has gone off: say so (the state shown changes)."""
        self._report(Update(notices=tuple(self._sound_notices())))

    def _sound_notices(self) -> list[Notice]:
        problems = [self.beeper.take_problem()]
        if self.speaker is not None:
            problems.append(self.speaker.take_problem())
        return [Notice(text) for text in problems if text]

    def _history_notices(self) -> list[Notice]:
        """What the recorder's writer found since the last update (it writes on a thread of
        its own). A history that could not be used at all was told by whoever opened it."""
        recorder = self.recorder
        if recorder is None:
            return []
        notices: list[Notice] = []
        problem = recorder.take_problem()
        if problem and self.history.history_problem is None:
            notices.append(Notice(f"History will not be saved: {problem}", timeout=12))
        note = recorder.take_note()
        if note:
            notices.append(Notice(note, "information", 12))
        return notices

    def _report(self, update: Update) -> None:
        for listener in list(self._listeners):
            listener(update)


async def drive(runner: SessionRunner) -> SessionResult:
    """Keep time for a front end with no timer of its own (plain narration, benchmarks): tick
    at each boundary the runner names, and wake early when a command moved it on. Returns the
    result once the session has ended."""
    loop = asyncio.get_running_loop()
    poked = asyncio.Event()
    unsubscribe = runner.subscribe(lambda _: poked.set())
    try:
        while runner.result is None:
            due = runner.due()
            delay = None if due is None else max(0.0, due - runner.clock.now())
            poked.clear()
            if delay is None or delay > 0:
                waiter = loop.create_task(poked.wait())
                await asyncio.wait({waiter}, timeout=delay)
                waiter.cancel()
            runner.tick()
        return runner.result
    finally:
        unsubscribe()
