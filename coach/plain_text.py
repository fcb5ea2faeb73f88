"""A session's events as plain lines: what plain narration prints as each moment comes.

One line per step (`Clamshell · set 1 of 2 · right leg works · rep 3 of 10 · hold 2 s`); a
get-ready says the exercise, the working leg, the dose and how it is set up; a side switch the
new leg; a rest how long and what comes next; a countdown 3, 2, 1 only where the full screen
ticks. Text from the routine is returned as written: the printer escapes it.
"""

from __future__ import annotations

from coach.cues import TICKING_PHASES
from coach.durations import seconds_text, spoken
from coach.plan import Plan, Step
from coach.plan_view import dosage
from coach.routine import Routine
from coach.session import Event, EventKind, upcoming_index
from coach.session_text import describe_upcoming, where_words
from coach.sides import side_words, switch_words

PAUSED = "Paused. Type s to carry on."
RESUMED = "Carrying on."


ENTER_WHEN_DONE = "Enter when done"
"""How a self-paced rep's line ends while a person can press Enter."""


def event_lines(routine: Routine, plan: Plan, event: Event) -> list[str]:
    """The lines an event calls for; none for an event that has no line of its own (a rep
    done, a set recorded), nor for one this module does not know."""
    kind = event.kind
    if kind is EventKind.STEP_STARTED:
        return step_lines(routine, plan, event.index)
    if kind is EventKind.COUNTDOWN and event.step.phase in TICKING_PHASES:
        return [str(event.count)]
    if kind is EventKind.HALFWAY:
        return [f"Halfway: {spoken(event.count or 0)} left"]
    if kind is EventKind.PAUSED:
        return [PAUSED]
    if kind is EventKind.RESUMED:
        return [RESUMED]
    return []


def step_lines(routine: Routine, plan: Plan, index: int) -> list[str]:
    """What step `index` says as it starts."""
    step = plan.steps[index]
    seconds = spoken(step.seconds or 0)
    if step.phase == "ready":
        return ready_lines(routine, step)
    if step.phase == "switch":
        return [f"{switch_words(step.side, step.side_is)} · {seconds}"]
    if step.phase == "rest":
        what = "Relax" if step.rest_kind == "relax" else "Rest"
        return [f"{what} {seconds} · {next_words(plan, index)}"]
    where = where_words(step)
    head = f"{step.exercise} · {where}" if where else step.exercise
    if step.seconds is None:
        return [f"{head} · {step.word.lower()} at your own pace · {ENTER_WHEN_DONE}"]
    return [f"{head} · {step.word.lower()} {seconds_text(step.seconds)} s"]


def ready_lines(routine: Routine, step: Step) -> list[str]:
    """A get-ready: the exercise, its working leg and time, its dose, setup and equipment."""
    exercises = routine.exercises
    exercise = exercises[step.exercise_index]
    head = f"Get ready: {step.exercise}"
    if len(exercises) > 1:
        head += f" (exercise {step.exercise_index + 1} of {len(exercises)})"
    side = side_words(step.side, step.side_is)
    seconds = spoken(step.seconds) if step.seconds else ""
    lines = [" · ".join(part for part in (head, side, seconds) if part), dosage(exercise)]
    if exercise.setup:
        lines.append(exercise.setup)
    if exercise.equipment:
        lines.append("You need: " + ", ".join(exercise.equipment))
    return lines


def next_words(plan: Plan, index: int) -> str:
    """What comes after step `index`: the full screen's Next line, but the next set of the same
    exercise in a line's words ('Next: set 2 of 2 · right leg works · rep 1 of 10')."""
    step = plan.steps[index]
    after = upcoming_index(plan.steps, index)
    upcoming = plan.steps[after] if after < len(plan.steps) else None
    if (
        upcoming is not None
        and upcoming.is_work
        and upcoming.exercise_index == step.exercise_index
        and upcoming.block != step.block
    ):
        return f"Next: {where_words(upcoming)}"
    return describe_upcoming(plan, upcoming, step)
