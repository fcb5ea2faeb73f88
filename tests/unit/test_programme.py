"""The programme's pure core against a fake history: every rule of the pain gate at its edges,
the person's doses against a changed routine file, the steps up and back, and the week."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from typing import cast

import pytest

from coach.history.model import Dose, DoseChange, DoseRecord, Schedule, SetRecord
from coach.plan import build_plan
from coach.programme import (
    ACCEPTABLE_MAX,
    RISE_LIMIT,
    SAFE_MAX,
    Proposal,
    SessionFacts,
    accept,
    check_dose,
    days_text,
    decline,
    exercise_keys,
    parse_days,
    personal,
    propose,
    step_back,
    step_up,
    today_view,
    waiting,
    week,
)
from coach.routine import Routine
from coach.routine_yaml import parse_routine

RID = "hips"
MONDAY = date(2026, 3, 2)
AT = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

ROUTINE = parse_routine(
    """\
title: Hips
safety: Stop straight away if anything gives you sharp pain.
exercises:
  - name: Abduction
    sets: 2
    reps: 10
    hold: 2
    sides: both
    side_is: lying_on
    first_side: right
    advance:
      reps: {step: 2, up_to: 15}
      then: Add an ankle weight
  - name: Bridge
    sets: 2
    reps: 10
    advance:
      sets: {step: 1, up_to: 3}
  - name: Stretch
    reps: 3
    hold: 30
