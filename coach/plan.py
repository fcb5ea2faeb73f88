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

from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field, replace
from typing import Any, Literal

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


class _Builder:
    def __init__(self, routine: Routine) -> None:
        self.routine = routine
        self.steps: list[Step] = []
        self.blocks: list[Block] = []

    def add(self, step: Step) -> None:
        if len(self.steps) >= MAX_STEPS:
            raise PlanTooLong(f"the routine has more than {MAX_STEPS} steps")
        self.steps.append(step)

    def exercise(self, i: int, ex: Exercise, last: bool) -> None:
        first_side = ex.first_side if ex.sides != "none" else None
        directions: list[str | None] = list(ex.directions) or [None]
        base = Step(
            ex.name,
            i,
            "ready",
            "GET READY",
            first_side,
            1,
            ex.sets,
            None,
            ex.reps,
            directions[0],
            self.routine.get_ready_for(ex),
            side_is=ex.side_is,
        )
        self.add(base)
        for set_no in range(1, ex.sets + 1):
            if ex.sides == "alternate" and first_side is not None:
                sides = (first_side, other_side(first_side))
                for direction in directions:
                    order = [(rep, side) for rep in range(1, ex.reps + 1) for side in sides]
                    self.block(base, ex, set_no, None, direction, order)
            else:
                for side_no, side in enumerate(
                    [first_side] if first_side is None else [first_side, other_side(first_side)]
                ):
                    if side_no:
                        self.add(
                            replace(
                                base,
                                phase="switch",
                                word="SWITCH SIDES",
                                side=side,
                                set=set_no,
                                seconds=self.routine.switch_sides_for(ex),
                            )
                        )
                    for direction in directions:
                        block_order = [(rep, side) for rep in range(1, ex.reps + 1)]
                        self.block(base, ex, set_no, side, direction, block_order)
            if set_no < ex.sets and ex.rest > 0:
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
        base: Step,
        ex: Exercise,
        set_no: int,
        side: str | None,
        direction: str | None,
        order: Sequence[tuple[int, str | None]],
    ) -> None:
        start = len(self.steps)
        rep_base = replace(base, set=set_no, direction=direction, block=len(self.blocks))
        for n, (rep, rep_side) in enumerate(order):
            if n and ex.relax > 0:
                self.add(_rep_step(rep_base, "rest", "RELAX", rep_side, rep, ex.relax, "relax"))
            for phase, word, seconds in _rep_phases(ex):
                self.add(_rep_step(rep_base, phase, word, rep_side, rep, seconds))
        holds = len(order) if ex.hold > 0 and not ex.self_paced else 0
        self.blocks.append(
            Block(
                base.exercise_index,
                set_no,
                side,
                direction,
                start,
                len(self.steps),
                len(order),
                holds,
            )
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


def plan_length(routine: Routine) -> float:
    """`build_plan(routine).total_seconds`, without building the steps (a list of routines needs
    only their lengths); raises PlanTooLong as `build_plan` does."""
    steps = sum(_step_count(ex) for ex in routine.exercises)
    steps += max(len(routine.exercises) - 1, 0) * (routine.rest_between_exercises > 0)
    if steps > MAX_STEPS:
        raise PlanTooLong(f"the routine has more than {MAX_STEPS} steps")
    total = 0.0
    for seconds in _step_seconds(routine):  # added in the plan's order: the same float
        total += seconds or 0.0
    if total > MAX_SECONDS:
        raise PlanTooLong(f"the routine would take {total / 3600:.1f} hours; at most 4 are allowed")
    return total


def _step_count(ex: Exercise) -> int:
    """The steps `_Builder.exercise` adds for `ex`, but the rest after it."""
    sides = 1 if ex.sides == "none" else 2
    directions = len(ex.directions) or 1
    phases = sum(1 for _ in _rep_phases(ex))

    def block(reps: int) -> int:
        return reps * phases + max(reps - 1, 0) * (ex.relax > 0)

    if ex.sides == "alternate":
        per_set = directions * block(ex.reps * 2)
    else:
        per_set = sides * directions * block(ex.reps) + sides - 1
    return 1 + ex.sets * per_set + max(ex.sets - 1, 0) * (ex.rest > 0)


def _step_seconds(routine: Routine) -> Iterator[float | None]:
    """The seconds of each step `build_plan` makes, in its order."""
    last = len(routine.exercises) - 1
    for i, ex in enumerate(routine.exercises):
        yield routine.get_ready_for(ex)
        phases = [seconds for _, _, seconds in _rep_phases(ex)]
        sides = 1 if ex.sides == "none" else 2
        directions = len(ex.directions) or 1
        for set_no in range(1, ex.sets + 1):
            if ex.sides == "alternate":
                for _ in range(directions):
                    yield from _block_seconds(ex, phases, ex.reps * 2)
            else:
                for side_no in range(sides):
                    if side_no:
                        yield routine.switch_sides_for(ex)
                    for _ in range(directions):
                        yield from _block_seconds(ex, phases, ex.reps)
            if set_no < ex.sets and ex.rest > 0:
                yield ex.rest
        if i != last and routine.rest_between_exercises > 0:
            yield routine.rest_between_exercises


def _block_seconds(ex: Exercise, phases: list[float | None], reps: int) -> Iterator[float | None]:
    for n in range(reps):
        if n and ex.relax > 0:
            yield ex.relax
        yield from phases


def build_plan(routine: Routine, routine_id: str = "") -> Plan:
    """Expand a routine into its steps. Raises PlanTooLong for absurdly long routines."""
    builder = _Builder(routine)
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
