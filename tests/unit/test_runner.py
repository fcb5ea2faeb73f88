"""The session runner, driven as every front end drives it: commands in, updates out."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from pathlib import Path

import pytest

from coach.history.model import FixedHistory, HistoryError, SetRecord
from coach.history.sqlite import MemoryStore
from coach.plan import Plan
from coach.routine import Routine, RoutineEntry
from coach.routine_yaml import parse_routine
from coach.runner import SessionRunner, Update, drive
from coach.session import Event, EventKind
from coach.sound import NO_PLAYER, SoundState
from coach.testing import FakeClock, RecordingBeeper

ROUTINE = """\
title: Runner test
get_ready: 5
switch_sides: 3
exercises:
  - name: A
    sets: 2
    reps: 2
    hold: 2
    sides: both
    rest: 6
    tempo: {move: 1, release: 1}
"""
SELF_PACED = """\
title: Counted
get_ready: 0
exercises:
  - name: Squats
    reps: 2
    self_paced: true
"""


WAIT = 10.0  # seconds a test waits, at most, for the writer's thread (it takes milliseconds)


def entry_of(text: str) -> RoutineEntry:
    return RoutineEntry("test", Path("test.yaml"), parse_routine(text))


class Harness:
    """A runner on a fake clock with a recording beeper, an in-memory store and a listener."""

    def __init__(self, text: str = ROUTINE, **kwargs: object) -> None:
        self.clock = FakeClock(100.0)
        self.beeper = RecordingBeeper(self.clock)
        self.store = MemoryStore()
        self.runner = SessionRunner(
            entry_of(text),
            clock=self.clock,
            beeper=self.beeper,
            history=FixedHistory(self.store),
            **kwargs,  # type: ignore[arg-type]
        )
        self.updates: list[Update] = []
        self.runner.subscribe(self.updates.append)

    def run_out(self, step: float = 0.5, limit: int = 10_000) -> None:
        """Tick to the end; before each tick the history writer catches up (it takes
        milliseconds, and a set is seconds long), so what it found shows in the next update."""
        for _ in range(limit):
            if self.runner.finished:
                return
            self.clock.advance(step)
            self.saved()
            self.runner.tick()
        raise AssertionError("the session did not end")

    def saved(self) -> None:
        """Wait for the recorder's writer thread to make every write handed to it."""
        recorder = self.runner.recorder
        assert recorder is None or recorder.flush(WAIT)

    @property
    def notices(self) -> list[str]:
        return [notice.text for update in self.updates for notice in update.notices]

    @property
    def endings(self) -> list[Update]:
        return [update for update in self.updates if update.ended is not None]


def test_a_session_runs_hands_free_with_cues_records_and_one_ending() -> None:
    h = Harness()
    h.runner.begin(pain_before=3)
    h.run_out()
    rep = ["go", "hold_done"]
    side = rep * 2
    assert h.beeper.cues == (
        ["tick"] * 3 + side + ["switch"] + side + ["rest"] + ["tick"] * 3
        + side + ["switch"] + side + ["finish"]
    )  # fmt: skip
    ticks = [when for cue, when in h.beeper.played if cue == "tick"]
    rest_end = 100 + 5 + 8 + 3 + 8 + 6
    assert ticks[3:] == [rest_end - 3, rest_end - 2, rest_end - 1]
    (ending,) = h.endings
    assert ending.ended is h.runner.result and ending.ended.completed
    assert [r.side for r in ending.ended.records] == ["left", "right", "left", "right"]
    h.saved()
    (summary,) = h.store.recent()
    assert (summary.status, summary.pain_before, summary.done) == ("completed", 3, 1.0)
    detail = h.store.detail(summary.id)
    assert detail is not None and len(detail.sets) == 4
    count = len(h.updates)
    h.runner.next()  # commands after the end do nothing and report nothing
    h.runner.stop()
    assert len(h.updates) == count


