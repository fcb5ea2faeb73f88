""" "This hurts" (!): the clock stops, the pain is asked, Enter leaves the exercise for the next
one with the pain kept on its set; Esc carries on."""

from __future__ import annotations

from textual.pilot import Pilot

from coach.history.sqlite import MemoryStore
from coach.routine import RoutineEntry
from coach.testing import FakeClock
from coach.ui.app import make_app
from coach.ui.screens.hurt import HurtScreen
from coach.ui.screens.session import SessionScreen

from .conftest import settle


async def advance(pilot: Pilot[int], clock: FakeClock, seconds: float) -> None:
    for _ in range(int(seconds * 2)):
        clock.advance(0.5)
        screen = pilot.app.screen
        assert isinstance(screen, SessionScreen)
        screen.tick()
    await pilot.pause()


def where(pilot: Pilot[int]) -> str:
    return str(pilot.app.screen.query_one("#where").render())


async def test_it_hurts_leaves_the_exercise_with_the_pain_kept(
    clock: FakeClock, short_entry: RoutineEntry
) -> None:
    store = MemoryStore()
    app = make_app(clock=clock, routine=short_entry, store=store)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await advance(pilot, clock, 5 + 4 + 1.5)  # Clamshell set 1, rep 2 of 2, in its hold
        await pilot.press("exclamation_mark")
        assert isinstance(app.screen, HurtScreen)
        assert app.runner is not None and app.runner.session.paused
        await pilot.press("1", "0", "backspace", "6", "enter")
        await settle(pilot)
        assert isinstance(app.screen, SessionScreen)
        assert app.runner.current.phase == "ready"
        assert app.runner.current.exercise == "Counted squats"
        assert not app.runner.session.paused
        assert app.runner.hurts == [("Clamshell", 6)]
        app.runner.recorder.close(5)  # type: ignore[union-attr]
    session = store.recent()[0]
    detail = store.detail(session.id)
    assert detail is not None
    sets = detail.sets
    assert [(s.exercise, s.set_number, s.reps, s.skipped, s.hurt) for s in sets] == [
        ("Clamshell", 1, 1, True, 6)
    ]


async def test_escape_carries_on_and_a_pause_stays_a_pause(
    clock: FakeClock, short_entry: RoutineEntry
) -> None:
    app = make_app(clock=clock, routine=short_entry, store=MemoryStore())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        await advance(pilot, clock, 6)
        before = app.runner.view()  # type: ignore[union-attr]
        await pilot.press("exclamation_mark")
        clock.advance(30)
        await pilot.press("escape")
        assert isinstance(app.screen, SessionScreen)
        runner = app.runner
        assert runner is not None and not runner.session.paused
        assert runner.view().remaining == before.remaining  # the question stopped the clock
        await pilot.press("space", "exclamation_mark", "escape")
        assert runner.session.paused


async def test_it_hurts_in_a_get_ready_keeps_the_pain_on_an_empty_set(
    clock: FakeClock, short_entry: RoutineEntry
) -> None:
    store = MemoryStore()
    app = make_app(clock=clock, routine=short_entry, store=store)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await advance(pilot, clock, 2)
        await pilot.press("exclamation_mark", "enter")  # no number: the pain is not given
        await settle(pilot)
        assert app.runner is not None and app.runner.current.exercise == "Counted squats"
        app.runner.recorder.close(5)  # type: ignore[union-attr]
    detail = store.detail(store.recent()[0].id)
    assert detail is not None
    sets = detail.sets
    assert [(s.exercise, s.set_number, s.reps, s.skipped, s.hurt) for s in sets] == [
        ("Clamshell", 1, 0, True, None)
    ]


async def test_the_summary_says_which_exercise_was_stopped_because_it_hurt(
    clock: FakeClock, short_entry: RoutineEntry
) -> None:
    from coach.ui.screens.summary import SummaryScreen

    app = make_app(clock=clock, routine=short_entry, store=MemoryStore())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await advance(pilot, clock, 5 + 4 + 1.5)
        await pilot.press("exclamation_mark", "4", "enter")
        await pilot.press("enter", "enter", "enter")  # its get-ready cut short, two squats
        await settle(pilot)
        assert isinstance(app.screen, SummaryScreen)
        shown = [str(w.render()) for w in app.screen.query(".summary-hurt")]
        assert shown == ["Clamshell: stopped because it hurt (pain 4)"]
