"""The history screen: streak and week, calendar, sessions table, one session's sets, paging."""

from __future__ import annotations

import io
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from textual.pilot import Pilot
from textual.widgets import DataTable, Static

from coach.history.model import Dose, DoseChange, DoseRecord, Schedule, SetRecord
from coach.history.sqlite import MemoryStore
from coach.sound import NullBeeper
from coach.testing import FakeClock, sample_sessions
from coach.ui.app import CoachApp, make_app
from coach.ui.screens.history import HistoryScreen
from coach.ui.screens.home import HomeScreen
from coach.ui.screens.session_detail import SessionDetailScreen
from coach.ui.widgets.calendar import ActivityCalendar, month_row, week_columns
from coach.ui.widgets.trendline import TrendLine, bar_rows

from .conftest import settle

NOW = FakeClock().wall()  # Monday 2 March 2026, 08:00 UTC


@pytest.fixture(autouse=True)
def utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Local time is UTC, like the fake clock, so every machine shows the same dates."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def add_session(
    store: MemoryStore,
    start: datetime,
    title: str,
    sets: list[tuple[str, int, str | None, bool]],
    *,
    minutes: int = 20,
    status: str = "completed",
    pain: tuple[int | None, int | None] = (None, None),
    effort: int | None = None,
    note: str | None = None,
) -> int:
    session = store.start_session(
        title.lower().replace(" ", "-"),
        title,
        start,
        planned_sets=len({(exercise, number) for exercise, number, _, _ in sets}),  # as planned
        pain_before=pain[0],
    )
    for n, (exercise, number, side, skipped) in enumerate(sets):
        entry = SetRecord(
            0 if exercise == "Clamshell" else 1,
            exercise,
            number,
            start + timedelta(minutes=n + 1),
            side=side,
            reps=0 if skipped else 10,
            holds=0 if skipped else 10,
            skipped=skipped,
        )
        store.record_set(session, entry)
    store.finish_session(
        session,
        start + timedelta(minutes=minutes),
        status,
        pain_after=pain[1],
        effort=effort,
        note=note,
    )
    return session


def on(month: int, day: int, hour: int) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=UTC)


def seeded() -> MemoryStore:
    """Five sessions: Fri 20 Feb; Sat 28 Feb; Sun 1 Mar twice (the evening one skipped every
    set, so it does not count); and this morning, Monday 2 March."""
    store = MemoryStore()
    bridge = [("Bridge", 1, None, False), ("Bridge", 2, None, False)]
    skipped = [("Bridge", 1, None, True), ("Bridge", 2, None, True)]
    today = [
        ("Clamshell", 1, "left", False),
        ("Clamshell", 1, "right", False),
        ("Clamshell", 2, "left", True),
        ("Bridge", 1, None, False),
    ]
    run, basics, back = "Pre-run hip routine", "Home hip basics", "Hip strength for low back pain"
    add_session(store, on(2, 20, 18), run, bridge, minutes=12, pain=(3, 2), effort=4)
    add_session(store, on(2, 28, 9), basics, bridge, minutes=9, pain=(5, 3), effort=5)
    add_session(store, on(3, 1, 10), basics, bridge, minutes=10, pain=(4, 4), effort=6)
    add_session(store, on(3, 1, 19), basics, skipped, minutes=2, status="stopped")
    note = "Left hip felt tight"
    add_session(store, on(3, 2, 7), back, today, minutes=25, pain=(6, 4), effort=5, note=note)
    return store


def history_app(store: MemoryStore) -> CoachApp:
    return make_app(clock=FakeClock(), beeper=NullBeeper(), store=store, start="history")


def text_of(widget: Static) -> str:
    console = Console(width=76, file=io.StringIO(), record=True)
    console.print(widget.content)
    return console.export_text()


def row(table: DataTable[Any], index: int) -> list[str]:
    return [str(cell) for cell in table.get_row_at(index)]


