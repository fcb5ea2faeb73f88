"""Progression: after each session, what the rules say about each exercise's dose.

For each exercise, the first rule that applies, in this order:

1. *Step back* (one step; the routine's safety advice goes with it): the exercise was stopped
   with "this hurts"; pain after above 5; pain after 2 or more above this session's pain
   before; or this session's pain before 2 or more above the last session's, where the last
   session is the previous session of the routine with a pain before entered. Only for an
   exercise the session reached (one it did not reach stays).
2. *Stay*: pain after 3 to 5; the exercise not reached; a set of it skipped or stopped short;
   or a dose other than the full one (a resumed session, fewer sets than planned, sets done at
   another dose).
3. *Step up* (exercises with an `advance:` rule only): this session and the last one with a
   pain after entered were both done at the full dose now in force, each with pain after at
   most 2 (so after a change, two sessions at the new dose come before the next step up).
   With one such session so far, or a last one that was not at this dose: stay. At the top
   of the rule: stay, with the rule's `then`.
4. *None*: no pain after (or before) entered: no proposal, and the reason says so.

"Done at the full dose": every set the plan now asks of that exercise (on that side) was
recorded, not skipped, with exactly the planned reps, and, where the set kept the dose it was
done with, at these reps and this hold; nothing more than the plan; not a resumed session.
How far a step goes is coach.doses's.

Pure: history comes in as records, proposals go out; no files, no database, no clock.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

from coach.doses import SIDES, dose_of, exercise_keys, personal, step_back, step_up
from coach.history.model import DOSE_FIELDS, Dose, DoseRecord, SessionDetail, SetRecord
from coach.plan import Block, Plan, PlanTooLong, build_plan
from coach.routine import Exercise, Routine
from coach.sides import working_side

# ---------------------------------------------------------------------------- the pain gate

# The pain-monitoring model physiotherapists use (Silbernagel KG, Thomeé R, Eriksson BI,
# Karlsson J. Continued sports activity, using a pain-monitoring model, during rehabilitation
# in patients with Achilles tendinopathy. Am J Sports Med 2007;35(6):897-906): pain of 0 to 2
# out of 10 is safe, 3 to 5 acceptable, above 5 too much, and pain after exercise should have
# settled by the next morning. The rises below are how this coach reads "settled".
SAFE_MAX = 2
"""Pain after at most this is safe: the dose may grow."""
ACCEPTABLE_MAX = 5
"""Pain after at most this is acceptable: keep the dose. Above it: step back."""
RISE_LIMIT = 2
"""A rise of this much or more (after over before, or before over the last session's before)
means the work has not settled: step back."""


# ---------------------------------------------------------------------------- sessions


@dataclass(frozen=True)
class SessionFacts:
    """What a finished session says about its routine (from a SessionRecord and its sets)."""

    id: int
    day: date
    routine_id: str
    status: str
    pain_before: int | None
    pain_after: int | None
    sets: tuple[SetRecord, ...]
    resumed_from: int | None = None  # a session resumed part-way is never the full dose

    @classmethod
    def of(cls, detail: SessionDetail) -> SessionFacts:
        s = detail.session
        return cls(
            s.id, s.day, s.routine_id, s.status, s.pain_before, s.pain_after, detail.sets,
            s.resumed_from,
        )  # fmt: skip

    @property
    def counts(self) -> bool:
        """The session counts as the day's work of its routine: a set of it was done."""
        return any(not record.skipped for record in self.sets)


Kind = Literal["step_up", "stay", "step_back", "none"]
KIND_WORDS: dict[str, str] = {
    "step_up": "step up",
    "stay": "stay",
    "step_back": "step back",
    "none": "no proposal",
}


@dataclass(frozen=True)
class Proposal:
    """What the rules say about one exercise (on one side, when a side has its own dose)."""

    routine_id: str
    exercise: str  # the exercise key
    side: str | None
    kind: Kind
    now: Dose  # full values (file's + person's)
    next: Dose
    reason: str  # one line for people
    then: str = ""  # the advance rule's `then`, once every value is at its up_to
    safety: str = ""  # the routine's safety advice, with a step back

    @property
    def changes(self) -> bool:
        """Saying yes would change the dose."""
        return self.next != self.now

    def change_words(self) -> str:
        """What would change, as a dose is said: '12 reps', '3 sets', '7 s hold'; '' for none."""
        return ", ".join(_value_words(name, getattr(self.next, name)) for name in _changed(self))

    def question(self) -> str:
        """'Next time: 12 reps?' for a change; '' otherwise."""
        return f"Next time: {self.change_words()}?" if self.changes else ""


def _changed(proposal: Proposal) -> list[str]:
    return [n for n in DOSE_FIELDS if getattr(proposal.next, n) != getattr(proposal.now, n)]


def _value_words(name: str, value: float | None) -> str:
    if value is None:
        return ""
    if name == "hold":
        return f"{value:g} s hold"
    if name in ("rest", "relax"):
        return f"{value:g} s {name}"
    return f"{value:g} {name[:-1] if value == 1 else name}"


def propose(
    routine: Routine,
    routine_id: str,
    doses: Sequence[DoseRecord],
    sessions: Sequence[SessionFacts],
) -> list[Proposal]:
    """The proposals after the last of `sessions` (this routine's, oldest first): one for each
    exercise with an advance rule, and one for any other exercise a step back or a stay
    applies to. An exercise with a dose for one side gets one for each side."""
    mine = [s for s in sessions if s.routine_id == routine_id]
    if not mine:
        return []
    this, earlier = mine[-1], mine[:-1]
    own = personal(routine, routine_id, doses)
    try:
        plan: Plan | None = build_plan(own.routine, routine_id, own.side_doses)
    except PlanTooLong:
        plan = None
    gate = _Gate(
        this,
        latest(earlier, lambda s: s.pain_before is not None),
        latest(earlier, lambda s: s.pain_after is not None),
    )
    keys = exercise_keys(routine)
    out: list[Proposal] = []
    for i, ex in enumerate(own.routine.exercises):
        has_side = any((i, side) in own.side_doses for side in SIDES)
        for side in SIDES if has_side else (None,):
            target = _Target(i, ex, routine.exercises[i], side, own.side_doses.get((i, side or "")))
            found = gate.judge(target, routine, plan)
            if found is None:
                continue
            kind, reason, then = found
            now = dose_of(ex, target.side_dose)
            if kind == "step_up" and ex.advance is not None:
                raised = step_up(now, ex.advance)
                if raised is None:
                    kind, then = "stay", ex.advance.then
                    reason = "at the top of the advance rule" + (f": {then}" if then else "")
                    raised = now
                nxt = raised
            elif kind == "step_back":
                lowered = step_back(now, target.file, ex.advance)
                if lowered is None:
                    reason += "; nothing left to lower (the floor is half the routine's dose)"
                nxt = lowered or now
            else:
                nxt = now
            safety = routine.safety if kind == "step_back" else ""
            key = keys[i]
            out.append(Proposal(routine_id, key, side, kind, now, nxt, reason, then, safety))
    return out


def latest(
    sessions: Sequence[SessionFacts], keep: Callable[[SessionFacts], bool]
) -> SessionFacts | None:
    """The last of `sessions` that `keep` keeps."""
    for session in reversed(sessions):
        if keep(session):
            return session
    return None


@dataclass(frozen=True)
class _Target:
    """One exercise (on one side) as it is now, and as the file has it."""

    index: int
    exercise: Exercise  # with the both-sides dose
    file: Exercise
    side: str | None
    side_dose: Dose | None


class _Gate:
    """The rules of the module's note, for one session against the ones before it."""

    def __init__(
        self, this: SessionFacts, before_last: SessionFacts | None, after_last: SessionFacts | None
    ) -> None:
        self.this = this
        self.before_last = before_last
        self.after_last = after_last

    def judge(
        self, target: _Target, routine: Routine, plan: Plan | None
    ) -> tuple[Kind, str, str] | None:
        this = self.this
        records = _records(this, target, routine)
        back = self._step_back(records)
        if back and records:
            return "step_back", back, ""
        before, after = this.pain_before, this.pain_after
        if after is not None and SAFE_MAX < after <= ACCEPTABLE_MAX:
            return (
                "stay",
                f"pain after {after} ({SAFE_MAX + 1} to {ACCEPTABLE_MAX} is acceptable)",
                "",
            )
        short = _not_full(this, target, routine, plan, records)
        if short:
            return "stay", short, ""
        if target.exercise.advance is None:
            return None
        if after is None or before is None:
            missing = "after" if after is None else "before"
            return "none", f"no pain {missing} entered: no proposal", ""
        last = self.after_last
        first = f"one session at the full dose with pain after at most {SAFE_MAX} so far"
        if last is None:
            return "stay", f"{first}: one more first", ""
        if last.pain_after is not None and last.pain_after > SAFE_MAX:
            return "stay", f"{first} (pain after {last.pain_after} the time before)", ""
        short = _not_full(last, target, routine, plan, _records(last, target, routine), True)
        if short:
            return "stay", f"{first} (the time before: {short})", ""
        return "step_up", f"two sessions at the full dose, pain after at most {SAFE_MAX}", ""

    def _step_back(self, records: Sequence[SetRecord]) -> str:
        this = self.this
        hurt = [h for r in records if (h := getattr(r, "hurt", None)) is not None]
        if hurt:
            return f'stopped with "this hurts" at pain {max(hurt)}'
        before, after = this.pain_before, this.pain_after
        if after is not None and after > ACCEPTABLE_MAX:
            return f"pain after {after} (above {ACCEPTABLE_MAX})"
        if after is not None and before is not None and after - before >= RISE_LIMIT:
            return f"pain after {after}, {after - before} above pain before ({before})"
        last = self.before_last
        if before is not None and last is not None and last.pain_before is not None:
            rise = before - last.pain_before
            if rise >= RISE_LIMIT:
                return (
                    f"pain before {before}, {rise} above the last session's ({last.pain_before}):"
                    " the last session's work had not settled"
                )
        return ""


def _records(session: SessionFacts, target: _Target, routine: Routine) -> list[SetRecord]:
    """The session's sets of this exercise (on this side): by its place and name, or by its
    name alone when the name is the routine's only one of that name and was done at one place
    (the file moved it). Never the sets of another exercise."""
    name = target.exercise.name
    found = [r for r in session.sets if r.exercise_index == target.index and r.exercise == name]
    if not found and sum(ex.name == name for ex in routine.exercises) == 1:
        same = [r for r in session.sets if r.exercise == name]
        if len({r.exercise_index for r in same}) == 1:
            found = same
    if target.side is None or target.exercise.sides == "alternate":
        return found
    return [r for r in found if _leg(r, target.exercise) == target.side]


def _leg(record: SetRecord, ex: Exercise) -> str | None:
    if record.working_side is not None:
        return record.working_side
    return working_side(record.side, record.side_is or ex.side_is)


def _not_full(
    session: SessionFacts,
    target: _Target,
    routine: Routine,
    plan: Plan | None,
    records: Sequence[SetRecord],
    earlier: bool = False,
) -> str:
    """Why the session did not do this exercise (on this side) at the full dose now in force;
    '' when it did. `earlier`: a session before this one, perhaps at a dose since changed, so
    a set with fewer reps than now is not called short."""
    if not records:
        return "not done in this session"
    ex = target.exercise
    for r in sorted(records, key=lambda r: r.set_number):
        if r.skipped:
            return f"set {r.set_number} was skipped"
    if session.resumed_from is not None:
        return "the session was resumed part-way: not the full dose"
    if plan is None:
        return "not done at the full dose"
    blocks = [
        b
        for b in plan.exercise_blocks(target.index)
        if target.side is None or b.side is None or working_side(b.side, ex.side_is) == target.side
    ]
    done = {(r.set_number, r.side, r.direction): r for r in records}
    wanted = {(b.set, b.side, b.direction): b for b in blocks}
    dose = dose_of(ex, target.side_dose)
    for place, block in wanted.items():
        record = done.get(place)
        if record is None:
            return f"set {block.set} was not done"
        other = _other_dose(record, block, dose)
        if other:
            return other
        if record.reps < block.reps and earlier:
            return f"set {block.set} had {record.reps} reps, the dose now has {block.reps}"
        if record.reps < block.reps:
            return f"set {block.set} was stopped short ({record.reps} of {block.reps} reps)"
        if record.reps > block.reps:
            return "done at another dose than the one now in force"
    if set(done) - set(wanted):
        return "done at another dose than the one now in force"
    return ""


def _other_dose(record: SetRecord, block: Block, dose: Dose) -> str:
    """Why a set's kept dose is not this one ('' when it is, or when the set kept none)."""
    target_reps = getattr(record, "target_reps", None)
    target_hold = getattr(record, "target_hold", None)
    if target_reps is not None and target_reps not in (block.reps, dose.reps):
        return f"done at another dose ({target_reps} reps, now {dose.reps})"
    if target_hold is not None and dose.hold is not None and target_hold != dose.hold:
        return f"done at another dose ({target_hold:g} s hold, now {dose.hold:g} s)"
    return ""
