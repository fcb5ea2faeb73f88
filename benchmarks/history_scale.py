"""Figure 5: history with 10,000 sessions, against a history of 10 sessions.

- History screen: coach at Home in an 80×24 pseudo-terminal, then `h`; the time from the key
  to the last byte written before the screen went quiet, once it shows the session count.
- `coach history`: wall time of the whole command (the latest 20 sessions as a table).
- Set commit: `record_set` on the file store (one committed transaction each).
- The size of the history file (with its write-ahead log), after a checkpoint.
"""

from __future__ import annotations

import sqlite3
import subprocess
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

from report import Figure, Row, median, percentile
from startup import QUIET, coach_command, home_markers
from terminal import PtyProgram, player_env, stand_in_player, terminal_env

SESSIONS = 10_000
SMALL = 10
OPEN_GOAL_MS = 300.0
COMMIT_GOAL_MS = 5.0
H_KEY = b"h"


def fill(data: Path, sessions: int) -> float:
    """A history file with `sessions` made-up sessions, one a day up to today; seconds taken."""
    from coach.history.sqlite import FILE_NAME, HistoryStore
    from coach.testing import sample_sessions

    first = datetime.now().astimezone() - timedelta(days=sessions)
    started = time.perf_counter()
    with HistoryStore.open(data / FILE_NAME) as store:
        store.import_sessions(sample_sessions(sessions, first))
    return time.perf_counter() - started


def file_size(data: Path) -> int:
    from coach.history.sqlite import FILE_NAME

    path = data / FILE_NAME
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return sum(p.stat().st_size for p in data.glob(FILE_NAME + "*"))


def open_screen(data: Path, sessions: int, env: dict[str, str]) -> tuple[float, float]:
    """Home drawn (s from start), and `h` → history drawn (s)."""
    with PtyProgram(coach_command(), {**env, "COACH_DATA_DIR": str(data)}) as coach:
        home = coach.wait_drawn(home_markers(), quiet=QUIET)
        pressed = time.perf_counter()
        coach.send(H_KEY)
        drawn = coach.wait_drawn((f"{sessions:,} session", "Streak"), quiet=QUIET)
        return home, drawn + coach.started - pressed


def history_command(data: Path, env: dict[str, str]) -> float:
    started = time.perf_counter()
    done = subprocess.run(
        coach_command("history", "--data-dir", str(data)),
        env={**env, "COLUMNS": "80"},
        capture_output=True,
        check=False,
    )
    seconds = time.perf_counter() - started
    if done.returncode or b"Routine 0" not in done.stdout:
        raise RuntimeError(f"coach history failed: {done.stderr.decode()[-300:]}")
    return seconds


def commits(data: Path, count: int) -> list[float]:
    """Seconds per `record_set`, for `count` sets in a new session."""
    from coach.history.model import SetRecord
    from coach.history.sqlite import FILE_NAME, HistoryStore

    times = []
    now = datetime.now().astimezone()
    with HistoryStore.open(data / FILE_NAME) as store:
        session = store.start_session("benchmark", "Benchmark", now, planned_sets=count)
        for n in range(count):
            entry = SetRecord(n // 2, f"exercise {n // 2}", n % 2 + 1, now, side="left", reps=10)
            started = time.perf_counter()
            store.record_set(session, entry)
            times.append(time.perf_counter() - started)
        store.finish_session(session, now)
    return times


def history_figure(runs: int, sets: int) -> Figure:
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        env = terminal_env(player_env(stand_in_player(folder / "bin")))
        big, small = folder / "big", folder / "small"
        fill_seconds = fill(big, SESSIONS)
        fill(small, SMALL)
        size = file_size(big)
        series: dict[str, list[float]] = {
            key: [] for key in ("open", "open_small", "home", "home_small", "cli", "cli_small")
        }
        for n in range(runs + 1):  # run 0 warms up
            for data, count, suffix in ((big, SESSIONS, ""), (small, SMALL, "_small")):
                home, opened = open_screen(data, count, env)
                cli = history_command(data, env)
                if n:
                    series["home" + suffix].append(home * 1000)
                    series["open" + suffix].append(opened * 1000)
                    series["cli" + suffix].append(cli * 1000)
        commit_big = [t * 1000 for t in commits(big, sets)]
        commit_small = [t * 1000 for t in commits(small, sets)]
    rows = [
        Row(
            "history screen: h → drawn",
            median(series["open"]),
            "ms",
            reference=median(series["open_small"]),
            reference_name=f"{SMALL} sessions",
            goal=OPEN_GOAL_MS,
            goal_is_ratio=False,
            strict=True,
        ),
        Row(
            "`coach history` (whole command)",
            median(series["cli"]),
            "ms",
            reference=median(series["cli_small"]),
            reference_name=f"{SMALL} sessions",
            goal=OPEN_GOAL_MS,
            goal_is_ratio=False,
            strict=True,
        ),
        Row(
            "set commit, p99",
            percentile(commit_big, 0.99),
            "ms",
            reference=percentile(commit_small, 0.99),
            reference_name=f"{SMALL} sessions",
            goal=COMMIT_GOAL_MS,
            goal_is_ratio=False,
            strict=True,
            note=f"median {median(commit_big):.2f} ms, max {max(commit_big):.2f} ms "
            f"over {sets} commits",
        ),
        Row(
            "history file size",
            float(size),
            "B",
            note=f"{size / SESSIONS:.0f} bytes a session with 8 sets; "
            f"10,000 sessions imported in {fill_seconds:.2f} s",
        ),
        Row(
            "Home fully drawn, with this history",
            median(series["home"]),
            "ms",
            reference=median(series["home_small"]),
            reference_name=f"{SMALL} sessions",
        ),
    ]
    figure = Figure(
        5,
        f"History at scale ({SESSIONS:,} sessions)",
        rows,
        method=f"median of {runs} runs after one warm-up; screen timed in an 80×24 pty "
        f"from the key to the last output before {QUIET * 1000:.0f} ms of quiet",
        runs={**series, "commit_ms": commit_big, "commit_small_ms": commit_small},
    )
    figure.seconds = time.perf_counter() - started
    return figure
