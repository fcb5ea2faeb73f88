"""Fault drills for routine files: broken YAML, wrong shapes and hostile files.

Whatever a routine file holds, the loader answers with a Routine or with one RoutineError that
reads `name:line:col: message` on a single line. Nothing else escapes, no code runs, and hostile
files are refused by the check that makes refusing them cheap (size, depth, count, file type).
"""

from __future__ import annotations

import copy
import math
import os
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import msgspec
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import coach.routine
import coach.routine_yaml
from coach.paths import builtin_routines_dir
from coach.routine import MAX_DEPTH, MAX_NODES, Routine, RoutineError
from coach.routine_yaml import MAX_FILE_BYTES, load_routine, parse_routine

ROOT = Path(__file__).parents[2]
TEXTS = {
    p.name: p.read_text(encoding="utf-8") for p in sorted(builtin_routines_dir().glob("*.yaml"))
}
EMPTY = "the file is empty; a routine needs a title and exercises"
DATA = {name: yaml.load(text, Loader=yaml.CSafeLoader) for name, text in TEXTS.items()}
PLACED = re.compile(r"^(?P<name>[^\n]+?):(?P<line>\d+):(?P<col>\d+): \S[^\n]*$")

Draw = Callable[[st.SearchStrategy[Any]], Any]


def test_the_drills_start_from_the_real_routines() -> None:
    assert len(TEXTS) >= 3
    for name, text in TEXTS.items():
        assert isinstance(parse_routine(text, name), Routine)


def check_error(err: RoutineError, name: str, text: str) -> None:
    """One line, the file's name first, and a place inside the file unless it is empty."""
    rendered = str(err)
    assert "\n" not in rendered and "\r" not in rendered, rendered
    assert rendered.isprintable(), rendered
    if err.message == EMPTY:
        assert rendered == f"{name}: {EMPTY}"
        return
    match = PLACED.match(rendered)
    assert match is not None, rendered
    assert match["name"] == name
    line, col = int(match["line"]), int(match["col"])
    assert (line, col) == (err.line, err.col)
    assert 1 <= line <= text.count("\n") + 1, rendered
    assert col >= 1


def loads_or_refuses(text: str, name: str = "drill.yaml") -> RoutineError | None:
    try:
        parse_routine(text, name)
    except RoutineError as err:
        check_error(err, name, text)
        return err
    return None


# --------------------------------------------------------------- broken YAML from real routines

KEY = re.compile(r"^(?P<lead>[ ]*(?:- )?)(?P<key>[a-z_]+):(?P<rest>.*)$", re.MULTILINE)
NASTY_CHARS = (
    ":-[]{}&*!|>%@`\"',?# \t\n\r\x00\x07\x1b\x7f\x85\x9b\xa0\u2028\ufeff\ufffe\ud800\udfff"
    "\U0001f600é"
)
# fmt: off
NASTY_VALUES = [
    "", "~", "-1", "1e999", ".nan", "[", "]", "{a: 1}", "[1, 2]", "*nope", "&a", "&a [*a]",
    "!!python/name:os.system", "!!python/object/apply:os.system ['true']", "!!binary x",
    "!!timestamp 2024-13-45", "!custom x", "2024-01-01", "'unterminated", '"\\ud800"',
    '"\\e[2J"', '"\\x00"', "|", ">-", "? x", ": :", "yes", "1:30", "=", "<<: {a: 1}", "0x1F",
    "- a", "%YAML 1.1", "---",
    # YAML 1.1's surprises: octal, base 60, words that were booleans, tags that do not fit
    "010", "0o10", "0_10", "+5", "1_000", "1e3", "-.inf", ".NaN", "1:30:00", "190:20:30.15",
    "on", "off", "no", "y", "null", "!!int abc", "!!bool maybe", "!!float x", "!!null x",
    "!!int 010", "!!str 010", "0x_", "0b_", "+.5", "08",
]
# fmt: on


def _truncate(draw: Draw, text: str) -> str:
    return text[: draw(st.integers(0, len(text)))]


def _delete(draw: Draw, text: str) -> str:
    start = draw(st.integers(0, len(text)))
    end = draw(st.integers(start, min(len(text), start + 40)))
    return text[:start] + text[end:]


