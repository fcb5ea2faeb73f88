"""The dose screen (`d` on Home): a person's own dose of each exercise, for both sides or one,
reset to the file's, and the routine's weekly plan; every save kept with its change."""

from __future__ import annotations

import threading
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, OptionList, Static

from coach.history.model import Dose, DoseChange, DoseRecord, Schedule
from coach.history.sqlite import MemoryStore
from coach.sound import NullBeeper
from coach.testing import FakeClock
from coach.ui.app import CoachApp, make_app
from coach.ui.screens.confirm import ConfirmScreen
from coach.ui.screens.dose import DoseScreen
from coach.ui.screens.home import HomeScreen
from coach.ui.widgets.side_choice import SideChoice

from .conftest import settle

ROUTINE = "low-back"  # second on Home: Clamshell first, 2 × 10, hold 2, rest 30, both sides
MINE = """\
title: "Bridges [bold]x[/]"
exercises:
  - name: Bridge
    reps: 10
    hold: 5
  - name: Bridge
    reps: 8
"""


def app_with(store: MemoryStore, clock: FakeClock | None = None) -> CoachApp:
    return make_app(clock=clock or FakeClock(), beeper=NullBeeper(), store=store)


async def open_dose(pilot: Pilot[int], *keys: str) -> DoseScreen:
    """From Home: highlight the routine (`keys`), press d, let the doses be read."""
    await settle(pilot)
    await pilot.press(*(keys or ("down",)), "d")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, DoseScreen)
    return screen


def box(screen: DoseScreen, name: str) -> Input:
    return screen.query_one(f"#dose-{name}", Input)


def message(screen: DoseScreen) -> str:
    return str(screen.query_one("#dose-message", Static).render())


def table_rows(screen: DoseScreen) -> list[list[str]]:
    table = screen.query_one(DataTable)
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


async def type_into(pilot: Pilot[int], field: Input, text: str) -> None:
    """Focus a field, clear it with the keyboard and type `text`."""
    field.focus()
    await pilot.pause()
    await pilot.press("end", *["backspace"] * len(field.value), *list(text))


async def test_d_opens_the_highlighted_routine_with_each_exercise_and_its_dose() -> None:
    store = MemoryStore()
    async with app_with(store).run_test(size=(80, 24)) as pilot:
        screen = await open_dose(pilot)
        assert screen.entry.id == ROUTINE
        rows = table_rows(screen)
        assert rows[0] == ["Clamshell", "2", "10", "2", "30", "0"]
        assert [row[0] for row in rows] == [
            "Clamshell",
            "Side-lying hip abduction",
            "Quadruped hip extension with knee flexion",
            "Cook hip lift",
            "Lateral step down",
        ]
        assert box(screen, "reps").value == "10" and box(screen, "rest").value == "30"
        await pilot.press("down")
        assert box(screen, "reps").value == "10"
        assert "Side-lying hip abduction" in str(
            screen.query_one("#dose-exercise", Static).render()
        )


