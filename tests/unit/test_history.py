"""The history store: schema and migrations, writes as they happen, queries, exports, faults."""

from __future__ import annotations

import csv
import errno
import io
import json
import os
import re
import signal
import sqlite3
import stat
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import coach
from coach.history.export import CSV_COLUMNS, export_csv, export_json
from coach.history.model import HistoryError, SessionRecord, SetRecord, Store
from coach.history.owners import pid_alive
from coach.history.schema import MIGRATIONS
from coach.history.sqlite import FILE_NAME, HistoryStore, MemoryStore, open_store
from coach.resume import offered_since
from coach.testing import sample_sessions, unwritable

CET = timezone(timedelta(hours=1))
T0 = datetime(2024, 3, 6, 9, 0, tzinfo=CET)  # a Wednesday
TODAY = T0.date()
HOST = "this-host"
ENV = {**os.environ, "PYTHONPATH": str(Path(coach.__file__).resolve().parents[1])}


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "history.db"


@pytest.fixture
def store(path: Path) -> Iterator[HistoryStore]:
    with HistoryStore.open(path, host=HOST) as opened:
        yield opened


@pytest.fixture(scope="module")
def dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def a_set(n: int, at: datetime, *, skipped: bool = False, exercise_index: int = 0) -> SetRecord:
    return SetRecord(exercise_index, "bridge", n, at, reps=0 if skipped else 10, skipped=skipped)


def session_on(store: Store, start: datetime, *, sets: int = 1, skipped: int = 0) -> int:
    """A finished session with `sets` done and `skipped` skipped sets, 20 minutes long."""
    session = store.start_session("low-back", "Low back", start, planned_sets=sets + skipped)
    for n in range(sets + skipped):
        store.record_set(session, a_set(n + 1, start + timedelta(minutes=n), skipped=n >= sets))
    store.finish_session(session, start + timedelta(minutes=20))
    return session


# -- the core stays plain Python ---------------------------------------------------------------


def test_importing_history_loads_no_textual_and_opens_nothing(tmp_path: Path) -> None:
    code = "import sys, coach.history; assert 'textual' not in sys.modules; print('ok')"
    child = subprocess.Popen(
        [sys.executable, "-c", code], env=ENV, cwd=tmp_path, text=True, stdout=subprocess.PIPE
    )
    assert child.communicate()[0] == "ok\n"
    assert child.returncode == 0
    assert list(tmp_path.iterdir()) == []


# -- the file -----------------------------------------------------------------------------------


def test_new_file_is_private_wal_and_at_the_latest_schema(store: HistoryStore, path: Path) -> None:
    session_on(store, T0)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(Path(f"{path}-wal").stat().st_mode) == 0o600
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS) == 3
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store._db.execute("PRAGMA busy_timeout").fetchone()[0] == 5000
    indexes = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='index'")}
    assert "sessions_by_start" in indexes


def test_hand_built_version_0_file_is_migrated(path: Path) -> None:
    path.parent.mkdir()
    db = sqlite3.connect(path)  # an empty database, as an early coach left it
    db.execute("CREATE TABLE scratch (x)")
    db.execute("DROP TABLE scratch")
    db.commit()
    db.close()
    assert path.stat().st_size > 0
    with HistoryStore.open(path) as store:
        session_on(store, T0)
        assert store.count() == 1
    assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)


def test_appended_migration_upgrades_an_older_file_and_keeps_its_sessions(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with HistoryStore.open(path) as old:
        session = session_on(old, T0, sets=2)

    def add_equipment(db: sqlite3.Connection) -> None:
        db.execute("ALTER TABLE sessions ADD COLUMN equipment TEXT")

    monkeypatch.setattr("coach.history.sqlite.MIGRATIONS", [*MIGRATIONS, add_equipment])
    with HistoryStore.open(path) as store:
        detail = store.detail(session)
    assert detail is not None and len(detail.sets) == 2
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS) + 1
    assert "equipment" in {row[1] for row in db.execute("PRAGMA table_info(sessions)")}


