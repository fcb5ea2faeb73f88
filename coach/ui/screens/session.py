"""The live session: one big word for the phase, a big countdown, and what to do now.

The screen is a view of a `SessionRunner`: it forwards keys to the runner, and draws the
runner's view whenever the runner reports (cues, records and endings are the runner's), touching
only the widgets whose text changed. It wakes exactly when something will change: the runner's
next boundary, the next whole second of a countdown or the clock times, or the next step of the
bar; a long hold costs one redraw a second, and a paused session none.
"""

from __future__ import annotations

import math

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.events import Key, Resize
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import ProgressBar, Static

from coach.durations import clock, plural, seconds_text, spoken
from coach.literal import literal
from coach.plan import Step
from coach.plan_view import dosage
from coach.resume import resuming_at, seconds_left
from coach.routine import Exercise
from coach.runner import SessionResult, SessionRunner, Update
from coach.session import SessionView
from coach.session_text import countdown_text, describe_upcoming, where_text
from coach.sides import switch_words
from coach.ui.widgets.bar import PlainProgressBar
from coach.ui.widgets.bigtext import BigText
from coach.ui.widgets.footer import KeyFooter

MIN_WAKE_SECONDS = 0.001
# Lands a wake just past the moment a number changes, never a hair before it.
PAST = 0.002
ROUTINE_BAR_STEPS = 200
MIN_WIDTH = 40
MIN_HEIGHT = 12
"""Below this size the screen asks for a larger window instead of drawing."""
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


