"""Rows of the history file that cannot be read: every surface leaves them out, says how many,
and leaves them in the file exactly as they are."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from coach.cli import main
from coach.history.model import SetRecord
from coach.history.sqlite import FILE_NAME, HistoryStore
from coach.resume import find_offer
from coach.routine import RoutineEntry
from coach.routine_yaml import parse_routine

NOW = datetime.now(UTC).replace(microsecond=0)
START = NOW - timedelta(hours=5)
ROUTINE = """\
title: Bridges
exercises:
  - name: Bridge
    sets: 3
    reps: 5
"""


@pytest.fixture(autouse=True)
def utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("TZ", "UTC")
    monkeypatch.setenv("COLUMNS", "160")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def add_session(store: HistoryStore, title: str, start: datetime, status: str = "completed") -> int:
    session = store.start_session("bridges", title, start, planned_sets=3, pain_before=4)
    for n in (1, 2):
        store.record_set(session, SetRecord(0, "Bridge", n, start + timedelta(minutes=n), reps=5))
    store.finish_session(session, start + timedelta(minutes=10), status)
    return session


def dump(path: Path) -> list[str]:
    db = sqlite3.connect(path)
    try:
        return list(db.iterdump())
    finally:
        db.close()


@pytest.fixture
def history(data_dir: Path) -> Path:
    """Six sessions, three of which cannot be read, and one set that cannot be read in a
    session that can, written over the store's back as another program (or a newer coach)
    would: a start time `yesterday`, a status this coach does not know, text where a number
    belongs, NULL where a number belongs, and a column this coach does not know."""
    path = data_dir / FILE_NAME
    with HistoryStore.open(path) as store:
        ids = [
            add_session(store, title, START - timedelta(days=n), status)
            for n, (title, status) in enumerate(
                [
                    ("Good today", "completed"),
                    ("Written yesterday", "completed"),
                    ("Paused by a newer coach", "completed"),
                    ("Pain as a word", "interrupted"),
                    ("A set with no reps", "completed"),
                    ("Good, cut off", "interrupted"),
                ]
            )
        ]
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA ignore_check_constraints = ON")
    db.execute("UPDATE sessions SET started_at = 'yesterday' WHERE id = ?", (ids[1],))
    db.execute("UPDATE sessions SET status = 'paused' WHERE id = ?", (ids[2],))
    db.execute("UPDATE sessions SET pain_before = 'high' WHERE id = ?", (ids[3],))
    db.execute("ALTER TABLE sessions ADD COLUMN mood TEXT")  # a newer coach's column
    db.execute("UPDATE sessions SET mood = 'calm'")
    # A newer schema that lets a set have no reps: NULL where a number belongs.
    db.execute("PRAGMA writable_schema = ON")
    db.execute(
        "UPDATE sqlite_master SET sql = replace(sql, 'reps INTEGER NOT NULL', 'reps INTEGER')"
        " WHERE name = 'sets'"
    )
    db.close()
    db = sqlite3.connect(path, isolation_level=None)
    db.execute(
        "UPDATE sets SET reps = NULL WHERE id = (SELECT min(id) FROM sets WHERE session_id = ?)",
        (ids[4],),
    )
    db.close()
    return path


def test_the_store_leaves_out_and_counts_what_it_cannot_read(history: Path) -> None:
    before = dump(history)
    with HistoryStore.open(history) as store:
        assert (store.unreadable().sessions, store.unreadable().sets) == (3, 0)
        assert (store.unreadable(sets=True).sessions, store.unreadable(sets=True).sets) == (3, 1)
        assert store.unreadable(sets=True).words() == "3 sessions and 1 set could not be read"
        assert store.count() == 3
        listed = store.recent()
        assert [item.title for item in listed] == [
            "Good today",
            "A set with no reps",
            "Good, cut off",
        ]
        assert listed[1].done == pytest.approx(1 / 3)  # one of its two sets is left out
        for item in listed:
            assert store.detail(item.id) is not None
        assert store.detail(2) is None and store.detail(3) is None and store.detail(4) is None
        detail = store.detail(listed[1].id)
        assert detail is not None and [s.set_number for s in detail.sets] == [2]
        exported = store.export_rows()
        assert [row["title"] for row in exported] == [
            "Good, cut off",
            "A set with no reps",
            "Good today",
        ]
        # Days count every session whose day can be read: each of the six did a set.
        assert store.streak(NOW.date()) >= 1
        assert sum(store.calendar(NOW.date()).values()) == 6
        assert len(store.trend()) == 3
        store.mark_interrupted(NOW)
    assert dump(history) == before  # nothing deleted, nothing rewritten


def test_resume_offers_only_a_session_it_can_read(data_dir: Path) -> None:
    """The latest cut-off session has a day of `today`: the offer is the readable one before
    it, as if the unreadable one were not there."""
    entry = RoutineEntry("bridges", Path("bridges.yaml"), parse_routine(ROUTINE))
    path = data_dir / FILE_NAME
    with HistoryStore.open(path) as store:
        readable = store.start_session("bridges", "Bridges", NOW - timedelta(hours=3))
        store.record_set(readable, SetRecord(0, "Bridge", 1, NOW - timedelta(hours=3), reps=5))
        store.finish_session(readable, NOW - timedelta(hours=3), "interrupted")
        later = store.start_session("bridges", "Bridges", NOW - timedelta(hours=1))
        store.record_set(later, SetRecord(0, "Bridge", 2, NOW - timedelta(hours=1), reps=5))
        store.finish_session(later, NOW - timedelta(hours=1), "interrupted")
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("UPDATE sessions SET day = 'today' WHERE id = ?", (later,))
    db.close()
    with HistoryStore.open(path) as store:
        offer = find_offer(store, NOW, entry, lambda _: entry)
        assert offer is not None and offer.session.id == readable
        assert offer.last.set_number == 1


def test_coach_history_lists_what_it_can_and_says_how_many_it_cannot(
    history: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = dump(history)
    assert main(["history"]) == 0
    out, err = capsys.readouterr()
    assert "Good today" in out and "Good, cut off" in out and "A set with no reps" in out
    assert "yesterday" not in out and "paused" not in out
    assert err == f"coach: 3 sessions could not be read (left as they are in {history})\n"
    assert main(["history", "--all"]) == 0
    assert capsys.readouterr().err == err
    assert dump(history) == before


@pytest.mark.parametrize("kind", ["json", "csv"])
def test_an_export_holds_what_can_be_read_and_warns_on_stderr(
    history: Path, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    assert main(["history", "--export", kind]) == 0
    out, err = capsys.readouterr()
    if kind == "json":
        titles = [row["title"] for row in json.loads(out)]
    else:
        titles = list({row["title"] for row in csv.DictReader(io.StringIO(out))})
    assert sorted(titles) == ["A set with no reps", "Good today", "Good, cut off"]
    assert err == (
        "coach: 3 sessions and 1 set could not be read and are not in the export "
        f"(left as they are in {history})\n"
    )


def test_a_history_where_nothing_can_be_read_says_so(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = data_dir / FILE_NAME
    with HistoryStore.open(path) as store:
        add_session(store, "Only", START)
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("UPDATE sessions SET started_at = 'yesterday'")
    db.close()
    assert main(["history"]) == 0
    out, err = capsys.readouterr()
    assert out == "No session can be read.\n"
    assert err == f"coach: 1 session could not be read (left as they are in {path})\n"
