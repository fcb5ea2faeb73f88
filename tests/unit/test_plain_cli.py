"""`coach run ROUTINE --plain` as a person, a pipe or cron runs it: the real command in a
child, on a routine of one-second steps, each with a time limit."""

from __future__ import annotations

import contextlib
import os
import select
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from coach.history.sqlite import FILE_NAME

LIMIT = 30  # seconds a child may take before the test fails instead of hanging

TINY = """\
title: Tiny
get_ready: 1
switch_sides: 1
exercises:
  - name: Clamshell
    reps: 1
    hold: 1
    sides: both
    side_is: lying_on
    tempo: {move: 0, release: 0}
"""
COUNTED = """\
title: Counted
get_ready: 0
exercises:
  - name: Squats
    reps: 2
    self_paced: true
    tempo: {move: 1, release: 0}
"""
WAITING = TINY.replace("get_ready: 1", "get_ready: 60")


def routine(tmp_path: Path, text: str, name: str = "tiny.yaml") -> str:
    path = tmp_path / name
    path.write_text(text)
    return str(path)


def coach(*args: str, **options: object) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(  # type: ignore[call-overload, no-any-return]
        [sys.executable, "-m", "coach", *args], capture_output=True, timeout=LIMIT, **options
    )


def sessions(data_dir: Path) -> list[tuple[str, str]]:
    with contextlib.closing(sqlite3.connect(data_dir / FILE_NAME)) as db:
        return db.execute("SELECT title, status FROM sessions ORDER BY id").fetchall()


def test_from_dev_null_it_runs_to_the_end_and_is_in_history(tmp_path: Path, data_dir: Path) -> None:
    out = coach("run", routine(tmp_path, TINY), "--plain", stdin=subprocess.DEVNULL)
    assert out.returncode == 0, out.stderr
    text = out.stdout.decode()
    assert b"\x1b" not in out.stdout
    assert "Clamshell · right leg works · hold 1 s\n" in text
    assert "Switch: now your left leg · lie on your right side · 1 s\n" in text
    assert "Well done: routine complete.\n" in text
    assert out.stderr.decode() == (
        "coach: input has closed; the session goes on by itself to the end\n"
    )
    listed = coach("history")
    assert listed.returncode == 0
    assert "Tiny" in listed.stdout.decode() and "completed" in listed.stdout.decode()


def test_q_from_a_pipe_stops_with_status_0(tmp_path: Path, data_dir: Path) -> None:
    out = coach("run", routine(tmp_path, WAITING), "--plain", input=b"\n\nq\n")
    assert out.returncode == 0, out.stderr
    assert out.stdout.decode().splitlines()[-3:] == [  # nothing done: no check-in
        "Session stopped.",
        "0 of 1 set done · 0 s (planned 1 min 3 s)",
        "Clamshell: sets 0/1 each side · reps 0/1 each side",
    ]
    assert sessions(data_dir) == [("Tiny", "stopped")]


def test_a_self_paced_routine_from_dev_null_counts_itself(tmp_path: Path, data_dir: Path) -> None:
    out = coach("run", routine(tmp_path, COUNTED), "--plain", stdin=subprocess.DEVNULL)
    assert out.returncode == 0, out.stderr
    assert "Squats: sets 1/1 · reps 2/2\n" in out.stdout.decode()
    assert sessions(data_dir) == [("Counted", "completed")]


class Child:
    """`coach run … --plain` with its input held open and its output read as it comes."""

    def __init__(self, *args: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "coach", "run", *args, "--plain"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        self.seen = b""

    def wait_for(self, text: str) -> None:
        assert self.process.stdout is not None
        end = time.monotonic() + LIMIT
        fd = self.process.stdout.fileno()
        while text.encode() not in self.seen:
            if time.monotonic() > end or self.process.poll() is not None:
                raise AssertionError(f"{text!r} never came; the output had {self.seen!r}")
            ready, _, _ = select.select([fd], [], [], 0.1)
            if ready:
                self.seen += os.read(fd, 65536)

    def type(self, text: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(text.encode())
        self.process.stdin.flush()

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            self.process.kill()
        self.process.wait(LIMIT)


@pytest.mark.skipif(os.name != "posix", reason="signals")
@pytest.mark.parametrize(
    ("name", "status"), [("SIGTERM", "stopped"), ("SIGINT", "stopped"), ("SIGHUP", "interrupted")]
)
def test_a_signal_saves_the_session_and_ends_with_128_and_its_number(
    tmp_path: Path, data_dir: Path, name: str, status: str
) -> None:
    child = Child(routine(tmp_path, WAITING))
    try:
        child.wait_for("Pain now")
        child.type("\n\n")
        child.wait_for("Get ready: Clamshell")
        number = getattr(signal, name)
        child.process.send_signal(number)
        assert child.process.wait(LIMIT) == 128 + number
    finally:
        child.kill()
    assert sessions(data_dir) == [("Tiny", status)]


@pytest.mark.skipif(os.name != "posix", reason="pipes")
def test_output_going_away_saves_the_session_and_ends_quietly(
    tmp_path: Path, data_dir: Path
) -> None:
    child = Child(routine(tmp_path, WAITING))
    try:
        child.wait_for("Pain now")
        child.type("\n\n")
        child.wait_for("Get ready: Clamshell")
        assert child.process.stdout is not None
        child.process.stdout.close()  # as `| head` does when it has its lines
        child.type("n\n")  # the next line has nowhere to go
        assert child.process.wait(LIMIT) == 0
        assert child.process.stderr is not None
        assert child.process.stderr.read() == b""
    finally:
        child.kill()
    assert sessions(data_dir) == [("Tiny", "stopped")]
