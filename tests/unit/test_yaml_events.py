"""A user's routine file is read from libyaml's events, and reads as the pure reader reads it.

`read_yaml` tries the reader on libyaml's events (`yaml_events.read_events`) first; it leaves to the
pure-Python reader every text it cannot decide exactly as that one would, every error among them.
Each test here holds the two to the same answer for a text: the same values (of the same types),
the same places of every value and key, the same text as written, or the same one-line error.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from yaml.events import AliasEvent

import coach.yaml_events
from coach.routine import MAX_DEPTH, MAX_NODES, RoutineError
from coach.routine_check import Places
from coach.routine_yaml import _read_nodes, load_routine, read_yaml
from coach.yaml_events import read_events
from tests.unit.test_drills_routines import (
    NASTY_VALUES,
    TEXTS,
    billion_laughs,
    broken_yaml,
    hostile_files,
    wrong_shapes,
)
from tests.unit.test_routine_yaml import (
    LOOKS_LIKE_SOMETHING_ELSE,
    NUMBERS_READ,
    NUMBERS_REFUSED,
    TEXT_FIELDS,
    exercise,
    with_text,
)

sys.path.insert(0, str(Path(__file__).parents[2] / "benchmarks"))
from many_routines import routine_text

NAME = "r.yaml"
SLOW = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _value(value: Any) -> Any:
    """A value with its type spelled out: 1, 1.0 and True are equal in Python, not here."""
    if isinstance(value, dict):
        return ("map", [(key, _value(sub)) for key, sub in value.items()])
    if isinstance(value, list):
        return ("seq", [_value(sub) for sub in value])
    return (type(value).__name__, repr(value))


def _read(data: Any, places: Places) -> Any:
    return (
        _value(data),
        [(path, mark.index) for path, mark in places.values.items()],
        [(path, mark.index) for path, mark in places.keys.items()],
        list(places.written.items()),
        places.nodes,
    )


def pure(text: str) -> Any:
    try:
        return _read(*_read_nodes(text, NAME, trusted=False))
    except RoutineError as err:
        return ("error", str(err))


def agree(text: str) -> bool:
    """Both readers give the same for `text`; True when the fast one decided it."""
    expected = pure(text)
    fast = read_events(text)
    if fast is not None:
        assert _read(*fast) == expected, text
    try:
        got = _read(*read_yaml(text, NAME))
    except RoutineError as err:
        got = ("error", str(err))
    assert got == expected, text
    return fast is not None


# ----------------------------------------------------------------------------- the tables


def table_texts() -> Iterator[str]:
    """Every text of the tables of test_routine_yaml and of the drills' nasty values."""
    for written, field, _ in NUMBERS_READ:
        yield exercise(
            f"{field}: {written}}}" if field.endswith("{move") else f"{field}: {written}"
        )
    for written, field, _ in NUMBERS_REFUSED:
        yield exercise(f"{field}: {written}")
    for field in TEXT_FIELDS:
        for written in [*LOOKS_LIKE_SOMETHING_ELSE, "~", "null", "Null", "NULL", ""]:
            yield with_text(field, written)[0]
    for value in NASTY_VALUES:
        yield exercise(f"why: {value}")
        yield exercise(f"hold: {value}")
        yield f"title: {value}\nexercises: [{{name: X, hold: 1}}]\n"
        yield f"title: T\nexercises: [{{name: X, hold: 1, cues: [{value}]}}]\n"
        yield f"{value}\n"
    for tag in ("str", "int", "float", "bool", "null", "timestamp", "binary", "map", "seq"):
        for written in ("010", "yes", "abc", "1:30", "~", "2024-01-01", "[1]", "{a: 1}"):
            yield exercise(f"why: !!{tag} {written}")


def test_the_tables_read_alike() -> None:
    decided = [agree(text) for text in table_texts()]
    assert sum(decided) > len(decided) // 2  # the fast reader is the one that read most


@pytest.mark.parametrize("name", sorted(TEXTS))
def test_the_built_in_routines_are_read_fast_and_alike(name: str) -> None:
    for text in (TEXTS[name], TEXTS[name].replace("\n", "\r\n")):
        assert agree(text), name


def test_a_long_user_routine_is_read_fast_and_alike() -> None:
    assert agree(routine_text(7))


