"""`coach report` as a person runs it: where the page goes, what is refused, and the history
read as it is."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

from coach.catalog import resolve
from coach.cli import main
from coach.history.sqlite import FILE_NAME, HistoryStore
from coach.report_cli import gather
from coach.testing import unwritable
from coach.testing_history import programme_history


def seed(data_dir: Path, weeks: int = 2) -> None:
    data_dir.mkdir(parents=True, exist_ok=True)
    with HistoryStore.open(data_dir / FILE_NAME) as store:
        now = datetime.now().astimezone()
        low_back, pre_run = resolve("low-back", data_dir), resolve("pre-run", data_dir)
        programme_history(store, low_back, pre_run, now.date(), weeks=weeks, now=now)


def run(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "coach", "report", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def test_the_page_goes_to_report_html_in_the_current_folder(
    data_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    seed(data_dir)
    monkeypatch.chdir(tmp_path)
    assert main(["report"]) == 0
    report, _ = gather(data_dir, [], 4, datetime.now().astimezone())
    page = (tmp_path / "report.html").read_text("utf-8")
    assert page.startswith("<!DOCTYPE html>") and "Home exercise report" in page
    out = capsys.readouterr().out
    size = len(page.encode()) / 1024
    weeks = report.period.weeks  # 2: the history began two weeks ago
    assert weeks == 2
    assert out == (
        f"Wrote report.html: {report.totals.sessions} sessions, {weeks} weeks, {size:.0f} KB\n"
    )


def test_dash_is_standard_output_and_text_goes_there_by_default(
    data_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    seed(data_dir)
    here = tmp_path / "here"
    here.mkdir()
    monkeypatch.chdir(here)
    assert main(["report", "-o", "-"]) == 0
    assert capsys.readouterr().out.startswith("<!DOCTYPE html>")
    assert main(["report", "--format", "text"]) == 0
    text = capsys.readouterr().out
    assert text.startswith("Home exercise report: ") and "Calendar against the plan" in text
    assert list(here.iterdir()) == []  # nothing written: no report.html, no file named -


def test_routines_and_weeks_narrow_the_report(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seed(data_dir)
    assert main(["report", "pre-run", "--weeks", "1", "--format", "text"]) == 0
    text = capsys.readouterr().out
    assert "(1 weeks)" not in text and "(1 week" in text
    assert "Pre-run hip warm-up (pre-run)" in text and "(low-back)" not in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--open", "-o", "-"], "--open needs the page in a file; it does not go with -o -"),
        (
            ["--open", "--format", "text"],
            "--open opens the HTML page; it does not go with --format text",
        ),
        (["-o", ""], "-o needs a file name (- is standard output)"),
        (["./no/such/low-back.yaml"], "no routine file ./no/such/low-back.yaml"),
        (
            ["no-such-routine"],
            "no routine named 'no-such-routine' in the list or in the history; "
            "coach list and coach history show them",
        ),
    ],
)
def test_a_mistake_is_one_line_and_exit_1(
    args: list[str], message: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    monkeypatch.chdir(tmp_path)
    assert main(["report", *args]) == 1
    assert capsys.readouterr().err == f"coach: {message}\n"
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("weeks", ["0", "521", "four", "-2", "1.5"])
def test_weeks_is_a_whole_number_from_1_to_520(
    weeks: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["report", "--weeks", weeks])
    assert caught.value.code == 2
    assert f"--weeks is a whole number from 1 to 520, not '{weeks}'" in capsys.readouterr().err


def test_open_shows_the_file_in_the_browser(
    data_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    import webbrowser

    opened: list[str] = []
    monkeypatch.setattr(webbrowser, "open", lambda url: opened.append(url) or True)
    monkeypatch.chdir(tmp_path)
    assert main(["report", "--open", "-o", "mine.html"]) == 0
    assert opened == [(tmp_path / "mine.html").as_uri()]
    monkeypatch.setattr(webbrowser, "open", lambda url: False)
    capsys.readouterr()
    assert main(["report", "--open", "-o", "mine.html"]) == 1
    assert capsys.readouterr().err == (
        "coach: no browser could be opened; the report is in mine.html\n"
    )


def test_a_missing_history_gives_the_empty_page_and_makes_no_file(
    data_dir: Path, tmp_path: Path
) -> None:
    target = tmp_path / "r.html"
    assert main(["report", "-o", str(target)]) == 0
    assert "No session is in the history yet" in target.read_text("utf-8")
    assert not data_dir.exists()


def test_a_read_only_history_is_reported_and_left_as_it_was(data_dir: Path, tmp_path: Path) -> None:
    seed(data_dir)
    path = data_dir / FILE_NAME
    path.chmod(0o400)
    before = path.read_bytes()
    try:
        with unwritable(data_dir):
            assert main(["report", "-o", str(tmp_path / "r.html")]) == 0
    finally:
        path.chmod(0o600)
    assert path.read_bytes() == before
    assert "Hip strength for low back pain" in (tmp_path / "r.html").read_text("utf-8")


def test_a_damaged_history_is_one_line_and_left_untouched(data_dir: Path, tmp_path: Path) -> None:
    data_dir.mkdir(parents=True)
    path = data_dir / FILE_NAME
    garbage = b"SQLite format 3\x00" + bytes(range(256)) * 40
    path.write_bytes(garbage)
    out = run("-o", str(tmp_path / "r.html"))
    assert out.returncode == 1
    assert out.stderr.startswith(f"coach: cannot open the history: {path}")
    assert out.stderr.count("\n") == 1 and "Traceback" not in out.stderr
    assert path.read_bytes() == garbage and not (tmp_path / "r.html").exists()


# ------------------------------------------------------------- the export's rules for the file


def test_the_page_is_written_through_a_link_keeping_the_mode(
    data_dir: Path, tmp_path: Path
) -> None:
    seed(data_dir)
    real = tmp_path / "shared" / "report.html"
    real.parent.mkdir()
    real.write_text("last month's report")
    real.chmod(0o640)
    link = tmp_path / "report.html"
    link.symlink_to(real)
    assert main(["report", "-o", str(link)]) == 0
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert stat.S_IMODE(real.stat().st_mode) == 0o640
    assert "Home exercise report" in real.read_text("utf-8")
    assert sorted(p.name for p in real.parent.iterdir()) == ["report.html"]  # no temporary


def test_a_folder_pipe_device_or_the_history_itself_is_refused(
    data_dir: Path, tmp_path: Path
) -> None:
    seed(data_dir)
    folder = tmp_path / "folder"
    folder.mkdir()
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    history = data_dir / FILE_NAME
    before = history.read_bytes()
    cases = [
        (folder, "it is a folder"),
        (fifo, "it is a named pipe"),
        (Path(os.devnull), "it is a device"),
        (history, "it is the history file itself"),
    ]
    for target, why in cases:
        # In a child with a time limit: a pipe opened for writing would wait for a reader.
        out = run("-o", str(target))
        assert out.returncode == 1
        assert out.stderr.startswith(f"coach: cannot write {target}: {why}")
        assert out.stderr.count("\n") == 1
    assert history.read_bytes() == before


def test_a_folder_that_does_not_exist_is_one_line(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "missing" / "r.html"
    assert main(["report", "-o", str(target)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"coach: cannot write {target}: ") and err.count("\n") == 1


def test_an_ascii_output_gets_the_same_page_in_character_references(data_dir: Path) -> None:
    seed(data_dir)
    out = subprocess.run(
        [sys.executable, "-m", "coach", "report", "-o", "-"],
        capture_output=True,
        env={**os.environ, "PYTHONIOENCODING": "ascii"},
        timeout=60,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.isascii() and b"&#8594;" in out.stdout  # →
    assert out.stderr == b""


def test_an_escape_byte_in_the_file_name_is_shown_escaped(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "r\x1b[31m.html"
    assert main(["report", "-o", str(target)]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and f"Wrote {tmp_path}/r\\x1b[31m.html: 0 sessions" in out
    assert target.is_file()


def test_an_empty_report_of_a_named_routine_speaks_of_that_routine(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seed(data_dir)
    assert main(["report", "home-basics", "--format", "text"]) == 0
    out = capsys.readouterr().out
    assert "No session of home-basics is in the history yet: coach run home-basics" in out
    assert "home-basics): no weekly plan; 0 sessions" in out


def test_sets_that_cannot_be_read_are_counted_on_the_page(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import sqlite3

    seed(data_dir)
    db = sqlite3.connect(data_dir / FILE_NAME)
    with db:
        db.execute("UPDATE sets SET target_hold = 'long' WHERE id = 3")
    db.close()
    assert main(["report", "--format", "text"]) == 0
    out = capsys.readouterr().out
    assert (
        "1 set could not be read: this report leaves it out, and the history file as it is." in out
    )


def test_a_line_break_in_the_file_name_keeps_every_message_one_line(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "new\nline.html"
    assert main(["report", "-o", str(target)]) == 0
    assert capsys.readouterr().out.count("\n") == 1 and target.is_file()
    missing = tmp_path / "no\nfolder" / "r.html"
    assert main(["report", "-o", str(missing)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no\\nfolder" in err


def test_a_wrong_target_is_told_before_the_history_is_read(data_dir: Path) -> None:
    data_dir.mkdir(parents=True)
    (data_dir / FILE_NAME).write_bytes(b"SQLite format 3\x00" + bytes(range(256)) * 40)
    out = run("-o", os.devnull)
    assert out.returncode == 1
    assert out.stderr.startswith(f"coach: cannot write {os.devnull}: it is a device")
