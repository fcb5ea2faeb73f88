"""Reading many user routines with no cache: what each file costs, and that it reads the same.

Home and `coach list` with no cache read every file: YAML (libyaml's events; see
test_yaml_events), the checks of `routine.parse`, and the plan's length. Each of these has a
faster way now; each test here holds it to the slower way it replaced.
"""

from __future__ import annotations

import difflib
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import msgspec
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import coach.plan
import coach.routine
import coach.routine_check
from coach.catalog import read_routine_file
from coach.history.model import Dose
from coach.paths import builtin_routines_dir
from coach.plan import PlanTooLong, build_plan, plan_length
from coach.routine import (
    Advance,
    AdvanceHold,
    AdvanceReps,
    AdvanceSets,
    Exercise,
    Routine,
    RoutineError,
    Tempo,
    Words,
)
from coach.routine_check import Places, line_col
from coach.routine_yaml import load_routine, parse_routine
from tests.unit.test_drills_routines import broken_yaml, wrong_shapes

sys.path.insert(0, str(Path(__file__).parents[2] / "benchmarks"))
from many_routines import write_routines

BUILTINS = sorted(builtin_routines_dir().glob("*.yaml"))


@pytest.fixture
def user_file(tmp_path: Path) -> Path:
    return write_routines(tmp_path, files=1)[0]


