"""The checks that turn a routine file's values, with their places, into a Routine.

Every problem is one `RoutineError` naming the place: `path:line:col: what is wrong and what
is expected`. Values are settled as the person meant them (a text field keeps the words as
written; a number written as minutes and seconds is refused with the seconds to write).
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Callable, Iterator
from typing import Any

import msgspec

from coach.routine import (
    ADVANCE_FIELDS,
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

# ---------------------------------------------------------------------------- places

Path_ = tuple[str | int, ...]


class Places:
    """Where each value and each key stood in the file, by their path in the document (YAML
    marks: anything with the character `index` where it starts)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.values: dict[Path_, Any] = {}
        self.keys: dict[Path_, Any] = {}
        # The text as written of each plain value read as a number or true/false: a text field
        # is given this text (`title: yes` is the title "yes").
        self.written: dict[Path_, str] = {}
        self.nodes = 0


def line_col(mark: Any, text: str) -> tuple[int | None, int | None]:
    """The mark's line and column as an editor counts them.

    YAML also breaks lines at U+0085, U+2028, U+2029 and a lone CR, which editors show inside a
    line, so the place is counted from the mark's character index instead of its own line.
    """
    if mark is None:
        return None, None
    return line_col_at(int(mark.index), text)


def line_col_at(index: int, text: str) -> tuple[int, int]:
    index = min(index, len(text))
    start = text.rfind("\n", 0, index) + 1
    return text.count("\n", 0, index) + 1, index - start + 1


# ---------------------------------------------------------------------------- validation

_NESTED: dict[str, type[msgspec.Struct]] = {"tempo": Tempo, "words": Words, "advance": Advance}
_ADVANCE_NESTED: dict[str, type[msgspec.Struct]] = {
    "reps": AdvanceReps,
    "hold": AdvanceHold,
    "sets": AdvanceSets,
}


@functools.cache
def _field_names(struct: type[msgspec.Struct]) -> tuple[str, ...]:
    return tuple(f.encode_name for f in msgspec.structs.fields(struct))


_Mapping = tuple[Path_, dict[str, Any], type[msgspec.Struct]]


def _struct_mappings(data: dict[str, Any]) -> Iterator[_Mapping]:
    """The mappings that stand for a struct, and the struct: the routine, each exercise (by its
    index, or its key when `exercises` is a mapping), its tempo, its words, its advance rule and
    the rule's parts; in the file's order."""
    yield (), data, Routine
    exercises = data.get("exercises")
    items: Any = ()
    if isinstance(exercises, dict):
        items = exercises.items()
    elif isinstance(exercises, list):
        items = enumerate(exercises)
    for i, exercise in items:
        if isinstance(exercise, dict):
            yield ("exercises", i), exercise, Exercise
            for key, sub in exercise.items():
                if key in _NESTED and isinstance(sub, dict):
                    yield ("exercises", i, key), sub, _NESTED[key]
                    if key == "advance":
                        for part, rule in sub.items():
                            if part in _ADVANCE_NESTED and isinstance(rule, dict):
                                yield ("exercises", i, key, part), rule, _ADVANCE_NESTED[part]


def _check_keys(data: dict[str, Any], places: Places, name: str) -> None:
    for path, mapping, struct in _struct_mappings(data):
        known = _field_names(struct)
        for key in mapping:
            if key in known:
                continue
            hint = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
            where = _describe(path)
            msg = f"unknown key {key!r}{where}"
            msg += (
                f"; did you mean {hint[0]!r}?" if hint else f"; expected one of: {', '.join(known)}"
            )
            raise RoutineError(name, msg, *line_col(places.keys.get((*path, key)), places.text))


def _describe(path: Path_) -> str:
    """' in exercise 2', ' in exercise 2 tempo', ' in exercise 2 advance.reps'."""
    if len(path) >= 2 and path[0] == "exercises" and isinstance(path[1], int):
        inner = ".".join(p for p in path[2:] if isinstance(p, str))
        return f" in exercise {path[1] + 1}{' ' + inner if inner else ''}"
    return ""


