"""Text from files and people reads exactly as written on every screen: `[/]` and `[bold]` are
text, not markup, an ESC byte is shown escaped, and the longest names the format allows fit."""

from __future__ import annotations

import io
from pathlib import Path

from rich.console import Console
from textual.app import App
from textual.pilot import Pilot
from textual.widgets import DataTable, Label, OptionList, Static

from coach.history.model import SetRecord
from coach.history.sqlite import MemoryStore
from coach.routine import RoutineEntry
from coach.routine_yaml import parse_routine
from coach.testing import FakeClock, RecordingBeeper
from coach.ui.app import make_app
from coach.ui.screens.resume import ResumeScreen
from coach.ui.screens.session import SessionScreen
from coach.ui.screens.session_detail import SessionDetailScreen
from coach.ui.screens.summary import SummaryScreen

from .conftest import app_for, settle

TITLE = "Hips [beginner] [/] [bold red]x"
NAME = "Clamshell [band] [/]"
LONGEST = "L" * 79 + "]"  # an exercise name and a title may have 80 characters
HOSTILE = f"""\
title: "{TITLE}"
summary: "A [b]summary[/b] with [/] in it"
get_ready: 5
exercises:
  - name: "{NAME}"
    reps: 1
    hold: 2
    sides: both
    directions: ["up [/]", "down"]
    cues: ["[bold]knees apart[/]"]
  - name: "{LONGEST}"
    reps: 1
"""
ESC = "\x1b"


def entry() -> RoutineEntry:
    return RoutineEntry("hostile", Path("hostile.yaml"), parse_routine(HOSTILE))


def screen_text(app: App[int]) -> str:
    """Every text the current screen shows: statics, labels, list options, table cells."""
    screen = app.screen
    console = Console(width=200, file=io.StringIO(), record=True)
    for widget in screen.query(Static):
        console.print(widget.content)
    parts = [console.export_text()]
    parts += [str(widget.render()) for widget in screen.query(Label)]
    for options in screen.query(OptionList):
        parts += [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
    for table in screen.query(DataTable):
        parts += [str(cell) for row in range(table.row_count) for cell in table.get_row_at(row)]
    return "\n".join(parts)


async def run_for(pilot: Pilot[int], clock: FakeClock, seconds: float) -> None:
    for _ in range(round(seconds * 4)):
        clock.advance(0.25)
        screen = pilot.app.screen
        if isinstance(screen, SessionScreen):
            screen.tick()
    await pilot.pause()


async def test_home_shows_titles_and_broken_file_names_as_written(
    clock: FakeClock, data_dir: Path
) -> None:
    folder = data_dir / "routines"
    folder.mkdir(parents=True)
    (folder / "hostile.yaml").write_text(HOSTILE)
    (folder / f"br{ESC}[2Jken [x].yaml").write_text("title: [\n")
    app = app_for(clock, None)
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(20):
            await pilot.pause()
            await app.workers.wait_for_complete()
            if "br\\x1b[2Jken [x].yaml" in screen_text(app):
                break
        text = screen_text(app)
        assert TITLE in text
        assert "br\\x1b[2Jken [x].yaml" in text and ESC not in text
        options = app.screen.query_one("#routines", OptionList)
        titles = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        options.highlighted = next(i for i, t in enumerate(titles) if t.startswith(TITLE))
        await pilot.pause()
        detail = str(app.screen.query_one("#detail", Static).render())
        assert "A [b]summary[/b] with [/] in it" in detail and NAME in detail


async def test_the_session_and_its_summary_show_names_as_written(clock: FakeClock) -> None:
    beeper = RecordingBeeper(clock, problem="Sound is off: the player [/] said [bold]no")
    app = app_for(clock, entry(), beeper)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert TITLE in screen_text(app)
        await pilot.press("enter")
        await run_for(pilot, clock, 6)  # into the first rep, left side, "up [/]"
        text = screen_text(app)
        assert NAME in text and "Up [/]" in text and "[bold]knees apart[/]" in text
        await run_for(pilot, clock, 2)
        assert "Next: Left leg works · Down" in screen_text(app)
        await run_for(pilot, clock, 200)
        assert isinstance(app.screen, SummaryScreen)
        text = screen_text(app)
        assert TITLE in text and NAME in text and LONGEST in text


async def test_history_and_a_session_show_titles_and_notes_as_written() -> None:
    clock = FakeClock()
    store = MemoryStore()
    title = f"{TITLE} {ESC}[31mred"
    session = store.start_session("hostile", title, clock.wall())
    store.finish_session(session, clock.wall(), "completed", note=f"felt [/] ok {ESC}[2J")
    app = make_app(clock=clock, beeper=RecordingBeeper(), store=store, start="history")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        text = screen_text(app)
        assert TITLE[:20] in text and ESC not in text  # the routine column is cut at its width
        app.push_screen(SessionDetailScreen(session, app, clock))
        await settle(pilot)
        assert isinstance(app.screen, SessionDetailScreen)
        text = screen_text(app)
        assert f"{TITLE} \\x1b[31mred" in text
        assert "felt [/] ok \\x1b[2J" in text and ESC not in text


async def test_the_resume_offer_shows_the_title_as_written(clock: FakeClock) -> None:
    store = MemoryStore()
    hostile = entry()
    app = make_app(clock=clock, beeper=RecordingBeeper(), store=store, routine=hostile)
    cut = store.start_session("hostile", TITLE, clock.wall(), planned_sets=8)
    store.record_set(cut, SetRecord(0, NAME, 1, clock.wall(), side="left", direction="up [/]"))
    store.finish_session(cut, clock.wall(), "interrupted")
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(10):
            await pilot.pause()
            await app.workers.wait_for_complete()
            if isinstance(app.screen, ResumeScreen):
                break
        assert isinstance(app.screen, ResumeScreen)
        text = screen_text(app)
        assert f"Resume {TITLE}?" in text and NAME in text


def test_every_notice_is_plain_text() -> None:
    """A notice quotes errors and file names: Textual would read them as markup by default."""
    import ast
    import inspect

    import coach.ui

    root = Path(inspect.getfile(coach.ui)).parent
    calls = []
    for path in sorted(root.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "notify":
                plain = any(
                    k.arg == "markup"
                    and isinstance(k.value, ast.Constant)
                    and k.value.value is False
                    for k in node.keywords
                )
                calls.append((f"{path.name}:{node.lineno}", plain))
    assert calls, "no notices found: the scan is looking in the wrong place"
    assert [where for where, plain in calls if not plain] == []


async def test_why_shows_while_getting_ready_and_in_the_briefing_progression_on_the_summary(
    clock: FakeClock,
) -> None:
    text = HOSTILE.replace(
        '    cues: ["[bold]knees apart[/]"]\n',
        '    cues: ["[bold]knees apart[/]"]\n    why: "Wakes the [glutes]"\n'
        '    progression: "Add a band [/] later"\n',
    )
    app = app_for(clock, RoutineEntry("why", Path("why.yaml"), parse_routine(text)))
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        assert f"• {NAME}: Wakes the [glutes]" in screen_text(app)
        await pilot.press("enter")
        await run_for(pilot, clock, 1)
        assert "Why: Wakes the [glutes]" in screen_text(app)
        await run_for(pilot, clock, 200)
        assert isinstance(app.screen, SummaryScreen)
        assert f"• {NAME}: Add a band [/] later" in screen_text(app)