def test_a_users_routine_is_read_without_pure_python_yaml(
    user_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = read_routine_file(user_file, builtin=False)

    def pure_python(*args: object) -> None:
        raise AssertionError("a well-formed user routine went through PyYAML's pure scanner")

    monkeypatch.setattr(yaml.scanner.Scanner, "check_token", pure_python)
    found = read_routine_file(user_file, builtin=False)
    assert found.error is None and found.routine == expected.routine
    assert found.seconds == expected.seconds > 0


def test_a_routine_list_builds_no_plan(user_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    routine = load_routine(user_file)
    seconds = build_plan(routine).total_seconds

    def no_steps(*args: object) -> None:
        raise AssertionError("a list of routines needs their lengths, not their steps")

    monkeypatch.setattr(coach.plan._Builder, "add", no_steps)
    found = read_routine_file(user_file, builtin=False)
    assert found.error is None and found.seconds == seconds


# ----------------------------------------------------------------------------- plan length


def _length(routine: Routine) -> float | str:
    try:
        return plan_length(routine)
    except PlanTooLong as err:
        return str(err)


def _built(routine: Routine) -> float | str:
    try:
        return build_plan(routine).total_seconds
    except PlanTooLong as err:
        return str(err)


@pytest.mark.parametrize("path", BUILTINS, ids=[p.stem for p in BUILTINS])
def test_the_length_of_each_built_in_routine_is_its_plans(path: Path) -> None:
    routine = load_routine(path, trusted=True)
    assert plan_length(routine) == build_plan(routine).total_seconds


seconds = st.one_of(st.integers(0, 600).map(float), st.floats(0, 600), st.sampled_from([0.1, 0.3]))
exercises = st.builds(
    Exercise,
    name=st.just("X"),
    sets=st.integers(1, 20),
    reps=st.integers(1, 100),
    hold=seconds,
    sides=st.sampled_from(["none", "both", "alternate"]),
    first_side=st.sampled_from(["left", "right"]),
    directions=st.lists(st.sampled_from(["up", "down", "in", "out"]), max_size=4, unique=True),
    rest=seconds,
    relax=st.one_of(st.just(0.0), seconds),
    tempo=st.builds(Tempo, move=st.floats(0, 30), release=st.floats(0, 30)),
    words=st.just(Words()),
    self_paced=st.booleans(),
    get_ready=st.one_of(st.none(), st.floats(0, 120)),
    switch_sides=st.one_of(st.none(), st.floats(0, 120)),
)
routines = st.builds(
    Routine,
    title=st.just("T"),
    exercises=st.lists(exercises, min_size=1, max_size=6),
    rest_between_exercises=st.one_of(st.just(0.0), seconds),
    get_ready=st.floats(0, 120),
    switch_sides=st.floats(0, 120),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(routines)
def test_the_length_is_the_plans_to_the_last_bit(routine: Routine) -> None:
    # The same seconds added in the same order: equal as floats, not merely close; and the same
    # refusal for a routine too long in steps or in hours.
    assert _length(routine) == _built(routine)


side_doses = st.dictionaries(
    st.tuples(st.integers(0, 5), st.sampled_from(["left", "right"])),
    st.builds(
        Dose,
        sets=st.one_of(st.none(), st.integers(1, 20)),
        reps=st.one_of(st.none(), st.integers(1, 100)),
        hold=st.one_of(st.none(), seconds),
    ),
    max_size=4,
)


def _length_with(routine: Routine, doses: dict[tuple[int, str], Dose]) -> float | str:
    try:
        return plan_length(routine, doses)
    except PlanTooLong as err:
        return str(err)


def _built_with(routine: Routine, doses: dict[tuple[int, str], Dose]) -> float | str:
    try:
        return build_plan(routine, side_doses=doses).total_seconds
    except PlanTooLong as err:
        return str(err)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(routines, side_doses)
def test_the_length_with_side_doses_is_the_plans_to_the_last_bit(
    routine: Routine, doses: dict[tuple[int, str], Dose]
) -> None:
    # A side's own sets, reps and hold (a weaker leg): the same agreement, float for float.
    assert _length_with(routine, doses) == _built_with(routine, doses)


# ----------------------------------------------------------------------------- routine.parse

# The checks as they were written before they were made faster, to hold the new ones to.


def _walk_mappings(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    if isinstance(value, dict):
        yield path, value
        for key, sub in value.items():
            yield from _walk_mappings(sub, (*path, key))
    elif isinstance(value, list):
        for i, sub in enumerate(value):
            yield from _walk_mappings(sub, (*path, i))


def _struct_at(path: tuple[Any, ...]) -> type[msgspec.Struct] | None:
    if not path:
        return Routine
    if path[0] == "exercises" and len(path) == 2:
        return Exercise
    if path[0] == "exercises" and len(path) == 3 and path[2] in ("tempo", "words", "advance"):
        return {"tempo": Tempo, "words": Words, "advance": Advance}[str(path[2])]
    if path[0] == "exercises" and len(path) == 4 and path[2] == "advance":
        parts = {"reps": AdvanceReps, "hold": AdvanceHold, "sets": AdvanceSets}
        return parts.get(str(path[3]))
    return None


def _check_keys_before(data: Any, places: Places, name: str) -> None:
    for path, mapping in _walk_mappings(data):
        struct = _struct_at(path)
        if struct is None:
            continue
        known = tuple(f.encode_name for f in msgspec.structs.fields(struct))
        for key in mapping:
            if key in known:
                continue
            hint = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
            msg = f"unknown key {key!r}{coach.routine_check._describe(path)}"
            msg += (
                f"; did you mean {hint[0]!r}?" if hint else f"; expected one of: {', '.join(known)}"
            )
            raise RoutineError(name, msg, *line_col(places.keys.get((*path, key)), places.text))


def _settle_before(value: Any, info: Any, path: Any, places: Places, name: str) -> Any:
    import msgspec.inspect as mi

    while isinstance(info, mi.Metadata):
        info = info.type
    if isinstance(info, mi.UnionType):
        info = next(t for t in info.types if not isinstance(t, mi.NoneType))
        return _settle_before(value, info, path, places, name)
    if isinstance(info, mi.StructType) and isinstance(value, dict):
        fields = {f.encode_name: f.type for f in info.fields}
        return {
            key: _settle_before(sub, fields[key], (*path, key), places, name)
            if key in fields
            else sub
            for key, sub in value.items()
        }
    if isinstance(info, mi.ListType) and isinstance(value, list):
        return [
            _settle_before(sub, info.item_type, (*path, i), places, name)
            for i, sub in enumerate(value)
        ]
    if isinstance(info, (mi.StrType, mi.LiteralType)) and not isinstance(value, str):
        return places.written.get(path, value)
    if isinstance(info, (mi.IntType, mi.FloatType)) and isinstance(value, str):
        seconds = coach.routine_check.base_60(value.strip())
        if seconds is not None:
            what = "a whole number" if isinstance(info, mi.IntType) else "a number of seconds"
            raise RoutineError(
                name,
                f"{coach.routine_check._label(path)}: {value.strip()} is not {what}; "
                f"write {seconds}",
                *line_col(coach.routine_check._place(places, path), places.text),
            )
    return value


def _outcome(text: str) -> Any:
    try:
        return msgspec.to_builtins(parse_routine(text, "r.yaml"))
    except RoutineError as err:
        return str(err)


def _outcome_before(text: str, monkeypatch: pytest.MonkeyPatch) -> Any:
    import msgspec.inspect as mi

    info = mi.type_info(Routine)
    with monkeypatch.context() as patched:
        patched.setattr(coach.routine_check, "_check_keys", _check_keys_before)
        patched.setattr(
            coach.routine_check,
            "_settler",
            lambda: lambda data, path, places, name: _settle_before(data, info, path, places, name),
        )
        return _outcome(text)


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(text=st.one_of(broken_yaml(), wrong_shapes()))
def test_parse_reads_and_refuses_as_before(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    assert _outcome(text) == _outcome_before(text, monkeypatch)


@pytest.mark.parametrize(
    "text",
    [
        "title: T\nexercises: {one: {name: X, hold: 1, holds: 2}}\n",
        "title: T\nexercises: {one: {name: X, hold: 1, tempo: {mvoe: 1}}}\n",
        "title: T\nexercises: [[{name: X, tempo: {mvoe: 1}}]]\n",
        "title: T\nexercises: [{name: X, words: {hold: HOLD, lift: UP}, tempo: {x: 1}}]\n",
        "title: T\nexercises: [{name: X, hold: 1, cues: [{tempo: {x: 1}}]}]\nextra: {a: 1}\n",
        "title: T\nsummary: {exercises: [{bad: 1}]}\nexercises: [{name: X, hold: 1}]\n",
        "title: T\nexercises: [{name: X, hold: '1:30', rest: 2:00, sides: no, why: 010}]\n",
        "title: T\nexercises: [{name: X, hold: 1, get_ready: '0:10', tempo: {move: '0:02'}}]\n",
    ],
)
def test_parse_reads_and_refuses_odd_shapes_as_before(
    text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert _outcome(text) == _outcome_before(text, monkeypatch)


def test_the_cache_is_kept_for_the_code_that_reads_a_routine() -> None:
    # A change to any module that reads a routine file must make the cache be read afresh.
    import ast

    import coach.catalog
    import coach.routine_yaml

    tree = ast.parse(Path(coach.routine_yaml.__file__).read_text())
    used = {
        node.module.removeprefix("coach.") + ".py"
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("coach.")
    }
    assert used and used | {"routine_yaml.py"} <= set(coach.catalog._CHECKS)
