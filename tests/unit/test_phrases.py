from __future__ import annotations

import msgspec
import pytest

from coach.paths import builtin_routines_dir
from coach.phrases import Phrasebook, number_words, seconds_said
from coach.plan import build_plan
from coach.routine_yaml import load_routine, parse_routine
from coach.session import EventKind, Session
from coach.testing import FakeClock

CLAMSHELL = """\
title: T
get_ready: 15
switch_sides: 5
exercises:
  - name: Clamshell
    sets: 2
    reps: 10
    hold: 2
    sides: both
    side_is: lying_on
    first_side: left
    rest: 30
    tempo: {move: 2, release: 2}
  - name: Bridge
    reps: 3
    hold: 30
    tempo: {move: 1, release: 1}
    relax: 10
"""


def book(text: str = CLAMSHELL) -> Phrasebook:
    routine = parse_routine(text)
    return Phrasebook(build_plan(routine, "t"), routine)


def first_forms(b: Phrasebook) -> list[tuple[str, str]]:
    out = []
    for index in range(len(b.plan.steps)):
        phrase = b.at_step(index)
        if phrase is not None:
            out.append((phrase.moment, phrase.forms[0]))
    return out


def test_numbers_and_seconds_in_words() -> None:
    assert [number_words(n) for n in (0, 7, 13, 20, 21, 99, 100, 105, 1000)] == [
        "zero", "seven", "thirteen", "twenty", "twenty-one", "ninety-nine", "one hundred",
        "one hundred and five", "1000",
    ]  # fmt: skip
    assert seconds_said(2) == "two seconds"
    assert seconds_said(1) == "one second"
    assert seconds_said(90) == "one minute thirty seconds"
    assert seconds_said(120) == "two minutes"
    assert seconds_said(2.5) == "2.5 seconds"


def test_the_get_ready_names_the_exercise_the_working_leg_and_the_dose() -> None:
    phrase = book().at_step(0)
    assert phrase is not None and phrase.moment == "get_ready"
    assert phrase.forms == (
        "Clamshell. Lie on your left side; your right leg works. "
        "Two sets of ten reps, each side, hold two seconds.",
        "Clamshell. Lie on your left side; your right leg works.",
        "Clamshell. Right leg.",
        "Clamshell.",
    )


def test_counts_last_one_switch_rest_relax_halfway_and_finish() -> None:
    b = book()
    said = first_forms(b)
    counts = [text for moment, text in said if moment == "count"]
    words = ["One", "Two", "Three", "Four", "Five", "Six", "Seven", "Eight", "Nine"]
    assert counts[:10] == [*[f"{w}." for w in words], "Last one."]
    assert ("switch", "Switch sides. Lie on your right side; your left leg works.") in said
    assert ("rest", "Rest thirty seconds. Next, set two of two.") in said
    assert ("rest", "Rest thirty seconds. Next, set two of two.") in said
    assert ("get_ready", "Bridge. Three reps, hold thirty seconds.") in said
    assert ("rest", "Relax ten seconds.") in said
    assert b.halfway(15).forms == ("Fifteen seconds left.", "Halfway.")
    assert b.finish().forms[0] == "That's the routine done. Well done."
    every = b.every_phrase()
    assert (
        every[0].startswith("Clamshell. Lie on your left side") and "Fifteen seconds left." in every
    )
    assert len(every) == len(set(every))


def test_an_exercise_of_its_own_words_still_names_the_leg() -> None:
    text = CLAMSHELL.replace(
        "    first_side: left\n", "    first_side: right\n    say: Knees bent, heels together\n"
    )
    phrase = book(text).at_step(0)
    assert phrase is not None
    assert (
        phrase.forms[0]
        == "Knees bent, heels together. Lie on your right side; your left leg works."
    )
    assert phrase.forms[-1] == "Clamshell."


def test_alternating_reps_say_the_leg_and_a_new_direction_is_named() -> None:
    text = (
        "title: T\nexercises:\n  - name: Walk\n    reps: 2\n    sides: alternate\n"
        "    side_is: leading\n    directions: [forward, backward]\n"
        "    tempo: {move: 2, release: 1}\n"
    )
    counts = [t for m, t in first_forms(book(text)) if m == "count"]
    assert counts[:4] == [
        "Forward. One, left foot leads.", "One, right foot leads.",
        "Last one, left foot leads.", "Last one, right foot leads.",
    ]  # fmt: skip
    assert counts[4] == "Backward. One, left foot leads."


