"""The next step after a session, for the front ends that ask it: what the rules propose,
read once the session is in history, put in words, and the person's answer kept.

Nothing changes without a yes: a yes (or other values typed in its place) keeps the new dose
and the change with its reason; a no keeps the dose as it is and the answer as a change, so it
is not asked again; no answer at all keeps nothing, and the proposal stays waiting.

`next_steps` and `answer` use the store, so they run where it may be used: a worker thread,
or plain narration's thread. The words are plain functions of the proposals.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from coach.history.model import DOSE_FIELDS, SIDE_FIELDS, Dose, DoseChange, Store
from coach.history_view import dose_words
from coach.programme import Proposal, accept, check_dose, decline, exercise_keys, propose
from coach.programme_io import in_list, session_facts
from coach.routine import Routine, RoutineEntry

SAVE_WAIT = 2.0
"""Seconds to wait, at most, for a session's check-in to reach history before reading it."""

Answer = Literal["yes", "no", "edit"]

HOW_TO_EDIT = "Type the values, as reps 12 or reps=12 hold=5"


@dataclass(frozen=True)
class NextSteps:
    """What the rules say after one session, ready to show: the questions (each would change
    a dose), lines to tell once, and the routine's safety advice with a step back."""

    questions: tuple[Proposal, ...] = ()
    notes: tuple[str, ...] = ()
    safety: str = ""

    @property
    def empty(self) -> bool:
        return not (self.questions or self.notes or self.safety)


def file_entry(entry: RoutineEntry) -> RoutineEntry:
    """`entry` as its file has it now. The rules put the person's doses on the file's values
    themselves, so the routine is read again from its file (when it can be) in case the one
    given has them applied already."""
    from coach.catalog import read_routine_file

    if not entry.path.is_file():
        return entry
    found = read_routine_file(entry.path, entry.builtin)
    if found.routine is None:
        return entry
    return RoutineEntry(entry.id, entry.path, found.routine, entry.builtin)


def next_steps(
    store: Store, entry: RoutineEntry, session_id: int | None, data_dir: Path | None = None
) -> NextSteps:
    """What the rules say after session `session_id` of `entry`'s routine; nothing when that
    session is not the routine's latest finished one in history, or when the routine is not
    in the list of `data_dir` (a file run by its path keeps the file's dose, so there is no
    dose of the person's to change). Without `data_dir` the routine is taken as listed."""
    if data_dir is not None and not in_list(entry, data_dir):
        return NextSteps()
    facts = session_facts(store, entry.id)
    if not facts or (session_id is not None and facts[-1].id != session_id):
        return NextSteps()
    mine = file_entry(entry)
    proposals = propose(mine.routine, entry.id, store.doses(entry.id), facts)
    return steps_of(proposals, mine.routine)


def steps_of(proposals: Sequence[Proposal], routine: Routine) -> NextSteps:
    """The proposals as they are shown: those that would change a dose are questions; a stay
    of an exercise with an advance rule, a stay at the top of its rule, a step back with
    nothing left to lower and the reason for no proposal are lines, each said once; the stays
    of other exercises say nothing new."""
    advancing = {
        key for key, ex in zip(exercise_keys(routine), routine.exercises, strict=True) if ex.advance
    }
    questions: list[Proposal] = []
    notes: list[str] = []
    safety = ""
    for proposal in proposals:
        if proposal.kind == "step_back" and proposal.safety:
            safety = proposal.safety
        if proposal.changes:
            questions.append(proposal)
            continue
        line = _note(proposal, proposal.exercise in advancing)
        if line and line not in notes:
            notes.append(line)
    return NextSteps(tuple(questions), tuple(notes), safety)


def _note(proposal: Proposal, advancing: bool) -> str:
    name = label(proposal)
    if proposal.kind == "none":
        return "No proposal: " + proposal.reason.removesuffix(": no proposal")
    if proposal.kind == "stay" and proposal.then:
        return f"{name}: keep this dose. Next: {proposal.then}"
    if proposal.kind == "step_back":
        return f"{name}: {proposal.reason}"
    if proposal.kind == "stay" and advancing:
        return f"{name}: same dose next time ({proposal.reason})"
    return ""


def label(proposal: Proposal) -> str:
    """'Clamshell', or 'Clamshell (left)' for one side's own dose."""
    return proposal.exercise + (f" ({proposal.side})" if proposal.side else "")


