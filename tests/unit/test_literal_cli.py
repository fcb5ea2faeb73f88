"""Every command prints text from files and people exactly as written: `[/]` and `[bold]` are
text, an ESC byte (in a file name, a note, a typed argument) is shown escaped, never sent."""

from __future__ import annotations

from pathlib import Path

import pytest

from coach.cli import main
from coach.history.sqlite import FILE_NAME, HistoryStore
from coach.testing import FakeClock

TITLE = "Hips [beginner] [/] [bold red]x"
NAME = "Clamshell [band] [/]"
LONGEST = "L" * 79 + "]"
HOSTILE = f"""\
title: "{TITLE}"
tags: ["[bold]tag"]
equipment: ["band [/]"]
exercises:
  - name: "{NAME}"
    reps: 1
    sides: both
    directions: ["up [/]"]
  - name: "{LONGEST}"
    reps: 1
"""
ESC = "\x1b"


@pytest.fixture(autouse=True)
def wide(monkeypatch: pytest.MonkeyPatch) -> None:
    """Wide enough that tables print every cell whole."""
    monkeypatch.setenv("COLUMNS", "300")


@pytest.fixture
def hostile(data_dir: Path) -> Path:
    folder = data_dir / "routines"
    folder.mkdir(parents=True)
    path = folder / "hostile.yaml"
    path.write_text(HOSTILE)
    (folder / f"br{ESC}[2Jken.yaml").write_text("title: [\n")
    return path


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_list(hostile: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "list")
    assert code == 0
    assert TITLE in out and "[bold]tag" in out and "band [/]" in out
    assert "br\\x1b[2Jken.yaml" in err and ESC not in out + err


@pytest.mark.parametrize("how", [[], ["--steps"]])
def test_plan(hostile: Path, capsys: pytest.CaptureFixture[str], how: list[str]) -> None:
    code, out, _ = run(capsys, "plan", "hostile", *how)
    assert code == 0
    assert TITLE in out and NAME in out and "Up [/]" in out and LONGEST in out


def test_validate_names_a_file_with_an_escape_byte_safely(
    hostile: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = next(hostile.parent.glob("br*"))
    code, out, _ = run(capsys, "validate", str(hostile), str(broken))
    assert code == 1
    assert "hostile.yaml: ok" in out
    assert "br\\x1b[2Jken.yaml:2:1: not valid YAML" in out and ESC not in out


def test_history_shows_titles_as_written(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    clock = FakeClock()
    with HistoryStore.open(data_dir / FILE_NAME) as store:
        session = store.start_session("h", f"{TITLE} {ESC}[31m", clock.wall())
        store.finish_session(session, clock.wall(), "completed")
    code, out, _ = run(capsys, "history")
    assert code == 0
    assert TITLE in out and "\\x1b[31m" in out and ESC not in out


def test_errors_name_what_was_typed_safely(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "run", f"[/]{ESC}[2J")
    assert code == 1 and "[/]" in err and ESC not in err
    with pytest.raises(SystemExit) as exit_:
        main([f"bad{ESC}[2J[/]"])
    assert exit_.value.code == 2
    _, err = capsys.readouterr()
    assert "bad\\x1b[2J[/]" in err and ESC not in err


def test_plan_shows_why_and_how_to_progress(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "plan", "low-back")
    assert code == 0
    assert "Why: Strengthens the gluteus medius" in out
    assert "To progress: Add a resistance band" in out