def test_failed_migration_changes_nothing(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with HistoryStore.open(path) as old:
        session_on(old, T0)

    def broken(db: sqlite3.Connection) -> None:
        db.execute("CREATE TABLE half_done (x)")
        db.execute("ALTER TABLE no_such_table ADD COLUMN y")

    monkeypatch.setattr("coach.history.sqlite.MIGRATIONS", [*MIGRATIONS, broken])
    with pytest.raises(HistoryError, match="history is not saved"):
        HistoryStore.open(path)
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    assert db.execute("SELECT count(*) FROM sqlite_master WHERE name='half_done'").fetchone() == (
        0,
    )


def test_file_from_a_newer_coach_is_refused_and_left_untouched(path: Path) -> None:
    with HistoryStore.open(path):
        pass
    db = sqlite3.connect(path)
    db.execute("PRAGMA user_version = 7")
    db.close()
    before = path.read_bytes()
    with pytest.raises(HistoryError) as caught:
        HistoryStore.open(path)
    assert str(caught.value) == (
        f"history is not saved: {path} was made by a newer coach (schema 7, this one knows 3);"
        " left untouched"
    )
    assert path.read_bytes() == before


def test_someone_elses_database_is_refused_and_left_untouched(path: Path) -> None:
    path.parent.mkdir()
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE notes (text)")
    db.commit()
    db.close()
    before = path.read_bytes()
    with pytest.raises(HistoryError, match="is not a coach history"):
        HistoryStore.open(path)
    assert path.read_bytes() == before


def test_garbage_file_raises_and_its_bytes_are_unchanged(path: Path) -> None:
    path.parent.mkdir()
    garbage = bytes(range(256)) * 64
    path.write_bytes(garbage)
    with pytest.raises(HistoryError) as caught:
        HistoryStore.open(path)
    assert str(caught.value) == (
        f"history is not saved: {path} is not a SQLite database (left untouched)"
    )
    assert path.read_bytes() == garbage
    assert sorted(p.name for p in path.parent.iterdir()) == ["history.db"]


def test_damaged_database_raises_and_its_bytes_are_unchanged(path: Path) -> None:
    with HistoryStore.open(path) as store:
        store.import_sessions(sample_sessions(300, T0))
    data = bytearray(path.read_bytes())
    page = 4096
    data[3 * page : 6 * page] = b"\xa5" * (3 * page)  # a few pages in the middle, not the header
    path.write_bytes(bytes(data))
    with pytest.raises(HistoryError, match=r"is damaged \(left untouched\)"):
        HistoryStore.open(path)
    assert path.read_bytes() == bytes(data)


def test_data_dir_under_a_regular_file_raises_and_open_store_falls_back(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x")
    with pytest.raises(HistoryError) as caught:
        HistoryStore.open(blocker / "data" / "history.db")
    assert str(caught.value).startswith(f"history is not saved: cannot write {blocker}")
    store, reason = open_store(blocker / "data")
    assert isinstance(store, MemoryStore) and store.path is None
    assert reason is not None and str(blocker) in reason and "\n" not in reason
    session_on(store, T0, sets=2)
    assert [row.done for row in store.recent()] == [1.0]


def test_open_store_gives_the_file_store_and_no_reason(tmp_path: Path) -> None:
    store, reason = open_store(tmp_path / "data")
    assert reason is None
    assert store.path == tmp_path / "data" / "history.db"
    store.close()


@pytest.mark.parametrize("error", [errno.EACCES, errno.EROFS], ids=["EACCES", "EROFS"])
def test_a_data_dir_that_cannot_be_written_raises_and_the_session_runs_in_memory(
    tmp_path: Path, error: int
) -> None:
    """No history file yet, and none can be made (the folder's mode, or a read-only
    filesystem). `unwritable` refuses as the kernel does, for root too."""
    folder = tmp_path / "data"
    folder.mkdir(mode=0o500)
    try:
        with unwritable(folder, error):
            with pytest.raises(HistoryError, match=re.escape(f"cannot write {folder / FILE_NAME}")):
                HistoryStore.open(folder / FILE_NAME)
            store, reason = open_store(folder)
        assert isinstance(store, MemoryStore) and reason is not None
        assert reason.startswith(f"cannot write {folder / FILE_NAME}")
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(0o700)


@pytest.mark.parametrize("error", [errno.EACCES, errno.EROFS], ids=["EACCES", "EROFS"])
def test_a_read_only_file_opens_read_only_reads_and_is_left_as_it_was(
    path: Path, error: int
) -> None:
    """The file's mode (or the filesystem) refuses writing: it opens through a read-only
    SQLite URI, which refuses every write for root too; every read works."""
    with HistoryStore.open(path) as store:
        session = session_on(store, T0, sets=2)
    path.chmod(0o400)
    before = path.read_bytes()
    try:
        with unwritable(path.parent, error):
            with HistoryStore.open(path) as store:
                assert store.read_only
                assert [row.done for row in store.recent()] == [1.0]
                detail = store.detail(session)
                assert detail is not None and len(detail.sets) == 2
                assert store.count() == 1 and len(store.export_rows()) == 1
                assert store.mark_interrupted(T0 + timedelta(days=1)) == []
                with pytest.raises(HistoryError) as caught:
                    store.start_session("low-back", "Low back", T0)
                assert str(caught.value) == f"could not start the session: {path} is read-only"
            opened, reason = open_store(path.parent)
            assert opened.read_only and reason == f"{path} is read-only"
            opened.close()
    finally:
        path.chmod(0o600)
    assert path.read_bytes() == before


def test_a_locked_database_opens_and_reads_but_does_not_write(path: Path) -> None:
    """Another program's write lock (the file in WAL mode, as a coach leaves it) does not keep
    the history from opening: reads go on, writes fail as locked, to be tried again."""
    with HistoryStore.open(path) as store:
        session_on(store, T0, sets=2)
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        with HistoryStore.open(path, busy_timeout=0.02) as store:
            assert [row.done for row in store.recent()] == [1.0]
            assert store.mark_interrupted(T0 + timedelta(days=1)) == []  # later, not now
            with pytest.raises(HistoryError) as caught:
                store.start_session("low-back", "Low back", T0)
            assert caught.value.locked
            assert str(caught.value) == (
                f"could not start the session: {path} is locked by another program"
            )
    finally:
        other.execute("ROLLBACK")


def test_a_database_another_program_locked_for_reading_too_raises_on_open(path: Path) -> None:
    with HistoryStore.open(path):
        pass
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("PRAGMA journal_mode = delete")  # no WAL: its exclusive lock stops readers
    other.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(HistoryError) as caught:
            HistoryStore.open(path, busy_timeout=0.02)
        assert str(caught.value) == f"history is not saved: {path} is locked by another program"
    finally:
        other.execute("ROLLBACK")
    HistoryStore.open(path, busy_timeout=0.02).close()


def test_write_while_locked_raises_and_the_store_recovers(path: Path) -> None:
    store = HistoryStore.open(path, busy_timeout=0.02)
    session = store.start_session("low-back", "Low back", T0)
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    with pytest.raises(HistoryError) as caught:
        store.record_set(session, a_set(1, T0))
    assert str(caught.value) == f"could not save the set: {path} is locked by another program"
    other.execute("ROLLBACK")
    store.record_set(session, a_set(1, T0))
    detail = store.detail(session)
    assert detail is not None and len(detail.sets) == 1
    store.close()


# -- writing as it happens ----------------------------------------------------------------------


def test_every_field_round_trips(store: HistoryStore, path: Path) -> None:
    late = datetime(2024, 3, 6, 0, 30, tzinfo=timezone(timedelta(hours=2)))  # 5 March in UTC
    session = store.start_session("hips", "Hips – gentle", late, planned_sets=3, pain_before=6)
    sets = [
        SetRecord(0, "clamshell", 1, late + timedelta(seconds=61.25), side="left", reps=12),
        SetRecord(
            0,
            "clamshell",
            1,
            late + timedelta(minutes=2),
            side="right",
            reps=11,
            target_reps=12,
            target_hold=0.0,
            hurt=6,
        ),
        SetRecord(
            1,
            "pelvic tilt",
            1,
            late + timedelta(minutes=4),
            direction="forward",
            holds=5,
            target_reps=5,
            target_hold=7.5,
        ),
        SetRecord(2, "plank", 1, late + timedelta(minutes=5), skipped=True),
    ]
    for entry in sets:
        store.record_set(session, entry)
    end = late + timedelta(minutes=9)
    store.finish_session(session, end, "stopped", pain_after=3, effort=7, note="knee, «ok»")
    store.close()

    with HistoryStore.open(path) as reopened:
        detail = reopened.detail(session)
    assert detail is not None
    assert detail.sets == tuple(sets)
    assert detail.session == SessionRecord(
        id=session,
        routine_id="hips",
        title="Hips – gentle",
        started_at=late,
        day=date(2024, 3, 6),
        ended_at=end,
        status="stopped",
        pain_before=6,
        pain_after=3,
        effort=7,
        note="knee, «ok»",
        planned_sets=3,
        pid=os.getpid(),
        host=HOST,
        exercise_index=2,
        set_number=1,
        resumed_from=None,
        dismissed=False,
    )
    assert detail.session.started_at.utcoffset() == timedelta(0)
    assert detail.session.minutes == 9.0


def test_each_set_is_committed_before_the_session_ends(store: HistoryStore, path: Path) -> None:
    session = store.start_session("low-back", "Low back", T0)
    store.record_set(session, a_set(1, T0 + timedelta(minutes=1), exercise_index=3))
    seen = sqlite3.connect(path).execute(
        "SELECT status, exercise_index, set_number, (SELECT count(*) FROM sets) FROM sessions"
    )
    assert seen.fetchall() == [("running", 3, 1, 1)]


@pytest.mark.parametrize("memory", [False, True], ids=["file", "memory"])
def test_a_set_saved_again_keeps_one_row_with_the_best_of_its_tries(
    store: HistoryStore, memory: bool
) -> None:
    db: Store = MemoryStore() if memory else store
    session = db.start_session("low-back", "Low back", T0, planned_sets=3)
    for side in ("left", "right"):
        db.record_set(session, SetRecord(0, "clamshell", 1, T0, side=side, reps=10, holds=10))
    again = [  # the left side gone back to: half done, then skipped; then not at all
        SetRecord(0, "clamshell", 1, T0, side="left", reps=4, holds=4, skipped=True),
        SetRecord(0, "clamshell", 1, T0, side="left", reps=0, holds=0, skipped=True),
    ]
    for entry in again:
        db.record_set(session, entry)
    db.record_set(session, SetRecord(1, "bridge", 1, T0, reps=0, skipped=True))
    db.record_set(session, SetRecord(1, "bridge", 1, T0, reps=5))
    detail = db.detail(session)
    assert detail is not None
    assert [(s.exercise, s.side, s.reps, s.holds, s.skipped) for s in detail.sets] == [
        ("clamshell", "left", 10, 10, False),
        ("clamshell", "right", 10, 10, False),
        ("bridge", None, 5, 0, False),
    ]


def test_wrong_values_are_refused(store: HistoryStore) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        store.start_session("r", "R", datetime(2024, 3, 6, 9))
    with pytest.raises(ValueError, match="pain_before"):
        store.start_session("r", "R", T0, pain_before=11)
    session = store.start_session("r", "R", T0)
    with pytest.raises(ValueError, match="side"):
        store.record_set(session, SetRecord(0, "x", 1, T0, side="both"))
    with pytest.raises(ValueError, match="hurt is from 0 to 10, not 11"):
        store.record_set(session, SetRecord(0, "x", 1, T0, hurt=11))
    with pytest.raises(ValueError, match="ends"):
        store.finish_session(session, T0, "running")
    with pytest.raises(ValueError, match="effort"):
        store.finish_session(session, T0, effort=-1)
    assert store.count() == 1


# -- two coaches at once ------------------------------------------------------------------------


def test_two_stores_on_one_file_interleave_writes(path: Path) -> None:
    with HistoryStore.open(path) as first, HistoryStore.open(path) as second:
        a = first.start_session("hips", "Hips", T0)
        b = second.start_session("low-back", "Low back", T0 + timedelta(seconds=1))
        for n in range(1, 4):
            first.record_set(a, a_set(n, T0 + timedelta(minutes=n)))
            second.record_set(b, a_set(n, T0 + timedelta(minutes=n)))
        first.finish_session(a, T0 + timedelta(minutes=5))
        second.finish_session(b, T0 + timedelta(minutes=6))
        for store in (first, second):
            assert store.count() == 2
            assert [(s.id, s.status) for s in store.recent()] == [
                (b, "completed"),
                (a, "completed"),
            ]
            assert [len(d.sets) for d in map(store.detail, (a, b)) if d] == [3, 3]


WRITER = """
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path
from coach.history.sqlite import HistoryStore
from coach.history.model import SetRecord
start = datetime(2024, 3, 6, 9, tzinfo=timezone.utc)
store = HistoryStore.open(Path(sys.argv[1]))
session = store.start_session("child", "Child", start)
print(session, flush=True)
sys.stdin.readline()
for n in range(200):
    store.record_set(session, SetRecord(0, "bridge", n + 1, start + timedelta(seconds=n)))
store.finish_session(session, start + timedelta(minutes=5))
"""


def test_a_second_process_writes_at_the_same_time(store: HistoryStore, path: Path) -> None:
    child = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path)],
        env=ENV,
        text=True,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
    )
    assert child.stdin is not None and child.stdout is not None
    theirs = int(child.stdout.readline())
    mine = store.start_session("parent", "Parent", T0)
    child.stdin.write("go\n")
    child.stdin.flush()
    for n in range(200):
        store.record_set(mine, a_set(n + 1, T0 + timedelta(seconds=n)))
    assert child.wait(timeout=60) == 0
    store.finish_session(mine, T0 + timedelta(minutes=5))
    details = [store.detail(session) for session in (mine, theirs)]
    assert [(d.session.status, len(d.sets)) for d in details if d] == [("completed", 200)] * 2


