"""A history file another program has locked: the session never waits on it, the sets done
meanwhile are written when the lock clears, or kept in the journal for the next start."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from coach.history.journal import journal_path
from coach.history.model import FixedHistory
from coach.history.sqlite import FILE_NAME, HistoryStore, open_store
from coach.history.writer import LOCKED_NOTE
from coach.routine import RoutineEntry
from coach.routine_yaml import parse_routine
from coach.runner import SessionRunner, Update
from coach.sound import NullBeeper
from coach.testing import FakeClock

WAIT = 10.0  # seconds a test waits, at most, for the writer's thread once the lock is gone
ROUTINE = """\
title: Locked out
get_ready: 2
exercises:
  - name: Bridge
    sets: 2
    reps: 2
    hold: 1
    sides: both
    rest: 2
    tempo: {move: 1, release: 1}
"""
SETS = 4  # two sets, each side


@pytest.fixture
def path(data_dir: Path) -> Path:
    path = data_dir / FILE_NAME
    HistoryStore.open(path).close()  # made, and in WAL mode, as a coach leaves it
    return path


@pytest.fixture
def lock(path: Path) -> Iterator[sqlite3.Connection]:
    """Another program holding the file's write lock (until the test lets it go)."""
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    yield other
    if other.in_transaction:
        other.execute("ROLLBACK")
    other.close()


def runner_on(store: HistoryStore) -> tuple[SessionRunner, FakeClock, list[Update]]:
    entry = RoutineEntry("locked", Path("locked.yaml"), parse_routine(ROUTINE))
    clock = FakeClock()
    runner = SessionRunner(entry, clock=clock, beeper=NullBeeper(), history=FixedHistory(store))
    updates: list[Update] = []
    runner.subscribe(updates.append)
    return runner, clock, updates


def run_out(runner: SessionRunner, clock: FakeClock) -> None:
    while not runner.finished:
        clock.advance(0.5)
        runner.tick()


def sets_in(path: Path) -> list[tuple[int, str, int]]:
    db = sqlite3.connect(path)
    try:
        return db.execute("SELECT set_number, side, reps FROM sets ORDER BY id").fetchall()
    finally:
        db.close()


def test_sets_done_while_the_file_is_locked_are_written_when_it_clears(
    path: Path, lock: sqlite3.Connection
) -> None:
    store, reason = open_store(path.parent)  # as the app opens it: the lock does not stop it
    assert reason is None and isinstance(store, HistoryStore)
    runner, clock, updates = runner_on(store)
    runner.begin()
    run_out(runner, clock)
    recorder = runner.recorder
    assert recorder is not None
    # Every command returned while the file was locked, with the writes still waiting: the
    # start, each set and the end are all pending, none made and none lost.
    assert runner.result is not None and runner.result.completed
    assert recorder.pending == 1 + SETS + 1 and recorder.session_id is None
    assert recorder.problem is None and runner.history_saved
    assert not journal_path(path).exists()
    assert recorder.writer is not None and recorder.writer.wait_for_lock(WAIT)
    assert recorder.pending == 1 + SETS + 1  # it found the file locked, and keeps them all

    lock.execute("ROLLBACK")
    assert recorder.flush(WAIT)
    assert sets_in(path) == [(1, "left", 2), (1, "right", 2), (2, "left", 2), (2, "right", 2)]
    with HistoryStore.open(path) as reader:
        (summary,) = reader.recent()
        assert (summary.status, summary.done) == ("completed", 1.0)
    told = [notice.text for update in updates for notice in update.notices]
    told.append(recorder.take_note() or "")  # the runner ended before it could take it
    assert [text for text in told if "locked" in text] == [LOCKED_NOTE]  # once
    store.close()


