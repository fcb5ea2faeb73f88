"""The live session: one big word for the phase, a big countdown, and what to do now.

The screen never computes time or counts reps. It asks the engine what happened (events → sound
cues and records) and what to show (view → widgets), and it only touches the widgets whose text
changed. It wakes exactly when something will change: the engine's next boundary, the next whole
second of a countdown or the clock times, or the next step of the bar; a long hold costs one
redraw a second, and a paused session none.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.events import Key, Resize
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import ProgressBar, Static

from coach.durations import clock, plural, seconds_text, spoken
from coach.plan import Plan, Step, build_plan
from coach.plan_view import dosage, step_label
from coach.recorder import SessionRecorder
from coach.resume import resuming_at, seconds_left
from coach.routine import Exercise, RoutineEntry
from coach.session import Event, EventKind, Session, SessionView, SetTally
from coach.sound import cue_for
from coach.ui.widgets.bar import PlainProgressBar
from coach.ui.widgets.bigtext import BigText
from coach.ui.widgets.footer import KeyFooter

if TYPE_CHECKING:
    from coach.ui.app import CoachApp

MIN_WAKE_SECONDS = 0.001
# Lands a wake just past the moment a number changes, never a hair before it.
PAST = 0.002
ROUTINE_BAR_STEPS = 200


@dataclass
class SessionResult:
    """What a session screen hands back: enough for the summary and for history."""

    entry: RoutineEntry
    plan: Plan
    records: list[SetTally] = field(default_factory=list)
    elapsed: float = 0.0
    completed: bool = False
    recorder: SessionRecorder | None = None
    start_index: int = 0  # where a resumed session picked up; what came before is not its own


SHORT_HEIGHT = 16
"""Below this many rows the session screen drops its cues and the next step."""


def step_bar_steps(seconds: float) -> int:
    """How finely the step bar moves: ten times a second in short steps, once a second in long
    ones (in step with the countdown), never more finely than a hundredth."""
    return max(1, min(100, math.ceil(seconds * 10 if seconds < 10 else seconds)))


def step_bar_value(view: SessionView) -> int:
    """The bar's position, out of 100, moved only in whole steps."""
    seconds = view.step.seconds
    if not seconds or view.remaining is None:
        return 0
    steps = step_bar_steps(seconds)
    done = math.floor((1 - view.remaining / seconds) * steps + 1e-9)
    return round(min(done, steps) * 100 / steps)


def next_change(view: SessionView) -> float | None:
    """Seconds from the view's moment until a number or bar on screen changes: the countdown
    and the time left (whole seconds of what remains), the step bar (its next step), and in a
    self-paced rep the time done. None while nothing moves."""
    if view.paused or view.done:
        return None
    remaining, seconds = view.remaining, view.step.seconds
    # The time done moves on its own only in a self-paced rep; in a timed step it is redrawn
    # with the countdown, so a pause that shifted it by part of a second costs no second wake.
    candidates = [1 - (view.elapsed % 1)] if remaining is None else []
    if remaining is not None and remaining > 0:
        candidates.append(remaining - (math.ceil(remaining - 1e-9) - 1))
        if seconds:
            steps = step_bar_steps(seconds)
            done = seconds - remaining
            quantum = seconds / steps
            candidates.append((math.floor(done / quantum + 1e-9) + 1) * quantum - done)
    total = view.remaining_total
    if total > 0:
        candidates.append(total - (math.ceil(total - 1e-9) - 1))
    return max(0.0, min(candidates)) if candidates else None


def countdown_text(view: SessionView) -> str:
    """Whole seconds (m:ss from a minute up); the rep number for a self-paced rep."""
    if view.remaining is None:
        return str(view.step.rep or "")
    whole = max(0, math.ceil(view.remaining - 1e-6))
    return clock(whole) if whole >= 60 else str(whole)


def where_text(step: Step) -> str:
    parts = []
    if step.rep is not None and step.reps > 1 and step.phase not in ("rest", "switch", "ready"):
        parts.append(f"Rep {step.rep}/{step.reps}")
    return " · ".join(p for p in (*parts, step_label(step)) if p)


def describe_upcoming(step: Step | None, current: Step) -> str:
    if step is None:
        return "Next: the finish"
    if step.phase == "rest":
        return f"Next: rest {spoken(step.seconds or 0)}"
    if step.phase == "switch":
        return f"Next: switch to the {step.side} side"
    if step.phase == "ready" or step.exercise_index != current.exercise_index:
        return f"Next: {step.exercise}"
    label = step_label(step)
    return f"Next: {label}" if label else f"Next: {step.exercise}"


