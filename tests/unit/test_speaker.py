"""The voice in a session: phrases said on time, never over another sound, beeps kept where
no phrase fits, and one notice when the voice fails."""

from __future__ import annotations

import itertools
from pathlib import Path

from coach.history.model import FixedHistory
from coach.history.sqlite import MemoryStore
from coach.routine import RoutineEntry
from coach.routine_yaml import parse_routine
from coach.runner import SessionRunner, Update
from coach.speaker import VoiceSpeaker
from coach.testing import FakeClock, FakePhrases, RecordingBeeper

ROUTINE = """\
title: Voice test
get_ready: 10
switch_sides: 5
exercises:
  - name: Clamshell
    sets: 2
    reps: 3
    hold: 2
    sides: both
    side_is: lying_on
    rest: 8
    tempo: {move: 1, release: 1}
  - name: Stretch
    reps: 1
    hold: 30
    tempo: {move: 0, release: 0}
"""
WAIT = 10.0  # the render thread takes microseconds with fake phrases


class Voiced:
    """A runner with a speaker over fake phrases, on a fake clock."""

    def __init__(self, phrases: FakePhrases | None = None, text: str = ROUTINE) -> None:
        self.clock = FakeClock(100.0)
        self.beeper = RecordingBeeper(self.clock)
        self.phrases = phrases or FakePhrases()
        self.speaker = VoiceSpeaker(self.phrases, self.beeper, label="fake")
        entry = RoutineEntry("t", Path("t.yaml"), parse_routine(text))
        self.runner = SessionRunner(
            entry, clock=self.clock, beeper=self.beeper, history=FixedHistory(MemoryStore()),
            speaker=self.speaker,
        )  # fmt: skip
        self.updates: list[Update] = []
        self.runner.subscribe(self.updates.append)

    def start(self) -> None:
        self.runner.prepare()
        assert self.speaker.rendered.wait(WAIT)
        self.runner.begin()

    def until(self, when: float, step: float = 0.25) -> None:
        while self.clock.now() < when - 1e-9:
            self.clock.advance(step)
            self.runner.tick()

    def run_out(self, step: float = 0.25) -> None:
        while not self.runner.finished:
            self.clock.advance(step)
            self.runner.tick()

    def heard(self) -> list[tuple[float, str]]:
        """Everything played, in order: cues by name, phrases by their words."""
        said = {
            f"phrase:{p.name}": t
            for t, p in ((s.text, self.phrases.get(s.text)) for s in self.speaker.log)
            if p
        }
        return [(when or 0.0, said.get(cue, cue)) for cue, when in self.beeper.played]


def test_a_session_is_spoken_in_order_and_no_two_sounds_overlap() -> None:
    v = Voiced()
    v.start()
    v.run_out()
    log = v.speaker.log
    texts = [s.text for s in log]
    assert texts[0] == (
        "Clamshell. Lie on your left side; your right leg works. "
        "Two sets of three reps, each side, hold two seconds."
    )
    assert texts[1:4] == ["One.", "Two.", "Last one."]
    assert "Switch sides. Lie on your right side; your left leg works." in texts
    assert "Rest eight seconds. Next, set two of two." in texts
    assert "Fifteen seconds left." in texts
    assert texts[-1] == "That's the routine done. Well done."
    assert v.beeper.cues.count("go") == 1  # each rep was counted aloud; the one stretch beeps
    assert v.beeper.cues.count("hold_done") == 12  # the stretch ends with the finish
    # Nothing starts while a phrase is still sounding.
    played = v.heard()
    ends = {s.at: s.at + s.seconds for s in log}
    for (when, what), (later, _) in itertools.pairwise(played):
        assert later >= ends.get(when, when), (what, when, later)


def test_a_phrase_covers_the_ticks_under_it_and_the_others_still_tick() -> None:
    v = Voiced(FakePhrases(per_char=0.1))  # the get-ready's full words take 10.8 s: too long
    v.start()
    v.until(110.0)
    first = v.speaker.log[0]
    assert first.text == "Clamshell. Lie on your left side; your right leg works."  # 5.6 s
    assert first.seconds < 10
    ticks = [when for cue, when in v.beeper.played if cue == "tick"]
    assert ticks == [107.0, 108.0, 109.0]  # after the phrase: all three
    slow = Voiced(FakePhrases(per_char=0.16))  # 8.96 s: covers the ticks at 7 and 8 s
    slow.start()
    slow.until(110.0)
    assert slow.speaker.log[0].seconds > 8
    assert [when for cue, when in slow.beeper.played if cue == "tick"] == [109.0]


def test_where_no_form_fits_or_none_is_rendered_the_beep_stays() -> None:
    phrases = FakePhrases(per_char=1.0)  # every count takes more than a rep's room
    v = Voiced(phrases)
    v.start()
    v.until(110.0)
    assert v.beeper.cues[-1] == "go"
    late = FakePhrases()
    late.ready = set()  # nothing rendered yet
    w = Voiced(late)
    w.start()
    w.until(110.0)
    assert w.speaker.log == [] and w.beeper.cues == ["tick", "tick", "tick", "go"]


def test_mute_and_v_silence_the_voice_and_the_beeps_carry_on_with_v() -> None:
    v = Voiced()
    v.start()
    assert v.runner.voice_state == "voice on"
    assert v.runner.toggle_voice().text == "Voice off"
    assert v.runner.voice_state == "voice off"
    v.until(110.0)
    assert len(v.speaker.log) == 1 and v.beeper.cues[-1] == "go"
    assert v.runner.toggle_voice().text == "Voice on"
    assert v.runner.toggle_mute().text == "Sound off"
    assert v.runner.voice_state == "voice muted"
    assert v.runner.toggle_voice().text == "Voice off"
    assert v.runner.toggle_voice().text == "Voice on, but sound is muted: m turns it on."
    count = len(v.beeper.played)
    v.until(112.0)
    assert len(v.beeper.played) == count and len(v.speaker.log) == 1


def test_a_voice_that_fails_is_one_notice_and_the_beeps_carry_on() -> None:
    v = Voiced(FakePhrases(fail=OSError("espeak-ng failed: no voice en-xx")))
    v.start()
    v.run_out()
    notices = [n.text for u in v.updates for n in u.notices]
    assert notices == ["Voice is off: espeak-ng failed: no voice en-xx"]
    assert v.runner.voice_state == "no voice"
    assert v.runner.toggle_voice().text == "Voice is off: espeak-ng failed: no voice en-xx"
    assert v.speaker.log == [] and "go" in v.beeper.cues and v.beeper.cues[-1] == "finish"


def test_no_engine_is_one_notice() -> None:
    clock = FakeClock()
    beeper = RecordingBeeper(clock)
    speaker = VoiceSpeaker(None, beeper, problem="no speech engine found (install espeak-ng)")
    entry = RoutineEntry("t", Path("t.yaml"), parse_routine(ROUTINE))
    runner = SessionRunner(
        entry, clock=clock, beeper=beeper, history=FixedHistory(MemoryStore()), speaker=speaker
    )
    updates: list[Update] = []
    runner.subscribe(updates.append)
    runner.prepare()
    runner.begin()
    assert [n.text for u in updates for n in u.notices] == [
        "Voice is off: no speech engine found (install espeak-ng)"
    ]


def test_phrases_render_in_the_order_they_are_needed() -> None:
    v = Voiced()
    v.runner.prepare()
    assert v.speaker.rendered.wait(WAIT)
    assert v.phrases.rendered[0].startswith("Clamshell. Lie on your left side")
    assert v.phrases.rendered[-2:] == ["That's the routine done. Well done.", "Well done."]
