"""What a plain value in a routine file means: never YAML 1.1's surprises.

YAML 1.1 (PyYAML's rules) reads `010` as 8, `1:30` as 90 and `no` as false. In a routine a
number field reads a number as a person writes it or refuses it with what to write, a true/false
field takes yes/no/on/off, and a text field takes the text as written, whatever it looks like.
Both parsers (the guarded one and the fast one for the built-in routines) read every case alike.
"""

from __future__ import annotations

import math
import string
from typing import Any

import msgspec
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coach.routine import Routine, RoutineError
from coach.routine_check import base_60
from coach.routine_yaml import parse_routine, read_plain

BOTH = pytest.mark.parametrize("trusted", [False, True], ids=["guarded", "fast"])


def exercise(line: str) -> str:
    """A routine whose one exercise has `line` (at line 5, its value at column 5 + key)."""
    return f"title: T\nexercises:\n  - name: X\n    setup: lie down\n    {line}\n"


def first(text: str, trusted: bool) -> Any:
    return msgspec.to_builtins(parse_routine(text, "r.yaml", trusted=trusted).exercises[0])


# ----------------------------------------------------------------------------- number fields

# (value as written, the field, what it reads as)
NUMBERS_READ = [
    ("010", "rest", 10),  # YAML 1.1: 8
    ("0010", "rest", 10),
    ("007", "sets", 7),  # YAML 1.1: 7, by octal luck
    ("08", "reps", 8),  # YAML 1.1: the text '08'
    ("0_10", "rest", 10),  # YAML 1.1: 8
    ("+5", "rest", 5),
    ("-0", "relax", 0),
    ("1_0", "rest", 10),
    ("1_000", "reps", None),  # a number, out of range: see NUMBERS_REFUSED
    ("0x1E", "rest", 30),
    ("0o10", "rest", 8),  # YAML 1.1: the text '0o10'
    ("0b11", "rest", 3),
    ("2.5", "rest", 2.5),
    ("2.", "rest", 2.0),
    (".5", "rest", 0.5),
    ("1e2", "rest", 100.0),  # YAML 1.1: the text '1e2'
    ("1.5e+2", "rest", 150.0),
    ("010", "tempo: {move", 10),
]


@BOTH
@pytest.mark.parametrize(("written", "field", "value"), [c for c in NUMBERS_READ if c[2]])
def test_a_number_reads_as_a_person_means_it(
    written: str, field: str, value: float, trusted: bool
) -> None:
    line = f"{field}: {written}}}" if field.endswith("{move") else f"{field}: {written}"
    got = first(exercise(line), trusted)
    assert (got["tempo"]["move"] if field.endswith("{move") else got[field]) == value


def test_rest_010_is_ten_and_not_eight() -> None:
    # The case from the issue, spelled out.
    assert parse_routine(exercise("rest: 010")).exercises[0].rest == 10


# (value as written, the field, words the one-line error must hold)
NUMBERS_REFUSED = [
    ("1:30", "hold", "hold in exercise 1: 1:30 is not a number of seconds; write 90"),
    ("1:30", "rest", "write 90"),
    ("0:45", "relax", "write 45"),
    ("1:30:00", "rest", "write 5400"),
    ("190:20:30.15", "rest", "write 685230.15"),
    ("-1:30", "rest", "write -90"),
    ("1:30.50", "hold", "write 90.5"),
    ("1_0:30", "hold", "write 630"),
    ("1_0:3_0", "hold", "got '1_0:3_0'"),
    ("'1:30'", "hold", "write 90"),  # quoted, it still means ninety to a reader
    ("1:30", "sets", "sets in exercise 1: 1:30 is not a whole number; write 90"),
    ("1:30", "get_ready", "write 90"),
    ("1:75", "hold", "got '1:75'"),
    (".inf", "rest", "expected a number of seconds from 0 to 600, got .inf"),
    ("-.inf", "rest", "got -.inf"),
    (".nan", "rest", "got .nan"),
    (".NaN", "hold", "got .NaN"),
    ("1e400", "hold", "got 1e400"),
    ("0x_", "hold", "got '0x_'"),  # YAML 1.1: a crash (int('', 16))
    ("0b_", "rest", "got '0b_'"),
    ("-0b", "rest", "got '-0b'"),
    ("1" * 5000, "rest", "got 1111111111"),  # more digits than Python reads as an int: a crash
    ('"' + "1" * 5000 + ':30"', "rest", "got '1111111111"),
    ("1_000", "reps", "got 1_000"),
    ("yes", "rest", "expected a number of seconds from 0 to 600, got yes"),
    ("on", "sets", "got on"),
    ("2024-01-01", "hold", "got '2024-01-01'"),
    ("2.5", "sets", "whole number"),
    ("~", "rest", "got nothing"),
]


