from __future__ import annotations

import pytest

from coach.paths import builtin_routines_dir
from coach.plan import Plan, build_plan
from coach.routine_yaml import load_routine, parse_routine
from coach.session import Event, EventKind, Session
from coach.testing import FakeClock

K = EventKind


def make(
    exercises: str, head: str = "get_ready: 5\nswitch_sides: 3\n"
) -> tuple[Session, FakeClock]:
    plan = build_plan(parse_routine(f"title: T\n{head}exercises:\n{exercises}"), "t")
    clock = FakeClock(100.0)
    return Session(plan, clock), clock


def kinds(events: list[Event]) -> list[str]:
    return [e.kind.value for e in events]


def run_to_end(session: Session, clock: FakeClock, step: float = 0.25) -> list[Event]:
    events = session.start()
    while not session.done:
        clock.advance(step)
        events += session.tick()
    return events


HOLDS = "  - name: A\n    reps: 2\n    hold: 2\n    tempo: {move: 1, release: 1}\n"


def test_holds_walk_in_order_with_exact_boundaries() -> None:
    session, clock = make(HOLDS)
    events = run_to_end(session, clock)
    starts = [(e.step.phase, e.step.rep, e.at) for e in events if e.kind is K.STEP_STARTED]
    assert [e.at for e in events if e.kind is K.REP_STARTED] == [105.0, 109.0]
    assert starts == [
        ("ready", None, 100.0),
        ("move", 1, 105.0),
        ("hold", 1, 106.0),
        ("release", 1, 108.0),
        ("move", 2, 109.0),
        ("hold", 2, 110.0),
        ("release", 2, 112.0),
    ]
    assert [e.at for e in events if e.kind is K.HOLD_DONE] == [108.0, 112.0]
    assert [e.at for e in events if e.kind is K.REP_DONE] == [109.0, 113.0]
    assert [e.at for e in events if e.kind is K.COUNTDOWN] == [102.0, 103.0, 104.0]
    assert [e.count for e in events if e.kind is K.COUNTDOWN] == [3, 2, 1]
    done = events[-1]
    assert done.kind is K.SESSION_DONE and done.at == 100.0 + session.plan.total_seconds
    tally = next(e.tally for e in events if e.kind is K.SET_DONE)
    assert tally is not None and (tally.reps, tally.holds, tally.skipped) == (2, 2, False)


def test_late_ticks_do_not_drift() -> None:
    session, clock = make(HOLDS)
    events = session.start()
    clock.advance(7.3)  # one very late tick crosses several boundaries
    events += session.tick()
    clock.advance(100)
    events += session.tick()
    starts = [e.at for e in events if e.kind is K.STEP_STARTED]
    assert starts == [100.0, 105.0, 106.0, 108.0, 109.0, 110.0, 112.0]
    assert events[-1].at == 113.0


def test_full_event_sequence_for_both_sides_sets_and_rest() -> None:
    session, clock = make(
        "  - name: A\n    sets: 2\n    reps: 1\n    hold: 2\n    sides: both\n    rest: 6\n"
        "    tempo: {move: 1, release: 1}\n"
    )
    events = run_to_end(session, clock, step=0.5)
    seq = [k for k in kinds(events) if k != "step_started"]
    assert seq == [
        "countdown",
        "countdown",
        "countdown",  # get ready 5 s
        "rep_started",
        "hold_done",
        "rep_done",
        "set_done",  # left
        "side_switch",
        "rep_started",
        "hold_done",
        "rep_done",
        "set_done",  # right
        "rest_started",
        "countdown",
        "countdown",
        "countdown",
        "rest_ended",
        "rep_started",
        "hold_done",
        "rep_done",
        "set_done",
        "side_switch",
        "rep_started",
        "hold_done",
        "rep_done",
        "set_done",
        "exercise_done",
        "session_done",
    ]
    assert [(r.set, r.side) for r in session.records] == [
        (1, "left"),
        (1, "right"),
        (2, "left"),
        (2, "right"),
    ]
    assert events[-1].at == 100.0 + session.plan.total_seconds


def test_alternate_sides_and_directions() -> None:
    session, clock = make(
        "  - name: A\n    reps: 2\n    sides: alternate\n    directions: [f, b]\n"
        "    tempo: {move: 2, release: 0}\n"
    )
    events = run_to_end(session, clock)
    moves = [
        (e.step.direction, e.step.rep, e.step.side)
        for e in events
        if e.kind is K.STEP_STARTED and e.step.phase == "move"
    ]
    assert moves == [
        ("f", 1, "left"),
        ("f", 1, "right"),
        ("f", 2, "left"),
        ("f", 2, "right"),
        ("b", 1, "left"),
        ("b", 1, "right"),
        ("b", 2, "left"),
        ("b", 2, "right"),
    ]
    assert K.SIDE_SWITCH not in [e.kind for e in events]
    assert [(r.direction, r.reps) for r in session.records] == [("f", 4), ("b", 4)]


