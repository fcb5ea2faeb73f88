"""The Next line never skips: at every step it names what really comes next in the plan."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coach.catalog import resolve
from coach.plan import Plan, build_plan
from coach.routine_yaml import parse_routine
from coach.session import Session, upcoming_index
from coach.session_text import describe_upcoming
from coach.testing import FakeClock

STRETCH = """\
title: Stretch
get_ready: 5
exercises:
  - name: Hamstring stretch
    reps: 3
    hold: 30
    relax: 10
    sides: both
"""


def check_every_step(plan: Plan) -> None:
    steps = plan.steps
    for index, step in enumerate(steps):
        after = upcoming_index(steps, index)
        # Everything skipped over is the rest of this run of reps: no rest, relax, switch,
        # get-ready, other set or other side is ever passed by (a set that alternates sides
        # rep by rep is one run).
        for skipped in steps[index + 1 : after]:
            assert step.is_work and skipped.is_work and skipped.block == step.block
            block = plan.blocks[skipped.block or 0]
            assert skipped.side == step.side or block.side is None
        upcoming = steps[after] if after < len(steps) else None
        if upcoming is not None and step.is_work:
            assert not (upcoming.is_work and upcoming.block == step.block)
        session = Session(plan, FakeClock(), start_index=index)
        assert session.upcoming() == upcoming
        text = describe_upcoming(plan, upcoming, step)
        assert text.startswith("Next: ")
        if upcoming is None:
            assert text == "Next: the finish"
        elif upcoming.phase == "switch":
            assert upcoming.side is not None and upcoming.side in text
        elif upcoming.phase == "rest":
            assert ("relax" if upcoming.rest_kind == "relax" else "rest") in text
        elif upcoming.exercise_index != step.exercise_index or upcoming.phase == "ready":
            assert upcoming.exercise in text
        elif upcoming.block == step.block:
            assert f"{upcoming.rep} of {upcoming.reps}" in text


def test_the_stretch_names_each_hold_and_relax_before_the_switch() -> None:
    plan = build_plan(parse_routine(STRETCH), "stretch")
    steps = plan.steps
    texts = []
    for index, step in enumerate(steps):
        if step.phase in ("hold", "rest", "switch"):
            upcoming = Session(plan, FakeClock(), start_index=index).upcoming()
            texts.append(f"{step.word}: {describe_upcoming(plan, upcoming, step)}")
    assert texts[:6] == [
        "HOLD: Next: relax 10 s",
        "RELAX: Next: hold 2 of 3",
        "HOLD: Next: relax 10 s",
        "RELAX: Next: hold 3 of 3",
        "HOLD: Next: switch to your right leg",
        "SWITCH SIDES: Next: Right leg works",
    ]
    check_every_step(plan)


@pytest.mark.parametrize("name", ["low-back", "pre-run", "home-basics"])
def test_every_step_of_the_built_in_routines(name: str, data_dir: Path) -> None:
    entry = resolve(name, data_dir)
    check_every_step(build_plan(entry.routine, entry.id))


EXERCISE = st.fixed_dictionaries(
    {
        "sets": st.integers(1, 3),
        "reps": st.integers(1, 4),
        "hold": st.sampled_from([0, 2]),
        "relax": st.sampled_from([0, 3]),
        "rest": st.sampled_from([0, 5]),
        "sides": st.sampled_from(["none", "both", "alternate"]),
        "directions": st.sampled_from([[], ["forward", "back"]]),
        "self_paced": st.booleans(),
    }
)


@settings(max_examples=80, deadline=None)
@given(exercises=st.lists(EXERCISE, min_size=1, max_size=3), between=st.sampled_from([0, 7]))
def test_every_step_of_generated_routines(exercises: list[dict[str, object]], between: int) -> None:
    lines = ["title: Generated", f"rest_between_exercises: {between}", "exercises:"]
    for n, exercise in enumerate(exercises):
        lines.append(f"  - name: Exercise {n + 1}")
        lines += [f"    {key}: {value}" for key, value in exercise.items()]
    text = "\n".join(lines).replace("True", "true").replace("False", "false")
    text = text.replace("['forward', 'back']", "[forward, back]")
    check_every_step(build_plan(parse_routine(text), "generated"))