CRASHER = """
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path
from coach.history.sqlite import HistoryStore
from coach.history.model import SetRecord
start = datetime(2024, 3, 6, 9, tzinfo=timezone.utc)
store = HistoryStore.open(Path(sys.argv[1]))
session = store.start_session("child", "Child", start)
for n in range(2):
    store.record_set(session, SetRecord(0, "bridge", n + 1, start + timedelta(minutes=n + 1)))
print(session, flush=True)
sys.stdin.readline()
"""


@pytest.mark.skipif(os.name != "posix", reason="SIGKILL")
def test_a_killed_coach_keeps_its_sets_and_is_marked_interrupted(path: Path) -> None:
    child = subprocess.Popen(
        [sys.executable, "-c", CRASHER, str(path)],
        env=ENV,
        text=True,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
    )
    assert child.stdout is not None
    session = int(child.stdout.readline())
    os.kill(child.pid, signal.SIGKILL)
    assert child.wait(timeout=60) == -signal.SIGKILL
    with HistoryStore.open(path) as store:
        assert store.mark_interrupted(datetime(2024, 3, 6, 10, tzinfo=UTC)) == [session]
        detail = store.detail(session)
    assert detail is not None and [s.set_number for s in detail.sets] == [1, 2]
    assert detail.session.status == "interrupted"
    assert detail.session.ended_at == datetime(2024, 3, 6, 9, 2, tzinfo=UTC)