def test_every_command_and_tick_reports_once_with_its_events() -> None:
    h = Harness()
    h.runner.begin()
    assert [e.kind for e in h.updates[-1].events][:1] == [EventKind.STEP_STARTED]
    h.runner.toggle_pause()
    assert [e.kind for e in h.updates[-1].events] == [EventKind.PAUSED]
    count = len(h.updates)
    h.clock.advance(30)
    h.runner.tick()  # paused: nothing happens, and an empty update says so
    assert len(h.updates) == count + 1 and h.updates[-1].events == ()
    h.runner.toggle_pause()
    assert [e.kind for e in h.updates[-1].events] == [EventKind.RESUMED]


def test_stop_before_the_start_leaves_with_nothing_done_and_no_history() -> None:
    h = Harness()
    h.runner.stop()
    (ending,) = h.endings
    assert ending.ended is not None and not ending.ended.completed and not ending.ended.records
    assert h.store.count() == 0
    h.runner.begin()  # an ended runner does not start again
    assert not h.runner.started


def test_stop_keeps_the_set_in_progress_and_saves_the_session_as_stopped() -> None:
    h = Harness()
    h.runner.begin()
    h.clock.advance(5 + 4)  # into the second rep of the first set
    h.runner.tick()
    h.runner.stop()
    (ending,) = h.endings
    assert ending.ended is not None and not ending.ended.completed
    h.saved()
    (summary,) = h.store.recent()
    assert summary.status == "stopped"
    detail = h.store.detail(summary.id)
    assert detail is not None and [(s.reps, s.skipped) for s in detail.sets] == [(1, True)]


@pytest.mark.parametrize(("status", "sets"), [("interrupted", 0), ("stopped", 1)])
def test_a_signal_ends_the_session_quietly(status: str, sets: int) -> None:
    h = Harness()
    h.runner.begin()
    h.clock.advance(6)
    h.runner.tick()
    before = len(h.updates)
    h.runner.end_for_signal(status)  # type: ignore[arg-type]
    assert h.runner.finished and len(h.updates) == before  # no front end is left to tell
    (summary,) = h.store.recent()
    assert summary.status == status
    detail = h.store.detail(summary.id)
    assert detail is not None and len(detail.sets) == sets
    h.clock.advance(60)
    h.runner.tick()
    assert len(h.updates) == before


def test_a_resume_chosen_during_the_briefing_moves_the_start() -> None:
    h = Harness()
    old = h.store.start_session("test", "Runner test", h.clock.wall())
    second = next(b for b in h.runner.plan.blocks if b.set == 2)
    h.runner.move_start(second.start, old)
    assert h.updates[-1].moved
    h.runner.begin()
    assert (h.runner.current.set, h.runner.current.side) == (2, "left")
    h.saved()
    newest = h.store.recent()[0]
    detail = h.store.detail(newest.id)
    assert detail is not None and detail.session.resumed_from == old
    assert detail.session.planned_sets == 1  # set 2, on both sides
    h.runner.move_start(0, old)  # too late once it has begun
    assert h.runner.current.set == 2


def test_mute_silences_cues_and_the_speaker_and_cannot_undo_sound_turned_off() -> None:
    speaker = SilentSpeaker()
    h = Harness(speaker=speaker, sound_off="COACH_SOUND is 'off'")
    h.beeper.muted = True
    notice = h.runner.toggle_mute()
    assert notice.text == "Sound stays off: COACH_SOUND is 'off'."
    assert h.runner.muted
    h2 = Harness(speaker=speaker)
    assert h2.runner.toggle_mute().text == "Sound off"
    assert h2.beeper.muted and speaker.muted
    h2.runner.begin()
    h2.clock.advance(10)
    h2.runner.tick()
    assert h2.beeper.played == []
    assert h2.runner.toggle_mute().text == "Sound on"
    assert not speaker.muted