class SessionScreen(Screen[SessionResult]):
    """Walks one routine. Dismisses with a SessionResult when it ends or is stopped."""

    BINDINGS = [
        Binding("space", "pause", "Pause"),
        Binding("enter", "enter", "Rep / go"),
        Binding("n", "next", "Next"),
        Binding("p", "previous", "Back"),
        Binding("m", "mute", "Mute"),
        Binding("q,escape", "quit_session", "Quit"),
    ]

    def __init__(
        self, entry: RoutineEntry, start_index: int = 0, resumed_from: int | None = None
    ) -> None:
        super().__init__()
        self.entry = entry
        self.plan = build_plan(entry.routine, entry.id)
        self._start_index = start_index
        self._resumed_from = resumed_from
        self.session: Session | None = None
        self.recorder: SessionRecorder | None = None
        self.pain_before: int | None = None
        self._shown: dict[str, object] = {}
        self._phase_class = ""
        self._finished = False
        self._wake: Timer | None = None

    # ------------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        routine = self.entry.routine
        yield Static(id="top")
        with VerticalScroll(id="briefing"):
            yield Static(Text(routine.title, style="bold"), id="brief-title")
            yield Static(self._briefing_text(), id="brief-body")
            yield Static(id="brief-pain")
            yield Static("Press Enter to begin", id="brief-go")
        with Vertical(id="live"):
            yield BigText(id="word", max_scale=3)
            yield BigText(id="count", max_scale=6)
            yield PlainProgressBar(id="step-bar", show_eta=False, show_percentage=False)
            yield Static(id="exercise")
            yield Static(id="where")
            yield Static(id="cues")
            yield Static(id="next")
            with Horizontal(id="progress-row"):
                yield PlainProgressBar(id="routine-bar", show_eta=False, show_percentage=False)
                yield Static(id="times")
        yield Static(
            "Make the window larger (at least 40×12) to follow the session.",
            id="too-small",
        )
        yield KeyFooter()

    def _briefing_text(self) -> Text:
        routine = self.entry.routine
        text = Text()
        if routine.summary:
            text.append(routine.summary + "\n\n")
        if routine.safety:
            text.append("Safety  ", style="bold")
            text.append(routine.safety + "\n\n")
        if routine.equipment:
            text.append("You need  ", style="bold")
            text.append(", ".join(routine.equipment) + "\n\n")
        resuming = resuming_at(self.plan, self._start_index)
        if resuming is not None:
            text.append("Resuming at ", style="bold")
            text.append(resuming + "\n\n")
        remaining = seconds_left(self.plan, self._start_index)
        text.append(f"{spoken(remaining)}", style="bold")
        text.append(f" · {plural(len(routine.exercises), 'exercise')}, paced for you. ")
        text.append("Space pauses, n skips, p goes back, q stops.")
        return text

    def _pain_text(self) -> Text:
        text = Text()
        text.append("Pain now, 0–10? ", style="bold")
        if self.pain_before is None:
            text.append("Type a number, or just press Enter to skip.", style="dim")
        else:
            text.append(str(self.pain_before), style="bold reverse")
            text.append("  (Backspace clears)", style="dim")
        return text

    def on_key(self, event: Key) -> None:
        """Before the start, digits give the optional pain check-in: 1 then 0 makes 10."""
        if self.session is None or self.session.started:
            return
        if event.character is not None and event.character.isdigit():
            digit = int(event.character)
            self.pain_before = 10 if self.pain_before == 1 and digit == 0 else digit
        elif event.key == "backspace":
            self.pain_before = None
        else:
            return
        event.stop()
        self.query_one("#brief-pain", Static).update(self._pain_text())

    def on_mount(self) -> None:
        self.session = Session(self.plan, self.coach.clock, self._start_index)
        self.query_one("#brief-pain", Static).update(self._pain_text())
        self.add_class("-briefing")
        self._check_size()
        self._update_top()
        # Load the sound player while the briefing is read, not on the first cue.
        self.call_after_refresh(self._prepare_sound)

    def _prepare_sound(self) -> None:
        beeper = self.coach.beeper
        beeper.prepare()
        notice = beeper.take_problem()
        if notice:
            self.notify(notice, severity="warning", timeout=8)

    def move_start(self, start_index: int, resumed_from: int) -> None:
        """Before the start: begin at `start_index` instead, resuming session `resumed_from`."""
        if self.session is not None and self.session.started:
            return
        self._start_index = start_index
        self._resumed_from = resumed_from
        self.session = Session(self.plan, self.coach.clock, start_index)
        self.query_one("#brief-body", Static).update(self._briefing_text())

    @property
    def coach(self) -> CoachApp:
        return cast("CoachApp", self.app)

    def on_resize(self, _event: Resize) -> None:
        self._check_size()

    def _check_size(self) -> None:
        width, height = self.app.size
        self.set_class(width < self.coach.MIN_WIDTH or height < self.coach.MIN_HEIGHT, "-too-small")
        # A short window keeps the word, the count, the exercise, where you are and the time;
        # the cues and what comes next give way, and the word may shrink to plain letters.
        self.set_class(height < SHORT_HEIGHT, "-short")

    # ------------------------------------------------------------------ the loop

    def tick(self) -> None:
        """Catch up with the clock, redraw what changed, and sleep until the next change."""
        session = self.session
        if session is None or not session.started or self._finished:
            return
        self._handle(session.tick())
        self._draw()
        self._arm()

    def _arm(self) -> None:
        """Wake exactly at the next boundary (so cues and words change on time) or just after
        the next visible change, whichever comes first."""
        if self._wake is not None:
            self._wake.stop()
            self._wake = None
        session = self.session
        if session is None or self._finished or not session.started:
            return
        now = self.coach.clock.now()
        delays = []
        due = session.next_due()
        if due is not None:
            delays.append(due - now)
        change = next_change(session.view(now))
        if change is not None:
            delays.append(change + PAST)
        if delays:
            # Never a zero delay: a Textual timer of interval 0 divides by zero when it runs late.
            delay = max(MIN_WAKE_SECONDS, min(delays))
            self._wake = self.set_timer(delay, self.tick, name="wake")

    def _handle(self, events: list[Event]) -> None:
        if not events:
            return
        beeper = self.coach.beeper
        cue = cue_for(events)
        if cue:
            beeper.play(cue)
            notice = beeper.take_problem()
            if notice:
                self.notify(notice, severity="warning", timeout=8)
        for event in events:
            if event.kind is EventKind.SET_DONE and event.tally is not None:
                self.post_set(event.tally)
            if event.kind in (EventKind.SESSION_DONE, EventKind.SESSION_STOPPED):
                self._finish(completed=event.kind is EventKind.SESSION_DONE)

    def post_set(self, tally: SetTally) -> None:
        """A set finished or was skipped: it goes to history at once."""
        if self.recorder is not None:
            self.recorder.record(tally)
            self._tell_history_problem()

    def _tell_history_problem(self) -> None:
        problem = self.recorder.take_problem() if self.recorder is not None else None
        if problem:
            self.notify(f"History will not be saved: {problem}", severity="warning", timeout=12)

    def _finish(self, completed: bool) -> None:
        if self._finished:
            return
        self._finished = True
        assert self.session is not None
        if self.recorder is not None:
            self.recorder.end("completed" if completed else "stopped")
        self.dismiss(
            SessionResult(
                entry=self.entry,
                plan=self.plan,
                records=list(self.session.records),
                elapsed=self.session.elapsed(),
                completed=completed,
                recorder=self.recorder,
                start_index=self._start_index,
            )
        )

    def end_for_signal(self, status: str) -> None:
        """The app is going away: save the session as `stopped` (with the set in progress as
        far as it got) or `interrupted` (to be resumed at the set in progress)."""
        session, recorder = self.session, self.recorder
        if self._finished or session is None or recorder is None or not session.started:
            return
        self._finished = True
        if status == "stopped":
            for event in session.stop():
                if event.tally is not None:
                    recorder.record(event.tally)
        recorder.end(status)

    # ------------------------------------------------------------------ drawing

    def _set(self, widget_id: str, value: object) -> bool:
        if self._shown.get(widget_id) == value:
            return False
        self._shown[widget_id] = value
        return True

    def _draw(self) -> None:
        session = self.session
        if session is None:
            return
        view = session.view()
        step = view.step
        exercise = self.entry.routine.exercises[step.exercise_index]
        word = "PAUSED" if view.paused else step.word
        phase_class = "-paused" if view.paused else f"-phase-{step.phase}"
        if phase_class != self._phase_class:
            # One restyle for the swap (removing, then adding, would restyle the screen twice).
            self.set_classes((set(self.classes) - {self._phase_class, "-briefing"}) | {phase_class})
            self._phase_class = phase_class
        if self._set("word", word):
            self.query_one("#word", BigText).text = word
        count = countdown_text(view)
        if self._set("count", count):
            self.query_one("#count", BigText).text = count
        bar_value = step_bar_value(view)
        if self._set("step-bar", bar_value):
            self.query_one("#step-bar", ProgressBar).update(total=100, progress=bar_value)
        if self._set("step-texts", (view.index, view.paused)):
            self._draw_step_texts(view, exercise)
        # The bars move in steps they can show, so an unchanged bar is not repainted.
        done = round(view.progress * ROUTINE_BAR_STEPS)
        if self._set("routine-bar", done):
            self.query_one("#routine-bar", ProgressBar).update(
                total=ROUTINE_BAR_STEPS, progress=done
            )
        # Whole seconds done and (like the countdown) whole seconds left, so both change together.
        done_text = clock(math.floor(view.elapsed + 1e-9))
        left_text = clock(math.ceil(view.remaining_total - 1e-9))
        times = f"{done_text} done · {left_text} left"
        if self._set("times", times):
            self.query_one("#times", Static).update(times, layout=False)  # fixed width

    def _draw_step_texts(self, view: SessionView, exercise: Exercise) -> None:
        """The texts that change only with the step (or pausing), not with the seconds."""
        step = view.step
        position = f"{step.exercise_index + 1}/{len(self.entry.routine.exercises)}"
        self.query_one("#exercise", Static).update(
            Text.assemble((step.exercise, "bold"), ("  ·  exercise " + position, "dim"))
        )
        self.query_one("#where", Static).update(where_text(step))
        self.query_one("#cues", Static).update(self._cue_text(step, exercise, view))
        self.query_one("#next", Static).update(describe_upcoming(view.upcoming, step))

    def _cue_text(self, step: Step, exercise: Exercise, view: SessionView) -> Text:
        text = Text()
        if view.paused:
            text.append("Paused. Press space to carry on.", style="bold")
            return text
        if step.phase in ("ready", "switch"):
            if step.phase == "switch":
                text.append(f"Change to your {step.side} side.\n", style="bold")
            if exercise.setup:
                text.append(exercise.setup + "\n")
            if exercise.equipment and step.phase == "ready":
                text.append("You need: " + ", ".join(exercise.equipment) + "\n", style="dim")
            if step.phase == "ready":
                text.append(dosage(exercise), style="dim")
            return text
        if step.phase == "rest":
            text.append("Rest. Breathe, shake out, and get ready for what comes next.")
            return text
        if step.phase == "rep":
            text.append("Press Enter after each rep.\n", style="bold")
        for cue in exercise.cues:
            text.append("• " + cue + "\n")
        for mistake in exercise.mistakes:
            text.append("✗ Avoid: " + mistake + "\n", style="dim")
        if step.phase == "hold" and step.seconds:
            text.append(f"Hold {seconds_text(step.seconds)} s", style="dim")
        return text

    def _update_top(self) -> None:
        beeper = self.coach.beeper
        sound = "sound off (m)" if beeper.muted else "sound on (m)"
        top = Text.assemble((self.entry.routine.title, "bold"), "  ·  ", (sound, "dim"))
        if self.coach.history_problem:
            top.append("  ·  history not saved", style="bold")
        self.query_one("#top", Static).update(top)

    # ------------------------------------------------------------------ keys

    def _begin(self) -> None:
        assert self.session is not None
        self.recorder = SessionRecorder(
            self.coach.history(), self.coach.clock, self.plan, self._start_index
        )
        self.recorder.begin(self.pain_before, self._resumed_from)
        self._tell_history_problem()
        self._update_top()
        self._handle(self.session.start())
        self._draw()
        self._arm()

    def _act(self, events: list[Event]) -> None:
        self._handle(events)
        if not self._finished:
            self._draw()
            self._arm()

    def action_enter(self) -> None:
        session = self.session
        if session is None:
            return
        if not session.started:
            self._begin()
        elif session.current.phase == "rep":
            self._act(session.count_rep())
        elif session.current.phase in ("ready", "switch", "rest") and not session.paused:
            self._act(session.next())

    def action_pause(self) -> None:
        if self.session is not None and self.session.started:
            self._act(self.session.toggle_pause())

    def action_next(self) -> None:
        if self.session is not None and self.session.started:
            self._act(self.session.next())

    def action_previous(self) -> None:
        if self.session is not None and self.session.started:
            self._act(self.session.previous())

    def action_mute(self) -> None:
        beeper = self.coach.beeper
        if beeper.muted and self.coach.sound_off:
            self.notify(f"Sound stays off: {self.coach.sound_off}.", timeout=4)
            return
        beeper.muted = not beeper.muted
        self._update_top()
        self.notify("Sound off" if beeper.muted else "Sound on", timeout=2)

    def action_quit_session(self) -> None:
        session = self.session
        if session is None or not session.started:
            self.dismiss(SessionResult(self.entry, self.plan))
            return
        from coach.ui.screens.confirm import ConfirmScreen

        was_paused = session.paused
        if not was_paused:
            self._act(session.pause())

        def answered(stop: bool | None) -> None:
            if stop:
                self._act(session.stop())
            elif not was_paused:
                self._act(session.resume())

        self.app.push_screen(
            ConfirmScreen("Stop this session? What you have done so far is kept.", "Stop", "Go on"),
            answered,
        )
