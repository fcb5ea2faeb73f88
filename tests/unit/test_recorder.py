"""The recorder: a session goes to history as it happens, and a cut-off one resumes at its set."""

from __future__ import annotations

from datetime import timedelta

import pytest

from coach.history.model import HistoryError, SetRecord
from coach.history.sqlite import MemoryStore
from coach.plan import Plan, build_plan
from coach.recorder import SessionRecorder
from coach.resume import restart_index
from coach.routine_yaml import parse_routine
from coach.session import EventKind, Session
from coach.testing import FakeClock
from tests.ui.conftest import SHORT

WAIT = 10.0  # seconds a test waits, at most, for the writer's thread (it takes milliseconds)


@pytest.fixture
def plan() -> Plan:
    return build_plan(parse_routine(SHORT), "short")


def run_through(session: Session, clock: FakeClock, recorder: SessionRecorder) -> None:
    """Walk the whole plan, counting self-paced reps, handing every set to the recorder."""
    events = session.start()
    while not session.done:
        for event in events:
            if event.kind is EventKind.SET_DONE and event.tally is not None:
                recorder.record(event.tally)
        if session.current.phase == "rep":
            events = session.count_rep()
        else:
            clock.advance(0.5)
            events = session.tick()
    for event in events:
        if event.kind is EventKind.SET_DONE and event.tally is not None:
            recorder.record(event.tally)


def test_a_whole_session_is_saved_with_its_sets_and_check_ins(plan: Plan) -> None:
    clock, store = FakeClock(), MemoryStore()
    recorder = SessionRecorder(store, clock, plan)
    recorder.begin(pain_before=6)
    session = Session(plan, clock)
    run_through(session, clock, recorder)
    recorder.end("completed")
    recorder.check_in(pain_after=3, effort=7, note="easier than last week")

    assert recorder.flush(WAIT)
    assert recorder.session_id is not None
    detail = store.detail(recorder.session_id)
    assert detail is not None
    record = detail.session
    assert (record.status, record.pain_before, record.pain_after, record.effort) == (
        "completed",
        6,
        3,
        7,
    )
    assert record.note == "easier than last week"
    # 2 clamshell sets on each side and 1 of squats: 3 sets as the plan states them, not 5
    assert len(plan.blocks) == 5 and record.planned_sets == 3
    assert record.started_at == clock.wall() - timedelta(seconds=session.elapsed())
    assert [(s.exercise, s.set_number, s.side, s.reps, s.skipped) for s in detail.sets] == [
        ("Clamshell", 1, "left", 2, False),
        ("Clamshell", 1, "right", 2, False),
        ("Clamshell", 2, "left", 2, False),
        ("Clamshell", 2, "right", 2, False),
        ("Counted squats", 1, None, 2, False),
    ]
    assert [(s.side_is, s.working_side) for s in detail.sets] == [
        ("working", "left"),
        ("working", "right"),
        ("working", "left"),
        ("working", "right"),
        (None, None),
    ]
    assert store.recent()[0].done == 1.0


def test_every_set_keeps_the_dose_it_was_done_with(plan: Plan) -> None:
    """Reps planned on that side and the seconds of each hold (0 for plain reps)."""
    clock, store = FakeClock(), MemoryStore()
    recorder = SessionRecorder(store, clock, plan)
    recorder.begin()
    session = Session(plan, clock)
    run_through(session, clock, recorder)
    recorder.end("completed")
    assert recorder.flush(WAIT)
    assert recorder.session_id is not None
    detail = store.detail(recorder.session_id)
    assert detail is not None
    assert [(s.exercise, s.target_reps, s.target_hold, s.hurt) for s in detail.sets] == [
        ("Clamshell", 2, 2.0, None),
        ("Clamshell", 2, 2.0, None),
        ("Clamshell", 2, 2.0, None),
        ("Clamshell", 2, 2.0, None),
        ("Counted squats", 2, 0.0, None),
    ]


