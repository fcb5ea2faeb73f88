"""`between`, the report's read of a period: the sessions of its days with their sets, each set
the same record the other reads make of it."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from coach.history.model import SetRecord
from coach.history.sqlite import HistoryStore

CET = timezone(timedelta(hours=1))
MONDAY = datetime(2026, 11, 2, 7, 30, tzinfo=CET)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[HistoryStore]:
    with HistoryStore.open(tmp_path / "history.db", host="this-host") as opened:
        yield opened


def session(store: HistoryStore, start: datetime, routine: str = "low-back") -> int:
    """A session with sets of every kind: on each side, in a direction, skipped, stopped with
    pain, and one done again after going back."""
    sid = store.start_session(routine, routine.title(), start, planned_sets=3, pain_before=3)
    at = start + timedelta(minutes=1)
    sets = [
        SetRecord(0, "Clamshell", 1, at, side="left", reps=12, holds=12, side_is="lying_on",
                  working_side="right", target_reps=12, target_hold=2.5),
        SetRecord(0, "Clamshell", 1, at, side="right", reps=0, skipped=True, side_is="lying_on",
                  working_side="left", target_reps=10, target_hold=2.5),
        SetRecord(1, "Monster walk", 1, at, side="left", direction="forward", reps=5,
                  side_is="leading", working_side="left", target_reps=5, target_hold=0),
        SetRecord(1, "Monster walk", 1, at, side="left", direction="backward", reps=3,
                  side_is="leading", working_side="left", target_reps=5, target_hold=0, hurt=6),
        SetRecord(0, "Clamshell", 1, at, side="left", reps=8, holds=8, side_is="lying_on",
                  working_side="right", target_reps=12, target_hold=2.5),  # done again
        SetRecord(2, "Bridge", 1, at, reps=10, holds=10),  # saved before doses were kept
    ]  # fmt: skip
    for n, entry in enumerate(sets):
        store.record_set(
            sid, SetRecord(**{**entry.__dict__, "recorded_at": at + timedelta(seconds=n)})
        )
    store.finish_session(sid, start + timedelta(minutes=20), pain_after=2, effort=5, note="ok")
    return sid


def test_each_set_is_the_record_every_other_read_makes(store: HistoryStore) -> None:
    sid = session(store, MONDAY)
    (found,) = store.between(MONDAY.date(), MONDAY.date())
    detail = store.detail(sid)
    assert detail is not None
    assert found == detail
    assert [(s.exercise, s.side, s.direction, s.skipped) for s in found.sets] == [
        ("Clamshell", "left", None, False),
        ("Clamshell", "right", None, True),
        ("Monster walk", "left", "forward", False),
        ("Monster walk", "left", "backward", False),
        ("Bridge", None, None, False),
    ]  # in the order saved, the skipped set in its place
    assert found.sets[0].reps == 12 and found.sets[3].hurt == 6
    assert found.sets[4].target_reps is None and found.sets[0].target_hold == 2.5


def test_the_days_and_routines_asked_for_oldest_first(store: HistoryStore) -> None:
    def day(n: int, hour: int = 7) -> datetime:
        return MONDAY.replace(hour=hour) + timedelta(days=n)

    before = session(store, day(-1))
    evening = session(store, day(0, 18), "pre-run")
    morning = session(store, day(0, 7))
    sunday = session(store, day(6), "pre-run")
    after = session(store, day(7))
    first, last = date(2026, 11, 2), date(2026, 11, 8)
    assert [d.session.id for d in store.between(first, last)] == [morning, evening, sunday]
    assert [d.session.id for d in store.between(first, last, ["pre-run"])] == [evening, sunday]
    assert store.between(first, last, []) == []
    assert {before, after}.isdisjoint(d.session.id for d in store.between(first, last))
    assert all(len(d.sets) == 5 for d in store.between(first, last))


def test_a_set_that_cannot_be_read_is_left_out_and_the_rest_kept(
    store: HistoryStore, tmp_path: Path
) -> None:
    sid = session(store, MONDAY)
    with sqlite3.connect(tmp_path / "history.db") as db:
        db.execute(
            "UPDATE sets SET recorded_at = 'yesterday' WHERE id ="
            " (SELECT min(id) FROM sets WHERE exercise = 'Monster walk')"
        )
    (found,) = store.between(MONDAY.date(), MONDAY.date())
    assert [s.exercise for s in found.sets] == ["Clamshell", "Clamshell", "Monster walk", "Bridge"]
    assert found == store.detail(sid)