def test_pause_freezes_remaining_exactly() -> None:
    session, clock = make("  - name: A\n    hold: 30\n    tempo: {move: 0, release: 0}\n")
    session.start()
    clock.advance(5)
    session.tick()  # now in the hold
    clock.advance(7.25)
    session.tick()
    assert session.remaining() == pytest.approx(22.75)
    session.pause()
    before = session.view()
    clock.advance(1000)
    assert session.tick() == []
    after = session.view()
    assert after.remaining == before.remaining == pytest.approx(22.75)
    assert after.elapsed == before.elapsed == pytest.approx(12.25)
    assert after.paused
    session.resume()
    clock.advance(22.75 - 3)
    events = session.tick()
    assert kinds(events) == ["halfway", "countdown"] and events[1].count == 3
    clock.advance(3)
    events = session.tick()
    assert K.SESSION_DONE in [e.kind for e in events]
    assert events[-1].at == 100.0 + 5 + 30 + 1000


def test_pause_silences_countdown() -> None:
    session, clock = make(HOLDS)
    session.start()
    clock.advance(1)
    session.pause()
    clock.advance(10)
    assert session.tick() == []
    session.resume()
    clock.advance(0.5)
    assert session.tick() == []  # 3.5 s left: the ten paused seconds did not count
    clock.advance(0.5)
    events = session.tick()
    assert kinds(events) == ["countdown"] and events[0].at == 112.0


def test_next_from_a_rep_skips_the_rest_of_the_set() -> None:
    session, clock = make(
        "  - name: A\n    sets: 2\n    reps: 5\n    hold: 2\n    rest: 10\n"
        "    tempo: {move: 1, release: 1}\n"
    )
    session.start()
    clock.advance(5 + 4 * 2 + 0.5)  # into rep 3's hold... (each rep 4 s)
    session.tick()
    assert session.current.rep == 3
    events = session.next()
    assert kinds(events) == ["set_done", "step_started", "rest_started"]
    tally = events[0].tally
    assert tally is not None and (tally.reps, tally.holds, tally.skipped) == (2, 2, True)
    assert session.current.phase == "rest"
    assert session.remaining() == 10
    events = session.next()  # skip the rest
    assert kinds(events) == ["rest_ended", "step_started", "rep_started"]
    assert (session.current.set, session.current.rep, session.current.phase) == (2, 1, "move")


def test_next_at_every_kind_of_step() -> None:
    session, _clock = make(
        "  - name: A\n    sets: 2\n    reps: 2\n    hold: 2\n    sides: both\n    rest: 6\n"
        "    relax: 2\n    tempo: {move: 1, release: 1}\n"
        "  - name: B\n    reps: 1\n    self_paced: true\n",
        head="get_ready: 5\nswitch_sides: 3\nrest_between_exercises: 4\n",
    )
    session.start()
    seen = []
    while not session.done:
        step = session.current
        seen.append((step.exercise_index, step.phase, step.set, step.side))
        session.next()
    assert seen == [
        (0, "ready", 1, "left"),
        (0, "move", 1, "left"),
        (0, "switch", 1, "right"),
        (0, "move", 1, "right"),
        (0, "rest", 1, None),
        (0, "move", 2, "left"),
        (0, "switch", 2, "right"),
        (0, "move", 2, "right"),
        (0, "rest", None, None),
        (1, "ready", 1, None),
        (1, "rep", 1, None),
    ]
    assert all(r.skipped for r in session.records)
    assert session.done and not session.stopped


