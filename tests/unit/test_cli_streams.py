"""Outputs that are not what the coach is used to: an encoding that cannot take UTF-8, and no
terminal at all. Each runs `coach` in a child with a time limit, as a person or cron would."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from coach.cli import main
from coach.history.model import SetRecord
from coach.history.sqlite import FILE_NAME, HistoryStore

TITLE = "Hips × knees – “gentle”"
NOTE = "Légère gêne… → better 😀"


def coach(
    *args: str, env: dict[str, str] | None = None, **options: object
) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(  # type: ignore[call-overload, no-any-return]
        [sys.executable, "-m", "coach", *args],
        capture_output=True,
        env={**os.environ, "COLUMNS": "100", **(env or {})},
        timeout=30,
        **options,
    )


def seed(data_dir: Path) -> None:
    start = datetime.now(UTC) - timedelta(days=1)
    with HistoryStore.open(data_dir / FILE_NAME) as store:
        session = store.start_session("low-back", TITLE, start, planned_sets=2, pain_before=6)
        store.record_set(session, SetRecord(0, "Clamshell ×2", 1, start, side="left", reps=10))
        store.finish_session(session, start + timedelta(minutes=9), pain_after=4, note=NOTE)


ASCII = {"PYTHONIOENCODING": "ascii"}

COMMANDS = [
    ("list",),
    ("plan", "low-back"),
    ("plan", "low-back", "--steps"),
    ("plan", "low-back", "--json"),
    ("schema",),
    ("history",),
    ("history", "--all"),
    ("--help",),
    ("history", "--help"),
    ("report", "-o", "-"),
    ("report", "--format", "text"),
    ("report", "--help"),
]


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_every_command_prints_what_it_can_on_an_ascii_output(
    data_dir: Path, args: tuple[str, ...]
) -> None:
    seed(data_dir)
    out = coach(*args, env=ASCII)
    assert out.returncode == 0, out.stderr.decode()
    assert out.stderr == b""
    assert out.stdout.isascii() and out.stdout.strip()


def test_plan_reads_right_and_keeps_its_columns_on_an_ascii_output() -> None:
    text = coach("plan", "low-back", env=ASCII).stdout.decode("ascii")
    assert "2 sets x 10 reps, each side . hold 2 s . rest 30 s" in text
    assert 'From the article "Is Hip Weakness Contributing to Your Back Pain?"' in text
    steps = [line for line in text.splitlines()[:12] if line[:4].strip().endswith(("0", "5"))]
    ends = {len(line) for line in steps if line.endswith((" s", " min"))}
    assert len(ends) == 1, steps  # the durations stay in one right-aligned column
    every = coach("plan", "low-back", "--steps", env=ASCII).stdout.decode("ascii")
    assert re.search(r"Set 1/2 \. (Left|Right) leg works", every)
    assert "?" not in every.replace("Back Pain?", "")


def test_history_on_an_ascii_output(data_dir: Path) -> None:
    seed(data_dir)
    table = coach("history", env=ASCII).stdout.decode("ascii")
    assert "Hips x knees - " in table and "6 > 4" in table
    # JSON stays the same data, in escapes any output can take.
    exported = coach("history", "--export", "json", env=ASCII)
    assert exported.stdout.isascii() and exported.stderr == b""
    (session,) = json.loads(exported.stdout)
    assert (session["title"], session["note"]) == (TITLE, NOTE)
    # CSV gets look-alikes, and one line saying how to have every character.
    rows = coach("history", "--export", "csv", env=ASCII)
    assert rows.returncode == 0
    (row,) = csv.DictReader(io.StringIO(rows.stdout.decode("ascii")))
    assert (row["title"], row["note"]) == ('Hips x knees - "gentle"', "Legere gene... -> better ?")
    assert rows.stderr.decode().startswith("coach: standard output cannot take every character")


def test_errors_and_usage_on_an_ascii_output(tmp_path: Path) -> None:
    unknown = coach("plan", "hips×knees", env=ASCII)
    assert unknown.returncode == 1
    assert unknown.stderr.startswith(b"coach: no routine named 'hipsxknees'")
    usage = coach("history", "--export", "xml×", env=ASCII)
    assert usage.returncode == 2 and b"invalid choice: 'xmlx'" in usage.stderr
    assert b"Traceback" not in usage.stderr
    bad = tmp_path / "Übung ×.yaml"
    bad.write_text("title: Übung – eins\nexercises:\n  - nam: X\n", encoding="utf-8")
    checked = coach("validate", str(bad), env=ASCII)
    assert checked.returncode == 1 and checked.stderr == b""
    assert checked.stdout.decode("ascii").startswith(f"{tmp_path}/Ubung x.yaml:3:5: unknown key")


def test_a_c_locale_and_a_utf8_output_are_left_as_they_were(data_dir: Path) -> None:
    seed(data_dir)
    utf8 = {"PYTHONIOENCODING": "utf-8"}
    plain = coach("plan", "low-back", env=utf8).stdout
    assert "2 sets × 10 reps".encode() in plain
    assert coach("plan", "low-back", env={"LC_ALL": "C"}).stdout == plain
    exported = coach("history", "--export", "json", env=utf8).stdout
    assert TITLE.encode() in exported and NOTE.encode() in exported  # not escaped, not replaced
    assert coach("history", "--export", "json", env={"LC_ALL": "C"}).stdout == exported


# ------------------------------------------------------------------ no terminal

FULL_SCREEN = [(), ("run", "low-back"), ("history", "--tui")]


@pytest.mark.parametrize("args", FULL_SCREEN, ids=lambda args: " ".join(("coach", *args)))
@pytest.mark.parametrize("stdin", ["devnull", "pipe"])
def test_the_full_screen_coach_without_a_terminal_stops_at_once(
    args: tuple[str, ...], stdin: str
) -> None:
    # Before, this never ended (and used a whole CPU): the time limit turns that into a failure.
    out = coach(*args, stdin=subprocess.DEVNULL if stdin == "devnull" else subprocess.PIPE)
    assert out.returncode == 2
    assert out.stdout == b""
    hint = (
        "coach run ROUTINE --plain narrates the session in plain lines without one"
        if args[:1] == ("run",)
        else "coach plan ROUTINE prints a routine without one"
    )
    assert out.stderr.decode() == (
        "coach: the full-screen coach needs a terminal; standard input, output and error are "
        f"not one ({hint})\n"
    )


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


class Pipe(io.StringIO):
    def isatty(self) -> bool:
        return False


@pytest.mark.parametrize(
    ("streams", "which"),
    [
        ((Pipe, Terminal, Terminal), "standard input is"),
        ((Terminal, Pipe, Terminal), "standard output is"),
        ((Terminal, Terminal, Pipe), "standard error is"),
        ((Pipe, Pipe, Terminal), "standard input and standard output are"),
    ],
)
def test_the_message_names_what_is_not_a_terminal(
    monkeypatch: pytest.MonkeyPatch, streams: tuple[type[io.StringIO], ...], which: str
) -> None:
    import coach.ui.app

    def no_app(**options: object) -> None:
        raise AssertionError("the app was built without a terminal")

    monkeypatch.setattr(coach.ui.app, "make_app", no_app)  # a regression fails, not hangs
    stdin, stdout, stderr = (kind() for kind in streams)
    monkeypatch.setattr(sys, "stdin", stdin)
    monkeypatch.setattr(sys, "stdout", stdout)
    monkeypatch.setattr(sys, "stderr", stderr)
    assert main(["run", "low-back"]) == 2
    assert stderr.getvalue().startswith(
        f"coach: the full-screen coach needs a terminal; {which} not"
    )
    assert stderr.getvalue().endswith(
        "(coach run ROUTINE --plain narrates the session in plain lines without one)\n"
    )
    assert stdout.getvalue() == ""


@pytest.mark.parametrize(
    "args",
    [*COMMANDS[:6], ("report", "-o", "-"), ("history", "--export", "csv"), ("today",)],
    ids=" ".join,
)
def test_a_full_disk_under_the_output_is_one_line_and_exit_1(
    data_dir: Path, args: tuple[str, ...]
) -> None:
    seed(data_dir)
    if not os.path.exists("/dev/full"):
        pytest.skip("this system has no /dev/full to fill")
    with open("/dev/full", "wb") as full:
        out = subprocess.run(
            [sys.executable, "-m", "coach", *args],
            stdout=full,
            stderr=subprocess.PIPE,
            env={**os.environ, "COLUMNS": "100"},
            timeout=30,
        )
    assert out.returncode == 1
    assert out.stderr == b"coach: cannot write to standard output: No space left on device\n"