# -- interrupted sessions and resuming ----------------------------------------------------------


def test_pid_alive() -> None:
    assert pid_alive(os.getpid())
    assert not pid_alive(0)


def test_pid_of_a_finished_child_is_not_alive(dead_pid: int) -> None:
    assert not pid_alive(dead_pid)


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")
def test_a_killed_child_not_yet_reaped_is_not_alive() -> None:
    # alive until its stdin closes: it waits on input, not on the clock
    child = subprocess.Popen(
        [sys.executable, "-c", "import sys; sys.stdin.read()"], stdin=subprocess.PIPE
    )
    try:
        assert pid_alive(child.pid)
        child.kill()
        os.waitid(os.P_PID, child.pid, os.WEXITED | os.WNOWAIT)  # dead, left unreaped
        assert not pid_alive(child.pid)
    finally:
        assert child.stdin is not None
        child.stdin.close()
        child.wait()


def test_mark_interrupted_honours_live_owners(path: Path, dead_pid: int) -> None:
    now = T0 + timedelta(hours=1)
    mine = HistoryStore.open(path, host=HOST)
    live = mine.start_session("r", "Mine, running", T0)
    with HistoryStore.open(path, host=HOST, pid=dead_pid) as crashed:
        dead = crashed.start_session("r", "Crashed after a set", T0)
        crashed.record_set(dead, a_set(1, T0 + timedelta(minutes=3)))
        crashed.record_set(dead, a_set(2, T0 + timedelta(minutes=7)))
        bare = crashed.start_session("r", "Crashed before a set", T0 + timedelta(minutes=1))
        done = session_on(crashed, T0 - timedelta(hours=2))
    with HistoryStore.open(path, host="laptop", pid=dead_pid) as elsewhere:
        recent = elsewhere.start_session("r", "Other host, recent", T0)
        old = elsewhere.start_session("r", "Other host, old", now - timedelta(hours=12, seconds=1))

    assert mine.mark_interrupted(now) == [dead, bare, old]
    assert mine.mark_interrupted(now) == []
    sessions = {s.id: s for s in mine.recent()}
    assert {s.id for s in sessions.values() if s.status == "running"} == {live, recent}
    assert sessions[done].status == "completed"
    assert sessions[dead].ended_at == T0 + timedelta(minutes=7)
    assert sessions[bare].ended_at == T0 + timedelta(minutes=1)
    assert sessions[old].ended_at == now - timedelta(hours=12, seconds=1)
    mine.close()