_EXPECT = {
    "title": "a non-empty line of text (at most 80 characters)",
    "name": "a non-empty name (at most 80 characters)",
    "sets": "a whole number from 1 to 20",
    "reps": "a whole number from 1 to 100",
    "hold": "a number of seconds from 0 to 600",
    "rest": "a number of seconds from 0 to 600",
    "relax": "a number of seconds from 0 to 600",
    "rest_between_exercises": "a number of seconds from 0 to 600",
    "get_ready": "a number of seconds from 0 to 120",
    "switch_sides": "a number of seconds from 0 to 120",
    "move": "a number of seconds from 0 to 30",
    "release": "a number of seconds from 0 to 30",
    "sides": "one of: none, both, alternate",
    "first_side": "left or right",
    "self_paced": "true or false",
    "exercises": "a list of 1 to 50 exercises",
    "directions": "a list of up to 8 direction names",
    "tags": "a list of short words",
    "equipment": "a list of items",
    "cues": "a list of up to 20 short lines",
    "mistakes": "a list of up to 20 short lines",
    "tempo": "a mapping of move and release seconds",
    "words": "a mapping of move, hold and release words",
    "say": "a line of text to say (at most 300 characters)",
    "advance": "a mapping with reps, hold or sets (each a step and an up_to), and a then",
    "then": "a line of text (at most 300 characters)",
}
_ADVANCE_EXPECT = {
    "reps": "a mapping of step and up_to (whole numbers of reps from 1 to 100)",
    "hold": "a mapping of step and up_to (seconds above 0, at most 600)",
    "sets": "a mapping of step and up_to (whole numbers of sets from 1 to 20)",
    "reps.step": "a whole number of reps from 1 to 100",
    "reps.up_to": "a whole number of reps from 1 to 100",
    "hold.step": "a number of seconds above 0, at most 600",
    "hold.up_to": "a number of seconds above 0, at most 600",
    "sets.step": "a whole number of sets from 1 to 20",
    "sets.up_to": "a whole number of sets from 1 to 20",
}
_WORD_EXPECT = "a short word (1 to 14 characters)"
_TEXT_EXPECT = "text (at most 2000 characters)"
_MSGSPEC_PATH = re.compile(r" - at `\$(.*)`$")
_PATH_PART = re.compile(r"\.([A-Za-z_][\w]*)|\[(\d+)\]")


def _msgspec_path(message: str) -> tuple[str, Path_]:
    match = _MSGSPEC_PATH.search(message)
    if not match:
        return message, ()
    parts: list[str | int] = []
    for key, index in _PATH_PART.findall(match.group(1)):
        parts.append(key if key else int(index))
    return message[: match.start()], tuple(parts)


def _label(path: Path_) -> str:
    """`hold in exercise 2`, `tempo.move in exercise 1`, `title`: how a message names a value."""
    key = next((p for p in reversed(path) if isinstance(p, str)), "")
    if len(path) >= 4 and path[2] in _NESTED:
        key = ".".join(p for p in path[2:] if isinstance(p, str))
    return f"{key or 'the routine'}{_describe(path[:2])}"


