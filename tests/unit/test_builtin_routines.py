"""The built-in routines against their articles: doses, order and sides."""

from __future__ import annotations

from pathlib import Path

import pytest

from coach.paths import builtin_routines_dir
from coach.plan import build_plan
from coach.routine import Exercise, Routine
from coach.routine_yaml import load_routine


def builtin(name: str) -> Routine:
    return load_routine(builtin_routines_dir() / f"{name}.yaml")


def by_name(routine: Routine) -> dict[str, Exercise]:
    return {ex.name: ex for ex in routine.exercises}


def test_builtins_are_exactly_three_and_name_their_article() -> None:
    files = sorted(p.stem for p in Path(builtin_routines_dir()).glob("*.yaml"))
    assert files == ["home-basics", "low-back", "pre-run"]
    assert builtin("pre-run").source == "Back Pain? It's All in The Hips"
    assert builtin("low-back").source == "Is Hip Weakness Contributing to Your Back Pain?"
    assert builtin("home-basics").source == "Managing Back Pain & Hip Strengthening"
    for name in files:
        safety = builtin(name).safety.lower()
        assert "physician" in safety and "sharp pain" in safety


def test_low_back_follows_the_article() -> None:
    r = builtin("low-back")
    assert [ex.name for ex in r.exercises] == [
        "Clamshell",
        "Side-lying hip abduction",
        "Quadruped hip extension with knee flexion",
        "Cook hip lift",
        "Lateral step down",
    ]
    ex = by_name(r)
    for name in (
        "Clamshell",
        "Side-lying hip abduction",
        "Quadruped hip extension with knee flexion",
        "Cook hip lift",
    ):
        assert ex[name].hold == 2, name
        assert ex[name].sides == "both", name
    step_down = ex["Lateral step down"]
    assert 8 <= step_down.reps <= 10 and step_down.hold == 0 and step_down.sides == "both"
    assert any("8 inches" in item for item in step_down.equipment)
    assert "45 degrees" in ex["Clamshell"].setup
    assert any("30 degrees" in c for c in ex["Side-lying hip abduction"].cues)
    assert "15" in ex["Side-lying hip abduction"].progression
    assert any("90 degrees" in c for c in ex["Quadruped hip extension with knee flexion"].cues)
    assert any("roll backwards" in m for m in ex["Clamshell"].mistakes)
    plan = build_plan(r, "low-back")
    holds = [s for s in plan.steps if s.phase == "hold"]
    assert holds and all(s.seconds == 2 for s in holds)


def test_pre_run_follows_the_article() -> None:
    r = builtin("pre-run")
    assert [ex.name for ex in r.exercises] == [
        "Kneeling 3-way hip flexor stretch",
        "Donkey kicks",
        "Monster walk",
        "Bridge with a ball squeeze",
    ]
    flexor, donkey, monster, bridge = r.exercises
    assert flexor.hold == 30 and flexor.sets == 2 and flexor.sides == "both"
    assert len(flexor.directions) == 3 and flexor.first_side == "right"
    assert donkey.sides == "alternate" and "resistance band" in donkey.equipment
    assert any("90 degrees" in c for c in donkey.cues)
    assert monster.sides == "alternate" and monster.directions == ["forward", "backward"]
    assert monster.first_side == "right"
    assert bridge.hold == 30 and bridge.reps == 15 and 2 <= bridge.sets <= 3
    assert "pre-workout" in r.tags and "runner" in r.summary.lower()


def test_home_basics_follows_the_article() -> None:
    kick, stretch = builtin("home-basics").exercises
    assert kick.directions == ["forward", "side", "back"] and kick.reps == 10
    assert kick.sides == "both" and kick.hold == 0
    assert stretch.hold == 30 and stretch.reps == 3 and stretch.sides == "both"
    plan = build_plan(builtin("home-basics"), "home-basics")
    kicks = [s for s in plan.steps if s.exercise == kick.name and s.phase == "move"]
    assert len(kicks) == 10 * 3 * 2
    holds = [s for s in plan.steps if s.exercise == stretch.name and s.phase == "hold"]
    assert [(s.side, s.seconds) for s in holds] == [("left", 30)] * 3 + [("right", 30)] * 3


@pytest.mark.parametrize("name", ["home-basics", "low-back", "pre-run"])
def test_builtin_plans_add_up(name: str) -> None:
    plan = build_plan(builtin(name), name)
    assert plan.total_seconds == pytest.approx(sum(s.seconds or 0 for s in plan.steps))
    assert plan.steps[0].phase == "ready"
    assert all(s.seconds is not None for s in plan.steps)