def test_previous_goes_to_set_start_then_the_set_before() -> None:
    session, clock = make(
        "  - name: A\n    sets: 2\n    reps: 3\n    hold: 2\n    rest: 10\n"
        "    tempo: {move: 1, release: 1}\n"
    )
    session.start()
    session.next()  # ready -> set 1
    session.next()  # set 1 -> rest
    session.next()  # rest -> set 2 rep 1 move
    clock.advance(9)
    session.tick()
    assert (session.current.set, session.current.rep) == (2, 3)
    session.previous()
    assert (session.current.set, session.current.rep, session.current.phase) == (2, 1, "move")
    assert session.remaining() == 1
    session.previous()
    assert (session.current.set, session.current.rep) == (1, 1)
    session.previous()  # already at the first set: stays
    assert (session.current.set, session.current.rep) == (1, 1)
    # from a rest, previous goes back to the set just done
    session.next()
    assert session.current.phase == "rest"
    session.previous()
    assert (session.current.set, session.current.rep) == (1, 1)
    # a redone set is recorded again when it finishes
    clock.advance(12)
    session.tick()
    assert [(r.set, r.reps, r.skipped) for r in session.records][-1] == (1, 3, False)


def test_previous_from_ready_goes_back_to_the_last_set_of_the_exercise_before() -> None:
    session, _clock = make(
        "  - name: A\n    sets: 2\n    reps: 1\n    rest: 0\n  - name: B\n    reps: 1\n"
    )
    session.start()
    while session.current.exercise_index == 0:
        session.next()
    assert session.current.phase == "ready"
    session.previous()
    assert (session.current.exercise, session.current.set) == ("A", 2)


def test_self_paced_reps_wait_for_count() -> None:
    session, clock = make("  - name: A\n    reps: 3\n    self_paced: true\n")
    session.start()
    clock.advance(5)
    session.tick()
    assert session.current.phase == "rep" and session.remaining() is None
    clock.advance(3600)
    assert session.tick() == []
    assert session.current.rep == 1
    for rep in (1, 2):
        events = session.count_rep()
        assert kinds(events) == ["rep_done", "step_started", "rep_started"]
        assert session.current.rep == rep + 1
    events = session.count_rep()
    assert kinds(events) == ["rep_done", "set_done", "exercise_done", "session_done"]
    assert session.records[0].reps == 3


def test_count_rep_does_nothing_on_timed_steps() -> None:
    session, _clock = make(HOLDS)
    session.start()
    assert session.count_rep() == []
    assert session.current.phase == "ready"


def test_stop_keeps_the_set_in_progress() -> None:
    session, clock = make(
        "  - name: A\n    reps: 4\n    hold: 2\n    tempo: {move: 1, release: 1}\n"
    )
    session.start()
    clock.advance(5 + 4 * 2 + 1)
    session.tick()
    events = session.stop()
    assert kinds(events) == ["set_done", "session_stopped"]
    assert session.records[0].reps == 2 and session.records[0].skipped
    assert session.done and session.stopped
    assert session.tick() == [] and session.next() == []


def test_view_reports_progress_and_upcoming() -> None:
    session, clock = make(
        "  - name: A\n    sets: 2\n    reps: 2\n    hold: 2\n    rest: 10\n"
        "    tempo: {move: 1, release: 1}\n"
    )
    total = session.plan.total_seconds
    view = session.view()
    assert (view.elapsed, view.remaining_total, view.progress) == (0, total, 0)
    session.start()
    clock.advance(6.5)
    session.tick()
    view = session.view()
    assert view.step.phase == "hold" and view.remaining == pytest.approx(1.5)
    assert view.elapsed == 6.5
    assert view.remaining_total == pytest.approx(total - 6.5)
    assert view.upcoming is not None and view.upcoming.phase == "rest"
    assert 0 < view.progress < 1 and view.step_fraction == pytest.approx(0.25)


def test_start_at_a_set_for_resuming() -> None:
    plan = build_plan(
        parse_routine("title: T\nexercises:\n  - name: A\n    sets: 3\n    reps: 2\n  - name: B\n"),
        "t",
    )
    index = next(b.start for b in plan.blocks if (b.exercise_index, b.set) == (0, 2))
    session = Session(plan, FakeClock(), start_index=index)
    session.start()
    assert (session.current.exercise, session.current.set, session.current.rep) == ("A", 2, 1)


@pytest.mark.parametrize("name", ["low-back", "pre-run", "pre-run-strength", "home-basics"])
def test_builtin_routines_run_hands_free_to_the_end(name: str) -> None:
    plan: Plan = build_plan(load_routine(builtin_routines_dir() / f"{name}.yaml"), name)
    clock = FakeClock(0.0)
    session = Session(plan, clock)
    events = run_to_end(session, clock, step=0.5)
    assert events[-1].kind is K.SESSION_DONE
    assert events[-1].at == pytest.approx(plan.total_seconds)
    assert session.elapsed() == pytest.approx(plan.total_seconds, abs=0.5)
    assert len(session.records) == len(plan.blocks)
    assert all(not r.skipped and r.reps == r.reps_planned for r in session.records)
    started = [e.index for e in events if e.kind is K.STEP_STARTED]
    assert started == list(range(len(plan.steps)))


