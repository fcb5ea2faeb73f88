"""`coach dose`, `coach schedule`, `coach today` and `coach plan` with your own dose."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from coach.cli import main
from coach.history.model import SetRecord
from coach.history.sqlite import FILE_NAME, HistoryStore
from coach.programme import today_view
from coach.programme_cli import today_lines


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_printing_the_dose_creates_no_history_file(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "dose", "low-back")
    assert code == 0 and "Side-lying hip abduction" in out and " → " not in out.split("\n", 1)[1]
    code, out, _ = run(capsys, "today")
    assert code == 0 and "No session yet" in out and "coach run" in out
    code, _, _ = run(capsys, "plan", "low-back", "--json")
    assert code == 0
    assert not data_dir.exists()


def test_a_dose_set_runs_and_prints_and_goes_back_to_the_files(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "dose", "low-back", "side-lying hip abduction", "--reps", "12")
    assert (code, out) == (0, "Side-lying hip abduction: reps 10 → 12\n")
    code, out, _ = run(capsys, "dose", "low-back", "Clamshell", "--side", "left", "--reps", "8")
    assert (code, out) == (0, "Clamshell (left leg): reps 10 → 8\n")
    _, out, _ = run(capsys, "dose", "low-back")
    assert "10 → 12" in out and "left leg" in out and "10 → 8" in out
    _, out, _ = run(capsys, "plan", "low-back")
    assert "Left leg: 8 reps" in out and "2 sets × 12 reps" in out
    _, out, _ = run(capsys, "plan", "low-back", "--json")
    steps = json.loads(out)["steps"]
    abduction = [s for s in steps if s["exercise"] == "Side-lying hip abduction" and s["rep"]]
    assert max(s["rep"] for s in abduction) == 12
    clam_left = [s for s in steps if s["exercise"] == "Clamshell" and s["working_side"] == "left"]
    assert max(s["rep"] or 0 for s in clam_left) == 8
    with HistoryStore.open(data_dir / FILE_NAME) as store:
        assert [c.reason for c in store.dose_changes()] == ["set with coach dose"] * 2
    code, out, _ = run(capsys, "dose", "low-back", "--reset")
    assert code == 0 and "Clamshell (left leg): back to the file's dose" in out
    _, out, _ = run(capsys, "dose", "low-back")
    assert " → " not in out.split("\n", 1)[1]  # below the title, every value is the file's


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["dose", "low-back", "Nope", "--reps", "3"], "coach: no exercise 'Nope' in low-back"),
        (
            ["dose", "low-back", "Clamshell", "--side", "left", "--rest", "5"],
            "coach: Clamshell: rest is the same on both sides",
        ),
        (["dose", "low-back", "--reps", "3"], "coach: name the exercise"),
        (["dose", "low-back", "Clamshell"], "coach: give the values to set"),
        (["dose", "low-back", "Clamshell", "--reset", "--reps", "3"], "coach: --reset goes back"),
        (["dose", "nope"], "coach: "),
        (["schedule", "low-back", "funday"], "coach: 'funday' is not a day"),
        (["schedule", "low-back"], "coach: give the days"),
    ],
)
def test_mistakes_are_one_line_and_exit_1(
    argv: list[str], message: str, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, *argv)
    assert code == 1 and out == ""
    assert err.startswith(message) and err.count("\n") == 1


@pytest.mark.parametrize(
    ("flag", "value", "message"),
    [
        ("--reps", "500", "coach: Clamshell: reps is a whole number from 1 to 100, not 500"),
        ("--sets", "0", "coach: Clamshell: sets is a whole number from 1 to 20, not 0"),
        ("--hold", "-1", "coach: Clamshell: hold is a number of seconds from 0 to 600, not -1.0"),
        ("--reps", "2.5", "coach: --reps: '2.5' is not a whole number"),
        ("--rest", "soon", "coach: --rest: 'soon' is not a number of seconds"),
        ("--relax", "nan", "coach: --relax: 'nan' is not a number of seconds"),
        ("--sets", "two", "coach: --sets: 'two' is not a whole number"),
    ],
)
def test_values_outside_the_limits_are_one_line_and_exit_1(
    flag: str, value: str, message: str, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "dose", "low-back", "Clamshell", flag, value)
    assert (code, out, err) == (1, "", message + "\n")
    assert not data_dir.exists()


def test_a_routine_file_outside_the_list_keeps_no_dose(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text("title: Mine\nexercises:\n  - name: A\n    reps: 2\n    hold: 1\n")
    code, _, err = run(capsys, "dose", str(path), "A", "--reps", "4")
    assert code == 1 and "is not in your list of routines" in err


def test_a_schedule_and_today_with_history(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "schedule", "low-back", "mon", "wed", "fri")[1] == "low-back: mon wed fri\n"
    assert run(capsys, "schedule", "low-back", "daily")[1] == "low-back: daily\n"
    assert run(capsys, "schedule", "low-back", "--clear")[1] == "low-back: no weekly plan\n"
    code, out, _ = run(capsys, "today")
    assert code == 0 and "No session yet" in out


def test_today_lines_say_what_is_due_the_week_the_last_pain_and_what_waits() -> None:
    from coach.history.model import Schedule
    from coach.programme import SessionFacts

    monday = date(2026, 11, 30)
    at = datetime(2026, 11, 30, 9, tzinfo=UTC)
    done = SessionFacts(
        1, monday, "low-back", "completed", 3, 2, (SetRecord(0, "Clamshell", 1, at),)
    )
    view = today_view([Schedule("low-back", (0, 2, 4))], [done], date(2026, 12, 2))
    lines = today_lines(view, {"low-back": "Hip strength for low back pain"})
    assert lines[0] == "Today, Wednesday 2 December"
    assert lines[1] == "Due today: Hip strength for low back pain (low-back)"
    assert "1 of 3 planned days (mon wed fri)" in lines[3]
    assert lines[4].startswith("Last pain: 3 before → 2 after")


def test_names_and_titles_with_brackets_print_as_written(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (data_dir / "routines").mkdir(parents=True)
    (data_dir / "routines" / "mine.yaml").write_text(
        'title: "Hips [daily] [/]"\nexercises:\n  - name: "Clam [/] shell [bold]x"\n'
        "    reps: 3\n    hold: 2\n"
    )
    code, out, _ = run(capsys, "dose", "mine", "clam [/] shell [bold]x", "--reps", "5")
    assert (code, out) == (0, "Clam [/] shell [bold]x: reps 3 → 5\n")
    code, out, err = run(capsys, "dose", "mine")
    assert code == 0 and err == ""
    assert out.startswith("Hips [daily] [/]: the file's dose → yours")
    assert "Clam [/] shell [bold]x" in out and "3 → 5" in out
