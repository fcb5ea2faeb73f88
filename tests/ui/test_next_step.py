"""The summary's next step: after the check-in, the rules' proposals are asked one at a time,
and nothing changes in history without a yes."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input, Static

from coach.history.model import Dose, DoseRecord
from coach.history.sqlite import MemoryStore
from coach.routine import RoutineEntry
from coach.routine_yaml import parse_routine
from coach.sound import NullBeeper
from coach.testing import FakeClock, full_session
from coach.ui.app import make_app
from coach.ui.screens.home import HomeScreen
from coach.ui.screens.session import SessionScreen
from coach.ui.screens.summary import SummaryScreen

from .conftest import settle

STEP = """\
title: Step test
safety: Stop if anything [b]hurts[/b].
get_ready: 3
exercises:
  - name: Clamshell
    sets: 2
    reps: {reps}
    hold: 1
    sides: both
    rest: 3
    tempo: {move: 1, release: 1}
    advance:
      reps: {step: 2, up_to: 6}
      then: Add a band.
"""
QUESTION = "Clamshell: Next time: 4 reps? (two sessions at the full dose, pain after at most 2)"


def step_entry(data_dir: Path, reps: int = 2) -> RoutineEntry:
    """A routine of the person's list (in the data folder), where their doses are kept."""
    text = STEP.replace("{reps}", str(reps))
    path = data_dir / "routines" / "step.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return RoutineEntry("step", path, parse_routine(text))


def seeded(entry: RoutineEntry, clock: FakeClock, pain_after: int = 1) -> MemoryStore:
    """Yesterday's session at the full dose: with today's at it too, a step up."""
    store = MemoryStore()
    full_session(store, entry, clock.wall() - timedelta(days=1), pain_after=pain_after)
    return store


def text_of(pilot: Pilot[int], selector: str) -> str:
    return str(pilot.app.screen.query_one(selector, Static).render())


async def whole_session(pilot: Pilot[int], clock: FakeClock, pain_before: str = "1") -> None:
    """Pain before, then the whole routine by the clock, to the summary."""
    await pilot.pause()
    await pilot.press(*pain_before, "enter")
    screen = pilot.app.screen
    assert isinstance(screen, SessionScreen)
    while isinstance(pilot.app.screen, SessionScreen):
        clock.advance(1.0)
        screen.tick()
    await pilot.pause()
    assert isinstance(pilot.app.screen, SummaryScreen)


async def check_in(pilot: Pilot[int], pain_after: str) -> SummaryScreen:
    """Pain after, no effort, no note: saved; then the next step, read in a worker."""
    await pilot.press(*pain_after, "enter", "enter", "enter")
    await settle(pilot)
    summary = pilot.app.screen
    assert isinstance(summary, SummaryScreen)
    return summary


async def test_yes_keeps_the_new_dose_and_the_change_with_its_reason(
    clock: FakeClock, data_dir: Path
) -> None:
    entry = step_entry(data_dir)
    store = seeded(entry, clock)
    app = make_app(clock=clock, beeper=NullBeeper(), routine=entry, store=store)
    async with app.run_test(size=(80, 24)) as pilot:
        await whole_session(pilot, clock)
        summary = await check_in(pilot, "1")
        steps = text_of(pilot, "#next-steps")
        assert QUESTION in steps
        assert "Check-in saved: pain after 1." in text_of(pilot, "#check-in-saved")
        assert not store.doses("step")  # asking changes nothing
        assert not store.dose_changes()
        await pilot.press("y")
        await settle(pilot)
        assert "✓ Clamshell: 4 reps from next time." in text_of(pilot, "#next-steps")
        assert summary.phase == "done"
        assert store.doses("step") == [DoseRecord("step", "Clamshell", None, Dose(reps=4))]
        (change,) = store.dose_changes()
        assert (change.exercise, change.side, change.before.reps, change.after.reps) == (
            "Clamshell",
            None,
            2,
            4,
        )
        assert change.reason == "step up: two sessions at the full dose, pain after at most 2"
        assert change.at == clock.wall()
        await pilot.press("enter")
        await pilot.pause()
    assert app.return_code == 0


async def test_no_keeps_the_dose_and_the_answer(clock: FakeClock, data_dir: Path) -> None:
    entry = step_entry(data_dir)
    store = seeded(entry, clock)
    app = make_app(clock=clock, beeper=NullBeeper(), routine=entry, store=store)
    async with app.run_test(size=(80, 24)) as pilot:
        await whole_session(pilot, clock)
        await check_in(pilot, "2")  # at most 2: still a step up
        assert QUESTION in text_of(pilot, "#next-steps")
        await pilot.press("n")
        await settle(pilot)
        assert "Clamshell: the dose stays as it is." in text_of(pilot, "#next-steps")
    assert store.doses("step") == []
    (change,) = store.dose_changes()
    assert change.before == change.after
    assert change.reason.startswith("kept the dose, no to step up: ")


