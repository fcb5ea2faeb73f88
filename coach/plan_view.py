"""A plan written out for people: exercise blocks with their times, and the totals."""

from __future__ import annotations

from dataclasses import replace

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from coach.durations import clock, seconds_text, spoken
from coach.literal import literal
from coach.plan import Plan, Step
from coach.routine import Exercise, RoutineEntry
from coach.sides import side_words, switch_words


def dosage(ex: Exercise) -> str:
    """One line of dosage: '2 sets × 10 reps, each side · hold 2 s · rest 30 s'."""
    sets = f"{ex.sets} set{'s' if ex.sets > 1 else ''} × " if ex.sets > 1 else ""
    reps = f"{ex.reps} rep{'s' if ex.reps > 1 else ''}"
    if ex.hold and ex.reps == 1:
        reps = "1 hold"
    where = {"none": "", "both": ", each side", "alternate": ", each side, alternating"}[ex.sides]
    if ex.directions:
        where += f", each way ({', '.join(ex.directions)})"
    parts = [f"{sets}{reps}{where}"]
    if ex.hold:
        parts.append(f"hold {seconds_text(ex.hold)} s")
    if ex.self_paced:
        parts.append("at your own pace")
    if ex.relax:
        parts.append(f"{seconds_text(ex.relax)} s between reps")
    if ex.sets > 1 and ex.rest:
        parts.append(f"rest {seconds_text(ex.rest)} s")
    return " · ".join(parts)


def side_notes(plan: Plan, exercise_index: int, ex: Exercise) -> list[str]:
    """A leg with a dose of its own, in words: 'Left leg: 8 reps · hold 3 s · 2 sets'."""
    notes = []
    for leg in ("left", "right"):
        blocks = [(n, b) for n, b in enumerate(plan.blocks) if b.exercise_index == exercise_index]
        mine = [b for n, b in blocks if plan.steps[b.start].working_side == leg]
        if not mine:
            continue
        holds = {s.seconds for b in mine for s in plan.steps[b.start : b.end] if s.phase == "hold"}
        hold = holds.pop() if len(holds) == 1 else ex.hold
        sets = len({b.set for b in mine})
        parts = []
        if mine[0].reps != ex.reps:
            parts.append(f"{mine[0].reps} rep{'s' if mine[0].reps != 1 else ''}")
        if (hold or 0) != ex.hold:
            parts.append(f"hold {seconds_text(hold or 0)} s")
        if sets != ex.sets:
            parts.append(f"{sets} set{'s' if sets != 1 else ''}")
        if parts:
            notes.append(f"{leg.capitalize()} leg: " + " · ".join(parts))
    return notes


def step_label(step: Step, short: bool = False) -> str:
    """'Set 1/2 · Right leg works · lying on your left side · Forward' for a step, leaving out
    what does not apply; `short` for a small screen ('Set 1/2 · Right leg · Forward')."""
    parts = []
    if step.set is not None and step.sets > 1:
        parts.append(f"Set {step.set}/{step.sets}")
    if step.side:
        parts.append(side_words(step.side, step.side_is, short=short))
    if step.direction:
        parts.append(step.direction.capitalize())
    return " · ".join(parts)


def _rep_shape(steps: list[Step]) -> str:
    first_rep = [
        s for s in steps if s.is_work and s.rep == steps[0].rep and s.side == steps[0].side
    ]
    return " → ".join(
        f"{s.word} {seconds_text(s.seconds)} s"
        if s.seconds is not None
        else f"{s.word} (you count)"
        for s in first_rep
    )


def _rows(plan: Plan, exercise_index: int) -> list[tuple[str, str, str]]:
    rows: list[tuple[str, str, str]] = []
    blocks = {b.start: b for b in plan.blocks if b.exercise_index == exercise_index}
    i = 0
    steps = plan.steps
    while i < len(steps):
        step = steps[i]
        if step.exercise_index != exercise_index:
            i += 1
            continue
        start = plan.starts[i]
        if i in blocks:
            block = blocks[i]
            work = list(steps[block.start : block.end])
            seconds = sum(s.seconds or 0 for s in work)
            count = f"{block.reps} ×"
            label = step_label(step if block.side else replace(step, side=None))
            if block.side is None and step.side:
                label = f"{label} · alternating sides".lstrip(" ·")
            rows.append(
                (
                    clock(start),
                    f"{label or 'Reps'}: {count} ({_rep_shape(work)})",
                    spoken(seconds),
                )
            )
            i = block.end
            continue
        sided = any(b.side for b in blocks.values())
        what = {
            "ready": " · ".join(
                ["GET READY", side_words(step.side, step.side_is)] if sided else ["GET READY"]
            ),
            "switch": switch_words(step.side, step.side_is),
            "rest": "REST" if step.rest_kind != "relax" else "RELAX",
        }.get(step.phase, step.word)
        rows.append((clock(start), what, spoken(step.seconds or 0)))
        i += 1
    return rows


def render_plan(entry: RoutineEntry, plan: Plan, every_step: bool = False) -> RenderableType:
    routine = entry.routine
    parts: list[RenderableType] = [literal(routine.title, style="bold")]
    if routine.source:
        parts.append(literal(f"From the article “{routine.source}”", style="dim"))
    if every_step:
        table = Table(box=None, pad_edge=False)
        for column in ("at", "exercise", "phase", "where", "rep", "seconds"):
            table.add_column(column)
        for start, step in zip(plan.starts, plan.steps, strict=True):
            rep = f"{step.rep}/{step.reps}" if step.rep is not None else ""
            secs = "you count" if step.seconds is None else seconds_text(step.seconds)
            cells = (clock(start), step.exercise, step.word, step_label(step), rep, secs)
            table.add_row(*map(literal, cells))
        parts.append(table)
    else:
        for i, ex in enumerate(routine.exercises):
            block_seconds = sum(s.seconds or 0 for s in plan.steps if s.exercise_index == i)
            parts.append(Text(""))
            head = Text.assemble(
                (f"{i + 1}. {ex.name}", "bold cyan"),
                "  ",
                (dosage(ex), ""),
                "  ",
                (spoken(block_seconds), "dim"),
            )
            parts.append(head)
            for note in side_notes(plan, i, ex):
                parts.append(Padding(literal(note, style="bold"), (0, 0, 0, 3)))
            for label, words in (("Why", ex.why), ("To progress", ex.progression)):
                if words:
                    line = Text.assemble((f"{label}: ", "bold dim"), (words, "dim"))
                    parts.append(Padding(line, (0, 0, 0, 3)))
            table = Table(box=None, show_header=False, pad_edge=False, padding=(0, 1))
            table.add_column(style="dim", justify="right")
            table.add_column()
            table.add_column(style="dim", justify="right")
            for row in _rows(plan, i):
                table.add_row(*map(literal, row))
            parts.append(table)
    parts.append(Text(""))
    work = sum(s.seconds or 0 for s in plan.steps if s.phase == "hold")
    parts.append(
        Text.assemble(
            ("Total ", "bold"),
            (spoken(plan.total_seconds), "bold"),
            f"  ·  {len(plan.steps)} steps  ·  {spoken(work)} of holds",
        )
    )
    return Group(*parts)
