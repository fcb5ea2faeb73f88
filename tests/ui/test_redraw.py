"""When the session screen wakes: at the next visible change, and never while nothing moves."""

from __future__ import annotations

import pytest

from coach.plan import build_plan
from coach.routine_yaml import parse_routine
from coach.session import Session, SessionView
from coach.session_text import countdown_text
from coach.testing import FakeClock
from coach.ui.screens.session import next_change, step_bar_steps, step_bar_value

LONG_HOLD = """\
title: One long hold
get_ready: 5
exercises:
  - name: Stretch
    reps: 1
    hold: 60
    tempo: {move: 1, release: 1}
"""


def hold_view(clock: FakeClock, into_hold: float) -> tuple[Session, SessionView]:
    session = Session(build_plan(parse_routine(LONG_HOLD), "long"), clock)
    session.start()
    clock.advance(5 + 1 + into_hold)  # get ready, lift, then into the hold
    session.tick()
    assert session.current.phase == "hold"
    return session, session.view()


@pytest.mark.parametrize(("seconds", "steps"), [(2, 20), (5, 50), (9.5, 95), (30, 30), (60, 60)])
def test_step_bar_moves_at_most_ten_times_a_second_and_once_a_second_in_long_steps(
    seconds: float, steps: int
) -> None:
    assert step_bar_steps(seconds) == steps


def test_in_a_long_hold_everything_changes_together_once_a_second() -> None:
    clock = FakeClock()
    session, view = hold_view(clock, 10.3)
    assert countdown_text(view) == "50"
    wait = next_change(view)
    assert wait == pytest.approx(0.7)
    before = (countdown_text(view), step_bar_value(view))
    clock.advance(wait - 0.01)
    still = session.view()
    assert (countdown_text(still), step_bar_value(still)) == before
    clock.advance(0.02)
    after = session.view()
    assert countdown_text(after) == "49"
    assert step_bar_value(after) == round(11 * 100 / 60)
    assert next_change(after) == pytest.approx(0.99)


def test_nothing_moves_while_paused() -> None:
    clock = FakeClock()
    session, _ = hold_view(clock, 3.5)
    session.pause()
    assert next_change(session.view()) is None


def test_a_short_hold_wakes_ten_times_a_second() -> None:
    clock = FakeClock()
    session = Session(
        build_plan(parse_routine(LONG_HOLD.replace("hold: 60", "hold: 2")), "short"), clock
    )
    session.start()
    clock.advance(5 + 1 + 0.03)
    session.tick()
    assert session.current.phase == "hold"
    assert next_change(session.view()) == pytest.approx(0.07)


def test_a_get_ready_cut_short_does_not_add_a_second_wake() -> None:
    clock = FakeClock()
    session = Session(build_plan(parse_routine(LONG_HOLD), "long"), clock)
    session.start()
    clock.advance(2.3)
    session.next()  # Enter during the get-ready: the time done is now 0.3 s out of step
    clock.advance(1 + 10.5)
    session.tick()
    view = session.view()
    assert view.step.phase == "hold"
    assert view.elapsed % 1 == pytest.approx(0.8)
    assert next_change(view) == pytest.approx(0.5)  # the countdown's; not also at 0.2
