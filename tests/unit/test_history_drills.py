"""Drills with real processes: a coach killed at random moments, signals, two coaches at once."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import pytest

import coach
from coach.history.sqlite import HistoryStore

ROOT = Path(coach.__file__).resolve().parents[1]
ENV = {**os.environ, "PYTHONPATH": str(ROOT), "COACH_SOUND": "off"}
SETS_PER_SESSION = 5


@contextmanager
def child(mode: str, data_dir: Path) -> Iterator[subprocess.Popen[str]]:
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.session_child", mode, str(data_dir)],
        cwd=ROOT,
        env=ENV,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        yield process
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=30)
        assert process.stdout is not None and process.stderr is not None
        process.stdout.close()
        process.stderr.close()


def read_sets(process: subprocess.Popen[str], count: int) -> int:
    """Read until the child has said it committed `count` sets (or it ended); how many it said."""
    assert process.stdout is not None
    said = 0
    while said < count:
        line = process.stdout.readline()
        if not line.startswith("set "):
            break
        said = int(line.split()[1])
    return said


def sets_in(path: Path) -> int:
    with sqlite3.connect(path) as db:
        return int(db.execute("SELECT count(*) FROM sets").fetchone()[0])


def test_kill_9_at_random_moments_keeps_every_committed_set(data_dir: Path) -> None:
    path = data_dir / "history.db"
    rng = random.Random(20261121)
    total_said = 0
    for _ in range(12):
        with child("engine", data_dir) as process:
            said = read_sets(process, rng.randint(0, 3 * SETS_PER_SESSION))
            process.send_signal(signal.SIGKILL)
            process.wait(timeout=30)
        total_said += said
        with sqlite3.connect(path) as db:
            assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert sets_in(path) >= total_said  # nothing it said was committed is missing
    with HistoryStore.open(path) as store:
        gone = store.mark_interrupted(datetime.now().astimezone())
        statuses = {s.status for s in store.recent(limit=1000)}
        assert gone, "the killed coaches' sessions were running"
        assert "running" not in statuses
        assert "interrupted" in statuses


@pytest.mark.parametrize(
    ("name", "status", "code"),
    [("SIGTERM", "stopped", 128 + 15), ("SIGHUP", "interrupted", 128 + 1)],
)
def test_signals_end_a_running_app_session(
    data_dir: Path, name: str, status: str, code: int
) -> None:
    data_dir.mkdir(parents=True)
    with child("app", data_dir) as process:
        assert read_sets(process, 1) == 1
        process.send_signal(getattr(signal, name))
        out, err = process.communicate(timeout=30)
        assert "Traceback" not in err
        assert f"exit {code}" in out
    with HistoryStore.open(data_dir / "history.db") as store:
        (summary,) = store.recent()
        detail = store.detail(summary.id)
        assert detail is not None
        assert detail.session.status == status
        assert detail.session.ended_at is not None
        assert len(detail.sets) >= 1


def test_two_coaches_at_once_both_save_everything(data_dir: Path) -> None:
    with child("engine", data_dir) as first, child("engine", data_dir) as second:
        for process in (first, second):
            out, err = process.communicate(timeout=120)
            assert out.rstrip().endswith("done"), err
    path = data_dir / "history.db"
    # Opening adds any writes a coach had to keep aside while the other held the lock (under
    # load a session's last writes can outlast its wait at the end): kept, never lost.
    with HistoryStore.open(path) as store:
        assert store.count() == 40
        assert {s.status for s in store.recent(limit=100)} == {"completed"}
    assert sets_in(path) == 2 * 20 * SETS_PER_SESSION
