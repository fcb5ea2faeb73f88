"""A made-up history of a person on a home programme, as the report shows it: for tests, the
report benchmark and the README's screenshot.

Tests and benchmarks use this; no production module imports this one.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from coach.history.model import DoseRecord, Schedule, SetRecord, Store
from coach.plan import Block
from coach.routine import Routine, RoutineEntry


@dataclass(frozen=True)
class Visit:
    """One session to write: how it went."""

    entry: RoutineEntry
    start: datetime
    pain_before: int | None
    pain_after: int | None
    effort: int | None = None
    note: str | None = None
    stop_after: int | None = None  # blocks done before it ends (interrupted / stopped)
    status: str = "completed"
    skip: frozenset[int] = frozenset()  # block numbers skipped
    hurt: int | None = None  # the pain when the last block done was stopped with "this hurts"
    resumed_from: int | None = None
    first_block: int = 0  # where a resumed session starts


def block_sets(
    routine: Routine,
    blocks: Sequence[Block],
    start: datetime,
    *,
    stop: int | None = None,
    skip: Collection[int] = (),
    hurt: int | None = None,
) -> list[SetRecord]:
    """The sets of `blocks` (the first `stop` of them) done from `start` at the pace of each
    block, as the coach records them with the dose each was done at: the block numbers in
    `skip` skipped; with `hurt`, the last one stopped half-way with "this hurts", which the
    coach keeps as skipped, with the reps so far and the pain."""
    from coach.sides import working_side

    done = blocks if stop is None else blocks[:stop]
    moment, sets = start, []
    for n, block in enumerate(done):
        ex = routine.exercises[block.exercise_index]
        hurts = hurt is not None and n == len(done) - 1
        skipped = n in skip or hurts
        reps = block.reps // 2 if hurts else 0 if skipped else block.reps
        moment += timedelta(seconds=40 + block.reps * (4 + ex.hold))
        sets.append(
            SetRecord(
                block.exercise_index,
                ex.name,
                block.set,
                moment,
                side=block.side,
                direction=block.direction,
                reps=reps,
                holds=min(block.holds, reps),
                skipped=skipped,
                side_is=ex.side_is if block.side else None,
                working_side=working_side(block.side, ex.side_is),
                target_reps=block.reps,
                target_hold=ex.hold,
                hurt=hurt if hurts else None,
            )
        )
    return sets


def write_visit(store: Store, visit: Visit, doses: Sequence[DoseRecord] = ()) -> int:
    """Write one session of `visit.entry` at the person's `doses`; its id."""
    from coach.counts import sets_planned
    from coach.programme_io import personal_entry

    mine, plan, _ = personal_entry(visit.entry, doses)
    blocks = plan.blocks[visit.first_block :]
    session_id = store.start_session(
        visit.entry.id,
        visit.entry.routine.title,
        visit.start,
        planned_sets=sets_planned(blocks),
        pain_before=visit.pain_before,
        resumed_from=visit.resumed_from,
    )
    sets = block_sets(
        mine.routine, blocks, visit.start, stop=visit.stop_after, skip=visit.skip, hurt=visit.hurt
    )
    for entry in sets:
        store.record_set(session_id, entry)
    moment = sets[-1].recorded_at if sets else visit.start
    if visit.status == "interrupted":
        store.mark_interrupted(visit.start + timedelta(hours=13))  # its coach is long gone
        return session_id
    store.finish_session(
        session_id,
        moment + timedelta(seconds=30),
        visit.status,
        pain_after=visit.pain_after,
        effort=visit.effort,
        note=visit.note,
    )
    return session_id


NOTES = {
    2: "Left hip a bit stiff today; the right side felt fine.",
    5: "Slept badly, so I kept it gentle.",
    9: "Easier than last week; the left knee still wobbles a little.",
    12: "No pain on the stairs at work today.",
}


def programme_history(
    store: Store,
    low_back: RoutineEntry,
    pre_run: RoutineEntry,
    today: date,
    *,
    weeks: int = 2,
    now: datetime | None = None,
) -> None:
    """`weeks` weeks up to `today` of a person doing `low_back` on Monday, Wednesday and
    Friday and `pre_run` on Tuesday and Saturday: pain coming down, one planned day missed, one
    session on a day not planned, one interrupted and resumed the same day, one stopped with
    pain, a skipped set, notes, and a step up of a dose the rules proposed (accepted after the
    session that earned it). With `now`, no session starts after it."""
    from coach.programme import accept
    from coach.programme_io import proposals_after

    store.set_schedule(Schedule(low_back.id, (0, 2, 4)), low_back.id)
    store.set_schedule(Schedule(pre_run.id, (1, 5)), pre_run.id)
    monday = today - timedelta(days=today.weekday(), weeks=weeks - 1)
    days = [monday + timedelta(days=n) for n in range((today - monday).days + 1)]
    zone = datetime.now().astimezone().tzinfo
    count = 0
    for day in days:
        planned = [e for e, d in ((low_back, (0, 2, 4)), (pre_run, (1, 5))) if day.weekday() in d]
        if day.weekday() == 6 and day != today:
            planned = [pre_run]  # a Sunday run: done, not planned
        for entry in planned:
            if day == monday + timedelta(days=2) and weeks > 1:
                continue  # the first Wednesday: missed
            count += 1
            pain = max(1, 5 - count // 3)
            start = datetime.combine(day, time(7, 15) if entry is low_back else time(18, 5), zone)
            if now is not None and start > now:
                continue
            doses = store.doses(entry.id)
            visit = Visit(
                entry,
                start,
                pain_before=pain,
                pain_after=max(0, pain - 1 - count % 2),
                effort=4 + count % 3,
                note=NOTES.get(count),
            )
            if count == 4:  # interrupted at the door, carried on that evening
                first = Visit(entry, start, pain, None, stop_after=5, status="interrupted")
                earlier = write_visit(store, first, doses)
                visit = Visit(
                    entry,
                    start + timedelta(hours=3),
                    pain,
                    max(0, pain - 1),
                    effort=5,
                    note="Carried on after work.",
                    resumed_from=earlier,
                    first_block=5,
                )
            elif count == 7:
                visit = Visit(
                    entry, start, pain, pain + 1, effort=7, stop_after=9, status="stopped", hurt=6,
                    note="Sharp pinch at the front of the right hip, so I stopped there.",
                )  # fmt: skip
            elif count == 10:
                visit = Visit(entry, start, pain, max(0, pain - 2), effort=5, skip=frozenset({3}))
            session_id = write_visit(store, visit, doses)
            if entry is low_back and visit.status == "completed":
                for proposal in proposals_after(store, entry):
                    if proposal.kind == "step_up":
                        detail = store.detail(session_id)
                        ended = detail.session.ended_at if detail else None
                        record, change = accept(
                            proposal, doses, (ended or start) + timedelta(minutes=2)
                        )
                        store.set_dose(record, change)
                        break
