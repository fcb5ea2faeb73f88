"""A routine expanded into the flat, ordered list of steps a session walks through.

Nesting: exercise → set → side → direction → rep. With `sides: alternate` each rep is done on
one side and then the other, so there the nesting is exercise → set → direction → rep → side.

Phases: `ready` (get into position), `move` (into the rep), `hold`, `release` (back out),
`rep` (a self-paced rep: no time, counted by the person), `rest` (between sets, between
exercises, and between reps where the routine asks for it), `switch` (change sides).
Consecutive reps of one exercise with the same set, side and direction form a *block*; a block
is what "the rest of the set" means when skipping, and what history records.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from typing import Any, Literal, Protocol

import msgspec

from coach.routine import Exercise, Routine
from coach.sides import other_side, working_side

Phase = Literal["ready", "move", "hold", "release", "rep", "rest", "switch"]
WORK_PHASES: frozenset[str] = frozenset({"move", "hold", "release", "rep"})
MAX_STEPS = 20_000
MAX_SECONDS = 4 * 3600


class PlanTooLong(ValueError):
    """The routine would take longer, or have more steps, than a session can hold."""


@dataclass(frozen=True, slots=True)
class Step:
    """One thing to do, for a known time (or, when `seconds` is None, until the rep is counted)."""

    exercise: str
    exercise_index: int
    phase: Phase
    word: str
    side: str | None
    set: int | None
    sets: int
    rep: int | None
    reps: int
    direction: str | None
    seconds: float | None
    block: int | None = None
    rest_kind: str | None = None
    side_is: str = "working"  # what `side` names (see coach.sides); the exercise's

    @property
    def is_work(self) -> bool:
        return self.phase in WORK_PHASES

    @property
    def working_side(self) -> str | None:
        """The side of the leg that works in this step (None when the step has no side)."""
        return working_side(self.side, self.side_is)

    def to_json(self) -> dict[str, Any]:
        out = asdict(self)
        out.pop("rest_kind")
        if self.rest_kind:
            out["rest_kind"] = self.rest_kind
        out["working_side"] = self.working_side
        return out


@dataclass(frozen=True, slots=True)
class Block:
    """A run of reps with the same exercise, set, side and direction: steps[start:end]."""

    exercise_index: int
    set: int
    side: str | None
    direction: str | None
    start: int
    end: int
    reps: int
    holds: int


@dataclass(frozen=True)
class Plan:
    routine_id: str
    title: str
    steps: tuple[Step, ...]
    blocks: tuple[Block, ...]
    exercise_names: tuple[str, ...]
    total_seconds: float
    starts: tuple[float, ...] = field(repr=False, default=())

    def to_json(self) -> dict[str, Any]:
        return {
            "routine": self.routine_id,
            "title": self.title,
            "total_seconds": self.total_seconds,
            "steps": [step.to_json() for step in self.steps],
        }

    def seconds_after(self, index: int) -> float:
        """Planned seconds of every step after `index`."""
        if index + 1 >= len(self.steps):
            return 0.0
        return self.total_seconds - self.starts[index + 1]

    def exercise_blocks(self, exercise_index: int) -> list[Block]:
        return [b for b in self.blocks if b.exercise_index == exercise_index]


class SideDose(Protocol):
    """One side's own values for an exercise (coach.history.model.Dose is one); None keeps the
    exercise's."""

    @property
    def sets(self) -> int | None: ...
    @property
    def reps(self) -> int | None: ...
    @property
    def hold(self) -> float | None: ...


SideDoses = Mapping[tuple[int, str], SideDose]
"""(exercise index, working side) → that side's own sets, reps and hold. The side is the leg
that works (see coach.sides), "left" or "right", whatever the routine's sides name."""


def _with_dose(ex: Exercise, dose: SideDose | None) -> Exercise:
    if dose is None:
        return ex
    return msgspec.structs.replace(
        ex,
        sets=ex.sets if dose.sets is None else dose.sets,
        reps=ex.reps if dose.reps is None else dose.reps,
        hold=ex.hold if dose.hold is None else dose.hold,
    )


def _sides(
    i: int, ex: Exercise, side_doses: SideDoses | None
) -> tuple[list[str | None], dict[str | None, Exercise]]:
    """The sides an exercise is done on, first side first ([None] without sides), and the
    exercise as each side does it: with that side's own sets, reps and hold when it has them."""
    if ex.sides == "none":
        return [None], {None: ex}
    sides: list[str | None] = [ex.first_side, other_side(ex.first_side)]
    if not side_doses:
        return sides, {side: ex for side in sides}
    each: dict[str | None, Exercise] = {}
    for side in sides:
        leg = working_side(side, ex.side_is) or ""
        each[side] = _with_dose(ex, side_doses.get((i, leg)))
    return sides, each


