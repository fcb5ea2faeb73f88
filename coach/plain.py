"""Plain narration: a session told as lines of text, for screen readers, braille displays,
pipes and logs (`coach run ROUTINE --plain`).

Each step gets a line as it starts (`Clamshell · set 1 of 2 · right leg works · rep 3 of 10 ·
hold 2 s`); a get-ready, a side switch and a rest say what to do, what comes next and how
long, and count down 3, 2, 1 where the full screen ticks. Nothing is redrawn and no escape
sequence is written: each line is final and flushed. Commands are lines on standard input, as
the full screen's keys: an empty line is Enter, `s` pauses and carries on, `n` next, `p` back,
`m` mute, `q` stop. Once input closes, the session runs by itself to its end, counting
self-paced reps at the exercise's tempo. The check-ins and the resume offer are questions that
an empty line or closed input answers with the safe default.

It is one more front end of `SessionRunner`, kept in time by `drive`: the same engine, cues,
history, resume offer and signal endings as the full screen. Its end (coach.plain_summary)
asks the check-in and the next step the rules propose for the dose.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import IO, Literal

from coach.clock import Clock
from coach.durations import plural, spoken
from coach.exits import (
    EXIT_SECONDS,
    SIGNAL_ENDINGS,
    catch_signals,
    end_process_after,
    exit_status,
)
from coach.history.model import FixedHistory, Store
from coach.plain_summary import finish
from coach.plain_talk import Leaving, Talk
from coach.plain_text import ENTER_WHEN_DONE, event_lines
from coach.plan import Step
from coach.programme_io import doses_of, personal_plan
from coach.resume import (
    Answer,
    answer,
    catalog_finder,
    find_offer,
    resuming_at,
    seconds_left,
)
from coach.routine import RoutineEntry
from coach.runner import SessionResult, SessionRunner, Speaker, Update, drive
from coach.session import EventKind
from coach.sound import Beeper, NullBeeper, PlaysoundBeeper, sound_enabled_from_env

COMMANDS = (
    "Commands: Enter goes on (begins, counts a rep, cuts a get-ready, switch or rest short) · "
    "s pause or carry on · n next · p back · m mute · hurt: it hurts, stop this exercise · "
    "q stop"
)


LoopFactory = Callable[[], asyncio.AbstractEventLoop]


def plain_beeper(mute: bool, environ: Mapping[str, str]) -> tuple[Beeper, str | None]:
    """The beeper the full screen would have, and why sound cannot be turned on (if so)."""
    if not sound_enabled_from_env(environ):
        beeper: Beeper = NullBeeper()
        beeper.muted = True
        return beeper, f"COACH_SOUND is {environ.get('COACH_SOUND', '')!r}"
    beeper = PlaysoundBeeper()
    beeper.muted = mute
    return beeper, None


def self_paced_seconds(entry: RoutineEntry, step: Step) -> float:
    """How long a self-paced rep takes when nobody counts it: the exercise's move, hold and
    release, at least a second."""
    exercise = entry.routine.exercises[step.exercise_index]
    return max(1.0, exercise.tempo.move + exercise.hold + exercise.tempo.release)


def run_plain(
    entry: RoutineEntry,
    *,
    data_dir: Path,
    clock: Clock,
    beeper: Beeper,
    stdin: IO[str],
    stdout: IO[str],
    stderr: IO[str],
    store: Store | None = None,
    speaker: Speaker | None = None,
    sound_off: str | None = None,
    loop_factory: LoopFactory | None = None,
    exit_after_signal: bool = False,
) -> int:
    """Narrate one session of `entry`; the exit status. `store`: history already open (else
    the file in `data_dir`); `loop_factory`: the event loop to run on (tests keep fake time);
    `exit_after_signal`: after a signal, end the process within EXIT_SECONDS whatever hangs."""
    narrator = Narrator(
        entry,
        data_dir=data_dir,
        clock=clock,
        beeper=beeper,
        stdin=stdin,
        stdout=stdout,
        stderr=stderr,
        store=store,
        speaker=speaker,
        sound_off=sound_off,
        exit_after_signal=exit_after_signal,
    )
    with asyncio.Runner(loop_factory=loop_factory) as runner:
        return runner.run(narrator.run())


class Narrator:
    """One session told in lines; `run` returns the exit status."""

    def __init__(
        self,
        entry: RoutineEntry,
        *,
        data_dir: Path,
        clock: Clock,
        beeper: Beeper,
        stdin: IO[str],
        stdout: IO[str],
        stderr: IO[str],
        store: Store | None,
        speaker: Speaker | None,
        sound_off: str | None,
        exit_after_signal: bool,
    ) -> None:
        self.entry = entry
        self.data_dir = data_dir
        self.clock = clock
        self.beeper = beeper
        self.talk = Talk(stdin, stdout, stderr, self._output_gone)
        self.input = self.talk.input
        self._say = self.talk.say
        self._warn = self.talk.warn
        self.store = store
        self._owns_store = store is None
        self.speaker = speaker
        self.sound_off = sound_off
        self.exit_after_signal = exit_after_signal
        self.runner: SessionRunner | None = None
        self.hands_free = False
        self._quiet = False  # pause lines left out (while "it hurts" is asked)
        self._code: int | None = None  # set when the session ends at once
        self._task: asyncio.Task[object] | None = None
        self._counting: asyncio.TimerHandle | None = None
        self._pain_before: int | None = None
        self._saved = False  # ended at once, and history closed

    # ------------------------------------------------------------------ the session

    async def run(self) -> int:
        loop = asyncio.get_running_loop()
        self._task = asyncio.current_task()
        self._catch_signals(loop)
        self.input.start(loop)
        commands: asyncio.Task[None] | None = None
        try:
            runner = await self._prepare()
            if not await self._briefing(runner):
                runner.stop()
                return 0
            runner.begin(self._pain_before)
            commands = loop.create_task(self._commands(runner))
            result = await drive(runner)
            commands.cancel()
            await self._finish(result)
            return 0
        except asyncio.CancelledError:
            if self._code is None:
                raise
            return self._code
        finally:
            if commands is not None:
                commands.cancel()
            if self._counting is not None:
                self._counting.cancel()
            self.input.stop()
            self._close()

    async def _prepare(self) -> SessionRunner:
        """Open history (off the loop), offer a resume, and make the runner."""
        store, problem = await asyncio.to_thread(self._open_history)
        if problem:
            self._warn(f"history will not be saved: {problem}")
        note = store.journal_note
        if note:
            self._warn(note)
        self._say(self.entry.routine.title)
        doses = await asyncio.to_thread(doses_of, store)
        self.entry, plan = personal_plan(self.entry, doses, self.data_dir)
        start_index, resumed_from = 0, None
        offer = await asyncio.to_thread(
            find_offer,
            store,
            self.clock.wall(),
            self.entry,
            catalog_finder(self.data_dir),
            lambda entry: (entry, plan),
        )
        if offer is not None:
            said = await self.talk.ask_resume(offer)
            await asyncio.to_thread(answer, store, offer, said)
            if said is Answer.RESUME:
                start_index, resumed_from = offer.start_index, offer.session.id
        runner = SessionRunner(
            self.entry,
            plan=plan,
            clock=self.clock,
            beeper=self.beeper,
            history=FixedHistory(store, problem),
            speaker=self.speaker,
            start_index=start_index,
            resumed_from=resumed_from,
            sound_off=self.sound_off,
        )
        self.runner = runner
        runner.subscribe(self._reported)
        runner.prepare()  # the player loads while the briefing is read
        return runner

    def _open_history(self) -> tuple[Store, str | None]:
        """The history store as the full screen opens it: the file, else memory and why;
        sessions of coaches that are gone are closed as interrupted."""
        from coach.history.sqlite import open_for_coach

        self.store, owned, problem = open_for_coach(self.data_dir, self.clock.wall(), self.store)
        self._owns_store = self._owns_store or owned
        return self.store, problem

    async def _briefing(self, runner: SessionRunner) -> bool:
        """The routine in a few lines, the pain check-in, and Enter to begin; False when the
        person leaves instead."""
        routine = self.entry.routine
        for label, text in (("", routine.summary), ("Safety: ", routine.safety)):
            if text:
                self._say(label + text)
        if routine.equipment:
            self._say("You need: " + ", ".join(routine.equipment))
        resuming = resuming_at(runner.plan, runner.start_index)
        if resuming is not None:
            self._say(f"Resuming at {resuming}")
        left = spoken(seconds_left(runner.plan, runner.start_index))
        self._say(f"{left} · {plural(len(routine.exercises), 'exercise')}, paced for you.")
        self._say(COMMANDS)
        try:
            self._pain_before = await self.talk.ask_scale("Pain now, 0–10?", leave=True)
        except Leaving:
            return False
        self._say("Press Enter to begin (q leaves).")
        while True:
            line = await self.input.get()
            if line is None:  # closed: it begins, and runs by itself from the start
                self._note_closed()
                return True
            if line.strip() == "":
                return True
            command = line.strip().lower()
            if command == "q":
                return False
            if command == "m":
                self._say(runner.toggle_mute().text)
            else:
                self._say("Press Enter to begin, or q to leave.")

    async def _commands(self, runner: SessionRunner) -> None:
        """The person's lines during the session, until input closes."""
        while not runner.finished:
            line = await self.input.get()
            if line is None:
                self._go_hands_free(runner)
                return
            command = line.strip().lower()
            if command == "":
                runner.enter()
            elif command == "s":
                runner.toggle_pause()
            elif command == "n":
                self._say("Skipping ahead.")
                runner.next()
            elif command == "p":
                self._say("Going back.")
                runner.previous()
            elif command == "m":
                self._say(runner.toggle_mute().text)
            elif command == "q":
                runner.stop()
            elif command == "hurt":
                await self._hurt(runner)
            else:
                self._say(COMMANDS)

    async def _hurt(self, runner: SessionRunner) -> None:
        """It hurts: the clock stops while the pain is asked; then the exercise is left for
        the next one, with the pain kept on its set."""
        if runner.finished:
            return
        was_paused = runner.session.paused
        self._quiet = True  # the clock stops and starts again: no "Paused" lines about it
        try:
            runner.pause()
            self._say(f"It hurts: stopping {runner.current.exercise}.")
            pain = await self.talk.ask_scale("Pain now, 0–10?")
            if runner.finished:
                return
            runner.hurt(pain)
            if was_paused and not runner.finished:
                runner.pause()
        finally:
            self._quiet = False

    def _go_hands_free(self, runner: SessionRunner) -> None:
        """Input has closed: nobody can press anything, so the session goes on by itself."""
        if runner.finished:
            return
        self._note_closed()
        if runner.session.paused:
            runner.resume()
        if runner.current.phase == "rep":
            self._count_later(runner, runner.session.index)

    def _note_closed(self) -> None:
        """Say once that nobody can press anything now."""
        if not self.hands_free:
            self.hands_free = True
            self._warn("input has closed; the session goes on by itself to the end")

    def _count_later(self, runner: SessionRunner, index: int) -> None:
        """Count the self-paced rep at step `index` once its tempo has passed, by the clock."""
        if self._counting is not None:
            self._counting.cancel()
        due = self.clock.now() + self_paced_seconds(self.entry, runner.plan.steps[index])
        loop = asyncio.get_running_loop()

        def count() -> None:
            self._counting = None
            if runner.finished or runner.session.index != index or runner.session.paused:
                return
            wait = due - self.clock.now()
            if wait > 0:
                self._counting = loop.call_later(wait, count)
            else:
                runner.enter()

        self._counting = loop.call_later(max(0.0, due - self.clock.now()), count)

    async def _finish(self, result: SessionResult) -> None:
        """What was done, how long it took, the check-in after, and the next step."""
        await finish(self.talk, result, self.beeper, self.data_dir)

    # ------------------------------------------------------------------ what happened

    def _reported(self, update: Update) -> None:
        assert self.runner is not None  # it reports once it is made
        for notice in update.notices:
            self._warn(notice.text)
        for event in update.events:
            if self._quiet and event.kind in (EventKind.PAUSED, EventKind.RESUMED):
                continue
            lines = event_lines(self.entry.routine, self.runner.plan, event)
            for line in lines:
                if self.hands_free and line.endswith(ENTER_WHEN_DONE):  # nobody can press it
                    seconds = self_paced_seconds(self.entry, event.step)
                    line = line.removesuffix(ENTER_WHEN_DONE) + f"counted in {seconds:g} s"
                self._say(line)
            started = event.kind is EventKind.STEP_STARTED
            if self.hands_free and started and event.step.phase == "rep":
                self._count_later(self.runner, event.index)

    def _output_gone(self) -> None:
        """Standard output has gone: once this moment's work is done the session is saved as
        stopped and the narration ends, with status 0."""
        if self._code is None:
            self._code = 0
            self._end_now("stopped")

    # ------------------------------------------------------------------ endings

    def _catch_signals(self, loop: asyncio.AbstractEventLoop) -> None:
        catch_signals(loop, self._on_signal)

    def _on_signal(self, name: str) -> None:
        code = exit_status(name)
        if self.exit_after_signal:
            end_process_after(EXIT_SECONDS, code)
        if self._code is not None:
            return
        self._code = code
        self._end_now(SIGNAL_ENDINGS[name])

    def _end_now(self, status: Literal["stopped", "interrupted"]) -> None:
        """Save the session as `status` and end the narration where it is."""
        runner = self.runner
        if runner is not None and not runner.finished:
            runner.end_for_signal(status)  # waits CLOSE_WAIT at most, then the journal
            self._saved = True
        self.beeper.close()
        if self._task is not None:
            self._task.cancel()

    def _close(self) -> None:
        """The process is ending: history written (the rest in the journal), players stopped."""
        runner = self.runner
        if runner is not None and not self._saved:
            if not runner.finished:
                runner.end_for_signal("stopped")
            elif runner.recorder is not None:
                runner.recorder.close()
        self.beeper.close()
        if self.store is not None and self._owns_store:
            self.store.close()
