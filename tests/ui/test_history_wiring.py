"""History in the app: written as the session goes, check-ins, the resume offer, fallbacks."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Static

from coach.history.model import SetRecord, Store
from coach.history.sqlite import HistoryStore, MemoryStore
from coach.resume import offered_since
from coach.routine import RoutineEntry
from coach.sound import NullBeeper
from coach.testing import FakeClock
from coach.ui.app import CoachApp, make_app
from coach.ui.screens.home import HomeScreen
from coach.ui.screens.resume import ResumeScreen
from coach.ui.screens.session import SessionScreen
from coach.ui.screens.summary import SummaryScreen

from .conftest import app_for, settle


async def advance(pilot: Pilot[int], clock: FakeClock, seconds: float) -> None:
    for _ in range(round(seconds * 2)):
        clock.advance(0.5)
        screen = pilot.app.screen
        if isinstance(screen, SessionScreen):
            screen.tick()
    await pilot.pause()


def only_session(store: Store) -> int:
    (summary,) = store.recent()
    return summary.id


def written(app: CoachApp) -> None:
    """Wait for the session's writes: the recorder makes them on a thread of its own (in
    milliseconds; a test reading history while the session runs waits for them)."""
    runner = app.runner
    assert runner is not None and runner.recorder is not None
    assert runner.recorder.flush(10.0)


def text_of(pilot: Pilot[int], selector: str) -> str:
    return str(pilot.app.screen.query_one(selector, Static).render())


async def test_each_set_reaches_the_file_while_the_session_runs(
    clock: FakeClock, short_entry: RoutineEntry, data_dir: Path
) -> None:
    app = app_for(clock, short_entry)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await advance(pilot, clock, 5 + 4 * 2 + 1)  # get ready and the left side
        written(app)
        with HistoryStore.open(data_dir / "history.db") as reader:
            detail = reader.detail(only_session(reader))
            assert detail is not None
            assert detail.session.status == "running"
            assert [(s.exercise, s.set_number, s.side, s.reps) for s in detail.sets] == [
                ("Clamshell", 1, "left", 2)
            ]
    with HistoryStore.open(data_dir / "history.db") as reader:
        # leaving the app mid-session (here during the side switch) closes it as stopped
        detail = reader.detail(only_session(reader))
        assert detail is not None
        assert detail.session.status == "stopped"
        assert [(s.side, s.skipped) for s in detail.sets] == [("left", False)]


async def test_pain_check_in_before_the_start(clock: FakeClock, short_entry: RoutineEntry) -> None:
    store = MemoryStore()
    app = make_app(clock=clock, beeper=NullBeeper(), routine=short_entry, store=store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "Pain now, 0–10?" in text_of(pilot, "#brief-pain")
        await pilot.press("1", "0")
        assert "10" in text_of(pilot, "#brief-pain")
        await pilot.press("backspace")
        assert "Enter to skip" in text_of(pilot, "#brief-pain")
        await pilot.press("7", "4")
        assert "4" in text_of(pilot, "#brief-pain") and "7" not in text_of(pilot, "#brief-pain")
        await pilot.press("enter")
        screen = app.screen
        assert isinstance(screen, SessionScreen) and screen.runner.session is not None
        assert screen.runner.session.started
        written(app)
        detail = store.detail(only_session(store))
        assert detail is not None and detail.session.pain_before == 4


async def test_enter_alone_skips_the_check_in(clock: FakeClock, short_entry: RoutineEntry) -> None:
    store = MemoryStore()
    app = make_app(clock=clock, beeper=NullBeeper(), routine=short_entry, store=store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        written(app)
        detail = store.detail(only_session(store))
        assert detail is not None and detail.session.pain_before is None


async def stop_at_the_summary(pilot: Pilot[int], clock: FakeClock) -> SummaryScreen:
    """Begin, do the first set, then quit with q, y: the summary with its check-in."""
    await pilot.pause()
    await pilot.press("enter")
    await advance(pilot, clock, 5 + 4 * 2 + 1)
    await pilot.press("q", "y")
    await pilot.pause()
    summary = pilot.app.screen
    assert isinstance(summary, SummaryScreen)
    return summary


async def test_check_in_after_the_session(clock: FakeClock, short_entry: RoutineEntry) -> None:
    store = MemoryStore()
    app = make_app(clock=clock, beeper=NullBeeper(), routine=short_entry, store=store)
    async with app.run_test(size=(80, 24)) as pilot:
        await stop_at_the_summary(pilot, clock)
        await pilot.press("1", "1", "enter")  # 11 is off the scale: it stays on pain
        assert app.screen.focused is not None and app.screen.focused.id == "pain-after"
        await pilot.press("backspace", "enter", "8", "enter")
        await pilot.press(*"felt fine", "enter")
        await pilot.pause()
    detail = store.detail(only_session(store))
    assert detail is not None
    record = detail.session
    assert (record.status, record.pain_after, record.effort, record.note) == (
        "stopped",
        1,
        8,
        "felt fine",
    )
    assert app.return_code == 0


async def test_esc_with_a_value_off_the_scale_warns_once_then_leaves_it_out(
    clock: FakeClock, short_entry: RoutineEntry
) -> None:
    store = MemoryStore()
    app = make_app(clock=clock, beeper=NullBeeper(), routine=short_entry, store=store)
    async with app.run_test(size=(80, 24)) as pilot:
        summary = await stop_at_the_summary(pilot, clock)
        await pilot.press("4", "enter", "1", "2", "escape")  # effort 12
        await pilot.pause()
        assert app.screen is summary
        assert summary.focused is not None and summary.focused.id == "effort"
        await pilot.press("escape")
        await pilot.pause()
    detail = store.detail(only_session(store))
    assert detail is not None
    assert (detail.session.pain_after, detail.session.effort) == (4, None)
    assert app.return_code == 0


def cut_off(store: Store, clock: FakeClock, routine_id: str, title: str, sets: list[str]) -> int:
    """A session of an hour ago that saved these sides of set 1 of its first exercise."""
    start = clock.wall() - timedelta(hours=1)
    session_id = store.start_session(routine_id, title, start, planned_sets=3)
    for n, side in enumerate(sets, 1):
        store.record_set(
            session_id,
            SetRecord(0, "Clamshell", 1, start + timedelta(minutes=n), side=side, reps=2),
        )
    store.finish_session(session_id, start + timedelta(minutes=3), "interrupted")
    return session_id


async def test_run_offers_to_resume_at_the_next_set(
    clock: FakeClock, short_entry: RoutineEntry
) -> None:
    store = MemoryStore()
    old = cut_off(store, clock, "short", "Short test routine", ["left", "right"])
    app = make_app(clock=clock, beeper=NullBeeper(), routine=short_entry, store=store)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ResumeScreen)
        question = str(app.screen.query_one("#resume-question").render())
        assert question.startswith("Resume Short test routine?")
        assert "after Clamshell, set 1, right leg; 1 of 3 sets were done" in question
        assert "picks up at Clamshell, set 2/2 · left leg works" in question
        await pilot.press("r")
        screen = app.screen
        assert isinstance(screen, SessionScreen) and screen.runner.session is not None
        assert "Resuming at Clamshell" in text_of(pilot, "#brief-body")
        await pilot.press("enter")
        assert screen.runner.session.current.phase == "rest"  # the rest before set 2
        await advance(pilot, clock, 6)
        step = screen.runner.current
        assert (step.set, step.side) == (2, "left")
    newest = store.recent()[0]
    assert newest.id != old
    detail = store.detail(newest.id)
    assert detail is not None and detail.session.resumed_from == old
    assert detail.session.planned_sets == 2  # clamshell set 2 (both sides) and the squats


async def test_starting_over_begins_at_the_top_and_stops_asking(
    clock: FakeClock, short_entry: RoutineEntry
) -> None:
    store = MemoryStore()
    cut_off(store, clock, "short", "Short test routine", ["left"])
    app = make_app(clock=clock, beeper=NullBeeper(), routine=short_entry, store=store)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ResumeScreen)
        await pilot.press("s")
        screen = app.screen
        assert isinstance(screen, SessionScreen) and screen.runner.session is not None
        assert screen.runner.session.index == 0
    assert store.resumable(None, offered_since(clock.wall())) is None


async def test_home_offers_to_resume_a_built_in_routine(
    clock: FakeClock, low_back: RoutineEntry
) -> None:
    store = MemoryStore()
    first = low_back.routine.exercises[0].name
    start = clock.wall() - timedelta(minutes=30)
    old = store.start_session("low-back", low_back.routine.title, start)
    store.record_set(old, SetRecord(0, first, 1, start + timedelta(minutes=2), side="right"))
    store.finish_session(old, start + timedelta(minutes=2), "interrupted")
    app = make_app(clock=clock, beeper=NullBeeper(), store=store)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ResumeScreen)
        assert "Not now" in str(app.screen.query_one("#resume-no").render())
        await pilot.press("r")
        screen = app.screen
        assert isinstance(screen, SessionScreen) and screen.entry.id == "low-back"
        await pilot.press("enter")
        assert screen.runner.session is not None
        step = screen.runner.session.current
        assert (step.exercise, step.phase) == (first, "switch")
        assert step.side == "left"  # from lying on the right side to lying on the left


async def test_not_now_on_home_asks_again_next_time(
    clock: FakeClock, low_back: RoutineEntry
) -> None:
    store = MemoryStore()
    start = clock.wall() - timedelta(minutes=30)
    old = store.start_session("low-back", low_back.routine.title, start)
    first = low_back.routine.exercises[0].name
    store.record_set(old, SetRecord(0, first, 1, start + timedelta(minutes=2), side="right"))
    store.finish_session(old, start + timedelta(minutes=2), "interrupted")
    for key in ("n", "escape"):
        app = make_app(clock=clock, beeper=NullBeeper(), store=store)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            assert isinstance(app.screen, ResumeScreen), key
            await pilot.press(key)
            assert isinstance(app.screen, HomeScreen)
    record = store.resumable("low-back", offered_since(clock.wall()))
    assert record is not None and record.id == old


async def test_nothing_to_resume_leaves_home_alone(clock: FakeClock) -> None:
    app = make_app(clock=clock, beeper=NullBeeper(), store=MemoryStore())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)


async def test_unusable_history_runs_in_memory_and_says_so(
    clock: FakeClock, short_entry: RoutineEntry, data_dir: Path
) -> None:
    data_dir.mkdir(parents=True)
    damaged = data_dir / "history.db"
    damaged.write_bytes(b"this is not a database, and it is mine" * 100)
    before = damaged.read_bytes()
    app = app_for(clock, short_entry)
    assert isinstance(app, CoachApp)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.history_problem is not None
        assert "is not a SQLite database (left untouched)" in app.history_problem
        await pilot.press("enter")
        assert "history not saved" in text_of(pilot, "#top")
        await advance(pilot, clock, 60)
        await pilot.press("enter", "enter")  # the two counted reps
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        assert app.screen.result.completed
    assert damaged.read_bytes() == before


async def test_terminal_signals_end_the_session_in_history(
    clock: FakeClock, short_entry: RoutineEntry
) -> None:
    for name, status, sides in (
        ("SIGTERM", "stopped", [("left", False), ("right", True)]),
        ("SIGHUP", "interrupted", [("left", False)]),
    ):
        store = MemoryStore()
        app = make_app(clock=clock, beeper=NullBeeper(), routine=short_entry, store=store)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            await pilot.press("enter")
            await advance(pilot, clock, 5 + 4 * 2 + 3 + 1)  # into the right side
            app._on_signal(name)
            await pilot.pause()
        detail = store.detail(only_session(store))
        assert detail is not None
        assert detail.session.status == status
        assert [(s.side, s.skipped) for s in detail.sets] == sides
        assert app.return_code == 128 + (15 if name == "SIGTERM" else 1)


async def test_esc_saves_the_check_in_and_goes_home(clock: FakeClock) -> None:
    store = MemoryStore()
    app = make_app(clock=clock, beeper=NullBeeper(), store=store)  # from Home: it stays open
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("enter", "enter")  # the first routine, then begin
        await advance(pilot, clock, 60)
        await pilot.press("q", "y")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        await pilot.press("4", "escape", "escape")  # the second Esc before the screen has gone
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
    detail = store.detail(only_session(store))
    assert detail is not None and detail.session.pain_after == 4