def test_the_locked_file_is_told_once_at_the_next_update(
    path: Path, lock: sqlite3.Connection
) -> None:
    store, _ = open_store(path.parent)
    assert isinstance(store, HistoryStore)
    runner, clock, updates = runner_on(store)
    runner.begin()
    recorder = runner.recorder
    assert recorder is not None
    assert recorder.writer is not None and recorder.writer.wait_for_lock(WAIT)
    clock.advance(0.5)
    runner.tick()
    notices = [notice for update in updates for notice in update.notices]
    assert [(n.text, n.severity) for n in notices] == [(LOCKED_NOTE, "information")]
    assert LOCKED_NOTE == (
        "The history file is locked by another program; the sets you do are kept and "
        "saved when it is free."
    )
    run_out(runner, clock)
    notices = [notice for update in updates for notice in update.notices]
    assert len(notices) == 1
    lock.execute("ROLLBACK")
    assert recorder.flush(WAIT)
    store.close()


def test_the_session_never_waits_even_on_a_long_busy_timeout(
    path: Path, lock: sqlite3.Connection
) -> None:
    """A store whose every write would wait 5 s on the lock: the runner's commands still
    return at once, with their writes handed over (if a command had waited for its write,
    the write would have failed, and nothing would be pending)."""
    store = HistoryStore.open(path, busy_timeout=5.0)
    runner, clock, _ = runner_on(store)
    runner.begin()
    clock.advance(2 + 6 + 0.1)
    runner.tick()  # the first set ends here
    recorder = runner.recorder
    assert recorder is not None and recorder.pending == 2 and recorder.problem is None
    lock.execute("ROLLBACK")
    assert recorder.flush(WAIT)
    assert sets_in(path) == [(1, "left", 2)]
    store.close()


def test_with_the_lock_never_cleared_the_sets_go_to_the_journal_and_the_next_start_adds_them(
    path: Path, lock: sqlite3.Connection
) -> None:
    store, _ = open_store(path.parent)
    assert isinstance(store, HistoryStore)
    runner, clock, _ = runner_on(store)
    runner.begin(pain_before=3)
    run_out(runner, clock)
    recorder = runner.recorder
    assert recorder is not None
    recorder.check_in(pain_after=1, effort=6, note="stiff")
    assert recorder.close(0.2) == 1 + SETS + 1 + 1  # start, sets, end, check-in
    journal = journal_path(path)
    assert journal.is_file() and stat.S_IMODE(journal.stat().st_mode) == 0o600
    store.close()
    lock.execute("ROLLBACK")

    with HistoryStore.open(path) as reopened:
        assert reopened.journal_note == (
            "Added 4 sets of 1 session that could not be saved while the history file was "
            "locked (from history.journal.jsonl)."
        )
        (summary,) = reopened.recent()
        detail = reopened.detail(summary.id)
    assert not journal.exists()
    assert detail is not None
    session = detail.session
    assert (session.status, session.pain_before, session.pain_after, session.note) == (
        "completed",
        3,
        1,
        "stiff",
    )
    assert len(detail.sets) == SETS
    with HistoryStore.open(path) as again:  # told once: nothing is left to add
        assert again.journal_note is None and again.count() == 1


def test_a_journal_added_twice_adds_nothing_twice(path: Path, lock: sqlite3.Connection) -> None:
    """A coach killed between adding the journal and removing it leaves it to be added again:
    the session, its sets and its end are found, not repeated."""
    store, _ = open_store(path.parent)
    assert isinstance(store, HistoryStore)
    runner, clock, _ = runner_on(store)
    runner.begin()
    run_out(runner, clock)
    assert runner.recorder is not None and runner.recorder.close(0.1) == 1 + SETS + 1
    store.close()
    lock.execute("ROLLBACK")
    journal = journal_path(path)
    kept = journal.read_bytes()
    HistoryStore.open(path).close()
    journal.write_bytes(kept)
    with HistoryStore.open(path) as reopened:
        assert reopened.count() == 1
        (summary,) = reopened.recent()
        detail = reopened.detail(summary.id)
        assert detail is not None and len(detail.sets) == SETS
    assert sets_in(path) == [(1, "left", 2), (1, "right", 2), (2, "left", 2), (2, "right", 2)]


