"""Sets and reps counted the way the plan states them: the one count every surface shows.

A routine says "2 sets × 10 reps, each side": that is 2 sets, not 4. The plan splits each set
into blocks (one a side and a direction); the engine and history keep one record a block. Here
the blocks of a set are put back together:

- **A set is done** when every part of it — each side, each direction — was done in full. A
  set of which a part was skipped, or not reached, is not done: if set 1's left side was done
  and its right side skipped, set 1 counts as skipped (its reps still count, per side, so the
  difference shows: "L 10/20 · R 4/20"). Sides and directions never multiply sets.
- **Skipped** is every planned set that is not done (skipped, cut short or never reached).
- **Reps** are counted per working leg when the exercise has sides, and shown per side where
  the sides differ.

The parts a set has come from the plan's blocks when they are known (the summary of a session
just run). History keeps no plan, so there they come from the records themselves: a set of an
exercise done on sides needs both sides, and every direction any set of that exercise had.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from coach.plan import Block


class DoneBlock(Protocol):
    """What was done of one block: the engine's SetTally and history's SetRecord both are."""

    @property
    def exercise_index(self) -> int: ...
    @property
    def exercise(self) -> str: ...
    @property
    def set_number(self) -> int: ...
    @property
    def side(self) -> str | None: ...
    @property
    def direction(self) -> str | None: ...
    @property
    def working_side(self) -> str | None: ...
    @property
    def reps(self) -> int: ...
    @property
    def skipped(self) -> bool: ...


Part = tuple[str | None, str | None]  # (side, direction)


@dataclass(frozen=True)
class PlainBlock:
    """A done block from plain values (an exported set row)."""

    exercise_index: int
    exercise: str
    set_number: int
    side: str | None
    direction: str | None
    working_side: str | None
    reps: int
    skipped: bool


def exported_block(row: Mapping[str, Any]) -> PlainBlock:
    """A set as the exports name its fields (see coach.history.model.SET_FIELDS)."""
    return PlainBlock(
        row["exercise_index"], row["exercise"], row["set"], row["side"], row["direction"],
        row["working_leg"], row["reps"], row["skipped"],
    )  # fmt: skip


@dataclass(frozen=True)
class ExerciseCount:
    """One exercise's sets and reps, as the plan states them."""

    exercise_index: int
    exercise: str
    done: int
    planned: int
    each_side: bool
    reps_by_side: tuple[tuple[str, int], ...]  # (working side, reps), left first; () no sides
    reps: int
    reps_planned: int | None  # per side when `each_side`; None when not known (history)

    @property
    def skipped(self) -> int:
        return max(0, self.planned - self.done)

    def sets_text(self) -> str:
        """'2/2', with ' each side' for an exercise done on both sides."""
        return f"{self.done}/{self.planned}{' each side' if self.each_side else ''}"

    def reps_text(self) -> str:
        """'20/20 each side', or 'L 20/20 · R 18/20' where the sides differ; '40/40' without
        sides. The planned reps are left out where they are not known."""
        of = self.reps_planned
        if self.each_side:
            counts = dict(self.reps_by_side)
            left, right = counts.get("left", 0), counts.get("right", 0)
            if left != right:
                of_text = f"/{of}" if of is not None else ""
                return f"L {left}{of_text} · R {right}{of_text}"
            return f"{left}/{of} each side" if of is not None else f"{left} each side"
        return f"{self.reps}/{of}" if of is not None else str(self.reps)


def count_sets(
    records: Iterable[DoneBlock], planned: Sequence[Block] | None = None
) -> list[ExerciseCount]:
    """Per exercise, in order: the sets done of the sets planned, and the reps.

    `planned`: the blocks the session had to do (for a resumed session, those from where it
    began); with them, every planned exercise gets a count, and a set needs exactly its planned
    parts. Without them (history), the sets are the recorded ones and their parts inferred
    (see the module's note)."""
    by_exercise: dict[int, list[DoneBlock]] = {}
    names: dict[int, str] = {}
    for record in records:
        by_exercise.setdefault(record.exercise_index, []).append(record)
        names.setdefault(record.exercise_index, record.exercise)
    needs: dict[int, dict[int, set[Part]]] = {}
    reps_planned: dict[int, int] = {}
    if planned is not None:
        for block in planned:
            sets = needs.setdefault(block.exercise_index, {})
            sets.setdefault(block.set, set()).add((block.side, block.direction))
            reps_planned[block.exercise_index] = reps_planned.get(block.exercise_index, 0) + (
                block.reps
            )
    else:
        for index, done in by_exercise.items():
            on_sides = any(r.side for r in done)
            sides: tuple[str | None, ...] = ("left", "right") if on_sides else (None,)
            parts = {(side, r.direction) for r in done for side in sides}
            needs[index] = {r.set_number: parts for r in done}
    counts = []
    for index in sorted(needs):
        done = by_exercise.get(index, [])
        full = {(r.set_number, r.side, r.direction) for r in done if not r.skipped}
        sets = needs[index]
        sets_done = sum(
            1
            for number, parts in sets.items()
            if all((number, side, direction) in full for side, direction in parts)
        )
        each_side = any(side for parts in sets.values() for side, _ in parts)
        by_side: dict[str, int] = {}
        for r in done:
            leg = r.working_side or r.side
            if leg:
                by_side[leg] = by_side.get(leg, 0) + r.reps
        if each_side:
            by_side = {"left": by_side.get("left", 0), "right": by_side.get("right", 0)}
        of = reps_planned.get(index) if planned is not None else None
        if of is not None and each_side:
            of //= 2
        name = names.get(index, "")
        counts.append(
            ExerciseCount(
                exercise_index=index,
                exercise=name,
                done=sets_done,
                planned=len(sets),
                each_side=each_side,
                reps_by_side=tuple(sorted(by_side.items())) if each_side else (),
                reps=sum(r.reps for r in done),
                reps_planned=of,
            )
        )
    return counts


def sets_done(records: Iterable[DoneBlock], planned: Sequence[Block] | None = None) -> int:
    """How many sets were done in all, counted as `count_sets` counts them."""
    return sum(count.done for count in count_sets(records, planned))


def sets_planned(blocks: Iterable[Block]) -> int:
    """How many sets these blocks make as the plan states them: 2 sets on each side are 2."""
    return len({(block.exercise_index, block.set) for block in blocks})
