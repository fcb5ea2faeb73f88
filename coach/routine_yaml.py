"""Reading a routine file's YAML into plain values, with the place of every value and key.

The text is parsed to nodes, so every value keeps its line and column, and checked for what
YAML allows but a routine never needs: tags, huge or deeply nested documents, alias bombs,
duplicate keys, unprintable characters. Kept apart from the model so that PyYAML loads only
when a file is read (Home shows routines from the catalog's cache without it).

There are three readers, and they give the same values and places for every text: a user's
file is read from libyaml's events (`yaml_events`, several times faster), which leaves anything
it cannot decide exactly as the pure-Python reader here would (every error among them) to that
one, so an error is always worded and placed by it; the built-in routines are read by libyaml's
own composer, unguarded. What a plain value means is read by `yaml_scalars.read_plain`, not by
YAML 1.1's rules; every reader leaves every scalar to `yaml_scalars.read_scalar`.
"""

from __future__ import annotations

import functools
import os
import stat
from pathlib import Path
from typing import Any

import yaml

from coach.plan import PlanTooLong, plan_length
from coach.routine import MAX_DEPTH, MAX_NODES, Routine, RoutineError
from coach.routine_check import Path_, Places, line_col, line_col_at, parse, place_of
from coach.yaml_events import read_events
from coach.yaml_scalars import (
    MERGE,
    PLAIN,
    VALUE_TAGS,
    read_plain,
    read_scalar,
    refuse_tag,
)
from coach.yaml_scalars import Refused as _Refused

__all__ = ["MAX_FILE_BYTES", "load_routine", "parse_routine", "read_plain", "read_yaml"]

MAX_FILE_BYTES = 256 * 1024


class _PlainScalars:
    """Tags every plain scalar `_PLAIN` instead of guessing its type by YAML 1.1's patterns. The
    parsers (pure Python and libyaml alike) ask `resolve` for the tag of each untagged node."""

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        if kind is yaml.ScalarNode and implicit[0]:
            return PLAIN
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


def _to_python(node: yaml.Node, path: Path_, places: Places, depth: int) -> Any:
    places.nodes += 1
    if places.nodes > MAX_NODES:
        raise _Refused(
            f"more than {MAX_NODES} values (aliases expanding too far?)", node.start_mark
        )
    if depth > MAX_DEPTH:
        raise _Refused(f"nested more than {MAX_DEPTH} levels deep", node.start_mark)
    places.values.setdefault(path, node.start_mark)
    if node.tag not in VALUE_TAGS:
        raise refuse_tag(node.tag, node.start_mark)
    if isinstance(node, yaml.MappingNode):
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if (
                not isinstance(key_node, yaml.ScalarNode)
                or key_node.tag == MERGE
                or (key_node.tag == PLAIN and key_node.value == "<<")
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
    value, written = read_scalar(node.tag, str(node.value), node.start_mark)
    if written is not None:
        places.written[path] = written
    return value


def read_yaml(text: str, name: str, trusted: bool = False) -> tuple[Any, Places]:
    """The values of a routine file's text and their places, or RoutineError."""
    if not trusted and (read := read_events(text)) is not None:
        return read
    return _read_nodes(text, name, trusted)


def _read_nodes(text: str, name: str, trusted: bool) -> tuple[Any, Places]:
    """`read_yaml` by composing nodes: the pure-Python guarded reader, or libyaml's composer
    for a trusted text."""
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
    except ValueError:  # PyYAML's scanner on `"\U00110000"`: chr() of no character
        where = line_col(loader.get_mark(), text) if isinstance(loader, _Loader) else (None, None)
        problem = "not valid YAML: an escape names no character (beyond U+10FFFF)"
        raise RoutineError(name, problem, *where) from None
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