def _explain(reason: str, path: Path_, data: Any, places: Places) -> str:
    missing = re.match(r"Object missing required field `(\w+)`", reason)
    if missing:
        what = _describe(path).removeprefix(" in ") or "the routine"
        return f"{what} has no {missing.group(1)!r}; it is required"
    key = next((p for p in reversed(path) if isinstance(p, str)), "")
    item = bool(path) and isinstance(path[-1], int)
    if item and key == "exercises":
        expect = "an exercise: a mapping with at least a name"
    elif item:
        expect = "a non-empty line of text (at most 300 characters)"
    elif len(path) >= 2 and path[-2] == "words":
        expect = _WORD_EXPECT
    elif len(path) >= 4 and path[2] == "advance" and len(path) > 3:
        inner = ".".join(p for p in path[3:] if isinstance(p, str))
        expect = _ADVANCE_EXPECT.get(inner, _EXPECT.get(key, _TEXT_EXPECT))
    else:
        expect = _EXPECT.get(key, _TEXT_EXPECT)
    value = _lookup(data, path)
    written = places.written.get(path) if not isinstance(value, str) else None
    shown = _show(value) if written is None else _shorten(written)
    return f"{_label(path)}: expected {expect}, got {shown}"


def _lookup(data: Any, path: Path_) -> Any:
    for part in path:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def _show(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return f"a list of {len(value)}"
    if value is None:
        return "nothing"
    return _shorten(repr(value))


def _shorten(text: str) -> str:
    return text if len(text) <= 40 else text[:37] + "..."


def _place(places: Places, path: Path_) -> Any:
    while True:
        if path in places.values:
            return places.values[path]
        if not path:
            return None
        path = path[:-1]


# ---------------------------------------------------------------------------- what was meant

# YAML 1.1's base-60 numbers: `1:30` is 90, `1:30:00` is 5400, `190:20:30.15` is 685230.15.
_BASE_60 = re.compile(r"([-+]?)([0-9][0-9_]*(?::[0-5]?[0-9])+)(\.[0-9_]*)?")


def base_60(text: str) -> str | None:
    """The number YAML 1.1 reads `text` as when it is written in minutes and seconds (or hours,
    minutes and seconds), written out as a plain number; None for anything else."""
    match = _BASE_60.fullmatch(text) if len(text) <= 100 else None
    if not match:
        return None
    sign, whole, fraction = match.groups()
    total = 0
    for part in whole.replace("_", "").split(":"):
        total = total * 60 + int(part)
    fraction = (fraction or "").replace("_", "").rstrip("0").rstrip(".")
    return f"{'-' if sign == '-' and (total or fraction) else ''}{total}{fraction}"


_Settle = Callable[[Any, Path_, Places, str], Any]


@functools.cache
def _settler() -> _Settle:
    import msgspec.inspect  # only when a file is read

    return _compile_settle(msgspec.inspect.type_info(Routine))


def _compile_settle(info: Any) -> _Settle:
    """What settles the values read for a field of this type: the values as the person meant them
    for the field's type. A text field is given the text as written (`no` is the word "no", `010`
    is "010"), and a number written in minutes and seconds is refused with the seconds to write,
    where YAML 1.1 would silently read `1:30` as 90. Each type's is made once, not per value."""
    import msgspec.inspect as mi

    while isinstance(info, (mi.Metadata, mi.UnionType)):
        if isinstance(info, mi.Metadata):
            info = info.type
        else:  # `seconds | None`: the None needs nothing settled
            info = next(t for t in info.types if not isinstance(t, mi.NoneType))
    if isinstance(info, mi.StructType):
        fields = {f.encode_name: _compile_settle(f.type) for f in info.fields}

        def struct(value: Any, path: Path_, places: Places, name: str) -> Any:
            if not isinstance(value, dict):
                return value
            return {
                key: fields[key](sub, (*path, key), places, name) if key in fields else sub
                for key, sub in value.items()
            }

        return struct
    if isinstance(info, mi.ListType):
        item = _compile_settle(info.item_type)

        def items(value: Any, path: Path_, places: Places, name: str) -> Any:
            if not isinstance(value, list):
                return value
            return [item(sub, (*path, i), places, name) for i, sub in enumerate(value)]

        return items
    if isinstance(info, (mi.StrType, mi.LiteralType)):
        return _settle_text
    if isinstance(info, (mi.IntType, mi.FloatType)):
        what = "a whole number" if isinstance(info, mi.IntType) else "a number of seconds"
        return functools.partial(_settle_number, what)
    return _settled


def _settled(value: Any, path: Path_, places: Places, name: str) -> Any:
    return value


def _settle_text(value: Any, path: Path_, places: Places, name: str) -> Any:
    if isinstance(value, str):
        return value
    return places.written.get(path, value)


def _settle_number(what: str, value: Any, path: Path_, places: Places, name: str) -> Any:
    if isinstance(value, str):
        seconds = base_60(value.strip())
        if seconds is not None:
            raise RoutineError(
                name,
                f"{_label(path)}: {value.strip()} is not {what}; write {seconds}",
                *line_col(_place(places, path), places.text),
            )
    return value


def _check_meaning(routine: Routine, places: Places, name: str) -> None:
    for i, ex in enumerate(routine.exercises):
        where = ("exercises", i)
        if not ex.self_paced and ex.hold == 0 and ex.tempo.move + ex.tempo.release == 0:
            raise RoutineError(
                name,
                f"exercise {i + 1} ({ex.name}) has reps that take no time: give it a hold, "
                "a tempo, or self_paced: true",
                *line_col(_place(places, where), places.text),
            )
        if ex.advance is not None:
            _check_advance(i, ex, ex.advance, places, name)
        seen: set[str] = set()
        for j, direction in enumerate(ex.directions):
            if direction in seen:
                raise RoutineError(
                    name,
                    f"direction {direction!r} is listed twice in exercise {i + 1}",
                    *line_col(_place(places, (*where, "directions", j)), places.text),
                )
            seen.add(direction)


def _check_advance(i: int, ex: Exercise, advance: Advance, places: Places, name: str) -> None:
    """An advance rule raises at least one value, and each from where the file puts it: its
    `up_to` is not below the exercise's own value, and a hold grows only on a held rep."""
    where = ("exercises", i, "advance")
    if all(getattr(advance, field) is None for field in ADVANCE_FIELDS):
        raise RoutineError(
            name,
            f"advance in exercise {i + 1} ({ex.name}) raises nothing: give it reps, hold or "
            "sets, each with a step and an up_to",
            *line_col(_place(places, where), places.text),
        )
    for field in ADVANCE_FIELDS:
        rule = getattr(advance, field)
        if rule is None:
            continue
        own = getattr(ex, field)
        if field == "hold" and (own == 0 or ex.self_paced):
            raise RoutineError(
                name,
                f"advance.hold in exercise {i + 1} ({ex.name}): the exercise has no hold to "
                "grow; give it a hold first",
                *line_col(_place(places, (*where, field)), places.text),
            )
        if rule.up_to < own:
            raise RoutineError(
                name,
                f"advance.{field}.up_to in exercise {i + 1} ({ex.name}) is {rule.up_to:g}, "
                f"below the exercise's own {field} of {own:g}; it must be at least that",
                *line_col(_place(places, (*where, field, "up_to")), places.text),
            )


def parse(data: Any, places: Places, name: str) -> Routine:
    """Plain values read from a routine file (with their places) → a Routine, or RoutineError
    naming the place of the first problem."""
    if not isinstance(data, dict):
        raise RoutineError(
            name,
            f"expected a mapping of routine keys (title, exercises, ...), got {_show(data)}",
            1,
            1,
        )
    _check_keys(data, places, name)
    data = _settler()(data, (), places, name)
    try:
        routine = msgspec.convert(data, Routine)
    except msgspec.ValidationError as err:
        reason, path = _msgspec_path(str(err))
        raise RoutineError(
            name, _explain(reason, path, data, places), *line_col(_place(places, path), places.text)
        ) from None
    _check_meaning(routine, places, name)
    return routine


def place_of(places: Places, path: Path_) -> tuple[int | None, int | None]:
    """The line and column of the value at `path` (or of the nearest thing above it)."""
    return line_col(_place(places, path), places.text)