def _alternation(
    active: Sequence[str | None], each: Mapping[str | None, Exercise]
) -> list[tuple[int, str | None]]:
    """The reps of a set done alternating sides: one side, then the other, as far as both go,
    then the side with more reps alone."""
    most = max(each[side].reps for side in active)
    return [(rep, side) for rep in range(1, most + 1) for side in active if rep <= each[side].reps]


class _Builder:
    def __init__(self, routine: Routine, side_doses: SideDoses | None = None) -> None:
        self.routine = routine
        self.side_doses = side_doses
        self.steps: list[Step] = []
        self.blocks: list[Block] = []

    def add(self, step: Step) -> None:
        if len(self.steps) >= MAX_STEPS:
            raise PlanTooLong(f"the routine has more than {MAX_STEPS} steps")
        self.steps.append(step)

    def exercise(self, i: int, ex: Exercise, last: bool) -> None:
        sides, each = _sides(i, ex, self.side_doses)
        first_side = sides[0]
        first = each[first_side]
        directions: list[str | None] = list(ex.directions) or [None]
        base = Step(
            ex.name,
            i,
            "ready",
            "GET READY",
            first_side,
            1,
            first.sets,
            None,
            first.reps,
            directions[0],
            self.routine.get_ready_for(ex),
            side_is=ex.side_is,
        )
        self.add(base)
        bases = {
            side: base
            if each[side] is first
            else replace(base, sets=each[side].sets, reps=each[side].reps)
            for side in sides
        }
        sets = max(each[side].sets for side in sides)
        for set_no in range(1, sets + 1):
            active = [side for side in sides if each[side].sets >= set_no]
            if ex.sides == "alternate":
                order = _alternation(active, each)
                for direction in directions:
                    self.block(bases, each, set_no, None, direction, order)
            else:
                for side_no, side in enumerate(active):
                    if side_no:
                        self.add(
                            replace(
                                bases[side],
                                phase="switch",
                                word="SWITCH SIDES",
                                side=side,
                                set=set_no,
                                seconds=self.routine.switch_sides_for(ex),
                            )
                        )
                    block_order = [(rep, side) for rep in range(1, each[side].reps + 1)]
                    for direction in directions:
                        self.block(bases, each, set_no, side, direction, block_order)
            if set_no < sets and ex.rest > 0:
                self.add(
                    replace(
                        base,
                        phase="rest",
                        word="REST",
                        side=None,
                        set=set_no,
                        direction=None,
                        seconds=ex.rest,
                        rest_kind="set",
                    )
                )
        if not last and self.routine.rest_between_exercises > 0:
            self.add(
                replace(
                    base,
                    phase="rest",
                    word="REST",
                    side=None,
                    set=None,
                    direction=None,
                    seconds=self.routine.rest_between_exercises,
                    rest_kind="exercise",
                )
            )

    def block(
        self,
        bases: Mapping[str | None, Step],
        each: Mapping[str | None, Exercise],
        set_no: int,
        side: str | None,
        direction: str | None,
        order: Sequence[tuple[int, str | None]],
    ) -> None:
        start = len(self.steps)
        number = len(self.blocks)
        rep_bases = {
            s: replace(base, set=set_no, direction=direction, block=number)
            for s, base in bases.items()
        }
        phases = {s: list(_rep_phases(ex)) for s, ex in each.items()}
        first = next(iter(each.values()))
        holds = 0
        for n, (rep, rep_side) in enumerate(order):
            rep_base = rep_bases[rep_side]
            if n and first.relax > 0:
                self.add(_rep_step(rep_base, "rest", "RELAX", rep_side, rep, first.relax, "relax"))
            for phase, word, seconds in phases[rep_side]:
                self.add(_rep_step(rep_base, phase, word, rep_side, rep, seconds))
            ex = each[rep_side]
            holds += ex.hold > 0 and not ex.self_paced
        index = rep_bases[order[0][1]].exercise_index if order else 0
        self.blocks.append(
            Block(index, set_no, side, direction, start, len(self.steps), len(order), holds)
        )


def _rep_step(
    base: Step,
    phase: Phase,
    word: str,
    side: str | None,
    rep: int,
    seconds: float | None,
    rest_kind: str | None = None,
) -> Step:
    """One step of a rep: `base` with these fields (built directly; `replace` is slow)."""
    return Step(
        base.exercise, base.exercise_index, phase, word, side, base.set, base.sets, rep,
        base.reps, base.direction, seconds, base.block, rest_kind, base.side_is,
    )  # fmt: skip


def _rep_phases(ex: Exercise) -> Iterator[tuple[Phase, str, float | None]]:
    if ex.self_paced:
        yield "rep", ex.words.move, None
        return
    if ex.tempo.move > 0:
        yield "move", ex.words.move, ex.tempo.move
    if ex.hold > 0:
        yield "hold", ex.words.hold, ex.hold
    if ex.tempo.release > 0:
        yield "release", ex.words.release, ex.tempo.release