def interrupted(store: Store, start: datetime, routine: str = "low-back", sets: int = 1) -> int:
    session = store.start_session(routine, routine.title(), start)
    for n in range(sets):
        store.record_set(session, a_set(n + 1, start + timedelta(minutes=n), exercise_index=2))
    store.finish_session(session, start + timedelta(minutes=sets), "interrupted")
    return session


def test_resumable_is_the_latest_interruption_of_the_last_24_hours(store: HistoryStore) -> None:
    now = T0 + timedelta(hours=24)
    too_old = interrupted(store, T0 - timedelta(seconds=1), routine="hips")
    assert store.resumable(None, offered_since(now)) is None
    recent = interrupted(store, T0 + timedelta(seconds=1))
    found = store.resumable(None, offered_since(now))
    assert found is not None and found.id == recent and too_old != recent
    assert (found.exercise_index, found.set_number) == (2, 1)
    assert store.resumable("low-back", offered_since(now)) == found
    assert store.resumable("hips", offered_since(now)) is None
    assert store.resumable("low-back", offered_since(now + timedelta(seconds=2))) is None


def test_dismissed_session_is_not_offered_again(store: HistoryStore) -> None:
    session = interrupted(store, T0)
    store.dismiss(session)
    assert store.resumable(None, offered_since(T0 + timedelta(hours=1))) is None
    detail = store.detail(session)
    assert detail is not None and detail.session.dismissed


