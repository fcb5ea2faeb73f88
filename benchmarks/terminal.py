"""Programs in a pseudo-terminal of a fixed size, and what /proc says about them (Linux).

A reader thread drains the terminal all the time (a full pty would stall the program) and keeps
every chunk with the moment it arrived, so "when was the screen drawn" is answered from the
program's own output: the last byte it wrote before it went quiet.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import signal
import stat
import struct
import subprocess
import termios
import threading
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

COLUMNS, LINES = 80, 24
# CSI, OSC (ended by BEL or ST), charset picks and two-byte escapes: everything that is not text.
_ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[()][0-9A-Za-z]|\x1b[@-_]"
)
_CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def plain_text(raw: bytes) -> str:
    """The text a program wrote, without escape sequences (cursor moves, colours, modes)."""
    return _ESCAPES.sub("", raw.decode("utf-8", errors="replace"))


def terminal_env(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment for a program in the pty: this one, with a known terminal type.

    Bytecode may be written, so that after the warm-up run a program starts as it does from an
    install (pip compiles the modules it installs; a source checkout would compile them anew on
    every start if the environment forbids writing bytecode)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("TEXTUAL")}
    for name in ("NO_COLOR", "COLUMNS", "LINES", "PYTHONDONTWRITEBYTECODE"):
        env.pop(name, None)
    env.update(TERM="xterm-256color", COLORTERM="truecolor")
    env.update(extra or {})
    return env


def stand_in_player(folder: Path) -> Path:
    """A `gst-play-1.0` that answers `--version` and plays nothing; returns its folder."""
    folder.mkdir(parents=True, exist_ok=True)
    player = folder / "gst-play-1.0"
    player.write_text('#!/bin/sh\n[ "$1" = "--version" ] && echo "gst-play-1.0 1.22"\nexit 0\n')
    player.chmod(player.stat().st_mode | stat.S_IEXEC)
    return folder


def player_env(folder: Path) -> dict[str, str]:
    """PATH and backend so playsound3 finds the stand-in player first."""
    return {
        "PATH": f"{folder}{os.pathsep}{os.environ.get('PATH', '')}",
        "PLAYSOUND3_BACKEND": "gstreamer",
    }


class PtyProgram:
    """One program in its own pty (80×24) and session, with the pty as controlling terminal."""

    def __init__(self, argv: Sequence[str], env: Mapping[str, str], cwd: Path | None = None):
        self.argv = list(argv)
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", LINES, COLUMNS, 0, 0))
        self._master = master
        self._chunks: list[tuple[float, bytes]] = []
        self._lock = threading.Lock()
        self._arrived = threading.Condition(self._lock)
        self._closed = False
        self.started = time.perf_counter()
        self.process = subprocess.Popen(
            self.argv,
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=dict(env),
            cwd=cwd,
            start_new_session=True,
            preexec_fn=_take_terminal,
        )
        os.close(slave)
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    @property
    def pid(self) -> int:
        return self.process.pid

    def _read(self) -> None:
        while True:
            try:
                data = os.read(self._master, 65536)
            except OSError:
                data = b""
            moment = time.perf_counter()
            with self._arrived:
                if not data:
                    self._closed = True
                    self._arrived.notify_all()
                    return
                self._chunks.append((moment, data))
                self._arrived.notify_all()

    def output(self) -> bytes:
        with self._lock:
            return b"".join(data for _, data in self._chunks)

    def text(self) -> str:
        return plain_text(self.output())

    def wait_drawn(
        self, markers: Sequence[str], quiet: float = 0.3, timeout: float = 30.0
    ) -> float:
        """Seconds from start to the last byte written before the program went quiet for
        `quiet` seconds, once every marker has shown up in its text."""
        deadline = time.perf_counter() + timeout
        seen_at: int | None = None
        with self._arrived:
            while True:
                if seen_at is None:
                    text = plain_text(b"".join(data for _, data in self._chunks))
                    if all(marker in text for marker in markers):
                        seen_at = len(self._chunks)
                if seen_at is not None:
                    last = self._chunks[-1][0]
                    if time.perf_counter() - last >= quiet:
                        return last - self.started
                now = time.perf_counter()
                if now > deadline or self._closed:
                    missing = [m for m in markers if m not in self._text()]
                    why = "exited" if self._closed else f"did not finish in {timeout:.0f} s"
                    raise RuntimeError(
                        f"{self.argv[0]} {why}; missing {missing}; "
                        f"screen text: {self._text()[-400:]!r}"
                    )
                wait = quiet if seen_at is None else quiet - (now - self._chunks[-1][0])
                self._arrived.wait(max(0.01, min(wait, deadline - now)))

    def _text(self) -> str:
        """The text so far; call with the lock held."""
        return plain_text(b"".join(data for _, data in self._chunks))

    def wait_for(self, marker: str, timeout: float = 30.0) -> float:
        """Seconds from start until `marker` first shows up in the text."""
        deadline = time.perf_counter() + timeout
        with self._arrived:
            while marker not in self._text():
                if time.perf_counter() > deadline or self._closed:
                    raise RuntimeError(
                        f"{self.argv[0]}: {marker!r} never showed up; "
                        f"screen text: {self._text()[-400:]!r}"
                    )
                self._arrived.wait(0.05)
            return self._chunks[-1][0] - self.started

    def first_seen(self, marker: str) -> float | None:
        """Seconds from start to the chunk of output that first made `marker` appear in the
        text (None if it has not), for a program already waited on."""
        with self._lock:
            chunks = list(self._chunks)
        raw = b""
        for moment, data in chunks:
            raw += data
            if marker in plain_text(raw):
                return moment - self.started
        return None

    def send(self, keys: bytes) -> None:
        os.write(self._master, keys)

    def cpu_seconds(self) -> float:
        return cpu_seconds(self.pid)

    def peak_rss(self) -> int:
        return peak_rss(self.pid)

    def stop(self) -> None:
        """End the program (SIGTERM, then SIGKILL) and close the terminal."""
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.pid, signal.SIGTERM)
            try:
                self.process.wait(3)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.pid, signal.SIGKILL)
                self.process.wait()
        with contextlib.suppress(OSError):
            os.close(self._master)
        self._reader.join(1)

    def __enter__(self) -> PtyProgram:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _take_terminal() -> None:
    """In the child, after setsid: make the pty (stdin) the controlling terminal."""
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


def cpu_seconds(pid: int) -> float:
    """CPU time of all the process's threads so far: nanoseconds from each thread's schedstat
    when the kernel has it, else utime + stime (whole clock ticks) from /proc/<pid>/stat."""
    total = 0
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            with contextlib.suppress(OSError):
                total += int((task / "schedstat").read_text().split()[0])
        if total:
            return total / 1e9
    except OSError:
        pass
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / _CLOCK_TICKS


def peak_rss(pid: int) -> int:
    """Peak resident set size (VmHWM) in bytes."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    raise RuntimeError(f"no VmHWM for process {pid}")
