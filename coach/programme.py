"""Your programme: your own dose of each exercise, the next step your pain allows, and the
week. The one place front ends take it from; the parts are coach.doses (doses and steps),
coach.progression (the pain gate and its proposals) and coach.weekly (the week and `coach
today`). Here: what to keep when the person answers a proposal.

Pure: history comes in as records (coach.history.model), doses, proposals and the week go
out. No files, no database, no clock (dates come in as arguments), no Textual.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from coach.doses import (
    SIDES,
    Personal,
    dose_of,
    exercise_keys,
    personal,
    step_back,
    step_up,
)
from coach.history.model import (
    DOSE_FIELDS,
    DOSE_LIMITS,
    SIDE_FIELDS,
    Dose,
    DoseChange,
    DoseRecord,
    check_dose,
)
from coach.progression import (
    ACCEPTABLE_MAX,
    KIND_WORDS,
    RISE_LIMIT,
    SAFE_MAX,
    Kind,
    Proposal,
    SessionFacts,
    propose,
)
from coach.weekly import (
    DAILY,
    WEEKDAYS,
    DayPlan,
    LastPain,
    RoutineWeek,
    TodayView,
    WeekAdherence,
    WeekView,
    days_text,
    parse_days,
    today_view,
    week,
)

__all__ = [
    "ACCEPTABLE_MAX",
    "DAILY",
    "DOSE_LIMITS",
    "KIND_WORDS",
    "RISE_LIMIT",
    "SAFE_MAX",
    "SIDES",
    "SIDE_FIELDS",
    "WEEKDAYS",
    "DayPlan",
    "Kind",
    "LastPain",
    "Personal",
    "Proposal",
    "RoutineWeek",
    "SessionFacts",
    "TodayView",
    "WeekAdherence",
    "WeekView",
    "accept",
    "check_dose",
    "days_text",
    "decline",
    "dose_of",
    "exercise_keys",
    "parse_days",
    "personal",
    "propose",
    "step_back",
    "step_up",
    "today_view",
    "waiting",
    "week",
]


def accept(
    proposal: Proposal, doses: Sequence[DoseRecord], at: datetime, values: Dose | None = None
) -> tuple[DoseRecord, DoseChange]:
    """What to keep when the person says yes (or edits the values to `values`): their dose
    record with the changed values, and the change with its reason."""
    after = proposal.next if values is None else proposal.now.merged(values)
    changed = {
        name: getattr(after, name)
        for name in (SIDE_FIELDS if proposal.side else DOSE_FIELDS)
        if getattr(after, name) != getattr(proposal.now, name)
    }
    check_dose(Dose(**changed), proposal.side)
    record = _record_of(proposal, doses)
    kept = DoseRecord(
        record.routine_id, record.exercise, record.side, record.dose.merged(Dose(**changed))
    )
    words = KIND_WORDS[proposal.kind] if values is None else "edited"
    change = DoseChange(
        at, proposal.routine_id, proposal.exercise, proposal.side, proposal.now, after,
        f"{words}: {proposal.reason}",
    )  # fmt: skip
    return kept, change


def decline(
    proposal: Proposal, doses: Sequence[DoseRecord], at: datetime
) -> tuple[DoseRecord, DoseChange]:
    """What to keep when the person says no: their dose record as it is, and a change with
    the same values before and after, so the answer is kept (see `waiting`)."""
    change = DoseChange(
        at, proposal.routine_id, proposal.exercise, proposal.side, proposal.now, proposal.now,
        f"kept the dose, no to {KIND_WORDS[proposal.kind]}: {proposal.reason}",
    )  # fmt: skip
    return _record_of(proposal, doses), change


def _record_of(proposal: Proposal, doses: Sequence[DoseRecord]) -> DoseRecord:
    for record in doses:
        if (record.routine_id, record.exercise, record.side) == (
            proposal.routine_id,
            proposal.exercise,
            proposal.side,
        ):
            return record
    return DoseRecord(proposal.routine_id, proposal.exercise, proposal.side, Dose())


def waiting(
    proposals: Iterable[Proposal], changes: Sequence[DoseChange], since: datetime
) -> list[Proposal]:
    """The proposals still waiting for an answer: those that would change a dose, with no
    change of that exercise (and side) kept at or after `since`, the end of the session they
    come from (timezone-aware). A no is kept as a change too (see `decline`)."""
    answered = {(c.routine_id, c.exercise, c.side) for c in changes if c.at >= since}
    return [
        p for p in proposals if p.changes and (p.routine_id, p.exercise, p.side) not in answered
    ]
