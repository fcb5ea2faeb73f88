"""Reading a routine file's YAML into plain values, with the place of every value and key.

The text is parsed to nodes, so every value keeps its line and column, and checked for what
YAML allows but a routine never needs: tags, huge or deeply nested documents, alias bombs,
duplicate keys, unprintable characters. Kept apart from the model so that PyYAML loads only
when a file is read (Home shows routines from the catalog's cache without it).

What a plain (unquoted, untagged) value means is read here, not by YAML 1.1's rules, which turn
`010` into 8 and `1:30` into 90: see `read_plain`. Both parsers (the guarded one and the fast
one for the built-in routines) leave every plain value to it, so they cannot disagree.
"""

from __future__ import annotations

import functools
import math
import os
import re
import stat
from pathlib import Path
from typing import Any

import yaml

from coach.plan import PlanTooLong, plan_length
from coach.routine import (
    MAX_DEPTH,
    MAX_NODES,
    Path_,
    Places,
    Routine,
    RoutineError,
    line_col,
    line_col_at,
    parse,
    place_of,
)

MAX_FILE_BYTES = 256 * 1024

_YAML = "tag:yaml.org,2002:"
# A plain scalar: the parsers tag it so (YAML 1.1 would guess int, float, bool, null, timestamp,
# merge or value from its look) and `read_plain` reads it.
_PLAIN = "tag:coach,2024:plain"
_TYPED_TAGS = {_YAML + name for name in ("int", "float", "bool", "null")}
_ALLOWED_TAGS = {_PLAIN, _YAML + "str", _YAML + "seq", _YAML + "map", *_TYPED_TAGS}
_LOOSE_TAGS = {_YAML + "timestamp", _YAML + "binary"}


class _PlainScalars:
    """Tags every plain scalar `_PLAIN` instead of guessing its type by YAML 1.1's patterns. The
    parsers (pure Python and libyaml alike) ask `resolve` for the tag of each untagged node."""

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        if kind is yaml.ScalarNode and implicit[0]:
            return _PLAIN
        return super().resolve(kind, value, implicit)  # type: ignore[misc]


