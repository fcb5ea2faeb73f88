from __future__ import annotations

import string
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coach.routine import RoutineError, json_schema
from coach.routine_yaml import MAX_FILE_BYTES, load_routine, parse_routine

FULL = """\
title: Full
summary: every key
tags: [a, b]
equipment: [band]
source: "An article"
safety: be careful
rest_between_exercises: 20
get_ready: 12
switch_sides: 4
exercises:
  - name: Clamshell
    sets: 2
    reps: 12
    hold: 2
    sides: both
    first_side: right
    directions: [forward, side, back]
    rest: 30
    relax: 3
    tempo: {move: 1.5, release: 2.5}
    words: {move: OPEN, hold: KEEP, release: CLOSE}
    self_paced: false
    get_ready: 20
    switch_sides: 6
    equipment: [band]
    why: glutes
    setup: lie down
    cues: [knees apart]
    mistakes: [rolling back]
    progression: add a band
    advance:
      reps: {step: 2, up_to: 16}
      hold: {step: 0.5, up_to: 4}
      sets: {step: 1, up_to: 3}
      then: Add a firmer band
"""


def test_every_key_is_read() -> None:
    r = parse_routine(FULL, "full.yaml")
    assert (r.title, r.summary, r.tags, r.equipment) == ("Full", "every key", ["a", "b"], ["band"])
    assert (r.source, r.safety, r.rest_between_exercises) == ("An article", "be careful", 20)
    assert (r.get_ready, r.switch_sides) == (12, 4)
    ex = r.exercises[0]
    assert (ex.name, ex.sets, ex.reps, ex.hold, ex.sides) == ("Clamshell", 2, 12, 2, "both")
    assert (ex.first_side, ex.directions) == ("right", ["forward", "side", "back"])
    assert (ex.rest, ex.relax, ex.tempo.move, ex.tempo.release) == (30, 3, 1.5, 2.5)
    assert (ex.words.move, ex.words.hold, ex.words.release) == ("OPEN", "KEEP", "CLOSE")
    assert (ex.get_ready, ex.switch_sides, ex.self_paced) == (20, 6, False)
    assert (ex.equipment, ex.why, ex.setup) == (["band"], "glutes", "lie down")
    assert (ex.cues, ex.mistakes, ex.progression) == (
        ["knees apart"],
        ["rolling back"],
        "add a band",
    )
    assert r.get_ready_for(ex) == 20 and r.switch_sides_for(ex) == 6
    rule = ex.advance
    assert rule is not None and rule.then == "Add a firmer band"
    assert (rule.reps.step, rule.reps.up_to) == (2, 16)  # type: ignore[union-attr]
    assert (rule.hold.step, rule.hold.up_to) == (0.5, 4)  # type: ignore[union-attr]
    assert (rule.sets.step, rule.sets.up_to) == (1, 3)  # type: ignore[union-attr]


def test_defaults() -> None:
    r = parse_routine("title: T\nexercises:\n  - name: X\n")
    ex = r.exercises[0]
    assert (ex.sets, ex.reps, ex.hold, ex.sides, ex.directions) == (1, 1, 0, "none", [])
    assert (ex.rest, ex.relax, ex.tempo.move, ex.tempo.release) == (30, 0, 2, 2)
    assert (ex.words.move, ex.words.hold, ex.words.release) == ("LIFT", "HOLD", "LOWER")
    assert (ex.self_paced, ex.first_side, ex.get_ready) == (False, "left", None)
    assert ex.advance is None
    assert (r.get_ready, r.switch_sides, r.rest_between_exercises) == (10, 5, 0)
    assert r.get_ready_for(ex) == 10


ADV = "title: T\nexercises:\n  - name: X\n    sets: 2\n    reps: 10\n    advance:\n      "