@BOTH
@pytest.mark.parametrize(
    ("written", "field", "words"),
    NUMBERS_REFUSED,
    ids=[f"{field}: {written[:16]}" for written, field, _ in NUMBERS_REFUSED],
)
def test_a_number_that_cannot_be_meant_is_one_placed_line(
    written: str, field: str, words: str, trusted: bool
) -> None:
    text = exercise(f"{field}: {written}")
    with pytest.raises(RoutineError) as caught:
        parse_routine(text, "r.yaml", trusted=trusted)
    err = caught.value
    assert (err.line, err.col) == (5, 5 + len(field) + 2), str(err)
    assert words in err.message
    assert "\n" not in str(err) and str(err).startswith("r.yaml:5:")


def test_hold_1_30_is_refused_with_the_seconds_to_write() -> None:
    # The case from the issue, spelled out: YAML 1.1 reads it as 90 without a word.
    with pytest.raises(RoutineError) as caught:
        parse_routine(exercise("hold: 1:30"), "hips.yaml")
    assert str(caught.value) == (
        "hips.yaml:5:11: hold in exercise 1: 1:30 is not a number of seconds; write 90"
    )


def test_base_60_in_a_nested_and_a_routine_field() -> None:
    with pytest.raises(RoutineError, match=r":5:19: tempo.move in exercise 1: 0:30 .* write 30"):
        parse_routine(exercise("tempo: {move: 0:30}"), "r.yaml")
    text = "title: T\nrest_between_exercises: 2:00\nexercises: [{name: X, hold: 1}]\n"
    with pytest.raises(RoutineError, match=r":2:25: rest_between_exercises: 2:00 .* write 120"):
        parse_routine(text, "r.yaml")


# ----------------------------------------------------------------------------- true/false fields

TRUE = ["yes", "Yes", "YES", "on", "On", "ON", "true", "True", "TRUE"]
FALSE = ["no", "No", "NO", "off", "Off", "OFF", "false", "False", "FALSE"]


@BOTH
@pytest.mark.parametrize("written", TRUE + FALSE)
def test_true_false_fields_keep_yes_no_on_off(written: str, trusted: bool) -> None:
    assert first(exercise(f"self_paced: {written}"), trusted)["self_paced"] is (written in TRUE)


@BOTH
@pytest.mark.parametrize("written", ["y", "n", "1", "0", "'yes'", "~", "maybe"])
def test_anything_else_in_a_true_false_field_is_one_placed_line(
    written: str, trusted: bool
) -> None:
    with pytest.raises(RoutineError) as caught:
        parse_routine(exercise(f"self_paced: {written}"), "r.yaml", trusted=trusted)
    assert (caught.value.line, caught.value.col) == (5, 17)
    assert "expected true or false" in caught.value.message


# ----------------------------------------------------------------------------- text fields

LOOKS_LIKE_SOMETHING_ELSE = [
    "no", "No", "NO", "yes", "on", "off", "OFF", "y", "n", "Y", "N", "true", "False",
    "010", "0o10", "0x1F", "0b11", "+5", "1_000", "1e3", "3.0", "-.5", ".inf", "-.inf", ".nan",
    "1:30", "1:30:00", "190:20:30.15", "2024-01-01", "2024-01-01 10:00:00",
    "2001-12-14t21:59:43.10-05:00",
    "=", "<<", "0", "-0", "12",
]  # fmt: skip
WORD_SIZED = [w for w in LOOKS_LIKE_SOMETHING_ELSE if len(w) <= 14]