async def test_edit_refuses_a_value_out_of_range_in_one_line_then_keeps_one_that_fits(
    clock: FakeClock, data_dir: Path
) -> None:
    entry = step_entry(data_dir)
    store = seeded(entry, clock)
    app = make_app(clock=clock, beeper=NullBeeper(), routine=entry, store=store)
    async with app.run_test(size=(80, 24)) as pilot:
        await whole_session(pilot, clock)
        summary = await check_in(pilot, "0")
        await pilot.press("e")
        box = summary.query_one("#dose-edit", Input)
        assert summary.focused is box and box.value == "reps 4"  # the proposal's, to change
        await pilot.press("y")  # typed into the box, not an answer
        assert box.value == "reps 4y"
        box.value = "reps 0"
        await pilot.press("enter")
        await settle(pilot)
        error = text_of(pilot, "#dose-error")
        assert error == "dose: reps is a whole number from 1 to 100, not 0"
        assert summary.focused is box  # asked again
        assert store.doses("step") == [] and store.dose_changes() == []
        box.value = "bananas 3"
        await pilot.press("enter")
        assert "'bananas' is not a value of the dose" in text_of(pilot, "#dose-error")
        await pilot.press("escape")  # back to the question: nothing kept
        assert summary.focused is not box and summary.phase == "answering"
        await pilot.press("e")
        box.value = "reps=3"
        await pilot.press("enter")
        await settle(pilot)
        assert "✓ Clamshell: 3 reps from next time." in text_of(pilot, "#next-steps")
    assert store.doses("step") == [DoseRecord("step", "Clamshell", None, Dose(reps=3))]
    (change,) = store.dose_changes()
    assert change.after.reps == 3 and change.reason.startswith("edited: ")


async def test_enter_and_esc_leave_the_proposal_waiting(clock: FakeClock, data_dir: Path) -> None:
    entry = step_entry(data_dir)
    for keys in (("enter",), ("escape",)):
        store = seeded(entry, clock)
        app = make_app(clock=clock, beeper=NullBeeper(), routine=entry, store=store)
        async with app.run_test(size=(80, 24)) as pilot:
            await whole_session(pilot, clock)
            await check_in(pilot, "1")
            await pilot.press(*keys)
            await settle(pilot)
        assert store.doses("step") == [] and store.dose_changes() == []


async def test_a_step_back_shows_the_routines_safety_advice(
    clock: FakeClock, data_dir: Path
) -> None:
    entry = step_entry(data_dir)
    store = seeded(entry, clock)
    app = make_app(clock=clock, beeper=NullBeeper(), routine=entry, store=store)
    async with app.run_test(size=(80, 24)) as pilot:
        await whole_session(pilot, clock)
        await check_in(pilot, "7")
        steps = text_of(pilot, "#next-steps")
        assert "Clamshell: Next time: 1 rep? (pain after 7 (above 5))" in steps
        assert "Safety: Stop if anything [b]hurts[/b]." in steps  # as written
        await pilot.press("y")
        await settle(pilot)
    assert store.doses("step") == [DoseRecord("step", "Clamshell", None, Dose(reps=1))]


async def test_no_pain_entered_says_why_there_is_no_proposal(
    clock: FakeClock, data_dir: Path
) -> None:
    entry = step_entry(data_dir)
    store = seeded(entry, clock)
    app = make_app(clock=clock, beeper=NullBeeper(), routine=entry, store=store)
    async with app.run_test(size=(80, 24)) as pilot:
        await whole_session(pilot, clock)
        summary = await check_in(pilot, "")
        assert "No check-in this time." in text_of(pilot, "#check-in-saved")
        assert "No proposal: no pain after entered" in text_of(pilot, "#next-steps")
        assert summary.phase == "done"
        await pilot.press("y")  # no question: the key does nothing
        await settle(pilot)
        assert store.dose_changes() == []
        await pilot.press("enter")
        await pilot.pause()
    assert app.return_code == 0


async def test_the_top_of_the_rule_says_what_comes_next(clock: FakeClock, data_dir: Path) -> None:
    entry = step_entry(data_dir, reps=6)  # the rule's up_to
    store = seeded(entry, clock)
    app = make_app(clock=clock, beeper=NullBeeper(), routine=entry, store=store)
    async with app.run_test(size=(80, 24)) as pilot:
        await whole_session(pilot, clock)
        await check_in(pilot, "1")
        assert "Clamshell: keep this dose. Next: Add a band." in text_of(pilot, "#next-steps")


async def test_a_routine_with_nothing_to_say_goes_straight_home(clock: FakeClock) -> None:
    store = MemoryStore()
    app = make_app(clock=clock, beeper=NullBeeper(), store=store)  # from Home
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("enter", "enter")  # the first routine (no advance rule), then begin
        for _ in range(60):
            clock.advance(1)
            screen = app.screen
            if isinstance(screen, SessionScreen):
                screen.tick()
        await pilot.press("q", "y")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        await pilot.press("1", "escape")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)


def test_snapshot(snap_compare: Any, data_dir: Path) -> None:
    clock = FakeClock()
    entry = step_entry(data_dir)
    app = make_app(clock=clock, beeper=NullBeeper(), routine=entry, store=seeded(entry, clock))

    async def asked(pilot: Pilot[int]) -> None:
        await whole_session(pilot, clock)
        await check_in(pilot, "1")

    assert snap_compare(app, terminal_size=(80, 24), run_before=asked)


async def test_a_file_run_by_its_path_keeps_its_own_dose_and_asks_nothing(
    clock: FakeClock, tmp_path: Path
) -> None:
    path = tmp_path / "elsewhere" / "step.yaml"
    path.parent.mkdir()
    path.write_text(STEP.replace("{reps}", "2"))
    entry = RoutineEntry("step", path, parse_routine(path.read_text()))
    store = seeded(entry, clock)
    app = make_app(clock=clock, beeper=NullBeeper(), routine=entry, store=store)
    async with app.run_test(size=(80, 24)) as pilot:
        await whole_session(pilot, clock)
        await pilot.press("1", "escape")
        await settle(pilot)
    assert app.return_code == 0  # the summary closed at once: nothing to ask
    assert store.dose_changes() == []