BAD = [
    # (text, line, col, words that must appear)
    ("", None, None, "empty"),
    ("# only a comment\n", None, None, "empty"),
    ("- a\n- b\n", 1, 1, "mapping"),
    ("title: T\n", 1, 1, "'exercises'"),
    ("exercises:\n  - name: X\n", 1, 1, "'title'"),
    ("title: T\nexercises: []\n", 2, 12, "1 to 50"),
    ("title: T\nexercises:\n  - name: X\n    holdd: 2\n", 4, 5, "did you mean 'hold'"),
    ("title: T\ntitel: U\nexercises:\n  - name: X\n", 2, 1, "unknown key 'titel'"),
    ("title: T\nexercises:\n  - name: X\n    sets: 0\n", 4, 11, "1 to 20"),
    ("title: T\nexercises:\n  - name: X\n    reps: '12'\n", 4, 11, "whole number"),
    ("title: T\nexercises:\n  - name: X\n    hold: 1000000000\n", 4, 11, "0 to 600"),
    ("title: T\nexercises:\n  - name: X\n    hold: -1\n", 4, 11, "0 to 600"),
    ("title: T\nexercises:\n  - name: X\n    hold: 2s\n", 4, 11, "number of seconds"),
    ("title: T\nexercises:\n  - name: X\n    sides: two\n", 4, 12, "none, both, alternate"),
    ("title: T\nexercises:\n  - name: X\n    sets: true\n", 4, 11, "whole number"),
    ("title: T\nexercises:\n  - name: ''\n", 3, 11, "non-empty"),
    ("title: T\nexercises:\n  - sets: 2\n", 3, 5, "exercise 1 has no 'name'"),
    ("title: T\nexercises:\n  - name: X\n    tempo: {move: 99}\n", 4, 19, "tempo.move"),
    ("title: T\nexercises:\n  - name: X\n    words: {hold: ''}\n", 4, 19, "short word"),
    ("title: T\nexercises:\n  - name: X\n    tempo: {move: 0, release: 0}\n", 3, 5, "no time"),
    ("title: T\nexercises:\n  - name: X\n    directions: [a, a]\n", 4, 21, "twice"),
    ("title: T\ntitle: U\nexercises:\n  - name: X\n", 2, 1, "duplicate key 'title'"),
    ("title: !!python/object/apply:os.system ['true']\nexercises: []\n", 1, 8, "tag"),
    ("title: !custom x\nexercises: []\n", 1, 8, "tag"),
    ("title: T\nexercises: [\n", 3, 1, "not valid YAML"),
    ("title: T\n  bad: indent\n", 2, 6, "not valid YAML"),
    ("title: a\n---\ntitle: b\n", 2, 1, "one YAML document"),
    ("title: T\nexercises:\n  - name: X\n    cues: [~]\n", 4, 12, "line of text"),
    ("title: T\nexercises:\n  - X\n", 3, 5, "an exercise"),
    ("title: T\n<<: {a: 1}\nexercises:\n  - name: X\n", 2, 1, "plain names"),
    # advance: its keys, its limits, and each value not below the exercise's own
    (f"{ADV}reps: {{step: 2, upto: 15}}\n", 7, 23, "did you mean 'up_to'"),
    (f"{ADV}rep: {{step: 2, up_to: 15}}\n", 7, 7, "unknown key 'rep' in exercise 1 advance"),
    (f"{ADV}reps: {{step: 0, up_to: 15}}\n", 7, 20, "advance.reps.step in exercise 1"),
    (f"{ADV}reps: {{step: 1, up_to: 101}}\n", 7, 30, "whole number of reps from 1 to 100"),
    (f"{ADV}sets: {{step: 1, up_to: 21}}\n", 7, 30, "sets from 1 to 20"),
    (f"{ADV}hold: {{step: 0, up_to: 5}}\n", 7, 20, "seconds above 0"),
    (f"{ADV}hold: {{step: 1, up_to: 601}}\n", 7, 30, "at most 600"),
    (f"{ADV}reps: {{step: 1.5, up_to: 15}}\n", 7, 20, "whole number"),
    (f"{ADV}reps: {{step: 1}}\n", 7, 13, "advance.reps has no 'up_to'"),
    (f"{ADV}reps: 3\n", 7, 13, "a mapping of step and up_to"),
    (f"{ADV}then: [a]\n", 7, 13, "line of text"),
    (f"{ADV}reps: {{step: 2, up_to: 9}}\n", 7, 30, "below the exercise's own reps of 10"),
    (f"{ADV}sets: {{step: 1, up_to: 1}}\n", 7, 30, "below the exercise's own sets of 2"),
    (f"{ADV}then: more\n", 7, 7, "raises nothing"),
    (f"{ADV}hold: {{step: 1, up_to: 9}}\n", 7, 13, "no hold to grow"),
    (
        "title: T\nexercises:\n  - name: X\n    sets: 20\n    reps: 100\n    hold: 600\n"
        "    sides: both\n    directions: [a, b, c, d, e, f, g, h]\n",
        3,
        3,
        "more than",
    ),
]


@pytest.mark.parametrize(("text", "line", "col", "words"), BAD)
def test_bad_input_gives_one_line_with_its_place(
    text: str, line: int | None, col: int | None, words: str
) -> None:
    with pytest.raises(RoutineError) as caught:
        parse_routine(text, "bad.yaml")
    err = caught.value
    assert (err.line, err.col) == (line, col), str(err)
    assert words in err.message
    rendered = str(err)
    assert "\n" not in rendered
    expected_prefix = "bad.yaml:" if line is None else f"bad.yaml:{line}:{col}: "
    assert rendered.startswith(expected_prefix)


def test_no_code_runs_from_tags(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    text = f"title: !!python/object/apply:os.system ['touch {marker}']\nexercises: []\n"
    with pytest.raises(RoutineError):
        parse_routine(text)
    assert not marker.exists()


def test_alias_bomb_is_refused() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 9):
        prev = f"*a{i - 1}"
        lines.append(f"a{i}: &a{i} [{', '.join([prev] * 10)}]")
    lines.append("title: T\nexercises: [*a8]")
    with pytest.raises(RoutineError, match="more than"):
        parse_routine("\n".join(lines))