def with_text(field: str, written: str) -> tuple[str, tuple[Any, ...]]:
    """A routine with `written` as the value of a text field; the path to read it back."""
    lines = {
        "title": (f"title: {written}\nexercises: [{{name: X, hold: 1}}]\n", ("title",)),
        "summary": (f"title: T\nsummary: {written}\nexercises: [{{name: X, hold: 1}}]\n",
                    ("summary",)),
        "tags": (f"title: T\ntags: [{written}]\nexercises: [{{name: X, hold: 1}}]\n",
                 ("tags", 0)),
        "routine equipment": (
            f"title: T\nequipment:\n  - {written}\nexercises: [{{name: X, hold: 1}}]\n",
            ("equipment", 0),
        ),
        "name": (f"title: T\nexercises:\n  - name: {written}\n    hold: 1\n",
                 ("exercises", 0, "name")),
        "why": (exercise(f"why: {written}"), ("exercises", 0, "why")),
        "cues": (exercise(f"cues:\n      - {written}"), ("exercises", 0, "cues", 0)),
        "mistakes": (exercise(f"mistakes: [ok, {written}]"), ("exercises", 0, "mistakes", 1)),
        "equipment": (exercise(f"equipment: [{written}]"), ("exercises", 0, "equipment", 0)),
        "directions": (exercise(f"directions: [a, {written}]"), ("exercises", 0, "directions", 1)),
        "words": (exercise(f"words: {{hold: {written}}}"), ("exercises", 0, "words", "hold")),
        "progression": (exercise(f"progression: {written}"), ("exercises", 0, "progression")),
    }  # fmt: skip
    return lines[field]


TEXT_FIELDS = [
    "title", "summary", "tags", "routine equipment", "name", "why", "cues", "mistakes",
    "equipment", "directions", "words", "progression",
]  # fmt: skip


def read_back(routine: Routine, path: tuple[Any, ...]) -> Any:
    value: Any = msgspec.to_builtins(routine)
    for part in path:
        value = value[part]
    return value


@BOTH
@pytest.mark.parametrize("field", TEXT_FIELDS)
@pytest.mark.parametrize("written", LOOKS_LIKE_SOMETHING_ELSE)
def test_a_text_field_gets_the_text_as_written(field: str, written: str, trusted: bool) -> None:
    if field == "words" and written not in WORD_SIZED:
        return
    text, path = with_text(field, written)
    assert read_back(parse_routine(text, "r.yaml", trusted=trusted), path) == written


def test_a_title_no_and_a_cue_on_are_those_words() -> None:
    # The cases from the issue: YAML 1.1 gives False and True, which a text field refused.
    text = "title: no\nexercises:\n  - name: yes\n    hold: 2\n    cues: [on, off]\n"
    routine = parse_routine(text)
    assert (routine.title, routine.exercises[0].name) == ("no", "yes")
    assert routine.exercises[0].cues == ["on", "off"]


@BOTH
@pytest.mark.parametrize("field", TEXT_FIELDS)
@pytest.mark.parametrize("written", ["~", "null", "Null", "NULL", ""])
def test_nothing_where_text_belongs_is_one_placed_line(
    field: str, written: str, trusted: bool
) -> None:
    text, _ = with_text(field, written)
    if field in ("tags", "directions", "mistakes", "equipment") and written == "":
        return  # `[a, ]` is a list of one in YAML flow style; nothing to refuse
    with pytest.raises(RoutineError) as caught:
        parse_routine(text, "r.yaml", trusted=trusted)
    assert "got nothing" in caught.value.message
    assert caught.value.line is not None and "\n" not in str(caught.value)


def test_a_duplicate_direction_is_compared_as_written() -> None:
    # `010` and `10` are different words; YAML 1.1 (as 8 and 10) refused both as numbers.
    directions = parse_routine(exercise("directions: [010, 10, 0x0A]")).exercises[0].directions
    assert directions == ["010", "10", "0x0A"]
    with pytest.raises(RoutineError, match="direction 'on' is listed twice"):
        parse_routine(exercise("directions: [on, on]"))


