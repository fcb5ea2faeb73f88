"""The end of a plain narration: what was done and how long it took, the check-in after, and
the next step the rules propose for the dose, asked as questions.

Each proposal that would change a dose is a question: y keeps the new dose, n keeps the dose
as it is, e takes other values (`reps 12`, `reps=12 hold=5`); an empty line or closed input
changes nothing and leaves the proposal waiting. History is read and written off the loop.
"""

from __future__ import annotations

import asyncio
from functools import partial
from pathlib import Path

from coach.counts import count_sets
from coach.durations import plural, spoken
from coach.history.model import HistoryError
from coach.plain_talk import Talk
from coach.proposals import (
    HOW_TO_EDIT,
    SAVE_WAIT,
    answer,
    answered_line,
    checked_values,
    label,
    next_steps,
    question_line,
)
from coach.resume import seconds_left, sets_left
from coach.runner import SessionResult
from coach.sound import Beeper, PlaysoundBeeper


async def finish(talk: Talk, result: SessionResult, beeper: Beeper, data_dir: Path) -> None:
    """What was done, how long it took, the check-in after, and the next step."""
    say = talk.say
    say("Well done: routine complete." if result.completed else "Session stopped.")
    counts = count_sets(result.records, sets_left(result.plan, result.start_index))
    done = sum(count.done for count in counts)
    planned = sum(count.planned for count in counts)
    took = spoken(result.elapsed)
    planned_time = spoken(seconds_left(result.plan, result.start_index))
    say(f"{done} of {plural(planned, 'set')} done · {took} (planned {planned_time})")
    for count in counts:
        name = result.plan.exercise_names[count.exercise_index]
        say(f"{name}: sets {count.sets_text()} · reps {count.reps_text()}")
    for words in result.hurt_words():
        say(words)
    recorder = result.recorder
    if isinstance(beeper, PlaysoundBeeper):  # the last cue plays out before it closes
        await asyncio.to_thread(beeper.wait)
    if recorder is None or not recorder.began or not (result.records or result.completed):
        return
    pain = await talk.ask_scale("Pain now, 0–10?")
    effort = await talk.ask_scale("Effort, 0–10?")
    say("A note? Type it, or press Enter to skip.")
    note = await talk.input.get()
    recorder.check_in(pain_after=pain, effort=effort, note=(note or "").strip() or None)
    if recorder.problem is None:
        await next_step(talk, result, data_dir)


async def next_step(talk: Talk, result: SessionResult, data_dir: Path) -> None:
    """The rules' proposals after the session just saved, asked one at a time."""
    recorder = result.recorder
    assert recorder is not None
    if not await asyncio.to_thread(recorder.flush, SAVE_WAIT):
        talk.warn("history is busy: `coach today` shows your next step once it is saved")
        return
    store = recorder.store
    try:
        steps = await asyncio.to_thread(
            next_steps, store, result.entry, recorder.session_id, data_dir
        )
    except HistoryError as exc:
        talk.warn(f"could not read your next step: {exc}")
        return
    if steps.empty:
        return
    talk.say("Your next step:")
    if steps.safety and steps.questions:
        talk.say(f"Safety: {steps.safety}")
    reason = ""
    for proposal in steps.questions:
        if talk.input.closed:  # nobody can answer: the rest stay waiting
            break
        if proposal.reason != reason:
            reason = proposal.reason
            talk.say(f"{label(proposal)}: {reason}.")
        said = await talk.ask_yes_no_edit(question_line(proposal))
        values = None
        if said == "edit":
            values = await talk.ask_text(
                f"{HOW_TO_EDIT} (Enter: no change now).", partial(checked_values, proposal)
            )
            if values is None:
                said = None
        if said is not None:
            try:
                await asyncio.to_thread(
                    answer, store, proposal, said, recorder.clock.wall(), values
                )
            except (HistoryError, ValueError) as exc:
                talk.warn(f"your answer was not kept: {exc}")
                continue
        talk.say(answered_line(proposal, said, values))
    if steps.safety and not steps.questions:
        talk.say(f"Safety: {steps.safety}")
    for line in steps.notes:
        talk.say(line)