def test_room_runs_to_the_next_sound_and_the_ticks_do_not_count() -> None:
    b = book()
    steps = b.plan.steps
    assert steps[0].phase == "ready" and b.room(0) == 15.0  # ticks at 12-14 s may be covered
    assert steps[1].phase == "move" and b.room(1) == 4.0  # until the hold ends
    switch = next(i for i, s in enumerate(steps) if s.phase == "switch")
    assert b.room(switch) == 5.0
    hold = next(i for i, s in enumerate(steps) if s.phase == "hold" and s.seconds == 30)
    assert b.room(hold) == 15.0 and b.room(hold, 15.0) == 15.0  # the halfway, then the end
    self_paced = book("title: T\nexercises:\n  - name: A\n    reps: 2\n    self_paced: true\n")
    assert self_paced.room(0) == 10.0 and self_paced.room(1) is None


def test_for_events_picks_one_phrase_a_moment() -> None:
    b = book()
    session = Session(b.plan, FakeClock(0.0))
    moments = [session.start()]
    while not session.done:
        session.clock.advance(0.5)  # type: ignore[attr-defined]
        events = session.tick()
        if events:
            moments.append(events)
    said = [(p.moment, p.forms[0]) for p in map(b.for_events, moments) if p is not None]
    assert said[0][0] == "get_ready" and said[-1] == (
        "finish",
        "That's the routine done. Well done.",
    )
    halfway = [t for m, t in said if m == "halfway"]
    assert halfway == ["Fifteen seconds left."] * 3
    assert not any(b.for_events([e]) for m in moments for e in m if e.kind is EventKind.HOLD_DONE)


@pytest.mark.parametrize("name", ["low-back", "pre-run", "home-basics", "pre-run-strength"])
def test_every_builtin_routine_has_words_for_each_exercise(name: str) -> None:
    routine = load_routine(builtin_routines_dir() / f"{name}.yaml")
    b = Phrasebook(build_plan(routine, name), routine)
    every = b.every_phrase()
    for ex in routine.exercises:
        assert any(
            text.startswith(ex.name) or (ex.say and text.startswith(ex.say[:20])) for text in every
        )
    assert all(len(text) < 400 and "[" not in text for text in every)


def test_control_characters_never_reach_the_engine() -> None:
    # Routine files refuse them; a routine made some other way still never passes them on.
    routine = parse_routine(CLAMSHELL)
    first = msgspec.structs.replace(
        routine.exercises[0], name="Clam\x1b[31mshell\x07", say="Knees\tbent\x00 [/] now"
    )
    routine = msgspec.structs.replace(routine, exercises=[first, *routine.exercises[1:]])
    every = Phrasebook(build_plan(routine, "t"), routine).every_phrase()
    assert every[0] == "Knees bent [/] now. Lie on your left side; your right leg works."
    assert all(c.isprintable() for phrase in every for c in phrase)
    assert "Clam[31mshell." in every


def test_a_new_direction_leads_every_form_and_a_one_hold_stretch_names_its_position() -> None:
    walk = book(
        "title: T\nexercises:\n  - name: Walk\n    reps: 2\n    sides: alternate\n"
        "    side_is: leading\n    directions: [forward, backward]\n"
        "    tempo: {move: 2, release: 0}\n"
    )
    backward = next(
        i for i, s in enumerate(walk.plan.steps) if s.direction == "backward" and s.is_work
    )
    phrase = walk.at_step(backward)
    assert phrase is not None and phrase.forms == (
        "Backward. One, left foot leads.",
        "Backward. One.",
        "Backward.",
        "One, left foot leads.",
        "One.",
        "Left foot leads.",
    )
    stretch = book(
        "title: T\nexercises:\n  - name: Lunge stretch\n    hold: 30\n    sides: both\n"
        "    side_is: kneeling\n    directions: [forward, open to the side]\n"
        "    tempo: {move: 2, release: 2}\n"
    )
    said = [text for moment, text in first_forms(stretch) if moment != "get_ready"]
    assert said[:2] == ["Forward.", "Open to the side."]
    intro = stretch.at_step(0)
    assert intro is not None and intro.forms[0] == (
        "Lunge stretch. Your left knee down; the stretch is in your left hip. "
        "One hold, forward, then open to the side, each side, hold thirty seconds."
    )