"""
)


@dataclass(frozen=True)
class Kept(SetRecord):
    """A set as history keeps it with the dose it was done with and "this hurts" (the fields
    the storage part adds to SetRecord)."""

    target_reps: int | None = None
    target_hold: float | None = None
    hurt: int | None = None


class History:
    """A fake history of one routine: sessions made from the plan the dose in force gives."""

    def __init__(self, routine: Routine = ROUTINE, doses: Sequence[DoseRecord] = ()) -> None:
        self.routine = routine
        self.doses = list(doses)
        self.sessions: list[SessionFacts] = []

    def add(
        self,
        before: int | None = 0,
        after: int | None = 1,
        *,
        skip: Sequence[tuple[int, int]] = (),  # (exercise index, set) skipped
        short: dict[tuple[object, ...], int] | None = None,  # (exercise, set[, leg]) → reps done
        hurt: dict[int, int] | None = None,  # exercise index → pain when it was stopped
        only: Sequence[int] | None = None,  # the exercises reached
        resumed: bool = False,
        status: str = "completed",
        hold: float | None = None,  # the hold the sets kept, when not the plan's
        rename: dict[str, str] | None = None,  # the exercise's name in the records
        move: dict[int, int] | None = None,  # the exercise's place in the records
    ) -> SessionFacts:
        own = personal(self.routine, RID, self.doses)
        plan = build_plan(own.routine, RID, own.side_doses)
        number = len(self.sessions) + 1
        records: list[SetRecord] = []
        for block in plan.blocks:
            i = block.exercise_index
            if only is not None and i not in only:
                continue
            ex = own.routine.exercises[i]
            skipped = (i, block.set) in skip
            leg = _leg(block.side, ex.side_is)
            cut = short or {}
            reps = cut.get((i, block.set, leg), cut.get((i, block.set), block.reps))
            records.append(
                Kept(
                    exercise_index=(move or {}).get(i, i),
                    exercise=(rename or {}).get(ex.name, ex.name),
                    set_number=block.set,
                    recorded_at=AT,
                    side=block.side,
                    direction=block.direction,
                    reps=0 if skipped else reps,
                    skipped=skipped,
                    side_is=ex.side_is if block.side else None,
                    working_side=leg,
                    target_reps=block.reps,
                    target_hold=ex.hold if hold is None else hold,
                    hurt=(hurt or {}).get(i),
                )
            )
        session = SessionFacts(
            number, MONDAY + timedelta(days=number - 1), RID, status, before, after,
            tuple(records), number - 1 if resumed else None,
        )  # fmt: skip
        self.sessions.append(session)
        return session

    def propose(self) -> dict[tuple[str, str | None], Proposal]:
        found = propose(self.routine, RID, self.doses, self.sessions)
        return {(p.exercise, p.side): p for p in found}

    def one(self, key: str = "Abduction", side: str | None = None) -> Proposal:
        return self.propose()[(key, side)]

    def say_yes(self, key: str = "Abduction", side: str | None = None) -> Proposal:
        proposal = self.one(key, side)
        record, _ = accept(proposal, self.doses, AT)
        self.doses = [
            d for d in self.doses if (d.exercise, d.side) != (record.exercise, record.side)
        ] + [record]
        return proposal


def _plain(record: SetRecord) -> SetRecord:
    """The set without the dose it was done with."""
    return replace(cast(Kept, record), target_reps=None, target_hold=None)


def _leg(side: str | None, side_is: str) -> str | None:
    from coach.sides import working_side

    return working_side(side, side_is)


# ---------------------------------------------------------------------------- the gate's numbers


def test_the_gate_is_the_pain_monitoring_models() -> None:
    assert (SAFE_MAX, ACCEPTABLE_MAX, RISE_LIMIT) == (2, 5, 2)


# ---------------------------------------------------------------------------- step back


@pytest.mark.parametrize(
    ("before", "after", "kind"),
    [
        (0, 6, "step_back"),  # above 5
        (4, 5, "stay"),  # exactly 5: acceptable (a rise of 1)
        (2, 3, "stay"),  # exactly 3: acceptable
        (0, 2, "step_back"),  # a rise of exactly 2, though 2 is safe
        (1, 2, "step_up"),  # a rise of 1 with pain after exactly 2: safe
        (3, 5, "step_back"),  # a rise of 2 within the acceptable band
    ],
)
def test_pain_after_at_its_edges(before: int, after: int, kind: str) -> None:
    history = History()
    history.add(before, 1)  # the same pain before as last time: no rise from session to session
    history.add(before, after)
    assert history.one().kind == kind


def test_a_step_back_for_pain_after_says_why_and_gives_the_safety_advice() -> None:
    history = History()
    history.add(0, 6)
    proposal = history.one()
    assert proposal.kind == "step_back" and proposal.reason == "pain after 6 (above 5)"
    assert proposal.safety == ROUTINE.safety
    assert (proposal.now.reps, proposal.next.reps) == (10, 8)
    assert proposal.question() == "Next time: 8 reps?"
    # It applies to every exercise the session reached, with a rule or not.
    assert history.one("Stretch").kind == "step_back"
    assert (history.one("Stretch").now.reps, history.one("Stretch").next.reps) == (3, 2)


def test_a_rise_after_over_before_of_two_steps_back() -> None:
    history = History()
    history.add(3, 5)
    assert history.one().reason == "pain after 5, 2 above pain before (3)"


@pytest.mark.parametrize(("rise", "kind"), [(RISE_LIMIT, "step_back"), (RISE_LIMIT - 1, "step_up")])
def test_pain_before_against_the_last_sessions_before(rise: int, kind: str) -> None:
    history = History()
    history.add(0, 1)
    history.add(rise, rise + 1 if rise + 1 <= SAFE_MAX else 2)
    proposal = history.one()
    assert proposal.kind == kind
    if kind == "step_back":
        assert "above the last session's (0)" in proposal.reason
        assert "had not settled" in proposal.reason


def test_the_last_session_for_pain_before_is_the_last_with_one_entered() -> None:
    history = History()
    history.add(0, 1)
    history.add(None, 1)  # no pain before: passed over
    history.add(2, 2)
    assert history.one().kind == "step_back"
    assert "above the last session's (0)" in history.one().reason


def test_this_hurts_steps_back_that_exercise_only() -> None:
    history = History()
    history.add(0, 1)
    history.add(0, 1, hurt={0: 7}, skip=[(0, 2)])
    assert history.one().kind == "step_back"
    assert history.one().reason == 'stopped with "this hurts" at pain 7'
    assert history.one("Bridge").kind == "step_up"
    assert "Stretch" not in {key for key, _ in history.propose()}


# ---------------------------------------------------------------------------- stay


def test_a_skipped_set_stays() -> None:
    history = History()
    history.add(0, 1)
    history.add(0, 1, skip=[(0, 2)])
    assert history.one().kind == "stay"
    assert history.one().reason == "set 2 was skipped"
    assert history.one("Bridge").kind == "step_up"  # only that exercise


def test_a_set_cut_short_stays() -> None:
    history = History()
    history.add(0, 1)
    history.add(0, 1, short={(1, 1): 7})
    proposal = history.one("Bridge")
    assert proposal.kind == "stay" and proposal.next == proposal.now
    assert proposal.reason == "set 1 was stopped short (7 of 10 reps)"


def test_a_resumed_session_is_not_the_full_dose() -> None:
    history = History()
    history.add(0, 1)
    history.add(0, 1, resumed=True)  # even an exercise it did in full
    assert history.one("Bridge").kind == "stay"
    assert "resumed part-way" in history.one("Bridge").reason


def test_an_exercise_not_reached_stays_even_with_pain_to_step_back() -> None:
    history = History()
    history.add(0, 7, only=[0], status="stopped")
    assert history.one().kind == "step_back"
    assert history.one("Bridge").kind == "stay"
    assert history.one("Bridge").reason == "not done in this session"


def test_a_set_done_at_another_hold_is_not_the_full_dose() -> None:
    history = History()
    history.add(0, 1)
    history.add(0, 1, hold=3)
    assert history.one().kind == "stay"
    assert history.one().reason == "done at another dose (3 s hold, now 2 s)"


# ---------------------------------------------------------------------------- step up


def test_one_session_stays_and_two_step_up() -> None:
    history = History()
    history.add(1, 2)
    first = history.one()
    assert first.kind == "stay" and "one more first" in first.reason
    history.add(1, 2)
    second = history.one()
    assert second.kind == "step_up"
    assert second.reason == "two sessions at the full dose, pain after at most 2"
    assert (second.now.reps, second.next.reps) == (10, 12)
    assert second.question() == "Next time: 12 reps?"
    assert second.safety == "" and second.then == ""


def test_the_session_before_must_have_been_safe_too() -> None:
    history = History()
    history.add(2, 3)
    history.add(0, 1)
    proposal = history.one()
    assert proposal.kind == "stay" and "pain after 3 the time before" in proposal.reason


def test_the_last_session_is_the_last_with_a_pain_after() -> None:
    history = History()
    history.add(0, 1)
    history.add(0, None, skip=[(0, 1)])  # no pain after: not the last session
    history.add(0, 1)
    assert history.one().kind == "step_up"


def test_no_pain_entered_gives_no_proposal_and_says_why() -> None:
    history = History()
    history.add(0, 1)
    history.add(0, None)
    proposal = history.one()
    assert proposal.kind == "none" and proposal.next == proposal.now
    assert proposal.reason == "no pain after entered: no proposal"
    history.add(None, 1)
    assert history.one().reason == "no pain before entered: no proposal"
    # An exercise without a rule has nothing to propose.
    assert "Stretch" not in {key for key, _ in history.propose()}


def test_the_dose_walks_up_to_its_top_then_says_what_comes_next() -> None:
    history = History()
    history.add(0, 1)
    walked = []
    for _ in range(8):
        history.add(0, 1)
        proposal = history.one()
        if proposal.kind == "step_up":
            history.say_yes()
        walked.append((proposal.kind, proposal.next.reps))
    # Two sessions at each dose: one at the new dose stays, the next steps up.
    assert walked == [
        ("step_up", 12),
        ("stay", 12),
        ("step_up", 14),
        ("stay", 14),
        ("step_up", 15),  # never past up_to
        ("stay", 15),
        ("stay", 15),
        ("stay", 15),
    ]
    top = history.one()
    assert top.then == "Add an ankle weight"
    assert top.reason == "at the top of the advance rule: Add an ankle weight"


def test_sets_grow_by_their_rule_and_the_top_without_then_stays() -> None:
    history = History()
    history.add(0, 1)
    history.add(0, 1)
    assert history.say_yes("Bridge").next.sets == 3
    history.add(0, 1)
    history.add(0, 1)
    top = history.one("Bridge")
    assert (top.kind, top.then, top.reason) == ("stay", "", "at the top of the advance rule")


def test_an_exercise_without_a_rule_never_steps_up() -> None:
    history = History()
    history.add(3, 1)
    history.add(3, 1)
    assert "Stretch" not in {key for key, _ in history.propose()}
    history.add(3, 4)
    assert history.one("Stretch").kind == "stay"
    assert history.one("Stretch").reason == "pain after 4 (3 to 5 is acceptable)"


# ---------------------------------------------------------------------------- how far a step goes


def test_a_step_back_undoes_the_last_step_up_then_goes_to_the_floor() -> None:
    abduction = ROUTINE.exercises[0]
    rule = abduction.advance
    dose = Dose(sets=2, reps=15, hold=2, rest=30, relax=0)
    walked = []
    while (lower := step_back(dose, abduction, rule)) is not None:
        dose = lower
        walked.append(dose.reps)
    # 15 → 13 → 11 → 10 (the file's), then below it down to half the file's value.
    assert walked == [13, 11, 10, 8, 6, 5]


def test_a_step_back_lowers_the_last_value_raised_first() -> None:
    bridge = ROUTINE.exercises[1]
    rule = parse_routine(
        "title: T\nexercises:\n  - name: B\n    reps: 10\n    sets: 2\n"
        "    advance: {reps: {step: 2, up_to: 14}, sets: {step: 1, up_to: 3}}\n"
    ).exercises[0]
    top = Dose(sets=3, reps=14, hold=0, rest=30, relax=0)
    lower = step_back(top, rule, rule.advance)
    assert lower is not None and (lower.sets, lower.reps) == (2, 14)
    assert bridge.advance is not None
    assert step_up(Dose(sets=2, reps=10), rule.advance) == Dose(sets=2, reps=12)  # type: ignore[arg-type]


def test_without_a_rule_a_step_back_takes_a_fifth_then_the_hold() -> None:
    stretch = ROUTINE.exercises[2]
    dose = Dose(sets=1, reps=3, hold=30, rest=30, relax=0)
    walked = []
    while (lower := step_back(dose, stretch, None)) is not None:
        dose = lower
        walked.append((dose.reps, dose.hold))
    assert walked == [(2, 30), (2, 24), (2, 18), (2, 15)]


def test_at_the_floor_a_step_back_says_there_is_nothing_left() -> None:
    history = History(doses=[DoseRecord(RID, "Abduction", None, Dose(reps=5))])
    history.add(0, 7)
    proposal = history.one()
    assert proposal.kind == "step_back" and not proposal.changes
    assert "nothing left to lower" in proposal.reason


# ---------------------------------------------------------------------------- the dose in force


def test_a_session_at_the_old_dose_does_not_count_toward_the_new_one() -> None:
    history = History()
    history.add(0, 1)
    history.add(0, 1)
    history.say_yes()  # 12 reps now
    history.add(0, 1)
    proposal = history.one()
    assert proposal.kind == "stay" and "the time before" in proposal.reason
    history.add(0, 1)
    assert history.one().next.reps == 14


def test_a_side_with_its_own_dose_gets_its_own_proposal() -> None:
    weak = DoseRecord(RID, "Abduction", "left", Dose(reps=6))
    history = History(doses=[weak])
    history.add(0, 1)
    history.add(0, 1)
    left, right = history.one(side="left"), history.one(side="right")
    assert (left.kind, left.now.reps, left.next.reps) == ("step_up", 6, 8)
    assert (right.kind, right.now.reps, right.next.reps) == ("step_up", 10, 12)
    assert ("Abduction", None) not in history.propose()
    record, change = accept(left, history.doses, AT)
    assert record == DoseRecord(RID, "Abduction", "left", Dose(reps=8))
    assert (change.side, change.before.reps, change.after.reps) == ("left", 6, 8)


def test_a_side_stopped_short_stays_and_the_other_steps_up() -> None:
    history = History(doses=[DoseRecord(RID, "Abduction", "left", Dose(reps=6))])
    history.add(0, 1)
    # Lying on the right side first, the left leg works in the first block of each set.
    history.add(0, 1, short={(0, 1, "left"): 4})
    assert history.one(side="left").kind == "stay"
    assert history.one(side="right").kind == "step_up"


# ---------------------------------------------------------------------------- a changed file


CHANGED = parse_routine(
    """\
