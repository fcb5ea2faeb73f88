"""The app with a history file it cannot fully use: rows it cannot read, a file another
program has locked, a file it may only read."""

from __future__ import annotations

import errno
import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Static

from coach.history.journal import journal_path
from coach.history.model import SetRecord
from coach.history.sqlite import FILE_NAME, HistoryStore
from coach.routine import RoutineEntry
from coach.sound import NullBeeper
from coach.testing import FakeClock, unwritable
from coach.ui.app import CoachApp, make_app
from coach.ui.screens.history import HistoryScreen
from coach.ui.screens.session import SessionScreen
from coach.ui.screens.summary import SummaryScreen

from .conftest import settle


def seed(path: Path, clock: FakeClock, titles: list[str]) -> None:
    with HistoryStore.open(path) as store:
        for n, title in enumerate(titles, 1):
            start = clock.wall().replace(hour=7) - timedelta(days=n)
            session = store.start_session("short", title, start, planned_sets=1)
            store.record_set(session, SetRecord(0, "Clamshell", 1, start, reps=2))
            store.finish_session(session, start.replace(minute=10))


def told(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every notice the app shows, in order."""
    notices: list[str] = []
    monkeypatch.setattr(CoachApp, "notify", lambda self, message, **kw: notices.append(message))
    return notices


async def run_through(pilot: Pilot[int], clock: FakeClock) -> None:
    """Begin, and do the whole short routine (its last two reps counted with Enter)."""
    app = pilot.app
    await pilot.press("enter")
    while isinstance(app.screen, SessionScreen):
        clock.advance(0.5)
        app.screen.tick()
        runner = app.screen.runner
        if runner.started and runner.current.phase == "rep":
            await pilot.press("enter")
    await pilot.pause()


async def test_the_history_screen_leaves_out_rows_it_cannot_read_and_says_how_many(
    data_dir: Path, clock: FakeClock
) -> None:
    path = data_dir / FILE_NAME
    seed(path, clock, ["Fine", "Started yesterday", "Paused by a newer coach"])
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA ignore_check_constraints = ON")
    db.execute("UPDATE sessions SET started_at = 'yesterday' WHERE title = 'Started yesterday'")
    db.execute("UPDATE sessions SET status = 'paused' WHERE title LIKE 'Paused%'")
    db.close()
    app = make_app(clock=clock, beeper=NullBeeper(), data_dir=data_dir, start="history")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, HistoryScreen)
        stats = str(screen.query_one("#history-stats", Static).render())
        assert stats.endswith("In all 1 session   ·   2 sessions could not be read")
        assert screen.query_one(DataTable).row_count == 1


async def test_a_journal_from_a_locked_file_is_added_at_the_start_and_told_once(
    data_dir: Path, clock: FakeClock, short_entry: RoutineEntry, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The coach was left while another program held the file's lock: the session went to
    the journal. The next start adds it and says so, once."""
    monkeypatch.setattr("coach.runner.CLOSE_WAIT", 0.05)
    path = data_dir / FILE_NAME
    HistoryStore.open(path).close()
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        app = make_app(clock=clock, beeper=NullBeeper(), data_dir=data_dir, routine=short_entry)
        async with app.run_test(size=(80, 24)) as pilot:
            await app.workers.wait_for_complete()
            await settle(pilot)
            await pilot.press("enter")
            clock.advance(5 + 4 * 2 + 1)  # the first set, on the left
            assert isinstance(app.screen, SessionScreen)
            app.screen.tick()
            await settle(pilot)
        assert journal_path(path).is_file()  # leaving ended the session; the file was locked
    finally:
        other.execute("ROLLBACK")
        other.close()
    notices = told(monkeypatch)
    app = make_app(clock=clock, beeper=NullBeeper(), data_dir=data_dir, start="history")
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await settle(pilot)
        assert app.screen.query_one(DataTable).row_count == 1
    assert not journal_path(path).exists()
    assert [text for text in notices if "locked" in text] == [
        "Added 1 set of 1 session that could not be saved while the history file was locked "
        "(from history.journal.jsonl)."
    ]
    with HistoryStore.open(path) as store:
        (summary,) = store.recent()
        assert summary.status == "stopped"


@pytest.mark.parametrize("error", [errno.EACCES, errno.EROFS], ids=["EACCES", "EROFS"])
async def test_a_read_only_history_is_shown_and_a_session_runs_saying_once_it_is_not_saved(
    data_dir: Path,
    clock: FakeClock,
    short_entry: RoutineEntry,
    monkeypatch: pytest.MonkeyPatch,
    error: int,
) -> None:
    """The file (EACCES: its mode or folder) or the whole filesystem (EROFS) cannot be
    written: history is read as it is, the session runs, and one notice says it is not
    saved."""
    path = data_dir / FILE_NAME
    seed(path, clock, ["Earlier"])
    before = path.read_bytes()
    notices = told(monkeypatch)
    with unwritable(data_dir, error):
        app = make_app(clock=clock, beeper=NullBeeper(), data_dir=data_dir, routine=short_entry)
        async with app.run_test(size=(80, 24)) as pilot:
            await app.workers.wait_for_complete()
            await settle(pilot)
            await run_through(pilot, clock)
            assert isinstance(app.screen, SummaryScreen) and app.screen.result.completed
            assert not app.screen.checking_in  # nothing to add a check-in to
        assert notices == [f"History will not be saved: {path} is read-only"]
        app = make_app(clock=clock, beeper=NullBeeper(), data_dir=data_dir, start="history")
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, HistoryScreen)
            title = str(screen.query_one("#history-title", Static).render())
            assert title.endswith("read-only: new sessions are not saved")
            assert screen.query_one(DataTable).row_count == 1
    assert path.read_bytes() == before
    assert not journal_path(path).exists()


async def test_the_header_says_history_is_not_saved_on_a_read_only_file(
    data_dir: Path, clock: FakeClock, short_entry: RoutineEntry
) -> None:
    path = data_dir / FILE_NAME
    seed(path, clock, ["Earlier"])
    with unwritable(data_dir):
        app = make_app(clock=clock, beeper=NullBeeper(), data_dir=data_dir, routine=short_entry)
        async with app.run_test(size=(80, 24)) as pilot:
            await app.workers.wait_for_complete()
            await settle(pilot)
            await pilot.press("enter")
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, SessionScreen)
            screen.tick()
            await settle(pilot)
            assert "history not saved" in str(screen.query_one("#top", Static).render())