def _insert(draw: Draw, text: str) -> str:
    at = draw(st.integers(0, len(text)))
    junk: str = draw(st.text(alphabet=NASTY_CHARS, min_size=1, max_size=3))
    return text[:at] + junk + text[at:]


def _tab_indent(draw: Draw, text: str) -> str:
    lines = text.split("\n")
    indented = [i for i, line in enumerate(lines) if line.startswith(" ")]
    if not indented:
        return text
    i = draw(st.sampled_from(indented))
    stripped = lines[i].lstrip(" ")
    lead = draw(st.sampled_from(["\t", "\t  ", "  \t", "\t\t"]))
    lines[i] = lead + stripped
    return "\n".join(lines)


def _swap_keys(draw: Draw, text: str) -> str:
    spans = [m.span("key") for m in KEY.finditer(text)]
    if len(spans) < 2:
        return text
    a, b = sorted(draw(st.lists(st.sampled_from(spans), min_size=2, max_size=2, unique=True)))
    first, second = text[a[0] : a[1]], text[b[0] : b[1]]
    return text[: a[0]] + second + text[a[1] : b[0]] + first + text[b[1] :]


def _misspell_key(draw: Draw, text: str) -> str:
    spans = [m.span("key") for m in KEY.finditer(text)]
    if not spans:
        return text
    start, end = draw(st.sampled_from(spans))
    key = text[start:end]
    at = draw(st.integers(0, len(key) - 1))
    typo = key[:at] + key[at + 1 :] if draw(st.booleans()) else key[:at] + key[at] + key[at:]
    return text[:start] + typo + text[end:]


def _replace_value(draw: Draw, text: str) -> str:
    spans = [m.span("rest") for m in KEY.finditer(text)]
    if not spans:
        return text
    start, end = draw(st.sampled_from(spans))
    value: str = draw(st.sampled_from(NASTY_VALUES))
    return text[:start] + " " + value + text[end:]


def _shuffle_lines(draw: Draw, text: str) -> str:
    lines = text.split("\n")
    i = draw(st.integers(0, len(lines) - 1))
    j = draw(st.integers(0, len(lines) - 1))
    if draw(st.booleans()):
        lines.insert(j, lines[i])  # a duplicated line
    else:
        lines[i], lines[j] = lines[j], lines[i]
    return "\n".join(lines)


# fmt: off
MUTATIONS = [
    _truncate, _delete, _insert, _tab_indent, _swap_keys, _misspell_key, _replace_value,
    _shuffle_lines,
]
# fmt: on


@st.composite
def broken_yaml(draw: Draw) -> str:
    text: str = TEXTS[draw(st.sampled_from(sorted(TEXTS)))]
    for _ in range(draw(st.integers(1, 3))):
        mutate = draw(st.sampled_from(MUTATIONS))
        text = mutate(draw, text)
    return text


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(broken_yaml())
def test_mutated_routines_load_or_give_one_placed_line(text: str) -> None:
    loads_or_refuses(text)


# Bytes that are never valid UTF-8, whatever stands next to them (a surrogate's encoding too).
BAD_BYTES = [b"\xff", b"\xc0", b"\xc1", b"\xf8", b"\xed\xa0\x80", b"\x00", b"\xfe\xff"]


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    base=st.sampled_from(sorted(TEXTS)),
    at=st.floats(0, 1),
    junk=st.lists(st.sampled_from(BAD_BYTES), min_size=1, max_size=3).map(b"".join),
)
def test_bad_bytes_in_a_file_give_one_line(
    base: str, at: float, junk: bytes, tmp_path: Path
) -> None:
    raw = TEXTS[base].encode()
    cut = int(at * len(raw))
    path = tmp_path / "bytes.yaml"
    path.write_bytes(raw[:cut] + junk + raw[cut:])
    with pytest.raises(RoutineError) as caught:
        load_routine(path, display="bytes.yaml")
    rendered = str(caught.value)
    assert "\n" not in rendered
    assert rendered.startswith("bytes.yaml:")
    assert "binary" in rendered or "UTF-8" in rendered
    if caught.value.line is not None:
        assert caught.value.line == raw[:cut].count(b"\n") + 1


# --------------------------------------------------------------- valid YAML, wrong routine