title: Hips
exercises:
  - name: Stretch
    reps: 3
    hold: 30
  - name: Side-lying abduction
    sets: 2
    reps: 10
    advance: {reps: {step: 2, up_to: 15}}
  - name: Bridge
    sets: 2
    reps: 10
    advance: {sets: {step: 1, up_to: 3}}
"""
)


def test_a_renamed_or_removed_exercise_leaves_its_dose_unused() -> None:
    doses = [
        DoseRecord(RID, "Abduction", None, Dose(reps=12)),
        DoseRecord(RID, "Abduction", "left", Dose(reps=6)),
        DoseRecord(RID, "Bridge", None, Dose(sets=3)),
        DoseRecord("other", "Stretch", None, Dose(reps=9)),
    ]
    own = personal(CHANGED, RID, doses)
    assert own.unused == doses[:2]
    assert [ex.reps for ex in own.routine.exercises] == [3, 10, 10]  # never on another
    assert [ex.sets for ex in own.routine.exercises] == [1, 2, 3]
    assert own.side_doses == {}


def test_sets_of_an_exercise_moved_or_renamed_in_the_file() -> None:
    history = History()
    history.add(0, 1)
    history.add(0, 1)
    found = {p.exercise: p for p in propose(CHANGED, RID, [], history.sessions)}
    # The bridge moved from 2nd to 3rd place: its name is the only one, so its sets count.
    assert found["Bridge"].kind == "step_up"
    # "Side-lying abduction" is a new name: none of the old sets are its.
    assert found["Side-lying abduction"].kind == "stay"
    assert found["Side-lying abduction"].reason == "not done in this session"


def test_repeated_names_are_told_apart() -> None:
    twice = parse_routine(
        "title: T\nexercises:\n  - name: Bridge\n    reps: 10\n  - name: Rest\n    reps: 1\n"
        "  - name: Bridge\n    reps: 10\n    advance: {reps: {step: 1, up_to: 12}}\n"
        "  - name: Bridge\n    reps: 5\n"
    )
    assert exercise_keys(twice) == ["Bridge", "Rest", "Bridge #2", "Bridge #3"]
    own = personal(twice, RID, [DoseRecord(RID, "Bridge #2", None, Dose(reps=11))])
    assert [ex.reps for ex in own.routine.exercises] == [10, 1, 11, 5]
    history = History(twice, [DoseRecord(RID, "Bridge #2", None, Dose(reps=11))])
    history.add(0, 1)
    history.add(0, 1)
    assert history.one("Bridge #2").next.reps == 12
    assert ("Bridge", None) not in history.propose()


def test_a_key_never_takes_another_exercises_name() -> None:
    odd = parse_routine(
        "title: T\nexercises:\n  - name: A\n  - name: 'A #2'\n  - name: A\n  - name: A\n"
    )
    assert exercise_keys(odd) == ["A", "A #2", "A #3", "A #4"]


def test_a_side_dose_for_an_exercise_without_sides_is_unused() -> None:
    record = DoseRecord(RID, "Bridge", "left", Dose(reps=4))
    own = personal(ROUTINE, RID, [record])
    assert own.unused == [record] and own.side_doses == {}


def test_a_dose_outside_the_formats_limits_is_unused() -> None:
    record = DoseRecord(RID, "Bridge", None, Dose(reps=0))
    own = personal(ROUTINE, RID, [record])
    assert own.unused == [record] and own.routine.exercises[1].reps == 10


# ---------------------------------------------------------------------------- check_dose


@pytest.mark.parametrize(
    ("dose", "side"),
    [
        (Dose(sets=1, reps=1, hold=0, rest=0, relax=0), None),
        (Dose(sets=20, reps=100, hold=600, rest=600, relax=600), None),
        (Dose(hold=2.5, rest=45.5), None),
        (Dose(sets=3, reps=8, hold=5), "left"),
    ],
)
def test_a_dose_within_the_limits(dose: Dose, side: str | None) -> None:
    check_dose(dose, side)


@pytest.mark.parametrize(
    ("dose", "side", "words"),
    [
        (Dose(reps=0), None, "reps is a whole number from 1 to 100, not 0"),
        (Dose(reps=101), None, "reps is a whole number from 1 to 100"),
        (Dose(sets=21), None, "sets is a whole number from 1 to 20"),
        (Dose(hold=600.5), None, "hold is a number of seconds from 0 to 600"),
        (Dose(rest=-1), None, "rest is a number of seconds"),
        (Dose(relax=float("nan")), None, "relax"),
        (Dose(reps=2.5), None, "whole number"),  # type: ignore[arg-type]
        (Dose(sets=True), None, "whole number"),
        (Dose(rest=45), "left", "rest is the same on both sides"),
        (Dose(reps=5), "middle", "a side is left or right"),
    ],
)
def test_a_dose_outside_the_limits_is_one_line(dose: Dose, side: str | None, words: str) -> None:
    with pytest.raises(ValueError) as caught:
        check_dose(dose, side)
    assert words in str(caught.value) and "\n" not in str(caught.value)


def test_the_limits_are_the_routine_formats() -> None:
    from coach.history.model import DOSE_LIMITS
    from coach.routine import json_schema

    fields = json_schema()["$defs"]["Exercise"]["properties"]
    for name, (low, high) in DOSE_LIMITS.items():
        assert (fields[name]["minimum"], fields[name]["maximum"]) == (low, high), name


# ---------------------------------------------------------------------------- answers


def test_yes_keeps_only_the_changed_value_over_the_persons_own() -> None:
    history = History(doses=[DoseRecord(RID, "Abduction", None, Dose(rest=45))])
    history.add(0, 1)
    history.add(0, 1)
    proposal = history.one()
    record, change = accept(proposal, history.doses, AT)
    assert record == DoseRecord(RID, "Abduction", None, Dose(reps=12, rest=45))
    assert change == DoseChange(
        AT, RID, "Abduction", None, proposal.now, proposal.next,
        "step up: two sessions at the full dose, pain after at most 2",
    )  # fmt: skip


def test_edit_keeps_the_persons_values_and_checks_them() -> None:
    history = History()
    history.add(0, 1)
    history.add(0, 1)
    record, change = accept(history.one(), [], AT, Dose(reps=11))
    assert record.dose == Dose(reps=11) and change.reason.startswith("edited: ")
    with pytest.raises(ValueError):
        accept(history.one(), [], AT, Dose(reps=500))


def test_no_keeps_the_dose_and_the_answer() -> None:
    history = History()
    history.add(0, 7)
    proposal = history.one()
    record, change = decline(proposal, [], AT)
    assert record.dose == Dose() and change.before == change.after == proposal.now
    assert change.reason.startswith("kept the dose, no to step back: ")


def test_a_proposal_waits_until_it_is_answered() -> None:
    history = History()
    history.add(0, 1)
    history.add(0, 1)
    proposals = propose(ROUTINE, RID, [], history.sessions)
    open_ones = waiting(proposals, [], AT)
    assert {p.exercise for p in open_ones} == {"Abduction", "Bridge"}  # stays are not asked
    _, change = decline(history.one(), [], AT + timedelta(minutes=1))
    assert {p.exercise for p in waiting(proposals, [change], AT)} == {"Bridge"}
    old = DoseChange(AT - timedelta(days=1), RID, "Bridge", None, Dose(), Dose(), "set")
    assert {p.exercise for p in waiting(proposals, [change, old], AT)} == {"Bridge"}


# ---------------------------------------------------------------------------- the week


def test_days_are_read_and_written_as_the_command_takes_them() -> None:
    assert parse_days(["mon", "wed", "fri"]) == (0, 2, 4)
    assert parse_days(["Fri", "mon", "mon"]) == (0, 4)
    assert parse_days(["daily"]) == tuple(range(7))
    assert days_text((4, 0, 2)) == "mon wed fri" and days_text(range(7)) == "daily"
    for bad in (["funday"], [], ["mon", "x"]):
        with pytest.raises(ValueError) as caught:
            parse_days(bad)
        assert "\n" not in str(caught.value)


def facts(
    day: date, routine_id: str = RID, *, done: bool = True, status: str = "completed"
) -> SessionFacts:
    record = SetRecord(0, "Bridge", 1, AT, reps=10 if done else 0, skipped=not done)
    return SessionFacts(day.toordinal(), day, routine_id, status, 1, 1, (record,))


def test_the_week_against_a_plan() -> None:
    plan = [Schedule(RID, (0, 2, 4)), Schedule("stretch", tuple(range(7)))]
    wednesday = MONDAY + timedelta(days=2)
    sessions = [
        facts(MONDAY),
        facts(MONDAY + timedelta(days=1)),  # Tuesday: not planned, an extra
        facts(wednesday, "stretch", status="stopped"),  # stopped with a set done: counts
        facts(wednesday, done=False),  # every set skipped: does not count
    ]
    view = week(plan, sessions, wednesday)
    assert view.due == (RID,) and view.done_today == ("stretch",)
    assert [d.planned for d in view.days][:3] == [(RID, "stretch"), ("stretch",), (RID, "stretch")]
    this = view.this_week
    assert (this.planned, this.planned_so_far, this.kept, this.extra) == (10, 5, 2, 1)
    assert this.label == "2026-W10" and len(view.weeks) == 1


def test_adherence_per_week_back_to_the_first_session() -> None:
    plan = [Schedule(RID, (0, 3))]
    sessions = [facts(MONDAY), facts(MONDAY + timedelta(days=3)), facts(MONDAY + timedelta(days=7))]
    view = week(plan, sessions, MONDAY + timedelta(days=15))
    assert [(w.monday, w.planned, w.planned_so_far, w.kept) for w in view.weeks] == [
        (MONDAY + timedelta(days=14), 2, 1, 0),
        (MONDAY + timedelta(days=7), 2, 2, 1),
        (MONDAY, 2, 2, 2),
    ]
    assert len(week(plan, sessions, MONDAY + timedelta(days=15), weeks=2).weeks) == 2


def test_today_on_a_first_day_names_a_routine_to_start_with() -> None:
    empty = today_view([], [], MONDAY, routine_ids=["low-back", "pre-run"])
    assert empty.first_day and empty.start_with == "low-back"
    assert empty.last_pain is None and empty.routines == () and empty.waiting == ()
    planned = today_view([Schedule("pre-run", (0,))], [], MONDAY, routine_ids=["low-back"])
    assert planned.start_with == "pre-run"
    assert planned.routines[0].due and planned.routines[0].planned == 1


def test_today_with_history() -> None:
    plan = [Schedule(RID, (0, 2))]
    sessions = [
        facts(MONDAY),
        SessionFacts(99, MONDAY + timedelta(days=1), "stretch", "completed", 3, 4, ()),
        SessionFacts(100, MONDAY + timedelta(days=2), RID, "stopped", None, None, ()),
    ]
    history = History()
    history.add(0, 1)
    history.add(0, 1)
    offered = propose(ROUTINE, RID, [], history.sessions)
    view = today_view(plan, sessions, MONDAY + timedelta(days=2), waiting=offered)
    assert not view.first_day and view.start_with is None
    ours = view.routines[0]
    assert (ours.routine_id, ours.due, ours.planned, ours.kept, ours.sessions) == (
        RID,
        True,
        2,
        1,
        1,
    )
    assert view.last_pain is not None
    assert (view.last_pain.routine_id, view.last_pain.before, view.last_pain.after) == (
        "stretch",
        3,
        4,
    )
    assert [r.routine_id for r in view.routines] == [RID]  # stretch: no set done, not listed
    assert view.waiting == tuple(offered)


def test_more_sets_than_the_dose_now_is_another_dose() -> None:
    history = History(doses=[DoseRecord(RID, "Bridge", None, Dose(sets=3))])
    history.add(0, 1)
    history.doses = []  # back to the file's 2 sets
    history.add(0, 1)
    proposal = history.one("Bridge")
    assert proposal.kind == "stay"
    assert proposal.reason.endswith(
        "(the time before: done at another dose than the one now in force)"
    )


def test_a_name_done_at_two_places_is_not_guessed() -> None:
    twice = parse_routine(
        "title: T\nexercises:\n  - name: Bridge\n    reps: 10\n"
        "    advance: {reps: {step: 1, up_to: 12}}\n"
        "  - name: Clam\n    reps: 10\n  - name: Bridge\n    reps: 10\n"
    )
    once = parse_routine(
        "title: T\nexercises:\n  - name: Clam\n    reps: 10\n"
        "  - name: Bridge\n    reps: 10\n    advance: {reps: {step: 1, up_to: 12}}\n"
    )
    history = History(twice)
    history.add(0, 1)
    history.add(0, 1)
    found = {p.exercise: p for p in propose(once, RID, [], history.sessions)}
    # The old file had two bridges: which one the new one is cannot be told, so neither counts.
    assert found["Bridge"].reason == "not done in this session"


def test_a_session_before_a_change_is_not_called_short() -> None:
    history = History()
    history.add(0, 1)
    history.add(0, 1)
    history.say_yes()
    # As sets saved before the dose they were done with was kept.
    history.sessions = [replace(s, sets=tuple(_plain(r) for r in s.sets)) for s in history.sessions]
    history.add(0, 1)
    assert history.one().reason.endswith(
        "(the time before: set 1 had 10 reps, the dose now has 12)"
    )