def test_resuming_makes_a_new_session_and_the_old_one_is_no_longer_offered(
    store: HistoryStore,
) -> None:
    old = interrupted(store, T0)
    again = store.start_session("low-back", "Low back", T0 + timedelta(hours=2), resumed_from=old)
    assert again != old
    detail = store.detail(again)
    assert detail is not None and detail.session.resumed_from == old
    assert detail.session.status == "running"
    assert store.resumable(None, offered_since(T0 + timedelta(hours=3))) is None


def test_not_offered_without_a_set_or_after_a_later_session(store: HistoryStore) -> None:
    interrupted(store, T0, sets=0)
    assert store.resumable(None, offered_since(T0 + timedelta(hours=1))) is None
    interrupted(store, T0 + timedelta(minutes=30))
    session_on(store, T0 + timedelta(hours=1))
    assert store.resumable(None, offered_since(T0 + timedelta(hours=2))) is None


# -- what the history screen reads --------------------------------------------------------------


def days_ago(n: int, hour: int = 9) -> datetime:
    return T0.replace(hour=hour) - timedelta(days=n)


def test_streak_counts_consecutive_days_that_did_a_set(store: HistoryStore) -> None:
    assert store.streak(TODAY) == 0
    for n in (1, 2, 3, 5):
        session_on(store, days_ago(n))
    session_on(store, days_ago(4), sets=0, skipped=2)  # all skipped: the day does not count
    assert store.streak(TODAY) == 3  # nothing yet today: up to yesterday
    session_on(store, days_ago(0, hour=7))
    session_on(store, days_ago(0, hour=8))
    assert store.streak(TODAY) == 4
    assert store.streak(TODAY + timedelta(days=2)) == 0
    assert store.streak(TODAY - timedelta(days=2)) == 2


