from __future__ import annotations

from coach.history.model import Dose
from coach.plan import Plan, build_plan, plan_length
from coach.routine import Routine
from coach.routine_yaml import parse_routine


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


# ----------------------------------------------------------------------------- a side's own dose


def side_plan(exercise_yaml: str, side_doses: dict[tuple[int, str], Dose]) -> Plan:
    text = f"title: T\nget_ready: 5\nswitch_sides: 3\nexercises:\n{exercise_yaml}"
    return build_plan(parse_routine(text), "t", side_doses)


BOTH = (
    "  - name: A\n    sets: 2\n    reps: 3\n    hold: 2\n    sides: both\n    rest: 30\n"
    "    tempo: {move: 1, release: 1}\n"
)


def test_without_side_doses_the_plan_is_the_same() -> None:
    assert (
        side_plan(BOTH, {})
        == side_plan(BOTH, {(1, "left"): Dose(reps=9)})
        == build_plan(
            parse_routine("title: T\nget_ready: 5\nswitch_sides: 3\nexercises:\n" + BOTH), "t"
        )
    )


def test_each_side_does_its_own_reps_hold_and_sets() -> None:
    plan = side_plan(BOTH, {(0, "right"): Dose(sets=3, reps=2, hold=5)})
    assert [(b.set, b.side, b.reps, b.holds) for b in plan.blocks] == [
        (1, "left", 3, 3),
        (1, "right", 2, 2),
        (2, "left", 3, 3),
        (2, "right", 2, 2),
        (3, "right", 2, 2),  # the left side has no third set
    ]
    holds = {(s.side, s.seconds) for s in plan.steps if s.phase == "hold"}
    assert holds == {("left", 2), ("right", 5)}
    # What each step says of its set and reps is its side's.
    assert {(s.side, s.sets, s.reps) for s in plan.steps if s.is_work} == {
        ("left", 2, 3),
        ("right", 3, 2),
    }
    kinds = [(s.phase, s.side, s.set) for s in plan.steps if s.phase in ("switch", "rest", "ready")]
    assert kinds == [
        ("ready", "left", 1),
        ("switch", "right", 1),
        ("rest", None, 1),
        ("switch", "right", 2),
        ("rest", None, 2),  # then the right side alone: no switch, it is already on
    ]
    assert plan.total_seconds == sum(s.seconds or 0 for s in plan.steps)
    assert plan.total_seconds == plan_length(plan_routine(BOTH), {(0, "right"): Dose(3, 2, 5)})


def test_a_side_with_fewer_sets_is_left_out_of_the_later_ones() -> None:
    plan = side_plan(BOTH, {(0, "left"): Dose(sets=1)})
    assert [(b.set, b.side) for b in plan.blocks] == [(1, "left"), (1, "right"), (2, "right")]
    assert not [s for s in plan.steps if s.phase == "switch" and s.set == 2]


def test_a_side_dose_names_the_leg_that_works() -> None:
    # Lying on the right side, the left leg works: the left leg's dose is the right side's.
    lying = BOTH + "    side_is: lying_on\n    first_side: right\n"
    plan = side_plan(lying, {(0, "left"): Dose(reps=1)})
    assert [(b.side, b.reps) for b in plan.blocks[:2]] == [("right", 1), ("left", 3)]


def test_alternate_sides_take_turns_as_far_as_both_go() -> None:
    alternate = (
        "  - name: A\n    reps: 3\n    hold: 1\n    sides: alternate\n    first_side: right\n"
        "    directions: [f, b]\n    tempo: {move: 1, release: 0}\n"
    )
    plan = side_plan(alternate, {(0, "left"): Dose(reps=1, hold=4)})
    order = [(s.direction, s.side, s.rep) for s in plan.steps if s.phase == "move"]
    assert order == [
        ("f", "right", 1),
        ("f", "left", 1),
        ("f", "right", 2),
        ("f", "right", 3),
        ("b", "right", 1),
        ("b", "left", 1),
        ("b", "right", 2),
        ("b", "right", 3),
    ]
    assert [(b.side, b.reps, b.holds) for b in plan.blocks] == [(None, 4, 4), (None, 4, 4)]
    assert {(s.side, s.seconds) for s in plan.steps if s.phase == "hold"} == {
        ("right", 1),
        ("left", 4),
    }


def plan_routine(exercise_yaml: str) -> Routine:
    return parse_routine(f"title: T\nget_ready: 5\nswitch_sides: 3\nexercises:\n{exercise_yaml}")
