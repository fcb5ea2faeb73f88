"""A labelled sparkline on a fixed scale, two rows tall, with the latest value at its end.

A fixed scale (pain from 0 to 10) keeps the bars honest: a flat line of 2s stays low instead
of filling the space the way a scale taken from the data would.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rich.text import Text
from textual.geometry import Size
from textual.widget import Widget

BLOCKS = " ▁▂▃▄▅▆▇█"
ROWS = 2
LEVELS = ROWS * (len(BLOCKS) - 1)


def level(value: float, high: float) -> int:
    """1 (the lowest value still shows a thin bar) to LEVELS (`high` and above)."""
    share = min(max(value / high, 0.0), 1.0) if high > 0 else 0.0
    return 1 + round(share * (LEVELS - 1))


def bar_rows(values: Sequence[float | None], high: float, width: int = 1) -> list[str]:
    """The bars, `width` cells each, as ROWS strings, top row first; a missing value leaves
    a gap."""
    rows = ["" for _ in range(ROWS)]
    step = len(BLOCKS) - 1
    for value in values:
        filled = 0 if value is None else level(value, high)
        for row in range(ROWS):
            floor = (ROWS - 1 - row) * step
            rows[row] += BLOCKS[min(max(filled - floor, 0), step)] * width
    return rows


def latest(values: Sequence[float | None]) -> float | None:
    return next((value for value in reversed(values) if value is not None), None)


class TrendLine(Widget):
    """`label` on the bottom row, the bars (the latest at the right), then the latest value."""

    COMPONENT_CLASSES = {"trendline--label", "trendline--bar", "trendline--value"}
    DEFAULT_CSS = """
    TrendLine {
        width: 1fr;
        height: 2;
    }
    TrendLine > .trendline--label { color: $foreground 80%; }
    TrendLine > .trendline--bar { color: $primary; }
    TrendLine > .trendline--value { text-style: bold; }
    """

    def __init__(
        self,
        label: str,
        *,
        high: float | None = None,
        show_value: Callable[[float], str] = lambda value: f"{value:g}",
        label_width: int = 12,
        value_width: int = 7,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.label = label
        self.high = high
        self.show_value = show_value
        self.label_width = label_width
        self.value_width = value_width
        self.values: list[float | None] = []

    def show(self, values: Sequence[float | None]) -> None:
        self.values = list(values)
        self.refresh()

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return ROWS

    def render(self) -> Text:
        room = max(0, self.size.width - self.label_width - self.value_width)
        values = self.values[-room:] if room else []
        known = [value for value in values if value is not None]
        high = self.high if self.high is not None else max(known, default=0.0)
        wide = 2 if len(values) * 2 <= room else 1  # a few points: wider bars
        rows = bar_rows(values, high, wide)
        last = latest(self.values)
        value = "" if last is None else self.show_value(last)
        label = self.get_component_rich_style("trendline--label")
        bar = self.get_component_rich_style("trendline--bar")
        text = Text(no_wrap=True, end="")
        for n, row in enumerate(rows):
            bottom = n == ROWS - 1
            text.append(f"{self.label if bottom else '':<{self.label_width}}", style=label)
            text.append(row, style=bar)
            if bottom:
                strong = self.get_component_rich_style("trendline--value")
                text.append(f" {value:<{self.value_width - 1}}", style=strong)
            else:
                text.append("\n")
        return text