@settings(max_examples=40, deadline=None)
@given(st.sets(st.integers(min_value=0, max_value=40), max_size=25))
def test_streak_matches_counting_back_day_by_day(days_back: set[int]) -> None:
    store = MemoryStore(host=HOST)
    for n in days_back:
        session_on(store, days_ago(n))
    expected, day = 0, (0 if 0 in days_back else 1)
    while day in days_back:
        expected, day = expected + 1, day + 1
    assert store.streak(TODAY) == expected


def test_the_day_is_the_local_date_of_the_start(store: HistoryStore) -> None:
    session_on(store, datetime(2024, 3, 6, 0, 15, tzinfo=timezone(timedelta(hours=2))))
    session_on(store, datetime(2024, 3, 5, 23, 45, tzinfo=timezone(timedelta(hours=-5))))
    assert store.calendar(date(2024, 3, 6), weeks=1) == {
        date(2024, 3, 4): 0,
        date(2024, 3, 5): 1,
        date(2024, 3, 6): 1,
    }


def test_sessions_this_week_is_monday_to_sunday(store: HistoryStore) -> None:
    session_on(store, days_ago(3))  # Sunday, last week
    session_on(store, days_ago(2))  # Monday
    session_on(store, days_ago(1))
    session_on(store, days_ago(1, hour=18))
    session_on(store, days_ago(0), sets=0, skipped=1)
    assert store.sessions_this_week(TODAY) == 3
    assert store.sessions_this_week(TODAY - timedelta(days=3)) == 1


def test_calendar_has_every_day_of_the_weeks_shown(store: HistoryStore) -> None:
    session_on(store, days_ago(0))
    session_on(store, days_ago(0, hour=19))
    session_on(store, days_ago(79))  # the first Monday shown
    session_on(store, days_ago(80))  # the Sunday before: not shown
    shown = store.calendar(TODAY, weeks=12)
    assert min(shown) == date(2023, 12, 18) and min(shown).weekday() == 0
    assert max(shown) == TODAY and len(shown) == 11 * 7 + 3
    assert {day: n for day, n in shown.items() if n} == {TODAY: 2, date(2023, 12, 18): 1}


def test_trend_is_the_latest_ended_sessions_oldest_first(store: HistoryStore) -> None:
    for n, pain in ((3, 7), (2, 5), (1, 4)):
        session = store.start_session("r", "R", days_ago(n), pain_before=pain)
        store.finish_session(session, days_ago(n) + timedelta(minutes=n * 10), pain_after=pain - 2)
    store.start_session("r", "R", days_ago(0))  # still running: no point
    points = store.trend(limit=2)
    assert [(p.day, p.pain_before, p.pain_after, p.minutes) for p in points] == [
        (TODAY - timedelta(days=2), 5, 3, 20.0),
        (TODAY - timedelta(days=1), 4, 2, 10.0),
    ]


def test_recent_lists_newest_first_with_done_fractions(store: HistoryStore) -> None:
    planned = session_on(store, days_ago(3), sets=3, skipped=1)  # planned 4
    stopped = store.start_session("hips", "Hips", days_ago(2), planned_sets=6)
    for n in range(3):
        store.record_set(stopped, a_set(n + 1, days_ago(2)))
    store.finish_session(stopped, days_ago(2) + timedelta(minutes=6), "stopped")
    unplanned = store.start_session("hips", "Hips", days_ago(1))
    store.record_set(unplanned, a_set(1, days_ago(1)))
    store.record_set(unplanned, a_set(2, days_ago(1), skipped=True))
    empty = store.start_session("hips", "Hips", days_ago(0), pain_before=2)
    rows = store.recent()
    assert [(r.id, r.status, r.done, r.minutes) for r in rows] == [
        (empty, "running", None, None),
        (unplanned, "running", 0.5, None),
        (stopped, "stopped", 0.5, 6.0),
        (planned, "completed", 0.75, 20.0),
    ]
    assert rows[0].pain_before == 2 and rows[0].started_at == days_ago(0)
    assert [r.id for r in store.recent(limit=1, offset=1)] == [unplanned]
    assert store.count() == 4
    assert store.detail(999) is None


