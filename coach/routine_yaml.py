"""Reading a routine file's YAML into plain values, with the place of every value and key.

The text is parsed to nodes, so every value keeps its line and column, and checked for what
YAML allows but a routine never needs: tags, huge or deeply nested documents, alias bombs,
duplicate keys, unprintable characters. Kept apart from the model so that PyYAML loads only
when a file is read (Home shows routines from the catalog's cache without it).
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path
from typing import Any

import yaml

from coach.plan import PlanTooLong, build_plan
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

_ALLOWED_TAGS = {
    "tag:yaml.org,2002:" + name for name in ("str", "int", "float", "bool", "null", "seq", "map")
}
_LOOSE_TAGS = {"tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:binary"}


class _Loader(yaml.SafeLoader):
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


def _trusted_loader() -> Any:
    """For the routines that ship with coach: libyaml's parser when there is one. It is several
    times faster, and their size and depth need no guarding (their tests load every one)."""
    return getattr(yaml, "CSafeLoader", _Loader)


class _Refused(Exception):
    def __init__(self, message: str, mark: Any) -> None:
        super().__init__(message)
        self.message = message
        self.mark = mark


def _to_python(loader: Any, node: yaml.Node, path: Path_, places: Places, depth: int) -> Any:
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
                or key_node.tag == "tag:yaml.org,2002:merge"
            ):
                raise _Refused("keys must be plain names", key_node.start_mark)
            key = str(key_node.value)
            if key in out:
                raise _Refused(f"duplicate key {key!r}", key_node.start_mark)
            places.keys[(*path, key)] = key_node.start_mark
            out[key] = _to_python(loader, value_node, (*path, key), places, depth + 1)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [
            _to_python(loader, item, (*path, i), places, depth + 1)
            for i, item in enumerate(node.value)
        ]
    value = (
        str(node.value) if node.tag in _LOOSE_TAGS else loader.construct_object(node, deep=False)
    )
    bad = _UNPRINTABLE.search(value) if isinstance(value, str) else None
    if bad:
        raise _Refused(
            f"the text holds an unprintable character (U+{ord(bad.group()):04X}); "
            "routine text must be plain, printable text",
            node.start_mark,
        )
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
        return _to_python(loader, node, (), places, 0), places
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
        build_plan(routine)
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