def test_recursive_alias_is_refused() -> None:
    with pytest.raises(RoutineError, match="nested"):
        parse_routine("title: &a [*a]\nexercises: []\n")


def test_deep_nesting_is_refused() -> None:
    with pytest.raises(RoutineError, match="nested more than"):
        parse_routine("title: " + "[" * 5000 + "]" * 5000 + "\n")


def test_files_that_are_not_routines(tmp_path: Path) -> None:
    binary = tmp_path / "bin.yaml"
    binary.write_bytes(b"\x00\x01\x02title")
    latin = tmp_path / "latin.yaml"
    latin.write_bytes(b"title: caf\xe9\nexercises: []\n")
    huge = tmp_path / "huge.yaml"
    huge.write_bytes(b"# " + b"x" * (10 * 1024 * 1024) + b"\n")
    folder = tmp_path / "dir.yaml"
    folder.mkdir()
    cases = {
        binary: "binary",
        latin: "UTF-8",
        huge: f"larger than {MAX_FILE_BYTES // 1024} KiB",
        folder: "directory",
        tmp_path / "missing.yaml": "no such file",
    }
    for path, words in cases.items():
        with pytest.raises(RoutineError) as caught:
            load_routine(path)
        assert words in str(caught.value)
        assert str(caught.value).startswith(str(path))
    with pytest.raises(RoutineError) as caught:
        load_routine(latin)
    assert caught.value.line == 1


def test_schema_describes_the_format() -> None:
    schema = json_schema()
    defs = schema["$defs"]
    assert set(defs["Exercise"]["properties"]) >= {
        "name",
        "sets",
        "reps",
        "hold",
        "sides",
        "directions",
        "rest",
        "setup",
        "cues",
    }
    assert defs["Exercise"]["additionalProperties"] is False
    assert defs["Routine"]["required"] == ["title", "exercises"]
    assert defs["Exercise"]["properties"]["hold"]["maximum"] == 600
    advance = defs["Advance"]
    assert set(advance["properties"]) == {"reps", "hold", "sets", "then"}
    assert advance["additionalProperties"] is False
    reps = defs["AdvanceReps"]["properties"]
    assert (reps["step"]["minimum"], reps["step"]["maximum"], reps["up_to"]["maximum"]) == (
        1,
        100,
        100,
    )
    assert defs["AdvanceSets"]["properties"]["up_to"]["maximum"] == 20
    assert defs["AdvanceHold"]["properties"]["step"]["exclusiveMinimum"] == 0


def test_an_advance_may_start_at_its_top() -> None:
    # up_to equal to the exercise's own value: nothing to grow, but not wrong.
    r = parse_routine(f"{ADV}reps: {{step: 2, up_to: 10}}\n      then: Add a weight\n")
    assert r.exercises[0].advance is not None and r.exercises[0].advance.then == "Add a weight"


yaml_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=False),
    st.text(alphabet=string.printable, max_size=12),
)
keys = st.sampled_from(
    [
        "title",
        "name",
        "sets",
        "reps",
        "hold",
        "sides",
        "exercises",
        "rest",
        "tempo",
        "words",
        "move",
        "directions",
        "cues",
        "advance",
        "step",
        "up_to",
        "then",
        "x",
    ]
)
documents = st.recursive(
    yaml_scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=5),
    max_leaves=25,
)


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(documents)
def test_any_structure_loads_or_raises_our_error(doc: object) -> None:
    text = yaml.safe_dump(doc)
    try:
        parse_routine(text, "gen.yaml")
    except RoutineError as err:
        assert str(err).startswith("gen.yaml")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=string.printable + "&*!|>{}[]-:#'\"\t\u00e9", max_size=200))
def test_any_text_loads_or_raises_our_error(text: str) -> None:
    try:
        parse_routine(text, "gen.yaml")
    except RoutineError as err:
        assert str(err).startswith("gen.yaml")


def test_built_ins_read_the_same_with_the_fast_parser() -> None:
    from coach.paths import builtin_routines_dir

    files = sorted(builtin_routines_dir().glob("*.yaml"))
    assert len(files) >= 3
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert parse_routine(text, path.name, trusted=True) == parse_routine(text, path.name)


@pytest.mark.parametrize(
    ("written", "meant"),
    [("002", 2), ("0x2", 2), ("+2", 2), ("2.", "whole number"), ("0:02", "write 2")],
)
def test_an_advance_step_reads_as_meant_or_says_what_to_write(
    written: str, meant: int | str
) -> None:
    text = f"{ADV}reps: {{step: {written}, up_to: 15}}\n      hold: {{step: {written}, up_to: 9}}\n"
    text = text.replace("reps: 10\n", "reps: 10\n    hold: 2\n")
    if isinstance(meant, int):
        rule = parse_routine(text).exercises[0].advance
        assert rule is not None and rule.reps is not None and rule.hold is not None
        assert rule.reps.step == meant and rule.hold.step == meant
    else:
        with pytest.raises(RoutineError) as caught:
            parse_routine(text, "a.yaml")
        assert meant in str(caught.value) and "advance.reps.step" in str(caught.value)
