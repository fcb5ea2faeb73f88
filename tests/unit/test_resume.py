"""Resuming: which session is offered, what is left of it, and what each answer does."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from coach.history.model import SetRecord
from coach.history.sqlite import MemoryStore
from coach.plan import build_plan
from coach.resume import (
    RESUME_WINDOW,
    Answer,
    ResumeOffer,
    answer,
    find_offer,
    offer_lines,
    offered_since,
    resuming_at,
    seconds_left,
    sets_left,
)
from coach.routine import RoutineEntry
from coach.routine_yaml import parse_routine
from coach.testing import FakeClock

ROUTINE = """\
title: Hips [daily]
exercises:
  - name: Clamshell
    sets: 2
    reps: 3
    sides: both
  - name: Bridge
    reps: 2
"""


@pytest.fixture
def entry() -> RoutineEntry:
    return RoutineEntry("hips", Path("hips.yaml"), parse_routine(ROUTINE))


def interrupt(store: MemoryStore, clock: FakeClock, entry: RoutineEntry, sets: int) -> int:
    """A session of `entry` that got `sets` sets of Clamshell in, then was cut off."""
    session = store.start_session(entry.id, entry.routine.title, clock.wall(), planned_sets=3)
    for n, side in list(zip((1, 1, 2, 2), ("left", "right") * 2, strict=True))[:sets]:
        clock.advance(30)
        store.record_set(session, SetRecord(0, "Clamshell", n, clock.wall(), side=side, reps=3))
    store.finish_session(session, clock.wall(), "interrupted")
    return session


def offer(store: MemoryStore, clock: FakeClock, entry: RoutineEntry) -> ResumeOffer | None:
    return find_offer(store, clock.wall(), entry, lambda _: None)


def test_the_offer_picks_up_after_the_last_set_and_says_so(entry: RoutineEntry) -> None:
    store, clock = MemoryStore(), FakeClock()
    session = interrupt(store, clock, entry, sets=2)
    clock.advance(600)
    found = offer(store, clock, entry)
    assert found is not None and found.session.id == session
    assert found.plan.steps[found.start_index].phase == "rest"  # the rest leads in to set 2
    step = found.plan.steps[found.start_index + 1]
    assert (step.set, step.side, step.rep) == (2, "left", 1)
    question, stopped, picks_up = offer_lines(found)
    assert question == "Resume Hips [daily]?"
    assert (
        stopped == "It stopped 10 min ago after Clamshell, set 1, right leg; 1 of 3 sets were done."
    )
    assert picks_up == "Resuming picks up at Clamshell, set 2/2 · left leg works."
    # The briefing names the set it picks up at, not the rest that leads in to it.
    assert resuming_at(found.plan, found.start_index) == "Clamshell · Set 2/2 · Left leg works"
    assert resuming_at(found.plan, 0) is None


def test_nothing_is_offered_after_the_window_or_for_a_finished_routine(
    entry: RoutineEntry,
) -> None:
    store, clock = MemoryStore(), FakeClock()
    interrupt(store, clock, entry, sets=2)
    assert offered_since(clock.wall()) == clock.wall() - RESUME_WINDOW
    clock.advance(RESUME_WINDOW.total_seconds() + 1)
    assert offer(store, clock, entry) is None
    other = RoutineEntry(
        "hips", Path("hips.yaml"), parse_routine(ROUTINE.replace("Clamshell", "Kick"))
    )
    interrupt(store, clock, entry, sets=2)
    assert offer(store, clock, other) is None  # the routine no longer has that set


def test_start_over_drops_the_offer_and_not_now_keeps_it(entry: RoutineEntry) -> None:
    store, clock = MemoryStore(), FakeClock()
    interrupt(store, clock, entry, sets=1)
    found = offer(store, clock, entry)
    assert found is not None
    answer(store, found, Answer.NOT_NOW)
    assert offer(store, clock, entry) == found
    answer(store, found, Answer.RESUME)  # the resumed session links back; nothing to drop here
    assert offer(store, clock, entry) == found
    answer(store, found, Answer.START_OVER)
    assert offer(store, clock, entry) is None


def test_what_is_left_counts_only_the_sets_after_the_resume_point(entry: RoutineEntry) -> None:
    plan = build_plan(entry.routine, entry.id)
    assert len(sets_left(plan, 0)) == 5
    assert seconds_left(plan, 0) == plan.total_seconds
    third = plan.blocks[2]
    assert [(b.exercise_index, b.set) for b in sets_left(plan, third.start)] == [
        (0, 2),
        (0, 2),
        (1, 1),
    ]
    assert [b.set for b in sets_left(plan, third.start, exercise_index=0)] == [2, 2]
    assert seconds_left(plan, third.start) == plan.total_seconds - plan.starts[third.start]


def test_an_offer_of_another_routine_is_found_by_id(entry: RoutineEntry) -> None:
    store, clock = MemoryStore(), FakeClock()
    interrupt(store, clock, entry, sets=1)
    asked: list[str] = []

    def find(routine_id: str) -> RoutineEntry | None:
        asked.append(routine_id)
        return entry

    found = find_offer(store, clock.wall() + timedelta(minutes=1), None, find)
    assert asked == ["hips"] and found is not None and found.entry is entry


def test_saying_no_means_not_now_on_home_and_start_over_on_run() -> None:
    assert Answer.declined(on_home=True) is Answer.NOT_NOW
    assert Answer.declined(on_home=False) is Answer.START_OVER
