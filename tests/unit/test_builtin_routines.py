"""The built-in routines against their articles: doses, order, sides, and the reasons given.

The articles are quoted in each routine file's comments; these tests hold the facts a person
relies on (a warm-up that fits before a run, the article's dose where a routine says it keeps it,
which leg a side names).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from coach.paths import builtin_routines_dir
from coach.plan import build_plan
from coach.routine import Exercise, Routine
from coach.routine_yaml import load_routine

BUILTINS = ["home-basics", "low-back", "pre-run", "pre-run-strength"]
RUNNERS = "Back Pain? It's All in The Hips"
# The article's four exercises, in its order.
RUNNER_EXERCISES = [
    "Kneeling 3-way hip flexor stretch",
    "Donkey kicks",
    "Monster walk",
    "Bridge with a ball squeeze",
]


def builtin(name: str) -> Routine:
    return load_routine(builtin_routines_dir() / f"{name}.yaml")


def text_of(name: str) -> str:
    return (Path(builtin_routines_dir()) / f"{name}.yaml").read_text(encoding="utf-8")


def by_name(routine: Routine) -> dict[str, Exercise]:
    return {ex.name: ex for ex in routine.exercises}


def test_builtins_are_exactly_four_and_name_their_article() -> None:
    files = sorted(p.stem for p in Path(builtin_routines_dir()).glob("*.yaml"))
    assert files == BUILTINS
    assert builtin("pre-run").source == RUNNERS
    assert builtin("pre-run-strength").source == RUNNERS
    assert builtin("low-back").source == "Is Hip Weakness Contributing to Your Back Pain?"
    assert builtin("home-basics").source == "Managing Back Pain & Hip Strengthening"
    for name in files:
        safety = builtin(name).safety.lower()
        assert "physician" in safety and "sharp pain" in safety


@pytest.mark.parametrize("name", BUILTINS)
def test_builtin_plans_add_up(name: str) -> None:
    plan = build_plan(builtin(name), name)
    assert plan.total_seconds == pytest.approx(sum(s.seconds or 0 for s in plan.steps))
    assert plan.steps[0].phase == "ready"
    assert all(s.seconds is not None for s in plan.steps)


# ---------------------------------------------------------------- the runner's two routines


def test_pre_run_is_a_warm_up_of_at_most_15_minutes_with_every_exercise_in_order() -> None:
    r = builtin("pre-run")
    assert build_plan(r, "pre-run").total_seconds <= 900
    assert [ex.name for ex in r.exercises] == RUNNER_EXERCISES
    assert "warm-up" in r.tags and "strength" not in r.tags
    assert "runner" in r.summary.lower()
    flexor, donkey, monster, bridge = r.exercises
    # The stretch: the set the article describes, once each side, holds at the full 30 s.
    assert (flexor.sets, flexor.reps, flexor.hold, flexor.sides) == (1, 1, 30, "both")
    assert flexor.directions == ["forward", "open to the side", "turned out"]
    assert flexor.first_side == "right"
    assert "resistance band" in donkey.equipment
    assert any("90 degrees" in c for c in donkey.cues)
    assert monster.sides == "alternate" and monster.directions == ["forward", "backward"]
    assert monster.first_side == "right"
    # The bridge keeps the article's count and sets, with a short squeeze instead of 30 s.
    assert (bridge.sets, bridge.reps) == (2, 15) and 0 < bridge.hold < 30
    text = text_of("pre-run")
    for quoted in (
        '"Hold for up to 30 seconds"',
        '"with two sets of 10 in each direction"',
        '"Hold for 30 seconds"',
    ):
        assert quoted in text, quoted  # each choice quotes the words it rests on


def test_pre_run_strength_is_the_article_as_written_and_not_a_warm_up() -> None:
    r = builtin("pre-run-strength")
    assert [ex.name for ex in r.exercises] == RUNNER_EXERCISES
    assert "strength" in r.tags
    assert not {"warm-up", "pre-run"} & set(r.tags)
    assert "strength" in r.summary.lower() and "not as a warm-up" in r.summary
    flexor, donkey, monster, bridge = r.exercises
    assert (bridge.sets, bridge.reps, bridge.hold) == (2, 15, 30)
    assert (flexor.sets, flexor.reps, flexor.hold) == (2, 1, 30)
    plan = build_plan(r, "pre-run-strength")
    bridge_holds = [s for s in plan.steps if s.exercise == bridge.name and s.phase == "hold"]
    assert [s.seconds for s in bridge_holds] == [30] * 30
    flexor_holds = Counter(
        (s.set, s.side, s.direction, s.seconds)
        for s in plan.steps
        if s.exercise == flexor.name and s.phase == "hold"
    )
    assert flexor_holds == {
        (set_no, side, direction, 30): 1
        for set_no in (1, 2)
        for side in ("right", "left")
        for direction in flexor.directions
    }
    assert "about an hour" in text_of("pre-run-strength")  # why not ten holds in each position
    assert (donkey.reps, donkey.hold, monster.reps) == (10, 2, 5)  # as in the warm-up


def test_the_warm_up_and_the_strength_routine_differ_only_in_stretch_and_bridge() -> None:
    warm, strength = builtin("pre-run"), builtin("pre-run-strength")
    for a, b in zip(warm.exercises, strength.exercises, strict=True):
        same = ("side_is", "first_side", "directions", "setup", "cues", "mistakes", "equipment")
        assert [getattr(a, k) for k in same] == [getattr(b, k) for k in same], a.name
    seconds = build_plan(strength, "pre-run-strength").total_seconds
    assert 25 * 60 <= seconds <= 35 * 60  # "about half an hour", as its summary says


# ---------------------------------------------------------------- what a side names

# For every exercise with sides: what its left and right name, and which comes first.
SIDES = {
    ("pre-run", "Kneeling 3-way hip flexor stretch"): ("kneeling", "right"),
    ("pre-run", "Donkey kicks"): ("working", "left"),
    ("pre-run", "Monster walk"): ("leading", "right"),
    ("pre-run-strength", "Kneeling 3-way hip flexor stretch"): ("kneeling", "right"),
    ("pre-run-strength", "Donkey kicks"): ("working", "left"),
    ("pre-run-strength", "Monster walk"): ("leading", "right"),
    ("low-back", "Clamshell"): ("lying_on", "right"),
    ("low-back", "Side-lying hip abduction"): ("lying_on", "right"),
    ("low-back", "Quadruped hip extension with knee flexion"): ("working", "left"),
    ("low-back", "Cook hip lift"): ("working", "left"),
    ("low-back", "Lateral step down"): ("working", "left"),
    ("home-basics", "3-way kick"): ("working", "left"),
    ("home-basics", "Seated hamstring stretch"): ("working", "left"),
}


def test_every_exercise_with_sides_says_what_its_side_names() -> None:
    seen = {}
    for name in BUILTINS:
        sided = [ex for ex in builtin(name).exercises if ex.sides != "none"]
        for ex in sided:
            seen[(name, ex.name)] = (ex.side_is, ex.first_side)
        # Written out in the file, not left to the default: each one was decided.
        assert text_of(name).count("\n    side_is: ") == len(sided), name
    assert seen == SIDES


def test_setups_and_cues_name_the_side_the_way_side_is_does() -> None:
    for name in BUILTINS:
        for ex in builtin(name).exercises:
            words = " ".join([ex.setup, *ex.cues]).lower()
            assert "side shown" not in words, (name, ex.name)  # which side? say which leg
            if ex.sides == "none":
                continue
            if ex.side_is == "kneeling":
                assert "knee shown on the mat" in words, ex.name
            elif ex.side_is == "leading":
                assert "lead foot shown" in words, ex.name
            elif ex.side_is == "lying_on":
                assert "working leg on top" in words, (name, ex.name)
            else:
                assert "working" in words, (name, ex.name)
    low_back = by_name(builtin("low-back"))
    for lying in ("Clamshell", "Side-lying hip abduction"):
        assert low_back[lying].setup.startswith("Lie on your side with the working leg on top")


# ---------------------------------------------------------------- the reasons, carried over


def test_why_texts_carry_the_reasons_the_articles_give() -> None:
    for name in ("pre-run", "pre-run-strength"):
        flexor, donkey, monster, bridge = builtin(name).exercises
        # "Your Key to Less Pain": tight hips tell the glutes to switch off.
        assert "switch off" in flexor.why and "hose" in flexor.why
        assert "hip extensions" in donkey.why.lower() and "cycling" in donkey.why
        # The article says "adductors in the outer thigh"; the outer thigh's are the abductors.
        assert "abductors" in monster.why and "adductor" not in monster.why
        assert "hip flexor stretch" in bridge.why and "core" in bridge.why
    low_back = by_name(builtin("low-back"))
    # "Hip Weakness May Be Contributing…": weak hips let the knee cave into valgus, and weak
    # abductors make low back pain worse.
    assert "valgus" in low_back["Lateral step down"].why
    assert "caving inward" in low_back["Clamshell"].why
    abduction = low_back["Side-lying hip abduction"].why
    assert "abductors" in abduction and "low back pain" in abduction
    assert "back muscles" in builtin("low-back").summary
    basics = builtin("home-basics")
    kick, stretch = basics.exercises
    assert "back exercises alone" in basics.summary and "low back muscles" in kick.why
    assert "overworked" in stretch.why


# ---------------------------------------------------------------- the physio articles


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
    assert any("toes forward" in c.lower() for c in ex["Side-lying hip abduction"].cues)
    assert "15" in ex["Side-lying hip abduction"].progression
    assert any("90 degrees" in c for c in ex["Quadruped hip extension with knee flexion"].cues)
    assert any("roll backwards" in m for m in ex["Clamshell"].mistakes)
    plan = build_plan(r, "low-back")
    holds = [s for s in plan.steps if s.phase == "hold"]
    assert holds and all(s.seconds == 2 for s in holds)


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


# ---------------------------------------------------------------- growing the dose


def test_advance_rules_are_only_where_an_article_gives_one() -> None:
    rules = {
        (name, ex.name): ex.advance
        for name in BUILTINS
        for ex in builtin(name).exercises
        if ex.advance is not None
    }
    assert set(rules) == {
        ("low-back", "Side-lying hip abduction"),  # "once 15 proper repetitions"
        ("low-back", "Lateral step down"),  # "8 to 10" reps
        ("pre-run-strength", "Bridge with a ball squeeze"),  # "between two and three sets"
    }
    abduction = rules[("low-back", "Side-lying hip abduction")]
    assert abduction is not None and abduction.reps is not None
    assert abduction.reps.up_to == 15 and (abduction.hold, abduction.sets) == (None, None)
    assert "ankle weight" in abduction.then.lower()
    step_down = rules[("low-back", "Lateral step down")]
    assert step_down is not None and step_down.reps is not None and step_down.reps.up_to == 10
    bridge = rules[("pre-run-strength", "Bridge with a ball squeeze")]
    assert bridge is not None and bridge.sets is not None and bridge.sets.up_to == 3
    assert bridge.reps is None and bridge.hold is None
    # Each rule quotes its article beside it.
    assert "once 15 proper repetitions can be" in text_of("low-back")
    assert '"Perform 8 to 10 slow and controlled repetitions"' in text_of("low-back")
    assert '"Do between two and three sets of 15 reps": the sets grow' in text_of(
        "pre-run-strength"
    )
