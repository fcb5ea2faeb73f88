"""The `coach list` table, laid out by hand.

Rich's Table measures and wraps every cell through its renderables, about half a millisecond
a row; with a hundred routines that was most of the command's time. This draws the same kind
of table (a heavy head, light body, the same columns) from plain strings: each cell is measured
once, and only a cell wider than its column is wrapped.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.cells import cell_len, chop_cells
from rich.text import Span, Text


@dataclass(frozen=True)
class Column:
    header: str
    style: str = ""
    right: bool = False  # justified right
    wrap: bool = True


def _fit(natural: list[int], columns: Sequence[Column], room: int) -> list[int]:
    """Column widths within `room`: the widest wrapping column gives way first, a cell at a time."""
    widths = list(natural)
    floor = [
        cell_len(c.header) if not c.wrap else min(n, 4)
        for c, n in zip(columns, natural, strict=True)
    ]
    while sum(widths) > room:
        shrinkable = [i for i, c in enumerate(columns) if c.wrap and widths[i] > floor[i]]
        if not shrinkable:
            shrinkable = [i for i in range(len(widths)) if widths[i] > 1]
            if not shrinkable:
                break
        widest = max(shrinkable, key=lambda i: widths[i])
        widths[widest] -= 1
    return widths


def _wrap(text: str, width: int) -> list[str]:
    """Words to lines of at most `width` cells; a word longer than that is cut."""
    if cell_len(text) <= width:
        return [text]
    lines: list[str] = []
    line = ""
    for word in text.split(" "):
        candidate = f"{line} {word}" if line else word
        if cell_len(candidate) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
        pieces = chop_cells(word, width) if cell_len(word) > width else [word]
        lines.extend(pieces[:-1])
        line = pieces[-1]
    lines.append(line)
    return lines


def _pad(text: str, width: int, right: bool) -> str:
    gap = " " * max(0, width - cell_len(text))
    return gap + text if right else text + gap


def table(title: str, columns: Sequence[Column], rows: Sequence[Sequence[str]], width: int) -> Text:
    """The table as one Text, `width` cells wide at most; every cell is literal text."""
    natural = [
        max([cell_len(c.header), *(cell_len(row[i]) for row in rows)])
        for i, c in enumerate(columns)
    ]
    widths = _fit(natural, columns, max(len(columns), width - 3 * len(columns) - 1))
    parts: list[str] = []
    spans: list[Span] = []
    at = 0  # where the next part starts, in characters

    def put(part: str, style: str = "") -> None:
        nonlocal at
        if style and part:
            spans.append(Span(at, at + len(part), style))
        parts.append(part)
        at += len(part)

    def rule(left: str, fill: str, cross: str, right: str) -> None:
        put(left + cross.join(fill * (w + 2) for w in widths) + right + "\n")

    def line(cells: Sequence[str], bar: str, header: bool) -> None:
        wrapped = [
            _wrap(cell, w) if c.wrap else [chop_cells(cell, w)[0] if cell else ""]
            for cell, w, c in zip(cells, widths, columns, strict=True)
        ]
        for k in range(max(len(lines) for lines in wrapped)):
            put(bar)
            for lines, w, c in zip(wrapped, widths, columns, strict=True):
                put(" ")
                put(
                    _pad(lines[k] if k < len(lines) else "", w, c.right),
                    "bold" if header else c.style,
                )
                put(" " + bar)
            put("\n")

    put(title + "\n", "italic")
    rule("┏", "━", "┳", "┓")
    line([c.header for c in columns], "┃", header=True)
    rule("┡", "━", "╇", "┩")
    for row in rows:
        line(row, "│", header=False)
    rule("└", "─", "┴", "┘")
    return Text("".join(parts).rstrip("\n"), spans=spans, no_wrap=True, overflow="ignore")
