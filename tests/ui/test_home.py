"""Home lists the user's routines as a worker reads them, and a broken file as one entry."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

import coach.routine_yaml
from coach.routine import Routine
from coach.testing import FakeClock
from coach.ui.screens.home import HomeScreen
from coach.ui.screens.session import SessionScreen

from .conftest import app_for

MINE = """\
title: "{title}"
tags: [mine]
exercises:
  - name: Squat
    reps: {reps}
"""


def write(data_dir: Path, name: str, text: str) -> None:
    folder = data_dir / "routines"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text)


async def read_all(pilot: Pilot[int]) -> HomeScreen:
    """Let the worker read the user's files and the screen take them in."""
    screen = pilot.app.screen
    assert isinstance(screen, HomeScreen)
    for _ in range(20):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
        if screen.user_files_read:
            await pilot.pause()
            return screen
    raise AssertionError("the user's routine files were never all read")


def shown(screen: HomeScreen) -> list[str]:
    from textual.widgets import OptionList

    options = screen.query_one("#routines", OptionList)
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


@pytest.fixture
def reading_threads(monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """The thread that parsed each routine file, by file name."""
    threads: dict[str, str] = {}
    real = coach.routine_yaml.load_routine

    def load(path: Path, *args: Any, **kwargs: Any) -> Routine:
        threads[path.name] = threading.current_thread().name
        return real(path, *args, **kwargs)

    monkeypatch.setattr(coach.routine_yaml, "load_routine", load)
    return threads


async def test_user_routines_arrive_from_a_worker_with_their_minutes(
    clock: FakeClock, data_dir: Path, reading_threads: dict[str, str]
) -> None:
    write(data_dir, "mine.yaml", MINE.format(title="Hips [beginner]", reps=30))
    write(data_dir, "zz-other.yaml", MINE.format(title="Other", reps=5))
    app = app_for(clock, None)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await read_all(pilot)
        ids = [row.id for row in screen.rows]
        assert ids == [
            "pre-run",
            "low-back",
            "home-basics",
            "pre-run-strength",
            "mine",
            "zz-other",
        ]
        lines = shown(screen)
        # 10 s to get ready, 30 reps of 4 s: 130 s is 2 min; the title is literal text.
        assert lines[ids.index("mine")] == "Hips [beginner]\n2 min · 1 exercise · mine"
        assert lines[ids.index("zz-other")] == "Other\n1 min · 1 exercise · mine"
    main = threading.main_thread().name
    assert reading_threads["mine.yaml"] != main
    assert reading_threads["zz-other.yaml"] != main


async def test_a_broken_file_is_one_entry_with_its_error_and_starts_nothing(
    clock: FakeClock, data_dir: Path
) -> None:
    write(data_dir, "broken.yaml", "title: Broken\nexercises:\n  - nam: X\n")
    write(data_dir, "mine.yaml", MINE.format(title="Mine", reps=2))
    for start in ("first", "cached"):
        app = app_for(clock, None)
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await read_all(pilot)
            lines = shown(screen)
            assert len(lines) == 6, start
            broken = lines.index(next(line for line in lines if "broken.yaml" in line))
            assert lines[broken] == (
                "broken.yaml: 3:5: unknown key 'nam' in exercise 1; did you mean 'name'?"
            )
            assert "Mine\n" in lines[broken + 1]  # the rest are all there, after it
            await pilot.press(*["down"] * broken)
            detail = str(screen.query_one("#detail").render())
            assert "broken.yaml cannot be used" in detail
            assert f"{data_dir / 'routines' / 'broken.yaml'}:3:5: unknown key 'nam'" in detail
            await pilot.press("enter")
            await pilot.pause()
            assert app.screen is screen  # nothing to start
            await pilot.press("down", "enter")
            await pilot.pause()
            assert isinstance(app.screen, SessionScreen)
            assert app.screen.entry.id == "mine"


async def test_a_user_routine_with_a_built_in_id_takes_its_place(
    clock: FakeClock, data_dir: Path
) -> None:
    write(data_dir, "low-back.yaml", MINE.format(title="My low back", reps=3))
    app = app_for(clock, None)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await read_all(pilot)
        assert [row.id for row in screen.rows] == [
            "pre-run",
            "low-back",
            "home-basics",
            "pre-run-strength",
        ]
        assert shown(screen)[1].startswith("My low back\n")
        await pilot.press("down")
        assert "My low back" in str(screen.query_one("#detail").render())
        await pilot.press("h")
        await pilot.pause()
        assert type(app.screen).__name__ == "HistoryScreen"
