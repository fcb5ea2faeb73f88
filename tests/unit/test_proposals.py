"""The next step in words: values typed in place of a proposal's, what is asked and what is
told once, and a change of dose as the history screen shows it."""

from __future__ import annotations

import pytest

from coach.history.model import Dose
from coach.history_view import change_words, dose_words
from coach.programme import Proposal
from coach.proposals import answered_line, checked_values, parse_values, steps_of, values_text
from coach.routine_yaml import parse_routine

NOW = Dose(sets=2, reps=10, hold=2.0, rest=30.0, relax=0.0)
UP = Proposal("hips", "Abduction", None, "step_up", NOW, Dose(2, 12, 2.0, 30.0, 0.0), "why")
ROUTINE = parse_routine(
    """\
title: Hips
safety: Stop if it hurts.
exercises:
  - name: Abduction
    reps: 10
    advance:
      reps: {step: 2, up_to: 15}
  - name: Bridge
    reps: 10
"""
)


@pytest.mark.parametrize(
    ("typed", "values"),
    [
        ("reps 12", Dose(reps=12)),
        ("reps=12 hold=5", Dose(reps=12, hold=5.0)),
        ("12 reps, 5 s hold", Dose(reps=12, hold=5.0)),
        ("Sets 3; rest: 45 seconds", Dose(sets=3, rest=45.0)),
        ("1 set 1 rep", Dose(sets=1, reps=1)),
        ("hold 2.5", Dose(hold=2.5)),
    ],
)
def test_values_are_typed_as_name_and_number_either_way(typed: str, values: Dose) -> None:
    assert parse_values(typed) == values


@pytest.mark.parametrize(
    ("typed", "error"),
    [
        ("", "type the values, as reps 12 or reps=12 hold=5"),
        ("12", "which value is 12? Write it as reps 12"),
        ("12 15 reps", "which value is 12? Write it as reps 12"),
        ("reps", "give a number for reps, as reps 12"),
        ("reps hold 5", "give a number for reps, as reps 12"),
        ("weight 2", "'weight' is not a value of the dose: use sets, reps, hold, rest or relax"),
        ("reps 12 reps 14", "reps is given twice"),
        ("reps -3", "'-' is not a value of the dose: use sets, reps, hold, rest or relax"),
    ],
)
def test_anything_else_is_one_line_saying_what_to_type(typed: str, error: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_values(typed)
    assert str(caught.value) == error


def test_typed_values_are_checked_as_a_yes_with_them_would_be() -> None:
    assert checked_values(UP, "reps 11") == Dose(reps=11)
    with pytest.raises(ValueError, match=r"^dose: reps is a whole number from 1 to 100, not 101$"):
        checked_values(UP, "reps 101")
    with pytest.raises(ValueError, match=r"reps is a whole number from 1 to 100, not 10\.5"):
        checked_values(UP, "reps 10.5")
    left = Proposal("hips", "Abduction", "left", "step_up", NOW, Dose(2, 12, 2.0, 30.0, 0.0), "")
    with pytest.raises(ValueError, match="rest is the same on both sides"):
        checked_values(left, "rest 40")


def test_the_values_offered_to_edit_are_those_a_yes_would_keep() -> None:
    assert values_text(UP) == "reps 12"
    more = Proposal("hips", "Abduction", None, "step_up", NOW, Dose(3, 10, 4.0, 30.0, 0.0), "")
    assert values_text(more) == "sets 3 hold 4"


def test_what_an_answer_did_in_a_line() -> None:
    assert answered_line(UP, "yes") == "Abduction: 12 reps from next time."
    assert answered_line(UP, "edit", Dose(reps=11, hold=3.0)) == (
        "Abduction: 11 reps, 3 s hold from next time."
    )
    assert answered_line(UP, "edit", Dose(reps=10)) == "Abduction: the dose stays as it is."
    assert answered_line(UP, "no") == "Abduction: the dose stays as it is."
    assert answered_line(UP, None) == "Abduction: left for later (no change now)."


def test_questions_change_a_dose_and_other_lines_are_told_once() -> None:
    def stay(exercise: str, reason: str, then: str = "") -> Proposal:
        return Proposal("hips", exercise, None, "stay", NOW, NOW, reason, then)

    steps = steps_of(
        [
            UP,
            stay("Bridge", "pain after 4 (3 to 5 is acceptable)"),  # no rule: nothing new
            stay("Abduction", "one session so far"),
            stay("Abduction", "at the top", then="Add an ankle weight"),
            Proposal(
                "hips", "Abduction", "left", "none", NOW, NOW, "no pain after entered: no proposal"
            ),
            Proposal(
                "hips", "Abduction", "right", "none", NOW, NOW, "no pain after entered: no proposal"
            ),
        ],
        ROUTINE,
    )
    assert steps.questions == (UP,)
    assert steps.notes == (
        "Abduction: same dose next time (one session so far)",
        "Abduction: keep this dose. Next: Add an ankle weight",
        "No proposal: no pain after entered",  # once for both sides
    )
    assert steps.safety == ""


def test_a_step_back_brings_the_safety_advice_even_with_nothing_left_to_lower() -> None:
    floor = Proposal(
        "hips", "Bridge", None, "step_back", NOW, NOW, "pain after 7 (above 5); nothing left",
        safety="Stop if it hurts.",
    )  # fmt: skip
    steps = steps_of([floor], ROUTINE)
    assert steps.questions == ()
    assert steps.notes == ("Bridge: pain after 7 (above 5); nothing left",)
    assert steps.safety == "Stop if it hurts."


def test_a_change_of_dose_in_words() -> None:
    assert change_words(Dose(reps=10), Dose(reps=12)) == "10 → 12 reps"
    assert change_words(NOW, Dose(3, 10, 4.5, 30.0, 0.0)) == "2 → 3 sets, 2 → 4.5 s hold"
    assert change_words(NOW, NOW) == "no change"
    assert dose_words(Dose(sets=1, reps=1, rest=45.0)) == "1 set, 1 rep, 45 s rest"
