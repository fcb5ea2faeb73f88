"""Sides name the working leg: the words, and every text surface that shows them."""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta
from pathlib import Path

import pytest
from rich.console import Console

from coach.history.export import CSV_COLUMNS, export_csv, export_json
from coach.history.sqlite import MemoryStore
from coach.plan import Plan, build_plan
from coach.plan_view import render_plan, step_label
from coach.recorder import SessionRecorder
from coach.resume import offer_lines
from coach.routine import RoutineEntry
from coach.routine_yaml import parse_routine
from coach.session import Session
from coach.session_text import describe_upcoming, where_text
from coach.sides import (
    side_short,
    side_words,
    side_works,
    switch_to_words,
    switch_words,
    working_side,
)
from coach.testing import FakeClock
from tests.unit.test_recorder import run_through as walk_through

SIDES = """\
title: Sides
get_ready: 5
switch_sides: 3
exercises:
  - name: Clamshell
    sets: 2
    reps: 2
    hold: 1
    sides: both
    side_is: lying_on
    rest: 5
    tempo: {move: 1, release: 1}
  - name: Kneeling stretch
    reps: 1
    hold: 10
    sides: both
    side_is: kneeling
    tempo: {move: 0, release: 0}
  - name: Monster walk
    reps: 2
    sides: both
    side_is: leading
    first_side: right
    self_paced: true
  - name: Side leg raise
    reps: 2
    sides: both
    self_paced: true
"""


@pytest.fixture
def plan() -> Plan:
    return build_plan(parse_routine(SIDES), "sides")


def test_the_words_for_each_kind_of_side() -> None:
    assert side_words("left", "lying_on") == "Right leg works · lying on your left side"
    assert side_words("left", "lying_on", short=True) == "Right leg"
    assert side_short("left", "lying_on") == "right leg"
    assert side_words("right") == "Right leg works"
    assert side_words("right", "working", short=True) == "Right leg"
    assert side_words("left", "kneeling") == "Left knee down · stretching the left hip"
    assert side_short("left", "kneeling") == "left knee down"
    assert side_words("left", "leading") == "Left foot leads"
    assert side_short("left", "leading") == "left foot leads"
    assert side_words(None, "lying_on") == ""
    # inside a line of plain narration: the leg that works, without the side lain on
    assert side_works("left", "lying_on") == "right leg works"
    assert side_works("left", "kneeling") == "left knee down"
    assert side_works("right", "leading") == "right foot leads"
    assert side_works(None) == ""
    assert [working_side("left", kind) for kind in ("working", "lying_on", "kneeling")] == [
        "left",
        "right",
        "left",
    ]
    assert working_side(None, "lying_on") is None
    assert switch_words("left") == "Switch: now your left leg"
    assert switch_words("right", "lying_on") == "Switch: now your left leg · lie on your right side"
    assert switch_words("right", "kneeling") == "Switch: now your right knee down"
    assert switch_words("left", "leading") == "Switch: now your left foot leading"
    assert (
        switch_to_words("right", "lying_on") == "switch to your left leg · lie on your right side"
    )


def test_steps_carry_what_their_side_names(plan: Plan) -> None:
    ready = plan.steps[0]
    assert (ready.side, ready.side_is, ready.working_side) == ("left", "lying_on", "right")
    assert step_label(ready) == "Set 1/2 · Right leg works · lying on your left side"
    assert step_label(ready, short=True) == "Set 1/2 · Right leg"
    hold = next(s for s in plan.steps if s.phase == "hold")
    assert where_text(hold) == "Rep 1/2 · Set 1/2 · Right leg works · lying on your left side"
    assert where_text(hold, short=True) == "Rep 1/2 · Set 1/2 · Right leg"
    data = plan.to_json()["steps"][0]
    assert (data["side"], data["side_is"], data["working_side"]) == ("left", "lying_on", "right")
    kneel = next(s for s in plan.steps if s.exercise == "Kneeling stretch" and s.phase == "hold")
    assert step_label(kneel) == "Left knee down · stretching the left hip"
    walk = next(s for s in plan.steps if s.exercise == "Monster walk" and s.phase == "rep")
    assert step_label(walk, short=True) == "Right foot leads"