def test_mute_and_pause_silence_cues() -> None:
    from coach.cues import cue_for
    from coach.testing import RecordingBeeper

    session, clock = make(HOLDS)
    beeper = RecordingBeeper(clock)
    beeper.muted = True
    for event_batch in (session.start(), session.tick()):
        cue = cue_for(event_batch)
        if cue:
            beeper.play(cue)
    assert beeper.played == []
    session.pause()
    clock.advance(4.5)
    assert cue_for(session.tick()) is None


def test_next_due_points_at_the_next_countdown_or_boundary() -> None:
    session, clock = make(HOLDS)
    assert session.next_due() is None
    session.start()
    assert session.next_due() == 102.0  # "3" of the 5-second get ready
    clock.set(102.0)
    session.tick()
    assert session.next_due() == 103.0
    clock.set(105.0)
    session.tick()
    assert session.next_due() == 106.0  # 1-second move: no countdown
    session.pause()
    assert session.next_due() is None


def test_a_set_gone_back_to_keeps_one_record_with_the_best_of_its_tries() -> None:
    session, clock = make(
        "  - name: A\n    sets: 2\n    reps: 2\n    hold: 1\n    rest: 5\n"
        "    tempo: {move: 1, release: 1}\n  - name: B\n    reps: 1\n    self_paced: true\n"
    )
    session.start()
    clock.advance(5 + 2 * 3 + 1)  # get ready, then set 1 done, into the rest
    session.tick()
    assert [(r.set, r.reps, r.skipped) for r in session.records] == [(1, 2, False)]
    session.previous()  # back to set 1, done again in part, then skipped
    clock.advance(3)
    session.tick()
    session.next()
    assert [(r.set, r.reps, r.skipped) for r in session.records] == [(1, 2, False)]
    session.next()  # the rest
    session.next()  # set 2, skipped untouched
    session.previous()  # back to set 2's start, still one record for it
    session.next()
    assert [(r.set, r.reps, r.skipped) for r in session.records] == [
        (1, 2, False),
        (2, 0, True),
    ]


def test_a_long_hold_says_when_it_is_halfway_and_a_pause_moves_it() -> None:
    session, clock = make(
        "  - name: Stretch\n    reps: 1\n    hold: 30\n    tempo: {move: 0, release: 0}\n"
    )
    events = session.start()
    clock.advance(5)  # the get-ready is over: the hold starts at 105
    events += session.tick()
    assert session.next_due() == 120.0
    clock.advance(5)
    events += session.pause()
    clock.advance(100)
    events += session.resume() + session.tick()  # 25 s of the hold left, from 210
    assert session.next_due() == 220.0
    clock.advance(10.5)
    events += session.tick()
    halfway = [e for e in events if e.kind is K.HALFWAY]
    assert [(e.at, e.count, e.step.phase) for e in halfway] == [(220.0, 15, "hold")]
    assert session.next_due() == 232.0  # then the countdown as before


def test_short_holds_and_other_steps_have_no_halfway() -> None:
    session, clock = make(HOLDS + "    rest: 40\n    sets: 2\n")
    assert not [e for e in run_to_end(session, clock) if e.kind is K.HALFWAY]


def test_leaving_an_exercise_keeps_its_set_so_far_and_goes_to_the_next_get_ready() -> None:
    two = HOLDS.replace("reps: 2", "reps: 3\n    sets: 2\n    rest: 10") + (
        "  - name: B\n    reps: 1\n    hold: 3\n    tempo: {move: 0, release: 0}\n"
    )
    session, clock = make(two, head="get_ready: 5\nrest_between_exercises: 8\n")
    session.start()
    clock.advance(5 + 4 + 1.5)  # rep 2 of set 1, in its hold
    session.tick()
    session.pause()
    clock.advance(30)
    events = session.next_exercise()
    assert kinds(events) == [
        "resumed", "set_done", "exercise_done", "step_started",
    ]  # fmt: skip
    tally = events[1].tally
    assert tally is not None and (tally.set, tally.reps, tally.skipped) == (1, 1, True)
    assert session.current.phase == "ready" and session.current.exercise == "B"
    assert not session.paused
    assert [r.set for r in session.records] == [1]  # set 2 was never begun: not recorded
    last = session.next_exercise()  # from B's get-ready: nothing in progress, the end
    assert kinds(last) == ["exercise_done", "session_done"] and session.done
