"""The programme read from history: a person's routine as they do it, what their sessions say,
and the proposals after one. Every front end (the full screen, plain narration, the commands)
takes these from here; the rules themselves are pure (coach.programme).

These read the store, so they run where the store may be read: a worker thread, plain
narration's thread, or a printing command.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from coach.history.model import DoseRecord, HistoryError, Store
from coach.plan import Plan, PlanTooLong, build_plan
from coach.programme import Proposal, SessionFacts, personal, propose
from coach.routine import RoutineEntry

FACTS_LIMIT = 60
"""How many of the latest sessions the rules and the week look at (they need the last two of a
routine and twelve weeks at most)."""


def personal_entry(
    entry: RoutineEntry, doses: Sequence[DoseRecord]
) -> tuple[RoutineEntry, Plan, list[DoseRecord]]:
    """`entry` as this person does it: their doses applied, the plan built with each side's own
    dose, and the doses that no longer fit an exercise of the file (kept, never applied)."""
    own = personal(entry.routine, entry.id, [d for d in doses if d.routine_id == entry.id])
    mine = replace(entry, routine=own.routine)
    return mine, build_plan(own.routine, entry.id, own.side_doses), own.unused


def session_facts(
    store: Store, routine_id: str | None = None, limit: int = FACTS_LIMIT
) -> list[SessionFacts]:
    """The latest finished sessions (of one routine, when given), oldest first, with their
    sets."""
    facts = []
    for summary in store.recent(limit=limit):
        if routine_id is not None and summary.routine_id != routine_id:
            continue
        if summary.status == "running":
            continue
        detail = store.detail(summary.id)
        if detail is not None:
            facts.append(SessionFacts.of(detail))
    facts.sort(key=lambda f: (f.day, f.id))
    return facts


def proposals_after(store: Store, entry: RoutineEntry) -> list[Proposal]:
    """What the rules say after the latest session of `entry`'s routine."""
    return propose(entry.routine, entry.id, store.doses(entry.id), session_facts(store, entry.id))


def in_list(entry: RoutineEntry, data_dir: Path) -> bool:
    """Doses and plans are kept for the routines in the list: the built-in ones and the files
    in the data folder's routines/ (a file elsewhere, run by its path, has the file's dose)."""
    return entry.builtin or entry.path.parent == data_dir / "routines"


def personal_plan(
    entry: RoutineEntry, doses: Sequence[DoseRecord], data_dir: Path
) -> tuple[RoutineEntry, Plan]:
    """The routine as the person does it (their dose, when it is in their list) and its plan;
    the file's when their dose would make it too long."""
    try:
        mine, plan, _ = personal_entry(entry, doses if in_list(entry, data_dir) else [])
    except PlanTooLong:
        mine, plan, _ = personal_entry(entry, [])
    return mine, plan


def doses_of(store: Store) -> list[DoseRecord]:
    """The person's own doses; none when history cannot give them (it says why elsewhere)."""
    try:
        return store.doses()
    except HistoryError:
        return []
