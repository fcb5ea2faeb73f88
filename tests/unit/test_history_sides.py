"""A history from before the working leg was kept: migrated, counted the plan's way, and
exported with the new columns."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from coach.history.export import export_json
from coach.history.schema import MIGRATIONS
from coach.history.sqlite import HistoryStore

START = "2026-03-01T08:00:00.000000+00:00"


def old_file(path: Path) -> None:
    """A schema 1 file: a completed session of 2 clamshell sets on each side and 1 bridge set,
    its `planned_sets` 5 as schema 1 counted them (a side of a set each); and a stopped one
    planned at 4 that saved only set 1's left side."""
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(path)
    MIGRATIONS[0](db)
    db.execute("PRAGMA user_version = 1")
    for session_id, planned, status in ((1, 5, "completed"), (2, 4, "stopped")):
        db.execute(
            "INSERT INTO sessions (id, routine_id, title, started_at, day, ended_at, status,"
            " planned_sets, owner_pid, owner_host) VALUES (?, 'low-back', 'Low back', ?,"
            " '2026-03-01', ?, ?, ?, 1, 'host')",
            (session_id, START, START, status, planned),
        )
    rows = [
        (1, 0, "Clamshell", 1, "left"),
        (1, 0, "Clamshell", 1, "right"),
        (1, 0, "Clamshell", 2, "left"),
        (1, 0, "Clamshell", 2, "right"),
        (1, 1, "Bridge", 1, None),
        (2, 0, "Clamshell", 1, "left"),
    ]
    db.executemany(
        "INSERT INTO sets (session_id, exercise_index, exercise, set_number, side, reps,"
        " recorded_at) VALUES (?, ?, ?, ?, ?, 10, ?)",
        [(*row, START) for row in rows],
    )
    db.commit()
    db.close()


def test_an_old_history_is_migrated_and_counted_as_the_plan_states_it(tmp_path: Path) -> None:
    path = tmp_path / "data" / "history.db"
    old_file(path)
    with HistoryStore.open(path) as store:
        by_id = {item.id: item for item in store.recent()}
        assert by_id[1].done == 1.0  # 3 of 3 sets
        assert by_id[2].done == 0.0  # set 1 of the clamshell was cut off before its right side
        detail = store.detail(1)
        assert detail is not None
        assert detail.session.planned_sets == 3  # 5 sides of sets made 3 sets
        assert {(s.side_is, s.working_side) for s in detail.sets} == {(None, None)}
        stopped = store.detail(2)
        assert stopped is not None and stopped.session.planned_sets == 4  # 1 side of 1 set: as is
        exported = json.loads(export_json(store))
    first = exported[0]
    assert (first["planned_sets"], first["sets_done"]) == (3, 3)
    assert [(s["side"], s["working_leg"]) for s in first["sets"][:2]] == [
        ("left", None),
        ("right", None),
    ]
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
