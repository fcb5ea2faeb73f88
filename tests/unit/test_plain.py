"""Plain narration (`coach run ROUTINE --plain`): the lines it prints, the commands it reads,
and what it leaves in history, on a fake clock with typed input."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import msgspec
import pytest

from coach.history.model import SetRecord
from coach.history.sqlite import MemoryStore
from coach.plain import COMMANDS, plain_beeper, run_plain
from coach.plain_text import event_lines, step_lines
from coach.plan import build_plan
from coach.routine import RoutineEntry
from coach.routine_yaml import parse_routine
from coach.session import Event, EventKind
from coach.sound import NullBeeper
from coach.speaker import VoiceSpeaker
from coach.testing import FakeClock, FakePhrases, FakeTimeLoop, RecordingBeeper, Typist

TINY = """\
title: Tiny
get_ready: 5
switch_sides: 5
rest_between_exercises: 5
exercises:
  - name: Clamshell
    reps: 2
    hold: 2
    sides: both
    side_is: lying_on
    tempo: {move: 1, release: 0}
    words: {move: OPEN}
    setup: Lie on your side.
  - name: Bridge
    hold: 6
    tempo: {move: 0, release: 0}
"""
COUNTED = """\
title: Counted
get_ready: 0
exercises:
  - name: Squats
    reps: 3
    self_paced: true
    tempo: {move: 2, release: 1}