def test_sample_sessions_seed_many_at_once(store: HistoryStore) -> None:
    assert store.import_sessions(sample_sessions(500, T0, sets_each=8)) == 500
    assert store.count() == 500
    latest = store.recent(limit=1)[0]
    assert latest.started_at == T0 + timedelta(days=499)
    assert latest.done == 3 / 4  # 4 sets on both sides; set 2 of exercise 1 skipped its right
    assert store.streak((T0 + timedelta(days=499)).date()) == 500


# -- exports ------------------------------------------------------------------------------------


@pytest.fixture
def exported(store: HistoryStore) -> HistoryStore:
    session = store.start_session("low-back", "Low back", T0, planned_sets=2, pain_before=5)
    store.record_set(
        session,
        SetRecord(0, "side bridge", 1, T0, side="left", holds=3, target_reps=3, target_hold=10),
    )
    store.record_set(
        session, SetRecord(1, "tilt", 1, T0, direction="back", skipped=True, target_reps=8, hurt=7)
    )
    note = 'felt "tight", then\nbetter; =SUM(A1)'
    store.finish_session(session, T0 + timedelta(minutes=12), pain_after=2, effort=6, note=note)
    store.start_session("hips", "Hanches", T0 + timedelta(hours=1))
    return store


def test_export_json_parses_back(exported: HistoryStore) -> None:
    sessions = json.loads(export_json(exported))
    assert [s["routine"] for s in sessions] == ["low-back", "hips"]
    first = sessions[0]
    assert datetime.fromisoformat(first["started_at"]) == T0
    assert first["started_at"].endswith("+00:00")
    assert datetime.fromisoformat(first["ended_at"]) == T0 + timedelta(minutes=12)
    assert {k: first[k] for k in ("title", "status", "pain_before", "pain_after", "effort")} == {
        "title": "Low back",
        "status": "completed",
        "pain_before": 5,
        "pain_after": 2,
        "effort": 6,
    }
    assert first["note"] == 'felt "tight", then\nbetter; =SUM(A1)'
    assert [{k: s[k] for k in ("exercise", "set", "side", "direction", "reps", "holds", "skipped")}
            for s in first["sets"]] == [
        {"exercise": "side bridge", "set": 1, "side": "left", "direction": None, "reps": 0,
         "holds": 3, "skipped": False},
        {"exercise": "tilt", "set": 1, "side": None, "direction": "back", "reps": 0,
         "holds": 0, "skipped": True},
    ]  # fmt: skip
    assert [(s["target_reps"], s["target_hold"], s["hurt"]) for s in first["sets"]] == [
        (3, 10.0, None),
        (8, None, 7),
    ]
    assert sessions[1]["sets"] == [] and sessions[1]["ended_at"] is None
    assert json.loads(export_json(MemoryStore())) == []


def test_export_csv_is_one_row_per_set_and_parses_back(exported: HistoryStore) -> None:
    text = export_csv(exported)
    assert text.startswith(",".join(CSV_COLUMNS) + "\r\n")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert [(r["routine"], r["exercise"], r["side"], r["skipped"]) for r in rows] == [
        ("low-back", "side bridge", "left", "False"),
        ("low-back", "tilt", "", "True"),
        ("hips", "", "", ""),
    ]
    assert rows[0]["note"] == 'felt "tight", then\nbetter; =SUM(A1)'
    assert rows[0]["title"] == "Low back" and rows[2]["title"] == "Hanches"
    assert datetime.fromisoformat(rows[0]["started_at"]) == T0
    assert (rows[0]["holds"], rows[1]["direction"], rows[2]["ended_at"]) == ("3", "back", "")
    assert [(r["target_reps"], r["target_hold"], r["hurt"]) for r in rows] == [
        ("3", "10.0", ""),
        ("8", "", "7"),
        ("", "", ""),
    ]