def test_a_session_begun_before_the_lock_gets_its_journal_sets(path: Path) -> None:
    store, _ = open_store(path.parent)
    assert isinstance(store, HistoryStore)
    runner, clock, _ = runner_on(store)
    runner.begin()
    recorder = runner.recorder
    assert recorder is not None and recorder.flush(WAIT)
    first = recorder.session_id
    assert first is not None
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        run_out(runner, clock)
        assert recorder.close(0.1) == SETS + 1
    finally:
        other.execute("ROLLBACK")
        other.close()
    store.close()
    with HistoryStore.open(path) as reopened:
        assert reopened.count() == 1
        detail = reopened.detail(first)
        assert detail is not None and detail.session.status == "completed"
        assert len(detail.sets) == SETS


def test_a_signal_while_locked_keeps_the_session_in_the_journal(
    path: Path, lock: sqlite3.Connection, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("coach.runner.CLOSE_WAIT", 0.05)
    store, _ = open_store(path.parent)
    assert isinstance(store, HistoryStore)
    runner, clock, _ = runner_on(store)
    runner.begin()
    clock.advance(2 + 6 + 0.1)
    runner.tick()
    runner.end_for_signal("interrupted")
    assert journal_path(path).is_file()
    store.close()
    lock.execute("ROLLBACK")
    with HistoryStore.open(path) as reopened:
        (summary,) = reopened.recent()
        assert summary.status == "interrupted"
        detail = reopened.detail(summary.id)
        assert detail is not None and len(detail.sets) == 1


def test_a_journal_line_cut_short_is_left_out_and_the_rest_added(path: Path) -> None:
    with HistoryStore.open(path) as store:
        session = store.start_session("locked", "Locked out", FakeClock().wall())
    journal = journal_path(path)
    entry = {
        "v": 1,
        "key": "k",
        "session": session,
        "op": "set",
        "exercise_index": 0,
        "exercise": "Bridge",
        "set_number": 1,
        "recorded_at": "2026-03-02T08:01:00+00:00",
        "side": "left",
        "direction": None,
        "reps": 2,
        "holds": 2,
        "skipped": False,
    }
    line = json.dumps(entry) + "\n"
    journal.write_text(line + line[:40])
    with HistoryStore.open(path) as store:
        detail = store.detail(session)
        assert detail is not None and [(s.side, s.reps) for s in detail.sets] == [("left", 2)]
        assert store.journal_note is not None
    assert not journal.exists()


@pytest.mark.skipif(os.name != "posix", reason="file modes")
def test_the_journal_is_only_the_owners_to_read(path: Path, lock: sqlite3.Connection) -> None:
    store, _ = open_store(path.parent)
    assert isinstance(store, HistoryStore)
    runner, _, _ = runner_on(store)
    old = os.umask(0)
    try:
        runner.begin()
        assert runner.recorder is not None and runner.recorder.close(0.05) == 1
    finally:
        os.umask(old)
    assert stat.S_IMODE(journal_path(path).stat().st_mode) == 0o600
    store.close()


def test_a_coach_opening_a_new_file_as_another_switches_it_to_wal_finds_it_done() -> None:
    import sqlite3

    from coach.history.sqlite import _use_wal

    class Racing:
        """A connection that sees rollback mode, is refused the switch (the other coach
        holds the file), then sees WAL."""

        def __init__(self) -> None:
            self.modes = iter(["delete", "wal"])
            self.switches = 0

        def execute(self, sql: str) -> Racing:
            if sql == "PRAGMA journal_mode = WAL":
                self.switches += 1
                raise sqlite3.OperationalError("database is locked")
            self.mode = next(self.modes)
            return self

        def fetchone(self) -> tuple[str]:
            return (self.mode,)

    racing = Racing()
    _use_wal(racing)  # type: ignore[arg-type]
    assert racing.switches == 1