def test_a_set_that_hurt_keeps_the_pain_said_after_it_was_saved(plan: Plan) -> None:
    """The set is saved as it is stopped; the pain, asked for next, is added to that row."""
    clock, store = FakeClock(), MemoryStore()
    recorder = SessionRecorder(store, clock, plan)
    recorder.begin()
    session = Session(plan, clock)
    session.start()
    clock.advance(5 + 4)  # one rep on the left
    session.tick()
    stopped = [event.tally for event in session.next() if event.tally is not None]
    recorder.record(stopped[0])
    recorder.record(stopped[0], hurt=7)
    with pytest.raises(ValueError, match="hurt is from 0 to 10, not 11"):
        recorder.record(stopped[0], hurt=11)
    assert recorder.flush(WAIT)
    assert recorder.session_id is not None
    detail = store.detail(recorder.session_id)
    assert detail is not None
    assert [(s.side, s.reps, s.skipped, s.target_reps, s.hurt) for s in detail.sets] == [
        ("left", 1, True, 2, 7)
    ]


def test_each_set_is_in_history_before_the_next_begins(plan: Plan) -> None:
    clock, store = FakeClock(), MemoryStore()
    recorder = SessionRecorder(store, clock, plan)
    recorder.begin()
    session = Session(plan, clock)
    session.start()
    clock.advance(5 + 4 * 2)  # get ready, then both reps on the left
    for event in session.tick():
        if event.tally is not None:
            recorder.record(event.tally)
    assert recorder.flush(WAIT)
    assert recorder.session_id is not None
    detail = store.detail(recorder.session_id)
    assert detail is not None
    assert [(s.set_number, s.side) for s in detail.sets] == [(1, "left")]
    assert detail.session.status == "running"


def test_a_skip_and_a_stop_are_recorded_as_far_as_they_got(plan: Plan) -> None:
    clock, store = FakeClock(), MemoryStore()
    recorder = SessionRecorder(store, clock, plan)
    recorder.begin()
    session = Session(plan, clock)
    session.start()
    clock.advance(5 + 4)  # one rep on the left
    session.tick()
    for event in session.next() + session.stop():
        if event.tally is not None:
            recorder.record(event.tally)
    recorder.end("stopped")
    assert recorder.flush(WAIT)
    assert recorder.session_id is not None
    detail = store.detail(recorder.session_id)
    assert detail is not None
    assert detail.session.status == "stopped"
    assert [(s.side, s.reps, s.skipped) for s in detail.sets] == [("left", 1, True)]


def test_a_resumed_session_plans_only_what_is_left(plan: Plan) -> None:
    store = MemoryStore()
    recorder = SessionRecorder(store, FakeClock(), plan, start_index=14)
    recorder.begin(resumed_from=None)
    assert recorder.flush(WAIT)
    assert recorder.session_id is not None
    detail = store.detail(recorder.session_id)
    assert detail is not None
    assert detail.session.planned_sets == 2  # clamshell set 2 (its right side) and the squats


class FailingStore(MemoryStore):
    def record_set(self, session_id: int, entry: SetRecord) -> None:
        raise HistoryError("could not save the set: /x/history.db cannot grow: the disk is full")


def test_a_failing_store_is_told_once_and_the_session_goes_on(plan: Plan) -> None:
    clock = FakeClock()
    recorder = SessionRecorder(FailingStore(), clock, plan)
    recorder.begin()
    session = Session(plan, clock)
    run_through(session, clock, recorder)
    recorder.end("completed")
    assert recorder.flush(WAIT)
    assert session.done and len(session.records) == 5
    assert recorder.take_problem() == (
        "could not save the set: /x/history.db cannot grow: the disk is full"
    )
    assert recorder.take_problem() is None
    assert recorder.status == "completed"


def last(exercise_index: int, name: str, set_number: int, side: str | None) -> SetRecord:
    return SetRecord(exercise_index, name, set_number, FakeClock().wall(), side=side)


@pytest.mark.parametrize(
    ("after", "expected"),
    [
        # left side done: the side switch leads into the right side
        (last(0, "Clamshell", 1, "left"), 7),
        # set 1 done on both sides: the rest before set 2 leads into it
        (last(0, "Clamshell", 1, "right"), 14),
        # the last set of an exercise: the next exercise's get-ready
        (last(0, "Clamshell", 2, "right"), 28),
        # the very last set: nothing left
        (last(1, "Counted squats", 1, None), None),
        # a set the routine no longer has, or an exercise renamed since
        (last(0, "Clamshell", 3, "left"), None),
        (last(0, "Clamshells", 1, "left"), None),
    ],
)
def test_restart_index(plan: Plan, after: SetRecord, expected: int | None) -> None:
    assert restart_index(plan, after) == expected