class SessionScreen(Screen[SessionResult]):
    """Shows one runner's session. Dismisses with the runner's result when it ends."""

    BINDINGS = [
        Binding("space", "pause", "Pause"),
        Binding("enter", "enter", "Rep / go"),
        Binding("n", "next", "Next"),
        Binding("p", "previous", "Back"),
        Binding("m", "mute", "Mute"),
        Binding("v", "voice", "Voice", show=False),  # the top line says "voice on (v)"
        Binding("exclamation_mark", "hurt", "It hurts", show=False),
        Binding("q,escape", "quit_session", "Quit"),
    ]

    def __init__(self, runner: SessionRunner) -> None:
        super().__init__()
        self.runner = runner
        self.entry = runner.entry
        self.plan = runner.plan
        self.pain_before: int | None = None
        self._shown: dict[str, object] = {}
        self._phase_class = ""
        self._wake: Timer | None = None
        self._unsubscribe = runner.subscribe(self._runner_reported)

    # ------------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        routine = self.entry.routine
        yield Static(id="top")
        with Vertical(id="briefing"):
            with VerticalScroll(id="brief-scroll"):
                yield Static(Text(routine.title, style="bold"), id="brief-title")
                yield Static(self._briefing_text(), id="brief-body")
            # Below the scrolling text, so the check-in and the way on are always in sight.
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
            f"Make the window larger (at least {MIN_WIDTH}×{MIN_HEIGHT}) to follow the session.",
            id="too-small",
        )
        yield KeyFooter()

    def _briefing_text(self) -> Text:
        routine = self.entry.routine
        start = self.runner.start_index
        text = Text()
        if routine.summary:
            text.append(routine.summary + "\n\n")
        if routine.safety:
            text.append("Safety  ", style="bold")
            text.append(routine.safety + "\n\n")
        if routine.equipment:
            text.append("You need  ", style="bold")
            text.append(", ".join(routine.equipment) + "\n\n")
        if any(exercise.why for exercise in routine.exercises):
            text.append("What each exercise is for\n", style="bold")
            for exercise in routine.exercises:
                text.append(f"• {exercise.name}", style="bold")
                text.append(f": {exercise.why}\n" if exercise.why else "\n")
            text.append("\n")
        resuming = resuming_at(self.plan, start)
        if resuming is not None:
            text.append("Resuming at ", style="bold")
            text.append(resuming + "\n\n")
        text.append(f"{spoken(seconds_left(self.plan, start))}", style="bold")
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
        if self.runner.started or self.runner.finished:
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
        self.query_one("#brief-pain", Static).update(self._pain_text())
        self.add_class("-briefing")
        self._check_size()
        self._update_top()
        # Load the sound player while the briefing is read, not on the first cue.
        self.call_after_refresh(self.runner.prepare)

    def on_unmount(self) -> None:
        self._unsubscribe()
        if self._wake is not None:
            self._wake.stop()

    def on_resize(self, _event: Resize) -> None:
        self._check_size()
        self._update_top()

    def _check_size(self) -> None:
        width, height = self.app.size
        self.set_class(width < MIN_WIDTH or height < MIN_HEIGHT, "-too-small")
        # A short window keeps the word, the count, the exercise, where you are and the time;
        # the cues and what comes next give way, and the word may shrink to plain letters.
        short = height < SHORT_HEIGHT
        if short != self.has_class("-short"):
            self.set_class(short, "-short")
            if self.runner.started and not self.runner.finished:
                self._draw()  # the side in its long or short form

    # ------------------------------------------------------------------ the loop

    def tick(self) -> None:
        """Let the runner catch up with the clock (it reports, and the report redraws); then
        sleep until the next change."""
        if self.runner.started and not self.runner.finished:
            self.runner.tick()
            self._arm()

    def _runner_reported(self, update: Update) -> None:
        """The runner did something: tell its notices, follow it to its end, or redraw."""
        for notice in update.notices:
            self.notify(notice.text, severity=notice.severity, timeout=notice.timeout, markup=False)
        if update.ended is not None:
            if self._wake is not None:
                self._wake.stop()
                self._wake = None
            self.dismiss(update.ended)
            return
        if update.moved:  # a resume, or the person's own dose, chosen before the start
            self.entry, self.plan = self.runner.entry, self.runner.plan
            self.query_one("#brief-body", Static).update(self._briefing_text())
        self._update_top()  # the sound or history state may have changed, briefing or not
        if self.runner.started:
            self._draw()
            self._arm()

    def _arm(self) -> None:
        """Wake exactly at the next boundary (so cues and words change on time) or just after
        the next visible change, whichever comes first."""
        if self._wake is not None:
            self._wake.stop()
            self._wake = None
        runner = self.runner
        if runner.finished or not runner.started:
            return
        now = runner.clock.now()
        delays = []
        due = runner.due()
        if due is not None:
            delays.append(due - now)
        change = next_change(runner.view(now))
        if change is not None:
            delays.append(change + PAST)
        if delays:
            # Never a zero delay: a Textual timer of interval 0 divides by zero when it runs late.
            delay = max(MIN_WAKE_SECONDS, min(delays))
            self._wake = self.set_timer(delay, self.tick, name="wake")

    # ------------------------------------------------------------------ drawing

    def _set(self, widget_id: str, value: object) -> bool:
        if self._shown.get(widget_id) == value:
            return False
        self._shown[widget_id] = value
        return True

    def _draw(self) -> None:
        view = self.runner.view()
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
        if self._set("step-texts", (view.index, view.paused, self.has_class("-short"))):
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
        short = self.has_class("-short")  # the short form of the side: "Right leg"
        self.query_one("#where", Static).update(literal(where_text(step, short)))
        self.query_one("#cues", Static).update(self._cue_text(step, exercise, view))
        self.query_one("#next", Static).update(
            literal(describe_upcoming(self.plan, view.upcoming, step))
        )

    def _cue_text(self, step: Step, exercise: Exercise, view: SessionView) -> Text:
        text = Text()
        if view.paused:
            text.append("Paused. Press space to carry on.", style="bold")
            return text
        if step.phase in ("ready", "switch"):
            if step.phase == "switch":
                text.append(switch_words(step.side, step.side_is) + "\n", style="bold")
            if exercise.setup:
                text.append(exercise.setup + "\n")
            if exercise.equipment and step.phase == "ready":
                text.append("You need: " + ", ".join(exercise.equipment) + "\n", style="dim")
            if step.phase == "ready":
                text.append(dosage(exercise) + "\n", style="dim")
                if exercise.why:
                    text.append("Why: ", style="bold dim")
                    text.append(exercise.why, style="dim")
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
        sound = self.runner.sound_state
        # "(m)" only where the key changes what is heard; when off, it says why instead.
        label = sound.label if sound.kind == "off" else f"{sound.label} (m)"
        style = "bold" if sound.kind == "off" else "dim"
        states = Text.assemble("  ·  ", (label, style))
        if self.runner.speaker is not None:
            voice = self.runner.voice_state
            states.append(f"  ·  {voice}" + ("" if voice == "no voice" else " (v)"), style="dim")
        if not self.runner.history_saved:
            states.append("  ·  history not saved", style="bold")
        # The states always show whole; a long title gives way to them.
        room = max(8, self.app.size.width - 2 - states.cell_len)
        title = Text(self.entry.routine.title)
        title.truncate(room, overflow="ellipsis")
        top = Text.assemble((title.plain, "bold"))
        top.append_text(states)
        if self._set("top", top.plain):
            self.query_one("#top", Static).update(top)

    # ------------------------------------------------------------------ keys

    def action_enter(self) -> None:
        if self.runner.started:
            self.runner.enter()
        else:
            self.runner.begin(self.pain_before)

    def action_pause(self) -> None:
        self.runner.toggle_pause()

    def action_next(self) -> None:
        self.runner.next()

    def action_previous(self) -> None:
        self.runner.previous()

    def action_mute(self) -> None:
        notice = self.runner.toggle_mute()
        self._update_top()
        self.notify(notice.text, severity=notice.severity, timeout=notice.timeout, markup=False)

    def action_voice(self) -> None:
        notice = self.runner.toggle_voice()
        self._update_top()
        self.notify(notice.text, severity=notice.severity, timeout=notice.timeout, markup=False)

    def action_hurt(self) -> None:
        """!: it hurts. The clock stops while the pain is asked; Enter leaves the exercise for
        the next one, Esc carries on."""
        runner = self.runner
        if not runner.started or runner.finished:
            return
        from coach.ui.screens.hurt import HurtScreen, Stop

        was_paused = runner.session.paused
        if not was_paused:
            runner.pause()

        def answered(stop: Stop | None) -> None:
            if stop is not None:
                runner.hurt(stop.pain)
            elif not was_paused:
                runner.resume()

        self.app.push_screen(HurtScreen(runner.current.exercise), answered)

    def action_quit_session(self) -> None:
        runner = self.runner
        if not runner.started:
            runner.stop()  # nothing done yet: leave at once
            return
        from coach.ui.screens.confirm import ConfirmScreen

        was_paused = runner.session.paused
        if not was_paused:
            runner.pause()

        def answered(stop: bool | None) -> None:
            if stop:
                runner.stop()
            elif not was_paused:
                runner.resume()

        self.app.push_screen(
            ConfirmScreen("Stop this session? What you have done so far is kept.", "Stop", "Go on"),
            answered,
        )