def test_without_libyaml_the_pure_reader_reads(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(coach.yaml_events, "CParser", None)
    assert read_events(TEXTS[sorted(TEXTS)[0]]) is None
    assert not agree(TEXTS[sorted(TEXTS)[0]])


# ----------------------------------------------------------------------------- hostile files


def test_every_hostile_file_gives_the_same_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = hostile_files(tmp_path / "hostile")
    fast: dict[str, str] = {}
    for path in files:
        with pytest.raises(RoutineError) as caught:
            load_routine(path, display=path.name)
        fast[path.name] = str(caught.value)
    monkeypatch.setattr(coach.yaml_events, "CParser", None)  # the pure reader alone
    for path in files:
        with pytest.raises(RoutineError) as caught:
            load_routine(path, display=path.name)
        assert str(caught.value) == fast[path.name]


class _Counted:
    """libyaml's parser, counting the events it gives."""

    given = 0

    def __init__(self, text: str) -> None:
        self.parser = _REAL_PARSER(text)

    def get_event(self) -> Any:
        _Counted.given += 1
        return self.parser.get_event()


_REAL_PARSER = coach.yaml_events.CParser


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> type[_Counted]:
    _Counted.given = 0
    monkeypatch.setattr(coach.yaml_events, "CParser", _Counted)
    return _Counted


@pytest.mark.parametrize(
    "text",
    [
        "title: " + "[" * 100_000 + "]" * 100_000 + "\n",
        "title: " + "{a: " * 50_000 + "\n",
        "".join(" " * i + f"k{i}:\n" for i in range(500)) + " " * 500 + "x\n",
        "title:\n" + "- " * 10_000 + "x\n",
    ],
    ids=["flow", "flow-open", "block", "dashes"],
)
def test_deep_nesting_stops_the_fast_reader_at_the_depth_limit(
    text: str, counted: type[_Counted]
) -> None:
    assert read_events(text) is None
    assert counted.given <= 3 * MAX_DEPTH + 10  # it stopped there: no crash, no walk down
    with pytest.raises(RoutineError, match=f"nested more than {MAX_DEPTH} levels deep"):
        read_yaml(text, NAME)


def test_an_alias_bomb_stops_the_fast_reader_at_the_value_limit(
    counted: type[_Counted], monkeypatch: pytest.MonkeyPatch
) -> None:
    visited = [0]
    real = coach.yaml_events._Composer.node

    def node(self: Any, event: Any, *args: Any) -> Any:
        visited[0] += not isinstance(event, AliasEvent)
        return real(self, event, *args)

    monkeypatch.setattr(coach.yaml_events._Composer, "node", node)
    assert read_events(billion_laughs()) is None
    assert counted.given < 200  # the document is small
    assert visited[0] <= MAX_NODES + 20  # expanding it stopped at the limit, not at 9**10


def test_a_long_flat_file_stops_the_fast_reader_at_the_value_limit(
    counted: type[_Counted],
) -> None:
    text = "title: T\nexercises: [" + "a, " * (3 * MAX_NODES) + "a]\n"
    assert read_events(text) is None
    assert counted.given <= MAX_NODES + 10


@pytest.mark.parametrize(
    "text",
    [
        "a: &a [*a]\n",
        "a: &a {b: *a}\n",
        "&a {*a: 1}\n",
        "a: *nowhere\n",
        "a: &x 1\nb: &x 2\n",
        "a: &x [1, &x 2]\n",
        "a: &x 1\nb: {*x : 2, '1': 3}\n",
        "a: &k b\n*k : 1\n",
        "a: &a [1, 2]\nb: &b [*a, *a]\nc: [*b, *b, *a]\n",
        "a: &a {x: &b [1]}\nc: *a\nd: *b\n",
        "a: &a\n  - &b {c: 1}\n  - *b\nd: *a\n",
    ],
)
def test_anchors_and_aliases_read_alike(text: str) -> None:
    agree(text)


@pytest.mark.parametrize("brk", ["\u2028", "\u2029", "\x85", "\r", "\r\n", "\t", "\ufeff"])
@pytest.mark.parametrize(
    "template",
    [
        "title: T{b}exercises: [{{name: X, hold: 1}}]\n",
        "title: x{b}y\nexercises:\n  - name: X\n    hold: [2\n",
        'title: T\nsummary: "x{b}y"\nexercises:\n  - name: X\n    sets: many\n',
        "title: |\n  a{b}  b\nexercises: [{{name: X{b}Y, hold: 1}}]\n",
        "title: 'a{b}b'\nexercises: [{{name: X, hold: 1}}]{b}",
        "{b}title: T\nexercises:{b}  - name: X\n    hold: 1\n",
    ],
)
def test_line_breaks_tabs_and_marks_read_alike(brk: str, template: str) -> None:
    agree(template.format(b=brk))


@pytest.mark.parametrize(
    "text",
    [
        "a: !! x\n",
        "a: ! x\n",
        "a: !\n",
        "{a: !}\n",
        "a: |#c\n  x\n",
        "a: [b? c]\n",
        "a: {b: }\n",
        "a: {? b}\n",
        "a: [!!str, x]\n",
        "a: [!!str,x]\n",
        "!~!str a: b\n",
        "!a!b c: d\n",
        "%YAML 1.2\n---\na: b\n",
        "%YAML 1.3\n---\na: b\n",
        "%TAG ! tag:yaml.org,2002:\n---\na: !str 010\n",
        "a: b\n---\nc: d\n",
        "--- a\n...\n",
        "",
        "# only a comment\n",
        "k" * 1100 + ": v\n",
        '"\\U00110000": x\n',
        'a: "\\/\\N\\_\\L\\P\\e"\n',
    ],
)
def test_what_the_parsers_read_apart_reads_alike(text: str) -> None:
    agree(text)


# ----------------------------------------------------------------------------- at random

# Pieces of YAML, many of them the ones the two parsers are known to read apart.
PIECES = [
    *":-[]{}&*!|>%@`\"',?# \n\n\n  \r\x85\u2028\u2029\ufeff\t\\_.<=~aé😀01",
    "\r\n", "---", "...", "&a ", "*a", "&b ", "*b", "!!str ", "!!int ", "! ", "!x ", "!a!b ",
    "%YAML 1.1\n", "%TAG ! tag:yaml.org,2002:\n", "<<", "- ", ": ", "? ", "\n  ", "\n    ",
    "'x'", '"\\u2028"', '"\\x41"', '"\\e"', '"\\/"', "|\n", ">-\n", "|2\n", "|#", "!!binary ",
    "!<tag:yaml.org,2002:str> ", "!!map ", "!!seq ", "010", "1:30", "yes", "~", "null", "#c\n",
    "x" * 1030, "a:b", "[a:b]", "{a:b}", "a?b", "\u00a0", "\ufffd",
]  # fmt: skip


@SLOW
@given(st.lists(st.sampled_from(PIECES), max_size=40).map("".join))
def test_random_yaml_reads_alike(text: str) -> None:
    agree(text)


SCALARS = [
    "a", "a b", "010", "'q'", '"d\\n"', "~", "yes", "1:30", "!!str 1", "!!int 1", "|\n  t\n",
    "x?y", "", "-1", ".5", "&s x", "*s", "*c", "&c [1]", "!!float 2", '"\\e"',
]  # fmt: skip
KEYS = ["k", "l", "m", "&c k", "*s", "<<", "? q", "!!str 1", "a b", "010", "'q'"]


def _nested(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    flow_list = st.lists(children, max_size=3).map(lambda xs: "[" + ", ".join(xs) + "]")
    pairs = st.lists(st.tuples(st.sampled_from(KEYS), children), max_size=3)
    flow_map = pairs.map(lambda ps: "{" + ", ".join(f"{k}: {v}" for k, v in ps) + "}")
    block = st.tuples(st.sampled_from(["- ", "k: ", "&c k: ", "? "]), children, children).map(
        lambda t: "\n".join(["", t[0] + t[1].replace("\n", "\n  "), "z: " + t[2]])
    )
    return st.one_of(flow_list, flow_map, block)


@SLOW
@given(st.recursive(st.sampled_from(SCALARS), _nested, max_leaves=12), st.booleans())
def test_random_documents_read_alike(node: str, anchored: bool) -> None:
    head = "s: &s 5\nc: &c [x]\n" if anchored else ""
    agree(f"{head}title: {node}\nexercises: {node}\n")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(broken_yaml())
def test_broken_routines_read_alike(text: str) -> None:
    agree(text)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(wrong_shapes())
def test_wrong_shapes_read_alike(text: str) -> None:
    assert agree(text)


@settings(max_examples=60, deadline=None)
@given(st.text(min_size=1, max_size=12), st.sampled_from(["plain", "single", "double"]))
@example("\u2028", "plain")
@example("a\x85b", "double")
@example("\ud800", "double")
def test_any_text_in_a_value_reads_alike(text: str, style: str) -> None:
    quoted = {
        "plain": text,
        "single": "'" + text.replace("'", "''") + "'",
        "double": '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"',
    }[style]
    agree(exercise(f"why: {quoted}"))
    agree(f"title: [{quoted}]\nexercises: [{{name: {quoted}, hold: 1}}]\n")


def test_nan_and_infinities_read_alike() -> None:
    for written in (".nan", ".NaN", ".inf", "-.inf", "1e400"):
        assert agree(exercise(f"rest: {written}"))
    data, _ = read_yaml(exercise("rest: .nan"), NAME)
    assert math.isnan(data["exercises"][0]["rest"])


def test_an_escape_beyond_unicode_is_one_placed_line() -> None:
    # PyYAML's scanner raised ValueError (chr() of no character) out of the reader: a traceback.
    with pytest.raises(RoutineError) as caught:
        read_yaml('title: T\nwhy: "ab\\U00110000"\n', NAME)
    assert str(caught.value).startswith(f"{NAME}:2:")
    assert "escape names no character" in caught.value.message