def test_the_sound_state_is_what_can_be_heard_and_mute_cannot_turn_on_a_failed_player() -> None:
    h = Harness()
    assert h.runner.sound_state == SoundState("on")
    assert h.runner.toggle_mute().text == "Sound off"
    assert h.runner.sound_state == SoundState("muted")
    assert h.runner.toggle_mute().text == "Sound on"
    failed = Harness()
    failed.beeper.problem = NO_PLAYER
    failed.beeper.problem_words = "no player"
    off = SoundState("off", NO_PLAYER.removeprefix("Sound is off: "), "no player")
    assert failed.runner.sound_state == off and off.label == "sound off: no player"
    notice = failed.runner.toggle_mute()
    assert notice.text == f"Sound stays off: {off.why}."
    assert not failed.beeper.muted and failed.runner.sound_state == off
    env = Harness(sound_off="COACH_SOUND is 'off'")
    env.beeper.muted = True
    assert env.runner.sound_state.label == "sound off: COACH_SOUND"


class SilentSpeaker:
    """A speaker that says it spoke at every rep start, and notes what it was given."""

    def __init__(self, problem: str | None = None) -> None:
        self.muted = False
        self.enabled = True
        self.problem = problem
        self.prepared = False
        self.closed = False
        self.heard: list[EventKind] = []

    def prepare(self, plan: Plan, routine: Routine) -> None:
        self.prepared = True

    def close(self) -> None:
        self.closed = True

    def speak(self, events: Sequence[Event]) -> bool:
        self.heard += [event.kind for event in events]
        return any(event.kind is EventKind.REP_STARTED for event in events)

    def take_problem(self) -> str | None:
        problem, self.problem = self.problem, None
        return problem


def test_a_phrase_replaces_the_beep_it_would_cover() -> None:
    speaker = SilentSpeaker(problem="No voice: espeak-ng is not installed")
    h = Harness(speaker=speaker)
    h.runner.prepare()
    assert speaker.prepared
    assert h.notices == ["No voice: espeak-ng is not installed"]
    h.runner.begin()
    h.run_out()
    assert "go" not in h.beeper.cues  # every rep start was spoken instead
    assert h.beeper.cues.count("hold_done") == 8 and h.beeper.cues[-1] == "finish"
    assert EventKind.SESSION_DONE in speaker.heard


def test_sound_and_history_failures_are_each_told_once() -> None:
    h = Harness()
    h.beeper.problem = "Sound is off: no audio player"

    def failing(session_id: int, entry: SetRecord) -> None:
        raise HistoryError("could not save the set: the disk is full")

    h.store.record_set = failing  # type: ignore[method-assign]
    h.runner.prepare()
    h.runner.begin()
    h.run_out()
    assert h.notices == [
        "Sound is off: no audio player",
        "History will not be saved: could not save the set: the disk is full",
    ]
    assert not h.runner.history_saved
    assert h.runner.result is not None and h.runner.result.completed


def test_history_kept_in_memory_is_not_called_saved() -> None:
    clock = FakeClock()
    runner = SessionRunner(
        entry_of(ROUTINE),
        clock=clock,
        beeper=RecordingBeeper(),
        history=FixedHistory(MemoryStore(), problem="history.db is read-only"),
    )
    assert not runner.history_saved


def test_enter_counts_a_self_paced_rep_and_cuts_a_rest_short() -> None:
    h = Harness(SELF_PACED)
    h.runner.begin()
    h.runner.tick()  # past the get-ready of no seconds
    assert h.runner.current.phase == "rep" and h.runner.due() is None
    h.runner.enter()
    h.runner.enter()
    assert h.runner.result is not None and h.runner.result.completed
    assert [r.reps for r in h.runner.result.records] == [2]
    h2 = Harness()
    h2.runner.begin()
    assert h2.runner.current.phase == "ready"
    h2.runner.enter()
    assert h2.runner.current.phase == "move"


async def test_drive_follows_commands_to_the_end() -> None:
    h = Harness(SELF_PACED)
    h.runner.begin()
    driving = asyncio.ensure_future(drive(h.runner))
    for _ in range(2):
        await asyncio.sleep(0)
        assert not driving.done()
        h.runner.enter()
    result = await asyncio.wait_for(driving, 5)
    assert result.completed and result is h.runner.result
