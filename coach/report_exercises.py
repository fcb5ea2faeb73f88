"""Each exercise of the report's period: the sets done and skipped, the dose it was done at
over time (from the dose each set kept), and each change of the person's dose with its reason.

Pure: sessions and dose changes in, lines out.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date

from coach.counts import ExerciseCount, count_sets
from coach.doses import keys_of
from coach.history.model import DoseChange, SessionDetail, SessionRecord, SetRecord
from coach.history_view import change_words


@dataclass(frozen=True)
class DoseSpan:
    """A stretch of sessions done at one dose."""

    first: date
    last: date
    sessions: int
    dose: str  # '2 × 10 reps each side, 2 s hold'


@dataclass(frozen=True)
class ChangeLine:
    day: date
    side: str | None
    what: str  # 'reps 10 → 12'
    reason: str


@dataclass(frozen=True)
class ExerciseLine:
    routine_id: str
    key: str  # the exercise's name, or 'NAME #2'
    sets_done: int
    sets_skipped: int
    sessions: int
    spans: tuple[DoseSpan, ...]
    changes: tuple[ChangeLine, ...]
    hurts: tuple[tuple[date, int], ...]  # (day, pain) of each set stopped with "this hurts"


@dataclass
class _Tally:
    routine_id: str
    key: str
    order: tuple[int, int]
    done: int = 0
    skipped: int = 0
    sessions: int = 0
    hurts: list[tuple[date, int]] = field(default_factory=list)
    spans: list[DoseSpan] = field(default_factory=list)
    sets: int | None = None  # the sets of the latest session that did them all
    values: list[tuple[frozenset[tuple[str, float]], bool]] = field(default_factory=list)
    # each span's dose values, and whether its words come from a session that did it all


def _keys(sets: Sequence[SetRecord]) -> dict[int, str]:
    """Each exercise index's key as coach.doses names it: the name, 'NAME #2' for the second
    of that name (in the order of the routine)."""
    names = {r.exercise_index: r.exercise for r in sets}
    order = sorted(names)
    return dict(zip(order, keys_of([names[i] for i in order]), strict=True))


def exercise_lines(
    details: Sequence[SessionDetail],
    changes: Sequence[DoseChange],
    holds: Callable[[date], bool],
    routine_ids: Sequence[str] = (),
    counted: Sequence[Sequence[ExerciseCount]] | None = None,
) -> tuple[ExerciseLine, ...]:
    """Each exercise done in the sessions (or whose dose changed in the period), routine by
    routine in the order of `routine_ids` (then as first done), each in its routine's order.
    `counted`: each session's count_sets, when the caller has them already."""
    order = [*routine_ids, *(d.session.routine_id for d in details)]
    routine_order = {rid: n for n, rid in enumerate(dict.fromkeys(order))}
    tallies: dict[tuple[str, str], _Tally] = {}
    for n, d in enumerate(details):
        s = d.session
        keys = _keys(d.sets)
        session_counts = count_sets(d.sets) if counted is None else counted[n]
        counts = {c.exercise_index: c for c in session_counts}
        by_index: dict[int, list[SetRecord]] = {}
        for r in d.sets:
            by_index.setdefault(r.exercise_index, []).append(r)
        for index, key in keys.items():
            mine = by_index[index]
            tally = tallies.get((s.routine_id, key))
            if tally is None:
                tally = _Tally(s.routine_id, key, (routine_order[s.routine_id], index))
                tallies[(s.routine_id, key)] = tally
            count = counts.get(index)
            if count is not None:
                tally.done += count.done
            # skipped: the person moved on (n); a set left part-done by a stop is neither
            tally.skipped += len({r.set_number for r in mine if r.skipped})
            tally.sessions += 1
            tally.hurts += [(s.day, r.hurt) for r in mine if r.hurt is not None]
            whole = (
                s.status == "completed"
                and s.resumed_from is None
                and not any(r.skipped or r.hurt is not None for r in mine)
            )
            if whole:
                tally.sets = max(r.set_number for r in mine)
            _add_span(tally, s, mine, whole)
    for change in changes:
        pair = (change.routine_id, change.exercise)
        if pair not in tallies and holds(change.at.astimezone().date()):
            rank = routine_order.get(change.routine_id, len(routine_order))
            tallies[pair] = _Tally(change.routine_id, change.exercise, (rank, 10**6))
    lines = []
    for tally in sorted(tallies.values(), key=lambda t: t.order):
        own = [
            ChangeLine(c.at.astimezone().date(), c.side, change_words(c.before, c.after), c.reason)
            for c in changes
            if (c.routine_id, c.exercise) == (tally.routine_id, tally.key)
            and holds(c.at.astimezone().date())
        ]
        lines.append(
            ExerciseLine(
                routine_id=tally.routine_id,
                key=tally.key,
                sets_done=tally.done,
                sets_skipped=tally.skipped,
                sessions=tally.sessions,
                spans=tuple(tally.spans),
                changes=tuple(sorted(own, key=lambda c: c.day)),
                hurts=tuple(tally.hurts),
            )
        )
    return tuple(lines)


