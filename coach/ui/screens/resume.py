"""The offer to pick up a session that was cut off: "Resume …?" or start over."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid
from textual.screen import ModalScreen
from textual.widgets import Button, Label

from coach.clock import Clock
from coach.durations import ago
from coach.history_schema import SessionRecord, SetRecord, Store
from coach.plan import Plan, PlanTooLong, build_plan
from coach.plan_view import step_label
from coach.recorder import resume_index
from coach.routine import RoutineEntry


@dataclass(frozen=True)
class ResumeOffer:
    """An interrupted session, the routine it ran, and the step to start again from."""

    session: SessionRecord
    entry: RoutineEntry
    plan: Plan
    start_index: int
    last: SetRecord
    sets_done: int
    ago: timedelta


def find_resume_offer(
    store: Store, clock: Clock, data_dir: Path, routine: RoutineEntry | None
) -> ResumeOffer | None:
    """The session to offer, if one was cut off in the last 24 h (of `routine` if given) and
    its routine still has that set and something after it."""
    from coach.history import HistoryError

    now = clock.wall()
    try:
        record = store.resumable(routine.id if routine else None, now)
        detail = store.detail(record.id) if record is not None else None
    except HistoryError:
        return None
    if record is None or detail is None or not detail.sets:
        return None
    entry = routine if routine is not None else _find_routine(record.routine_id, data_dir)
    if entry is None:
        return None
    try:
        plan = build_plan(entry.routine, entry.id)
    except PlanTooLong:
        return None
    last = detail.sets[-1]
    start = resume_index(plan, last)
    if start is None:
        return None
    done = sum(1 for entry_set in detail.sets if not entry_set.skipped)
    stopped_at = record.ended_at or record.started_at
    return ResumeOffer(record, entry, plan, start, last, done, now - stopped_at)


def _find_routine(routine_id: str, data_dir: Path) -> RoutineEntry | None:
    from coach.catalog import cache_path, load_catalog

    for entry in load_catalog(data_dir, cache=cache_path(data_dir)).entries:
        if entry.id == routine_id:
            return entry
    return None


def _set_words(exercise: str, step_text: str) -> str:
    return f"{exercise}, {step_text.lower()}" if step_text else exercise


def offer_text(offer: ResumeOffer) -> Text:
    last = offer.last
    planned = offer.session.planned_sets
    done = f"{offer.sets_done} of {planned}" if planned else str(offer.sets_done)
    side = f", {last.side} side" if last.side else ""
    pick_up = next(
        (step for step in offer.plan.steps[offer.start_index :] if step.block is not None),
        offer.plan.steps[offer.start_index],
    )
    text = Text()
    text.append(f"Resume {offer.entry.routine.title}?\n\n", style="bold")
    text.append(
        f"It stopped {ago(offer.ago.total_seconds())} ago after {last.exercise}, "
        f"set {last.set_number}{side}; {done} sets were done.\n"
    )
    text.append(f"Resuming picks up at {_set_words(pick_up.exercise, step_label(pick_up))}.")
    return text


class ResumeScreen(ModalScreen[tuple[ResumeOffer, bool] | None]):
    """Dismisses with (offer, True) to resume, (offer, False) to start over or decline."""

    BINDINGS = [
        Binding("r", "answer(True)", "Resume"),
        Binding("s,n,escape", "answer(False)", "Start over"),
    ]

    def __init__(self, offer: ResumeOffer, home: bool = False) -> None:
        super().__init__()
        self.offer = offer
        self.home = home

    def compose(self) -> ComposeResult:
        no = "Not now (n)" if self.home else "Start over (s)"
        with Grid(id="resume"):
            yield Label(offer_text(self.offer), id="resume-question")
            yield Button("Resume (r)", variant="primary", id="resume-yes")
            yield Button(no, id="resume-no")

    def on_mount(self) -> None:
        self.query_one("#resume-yes", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.action_answer(event.button.id == "resume-yes")

    def action_answer(self, resume: bool) -> None:
        self.dismiss((self.offer, resume))