def _paths(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield path
    if isinstance(value, dict):
        for key, sub in value.items():
            yield from _paths(sub, (*path, key))
    elif isinstance(value, list):
        for i, sub in enumerate(value):
            yield from _paths(sub, (*path, i))


def _at(data: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        data = data[part]
    return data


# fmt: off
WRONG_VALUES: list[Any] = [
    None, True, 0, -1, 1.5, 10**9, math.nan, math.inf, "", "ten", "x" * 2001,
    [], [1], [""], ["a", "a"], {}, {"a": 1}, {"name": "X"}, "2024-01-01",
]
# fmt: on


def dump(data: Any) -> str:
    return yaml.dump(data, Dumper=yaml.CSafeDumper, sort_keys=False, allow_unicode=True)


@st.composite
def wrong_shapes(draw: Draw) -> str:
    data = copy.deepcopy(DATA[draw(st.sampled_from(sorted(DATA)))])
    for _ in range(draw(st.integers(1, 3))):
        paths = list(_paths(data))
        path = draw(st.sampled_from(paths))
        if not path:
            data = draw(st.sampled_from([[data], "text", None, 5, [], {}]))
            continue
        parent, last = _at(data, path[:-1]), path[-1]
        how = draw(st.sampled_from(["value", "delete", "wrap", "add", "rename"]))
        if how == "value":
            # A copy: a later step may change the value in place, and the list is shared.
            parent[last] = copy.deepcopy(draw(st.sampled_from(WRONG_VALUES)))
        elif how == "delete":
            del parent[last]
        elif how == "wrap":
            parent[last] = draw(st.sampled_from([[parent[last]], {"value": parent[last]}]))
        elif how == "add" and isinstance(parent, dict):
            parent[draw(st.sampled_from(["extra", "Name", "hold ", "sets", "x"]))] = 1
        elif how == "rename" and isinstance(parent, dict):
            parent[str(last).upper()] = parent.pop(last)
    return dump(data)


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(wrong_shapes())
def test_wrong_shapes_load_or_give_one_placed_line(text: str) -> None:
    loads_or_refuses(text)


# Values that no routine accepts, by field, and where the field lives.
# A text field takes any scalar as the text written (`name: 5` is the name "5"); a number field
# refuses minutes and seconds (`1:30`, dumped quoted here) with the seconds to write.
EXERCISE_BAD: dict[str, list[Any]] = {
    "name": ["", "x" * 81, [1], {"a": 1}, None],
    "sets": [0, 21, -1, 2.5, "two", True, [2], {"n": 2}, None, math.nan, "1:30"],
    "reps": [0, 101, "12", False, [12], "0:10"],
    "hold": [-1, 601, "2s", math.nan, math.inf, True, [2], "1:30", "1:30:00"],
    "rest": [-0.5, 601, "30", {"s": 30}, "2:00"],
    "relax": [-1, 10**9, "no", "0:10.5"],
    "sides": ["two", "", 1, None, ["both"]],
    "first_side": ["up", 1, None],
    "self_paced": [1, "yes", None],
    "get_ready": [-1, 121, "soon", math.nan],
    "switch_sides": [-1, 121, "now"],
    "cues": ["just text", 5, {"a": "b"}],
    "mistakes": ["text", 1],
    "equipment": ["band", 3],
    "why": [None, ["a"], "x" * 2001],
}
ROUTINE_BAD: dict[str, list[Any]] = {
    "title": ["", "x" * 81, [1], None],
    "summary": [None, {"a": 1}],
    "get_ready": [-1, 121, "x", "0:10"],
    "switch_sides": [-1, 121],
    "rest_between_exercises": [-1, 601, [1], "1:00"],
    "exercises": [[], "none", 5, {"name": "X"}],
}


def _node_at(root: yaml.Node, path: tuple[Any, ...], key: bool = False) -> yaml.Node:
    """The node at `path` in a composed document (the key's node when `key`)."""
    node = root
    for n, part in enumerate(path):
        if isinstance(node, yaml.SequenceNode):
            node = node.value[part]
            continue
        assert isinstance(node, yaml.MappingNode)
        for key_node, value_node in node.value:
            if key_node.value == part:
                node = key_node if key and n == len(path) - 1 else value_node
                break
        else:
            raise AssertionError(f"no {part!r} at {path}")
    return node


@st.composite
def certainly_wrong(draw: Draw) -> tuple[str, tuple[Any, ...], bool, str]:
    """A routine with exactly one mistake: its text, the mistake's path, key or value, a word."""
    data = copy.deepcopy(DATA[draw(st.sampled_from(sorted(DATA)))])
    n = draw(st.integers(0, len(data["exercises"]) - 1))
    exercise = data["exercises"][n]
    path: tuple[Any, ...]
    kind = draw(st.sampled_from(["exercise", "routine", "nested", "unknown", "missing"]))
    if kind == "exercise":
        field = draw(st.sampled_from(sorted(EXERCISE_BAD)))
        exercise[field] = draw(st.sampled_from(EXERCISE_BAD[field]))
        path, is_key, word = ("exercises", n, field), False, field
    elif kind == "routine":
        field = draw(st.sampled_from(sorted(ROUTINE_BAD)))
        data[field] = draw(st.sampled_from(ROUTINE_BAD[field]))
        path, is_key, word = (field,), False, field
    elif kind == "nested":
        group, field = draw(
            st.sampled_from([("tempo", "move"), ("tempo", "release"), ("words", "hold")])
        )
        bad = [-1, 31, "fast", "0:02"] if group == "tempo" else ["", "x" * 15, None]
        exercise[group] = {**exercise.get(group, {}), field: draw(st.sampled_from(bad))}
        path, is_key, word = ("exercises", n, group, field), False, f"{group}.{field}"
    elif kind == "unknown":
        where = draw(st.sampled_from(["top", "exercise"]))
        target, at = (data, ()) if where == "top" else (exercise, ("exercises", n))
        target["zzz_extra"] = 1
        path, is_key, word = (*at, "zzz_extra"), True, "'zzz_extra'"
    else:
        del exercise["name"]
        path, is_key, word = ("exercises", n), False, f"exercise {n + 1} has no 'name'"
    return dump(data), path, is_key, word


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(certainly_wrong())
def test_one_mistake_is_found_at_its_own_line_and_column(
    case: tuple[str, tuple[Any, ...], bool, str],
) -> None:
    text, path, is_key, word = case
    err = loads_or_refuses(text, "wrong.yaml")
    assert err is not None, f"accepted a routine with a mistake at {path}"
    root = yaml.compose(text, Loader=yaml.CSafeLoader)
    assert root is not None
    mark = _node_at(root, path, key=is_key).start_mark
    assert (err.line, err.col) == (mark.line + 1, mark.column + 1), str(err)
    assert word in err.message


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("tempo: 5", "mapping"),
        ("tempo: [1, 2]", "mapping"),
        ("words: LIFT", "mapping"),
        ("words: [a]", "mapping"),
    ],
)
def test_a_wrong_shape_for_a_group_says_what_the_group_is(value: str, expected: str) -> None:
    err = loads_or_refuses(f"title: T\nexercises:\n  - name: X\n    {value}\n")
    assert err is not None and (err.line, err.col) == (4, 12)
    assert expected in err.message
    assert "text (at most" not in err.message