async def test_streak_week_calendar_trend_and_table() -> None:
    app = history_app(seeded())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, HistoryScreen)
        stats = str(screen.query_one("#history-stats", Static).render())
        assert stats == "Streak 3 days   ·   This week 1 session   ·   In all 5 sessions"
        calendar = screen.query_one(ActivityCalendar)
        assert calendar.today == date(2026, 3, 2)
        shown = {day: n for day, n in calendar.counts.items() if n}
        assert shown == {
            date(2026, 2, 20): 1,
            date(2026, 2, 28): 1,
            date(2026, 3, 1): 1,
            date(2026, 3, 2): 1,
        }
        assert min(calendar.counts) == date(2025, 12, 15)  # the Monday 11 weeks back
        assert screen.query_one("#trend-before", TrendLine).values == [3, 5, 4, None, 6]
        assert screen.query_one("#trend-minutes", TrendLine).values == [12, 9, 10, 2, 25]
        table = screen.query_one(DataTable)
        assert table.has_focus and table.row_count == 5
        assert row(table, 0) == [
            "Mon 2 Mar 07:00",
            "Hip strength for low back pain",
            "25",
            "67%",  # 2 of 3 sets: clamshell set 2 was skipped on the left, not reached on the right
            " 6 → 4",
            "completed",
        ]
        assert row(table, 1)[0] == "Sun 1 Mar 19:00" and row(table, 1)[3:] == ["0%", "–", "stopped"]
        assert row(table, 4)[:2] == ["Fri 20 Feb 18:00", "Pre-run hip routine"]
        assert table.border_subtitle == "5 sessions"


async def test_enter_shows_the_sets_and_escape_comes_back() -> None:
    app = history_app(seeded())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        detail = app.screen
        assert isinstance(detail, SessionDetailScreen)
        info = str(detail.query_one("#detail-info", Static).render())
        assert "Mon 2 Mar 07:00 to 07:25 · 25 min · completed" in info
        assert "Pain 6 → 4   Effort 5/10   Sets done 2 of 3" in info
        assert "Note Left hip felt tight" in info
        lines = text_of(detail.query_one("#detail-sets", Static)).splitlines()
        assert [" ".join(line.split()) for line in lines[:3]] == [
            "Exercise Sets done Reps Skipped",
            "Clamshell 1/2 each side 10 each side 1",
            "Bridge 1/1 10 0",
        ]
        assert lines[4].split() == ["Exercise", "Set", "Side", "Reps", "Holds"]
        assert [line.split() for line in lines[5:9]] == [  # saved without what the side names
            ["Clamshell", "1", "left", "side", "10", "10"],
            ["Clamshell", "1", "right", "side", "10", "10"],
            ["Clamshell", "2", "left", "side", "0", "0", "skipped"],
            ["Bridge", "1", "10", "10"],
        ]
        await pilot.press("escape")
        assert isinstance(app.screen, HistoryScreen)
        await pilot.press("down", "down", "enter")
        await settle(pilot)
        detail = app.screen
        assert isinstance(detail, SessionDetailScreen)
        info = str(detail.query_one("#detail-info", Static).render())
        assert "Sun 1 Mar 10:00 to 10:10" in info and "Sets done 2 of 2" in info
        await pilot.press("q", "escape")
    assert app.return_code == 0


async def test_no_sessions_is_a_friendly_line() -> None:
    app = history_app(MemoryStore())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, HistoryScreen) and screen.has_class("-empty")
        message = str(screen.query_one("#history-empty", Static).render())
        assert message == "No sessions yet — finish a routine and it shows up here."
        assert not screen.query_one(DataTable).display
        await pilot.press("enter")
        assert app.screen is screen