class _Loader(_PlainScalars, yaml.SafeLoader):
    """A safe loader that refuses documents nested deeper or larger than a routine ever is."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0
        self._nodes = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        self._depth += 1
        self._nodes += 1
        try:
            if self._depth > MAX_DEPTH:
                mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]
                raise _Refused(f"nested more than {MAX_DEPTH} levels deep", mark)
            if self._nodes > MAX_NODES:
                mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]
                raise _Refused(f"more than {MAX_NODES} values; far more than a routine needs", mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


@functools.cache
def _trusted_loader() -> Any:
    """For the routines that ship with coach: libyaml's parser when there is one. It is several
    times faster, and their size and depth need no guarding (their tests load every one)."""
    fast = getattr(yaml, "CSafeLoader", None)
    if fast is None:
        return _Loader
    return type("_FastLoader", (_PlainScalars, fast), {})


# ---------------------------------------------------------------------------- plain values

_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_BOOLS = {
    **dict.fromkeys(("true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON"), True),
    **dict.fromkeys(("false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF"), False),
}
# Digits with underscores anywhere after the first (YAML 1.1 allows `1_000`), always decimal:
# a leading zero is a leading zero, not octal.
_DECIMAL = re.compile(r"[-+]?[0-9][0-9_]*")
_PREFIXED = re.compile(r"[-+]?0(?:x_*[0-9a-fA-F][0-9a-fA-F_]*|o_*[0-7][0-7_]*|b_*[01][01_]*)")
_BASES = {"x": 16, "o": 8, "b": 2}
_FRACTION = re.compile(r"[-+]?(?:[0-9][0-9_]*(?:\.[0-9_]*)?|\.[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)?")
_SPECIAL = {
    **dict.fromkeys((".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"), math.inf),
    **dict.fromkeys(("-.inf", "-.Inf", "-.INF"), -math.inf),
    **dict.fromkeys((".nan", ".NaN", ".NAN"), math.nan),
}


def read_plain(text: str) -> Any:
    """What a plain scalar means in a routine: None, a bool, an int, a float, or its text.

    The differences from YAML 1.1 are on purpose, so that nothing is read as another value than
    the one written: `010` and `0_10` are ten (YAML 1.1: eight); `1:30` stays the text `1:30`,
    which a number field refuses with the seconds to write (YAML 1.1: silently 90); `1e3` and
    `+.5` are numbers (YAML 1.1: text); dates, `=` and `<<` stay text. Text fields are given
    the text as written whatever it looks like (`routine.parse`), so only number and true/false
    fields see what is read here.
    """
    if text in _NULLS:
        return None
    if text in _BOOLS:
        return _BOOLS[text]
    if _DECIMAL.fullmatch(text):
        digits = text.replace("_", "")
        # Python refuses to read more than 4300 digits as an int; so many are out of any range.
        return int(digits, 10) if len(digits) <= 100 else float(digits)
    if _PREFIXED.fullmatch(text):
        digits = text.replace("_", "")
        return int(digits, _BASES[digits.lstrip("+-")[1]])
    if _FRACTION.fullmatch(text):
        return float(text.replace("_", ""))
    return _SPECIAL.get(text, text)


def _read_tagged(tag: str, text: str) -> Any:
    """A scalar with an explicit `!!int`, `!!float`, `!!bool` or `!!null` tag: the same reading
    as a plain one, and the tag must fit it (YAML 1.1 would crash on `!!int abc`)."""
    value = read_plain(text)
    kind = tag.removeprefix(_YAML)
    fits = {
        "null": value is None,
        "bool": isinstance(value, bool),
        "int": isinstance(value, int) and not isinstance(value, bool),
        "float": isinstance(value, (int, float)) and not isinstance(value, bool),
    }[kind]
    if not fits:
        raise ValueError(kind)
    return float(value) if kind == "float" else value


class _Refused(Exception):
    def __init__(self, message: str, mark: Any) -> None:
        super().__init__(message)
        self.message = message
        self.mark = mark


def _to_python(node: yaml.Node, path: Path_, places: Places, depth: int) -> Any:
    places.nodes += 1
    if places.nodes > MAX_NODES:
        raise _Refused(
            f"more than {MAX_NODES} values (aliases expanding too far?)", node.start_mark
        )
    if depth > MAX_DEPTH:
        raise _Refused(f"nested more than {MAX_DEPTH} levels deep", node.start_mark)
    places.values.setdefault(path, node.start_mark)
    if node.tag not in _ALLOWED_TAGS | _LOOSE_TAGS:
        tag = _printable(str(node.tag).replace("tag:yaml.org,2002:", "!!"))
        raise _Refused(f"the tag {tag} is not allowed in a routine", node.start_mark)
    if isinstance(node, yaml.MappingNode):
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if (
                not isinstance(key_node, yaml.ScalarNode)
                or key_node.tag == _YAML + "merge"
                or (key_node.tag == _PLAIN and key_node.value == "<<")
            ):
                raise _Refused("keys must be plain names", key_node.start_mark)
            key = str(key_node.value)
            if key in out:
                raise _Refused(f"duplicate key {key!r}", key_node.start_mark)
            places.keys[(*path, key)] = key_node.start_mark
            out[key] = _to_python(value_node, (*path, key), places, depth + 1)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [
            _to_python(item, (*path, i), places, depth + 1) for i, item in enumerate(node.value)
        ]
    value = _scalar(node, path, places)
    bad = _UNPRINTABLE.search(value) if isinstance(value, str) else None
    if bad:
        raise _Refused(
            f"the text holds an unprintable character (U+{ord(bad.group()):04X}); "
            "routine text must be plain, printable text",
            node.start_mark,
        )
    return value


def _scalar(node: yaml.Node, path: Path_, places: Places) -> Any:
    text = str(node.value)
    if node.tag == _PLAIN:
        value = read_plain(text)
    elif node.tag in _TYPED_TAGS:
        try:
            value = _read_tagged(node.tag, text)
        except ValueError:
            tag = node.tag.replace(_YAML, "!!")
            raise _Refused(f"{text[:40]!r} does not fit the tag {tag}", node.start_mark) from None
    else:
        return text  # !!str, and the loose tags: their text as written
    if value is not None and not isinstance(value, str):
        places.written[path] = text  # what a text field is given (routine.parse decides)
    return value


# C0 and C1 control characters other than tab and line feed, and lone surrogates: none of them
# belongs in a routine, and printed to a terminal they move the cursor, clear the screen or crash.
_UNPRINTABLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


def _printable(text: str) -> str:
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def read_yaml(text: str, name: str, trusted: bool = False) -> tuple[Any, Places]:
    """The values of a routine file's text and their places, or RoutineError."""
    places = Places(text)
    loader: Any = None
    try:
        loader = _trusted_loader()(text) if trusted else _Loader(text)
        node = loader.get_single_node()
        if node is None:
            raise RoutineError(name, "the file is empty; a routine needs a title and exercises")
        return _to_python(node, (), places, 0), places
    except _Refused as refused:
        raise RoutineError(name, refused.message, *line_col(refused.mark, text)) from None
    except yaml.reader.ReaderError as err:
        problem = f"not valid YAML: character {err.character!r} is not allowed"
        raise RoutineError(name, problem, *line_col_at(err.position, text)) from None
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        problem = (err.problem or err.context or "not valid YAML").strip()
        if "expected a single document" in (err.context or ""):
            problem = "only one YAML document is allowed in a routine file"
        raise RoutineError(name, f"not valid YAML: {problem}", *line_col(mark, text)) from None
    except yaml.YAMLError as err:
        raise RoutineError(name, f"not valid YAML: {err}".splitlines()[0]) from None
    except RecursionError:
        raise RoutineError(name, f"nested more than {MAX_DEPTH} levels deep") from None
    finally:
        if loader is not None:
            loader.dispose()