# --------------------------------------------------------------- YAML 1.1's surprises

# Every text field of a routine, by the key that holds it (a list of lines, or one text).
TEXT_KEYS = {"title", "summary", "source", "safety", "name", "why", "setup", "progression"}
LINES_KEYS = {"tags", "equipment", "cues", "mistakes", "directions"}
NUMBER_KEYS = {
    "sets", "reps", "hold", "rest", "relax", "get_ready", "switch_sides",
    "rest_between_exercises", "move", "release",
}  # fmt: skip
WHOLE_KEYS = {"sets", "reps"}
# Plain values YAML 1.1 reads as something other than their text.
NOT_TEXT_IN_YAML_11 = [
    "no", "No", "yes", "YES", "on", "On", "off", "OFF", "true", "False", "y", "n",
    "010", "0o10", "0x1F", "0b11", "+5", "1_000", "0_10", "1e3", "3.0", "-.5", "1.",
    ".inf", "-.Inf", ".nan", "1:30", "1:30:00", "190:20:30.15", "0:30.5",
    "2024-01-01", "2024-01-01 10:00:00", "2001-12-14t21:59:43.10-05:00", "=", "<<", "0", "-0",
]  # fmt: skip
# (written, what it means in a number field: a number, or words of the one-line refusal)
NUMBERS_AS_MEANT: list[tuple[str, float | str]] = [
    ("002", 2), ("02", 2), ("+2", 2), ("0_2", 2), ("0x2", 2), ("0o2", 2), ("0b10", 2),
    ("2.", 2.0), ("2e0", 2.0), ("02.50", 2.5),
    ("0:02", "write 2"), ("1:30", "write 90"), ("1:30:00", "write 5400"),
    ("0:01.5", "write 1.5"), (".inf", "got .inf"), (".nan", "got .nan"), ("-.inf", "got -.inf"),
    ("yes", "got yes"), ("off", "got off"), ("2024-01-01", "got '2024-01-01'"),
]  # fmt: skip
MARK = "zzmarkzz"