async def test_a_damaged_history_file_says_so_and_is_left_alone(data_dir: Path) -> None:
    data_dir.mkdir(parents=True)
    path = data_dir / "history.db"
    garbage = b"not a database at all " * 100
    path.write_bytes(garbage)
    app = make_app(clock=FakeClock(), beeper=NullBeeper(), data_dir=data_dir, start="history")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        message = str(app.screen.query_one("#history-empty", Static).render())
        assert message.startswith("Your history cannot be read: ")
        assert "is not a SQLite database (left untouched)" in message
    assert path.read_bytes() == garbage


async def test_sessions_kept_in_memory_are_not_shown_as_saved(data_dir: Path) -> None:
    data_dir.mkdir(parents=True)
    (data_dir / "history.db").write_bytes(b"not a database at all " * 100)
    app = make_app(clock=FakeClock(), beeper=NullBeeper(), data_dir=data_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await settle(pilot)
        store = app.history()
        assert app.history_problem
        session = store.start_session("quick", "Quick check", NOW - timedelta(minutes=5))
        store.finish_session(session, NOW, "stopped")
        await pilot.press("h")
        title = str(app.screen.query_one("#history-title", Static).render())
        assert "not saved: only this run's sessions" in title
        assert app.screen.query_one(DataTable).row_count == 1


async def test_the_next_hundred_load_at_the_last_row() -> None:
    store = MemoryStore()
    store.import_sessions(sample_sessions(150, NOW - timedelta(days=200), sets_each=2))
    app = history_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.screen.query_one(DataTable)
        assert table.row_count == 100
        assert table.border_subtitle == "latest 100 of 150 · more load at the end"
        await pilot.press("end")
        assert table.row_count == 150 and table.cursor_row == 99
        assert table.border_subtitle == "150 sessions"
        await pilot.press("end")
        assert table.cursor_row == 149
        assert row(table, 149)[0] == "14 Aug 2025 08:00"  # another year: no weekday, the year


async def test_h_on_home_opens_history_and_escape_goes_back() -> None:
    app = make_app(clock=FakeClock(), beeper=NullBeeper(), store=seeded())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("h")
        assert isinstance(app.screen, HistoryScreen)
        assert app.screen.query_one(DataTable).row_count == 5
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)


def test_month_names_sit_over_their_first_week_where_they_fit() -> None:
    mondays = week_columns(date(2026, 3, 2), 12)
    assert (mondays[0], mondays[-1]) == (date(2025, 12, 15), date(2026, 3, 2))
    # Jan 5 is the 4th column, Feb 2 the 8th; March's only week is the last, so its name
    # moves left to fit.
    assert month_row(mondays) == "    Dec   Jan     Feb   Mar"


def test_bars_use_a_fixed_scale_and_leave_gaps_for_missing_values() -> None:
    top, bottom = bar_rows([0, 5, 10, None, 2.5], high=10)
    assert bottom == "▁██ ▅"  # 0 still shows a sliver; None is a gap
    assert top == " ▁█  "  # 5 is just over half; 10 fills both rows
    assert bar_rows([10, 20], high=10, width=2) == ["████", "████"]


async def read_and_focused(pilot: Pilot[int]) -> None:
    """History is read in a worker thread, then the sessions table takes the focus and the
    footer shows its keys: the picture waits for all of it (a loaded machine is slow to)."""
    await settle(pilot)
    for _ in range(50):
        if isinstance(pilot.app.focused, DataTable):
            break
        await pilot.pause()
    await pilot.pause()
    await pilot.pause()


def test_snapshot(snap_compare: Any) -> None:
    assert snap_compare(history_app(seeded()), terminal_size=(80, 24), run_before=read_and_focused)


def test_snapshot_detail(snap_compare: Any) -> None:
    async def open_the_first(pilot: Pilot[int]) -> None:
        await read_and_focused(pilot)
        await pilot.press("enter")
        await settle(pilot)

    assert snap_compare(history_app(seeded()), terminal_size=(80, 24), run_before=open_the_first)


