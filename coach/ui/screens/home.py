"""Home: the routines, with the highlighted one's summary, article and exercises."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from coach.catalog import Catalog, cache_path, load_catalog
from coach.durations import minutes, plural
from coach.plan import build_plan
from coach.plan_view import dosage
from coach.routine import RoutineEntry
from coach.ui.widgets.footer import KeyFooter

if TYPE_CHECKING:
    from coach.ui.app import CoachApp

# The runner's routine first: it is one of the two main uses and the one people look for.
ORDER = ("pre-run", "low-back", "home-basics")


def _sort_key(entry: RoutineEntry) -> tuple[int, str]:
    return (ORDER.index(entry.id) if entry.id in ORDER else len(ORDER), entry.id)


def option_prompt(entry: RoutineEntry) -> Text:
    routine = entry.routine
    total = build_plan(routine, entry.id).total_seconds
    text = Text(routine.title, style="bold")
    text.append(f"\n{minutes(total)} · {plural(len(routine.exercises), 'exercise')}", style="dim")
    if routine.tags:
        text.append(" · " + ", ".join(routine.tags[:3]), style="dim")
    return text


def detail_text(entry: RoutineEntry) -> Text:
    routine = entry.routine
    text = Text(routine.title + "\n", style="bold")
    if routine.summary:
        text.append(routine.summary + "\n")
    if routine.source:
        text.append(f"From the article “{routine.source}”\n", style="italic dim")
    if routine.equipment:
        text.append("\nYou need: ", style="bold")
        text.append(", ".join(routine.equipment) + "\n")
    text.append("\n")
    for i, ex in enumerate(routine.exercises, 1):
        text.append(f"{i}. {ex.name}\n", style="bold")
        text.append(f"   {dosage(ex)}\n", style="dim")
    if not entry.builtin:
        text.append(f"\nYour routine: {entry.path}\n", style="dim")
    return text


class HomeScreen(Screen[None]):
    AUTO_FOCUS = "#routines"
    BINDINGS = [
        Binding("enter", "start", "Start", show=True),
        Binding("h", "history", "History"),
        Binding("q", "app.quit", "Quit"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.catalog = Catalog((), ())
        self._shown: str | None = None  # the routine the detail panel shows

    @property
    def coach(self) -> CoachApp:
        return cast("CoachApp", self.app)

    def compose(self) -> ComposeResult:
        # The routines are read here, so the first layout already holds them (filling them in
        # on mount would lay the screen out and draw it again).
        data = self.coach.data_dir
        catalog = load_catalog(data, cache=cache_path(data))
        entries = sorted(catalog.entries, key=_sort_key)
        self.catalog = Catalog(tuple(entries), catalog.errors)
        yield Static(
            Text.assemble(("coach", "bold"), ("  ·  choose a routine, press Enter", "dim")),
            id="home-title",
        )
        options = OptionList(*[Option(option_prompt(e), id=e.id) for e in entries], id="routines")
        if entries:  # set quietly: the detail already shows the first routine
            options.set_reactive(OptionList.highlighted, 0)
        with Horizontal(id="home"):
            yield options
            with VerticalScroll(id="detail-box"):
                yield Static(detail_text(entries[0]) if entries else "", id="detail")
        self._shown = entries[0].id if entries else None
        yield KeyFooter()

    def on_mount(self) -> None:
        for err in self.catalog.errors:
            self.notify(f"Skipped {err}", severity="warning", timeout=10)

    def _entry(self, index: int | None) -> RoutineEntry | None:
        if index is None or not 0 <= index < len(self.catalog.entries):
            return None
        return self.catalog.entries[index]

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        entry = self._entry(event.option_index)
        if entry is not None and entry.id != self._shown:
            self._shown = entry.id
            self.query_one("#detail", Static).update(detail_text(entry))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self._start(self._entry(event.option_index))

    def action_start(self) -> None:
        self._start(self._entry(self.query_one("#routines", OptionList).highlighted))

    def action_history(self) -> None:
        self.coach.show_history()

    def _start(self, entry: RoutineEntry | None) -> None:
        if entry is not None:
            self.coach.start_session(entry)
