"""Outputs that are not what the coach is used to: no terminal at all. Each runs `coach` in a
child with a time limit, as a person or cron would."""

from __future__ import annotations

import io
import os
import subprocess
import sys

import pytest

from coach.cli import main


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
    assert out.stderr.decode() == (
        "coach: the full-screen coach needs a terminal; standard input, output and error are "
        "not one (coach plan ROUTINE prints a routine without one)\n"
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
    assert stdout.getvalue() == ""