def _key_paths(data: Any, keys: set[str]) -> list[tuple[Any, ...]]:
    """The paths of the values held by `keys` (and of each line, for a list of lines)."""
    out = []
    for path in _paths(data):
        if "words" in path:
            continue  # move, hold and release there are words; their own test below
        if "advance" in path:
            continue  # reps, hold and sets there are rules (mappings); test_routine reads them
        line = len(path) >= 2 and path[-2] in keys and isinstance(path[-1], int)
        if (path and path[-1] in keys) or line:
            out.append(path)
    return out


def _with_mark(draw: Draw, keys: set[str]) -> tuple[dict[str, Any], tuple[Any, ...]]:
    data = copy.deepcopy(DATA[draw(st.sampled_from(sorted(DATA)))])
    paths = [p for p in _key_paths(data, keys) if not isinstance(_at(data, p), list)]
    path = draw(st.sampled_from(paths))
    _at(data, path[:-1])[path[-1]] = MARK
    return data, path


def both_parsers(text: str) -> Routine | RoutineError:
    """What both parsers make of `text`; they must agree."""
    outcomes: list[Routine | RoutineError] = []
    for trusted in (False, True):
        try:
            outcomes.append(parse_routine(text, "surprise.yaml", trusted=trusted))
        except RoutineError as err:
            check_error(err, "surprise.yaml", text)
            outcomes.append(err)
    guarded, fast = outcomes
    assert str(guarded) == str(fast), (guarded, fast)
    return guarded


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_a_text_field_of_a_real_routine_keeps_any_word_as_written(data: st.DataObject) -> None:
    doc, path = data.draw(st.composite(lambda draw: _with_mark(draw, TEXT_KEYS | LINES_KEYS))())
    words = path[-2] == "words" if len(path) >= 2 else False
    written = data.draw(
        st.sampled_from([w for w in NOT_TEXT_IN_YAML_11 if not words or len(w) <= 14])
    )
    text = dump(doc).replace(MARK, written)
    got = both_parsers(text)
    assert isinstance(got, Routine), str(got)
    assert _at(msgspec.to_builtins(got), path) == written


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_a_word_field_keeps_any_short_word_as_written(data: st.DataObject) -> None:
    doc = copy.deepcopy(DATA[data.draw(st.sampled_from(sorted(DATA)))])
    n = data.draw(st.integers(0, len(doc["exercises"]) - 1))
    which = data.draw(st.sampled_from(["move", "hold", "release"]))
    written = data.draw(st.sampled_from([w for w in NOT_TEXT_IN_YAML_11 if len(w) <= 14]))
    doc["exercises"][n]["words"] = {which: MARK}
    got = both_parsers(dump(doc).replace(MARK, written))
    assert isinstance(got, Routine), str(got)
    assert getattr(got.exercises[n].words, which) == written


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_a_number_field_of_a_real_routine_reads_as_meant_or_says_what_to_write(
    data: st.DataObject,
) -> None:
    doc, path = data.draw(st.composite(lambda draw: _with_mark(draw, NUMBER_KEYS))())
    written, meant = data.draw(st.sampled_from(NUMBERS_AS_MEANT))
    text = dump(doc).replace(MARK, written)
    got = both_parsers(text)
    whole = path[-1] in WHOLE_KEYS
    if isinstance(meant, str) or (whole and isinstance(meant, float)):
        assert isinstance(got, RoutineError), f"{written} accepted at {path}"
        root = yaml.compose(text, Loader=yaml.CSafeLoader)
        mark = _node_at(root, path).start_mark
        assert (got.line, got.col) == (mark.line + 1, mark.column + 1), str(got)
        assert str(path[-1]) in got.message
        assert ("whole number" if whole else meant) in got.message
    else:
        assert isinstance(got, Routine), str(got)
        assert _at(msgspec.to_builtins(got), path) == meant