def test_the_next_line_and_the_switch_name_the_new_working_leg(plan: Plan) -> None:
    steps = plan.steps
    switch = next(i for i, s in enumerate(steps) if s.phase == "switch")
    before = steps[switch - 1]
    text = describe_upcoming(plan, steps[switch], before)
    assert text == "Next: switch to your left leg · lie on your right side"
    after = describe_upcoming(plan, steps[switch + 1], steps[switch])
    assert after == "Next: Set 1/2 · Left leg works · lying on your right side"
    plain = next(s for s in steps if s.phase == "switch" and s.exercise == "Side leg raise")
    assert describe_upcoming(plan, plain, steps[0]) == "Next: switch to your right leg"


def test_coach_plan_names_the_working_leg(plan: Plan) -> None:
    entry = RoutineEntry("sides", Path("sides.yaml"), parse_routine(SIDES))
    console = Console(width=120, file=io.StringIO(), record=True)
    console.print(render_plan(entry, plan))
    text = console.export_text()
    assert "GET READY · Right leg works · lying on your left side" in text
    assert "Set 1/2 · Right leg works · lying on your left side: 2 ×" in text
    assert "Switch: now your left leg · lie on your right side" in text
    assert "Left knee down · stretching the left hip: 1 ×" in text
    assert "Switch: now your right knee down" in text
    assert "Right foot leads: 2 ×" in text
    assert "· Left side" not in text and "SWITCH SIDES to" not in text  # as it read before
    console = Console(width=160, file=io.StringIO(), record=True)
    console.print(render_plan(entry, plan, every_step=True))
    assert "Set 2/2 · Left leg works · lying on your right side" in console.export_text()


def run_through(plan: Plan, store: MemoryStore) -> SessionRecorder:
    clock = FakeClock()
    recorder = SessionRecorder(store, clock, plan)
    recorder.begin()
    walk_through(Session(plan, clock), clock, recorder)
    recorder.end("completed")
    assert recorder.flush(5)
    return recorder


def test_history_keeps_the_working_leg_and_the_export_adds_it(plan: Plan) -> None:
    store = MemoryStore()
    recorder = run_through(plan, store)
    assert recorder.session_id is not None
    detail = store.detail(recorder.session_id)
    assert detail is not None
    clam = [(s.side, s.side_is, s.working_side) for s in detail.sets if s.exercise_index == 0]
    assert clam == [
        ("left", "lying_on", "right"),
        ("right", "lying_on", "left"),
        ("left", "lying_on", "right"),
        ("right", "lying_on", "left"),
    ]
    # 2 clamshell sets on each side, 1 stretch, 1 walk and 1 raise on each side: 5 sets
    assert detail.session.planned_sets == 5
    columns = list(CSV_COLUMNS)
    assert columns.index("working_leg") == columns.index("side") + 1
    assert columns.index("sets_done") == columns.index("planned_sets") + 1
    rows = list(csv.DictReader(io.StringIO(export_csv(store))))
    assert [(r["side"], r["working_leg"]) for r in rows[:2]] == [
        ("left", "right"),
        ("right", "left"),
    ]
    assert {(r["planned_sets"], r["sets_done"]) for r in rows} == {("5", "5")}
    session = json.loads(export_json(store))[0]
    assert (session["planned_sets"], session["sets_done"]) == (5, 5)
    kneel = [s for s in session["sets"] if s["exercise"] == "Kneeling stretch"]
    assert [(s["side"], s["working_leg"]) for s in kneel] == [("left", "left"), ("right", "right")]
    assert store.recent()[0].done == 1.0


def test_the_resume_offer_names_the_working_leg(plan: Plan) -> None:
    from coach.history.model import SetRecord
    from coach.resume import find_offer

    store, clock = MemoryStore(), FakeClock()
    entry = RoutineEntry("sides", Path("sides.yaml"), parse_routine(SIDES))
    start = clock.wall()
    session = store.start_session("sides", "Sides", start, planned_sets=5)
    for n, side in enumerate(("left", "right"), 1):
        record = SetRecord(
            0,
            "Clamshell",
            1,
            start + timedelta(minutes=n),
            side=side,
            reps=2,
            side_is="lying_on",
            working_side=working_side(side, "lying_on"),
        )
        store.record_set(session, record)
    store.finish_session(session, start + timedelta(minutes=3), "interrupted")
    clock.advance(60)
    offer = find_offer(store, clock.wall(), entry, lambda _: None)
    assert offer is not None
    _, stopped, picks_up = offer_lines(offer)
    assert "after Clamshell, set 1, left leg; 1 of 5 sets were done." in stopped
    assert (
        picks_up
        == "Resuming picks up at Clamshell, set 2/2 · right leg works · lying on your left side."
    )