"""
SKIP = "Type a number, or press Enter to skip."
OPENING = [
    "Tiny",
    "38 s · 2 exercises, paced for you.",
    COMMANDS,
    f"Pain now, 0–10? {SKIP}",
    "Press Enter to begin (q leaves).",
]
CLAMSHELL = [
    "Get ready: Clamshell (exercise 1 of 2) · Right leg works · lying on your left side · 5 s",
    "2 reps, each side · hold 2 s",
    "Lie on your side.",
    "3",
    "2",
    "1",
    "Clamshell · right leg works · rep 1 of 2 · open 1 s",
    "Clamshell · right leg works · rep 1 of 2 · hold 2 s",
    "Clamshell · right leg works · rep 2 of 2 · open 1 s",
    "Clamshell · right leg works · rep 2 of 2 · hold 2 s",
    "Switch: now your left leg · lie on your right side · 5 s",
]


def entry_of(text: str) -> RoutineEntry:
    return RoutineEntry("tiny", Path("tiny.yaml"), parse_routine(text))


@dataclass
class Narration:
    code: int
    lines: list[str]
    errors: list[str]
    store: MemoryStore
    beeper: RecordingBeeper
    clock: FakeClock


def narrate(
    text: str = TINY,
    script: Sequence[tuple[float, str]] = (),
    *,
    close: bool = True,
    store: MemoryStore | None = None,
    clock: FakeClock | None = None,
    stdout: io.StringIO | None = None,
    entry: RoutineEntry | None = None,
    **options: object,
) -> Narration:
    """Run a session of `text` with `script` typed at its moments (seconds from the start),
    on a fake clock that moves whenever the narration waits."""
    clock = clock or FakeClock()
    store = store if store is not None else MemoryStore()
    beeper = RecordingBeeper(clock)
    out, err = stdout or io.StringIO(), io.StringIO()
    typist = Typist(clock, script, close=close)
    try:
        code = run_plain(
            entry or entry_of(text),
            data_dir=Path("unused"),
            clock=clock,
            beeper=beeper,
            stdin=typist.stdin,
            stdout=out,
            stderr=err,
            store=store,
            loop_factory=lambda: FakeTimeLoop(clock, typist),
            **options,  # type: ignore[arg-type]
        )
    finally:
        typist.close()
    return Narration(
        code, out.getvalue().splitlines(), err.getvalue().splitlines(), store, beeper, clock
    )


def only_session(store: MemoryStore) -> tuple[object, list[SetRecord]]:
    sessions = store.recent()
    assert len(sessions) == 1
    detail = store.detail(sessions[0].id)
    assert detail is not None
    return detail.session, list(detail.sets)


# ------------------------------------------------------------------ lines


def test_closed_input_runs_the_routine_to_the_end_in_plain_lines() -> None:
    run = narrate()
    assert run.code == 0
    assert run.lines == [
        *OPENING,
        *CLAMSHELL,
        "3",
        "2",
        "1",
        "Clamshell · left leg works · rep 1 of 2 · open 1 s",
        "Clamshell · left leg works · rep 1 of 2 · hold 2 s",
        "Clamshell · left leg works · rep 2 of 2 · open 1 s",
        "Clamshell · left leg works · rep 2 of 2 · hold 2 s",
        "Rest 5 s · Next: Bridge",
        "3",
        "2",
        "1",
        "Get ready: Bridge (exercise 2 of 2) · 5 s",
        "1 hold · hold 6 s",
        "3",
        "2",
        "1",
        "Bridge · hold 6 s",  # no countdown in a hold: the full screen does not tick there
        "Well done: routine complete.",
        "2 of 2 sets done · 38 s (planned 38 s)",
        "Clamshell: sets 1/1 each side · reps 2/2 each side",
        "Bridge: sets 1/1 · reps 1/1",
        f"Pain now, 0–10? {SKIP}",
        f"Effort, 0–10? {SKIP}",
        "A note? Type it, or press Enter to skip.",
    ]
    assert run.errors == ["coach: input has closed; the session goes on by itself to the end"]
    session, sets = only_session(run.store)
    assert session.status == "completed"  # type: ignore[attr-defined]
    assert session.pain_before is None and session.pain_after is None  # type: ignore[attr-defined]
    assert [(s.exercise, s.working_side, s.reps) for s in sets] == [
        ("Clamshell", "right", 2),
        ("Clamshell", "left", 2),
        ("Bridge", None, 1),
    ]


def test_the_cues_are_the_full_screens() -> None:
    run = narrate()
    cues = run.beeper.cues
    assert cues[:4] == ["tick", "tick", "tick", "go"]
    assert cues[-1] == "finish"
    assert "switch" in cues and "rest" in cues


def test_text_from_the_routine_is_escaped() -> None:
    # The YAML reader refuses control characters; a routine made another way may hold them.
    routine = entry_of(TINY).routine
    first = msgspec.structs.replace(routine.exercises[0], setup="Lie\x1b[2J down [/]")
    routine = msgspec.structs.replace(
        routine, title="Ti\x1bny [bold]", exercises=[first, *routine.exercises[1:]]
    )
    run = narrate(entry=RoutineEntry("tiny", Path("tiny.yaml"), routine))
    assert run.lines[0] == "Ti\\x1bny [bold]"
    assert "Lie\\x1b[2J down [/]" in run.lines
    assert not any("\x1b" in line for line in run.lines)


def test_an_event_the_narration_does_not_know_is_left_out_and_a_halfway_has_a_line() -> None:
    routine = entry_of(TINY).routine
    plan = build_plan(routine)
    unknown = Event("hold_quarter", 2, plan.steps[2], 0.0)  # type: ignore[arg-type]
    assert event_lines(routine, plan, unknown) == []
    assert event_lines(routine, plan, Event(EventKind.HOLD_DONE, 2, plan.steps[2], 0.0)) == []
    halfway = Event(EventKind.HALFWAY, 2, plan.steps[2], 0.0, 15)
    assert event_lines(routine, plan, halfway) == ["Halfway: 15 s left"]


def test_a_line_names_the_direction_and_a_relax_what_comes_next() -> None:
    routine = entry_of(
        """\
title: Ways
exercises:
  - name: Leg swing
    sets: 2
    reps: 2
    hold: 1
    sides: both
    directions: [forward, sideways]
    relax: 3
    tempo: {move: 0, release: 0}
