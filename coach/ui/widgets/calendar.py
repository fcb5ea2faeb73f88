"""Sessions per day over the last weeks: a row per weekday, a column per week, today marked."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta

from rich.style import Style
from rich.text import Text
from textual.geometry import Size
from textual.widget import Widget

DAY_LABELS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
LABEL_WIDTH = 4
CELL_WIDTH = 2
DONE, NONE, TODAY_NONE = "■", "·", "□"


def week_columns(today: date, weeks: int) -> list[date]:
    """The Monday of each shown week, oldest first; the last is this week's."""
    monday = today - timedelta(days=today.weekday())
    return [monday - timedelta(weeks=weeks - 1 - n) for n in range(weeks)]


def month_row(mondays: list[date]) -> str:
    """Month names above the first week of each month, where they fit."""
    row = " " * (LABEL_WIDTH + CELL_WIDTH * len(mondays) - 1)
    free_from = 0
    for n, monday in enumerate(mondays):
        if n and monday.month == mondays[n - 1].month:
            continue
        name = f"{monday:%b}"
        at = min(LABEL_WIDTH + CELL_WIDTH * n, len(row) - len(name))
        if at >= free_from:
            row = row[:at] + name + row[at + len(name) :]
            free_from = at + len(name) + 1
    return row.rstrip()


class ActivityCalendar(Widget):
    """How many sessions each day had; more sessions, stronger colour."""

    COMPONENT_CLASSES = {
        "calendar--label",
        "calendar--none",
        "calendar--one",
        "calendar--two",
        "calendar--more",
        "calendar--today",
    }
    DEFAULT_CSS = """
    ActivityCalendar {
        width: auto;
        height: auto;
    }
    ActivityCalendar > .calendar--label { color: $foreground 60%; }
    ActivityCalendar > .calendar--none { color: $foreground 30%; }
    ActivityCalendar > .calendar--one { color: $success 55%; }
    ActivityCalendar > .calendar--two { color: $success 80%; }
    ActivityCalendar > .calendar--more { color: $success; text-style: bold; }
    ActivityCalendar > .calendar--today { color: $accent; text-style: bold; }
    """

    def __init__(
        self,
        today: date,
        counts: Mapping[date, int] | None = None,
        *,
        weeks: int = 12,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.today = today
        self.counts: Mapping[date, int] = counts or {}
        self.weeks = weeks

    def show(self, today: date, counts: Mapping[date, int]) -> None:
        self.today = today
        self.counts = counts
        self.refresh(layout=True)

    def get_content_width(self, container: Size, viewport: Size) -> int:
        return LABEL_WIDTH + CELL_WIDTH * self.weeks - 1

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return 1 + len(DAY_LABELS)

    def cell_style(self, count: int) -> Style:
        name = ("none", "one", "two")[count] if count < 3 else "more"
        return self.get_component_rich_style(f"calendar--{name}")

    def render(self) -> Text:
        label = self.get_component_rich_style("calendar--label")
        mondays = week_columns(self.today, self.weeks)
        text = Text(month_row(mondays), style=label, no_wrap=True, end="")
        for weekday, name in enumerate(DAY_LABELS):
            text.append("\n")
            text.append(f"{name:<{LABEL_WIDTH}}", style=label)
            for n, monday in enumerate(mondays):
                day = monday + timedelta(days=weekday)
                if day > self.today:
                    break
                count = self.counts.get(day, 0)
                if n:
                    text.append(" " * (CELL_WIDTH - 1))
                if day == self.today:
                    today = self.get_component_rich_style("calendar--today")
                    text.append(DONE if count else TODAY_NONE, style=today)
                else:
                    text.append(DONE if count else NONE, style=self.cell_style(count))
        return text

    def legend(self) -> Text:
        """What the colours mean, for a border subtitle."""
        text = Text(no_wrap=True, end="")
        for count, word in ((1, " 1  "), (2, " 2  "), (3, " 3+  ")):
            text.append(DONE, style=self.cell_style(count))
            text.append(word)
        text.append(TODAY_NONE, style=self.get_component_rich_style("calendar--today"))
        text.append(" today")
        return text
