from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
from contextlib import nullcontext
from pathlib import Path

import pytest


def coach(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "coach", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**os.environ, "COLUMNS": "120"},
    )


def test_list_shows_the_four_routines_with_minutes() -> None:
    out = coach("list")
    assert out.returncode == 0, out.stderr
    for rid, minutes in (
        ("home-basics", "9 min"),
        ("low-back", "25 min"),
        ("pre-run", "11 min"),
        ("pre-run-strength", "29 min"),
    ):
        line = next(line for line in out.stdout.splitlines() if f" {rid} " in line)
        assert minutes in line


def test_the_pre_run_plan_is_a_warm_up_of_at_most_15_minutes() -> None:
    out = coach("plan", "pre-run", "--json")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["total_seconds"] <= 900


def test_list_includes_user_routines_and_skips_broken_ones(data_dir: Path) -> None:
    folder = data_dir / "routines"
    folder.mkdir(parents=True)
    (folder / "mine.yaml").write_text("title: My own\nexercises:\n  - name: Squat\n    reps: 5\n")
    (folder / "broken.yaml").write_text("title: Broken\nexercises:\n  - nam: X\n")
    out = coach("list")
    assert out.returncode == 0
    assert "mine (yours)" in out.stdout and "My own" in out.stdout
    assert "broken.yaml:3:5: unknown key 'nam'" in out.stderr
    assert "Traceback" not in out.stderr


