"""Bounded exits: the real coach in a pseudo-terminal, under load, ended by a signal.

Closing the terminal (SIGHUP, with the terminal already gone), SIGTERM and SIGINT each save the
session and end the process, and leave no coach and no player behind. The drills wait with a
generous limit only so that a regression fails instead of hanging; the time it takes is
printed, and the app ends itself within EXIT_SECONDS whatever the terminal does.
"""

from __future__ import annotations

import contextlib
import os
import select
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.ui.conftest import SHORT

pytestmark = pytest.mark.skipif(os.name != "posix", reason="pseudo-terminals and signals")

HANGING_PLAYER = """#!/bin/sh
case "$1" in --version|-version) exit 0 ;; esac
echo $$ >> "{pids}"
exec {sleep} 600
"""


class Terminal:
    """A coach on a pseudo-terminal whose output is read as it comes."""

    def __init__(self, args: list[str], env: dict[str, str]) -> None:
        master, slave = os.openpty()
        os.set_blocking(master, False)
        self.master: int | None = master
        env = {**env, "TERM": "xterm-256color", "COLUMNS": "80", "LINES": "24"}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "coach", *args],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
        )
        os.close(slave)
        self.seen = b""

    def wait_for(self, text: str, limit: float = 30) -> None:
        end = time.monotonic() + limit
        while text.encode() not in self.seen:
            assert self.master is not None
            if time.monotonic() > end or self.process.poll() is not None:
                raise AssertionError(f"{text!r} never showed; the screen had {self.seen[-400:]!r}")
            ready, _, _ = select.select([self.master], [], [], 0.1)
            if ready:
                with contextlib.suppress(BlockingIOError, OSError):
                    self.seen += os.read(self.master, 65536)

    def drain(self, limit: float) -> None:
        """Read what comes for up to `limit` seconds."""
        assert self.master is not None
        ready, _, _ = select.select([self.master], [], [], limit)
        if ready:
            with contextlib.suppress(BlockingIOError, OSError):
                self.seen += os.read(self.master, 65536)

    def type(self, keys: str) -> None:
        assert self.master is not None
        os.write(self.master, keys.encode())

    def begin(self) -> None:
        """Enter on the briefing, again if the app was not listening yet, until the session's
        clock shows."""
        for _ in range(10):
            self.type("\r")
            try:
                self.wait_for(" done · ", limit=3)
                return
            except AssertionError:
                continue
        raise AssertionError("the session never began")

    def hang_up(self) -> None:
        """The terminal goes away."""
        if self.master is not None:
            os.close(self.master)
            self.master = None

    def close(self) -> None:
        self.hang_up()
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)


@pytest.fixture
def load() -> Iterator[None]:
    """Every core busy, as on a machine doing something else."""
    hogs = [
        subprocess.Popen([sys.executable, "-c", "while True: pass"])
        for _ in range(os.cpu_count() or 2)
    ]
    try:
        yield
    finally:
        for hog in hogs:
            hog.kill()
            hog.wait(timeout=10)


@pytest.fixture
def coach_env(tmp_path: Path) -> tuple[dict[str, str], Path, Path]:
    data = tmp_path / "data"
    data.mkdir()
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    pids = tmp_path / "player-pids"
    player = bin_dir / "gst-play-1.0"
    player.write_text(HANGING_PLAYER.format(pids=pids, sleep=shutil.which("sleep") or "/bin/sleep"))
    player.chmod(0o755)
    env = {
        **os.environ,
        "COACH_DATA_DIR": str(data),
        "COACH_SOUND": "on",
        "PATH": str(bin_dir),  # the stand-in is the only player there is
    }
    (tmp_path / "short.yaml").write_text(SHORT)
    return env, data, pids


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat")
    return not (stat.exists() and stat.read_text().rpartition(")")[2].split()[:1] == ["Z"])


@pytest.mark.parametrize(
    ("name", "gone", "status", "code"),
    [
        ("SIGHUP", True, "interrupted", 128 + 1),
        ("SIGTERM", False, "stopped", 128 + 15),
        ("SIGINT", False, "stopped", 128 + 2),
    ],
)
def test_a_signal_saves_the_session_and_ends_everything(
    coach_env: tuple[dict[str, str], Path, Path],
    tmp_path: Path,
    load: None,
    name: str,
    gone: bool,
    status: str,
    code: int,
) -> None:
    env, data, pids = coach_env
    terminal = Terminal(["run", str(tmp_path / "short.yaml")], env)
    try:
        terminal.wait_for("Press Enter to begin")
        terminal.begin()
        deadline = time.monotonic() + 30
        while not (pids.exists() and pids.read_text().strip()):  # a cue is sounding
            assert time.monotonic() < deadline, "no cue was played"
            terminal.drain(0.1)
        if gone:
            terminal.hang_up()
        sent = time.monotonic()
        terminal.process.send_signal(getattr(signal, name))
        returned = terminal.process.wait(timeout=30)
        took = time.monotonic() - sent
    finally:
        terminal.close()
    print(f"{name}: ended in {took:.2f} s")
    assert returned == code
    with sqlite3.connect(data / "history.db") as db:
        (found,) = db.execute("SELECT status FROM sessions").fetchall()
    assert found == (status,)
    players = [int(line) for line in pids.read_text().split()]
    assert not [pid for pid in players if alive(pid)], "a player outlived the coach"


def test_ctrl_z_pauses_the_session_before_suspending(
    coach_env: tuple[dict[str, str], Path, Path], tmp_path: Path
) -> None:
    env, _, _ = coach_env
    terminal = Terminal(["run", str(tmp_path / "short.yaml"), "--mute"], env)
    try:
        terminal.wait_for("Press Enter to begin")
        terminal.begin()
        terminal.type("\x1a")  # Ctrl+Z
        stat = Path(f"/proc/{terminal.process.pid}/stat")
        deadline = time.monotonic() + 30
        while stat.read_text().rpartition(")")[2].split()[0] != "T":
            assert time.monotonic() < deadline, "the coach was not suspended"
            terminal.drain(0.1)
        os.kill(terminal.process.pid, signal.SIGCONT)  # `fg`
        terminal.wait_for("Press space to carry on")
    finally:
        terminal.close()