"""
    ).routine
    plan = build_plan(routine)
    lines = [line for i in range(len(plan.steps)) for line in step_lines(routine, plan, i)]
    assert lines[2:5] == [
        "Leg swing · set 1 of 2 · left leg works · forward · rep 1 of 2 · hold 1 s",
        "Relax 3 s · Next: hold 2 of 2",
        "Leg swing · set 1 of 2 · left leg works · forward · rep 2 of 2 · hold 1 s",
    ]
    assert "Rest 30 s · Next: set 2 of 2 · left leg works · forward · rep 1 of 2" in lines


# ------------------------------------------------------------------ commands


def test_commands_pause_skip_go_back_mute_and_stop() -> None:
    run = narrate(
        script=[
            (0, "4"),  # pain now
            (0, ""),  # begin
            (2, "s"),  # pause in the get-ready, 3 s left
            (30, "s"),  # carry on
            (31, "m"),
            (31, "wave"),
            (34.5, "n"),  # skip the rest of the set
            (35, "p"),  # back to the start of the set
            (36, "q"),
        ],
    )
    assert run.code == 0
    assert run.lines[len(OPENING) : len(OPENING) + 3] == CLAMSHELL[:3]
    assert run.lines[len(OPENING) + 3 :] == [
        "Paused. Type s to carry on.",
        "Carrying on.",
        "3",  # 3 s were left when it paused: the countdown goes on from there
        "Sound off",
        COMMANDS,
        "2",
        "1",
        "Clamshell · right leg works · rep 1 of 2 · open 1 s",
        "Clamshell · right leg works · rep 1 of 2 · hold 2 s",
        "Skipping ahead.",
        "Switch: now your left leg · lie on your right side · 5 s",
        "Going back.",
        "Clamshell · right leg works · rep 1 of 2 · open 1 s",
        "Session stopped.",
        "0 of 2 sets done · 8 s (planned 38 s)",
        "Clamshell: sets 0/1 each side · reps 0/2 each side",
        "Bridge: sets 0/1 · reps 0/1",
        f"Pain now, 0–10? {SKIP}",
        f"Effort, 0–10? {SKIP}",
        "A note? Type it, or press Enter to skip.",
    ]
    assert run.beeper.muted
    session, sets = only_session(run.store)
    assert session.status == "stopped"  # type: ignore[attr-defined]
    assert session.pain_before == 4  # type: ignore[attr-defined]
    assert [(s.exercise, s.reps, s.skipped) for s in sets] == [("Clamshell", 0, True)]


def test_enter_cuts_a_get_ready_short_and_counts_self_paced_reps() -> None:
    run = narrate(COUNTED, [(0, ""), (0, ""), (5, ""), (6, ""), (9, "")])
    assert run.lines[len(OPENING) :] == [
        "Get ready: Squats",
        "3 reps · at your own pace",
        "Squats · rep 1 of 3 · lift at your own pace · Enter when done",
        "Squats · rep 2 of 3 · lift at your own pace · Enter when done",
        "Squats · rep 3 of 3 · lift at your own pace · Enter when done",
        "Well done: routine complete.",
        "1 of 1 set done · 9 s (planned 0 s)",
        "Squats: sets 1/1 · reps 3/3",
        f"Pain now, 0–10? {SKIP}",
        f"Effort, 0–10? {SKIP}",
        "A note? Type it, or press Enter to skip.",
    ]
    session, sets = only_session(run.store)
    assert session.status == "completed"  # type: ignore[attr-defined]
    assert [s.reps for s in sets] == [3]


def test_with_input_closed_self_paced_reps_are_counted_at_their_tempo() -> None:
    run = narrate(COUNTED)
    assert run.code == 0
    # three reps of move 2 s + release 1 s, by the clock
    assert "1 of 1 set done · 9 s (planned 0 s)" in run.lines
    assert "Squats · rep 2 of 3 · lift at your own pace · counted in 3 s" in run.lines
    assert not any(line.endswith("Enter when done") for line in run.lines)
    session, sets = only_session(run.store)
    assert session.status == "completed"  # type: ignore[attr-defined]
    assert [s.reps for s in sets] == [3]


def test_input_closing_while_paused_carries_on_to_the_end() -> None:
    run = narrate(script=[(0, ""), (0, ""), (1, "s")])
    assert run.lines[len(OPENING) + 3 : len(OPENING) + 5] == [
        "Paused. Type s to carry on.",
        "Carrying on.",
    ]
    assert "Well done: routine complete." in run.lines


def test_q_before_the_start_leaves_without_a_session() -> None:
    run = narrate(script=[(0, ""), (0, "q")], close=False)
    assert run.code == 0
    assert run.lines == OPENING
    assert run.store.recent() == []


# ------------------------------------------------------------------ questions


def test_the_check_ins_are_saved_and_a_wrong_answer_is_asked_again() -> None:
    run = narrate(
        script=[(0, "eleven"), (0, "3"), (0, ""), (40, "5"), (40, "11"), (40, "x"), (40, "a note")]
    )
    assert run.lines[3:6] == [
        f"Pain now, 0–10? {SKIP}",
        "Give a whole number from 0 to 10, or press Enter to skip.",
        "Press Enter to begin (q leaves).",
    ]
    end = run.lines.index("A note? Type it, or press Enter to skip.") + 1
    assert run.lines[end - 4 : end] == [
        f"Pain now, 0–10? {SKIP}",
        f"Effort, 0–10? {SKIP}",
        "Give a whole number from 0 to 10, or press Enter to skip.",
        "A note? Type it, or press Enter to skip.",
    ]
    # A file run by its path keeps the file's dose: no next step is asked, even for a rise
    # of pain that would step a dose of the person's back (tests/unit/test_plain_next_step.py).
    assert run.lines[end:] == []
    session, _ = only_session(run.store)
    assert session.pain_before == 3  # type: ignore[attr-defined]
    assert session.pain_after == 5  # type: ignore[attr-defined]
    assert session.effort is None  # type: ignore[attr-defined]  # 11, then x: left out
    assert session.note == "a note"  # type: ignore[attr-defined]


def interrupted(store: MemoryStore, clock: FakeClock) -> int:
    """A session of TINY cut off after its first side of Clamshell."""
    entry = entry_of(TINY)
    session = store.start_session(entry.id, "Tiny", clock.wall(), planned_sets=2)
    clock.advance(20)
    store.record_set(
        session,
        SetRecord(
            0,
            "Clamshell",
            1,
            clock.wall(),
            side="left",
            side_is="lying_on",
            working_side="right",
            reps=2,
        ),
    )
    store.finish_session(session, clock.wall(), "interrupted")
    clock.advance(60)
    return session


@pytest.mark.parametrize(
    ("said", "resumed", "dismissed"),
    [("r", True, False), ("", False, False), ("s", False, True), ("what", False, False)],
)
def test_the_resume_offer_is_a_question(said: str, resumed: bool, dismissed: bool) -> None:
    clock, store = FakeClock(), MemoryStore()
    cut = interrupted(store, clock)
    run = narrate(script=[(0, said), (0, "no" if said == "what" else "")], store=store, clock=clock)
    assert run.lines[1:5] == [
        "Resume Tiny?",
        "It stopped 1 min ago after Clamshell, set 1, right leg; 0 of 2 sets were done.",
        "Resuming picks up at Clamshell, left leg works · lying on your right side.",
        "Type r to resume, s to start over, or press Enter: not now (start afresh).",
    ]
    if said == "what":  # asked again once, then the default
        assert run.lines[5] == "Type r, s, or press Enter."
    starts = "Switch: now your left leg · lie on your right side · 5 s"
    assert (starts in run.lines[:12]) is resumed
    latest = run.store.recent()[0]
    detail = run.store.detail(latest.id)
    assert detail is not None and detail.session.status == "completed"
    assert (detail.session.resumed_from == cut) is resumed
    assert len(detail.sets) == (2 if resumed else 3)  # resumed: the left leg, then Bridge
    earlier = run.store.detail(cut)
    assert earlier is not None and earlier.session.dismissed is dismissed


# ------------------------------------------------------------------ history and output


def test_an_unusable_history_file_keeps_the_session_in_memory_with_one_warning(
    tmp_path: Path,
) -> None:
    (tmp_path / "history.db").write_text("not a database")
    clock = FakeClock()
    typist = Typist(clock)
    out, err = io.StringIO(), io.StringIO()
    try:
        code = run_plain(
            entry_of(TINY),
            data_dir=tmp_path,
            clock=clock,
            beeper=NullBeeper(),
            stdin=typist.stdin,
            stdout=out,
            stderr=err,
            loop_factory=lambda: FakeTimeLoop(clock, typist),
        )
    finally:
        typist.close()
    assert code == 0
    warnings = err.getvalue().splitlines()
    assert warnings[0].startswith("coach: history will not be saved: ")
    assert "Well done: routine complete." in out.getvalue()
    assert (tmp_path / "history.db").read_text() == "not a database"


class Closing(io.StringIO):
    """Standard output whose reader goes away after `lines` lines."""

    def __init__(self, lines: int) -> None:
        super().__init__()
        self.left = lines

    def write(self, text: str) -> int:
        if self.left <= 0:
            raise BrokenPipeError(32, "Broken pipe")
        self.left -= 1
        return super().write(text)


def test_standard_output_going_away_saves_the_session_as_stopped() -> None:
    out = Closing(len(OPENING) + len(CLAMSHELL[:8]))  # gone as rep 2 begins, at 8 s
    run = narrate(stdout=out)
    assert run.code == 0
    assert out.getvalue().splitlines()[-1] == CLAMSHELL[7]
    assert run.clock.now() - FakeClock().now() == 8
    session, sets = only_session(run.store)
    assert session.status == "stopped"  # type: ignore[attr-defined]
    assert [(s.exercise, s.reps, s.skipped) for s in sets] == [("Clamshell", 1, True)]


def test_a_speaker_given_says_the_session_through_the_player() -> None:
    clock = FakeClock()
    entry = entry_of(TINY)
    player = RecordingBeeper(clock)
    speaker = VoiceSpeaker(FakePhrases(), player)
    speaker.prepare(build_plan(entry.routine, entry.id), entry.routine)  # rendered beforehand
    assert speaker.rendered.wait(10)
    run = narrate(clock=clock, entry=entry, speaker=speaker)
    said = [s.text for s in speaker.log]
    assert said[0].startswith("Clamshell.") and said[-1] == "That's the routine done. Well done."
    assert len(player.played) == len(said)
    assert "Well done: routine complete." in run.lines
    assert not any(line.startswith("Voice") for line in run.errors)


def test_the_beeper_is_the_full_screens() -> None:
    beeper, why = plain_beeper(False, {"COACH_SOUND": "off"})
    assert isinstance(beeper, NullBeeper) and beeper.muted and why == "COACH_SOUND is 'off'"
    beeper, why = plain_beeper(True, {})
    assert beeper.muted and why is None
    beeper.close()


def test_hurt_asks_the_pain_and_leaves_the_exercise_for_the_next() -> None:
    run = narrate(script=[(0, ""), (0, ""), (6, "hurt"), (6, "7")])
    at = run.lines.index("It hurts: stopping Clamshell.")
    assert run.lines[at + 1 : at + 3] == [
        f"Pain now, 0–10? {SKIP}",
        "Get ready: Bridge (exercise 2 of 2) · 5 s",
    ]
    assert "Well done: routine complete." in run.lines
    assert "Clamshell: stopped because it hurt (pain 7)" in run.lines
    _, sets = only_session(run.store)
    assert [(s.exercise, s.reps, s.skipped, s.hurt) for s in sets] == [
        ("Clamshell", 0, True, 7),  # its first rep was still in its hold
        ("Bridge", 1, False, None),
    ]