def test_plan_json_shape() -> None:
    out = coach("plan", "low-back", "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["routine"] == "low-back"
    assert data["title"] == "Hip strength for low back pain"
    assert data["total_seconds"] == sum(s["seconds"] or 0 for s in data["steps"])
    hold = next(s for s in data["steps"] if s["phase"] == "hold")
    assert hold == {
        **hold,
        "exercise": "Clamshell",
        "side": "right",  # the side lain on: the left leg works first
        "side_is": "lying_on",
        "working_side": "left",
        "set": 1,
        "rep": 1,
        "direction": None,
        "seconds": 2.0,
    }
    assert {s["phase"] for s in data["steps"]} == {
        "ready",
        "move",
        "hold",
        "release",
        "rest",
        "switch",
    }


def test_plan_readable_shows_holds_and_total() -> None:
    out = coach("plan", "low-back")
    assert out.returncode == 0, out.stderr
    assert "HOLD 2 s" in out.stdout
    assert "Total 25 min 15 s" in out.stdout
    every = coach("plan", "home-basics", "--steps")
    assert every.stdout.count("STRETCH") == 6


def test_plan_accepts_a_path(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_text("title: X\nexercises:\n  - name: Y\n    hold: 3\n")
    out = coach("plan", str(path), "--json")
    assert json.loads(out.stdout)["routine"] == "x"


def test_unknown_routine_is_one_line() -> None:
    out = coach("plan", "low-bak")
    assert out.returncode == 1
    assert out.stderr.strip() == "coach: no routine named 'low-bak'; did you mean 'low-back'?"


def test_validate_reports_every_error(tmp_path: Path) -> None:
    good = tmp_path / "good.yaml"
    good.write_text("title: G\nexercises:\n  - name: X\n")
    bad1 = tmp_path / "bad1.yaml"
    bad1.write_text("title: B\nexercises:\n  - name: X\n    hold: 1e9\n")
    bad2 = tmp_path / "bad2.yaml"
    bad2.write_bytes(b"\x89PNG\x00\x00")
    out = coach("validate", str(good), str(bad1), str(bad2))
    assert out.returncode == 1
    lines = out.stdout.splitlines()
    assert lines[0] == f"{good}: ok"
    assert lines[1].startswith(f"{bad1}:4:11: hold in exercise 1: expected")
    assert lines[2].startswith(f"{bad2}: not a text file")
    assert "Traceback" not in out.stderr
    assert coach("validate", str(good)).returncode == 0


def test_schema_is_json_schema() -> None:
    out = coach("schema")
    schema = json.loads(out.stdout)
    assert schema["$defs"]["Routine"]["properties"]["exercises"]["type"] == "array"


def test_version_and_help() -> None:
    from coach import __version__

    assert coach("--version").stdout.strip() == f"coach {__version__}"
    helptext = coach("--help").stdout
    for command in ("run", "list", "plan", "validate", "schema"):
        assert command in helptext


@pytest.mark.parametrize("name", ["low-back", "pre-run", "pre-run-strength", "home-basics"])
def test_builtin_files_validate(name: str) -> None:
    from coach.paths import builtin_routines_dir

    out = coach("validate", str(builtin_routines_dir() / f"{name}.yaml"))
    assert out.returncode == 0, out.stdout


def test_core_modules_do_not_import_textual() -> None:
    code = (
        "import sys\n"
        "import coach.routine, coach.plan, coach.clock, coach.session, coach.sound, coach.history\n"
        "import coach.catalog, coach.paths, coach.cli\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'playsound3'))\n"
        "print(bad)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def test_nothing_is_created_at_import(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    code = "import coach.cli, coach.paths, coach.routine, coach.plan"
    subprocess.run(
        [sys.executable, "-c", code],
        check=True,
        env={**os.environ, "HOME": str(home), "XDG_DATA_HOME": str(home / "d")},
    )
    assert list(home.iterdir()) == []


def _player(folder: Path, log: Path) -> dict[str, str]:
    player = folder / "gst-play-1.0"
    player.write_text(
        f'#!/bin/sh\n[ "$1" = "--version" ] && echo 1.22 && exit 0\necho "$@" >> {log}\n'
    )
    player.chmod(0o755)
    return {"PATH": f"{folder}:{os.environ['PATH']}", "COACH_SOUND": "on"}


def test_sounds_plays_every_cue_in_order(tmp_path: Path) -> None:
    log = tmp_path / "played.log"
    env = {**os.environ, **_player(tmp_path, log)}
    env.pop("PLAYSOUND3_BACKEND", None)
    out = subprocess.run(
        [sys.executable, "-m", "coach", "sounds"], capture_output=True, text=True, env=env
    )
    assert out.returncode == 0, out.stderr
    played = [Path(line.split()[-1]).stem for line in log.read_text().splitlines()]
    assert played == ["tick", "go", "hold_done", "switch", "rest", "finish"]
    assert out.stdout.splitlines()[0].startswith("tick")


def test_sounds_without_any_player_says_so(tmp_path: Path) -> None:
    env = {**os.environ, "PATH": str(tmp_path), "COACH_SOUND": "on"}
    out = subprocess.run(
        [sys.executable, "-m", "coach", "sounds"], capture_output=True, text=True, env=env
    )
    assert out.returncode == 1
    assert out.stderr.startswith("coach: sound is off: no audio player found")
    assert "Traceback" not in out.stderr


@pytest.mark.parametrize("args", [["list"], ["plan", "nope"], ["--version"]])
def test_the_command_line_leaves_the_collector_on_for_its_caller(
    args: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    from coach.cli import main

    with pytest.raises(SystemExit) if args == ["--version"] else nullcontext():
        main(args)
    assert gc.isenabled()


def test_list_shows_text_from_files_literally_and_wraps_in_a_narrow_terminal(
    data_dir: Path,
) -> None:
    folder = data_dir / "routines"
    folder.mkdir(parents=True)
    (folder / "mine.yaml").write_text(
        'title: "Hips [beginner]"\ntags: [a very long tag that must wrap]\n'
        "exercises:\n  - name: Squat\n    reps: 5\n"
    )
    wide = coach("list")
    assert "Hips [beginner]" in wide.stdout
    narrow = subprocess.run(
        [sys.executable, "-m", "coach", "list"],
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "60"},
    )
    lines = narrow.stdout.splitlines()
    assert lines[0] == "Routines"
    assert all(len(line) <= 60 for line in lines)
    assert len({len(line) for line in lines[1:]}) == 1  # every row as wide as the rules
    assert any("mine (yours)" in line for line in lines)