def plan_length(routine: Routine, side_doses: SideDoses | None = None) -> float:
    """`build_plan(routine, side_doses=side_doses).total_seconds`, without building the steps
    (a list of routines needs only their lengths); raises PlanTooLong as `build_plan` does."""
    steps = sum(_step_count(i, ex, side_doses) for i, ex in enumerate(routine.exercises))
    steps += max(len(routine.exercises) - 1, 0) * (routine.rest_between_exercises > 0)
    if steps > MAX_STEPS:
        raise PlanTooLong(f"the routine has more than {MAX_STEPS} steps")
    total = 0.0
    for seconds in _step_seconds(routine, side_doses):  # in the plan's order: the same float
        total += seconds or 0.0
    if total > MAX_SECONDS:
        raise PlanTooLong(f"the routine would take {total / 3600:.1f} hours; at most 4 are allowed")
    return total


def _step_count(i: int, ex: Exercise, side_doses: SideDoses | None) -> int:
    """The steps `_Builder.exercise` adds for `ex`, but the rest after it."""
    sides, each = _sides(i, ex, side_doses)
    directions = len(ex.directions) or 1
    phases = {side: sum(1 for _ in _rep_phases(each[side])) for side in sides}
    relax = ex.relax > 0
    sets = max(each[side].sets for side in sides)
    steps = 1 + max(sets - 1, 0) * (ex.rest > 0)
    done = 0  # sets counted so far: the sides still going do the same from here to `until`
    for until in sorted({each[side].sets for side in sides}):
        active = [side for side in sides if each[side].sets >= until]
        if ex.sides == "alternate":
            reps = sum(each[side].reps for side in active)
            work = sum(each[side].reps * phases[side] for side in active)
            per_set = directions * (work + max(reps - 1, 0) * relax)
        else:
            per_set = len(active) - 1
            for side in active:
                reps = each[side].reps
                per_set += directions * (reps * phases[side] + max(reps - 1, 0) * relax)
        steps += (until - done) * per_set
        done = until
    return steps


def _step_seconds(routine: Routine, side_doses: SideDoses | None = None) -> Iterator[float | None]:
    """The seconds of each step `build_plan` makes, in its order."""
    last = len(routine.exercises) - 1
    for i, ex in enumerate(routine.exercises):
        yield routine.get_ready_for(ex)
        sides, each = _sides(i, ex, side_doses)
        phases = {side: [seconds for _, _, seconds in _rep_phases(each[side])] for side in sides}
        directions = len(ex.directions) or 1
        sets = max(each[side].sets for side in sides)
        orders: dict[int, list[list[list[float | None]]]] = {}  # by the number of sides going
        for set_no in range(1, sets + 1):
            active = [side for side in sides if each[side].sets >= set_no]
            blocks = orders.get(len(active))
            if blocks is None:
                if ex.sides == "alternate":
                    blocks = [[phases[side] for _, side in _alternation(active, each)]]
                else:
                    blocks = [[phases[side]] * each[side].reps for side in active]
                orders[len(active)] = blocks
            for side_no, order in enumerate(blocks):
                if side_no:
                    yield routine.switch_sides_for(ex)
                for _ in range(directions):
                    yield from _block_seconds(ex, order)
            if set_no < sets and ex.rest > 0:
                yield ex.rest
        if i != last and routine.rest_between_exercises > 0:
            yield routine.rest_between_exercises


def _block_seconds(ex: Exercise, reps: list[list[float | None]]) -> Iterator[float | None]:
    """The seconds of a block's steps: each rep's phases, with the relax between reps."""
    for n, phases in enumerate(reps):
        if n and ex.relax > 0:
            yield ex.relax
        yield from phases


def build_plan(routine: Routine, routine_id: str = "", side_doses: SideDoses | None = None) -> Plan:
    """Expand a routine into its steps. Raises PlanTooLong for absurdly long routines.

    `side_doses`: a side's own sets, reps and hold for an exercise on sides (a weaker leg).
    Each side's blocks then use that side's values. A side with fewer sets is left out of the
    later sets; with `sides: alternate` the sides take turns as far as both go, then the side
    with more reps goes on alone."""
    builder = _Builder(routine, side_doses)
    count = len(routine.exercises)
    for i, ex in enumerate(routine.exercises):
        builder.exercise(i, ex, last=i == count - 1)
    starts: list[float] = []
    total = 0.0
    for step in builder.steps:
        starts.append(total)
        total += step.seconds or 0.0
    if total > MAX_SECONDS:
        raise PlanTooLong(f"the routine would take {total / 3600:.1f} hours; at most 4 are allowed")
    return Plan(
        routine_id=routine_id,
        title=routine.title,
        steps=tuple(builder.steps),
        blocks=tuple(builder.blocks),
        exercise_names=tuple(ex.name for ex in routine.exercises),
        total_seconds=total,
        starts=tuple(starts),
    )
