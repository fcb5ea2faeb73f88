"""The one home of resuming: which cut-off session is offered, how old it may be, what is left
of it, where it starts again, and what Start over and Not now do.

Home, `coach run`, the session's briefing, the recorder and the summary ask this module;
nothing else decides anything about resuming.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from pathlib import Path

from coach.counts import sets_done
from coach.durations import ago
from coach.history.model import HistoryError, SessionRecord, SetRecord, Store
from coach.plan import Block, Plan, PlanTooLong, Step, build_plan
from coach.plan_view import step_label
from coach.routine import RoutineEntry
from coach.sides import side_short

RESUME_WINDOW = timedelta(hours=24)
"""A session cut off longer ago than this is not offered any more."""


class Answer(StrEnum):
    """What the person said to the offer."""

    RESUME = "resume"
    START_OVER = "start over"  # on `coach run ROUTINE`: never ask about that session again
    NOT_NOW = "not now"  # on Home: ask again next time, until a newer session of the routine

    @classmethod
    def declined(cls, on_home: bool) -> Answer:
        """What saying no means where the offer was made: on Home, where the person is choosing
        a routine, only "not now"; on `coach run ROUTINE`, "start over"."""
        return cls.NOT_NOW if on_home else cls.START_OVER


@dataclass(frozen=True)
class ResumeOffer:
    """An interrupted session, the routine it ran, and the step to start again from."""

    session: SessionRecord
    entry: RoutineEntry
    plan: Plan
    start_index: int
    last: SetRecord
    sets_done: int
    ago: timedelta


def offered_since(now: datetime) -> datetime:
    """The earliest start of a session that may still be offered at `now`."""
    return now - RESUME_WINDOW


def find_offer(
    store: Store,
    now: datetime,
    routine: RoutineEntry | None,
    find_routine: Callable[[str], RoutineEntry | None],
    personal: Callable[[RoutineEntry], tuple[RoutineEntry, Plan]] | None = None,
) -> ResumeOffer | None:
    """The session to offer, if one was cut off in the window (of `routine` if given) and its
    routine (found by id with `find_routine` when no routine is given) still has that set and
    something after it. `personal` gives the routine as the person does it (their dose) and
    its plan, so the offer picks up in the plan the session will run."""
    try:
        record = store.resumable(routine.id if routine else None, offered_since(now))
        detail = store.detail(record.id) if record is not None else None
    except HistoryError:
        return None
    if record is None or detail is None or not detail.sets:
        return None
    entry = routine if routine is not None else find_routine(record.routine_id)
    if entry is None:
        return None
    try:
        if personal is not None:
            entry, plan = personal(entry)
        else:
            plan = build_plan(entry.routine, entry.id)
    except PlanTooLong:
        return None
    last = detail.sets[-1]
    start = restart_index(plan, last)
    if start is None:
        return None
    done = sets_done(detail.sets)
    stopped_at = record.ended_at or record.started_at
    return ResumeOffer(record, entry, plan, start, last, done, now - stopped_at)


def catalog_finder(data_dir: Path) -> Callable[[str], RoutineEntry | None]:
    """Finds a routine by id among the built-in and the person's own, for `find_offer`."""

    def find(routine_id: str) -> RoutineEntry | None:
        from coach.catalog import cache_path, load_catalog

        for entry in load_catalog(data_dir, cache=cache_path(data_dir)).entries:
            if entry.id == routine_id:
                return entry
        return None

    return find


def answer(store: Store, offer: ResumeOffer, said: Answer) -> None:
    """Carry out the policy for what was said: Start over drops the offer for good; Not now
    and Resume leave it to the history (a resumed session links back, so it is not offered
    again). A history failure only means the offer may come again."""
    if said is Answer.START_OVER:
        with contextlib.suppress(HistoryError):
            store.dismiss(offer.session.id)


def restart_index(plan: Plan, last: SetRecord) -> int | None:
    """Where to pick up after `last`, the latest set a session saved: the next set, led in by
    the rest or side switch before it, or the next exercise's get-ready. None when nothing is left
    or the routine has changed so that the set is not in it any more."""
    blocks = plan.blocks
    for number, block in enumerate(blocks):
        if (block.exercise_index, block.set, block.side, block.direction) != (
            last.exercise_index,
            last.set_number,
            last.side,
            last.direction,
        ) or plan.exercise_names[block.exercise_index] != last.exercise:
            continue
        if number + 1 >= len(blocks):
            return None
        following = blocks[number + 1]
        if following.exercise_index != block.exercise_index:
            return _first_step_of_exercise(plan.steps, following.exercise_index)
        start = following.start
        if start > 0 and _leads_in(plan.steps[start - 1], following.exercise_index):
            return start - 1
        return start
    return None


def _leads_in(step: Step, exercise_index: int) -> bool:
    return step.exercise_index == exercise_index and step.phase in ("rest", "switch", "ready")


def _first_step_of_exercise(steps: tuple[Step, ...], exercise_index: int) -> int:
    return next(i for i, step in enumerate(steps) if step.exercise_index == exercise_index)


# -- what is left of a session that starts at `start_index` ------------------------------------


def sets_left(plan: Plan, start_index: int, exercise_index: int | None = None) -> list[Block]:
    """The sets a session starting at `start_index` has to do (of one exercise, if given);
    the sets before a resume point were the interrupted session's, not this one's."""
    return [
        block
        for block in plan.blocks
        if block.end > start_index
        and (exercise_index is None or block.exercise_index == exercise_index)
    ]


def seconds_left(plan: Plan, start_index: int) -> float:
    """The plan's time from `start_index` on (all of it for a session that was not resumed)."""
    return plan.seconds_after(start_index - 1)


def pick_up(plan: Plan, start_index: int) -> Step:
    """The first step of work a resumed session comes to (the set after its lead-in)."""
    return next(
        (step for step in plan.steps[start_index:] if step.block is not None),
        plan.steps[start_index],
    )


def _set_words(exercise: str, step_text: str) -> str:
    return f"{exercise}, {step_text.lower()}" if step_text else exercise


def offer_lines(offer: ResumeOffer) -> tuple[str, str, str]:
    """The offer in words: the question, where it stopped, and where it picks up."""
    last = offer.last
    planned = offer.session.planned_sets
    done = f"{offer.sets_done} of {planned}" if planned else str(offer.sets_done)
    side = f", {side_short(last.side, last.side_is or 'working')}" if last.side else ""
    step = pick_up(offer.plan, offer.start_index)
    return (
        f"Resume {offer.entry.routine.title}?",
        f"It stopped {ago(offer.ago.total_seconds())} ago after {last.exercise}, "
        f"set {last.set_number}{side}; {done} sets were done.",
        f"Resuming picks up at {_set_words(step.exercise, step_label(step))}.",
    )


def resuming_at(plan: Plan, start_index: int) -> str | None:
    """For the briefing: where a resumed session begins; None when it begins at the start."""
    if start_index <= 0:
        return None
    step = pick_up(plan, start_index)  # the set itself, not the rest or switch that leads in
    where = step_label(step)
    return f"{step.exercise}{' · ' + where if where else ''}"