def with_programme(store: MemoryStore) -> MemoryStore:
    """`seeded`, with a weekly plan and three changes of dose."""
    back, basics = "hip-strength-for-low-back-pain", "home-hip-basics"
    store.set_schedule(Schedule(back, (0, 2, 4)), back)  # Monday, Wednesday, Friday
    store.set_schedule(Schedule(basics, (5, 6)), basics)  # the weekend
    for at, exercise, side, before, after, reason in (
        (on(2, 21, 9), "Bridge", None, Dose(reps=10), Dose(reps=12), "set with coach dose"),
        (
            on(2, 28, 10),
            "Clamshell",
            "left",
            Dose(reps=10),
            Dose(reps=12),
            "step up: two sessions at the full dose, pain after at most 2",
        ),
        (
            on(3, 2, 8),
            "Clamshell [b]#2[/b]",
            None,
            Dose(reps=12, hold=5),
            Dose(reps=12, hold=5),
            "kept the dose, no to step up: two sessions at the full dose, pain after at most 2",
        ),
    ):
        record = DoseRecord(back, exercise, side, after if after != before else Dose())
        store.set_dose(record, DoseChange(at, back, exercise, side, before, after, reason))
    return store


async def test_p_shows_each_week_against_the_plan_and_the_dose_changes_newest_first() -> None:
    app = history_app(with_programme(seeded()))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, HistoryScreen)
        assert not screen.query_one("#programme").display
        await pilot.press("p")
        assert screen.query_one("#programme").display
        assert not screen.query_one("#sessions").display
        assert not screen.query_one("#history-charts").display  # the programme has the room
        text = text_of(screen.query_one("#programme-body", Static))
        lines = [line.rstrip() for line in text.splitlines()]
        assert lines[:4] == [
            "Weekly plan",
            "W10  ●  1 of 5 planned days (this week)",
            "W09  ●●○○○  2 of 5 planned days",
            "W08  ○○○○○  0 of 5 planned days, 1 more unplanned",
        ]
        changes = lines[lines.index("Dose changes, newest first") + 1 :]
        assert changes[0].split() == ["Date", "Exercise", "Change", "Why"]
        assert changes[1].startswith("Mon 2 Mar   Clamshell [b]#2[/b]")  # as written
        assert "no change" in changes[1] and "kept the dose, no to step" in changes[1]
        assert "Clamshell (left)" in text and "10 → 12 reps" in text
        assert text.index("Clamshell (left)") < text.index("Bridge")  # newest first
        await pilot.press("p")
        assert screen.query_one("#sessions").display and not screen.query_one("#programme").display
        assert screen.query_one("#history-charts").display


async def test_with_no_plan_and_no_changes_the_programme_says_how_to_have_them() -> None:
    app = history_app(seeded())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("p")
        text = text_of(app.screen.query_one("#programme-body", Static))
        assert "No weekly plan yet: `coach schedule ROUTINE mon wed fri` makes one." in text
        assert "None yet: your dose changes when you say yes" in text


def test_snapshot_programme(snap_compare: Any) -> None:
    async def show_it(pilot: Pilot[int]) -> None:
        await read_and_focused(pilot)
        await pilot.press("p")
        await pilot.pause()
        await pilot.pause()

    assert snap_compare(
        history_app(with_programme(seeded())), terminal_size=(80, 24), run_before=show_it
    )


async def test_with_no_session_yet_p_still_shows_the_dose_changes() -> None:
    store = MemoryStore()
    change = DoseChange(on(3, 1, 9), "low-back", "Bridge", None, Dose(reps=10), Dose(reps=8), "set")
    store.set_dose(DoseRecord("low-back", "Bridge", None, Dose(reps=8)), change)
    app = history_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert screen.query_one("#history-empty").display
        await pilot.press("p")
        assert not screen.query_one("#history-empty").display
        text = text_of(screen.query_one("#programme-body", Static))
        assert "10 → 8 reps" in text and "No sessions yet to hold against it." not in text
        assert "No weekly plan yet" in text