def _add_span(
    tally: _Tally, session: SessionRecord, sets: Sequence[SetRecord], whole: bool
) -> None:
    """Extend the latest span with this session, or start a new one where its dose differs.
    A session that did part of the exercise (stopped, interrupted, resumed, a set skipped)
    stays in the span whose values include its own; the span's words come from a session that
    did it all. Sets without a kept dose (saved by an older coach) add to no span."""
    values = _values(sets)
    if not values:
        return
    if tally.spans:
        last, (had, from_whole) = tally.spans[-1], tally.values[-1]
        same = values == had if whole and from_whole else values <= had or had <= values
        if same:
            better = whole and not from_whole
            words = (dose_text(sets, tally.sets) or last.dose) if better else last.dose
            tally.spans[-1] = DoseSpan(last.first, session.day, last.sessions + 1, words)
            tally.values[-1] = (values if better else had | values, from_whole or whole)
            return
    first = dose_text(sets, tally.sets)
    if first is None:
        return
    tally.spans.append(DoseSpan(session.day, session.day, 1, first))
    tally.values.append((values, whole))


def _values(sets: Sequence[SetRecord]) -> frozenset[tuple[str, float]]:
    """The dose values of the sets: each leg's reps and each hold."""
    return frozenset(
        {
            (f"reps {r.working_side or r.side or ''}", r.target_reps or 0)
            for r in sets
            if r.target_reps is not None
        }
        | {("hold", r.target_hold) for r in sets if r.target_hold}
    )


def dose_text(sets: Sequence[SetRecord], set_count: int | None) -> str | None:
    """The dose the sets were done with: '2 × 10 reps each side, 2 s hold', 'L 12 · R 10
    reps' where the sides differ, '1 × 30 s hold in each of 3 directions, each side' for a
    stretch; None when no set kept its dose."""
    kept = [r for r in sets if r.target_reps is not None]
    if not kept:
        return None
    by_leg: dict[str, set[int]] = {}
    for r in kept:
        by_leg.setdefault(r.working_side or r.side or "", set()).add(r.target_reps or 0)
    holds = sorted({r.target_hold for r in kept if r.target_hold})
    directions = {r.direction for r in kept if r.direction}
    if by_leg.keys() == {"left", "right"} and by_leg["left"] != by_leg["right"]:
        reps = " · ".join(f"{leg[0].upper()} {_numbers(by_leg[leg])}" for leg in ("left", "right"))
    else:
        reps = _numbers({n for values in by_leg.values() for n in values})
    hold = "/".join(f"{h:g}" for h in holds) + " s hold"
    if reps == "1" and holds:
        text, hold = hold, ""
    else:
        text = f"{reps} {'rep' if reps == '1' else 'reps'}"
    if set_count:
        text = f"{set_count} × {text}"
    if len(directions) > 1:
        text += f" in each of {len(directions)} directions"
    if any(r.side for r in kept):
        text += ("," if len(directions) > 1 else "") + " each side"
    if holds and hold:
        text += f", {hold}"
    return text


def _numbers(values: set[int]) -> str:
    return "/".join(str(v) for v in sorted(values))
