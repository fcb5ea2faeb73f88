"""A session in words: the countdown, where you are, and what comes next.

The full screen shows these; plain narration says them.
"""

from __future__ import annotations

import math

from coach.durations import clock, spoken
from coach.plan import Plan, Step
from coach.plan_view import step_label
from coach.session import SessionView
from coach.sides import side_works, switch_to_words


def countdown_text(view: SessionView) -> str:
    """Whole seconds (m:ss from a minute up); the rep number for a self-paced rep."""
    if view.remaining is None:
        return str(view.step.rep or "")
    whole = max(0, math.ceil(view.remaining - 1e-6))
    return clock(whole) if whole >= 60 else str(whole)


def where_text(step: Step, short: bool = False) -> str:
    """'Rep 1/10 · Set 1/2 · Right leg works · lying on your left side'; `short` for a small
    screen ('… · Right leg')."""
    parts = []
    if step.rep is not None and step.reps > 1 and step.phase not in ("rest", "switch", "ready"):
        parts.append(f"Rep {step.rep}/{step.reps}")
    return " · ".join(p for p in (*parts, step_label(step, short)) if p)


def describe_upcoming(plan: Plan, step: Step | None, current: Step) -> str:
    """The Next line: what comes after `current` (`step`, from the engine's view)."""
    if step is None:
        return "Next: the finish"
    if step.phase == "rest":
        what = "relax" if step.rest_kind == "relax" else "rest"
        return f"Next: {what} {spoken(step.seconds or 0)}"
    if step.phase == "switch":
        return f"Next: {switch_to_words(step.side, step.side_is)}"
    if step.phase == "ready" or step.exercise_index != current.exercise_index:
        return f"Next: {step.exercise}"
    if step.block is not None and step.block == current.block and step.rep is not None:
        rep = "hold" if plan.blocks[step.block].holds else "rep"
        return f"Next: {rep} {step.rep} of {step.reps}"
    label = step_label(step)
    return f"Next: {label}" if label else f"Next: {step.exercise}"


def where_words(step: Step) -> str:
    """Where a step is, as a line says it: 'set 1 of 2 · right leg works · forward · rep 3 of
    10', leaving out what does not apply (one set, one rep, no side, no direction)."""
    parts = []
    if step.set is not None and step.sets > 1:
        parts.append(f"set {step.set} of {step.sets}")
    if step.side:
        parts.append(side_works(step.side, step.side_is))
    if step.direction:
        parts.append(step.direction)
    if step.rep is not None and step.reps > 1 and step.is_work:
        parts.append(f"rep {step.rep} of {step.reps}")
    return " · ".join(parts)