def test_a_choice_field_names_the_word_written() -> None:
    with pytest.raises(RoutineError, match=r"sides in exercise 1: .* got 'off'"):
        parse_routine(exercise("sides: off"))
    with pytest.raises(RoutineError, match=r"first_side in exercise 1: .* got 'no'"):
        parse_routine(exercise("first_side: no"))


# ----------------------------------------------------------------------------- explicit tags


@BOTH
@pytest.mark.parametrize(
    ("line", "field", "value"),
    [
        ("why: !!str 010", "why", "010"),
        ("why: !!str yes", "why", "yes"),
        ("rest: !!int 010", "rest", 10),
        ("rest: !!float 010", "rest", 10.0),
        ("self_paced: !!bool yes", "self_paced", True),
        ("get_ready: !!null ~", "get_ready", None),
        ("why: !!timestamp 2024-01-01", "why", "2024-01-01"),
    ],
)
def test_a_tag_that_fits_reads_like_a_plain_value(
    line: str, field: str, value: Any, trusted: bool
) -> None:
    assert first(exercise(line), trusted)[field] == value


@BOTH
@pytest.mark.parametrize(
    ("line", "words"),
    [
        ("why: !!int abc", "'abc' does not fit the tag !!int"),
        ("why: !!float x", "'x' does not fit the tag !!float"),
        ("why: !!bool maybe", "'maybe' does not fit the tag !!bool"),
        ("why: !!null x", "'x' does not fit the tag !!null"),
        ("rest: !!int 1:30", "'1:30' does not fit the tag !!int"),
        ("rest: !!int 2.5", "'2.5' does not fit the tag !!int"),
    ],
)
def test_a_tag_that_does_not_fit_is_one_placed_line(line: str, words: str, trusted: bool) -> None:
    # YAML 1.1's constructors raised ValueError or KeyError here: a traceback.
    with pytest.raises(RoutineError) as caught:
        parse_routine(exercise(line), "r.yaml", trusted=trusted)
    assert caught.value.line == 5 and words in caught.value.message


# ----------------------------------------------------------------------------- the reading itself


@given(st.integers(0, 10**12), st.integers(0, 5))
def test_leading_zeros_never_change_a_number(n: int, zeros: int) -> None:
    assert read_plain("0" * zeros + str(n)) == n
    assert read_plain("+" + "0" * zeros + str(n)) == n
    assert read_plain("-" + "0" * zeros + str(n)) == -n


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_a_float_reads_as_python_writes_it(x: float) -> None:
    assert read_plain(repr(x)) == x


@given(st.integers(0, 999), st.lists(st.integers(0, 59), min_size=1, max_size=3))
def test_base_60_is_refused_with_its_value(lead: int, parts: list[int]) -> None:
    written = ":".join([str(lead), *(f"{p:02d}" for p in parts)])
    value = 0
    for part in [lead, *parts]:
        value = value * 60 + part
    assert read_plain(written) == written  # text, never a number
    assert base_60(written) == str(value)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=string.ascii_letters + string.digits + ".:+-_~", min_size=1, max_size=14))
def test_both_parsers_agree_and_text_is_kept_as_written(written: str) -> None:
    outcomes = []
    for trusted in (False, True):
        text = exercise(f"words: {{hold: {written}}}\n    rest: {written}")
        try:
            ex = first(text, trusted)
            outcomes.append(("ok", ex["words"]["hold"], ex["rest"]))
        except RoutineError as err:
            outcomes.append(("error", str(err), None))
    if any("not valid YAML" in str(o[1]) for o in outcomes):
        # libyaml and PyYAML word a syntax error differently; both must refuse it.
        assert [o[0] for o in outcomes] == ["error", "error"]
        return
    assert outcomes[0] == outcomes[1]
    kind, word_or_error, rest = outcomes[0]
    if kind == "ok":
        assert word_or_error == written  # a word is as written
        assert isinstance(rest, float) and 0 <= rest <= 600 and not math.isnan(rest)
        assert read_plain(written) == rest
    else:
        assert str(word_or_error).startswith("r.yaml:")
