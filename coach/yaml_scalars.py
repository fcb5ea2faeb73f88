"""What a YAML scalar means in a routine file, and which tags a routine may use.

Shared by both readers of a routine file's YAML (the pure-Python one in `routine_yaml` and the
one on libyaml's events in `yaml_events`), so that a value cannot read differently in one.

What a plain (unquoted, untagged) value means is read here, not by YAML 1.1's rules, which turn
`010` into 8 and `1:30` into 90: see `read_plain`.
"""

from __future__ import annotations

import math
import re
from typing import Any

YAML = "tag:yaml.org,2002:"
# A plain scalar: the readers tag it so (YAML 1.1 would guess int, float, bool, null, timestamp,
# merge or value from its look) and `read_plain` reads it.
PLAIN = "tag:coach,2024:plain"
STR, SEQ, MAP, MERGE = YAML + "str", YAML + "seq", YAML + "map", YAML + "merge"
TYPED_TAGS = frozenset(YAML + name for name in ("int", "float", "bool", "null"))
ALLOWED_TAGS = frozenset({PLAIN, STR, SEQ, MAP, *TYPED_TAGS})
LOOSE_TAGS = frozenset({YAML + "timestamp", YAML + "binary"})
# Every tag a value may have: the loose ones keep their text as written.
VALUE_TAGS = ALLOWED_TAGS | LOOSE_TAGS


class Refused(Exception):
    """What YAML allows and a routine does not, and the mark of where it stands."""

    def __init__(self, message: str, mark: Any) -> None:
        super().__init__(message)
        self.message = message
        self.mark = mark


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
# What a number or a special value can start with: any other text is text (a shortcut only).
_NUMBER_START = frozenset("0123456789+-.")


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
    if text[0] not in _NUMBER_START:
        return text
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
    kind = tag.removeprefix(YAML)
    fits = {
        "null": value is None,
        "bool": isinstance(value, bool),
        "int": isinstance(value, int) and not isinstance(value, bool),
        "float": isinstance(value, (int, float)) and not isinstance(value, bool),
    }[kind]
    if not fits:
        raise ValueError(kind)
    return float(value) if kind == "float" else value


# C0 and C1 control characters other than tab and line feed, and lone surrogates: none of them
# belongs in a routine, and printed to a terminal they move the cursor, clear the screen or crash.
UNPRINTABLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


def printable(text: str) -> str:
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def refuse_tag(tag: str, mark: Any) -> Refused:
    """The refusal of a value with a tag outside VALUE_TAGS."""
    shown = printable(str(tag).replace(YAML, "!!"))
    return Refused(f"the tag {shown} is not allowed in a routine", mark)


def read_scalar(tag: str, text: str, mark: Any) -> tuple[Any, str | None]:
    """The value of a scalar of one of VALUE_TAGS, and its text as written when that was read
    as a number or true/false (a text field is given that text; `routine.parse` decides).
    Raises Refused for a tag that does not fit the text, or text that is not printable."""
    written = None
    if tag == PLAIN:
        value = read_plain(text)
    elif tag in TYPED_TAGS:
        try:
            value = _read_tagged(tag, text)
        except ValueError:
            shown = tag.replace(YAML, "!!")
            raise Refused(f"{text[:40]!r} does not fit the tag {shown}", mark) from None
    else:
        value = text  # !!str, and the loose tags: their text as written
    if value is not None and not isinstance(value, str):
        written = text
    elif isinstance(value, str) and (bad := UNPRINTABLE.search(value)):
        raise Refused(
            f"the text holds an unprintable character (U+{ord(bad.group()):04X}); "
            "routine text must be plain, printable text",
            mark,
        )
    return value, written
