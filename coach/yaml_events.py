"""Reading a user's routine file from libyaml's events: fast, and as guarded as the pure reader.

libyaml's parser (C) turns the text into events; the values and their places are composed from
them here, with every limit and check of the pure-Python reader in `routine_yaml` (`_Loader`
and `_to_python`): the depth, counted while composing; the number of values, composed and
expanded through aliases; anchors and aliases as PyYAML's composer links them; the tags; keys
that are plain and not repeated; one document. libyaml's own composer is not used: it recurses
in C without a limit, and a deeply nested file would crash the process.

Whatever this reader cannot decide exactly as the pure one would, it does not decide: it returns
None and the pure reader reads the text. That is every error (so each is worded and placed by
one reader only), text holding a character the two parsers read differently, and any text when
PyYAML has no libyaml. tests/unit/test_yaml_events.py holds the two to the same answers.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from yaml.events import (
    AliasEvent,
    DocumentEndEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
    StreamStartEvent,
)

from coach.routine import MAX_DEPTH, MAX_NODES
from coach.routine_check import Path_, Places
from coach.yaml_scalars import MERGE, PLAIN, STR, UNPRINTABLE, VALUE_TAGS, read_plain, read_scalar


def _libyaml_parser() -> Any:
    try:
        from yaml._yaml import CParser
    except ImportError:  # PyYAML built without libyaml
        return None
    return CParser


CParser: Any = _libyaml_parser()

# Text libyaml and PyYAML's pure-Python scanner read differently. A tab: libyaml allows one where
# PyYAML refuses it (after `key:`, in flow style). A byte-order mark, which PyYAML skips only at
# the start. What PyYAML's reader refuses: control characters, surrogates. A comment right after
# a block scalar's `|` or `>`, which PyYAML refuses.
_READ_DIFFERENTLY = re.compile(
    "[^\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]|[|>][-+0-9]*#"
)
# A tag followed by `,`, `[`, `]`, `{` or `}`: PyYAML reads them as part of the tag, libyaml in
# flow style as the end of it.
_TAG_THEN_FLOW = re.compile(r"![^\s]*[,\[\]{}]")


class _Undecided(Exception):
    """What the pure reader must decide."""


def read_events(text: str) -> tuple[Any, Places] | None:
    """The values of `text` and their places as `routine_yaml`'s pure reader gives them, or None
    where that reader must answer (it has an error to give, or this one cannot tell)."""
    if CParser is None or _READ_DIFFERENTLY.search(text):
        return None
    try:
        return _Composer(text).document()
    except Exception:  # libyaml's errors, refusals, anything: for the pure reader to word
        return None


class _Composer:
    """Composes the values of one document from the events, as the pure reader's composer
    (PyYAML's, with `_Loader`'s limits) and then `_to_python` would, in one pass.

    `depth` is a value's nesting (the root's is 0). While the events are read for the first time
    a node is also counted and its depth checked as the composer does it (its depth is one more).
    An alias is read by reading the anchored node's events again at the alias's path, as
    `_to_python` walks the one node the composer links to both places; an alias to a node not
    yet complete (one inside itself) would never end there, so it is left to the pure reader.
    """

    def __init__(self, text: str) -> None:
        self.parser = CParser(text)
        # The next event: the parser's, while no anchored node is being read (the usual case).
        self.read: Callable[[], Any] = self.parser.get_event
        self.recording: list[Any] = []  # the events since the first open anchor
        self.open: dict[str, int] = {}  # anchors of nodes being read -> their start in recording
        self.anchors: dict[str, list[Any]] = {}  # name -> its node's events
        self.again = 0  # > 0 while an alias's events are read again
        self.composed = 0
        self.tagged = False  # a node or key has a tag of its own
        self.places = Places(text)

    def record(self) -> Any:
        event = self.parser.get_event()
        self.recording.append(event)
        return event

    def document(self) -> tuple[Any, Places]:
        read = self.read
        if type(read()) is not StreamStartEvent or type(read()) is not DocumentStartEvent:
            raise _Undecided  # an empty file
        data = self.node(read(), (), 0)
        if type(read()) is not DocumentEndEvent or type(read()) is not StreamEndEvent:
            raise _Undecided  # more than one document
        if self.tagged and _TAG_THEN_FLOW.search(self.places.text):
            raise _Undecided
        return data, self.places

    def compose(self, event: Any, depth: int) -> None:
        """The composer's count and depth for a node read for the first time, and its anchor (an
        anchor used twice is an error there)."""
        self.composed += 1
        if depth >= MAX_DEPTH or self.composed > MAX_NODES:
            raise _Undecided
        anchor = event.anchor
        if anchor is None or type(event) is AliasEvent:
            return
        if anchor in self.anchors or anchor in self.open:
            raise _Undecided
        if type(event) is ScalarEvent:
            self.anchors[anchor] = [event]
            return
        if not self.open:
            self.recording = [event]
            self.read = self.record
        self.open[anchor] = len(self.recording) - 1

    def close(self, anchor: str) -> None:
        self.anchors[anchor] = self.recording[self.open.pop(anchor) :]
        if not self.open:
            self.recording = []
            self.read = self.parser.get_event

    def alias(self, event: Any, path: Path_, depth: int) -> Any:
        events = self.anchors.get(event.anchor)
        if events is None:
            raise _Undecided  # undefined, or a node inside itself
        read = self.read
        again = iter(events)
        self.read = again.__next__
        self.again += 1
        try:
            value = self.node(self.read(), path, depth)
        finally:
            self.again -= 1
            self.read = read
        if next(again, None) is not None:
            raise _Undecided
        return value

    def node(self, event: Any, path: Path_, depth: int, flow: bool = False) -> Any:
        """The value of the node that starts with `event`; `flow`: inside a flow collection."""
        kind = type(event)
        if not self.again:
            self.compose(event, depth)
        if kind is AliasEvent:
            return self.alias(event, path, depth)
        places = self.places
        places.nodes += 1
        if places.nodes > MAX_NODES or depth > MAX_DEPTH:
            raise _Undecided
        mark = event.start_mark
        places.values.setdefault(path, mark)
        tag = event.tag
        if kind is ScalarEvent:
            text = event.value
            if flow and not event.style and (not text or "?" in text):
                raise _Undecided  # placed (empty) or scanned (`?`) differently in flow style
            if tag is None and event.implicit[0]:  # plain: the usual case, read_scalar inlined
                value = read_plain(text)
                if value is None:
                    return None
                if type(value) is not str:
                    places.written[path] = text
                    return value
                if UNPRINTABLE.search(value):
                    raise _Undecided
                return value
            if tag is None:
                tag = STR
            elif tag not in VALUE_TAGS:
                raise _Undecided  # refused, or `!`, which PyYAML reads as plain even when empty
            else:
                self.tagged = True
            value, written = read_scalar(tag, text, mark)
            if written is not None:
                places.written[path] = written
            return value
        if tag is not None:
            if tag not in VALUE_TAGS:
                raise _Undecided
            self.tagged = True
        if kind is MappingStartEvent:
            value = self.mapping(path, depth, flow or event.flow_style)
        elif kind is SequenceStartEvent:
            value = self.sequence(path, depth, flow or event.flow_style)
        else:
            raise _Undecided
        if not self.again and event.anchor is not None:
            self.close(event.anchor)
        return value

    def mapping(self, path: Path_, depth: int, flow: bool) -> dict[str, Any]:
        out: dict[str, Any] = {}
        keys = self.places.keys
        read = self.read
        node = self.node
        while True:
            event = read()
            kind = type(event)
            if kind is MappingEndEvent:
                return out
            if not self.again:
                self.compose(event, depth + 1)
            if kind is AliasEvent:
                event = self.anchors.get(event.anchor, [None])[0]
                kind = type(event)
            if kind is not ScalarEvent:
                raise _Undecided  # a key that is not a scalar (or an alias to nothing)
            key = event.value
            if flow and not event.style and (not key or "?" in key):
                raise _Undecided
            tag = event.tag
            if tag is None:
                tag = PLAIN if event.implicit[0] else STR
            elif tag not in VALUE_TAGS:
                # The pure reader lets a key have any tag, but PyYAML and libyaml read some tags
                # apart (`!a!b`: a handle to PyYAML, a suffix to libyaml), and `!` differently.
                raise _Undecided
            else:
                self.tagged = True
            if tag == MERGE or (tag == PLAIN and key == "<<") or key in out:
                raise _Undecided
            keys[(*path, key)] = event.start_mark
            out[key] = node(read(), (*path, key), depth + 1, flow)
            read = self.read  # the value's anchor may have started or ended a recording

    def sequence(self, path: Path_, depth: int, flow: bool) -> list[Any]:
        out: list[Any] = []
        while True:
            event = self.read()
            if type(event) is SequenceEndEvent:
                return out
            out.append(self.node(event, (*path, len(out)), depth + 1, flow))