def parse_routine(text: str, name: str = "<routine>", *, trusted: bool = False) -> Routine:
    """Turn the text of a routine file into a Routine, or raise RoutineError. `trusted` is for
    the built-in routines only: it parses them with the faster, unguarded parser."""
    data, places = read_yaml(text, name, trusted)
    routine = parse(data, places, name)
    try:
        plan_length(routine)
    except PlanTooLong as err:
        raise RoutineError(name, str(err), *place_of(places, ("exercises",))) from None
    return routine


def load_routine(path: Path, display: str | None = None, *, trusted: bool = False) -> Routine:
    """Read and parse a routine file; every failure is a RoutineError naming the file."""
    name = display or str(path)
    try:
        if not stat.S_ISREG(mode := os.stat(path).st_mode) and not stat.S_ISDIR(mode):
            raise RoutineError(name, "not a regular file (a pipe, device or socket?)")
        with open(path, "rb") as f:
            raw = f.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        raise RoutineError(name, "no such file") from None
    except IsADirectoryError:
        raise RoutineError(name, "is a directory, not a routine file") from None
    except OSError as err:
        raise RoutineError(name, f"cannot be read: {err.strerror or err}") from None
    if len(raw) > MAX_FILE_BYTES:
        raise RoutineError(
            name, f"the file is larger than {MAX_FILE_BYTES // 1024} KiB; not a routine"
        )
    if b"\x00" in raw:
        raise RoutineError(name, "not a text file (it holds binary data)")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        raise RoutineError(name, "not a UTF-8 text file", line, 1) from None
    return parse_routine(text, name, trusted=trusted)