async def test_a_changed_rep_count_is_saved_with_its_change_from_a_worker(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    store = MemoryStore()
    threads: list[str] = []
    real = store.set_dose

    def set_dose(record: DoseRecord, change: DoseChange) -> None:
        threads.append(threading.current_thread().name)
        real(record, change)

    monkeypatch.setattr(store, "set_dose", set_dose)
    clock = FakeClock()
    async with app_with(store, clock).run_test(size=(80, 24)) as pilot:
        screen = await open_dose(pilot)
        await pilot.press("enter")  # from the table to the form
        assert isinstance(screen.focused, SideChoice)
        await type_into(pilot, box(screen, "reps"), "12")
        await pilot.press("enter")
        await settle(pilot)
        assert store.doses(ROUTINE) == [DoseRecord(ROUTINE, "Clamshell", None, Dose(reps=12))]
        [change] = store.dose_changes(ROUTINE)
        assert change.reason == "set on the dose screen"
        assert change.at == clock.wall()
        assert (change.before.reps, change.after.reps) == (10, 12)
        assert change.after == Dose(2, 12, 2.0, 30.0, 0.0)
        assert threads and threads[0] != threading.main_thread().name
        assert table_rows(screen)[0] == ["Clamshell", "2", "10 → 12", "2", "30", "0"]
        assert message(screen) == "Saved Clamshell: reps 10 → 12."
        # Saving the same values again keeps nothing new.
        await pilot.press("enter")
        await settle(pilot)
        assert len(store.dose_changes(ROUTINE)) == 1
        assert message(screen).startswith("Nothing to save")


async def test_a_value_back_at_the_files_is_no_longer_kept() -> None:
    store = MemoryStore()
    now = FakeClock().wall()
    record = DoseRecord(ROUTINE, "Clamshell", None, Dose(reps=12))
    store.set_dose(record, DoseChange(now, ROUTINE, "Clamshell", None, Dose(), Dose(), "x"))
    async with app_with(store).run_test(size=(80, 24)) as pilot:
        screen = await open_dose(pilot)
        assert box(screen, "reps").value == "12"
        await type_into(pilot, box(screen, "reps"), "")  # empty: the file's value
        await pilot.press("enter")
        await settle(pilot)
        assert store.doses(ROUTINE) == []
        assert store.dose_changes(ROUTINE)[-1].after.reps == 10
        assert table_rows(screen)[0][2] == "10"


async def test_one_side_gets_its_own_dose_and_a_row_of_its_own() -> None:
    store = MemoryStore()
    async with app_with(store).run_test(size=(80, 24)) as pilot:
        screen = await open_dose(pilot)
        await pilot.press("enter", "right")  # both sides → left
        choice = screen.query_one(SideChoice)
        assert choice.value == "left"
        assert box(screen, "rest").disabled and box(screen, "relax").disabled
        assert not box(screen, "reps").disabled
        await type_into(pilot, box(screen, "reps"), "8")
        await pilot.press("tab")
        await pilot.press("end", "backspace", "3")  # hold 2 → 3
        await pilot.press("enter")
        await settle(pilot)
        assert store.doses(ROUTINE) == [
            DoseRecord(ROUTINE, "Clamshell", "left", Dose(reps=8, hold=3.0))
        ]
        [change] = store.dose_changes(ROUTINE)
        assert change.side == "left" and change.after.reps == 8 and change.after.rest == 30
        rows = table_rows(screen)
        assert rows[0] == ["Clamshell", "2", "10", "2", "30", "0"]
        assert rows[1] == ["  left leg", "·", "10 → 8", "2 → 3", "·", "·"]
        assert rows[2][0] == "Side-lying hip abduction"
        assert message(screen) == "Saved Clamshell, left leg: reps 10 → 8, hold 2 → 3."
        # The cursor stays on the side's row; the table's rows bring the form to their side.
        table = screen.query_one(DataTable)
        assert table.cursor_row == 1
        table.focus()
        await pilot.press("up", "down")
        await pilot.pause()
        assert choice.value == "left" and box(screen, "reps").value == "8"
        await pilot.press("up")
        await pilot.pause()
        assert choice.value is None and box(screen, "reps").value == "10"


async def test_an_exercise_without_sides_has_only_both_sides(data_dir: Path) -> None:
    folder = data_dir / "routines"
    folder.mkdir(parents=True)
    (folder / "zz-bridges.yaml").write_text(MINE)
    store = MemoryStore()
    async with app_with(store).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        options = pilot.app.screen.query_one("#routines", OptionList)
        assert isinstance(pilot.app.screen, HomeScreen)
        index = [row.id for row in pilot.app.screen.rows].index("zz-bridges")
        options.highlighted = index
        screen = await open_dose(pilot, "end")
        assert screen.entry.id == "zz-bridges"
        assert "Bridges [bold]x[/]" in str(screen.query_one("#dose-title", Static).render())
        assert [row[0] for row in table_rows(screen)] == ["Bridge", "Bridge #2"]
        await pilot.press("down", "enter", "right")
        assert screen.query_one(SideChoice).value is None  # no side to choose
        await type_into(pilot, box(screen, "reps"), "9")
        await pilot.press("enter")
        await settle(pilot)
        assert store.doses("zz-bridges") == [
            DoseRecord("zz-bridges", "Bridge #2", None, Dose(reps=9))
        ]


@pytest.mark.parametrize(
    ("field", "text", "said"),
    [
        ("reps", "0", "Clamshell: reps is a whole number from 1 to 100, not 0"),
        ("reps", "12.5", "reps is a whole number from 1 to 100, not '12.5'"),
        ("sets", "lots", "sets is a whole number from 1 to 20, not 'lots'"),
        ("hold", "601", "Clamshell: hold is a number of seconds from 0 to 600, not 601.0"),
        ("rest", "nan", "rest is a number of seconds from 0 to 600, not 'nan'"),
    ],
)
async def test_a_value_outside_the_limits_is_refused_with_one_line(
    field: str, text: str, said: str
) -> None:
    store = MemoryStore()
    async with app_with(store).run_test(size=(80, 24)) as pilot:
        screen = await open_dose(pilot)
        await type_into(pilot, box(screen, field), text)
        await pilot.press("enter")
        await settle(pilot)
        assert message(screen) == f"Not saved: {said}"
        assert screen.query_one("#dose-message").has_class("-error")
        assert store.doses() == [] and store.dose_changes() == []


async def test_escape_leaves_without_saving() -> None:
    store = MemoryStore()
    async with app_with(store).run_test(size=(80, 24)) as pilot:
        screen = await open_dose(pilot)
        await type_into(pilot, box(screen, "reps"), "15")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(pilot.app.screen, HomeScreen)
        assert store.doses() == [] and store.dose_changes() == []


def keep(store: MemoryStore, exercise: str, side: str | None, dose: Dose) -> None:
    now = FakeClock().wall() - timedelta(days=1)
    change = DoseChange(now, ROUTINE, exercise, side, Dose(), Dose(), "set with coach dose")
    store.set_dose(DoseRecord(ROUTINE, exercise, side, dose), change)


async def test_reset_puts_one_exercise_back_to_the_files_dose() -> None:
    store = MemoryStore()
    keep(store, "Clamshell", None, Dose(reps=12))
    keep(store, "Clamshell", "right", Dose(sets=3))
    keep(store, "Cook hip lift", None, Dose(hold=4))
    async with app_with(store).run_test(size=(80, 24)) as pilot:
        screen = await open_dose(pilot)
        assert table_rows(screen)[1] == ["  right leg", "2 → 3", "·", "·", "·", "·"]
        await pilot.press("r")
        await settle(pilot)
        assert store.doses(ROUTINE) == [DoseRecord(ROUTINE, "Cook hip lift", None, Dose(hold=4))]
        resets = [c for c in store.dose_changes(ROUTINE) if c.reason == "reset on the dose screen"]
        assert {(c.exercise, c.side) for c in resets} == {
            ("Clamshell", None),
            ("Clamshell", "right"),
        }
        assert table_rows(screen)[0] == ["Clamshell", "2", "10", "2", "30", "0"]
        assert message(screen) == "Clamshell is back to the file's dose."
        await pilot.press("r")  # nothing left to reset
        await settle(pilot)
        assert message(screen) == "Clamshell already has the file's dose."


async def test_reset_all_asks_first_then_puts_every_exercise_back() -> None:
    store = MemoryStore()
    keep(store, "Clamshell", None, Dose(reps=12))
    keep(store, "Cook hip lift", None, Dose(hold=4))
    async with app_with(store).run_test(size=(80, 24)) as pilot:
        screen = await open_dose(pilot)
        await pilot.press("R")
        await pilot.pause()
        assert isinstance(pilot.app.screen, ConfirmScreen)
        await pilot.press("n")
        await settle(pilot)
        assert len(store.doses(ROUTINE)) == 2
        await pilot.press("R")
        await pilot.pause()
        await pilot.press("y")
        await settle(pilot)
        assert pilot.app.screen is screen
        assert store.doses(ROUTINE) == []
        assert message(screen) == "Every exercise is back to the file's dose."


async def test_a_dose_whose_exercise_is_gone_is_listed_as_unused_and_can_be_removed() -> None:
    store = MemoryStore()
    keep(store, "Old [name]", None, Dose(reps=5))
    async with app_with(store).run_test(size=(80, 24)) as pilot:
        screen = await open_dose(pilot)
        rows = table_rows(screen)
        assert rows[-1] == ["Old [name] (unused)", "·", "5", "·", "·", "·"]
        await pilot.press(*["down"] * 5)
        await pilot.pause()
        assert box(screen, "reps").disabled
        assert "gone from the file" in str(screen.query_one("#dose-exercise", Static).render())
        await pilot.press("r")
        await settle(pilot)
        assert store.doses(ROUTINE) == []
        assert len(table_rows(screen)) == 5


async def test_the_weekly_plan_is_set_refused_and_cleared() -> None:
    store = MemoryStore()
    async with app_with(store).run_test(size=(80, 24)) as pilot:
        screen = await open_dose(pilot)
        days = screen.query_one("#dose-days", Input)
        await type_into(pilot, days, "mon, wed fri")
        await pilot.press("enter")
        await settle(pilot)
        assert store.schedules() == [Schedule(ROUTINE, (0, 2, 4))]
        assert message(screen) == "Planned for mon wed fri."
        assert days.value == "mon wed fri"
        await type_into(pilot, days, "funday")
        await pilot.press("enter")
        await settle(pilot)
        assert message(screen).startswith("Not saved: 'funday' is not a day")
        assert store.schedules() == [Schedule(ROUTINE, (0, 2, 4))]
        await type_into(pilot, days, "daily")
        await pilot.press("enter")
        await settle(pilot)
        assert store.schedules() == [Schedule(ROUTINE, tuple(range(7)))]
        await type_into(pilot, days, "none")
        await pilot.press("enter")
        await settle(pilot)
        assert store.schedules() == []
        assert message(screen) == "No weekly plan for this routine now."
        assert store.dose_changes() == []  # a plan is not a dose


def home_prompts(app: Any) -> dict[str, str]:
    screen = app.screen
    assert isinstance(screen, HomeScreen)
    options = screen.query_one("#routines", OptionList)
    return {row.id: str(options.get_option_at_index(i).prompt) for i, row in enumerate(screen.rows)}


async def test_home_marks_a_routine_due_today_until_a_session_of_it_counts() -> None:
    from coach.history.model import SetRecord

    store = MemoryStore()
    clock = FakeClock()  # a Monday
    now = clock.wall()
    store.set_schedule(Schedule(ROUTINE, (0, 3)), ROUTINE)
    store.set_schedule(Schedule("pre-run", (1,)), "pre-run")  # Tuesdays: not today
    async with app_with(store, clock).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        prompts = home_prompts(pilot.app)
        assert "\n due today  25 min" in prompts[ROUTINE]
        assert "due today" not in prompts["pre-run"]
        # A session of it today with every set skipped does not count: still due.
        skipped = store.start_session(ROUTINE, "Hips", now)
        store.record_set(skipped, SetRecord(0, "Clamshell", 1, now, skipped=True))
        store.finish_session(skipped, now, "stopped")
        await pilot.press("h")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert "due today" in home_prompts(pilot.app)[ROUTINE]
        done = store.start_session(ROUTINE, "Hips", now + timedelta(minutes=5))
        store.record_set(done, SetRecord(0, "Clamshell", 1, now, reps=10))
        await pilot.press("h")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert "due today" not in home_prompts(pilot.app)[ROUTINE]


async def test_a_plan_set_on_the_dose_screen_marks_home_on_the_way_back() -> None:
    store = MemoryStore()
    async with app_with(store).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "due today" not in home_prompts(pilot.app)[ROUTINE]
        screen = await open_dose(pilot)
        await type_into(pilot, screen.query_one("#dose-days", Input), "mon")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert "due today" in home_prompts(pilot.app)[ROUTINE]


async def test_home_reads_what_is_due_off_the_event_loop(monkeypatch: pytest.MonkeyPatch) -> None:
    store = MemoryStore()
    store.set_schedule(Schedule(ROUTINE, (0,)), ROUTINE)
    threads: list[str] = []
    real = store.schedules

    def schedules() -> list[Schedule]:
        threads.append(threading.current_thread().name)
        return real()

    monkeypatch.setattr(store, "schedules", schedules)
    async with app_with(store).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "due today" in home_prompts(pilot.app)[ROUTINE]
    assert threads and threading.main_thread().name not in threads


async def test_home_shows_the_dose_key_in_its_footer_at_80_columns() -> None:
    store = MemoryStore()
    async with app_with(store).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        footer = pilot.app.screen.query_one("KeyFooter")
        keys = [str(key.render()) for key in footer.query("FooterKey")]
        assert any("Dose" in key for key in keys)
        right = max(key.region.right for key in footer.query("FooterKey"))
        assert right <= 80


async def test_w_goes_to_the_weekly_plan_and_the_footer_says_enter_saves() -> None:
    store = MemoryStore()
    async with app_with(store).run_test(size=(80, 24)) as pilot:
        screen = await open_dose(pilot)
        await pilot.press("w")
        assert screen.focused is screen.query_one("#dose-days", Input)
        footer = screen.query_one("KeyFooter")
        await pilot.pause()
        keys = " ".join(str(key.render()) for key in footer.query("FooterKey"))
        assert "Save" in keys and "Reset" not in keys  # letters go into the field
        await pilot.press("d", "a", "i", "l", "y", "enter")
        await settle(pilot)
        assert store.schedules() == [Schedule(ROUTINE, tuple(range(7)))]


def test_snapshot(snap_compare: Any) -> None:
    store = MemoryStore()
    keep(store, "Clamshell", None, Dose(reps=12, rest=45))
    keep(store, "Clamshell", "left", Dose(reps=8))
    keep(store, "Old [exercise]", None, Dose(sets=3))
    store.set_schedule(Schedule(ROUTINE, (0, 2, 4)), ROUTINE)

    async def run_before(pilot: Pilot[int]) -> None:
        await open_dose(pilot)
        await pilot.press("down")  # the left leg's row
        await pilot.pause()

    assert snap_compare(app_with(store), terminal_size=(80, 24), run_before=run_before)


async def test_a_write_that_fails_is_one_line_and_the_dose_stays(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from coach.history.model import HistoryError

    store = MemoryStore()

    def refuse(record: DoseRecord, change: DoseChange) -> None:
        raise HistoryError("could not save the dose: history.db is locked by another program")

    monkeypatch.setattr(store, "set_dose", refuse)
    async with app_with(store).run_test(size=(80, 24)) as pilot:
        screen = await open_dose(pilot)
        await type_into(pilot, box(screen, "reps"), "12")
        await pilot.press("enter")
        await settle(pilot)
        assert message(screen) == (
            "Not saved: could not save the dose: history.db is locked by another program"
        )
        assert store.doses() == [] and table_rows(screen)[0][2] == "10"
        assert box(screen, "reps").value == "12"  # what was typed is still there to try again


async def test_a_read_only_history_says_so_in_the_title(monkeypatch: pytest.MonkeyPatch) -> None:
    store = MemoryStore()
    monkeypatch.setattr(MemoryStore, "read_only", property(lambda self: True))
    async with app_with(store).run_test(size=(80, 24)) as pilot:
        screen = await open_dose(pilot)
        title = str(screen.query_one("#dose-title", Static).render())
        assert "read-only: changes are not saved" in title
