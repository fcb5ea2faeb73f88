from __future__ import annotations

from pathlib import Path

import pytest

from coach.paths import builtin_routines_dir
from coach.plan import build_plan
from coach.routine import Exercise, Routine
from coach.routine_yaml import load_routine, parse_routine


def plan_of(exercise_yaml: str, head: str = "") -> list[tuple[object, ...]]:
    text = f"title: T\nget_ready: 5\nswitch_sides: 3\n{head}exercises:\n{exercise_yaml}"
    plan = build_plan(parse_routine(text), "t")
    return [(s.phase, s.side, s.set, s.direction, s.rep, s.seconds) for s in plan.steps]


def test_plain_reps_one_side() -> None:
    steps = plan_of("  - name: A\n    reps: 2\n    tempo: {move: 1, release: 1.5}\n")
    assert steps == [
        ("ready", None, 1, None, None, 5),
        ("move", None, 1, None, 1, 1),
        ("release", None, 1, None, 1, 1.5),
        ("move", None, 1, None, 2, 1),
        ("release", None, 1, None, 2, 1.5),
    ]


def test_both_sides_sets_and_rest() -> None:
    steps = plan_of(
        "  - name: A\n    sets: 2\n    reps: 1\n    hold: 2\n    sides: both\n"
        "    rest: 30\n    tempo: {move: 1, release: 1}\n"
    )
    assert steps == [
        ("ready", "left", 1, None, None, 5),
        ("move", "left", 1, None, 1, 1),
        ("hold", "left", 1, None, 1, 2),
        ("release", "left", 1, None, 1, 1),
        ("switch", "right", 1, None, None, 3),
        ("move", "right", 1, None, 1, 1),
        ("hold", "right", 1, None, 1, 2),
        ("release", "right", 1, None, 1, 1),
        ("rest", None, 1, None, None, 30),
        ("move", "left", 2, None, 1, 1),
        ("hold", "left", 2, None, 1, 2),
        ("release", "left", 2, None, 1, 1),
        ("switch", "right", 2, None, None, 3),
        ("move", "right", 2, None, 1, 1),
        ("hold", "right", 2, None, 1, 2),
        ("release", "right", 2, None, 1, 1),
    ]


def test_alternate_sides_with_directions_and_first_side() -> None:
    steps = plan_of(
        "  - name: A\n    reps: 2\n    sides: alternate\n    first_side: right\n"
        "    directions: [fwd, back]\n    tempo: {move: 2, release: 0}\n"
    )
    work = [(p, side, d, rep) for p, side, _, d, rep, _ in steps if p == "move"]
    assert work == [
        ("move", "right", "fwd", 1),
        ("move", "left", "fwd", 1),
        ("move", "right", "fwd", 2),
        ("move", "left", "fwd", 2),
        ("move", "right", "back", 1),
        ("move", "left", "back", 1),
        ("move", "right", "back", 2),
        ("move", "left", "back", 2),
    ]
    assert not [s for s in steps if s[0] == "switch"]


def test_directions_nest_inside_sides() -> None:
    steps = plan_of(
        "  - name: A\n    reps: 1\n    sides: both\n    directions: [f, s, b]\n"
        "    tempo: {move: 1, release: 1}\n"
    )
    order = [(side, d) for p, side, _, d, _, _ in steps if p == "move"]
    assert order == [
        ("left", "f"),
        ("left", "s"),
        ("left", "b"),
        ("right", "f"),
        ("right", "s"),
        ("right", "b"),
    ]


def test_relax_between_reps_and_rest_between_exercises() -> None:
    steps = plan_of(
        "  - name: A\n    reps: 2\n    hold: 30\n    relax: 10\n    tempo: {move: 0, release: 0}\n"
        "  - name: B\n    self_paced: true\n",
        head="rest_between_exercises: 20\n",
    )
    assert steps == [
        ("ready", None, 1, None, None, 5),
        ("hold", None, 1, None, 1, 30),
        ("rest", None, 1, None, 2, 10),
        ("hold", None, 1, None, 2, 30),
        ("rest", None, None, None, None, 20),
        ("ready", None, 1, None, None, 5),
        ("rep", None, 1, None, 1, None),
    ]


def test_total_and_blocks() -> None:
    text = (
        "title: T\nexercises:\n  - name: A\n    sets: 2\n    reps: 3\n    hold: 2\n"
        "    sides: both\n    rest: 30\n"
    )
    plan = build_plan(parse_routine(text), "t")
    # ready 10 + 2 sets x 2 sides x 3 reps x (2 + 2 + 2) + 2 switches x 5 + 1 rest x 30
    assert plan.total_seconds == 10 + 2 * 2 * 3 * 6 + 2 * 5 + 30
    assert plan.total_seconds == sum(s.seconds or 0 for s in plan.steps)
    assert [(b.set, b.side, b.reps, b.holds) for b in plan.blocks] == [
        (1, "left", 3, 3),
        (1, "right", 3, 3),
        (2, "left", 3, 3),
        (2, "right", 3, 3),
    ]
    for block in plan.blocks:
        assert all(s.block == plan.blocks.index(block) for s in plan.steps[block.start : block.end])
    data = plan.to_json()
    assert set(data) == {"routine", "title", "total_seconds", "steps"}
    assert {"exercise", "phase", "side", "set", "rep", "direction", "seconds"} <= set(
        data["steps"][0]
    )


# ---------------------------------------------------------------- the built-in routines


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
