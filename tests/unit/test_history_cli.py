"""`coach history`: the table, --all, the exports, and one-line errors for a bad history file."""

from __future__ import annotations

import csv
import io
import json
import os
import socket
import sqlite3
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from coach.cli import main
from coach.history.export import CSV_COLUMNS
from coach.history.model import SetRecord
from coach.history.sqlite import FILE_NAME, HistoryStore
from coach.history_view import pain_text, when
from coach.testing import sample_sessions, unwritable

START = datetime.now(UTC).replace(microsecond=0) - timedelta(days=2)
NOTE = "Légère gêne à gauche"


@pytest.fixture(autouse=True)
def utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Local time is UTC, so dates print the same on every machine."""
    monkeypatch.setenv("TZ", "UTC")
    monkeypatch.setenv("COLUMNS", "120")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def coach(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "coach", *args], capture_output=True, text=True, env=os.environ
    )


def seed(data_dir: Path) -> None:
    """Two sessions: a finished one of 2 clamshell sets on each side (set 1 done on both
    sides, set 2's left side skipped and its right never reached) and a stopped one."""
    with HistoryStore.open(data_dir / FILE_NAME) as store:
        first = store.start_session(
            "low-back", "Hip strength for low back pain", START, planned_sets=2, pain_before=6
        )
        for n, (side, skipped) in enumerate((("left", False), ("right", False), ("left", True))):
            entry = SetRecord(
                0,
                "Clamshell",
                n // 2 + 1,
                START + timedelta(minutes=n + 1),
                side=side,
                reps=0 if skipped else 10,
                holds=0 if skipped else 10,
                skipped=skipped,
            )
            store.record_set(first, entry)
        store.finish_session(
            first, START + timedelta(minutes=20), pain_after=4, effort=6, note=NOTE
        )
        later = START + timedelta(days=1)
        second = store.start_session("pre-run", "Pre-run hip routine", later, planned_sets=2)
        store.record_set(second, SetRecord(0, "Monster walk", 1, later + timedelta(minutes=3)))
        store.finish_session(second, later + timedelta(minutes=4), "stopped")


def test_dates_read_like_a_calendar() -> None:
    now = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
    assert when(datetime(2026, 3, 2, 8, 0, tzinfo=UTC), now) == "Mon 2 Mar 08:00"
    assert when(datetime(2025, 12, 30, 19, 5, tzinfo=UTC), now) == "30 Dec 2025 19:05"
    assert pain_text(6, 4).strip() == "6 → 4"
    assert pain_text(None, 3).strip() == "– → 3"
    assert pain_text(None, None) == "–"


def test_no_history_says_so_and_creates_nothing(data_dir: Path) -> None:
    out = coach("history")
    assert (out.returncode, out.stdout, out.stderr) == (0, "No sessions yet.\n", "")
    assert coach("history", "--export", "json").stdout == "[]\n"
    header = coach("history", "--export", "csv").stdout
    assert header.strip() == ",".join(CSV_COLUMNS)
    assert not data_dir.exists()


def test_table_lists_the_latest_sessions(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seed(data_dir)
    assert main(["history"]) == 0
    out = capsys.readouterr().out
    first, second = (
        next(line for line in out.splitlines() if title in line)
        for title in ("Hip strength for low back pain", "Pre-run hip routine")
    )
    now = datetime.now(UTC)
    assert when(START, now) in first
    # 1 of 2 sets (each side): not 2 of 2 (three parts not skipped), not 3 of 4
    for cell in ("20", "50%", "6 → 4", "6", "completed"):
        assert f" {cell} " in first
    assert when(START + timedelta(days=1), now) in second
    for cell in ("4", "50%", "–", "stopped"):
        assert f" {cell} " in second
    assert out.index("Pre-run hip routine") < out.index("Hip strength")  # latest first
    assert "--all" not in out


def test_only_the_latest_twenty_unless_all(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with HistoryStore.open(data_dir / FILE_NAME) as store:
        store.import_sessions(sample_sessions(25, START - timedelta(days=30)))
    assert main(["history"]) == 0
    out = capsys.readouterr().out
    assert out.count("Routine ") == 20
    assert "The latest 20 of 25 sessions; coach history --all lists them all." in out
    assert main(["history", "--all"]) == 0
    out = capsys.readouterr().out
    assert out.count("Routine ") == 25 and "--all" not in out


def test_a_session_whose_coach_died_shows_as_interrupted(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    with HistoryStore.open(data_dir / FILE_NAME, pid=child.pid, host=socket.gethostname()) as gone:
        session = gone.start_session("low-back", "Cut short", START)
        gone.record_set(session, SetRecord(0, "Bridge", 1, START + timedelta(minutes=2)))
    assert main(["history"]) == 0
    line = next(line for line in capsys.readouterr().out.splitlines() if "Cut short" in line)
    assert "interrupted" in line


def test_export_json_has_every_session_with_its_sets(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seed(data_dir)
    assert main(["history", "--export", "json"]) == 0
    sessions = json.loads(capsys.readouterr().out)
    assert [s["routine"] for s in sessions] == ["low-back", "pre-run"]  # oldest first
    first = sessions[0]
    assert datetime.fromisoformat(first["started_at"]) == START
    assert datetime.fromisoformat(first["ended_at"]) == START + timedelta(minutes=20)
    assert {k: first[k] for k in ("status", "pain_before", "pain_after", "effort", "note")} == {
        "status": "completed",
        "pain_before": 6,
        "pain_after": 4,
        "effort": 6,
        "note": NOTE,
    }
    assert [
        {k: entry[k] for k in ("exercise", "set", "side", "reps", "skipped")}
        for entry in first["sets"]
    ] == [
        {"exercise": "Clamshell", "set": 1, "side": "left", "reps": 10, "skipped": False},
        {"exercise": "Clamshell", "set": 1, "side": "right", "reps": 10, "skipped": False},
        {"exercise": "Clamshell", "set": 2, "side": "left", "reps": 0, "skipped": True},
    ]
    second = sessions[1]
    assert (second["status"], second["pain_before"], second["effort"]) == ("stopped", None, None)
    assert [entry["exercise"] for entry in second["sets"]] == ["Monster walk"]


def test_export_csv_to_a_file_has_a_bom_and_a_row_per_set(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seed(data_dir)
    target = tmp_path / "out" / "history.csv"
    target.parent.mkdir()
    target.write_text("old contents")
    assert main(["history", "--export", "csv", "-o", str(target)]) == 0
    assert capsys.readouterr().out == ""
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert list(rows[0]) == list(CSV_COLUMNS)
    assert [(r["routine"], r["exercise"], r["skipped"]) for r in rows] == [
        ("low-back", "Clamshell", "False"),
        ("low-back", "Clamshell", "False"),
        ("low-back", "Clamshell", "True"),
        ("pre-run", "Monster walk", "False"),
    ]
    assert rows[0]["note"] == NOTE
    assert [p.name for p in target.parent.iterdir()] == ["history.csv"]  # no temporary left


def test_export_to_a_folder_that_does_not_exist_is_one_line(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seed(data_dir)
    target = tmp_path / "missing" / "out.json"
    assert main(["history", "--export", "json", "-o", str(target)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"coach: cannot write {target}: ") and err.count("\n") == 1
    assert main(["history", "-o", str(target)]) == 1
    assert "--output goes with --export" in capsys.readouterr().err


def test_a_damaged_history_is_one_line_and_left_untouched(data_dir: Path) -> None:
    data_dir.mkdir(parents=True)
    path = data_dir / FILE_NAME
    garbage = b"SQLite format 3\x00" + bytes(range(256)) * 40
    path.write_bytes(garbage)
    for args in (("history",), ("history", "--export", "json")):
        out = coach(*args)
        assert out.returncode == 1
        assert out.stderr.startswith(f"coach: cannot open the history: {path}")
        assert out.stderr.count("\n") == 1 and "Traceback" not in out.stderr
        assert out.stdout == ""
    assert path.read_bytes() == garbage
    assert sorted(p.name for p in data_dir.iterdir()) == [FILE_NAME]


def test_a_history_from_a_newer_coach_is_refused(data_dir: Path) -> None:
    data_dir.mkdir(parents=True)
    path = data_dir / FILE_NAME
    db = sqlite3.connect(path)
    db.execute("PRAGMA user_version = 99")
    db.close()
    before = path.read_bytes()
    out = coach("history")
    assert out.returncode == 1
    assert "made by a newer coach" in out.stderr and out.stderr.count("\n") == 1
    assert path.read_bytes() == before


def test_a_read_only_history_is_listed_and_exported_and_left_as_it_was(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The file cannot be written (`unwritable` refuses as the kernel does, for root too):
    `coach history` and the exports read it as it is."""
    seed(data_dir)
    path = data_dir / FILE_NAME
    path.chmod(0o400)
    before = path.read_bytes()
    try:
        with unwritable(data_dir):
            assert main(["history"]) == 0
            out, err = capsys.readouterr()
            assert "Hip strength for low back pain" in out and "Pre-run hip routine" in out
            assert err == ""
            assert main(["history", "--export", "json"]) == 0
            assert len(json.loads(capsys.readouterr().out)) == 2
    finally:
        path.chmod(0o600)
    assert path.read_bytes() == before


# ------------------------------------------------------------------ exports never destroy a file


def test_dash_is_standard_output_and_makes_no_file(
    data_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    seed(data_dir)
    monkeypatch.chdir(tmp_path)
    for kind in ("json", "csv"):
        assert main(["history", "--export", kind, "-o", "-"]) == 0
        out = capsys.readouterr().out
        assert main(["history", "--export", kind]) == 0
        assert out == capsys.readouterr().out and NOTE in out
    assert not (tmp_path / "-").exists()


def test_an_export_writes_through_a_link_and_keeps_the_mode(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seed(data_dir)
    real = tmp_path / "shared" / "history.csv"
    real.parent.mkdir()
    real.write_text("last week's export")
    real.chmod(0o644)
    link = tmp_path / "history.csv"
    link.symlink_to(real)
    assert main(["history", "--export", "csv", "-o", str(link)]) == 0
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert stat.S_IMODE(real.stat().st_mode) == 0o644
    rows = list(csv.DictReader(io.StringIO(real.read_bytes().decode("utf-8-sig"))))
    assert len(rows) == 4 and rows[0]["note"] == NOTE


def test_an_export_onto_a_folder_pipe_or_device_is_one_line_and_exit_1(
    data_dir: Path, tmp_path: Path
) -> None:
    seed(data_dir)
    folder = tmp_path / "folder"
    folder.mkdir()
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    node = tmp_path / "device"
    try:
        os.mknod(node, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    except PermissionError:
        node.symlink_to(os.devnull)  # only the superuser could replace the real one
    for target, what in ((folder, "a folder"), (fifo, "a named pipe"), (node, "a device")):
        before = os.lstat(target)
        # In a child with a time limit: a pipe opened for writing would wait for a reader.
        out = subprocess.run(
            [sys.executable, "-m", "coach", "history", "--export", "csv", "-o", str(target)],
            capture_output=True,
            text=True,
            timeout=30,
        )
        assert out.returncode == 1
        assert out.stderr.startswith(f"coach: cannot write {target}: it is {what}")
        assert out.stderr.count("\n") == 1
        after = os.lstat(target)
        assert (after.st_mode, after.st_ino) == (before.st_mode, before.st_ino)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "device", "fifo", "folder"]


def test_an_export_never_replaces_the_history_itself(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seed(data_dir)
    path = data_dir / FILE_NAME
    before = path.read_bytes()
    link = tmp_path / "h.json"
    link.symlink_to(path)
    for target in (path, link):
        assert main(["history", "--export", "json", "-o", str(target)]) == 1
        assert capsys.readouterr().err == (
            f"coach: cannot write {target}: it is the history file itself\n"
        )
    assert path.read_bytes() == before


def test_csv_text_cells_never_run_as_formulas(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with HistoryStore.open(data_dir / FILE_NAME) as store:
        session = store.start_session(
            "low-back", '=HYPERLINK("http://example.com","Hips")', START, pain_before=3
        )
        for n, name in enumerate(("+Clamshell", "@SUM(A1)", "\tBridge", "\rSquat", "Bird dog")):
            store.record_set(
                session, SetRecord(n, name, 1, START + timedelta(minutes=n), side="left", reps=12)
            )
        store.finish_session(session, START + timedelta(minutes=9), pain_after=2, note="-3 reps")
    assert main(["history", "--export", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [row["exercise"] for row in rows] == [
        "'+Clamshell",
        "'@SUM(A1)",
        "'\tBridge",
        "'\rSquat",
        "Bird dog",
    ]
    first = rows[0]
    assert first["title"] == """'=HYPERLINK("http://example.com","Hips")"""
    assert first["note"] == "'-3 reps"
    assert (first["routine"], first["side"], first["status"]) == ("low-back", "left", "completed")
    # Numbers, times and true/false stay as they were.
    assert (first["pain_before"], first["pain_after"], first["reps"], first["set"]) == (
        "3",
        "2",
        "12",
        "1",
    )
    assert first["started_at"] == START.isoformat(timespec="microseconds")
    assert first["skipped"] == "False"
    # JSON is data, not a spreadsheet: it keeps the text exactly.
    assert main(["history", "--export", "json"]) == 0
    (exported,) = json.loads(capsys.readouterr().out)
    assert exported["note"] == "-3 reps" and exported["sets"][0]["exercise"] == "+Clamshell"


def test_an_export_to_a_closed_standard_output_is_one_line(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    seed(data_dir)
    monkeypatch.setattr(sys, "stdout", None)  # what Python makes of `coach ... >&-`
    assert main(["history", "--export", "json"]) == 1
    assert capsys.readouterr().err == (
        "coach: standard output is closed; -o FILE writes the export to a file\n"
    )
