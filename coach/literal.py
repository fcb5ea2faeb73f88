"""Text from files and people, shown exactly as written.

Titles, names, cues, notes, file names and error messages are data, never markup: every surface
builds `rich.text.Text` from them (or prints them plainly), so `Hips [beginner] [/]` reads just
so. Control characters, which would move the cursor, clear the screen or ring the bell, the
marks that turn the direction of text, and the stand-ins Python uses for bytes of a file name
that are not UTF-8, are shown escaped.
"""

from __future__ import annotations

import re

from rich.text import Text

# C0 controls other than tab and line feed, DEL, C1 controls, lone surrogates, and the marks
# that turn the direction of text (a right-to-left override would show "(evil)" as "(live)",
# and run on into whatever follows it on the line).
_HIDDEN = re.compile(
    r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)


def _escape(match: re.Match[str]) -> str:
    code = ord(match[0])
    if 0xDC80 <= code <= 0xDCFF:  # a byte of a file name that was not UTF-8
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def shown(text: str) -> str:
    """`text` with every control character written out as an escape (ESC → `\\x1b`)."""
    return _HIDDEN.sub(_escape, text)


def one_line(text: str) -> str:
    """`text` as `shown` writes it, with line breaks written out too (`\\n`): for a message
    that must stay one line, whatever a name in it holds."""
    return shown(text).replace("\n", "\\n")


def literal(text: str, style: str = "") -> Text:
    """`text` as a rich Text, exactly as written (no markup), control characters escaped."""
    return Text(shown(text), style=style)
