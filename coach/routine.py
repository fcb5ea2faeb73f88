"""The routine model: a routine, its exercises and their dosage, as msgspec structs.

A routine file is YAML. `coach.routine_yaml` reads it into plain values, each with its place in
the file, and `coach.routine_check` checks them into this model. Every problem is one
`RoutineError` that reads `path:line:col: what is wrong and what is expected`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

import msgspec

MAX_DEPTH = 20
MAX_NODES = 20_000


class RoutineError(Exception):
    """A routine file that cannot be used, with the place that says why."""

    def __init__(self, path: str, message: str, line: int | None = None, col: int | None = None):
        self.path = path
        self.message = message
        self.line = line
        self.col = col
        super().__init__(str(self))

    def __str__(self) -> str:
        if self.line is None:
            return f"{self.path}: {self.message}"
        return f"{self.path}:{self.line}:{self.col or 1}: {self.message}"


# ---------------------------------------------------------------------------- schema


Side = Literal["left", "right"]
Word = Annotated[str, msgspec.Meta(min_length=1, max_length=14)]
Text = Annotated[str, msgspec.Meta(max_length=2000)]
Line = Annotated[str, msgspec.Meta(min_length=1, max_length=300)]
Lines = Annotated[list[Line], msgspec.Meta(max_length=20)]


class Tempo(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """How long the movement into and out of each rep takes."""

    move: Annotated[
        float,
        msgspec.Meta(
            ge=0, le=30, description="seconds to move into the position (lift, kick, step)"
        ),
    ] = 2.0
    release: Annotated[
        float,
        msgspec.Meta(ge=0, le=30, description="seconds to move back out of it (lower, return)"),
    ] = 2.0


class Words(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """The big word shown for each part of a rep."""

    move: Word = "LIFT"
    hold: Word = "HOLD"
    release: Word = "LOWER"


class AdvanceReps(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """How reps grow: by `step` at a time, up to `up_to`."""

    step: Annotated[int, msgspec.Meta(ge=1, le=100, description="reps added at each step up")]
    up_to: Annotated[int, msgspec.Meta(ge=1, le=100, description="the most reps it grows to")]


class AdvanceHold(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """How the hold grows: by `step` seconds at a time, up to `up_to` seconds."""

    step: Annotated[
        float, msgspec.Meta(gt=0, le=600, description="seconds added to the hold at each step up")
    ]
    up_to: Annotated[
        float, msgspec.Meta(gt=0, le=600, description="the longest hold it grows to, in seconds")
    ]


class AdvanceSets(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """How sets grow: by `step` at a time, up to `up_to`."""

    step: Annotated[int, msgspec.Meta(ge=1, le=20, description="sets added at each step up")]
    up_to: Annotated[int, msgspec.Meta(ge=1, le=20, description="the most sets it grows to")]


class Advance(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """How the dose may grow when the person's history and pain allow it (see coach.programme):
    a step up raises the first of reps, hold and sets, in that order, that is below its
    `up_to`; once all are there, `then` says what to do next."""

    reps: AdvanceReps | None = None
    hold: AdvanceHold | None = None
    sets: AdvanceSets | None = None
    then: Annotated[
        str,
        msgspec.Meta(max_length=300, description="what to do once every value is at its up_to"),
    ] = ""


ADVANCE_FIELDS = ("reps", "hold", "sets")
"""The values an advance rule may raise, in the order a step up raises them."""


class Exercise(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """One exercise of a routine and its dosage."""

    name: Annotated[str, msgspec.Meta(min_length=1, max_length=80)]
    sets: Annotated[int, msgspec.Meta(ge=1, le=20)] = 1
    reps: Annotated[int, msgspec.Meta(ge=1, le=100, description="per set, side and direction")] = 1
    hold: Annotated[
        float, msgspec.Meta(ge=0, le=600, description="seconds held in each rep; 0 is a plain rep")
    ] = 0.0
    sides: Literal["none", "both", "alternate"] = "none"
    first_side: Side = "left"
    side_is: Annotated[
        Literal["working", "lying_on", "kneeling", "leading"],
        msgspec.Meta(
            description="what a side names: the leg that works, the side you lie on, the knee "
            "that is down, or the foot that leads"
        ),
    ] = "working"
    directions: Annotated[list[Line], msgspec.Meta(max_length=8)] = []
    rest: Annotated[
        float, msgspec.Meta(ge=0, le=600, description="seconds of rest between sets")
    ] = 30.0
    relax: Annotated[
        float,
        msgspec.Meta(
            ge=0, le=600, description="seconds of rest between reps, e.g. between stretch holds"
        ),
    ] = 0.0
    tempo: Tempo = msgspec.field(default_factory=Tempo)
    words: Words = msgspec.field(default_factory=Words)
    self_paced: bool = False
    get_ready: (
        Annotated[
            float,
            msgspec.Meta(
                ge=0, le=120, description="seconds to get into position; default: the routine's"
            ),
        ]
        | None
    ) = None
    switch_sides: (
        Annotated[
            float,
            msgspec.Meta(
                ge=0, le=120, description="seconds to change sides; default: the routine's"
            ),
        ]
        | None
    ) = None
    equipment: Lines = []
    why: Text = ""
    setup: Text = ""
    cues: Lines = []
    mistakes: Lines = []
    progression: Text = ""
    advance: Annotated[
        Advance | None,
        msgspec.Meta(description="how the dose grows, step by step, when pain allows"),
    ] = None
    say: Annotated[
        str,
        msgspec.Meta(
            max_length=300,
            description="what the voice says at the get-ready instead of its own words",
        ),
    ] = ""


class Routine(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """A routine: what the person will do, in order."""

    title: Annotated[str, msgspec.Meta(min_length=1, max_length=80)]
    summary: Text = ""
    tags: Lines = []
    equipment: Lines = []
    source: Text = ""
    safety: Text = ""
    rest_between_exercises: Annotated[
        float, msgspec.Meta(ge=0, le=600, description="seconds of rest after each exercise")
    ] = 0.0
    get_ready: Annotated[
        float,
        msgspec.Meta(ge=0, le=120, description="seconds to get into position before each exercise"),
    ] = 10.0
    switch_sides: Annotated[
        float, msgspec.Meta(ge=0, le=120, description="seconds to change sides")
    ] = 5.0
    exercises: Annotated[list[Exercise], msgspec.Meta(min_length=1, max_length=50)]

    def get_ready_for(self, exercise: Exercise) -> float:
        return self.get_ready if exercise.get_ready is None else exercise.get_ready

    def switch_sides_for(self, exercise: Exercise) -> float:
        return self.switch_sides if exercise.switch_sides is None else exercise.switch_sides


@dataclass(frozen=True)
class RoutineEntry:
    """A loaded routine with its id (the file name without `.yaml`) and where it came from."""

    id: str
    path: Path
    routine: Routine
    builtin: bool = False


def json_schema() -> dict[str, Any]:
    schema: dict[str, Any] = msgspec.json.schema(Routine)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "coach routine"
    return schema