# --------------------------------------------------------------- text a terminal must not see


@pytest.mark.parametrize(
    ("escaped", "code"),
    [
        ("\\e[2J", "U+001B"),
        ("\\e]0;title\\a", "U+001B"),
        ("bell\\a", "U+0007"),
        ("back\\bspace", "U+0008"),
        ("cr\\rlf", "U+000D"),
        ("\\x9b31m", "U+009B"),
        ("lone \\ud800", "U+D800"),
        ("\\0", "U+0000"),
    ],
)
@pytest.mark.parametrize("field", ["title", "name", "cue", "word", "binary"])
def test_control_characters_and_lone_surrogates_are_refused(
    escaped: str, code: str, field: str
) -> None:
    value = f'"{escaped}"'
    title, name, cue, word = "T", "X", "ok", "LIFT"
    if field == "title":
        title = value
    elif field == "name":
        name = value
    elif field == "cue":
        cue = value
    elif field == "word":
        word = value
    else:
        title = f"!!binary {value}"
    text = (
        f"title: {title}\nexercises:\n  - name: {name}\n    hold: 2\n"
        f"    cues: [{cue}]\n    words: {{move: {word}}}\n"
    )
    err = loads_or_refuses(text)
    assert err is not None, f"{field} with {escaped} was accepted"
    assert code in err.message
    line = {"title": 1, "binary": 1, "name": 3, "cue": 5, "word": 6}[field]
    assert err.line == line


def test_tabs_and_line_breaks_inside_text_are_still_fine() -> None:
    text = 'title: T\nexercises:\n  - name: X\n    hold: 2\n    setup: "one\\ttwo\\nthree"\n'
    assert parse_routine(text).exercises[0].setup == "one\ttwo\nthree"


def test_windows_line_endings_are_no_control_characters() -> None:
    for name, text in TEXTS.items():
        assert parse_routine(text.replace("\n", "\r\n"), name) == parse_routine(text, name)


@pytest.mark.parametrize("brk", ["\u2028", "\u2029", "\x85", "\r"], ids=["LS", "PS", "NEL", "CR"])
def test_places_count_lines_as_an_editor_does(brk: str) -> None:
    # YAML breaks a line at these characters as well; an editor does not, so an error after one
    # must still name the line and column the person sees.
    text = f"title: T\nsummary: x{brk}y\nexercises:\n  - name: X\n    hold: [2\n"
    err = loads_or_refuses(text)
    assert err is not None
    assert err.line is not None and err.line <= text.count("\n") + 1
    text = f'title: T\nsummary: "x{brk}y"\nexercises:\n  - name: X\n    sets: many\n'
    err = loads_or_refuses(text)
    assert err is not None
    assert (err.line, err.col) == (5, 11), str(err)


# --------------------------------------------------------------- hostile files, refused cheaply


def billion_laughs() -> str:
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    return "\n".join([*lines, "title: T", "exercises: [*a9]", ""])


def python_tags(marker: Path) -> dict[str, tuple[str, str]]:
    run = f"!!python/object/apply:os.system ['touch {marker}']"
    return {
        "apply": (f"title: {run}\n", "the tag !!python/object/apply"),
        "new": (
            f"title: !!python/object/new:os.system ['touch {marker}']\n",
            "!!python/object/new",
        ),
        "name": ("title: !!python/name:os.system\n", "the tag !!python/name:os.system"),
        "module": ("title: !!python/module:os\n", "the tag !!python/module:os"),
        "flow": (f"{{title: T, exercises: [{run}]}}\n", "the tag !!python/object/apply"),
        "key": (f"? {run}\n: x\n", "keys must be plain names"),
    }


