"""Plain narration's next step: after the check-ins, each proposed dose is a question, and
nothing changes in history without a yes."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from coach.history.model import Dose, DoseRecord
from coach.history.sqlite import MemoryStore
from coach.programme import waiting
from coach.proposals import next_steps
from coach.routine import RoutineEntry
from coach.testing import FakeClock, full_session

from .test_plain import Narration, entry_of, narrate

STEP = """\
title: Tiny
safety: Stop if anything [b]hurts[/b].
get_ready: 5
switch_sides: 5
exercises:
  - name: Clamshell
    reps: 2
    hold: 2
    sides: both
    side_is: lying_on
    tempo: {move: 1, release: 0}
    advance:
      reps: {step: 2, up_to: 6}
      then: Add a band.
"""
QUESTION = "Clamshell: Next time: 4 reps? y / n / e (Enter: no change now)"
WHY = "Clamshell: two sessions at the full dose, pain after at most 2."
NOTE = "A note? Type it, or press Enter to skip."


def listed() -> RoutineEntry:
    """STEP as a routine of the person's list (the data folder's routines/, where `narrate`
    says the data folder is), so their doses are kept for it."""
    entry = entry_of(STEP)
    return RoutineEntry(entry.id, Path("unused/routines/tiny.yaml"), entry.routine)


def after_the_session(*answers: str, pain_after: str = "1", close: bool = True) -> Narration:
    """Yesterday's session at the full dose, then today's: pain 1 before, `pain_after` after,
    no effort, no note, then `answers` to the next step."""
    clock = FakeClock()
    store = MemoryStore()
    full_session(store, listed(), clock.wall() - timedelta(days=1))
    script = [(0, "1"), (0, ""), (60, pain_after), (60, ""), (60, "")]
    script += [(60, line) for line in answers]
    return narrate(STEP, script, store=store, clock=clock, close=close, entry=listed())


def the_end(run: Narration) -> list[str]:
    return run.lines[run.lines.index(NOTE) + 1 :]


def test_yes_keeps_the_new_dose_and_the_change() -> None:
    run = after_the_session("y")
    assert the_end(run) == [
        "Your next step:",
        WHY,
        QUESTION,
        "Clamshell: 4 reps from next time.",
    ]
    assert run.store.doses("tiny") == [DoseRecord("tiny", "Clamshell", None, Dose(reps=4))]
    (change,) = run.store.dose_changes()
    assert (change.before.reps, change.after.reps, change.at) == (2, 4, run.clock.wall())
    assert change.reason == "step up: two sessions at the full dose, pain after at most 2"
    assert run.code == 0 and run.errors == []


def test_no_keeps_the_dose_and_the_answer() -> None:
    run = after_the_session("n")
    assert the_end(run)[-1] == "Clamshell: the dose stays as it is."
    assert run.store.doses("tiny") == []
    (change,) = run.store.dose_changes()
    assert change.before == change.after and change.reason.startswith("kept the dose, no to ")


def test_edit_takes_values_and_says_a_wrong_one_in_a_line_then_asks_once_more() -> None:
    run = after_the_session("e", "reps 0", "reps=3")
    assert the_end(run)[2:] == [
        QUESTION,
        "Type the values, as reps 12 or reps=12 hold=5 (Enter: no change now).",
        "dose: reps is a whole number from 1 to 100, not 0.",
        "Clamshell: 3 reps from next time.",
    ]
    assert run.store.doses("tiny") == [DoseRecord("tiny", "Clamshell", None, Dose(reps=3))]
    assert run.store.dose_changes()[0].reason.startswith("edited: ")


def test_edit_wrong_twice_changes_nothing() -> None:
    run = after_the_session("e", "bananas 3", "12")
    assert the_end(run)[3:] == [
        "Type the values, as reps 12 or reps=12 hold=5 (Enter: no change now).",
        "'bananas' is not a value of the dose: use sets, reps, hold, rest or relax.",
        "which value is 12? Write it as reps 12: no change now.",
        "Clamshell: left for later (no change now).",
    ]
    assert run.store.doses("tiny") == [] and run.store.dose_changes() == []


def test_an_answer_it_does_not_know_is_asked_once_more() -> None:
    run = after_the_session("maybe", "yes")
    assert the_end(run)[2:] == [
        QUESTION,
        "Type y (yes), n (no) or e (other values), or press Enter: no change now.",
        "Clamshell: 4 reps from next time.",
    ]


def test_enter_or_closed_input_leaves_the_proposal_waiting() -> None:
    for answers in ([""], []):
        run = after_the_session(*answers)
        assert the_end(run)[-1] == "Clamshell: left for later (no change now)."
        assert run.store.doses("tiny") == [] and run.store.dose_changes() == []
        # still waiting: the rules propose it again, and no answer is kept since the session
        (latest,) = run.store.recent(limit=1)
        steps = next_steps(run.store, listed(), latest.id)
        assert latest.ended_at is not None
        assert waiting(steps.questions, run.store.dose_changes(), latest.ended_at)


def test_a_step_back_gives_the_safety_advice_first() -> None:
    run = after_the_session("y", pain_after="6")
    assert the_end(run) == [
        "Your next step:",
        "Safety: Stop if anything [b]hurts[/b].",
        "Clamshell: pain after 6 (above 5).",
        "Clamshell: Next time: 1 rep? y / n / e (Enter: no change now)",
        "Clamshell: 1 rep from next time.",
    ]


def test_no_pain_entered_says_why_there_is_no_proposal() -> None:
    run = after_the_session(pain_after="")
    assert the_end(run) == ["Your next step:", "No proposal: no pain after entered"]
    assert run.store.dose_changes() == []


def test_a_second_session_runs_the_dose_said_yes_to() -> None:
    run = after_the_session("y")
    script = [(0, "1"), (0, "")]
    again = narrate(STEP, script, store=run.store, clock=run.clock, entry=listed())
    assert "4 reps, each side · hold 2 s" in again.lines