def question_line(proposal: Proposal) -> str:
    """'Clamshell: Next time: 12 reps?'"""
    return f"{label(proposal)}: {proposal.question()}"


# ---------------------------------------------------------------------------- answers

_FIELD_NAMES = {
    "set": "sets",
    "sets": "sets",
    "rep": "reps",
    "reps": "reps",
    "hold": "hold",
    "holds": "hold",
    "rest": "rest",
    "relax": "relax",
}
_UNITS = {"s", "sec", "secs", "second", "seconds"}
_TOKEN = re.compile(r"\d+(?:\.\d+)?|[^\W\d_]+|\S")
_CHECK_MOMENT = datetime(2000, 1, 1, tzinfo=UTC)  # a check keeps nothing, so any moment will do


def parse_values(text: str) -> Dose:
    """The values typed in place of a proposal's: `reps 12`, `reps=12 hold=5`, `12 reps, 5 s
    hold`. ValueError, in one line, for anything else."""
    values: dict[str, float] = {}
    name: str | None = None
    number: str | None = None
    for token in _TOKEN.findall(text.lower()):
        if token in ("=", ",", ";", ":") or token in _UNITS:
            continue
        if token[0].isdigit():
            if number is not None:
                raise ValueError(f"which value is {number}? Write it as reps {number}")
            number = token
        elif token in _FIELD_NAMES:
            if name is not None:
                raise ValueError(f"give a number for {name}, as {name} 12")
            name = _FIELD_NAMES[token]
        else:
            raise ValueError(
                f"{token!r} is not a value of the dose: use sets, reps, hold, rest or relax"
            )
        if name is not None and number is not None:
            if name in values:
                raise ValueError(f"{name} is given twice")
            values[name] = _number(name, number)
            name = number = None
    if name is not None:
        raise ValueError(f"give a number for {name}, as {name} 12")
    if number is not None:
        raise ValueError(f"which value is {number}? Write it as reps {number}")
    if not values:
        raise ValueError("type the values, as reps 12 or reps=12 hold=5")
    return Dose(**values)  # type: ignore[arg-type]


def _number(name: str, text: str) -> float:
    if name in ("sets", "reps") and text.isdigit():
        return int(text)
    return float(text)


def values_text(proposal: Proposal) -> str:
    """The values a yes would keep, as they are typed: 'reps 12', 'sets 3 hold 7'."""
    names = [n for n in DOSE_FIELDS if getattr(proposal.next, n) != getattr(proposal.now, n)]
    return " ".join(f"{n} {getattr(proposal.next, n):g}" for n in names)


def checked_values(proposal: Proposal, text: str) -> Dose:
    """The values typed for `proposal`, checked as a yes with them would check them: within
    the routine format's limits, and only sets, reps and hold for one side. ValueError, in one
    line."""
    values = parse_values(text)
    check_dose(values, proposal.side)  # a value one side cannot have is not passed over
    accept(proposal, [], _CHECK_MOMENT, values)
    return values


def answer(
    store: Store, proposal: Proposal, said: Answer, at: datetime, values: Dose | None = None
) -> DoseChange:
    """Keep the person's answer: yes keeps the proposed dose, edit the values typed, no keeps
    the dose as it is; each with the change and its reason. HistoryError when it cannot be
    written; ValueError for values outside the limits."""
    doses = store.doses(proposal.routine_id)
    if said == "no":
        record, change = decline(proposal, doses, at)
    else:
        record, change = accept(proposal, doses, at, values if said == "edit" else None)
    store.set_dose(record, change)
    return change


def answered_line(proposal: Proposal, said: Answer | None, values: Dose | None = None) -> str:
    """What an answer did, in a line: 'Clamshell: 12 reps from next time.'"""
    name = label(proposal)
    if said is None:
        return f"{name}: left for later (no change now)."
    if said == "no":
        return f"{name}: the dose stays as it is."
    after = proposal.next if said == "yes" or values is None else proposal.now.merged(values)
    fields = SIDE_FIELDS if proposal.side else DOSE_FIELDS
    changed = [n for n in fields if getattr(after, n) != getattr(proposal.now, n)]
    if not changed:
        return f"{name}: the dose stays as it is."
    return f"{name}: {dose_words(after, changed)} from next time."