def hostile_files(folder: Path) -> dict[Path, str]:
    """Files no routine loader should accept, each with words its refusal must contain."""
    folder.mkdir(exist_ok=True)
    marker = folder / "code-ran"
    files: dict[str, tuple[bytes | str, str]] = {
        "bomb.yaml": (billion_laughs(), f"more than {MAX_NODES} values"),
        "self.yaml": ("title: &a [*a]\nexercises: []\n", "nested"),
        "deep-flow.yaml": ("title: " + "[" * 50_000 + "\n", f"more than {MAX_DEPTH} levels"),
        "deep-map.yaml": (
            "".join(" " * i + f"k{i}:\n" for i in range(200)) + " " * 200 + "x\n",
            f"more than {MAX_DEPTH} levels",
        ),
        "flat.yaml": (
            "title: T\nexercises: [" + "a, " * (MAX_FILE_BYTES // 4) + "a]\n",
            f"more than {MAX_NODES} values",
        ),
        "huge.yaml": (b"title: T\n" + b"#" * (10 * 1024 * 1024) + b"\n", "larger than 256 KiB"),
        "png.yaml": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        "elf.yaml": (Path(sys.executable).resolve().read_bytes()[:4096], "binary"),
        "utf16.yaml": ("title: T\nexercises: []\n".encode("utf-16"), "binary"),
        "latin1.yaml": ("title: Café\nexercises: []\n".encode("latin-1"), "UTF-8"),
        "empty.yaml": (b"", "empty"),
        "bom-only.yaml": (b"\xef\xbb\xbf\n  \n", "empty"),
        "two-docs.yaml": ("title: a\n---\ntitle: b\n", "one YAML document"),
        "escapes.yaml": ('title: "\\e[2J\\e]0;owned\\a"\nexercises: [{name: X}]\n', "U+001B"),
        "surrogate.yaml": ('title: "\\ud800"\nexercises: [{name: X}]\n', "U+D800"),
        "tag-escape.yaml": ("title: !<%1B%5B2J%1B%5D0;owned%07> x\n", "is not allowed"),
        "base-60.yaml": (
            "title: T\nexercises:\n  - name: X\n    hold: 1:30\n",
            "4:11: hold in exercise 1: 1:30 is not a number of seconds; write 90",
        ),
        "int-tag.yaml": ("title: !!int abc\n", "1:8: 'abc' does not fit the tag !!int"),
        "bool-tag.yaml": ("title: T\nexercises: !!bool maybe\n", "'maybe' does not fit"),
        "float-tag.yaml": ("title: !!float x\n", "'x' does not fit the tag !!float"),
        "infinite.yaml": ("title: T\nexercises: [{name: X, rest: .inf}]\n", "got .inf"),
        "many-digits.yaml": (
            "title: T\nexercises: [{name: X, rest: " + "9" * 5000 + "}]\n",
            "2:29: rest in exercise 1: expected a number of seconds from 0 to 600, got 999",
        ),
    }
    for tag, (text, words) in python_tags(marker).items():
        files[f"python-{tag}.yaml"] = (text, words)
    out: dict[Path, str] = {}
    for name, (content, words) in files.items():
        path = folder / name
        if isinstance(content, str):
            path.write_text(content, encoding="utf-8")
        else:
            path.write_bytes(content)
        out[path] = words
    if hasattr(os, "mkfifo"):
        os.mkfifo(folder / "fifo.yaml")
        out[folder / "fifo.yaml"] = "not a regular file"
        (folder / "loop.yaml").symlink_to(folder / "loop.yaml")
        out[folder / "loop.yaml"] = "cannot be read"
        (folder / "dangling.yaml").symlink_to(folder / "nowhere.yaml")
        out[folder / "dangling.yaml"] = "no such file"
    (folder / "folder.yaml").mkdir()
    out[folder / "folder.yaml"] = "directory"
    return out


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> dict[Path, str]:
    return hostile_files(tmp_path_factory.mktemp("hostile"))


def test_every_hostile_file_is_refused_with_one_line(hostile: dict[Path, str]) -> None:
    for path, words in hostile.items():
        if path.name == "flat.yaml":
            continue  # its own test below loads it
        with pytest.raises(RoutineError) as caught:
            load_routine(path, display=path.name)
        rendered = str(caught.value)
        assert rendered.startswith(f"{path.name}:"), rendered
        assert words in rendered, rendered
        assert "\n" not in rendered and rendered.isprintable(), rendered
    assert not (next(iter(hostile)).parent / "code-ran").exists()


def test_coach_validate_refuses_each_hostile_file_with_one_line(hostile: dict[Path, str]) -> None:
    runs = {
        path: subprocess.Popen(
            [sys.executable, "-m", "coach", "validate", str(path)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=ROOT,
        )
        for path in hostile
    }
    for path, run in runs.items():
        stdout, stderr = run.communicate(timeout=60)  # a bound for a hang, not a measurement
        shown = stdout + stderr
        assert run.returncode == 1, (path.name, shown)
        assert "Traceback" not in shown, shown
        assert len(shown.splitlines()) == 1, shown
        assert shown.startswith(f"{path}:") and hostile[path] in shown, shown
        assert shown.rstrip("\n").isprintable(), shown
    assert not (next(iter(hostile)).parent / "code-ran").exists()


def test_coach_plan_of_a_routine_with_a_lone_surrogate_is_one_line(
    hostile: dict[Path, str],
) -> None:
    path = next(p for p in hostile if p.name == "surrogate.yaml")
    out = subprocess.run(
        [sys.executable, "-m", "coach", "plan", str(path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert out.returncode == 1
    assert out.stdout == ""
    assert out.stderr.startswith(f"coach: {path}:1:8: ") and len(out.stderr.splitlines()) == 1


def test_a_big_file_is_refused_by_size_without_reading_or_parsing_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "ten-mb.yaml"
    path.write_bytes(b"title: T\nexercises: [{name: X}]\n" + b"#" * (10 * 1024 * 1024))
    reads: list[int] = []
    real_open = open

    class Counted:
        def __init__(self, f: Any) -> None:
            self._f = f

        def __enter__(self) -> Counted:
            return self

        def __exit__(self, *exc: object) -> None:
            self._f.close()

        def read(self, size: int = -1) -> bytes:
            reads.append(size)
            data: bytes = self._f.read(size)
            return data

    def counted_open(file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Counted:
        return Counted(real_open(file, mode, *args, **kwargs))

    def must_not_parse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a file over the size limit reached the YAML parser")

    monkeypatch.setattr(coach.routine_yaml, "open", counted_open, raising=False)
    monkeypatch.setattr(coach.routine_yaml, "parse_routine", must_not_parse)
    with pytest.raises(RoutineError, match=f"larger than {MAX_FILE_BYTES // 1024} KiB"):
        load_routine(path)
    assert reads and all(0 < size <= MAX_FILE_BYTES + 1 for size in reads)


def count_composed(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Count the YAML nodes the loader builds before it answers."""
    calls = [0]
    real = yaml.composer.Composer.compose_node

    def compose_node(self: Any, parent: Any, index: Any) -> Any:
        calls[0] += 1
        return real(self, parent, index)

    monkeypatch.setattr(yaml.composer.Composer, "compose_node", compose_node)
    return calls


def test_a_long_flat_file_stops_at_the_value_limit(
    hostile: dict[Path, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = next(p for p in hostile if p.name == "flat.yaml")
    text = path.read_text()
    assert len(text.encode()) < MAX_FILE_BYTES and text.count(",") > 3 * MAX_NODES
    composed = count_composed(monkeypatch)
    with pytest.raises(RoutineError, match=f"more than {MAX_NODES} values") as caught:
        load_routine(path, display="flat.yaml")
    assert composed[0] <= MAX_NODES + 10, "it built the whole document before counting"
    assert caught.value.line == 2 and caught.value.col is not None
    assert caught.value.col < len(text) // 2


def test_deep_nesting_stops_at_the_depth_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    composed = count_composed(monkeypatch)
    with pytest.raises(RoutineError, match="nested more than") as caught:
        parse_routine("title: " + "[" * 100_000 + "]" * 100_000 + "\n", "deep.yaml")
    assert composed[0] <= MAX_DEPTH + 2
    assert (caught.value.line, caught.value.col) == (1, 7 + MAX_DEPTH)


def test_an_alias_bomb_stops_at_the_value_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    composed = count_composed(monkeypatch)
    converted = [0]
    real = coach.routine_yaml._to_python

    def to_python(*args: Any) -> Any:
        converted[0] += 1
        return real(*args)

    monkeypatch.setattr(coach.routine_yaml, "_to_python", to_python)
    with pytest.raises(RoutineError, match=f"more than {MAX_NODES} values"):
        parse_routine(billion_laughs(), "bomb.yaml")
    assert composed[0] < 200  # the document itself is small: a hundred nodes and aliases
    assert converted[0] == MAX_NODES + 1  # expanding it stops at the limit, not at 9**10
