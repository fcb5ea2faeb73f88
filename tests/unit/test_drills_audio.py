"""Fault drills for sound: no player, a player that hangs, a player that fails, a player whose
probe never answers.

The real PlaysoundBeeper runs real stand-in player scripts found on PATH, driven by the session
runner as every front end drives it. Whatever the player
does, a cue never blocks or raises, sound problems come out as at most one notice, the session
still finishes, and no player process outlives the beeper's `close`.
"""

from __future__ import annotations

import contextlib
import os
import select
import shutil
import signal
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import coach.sound
from coach.history.model import FixedHistory
from coach.history.sqlite import MemoryStore
from coach.routine import RoutineEntry
from coach.routine_yaml import parse_routine
from coach.runner import SessionRunner
from coach.sound import CUES, NO_PLAYER, PlaysoundBeeper, SoundState
from coach.testing import FakeClock

pytestmark = pytest.mark.skipif(os.name != "posix", reason="stand-in players are shell scripts")

SLEEP = shutil.which("sleep") or "/bin/sleep"
ANSWERS_PROBES = 'case "$1" in --version|-version) exit 0 ;; esac\n'
PROGRAM_OF = {"gstreamer": "gst-play-1.0", "ffplay": "ffplay", "alsa": "aplay"}


@pytest.fixture
def bin_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The whole PATH: an empty folder. playsound3 is imported afresh and probes it."""
    path = tmp_path / "bin"
    path.mkdir()
    monkeypatch.setenv("PATH", str(path))
    monkeypatch.delenv("PLAYSOUND3_BACKEND", raising=False)
    saved = {name: mod for name, mod in sys.modules.items() if name.startswith("playsound3")}
    for name in saved:
        del sys.modules[name]
    yield path
    for name in [name for name in sys.modules if name.startswith("playsound3")]:
        del sys.modules[name]
    sys.modules.update(saved)


@pytest.fixture
def pids(tmp_path: Path) -> Path:
    return tmp_path / "pids"


def add_player(bin_dir: Path, body: str, name: str = "gst-play-1.0") -> Path:
    script = bin_dir / name
    script.write_text("#!/bin/sh\n" + ANSWERS_PROBES + body)
    script.chmod(0o755)
    return script


def hanging(pids: Path, ignore_term: bool = False, ready: Path | None = None) -> str:
    """A player that never finishes; with `ignore_term`, one that shrugs off SIGTERM too.

    With `ready`, a FIFO, it writes its process id there once it is set up.
    """
    trap = "trap '' TERM\n" if ignore_term else ""
    tell = f"echo $$ > '{ready}'\n" if ready else ""
    return f"{trap}echo $$ >> '{pids}'\n{tell}exec '{SLEEP}' 1000\n"


def add_silent_probe(bin_dir: Path, probing: Path) -> None:
    """A player whose version probe never answers: it writes its process id to `probing` (a
    FIFO) and then waits for good. Asked to play, it plays at once."""
    script = bin_dir / "gst-play-1.0"
    script.write_text(
        "#!/bin/sh\n"
        f"case \"$1\" in --version|-version) echo $$ > '{probing}'; exec '{SLEEP}' 1000 ;; esac\n"
        "exit 0\n"
    )
    script.chmod(0o755)


def returns(work: Callable[[], object], what: str) -> None:
    """Run `work` and check it came back instead of waiting on the player: run in a thread, so
    a call that hangs fails the test (after 10 s, a bound for a hang) instead of stalling it."""
    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    thread.join(10)
    assert not thread.is_alive(), f"{what} waited for the player"


def listen(fifo: Path) -> int:
    os.mkfifo(fifo)
    return os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)


def heard(fd: int) -> int:
    """The process id a player wrote to the FIFO; waits for it (at most 10 s, as a bound)."""
    try:
        readable, _, _ = select.select([fd], [], [], 10)
        assert readable, "the player never said it was ready"
        return int(os.read(fd, 64).split()[0])
    finally:
        os.close(fd)


Spy = Callable[[], list[Any]]


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch) -> Iterator[Spy]:
    """Import playsound3 under this test's PATH and keep every Sound it starts.

    Whatever the test does, no player it started outlives it.
    """
    sounds: list[Any] = []

    def spy() -> list[Any]:
        import playsound3

        real = playsound3.playsound

        def playsound(sound: str, block: bool = True, backend: str | None = None) -> Any:
            assert block is False, "a cue was played blocking"
            sounds.append(result := real(sound, block=block, backend=backend))
            return result

        monkeypatch.setattr(playsound3, "playsound", playsound)
        return sounds

    yield spy
    for sound in sounds:
        sound.subprocess.kill()  # does nothing to a player that has ended and been reaped
        sound.subprocess.wait()


def play_all(beeper: PlaysoundBeeper, cues: list[str]) -> list[str]:
    """Play like the app does: after each cue, take whatever notice there is."""
    notices = []
    for cue in cues:
        beeper.play(cue)
        notice = beeper.take_problem()
        if notice:
            notices.append(notice)
    return notices


def gone(pid: int) -> bool:
    """The process has ended (a zombie left to a parent that no longer waits counts as ended)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    with contextlib.suppress(OSError):
        stat = Path(f"/proc/{pid}/stat").read_text()
        return stat.rpartition(")")[2].split()[0] == "Z"
    return False


def read_all(fd: int) -> None:
    """Read from `fd` until it ends, throwing the bytes away."""
    with contextlib.suppress(OSError):
        while os.read(fd, 65536):
            pass


def assert_all_stopped(sounds: list[Any], pids: Path | None = None) -> None:
    """Every player has ended (reaped, so its process id is free) once close() has returned."""
    for sound in sounds:
        status = sound.subprocess.wait(timeout=10)  # a bound for a hang, not a measurement
        assert status < 0, f"player {sound.subprocess.pid} ended by itself ({status})"
    # A player stopped before its first line ran never wrote its id; it is gone all the same.
    written = pids.read_text().split() if pids is not None and pids.exists() else []
    for pid in [int(line) for line in written]:
        assert gone(pid), f"player {pid} is still running"


# --------------------------------------------------------------- (a) no usable player


@pytest.mark.parametrize("backend", sorted(PROGRAM_OF))
def test_a_chosen_backend_without_its_program_is_one_notice(
    bin_dir: Path, monkeypatch: pytest.MonkeyPatch, backend: str
) -> None:
    monkeypatch.setenv("PLAYSOUND3_BACKEND", backend)
    beeper = PlaysoundBeeper()
    notices = play_all(beeper, list(CUES) * 3)
    assert notices == [
        f"Sound is off: cannot run {PROGRAM_OF[backend]} (No such file or directory)"
    ]
    assert beeper.sounding == 0
    beeper.close()


def test_a_player_that_cannot_be_run_is_one_notice(bin_dir: Path, pids: Path) -> None:
    add_player(bin_dir, hanging(pids)).chmod(0o644)  # on PATH, but not executable
    beeper = PlaysoundBeeper()
    notices = play_all(beeper, list(CUES) * 2)
    assert len(notices) == 1 and notices[0].startswith("Sound is off: ")
    assert "Permission denied" in notices[0]
    assert not pids.exists()
    beeper.close()


def test_an_empty_path_is_one_notice_and_then_silence(bin_dir: Path) -> None:
    beeper = PlaysoundBeeper()
    assert play_all(beeper, list(CUES) * 3) == [NO_PLAYER]
    assert beeper.problem == NO_PLAYER and beeper.sounding == 0
    beeper.close()
    beeper.close()


# --------------------------------------------------------------- (b) a player that hangs


def test_a_hanging_player_never_blocks_a_cue_and_close_stops_it(
    bin_dir: Path, started: Spy, pids: Path
) -> None:
    add_player(bin_dir, hanging(pids))
    sounds = started()
    beeper = PlaysoundBeeper()
    beeper.play("go")
    beeper.play("tick")
    # play() came back while both players were still running: it did not wait for them.
    assert [s.is_alive() for s in sounds] == [True, True]
    assert beeper.sounding == 2 and beeper.problem is None
    beeper.close()
    assert_all_stopped(sounds, pids)
    assert [s.subprocess.returncode for s in sounds] == [-signal.SIGTERM] * 2
    assert beeper.problem is None and beeper.take_problem() is None  # stopping is no failure
    assert beeper.sounding == 0
    beeper.close()


def test_close_stops_a_hanging_player_that_ignores_sigterm(
    bin_dir: Path, started: Spy, pids: Path
) -> None:
    fd = listen(pids.with_name("ready"))
    add_player(bin_dir, hanging(pids, ignore_term=True, ready=pids.with_name("ready")))
    sounds = started()
    beeper = PlaysoundBeeper()
    beeper.play("finish")
    assert heard(fd) == sounds[0].subprocess.pid  # SIGTERM is ignored from here on
    beeper.close()
    # close() has returned: the player must already be over, not left running after the app.
    assert sounds[0].subprocess.poll() == -signal.SIGKILL
    assert_all_stopped(sounds, pids)
    assert beeper.problem is None


def test_a_hanging_player_does_not_pile_up_processes(
    bin_dir: Path, started: Spy, pids: Path
) -> None:
    add_player(bin_dir, hanging(pids))
    sounds = started()
    beeper = PlaysoundBeeper()
    notices = play_all(beeper, ["tick", "go", "hold_done", "rest"] * 10)
    assert len(sounds) <= 10, f"{len(sounds)} players started while none ever finished"
    assert len(notices) == 1 and notices[0].startswith("Sound is off: ")
    assert "finish" in notices[0]
    beeper.close()
    assert_all_stopped(sounds, pids)
    assert len(pids.read_text().split()) <= len(sounds)


def test_waiting_for_a_hanging_player_gives_up(
    bin_dir: Path, started: Spy, pids: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`coach sounds` waits for each cue; a player that never ends must not stall it for good."""
    monkeypatch.setattr(coach.sound, "WAIT_SECONDS", 0.1)
    add_player(bin_dir, hanging(pids))
    sounds = started()
    beeper = PlaysoundBeeper()
    beeper.play("tick")
    beeper.wait()
    assert beeper.take_problem() == "Sound is off: the audio player does not finish its cues"
    assert sounds[0].subprocess.poll() == -signal.SIGTERM  # stopped and gone before wait returned
    assert_all_stopped(sounds, pids)
    beeper.play("go")
    assert len(sounds) == 1


# --------------------------------------------------------------- (c) a player that fails

LOUD_FAILURE = (
    'echo "ERROR: no audio device" ; echo "player: fatal error" >&2\n'
    "printf '\\033[2J\\033[31mgarbage' ; exit 3\n"
)


def test_a_failing_player_is_one_notice_and_prints_nothing(
    bin_dir: Path, started: Spy, capfd: pytest.CaptureFixture[str]
) -> None:
    add_player(bin_dir, LOUD_FAILURE)
    sounds = started()
    beeper = PlaysoundBeeper()
    assert play_all(beeper, ["go"]) == []
    assert sounds[0].subprocess.wait(timeout=10) == 3
    notices = play_all(beeper, list(CUES) * 3)
    assert notices == ["Sound is off: the audio player failed (exit status 3)"]
    assert len(sounds) == 1  # silence after the failure: no more players
    beeper.close()
    out, err = capfd.readouterr()
    assert (out, err) == ("", "")  # nothing the player said reached the terminal


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGSEGV])
def test_a_player_that_dies_of_a_signal_is_one_notice(
    bin_dir: Path, started: Spy, sig: signal.Signals
) -> None:
    add_player(bin_dir, f"ulimit -c 0\nkill -{sig.name.removeprefix('SIG')} $$\n")
    sounds = started()
    beeper = PlaysoundBeeper()
    beeper.play("go")
    assert sounds[0].subprocess.wait(timeout=10) == -sig
    notices = play_all(beeper, list(CUES) * 2)
    assert len(notices) == 1 and sig.name in notices[0]
    assert len(sounds) == 1
    beeper.close()


def test_a_player_that_fails_later_is_one_notice(
    bin_dir: Path, started: Spy, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    count = tmp_path / "count"
    add_player(
        bin_dir,
        f"n=0; [ -f '{count}' ] && read n < '{count}'\n"
        f"n=$((n + 1)); echo $n > '{count}'; [ $n -le 3 ] || exit 1\n",
    )
    sounds = started()
    beeper = PlaysoundBeeper()
    notices = []
    for cue in ["go", "tick", "rest", "switch", "finish", "go", "go"]:
        notices += play_all(beeper, [cue])
        for sound in sounds:
            sound.subprocess.wait(timeout=10)
    assert [s.subprocess.returncode for s in sounds] == [0, 0, 0, 1]
    assert notices == ["Sound is off: the audio player failed (exit status 1)"]
    beeper.close()


# --------------------------------------------------------------- the app, start to finish

# Ten cues: three ticks, go, a hold-done after each hold, and the finish.
ROUTINE = """\
title: Sound drill
get_ready: 5
exercises:
  - name: Bridge
    reps: 6
    hold: 1
    tempo: {move: 0, release: 0}
"""


def run_whole_session(beeper: PlaysoundBeeper) -> list[str]:
    """Run the routine hands-free to its end, as the runner does for every front end; return
    the notices it reported. The beeper is closed afterwards, as the app closes it on exit."""
    entry = RoutineEntry("drill", Path("drill.yaml"), parse_routine(ROUTINE))
    clock = FakeClock()
    runner = SessionRunner(entry, clock=clock, beeper=beeper, history=FixedHistory(MemoryStore()))
    notices: list[str] = []
    runner.subscribe(lambda update: notices.extend(notice.text for notice in update.notices))
    runner.prepare()
    # The player loads in the background while the briefing is read; a person takes longer.
    assert beeper.settled.wait(10), "the player never finished loading"
    runner.begin()
    for _ in range(20):
        if runner.finished:
            break
        clock.advance(1)
        runner.tick()
    assert runner.result is not None and runner.result.completed
    beeper.close()
    return notices


def test_the_session_finishes_with_a_hanging_player_and_leaves_none_behind(
    bin_dir: Path, started: Spy, pids: Path
) -> None:
    add_player(bin_dir, hanging(pids))
    sounds = started()
    notices = run_whole_session(PlaysoundBeeper())
    assert len(notices) == 1 and notices[0].startswith("Sound is off: ")
    assert 8 <= len(sounds) <= 10  # players start until they are seen to hang, then no more
    # The beeper was closed, and that ended every player.
    assert all(s.subprocess.poll() is not None for s in sounds)
    assert_all_stopped(sounds, pids)


def test_the_session_finishes_with_a_failing_player_and_one_notice(
    bin_dir: Path, started: Spy, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_player(bin_dir, LOUD_FAILURE)
    sounds = started()
    beeper = PlaysoundBeeper()
    real_play = beeper.play

    def play_and_let_it_fail(cue: str) -> None:
        real_play(cue)
        for sound in sounds:
            sound.subprocess.wait(timeout=10)

    monkeypatch.setattr(beeper, "play", play_and_let_it_fail)
    notices = run_whole_session(beeper)
    assert notices == ["Sound is off: the audio player failed (exit status 3)"]
    assert len(sounds) == 1


def test_players_start_with_a_plain_spawn_and_prepare_loads_early(
    bin_dir: Path, pids: Path
) -> None:
    add_player(bin_dir, hanging(pids))
    beeper = PlaysoundBeeper()
    beeper.prepare()  # loads in the background
    assert beeper.wait_ready()
    module = sys.modules["playsound3.playsound3"]
    # no hook in the child: the spawn does not copy this whole process
    assert "preexec_fn" not in module.get_platform_specific_kwds()
    assert beeper.problem is None
    beeper.play("go")
    assert beeper.sounding == 1
    beeper.close()
    assert beeper.sounding == 0


# --------------------------------------------------------------- (d) a probe that never answers

SLOW_PROBE = "Sound is off: gst-play-1.0 did not answer"


def drill_runner(beeper: PlaysoundBeeper, clock: FakeClock) -> tuple[SessionRunner, list[str]]:
    entry = RoutineEntry("drill", Path("drill.yaml"), parse_routine(ROUTINE))
    runner = SessionRunner(entry, clock=clock, beeper=beeper, history=FixedHistory(MemoryStore()))
    notices: list[str] = []
    runner.subscribe(lambda update: notices.extend(notice.text for notice in update.notices))
    return runner, notices


def test_a_probe_that_never_answers_holds_up_nothing_and_is_one_notice(
    bin_dir: Path, tmp_path: Path
) -> None:
    probing = tmp_path / "probing"
    fd = listen(probing)
    add_silent_probe(bin_dir, probing)
    clock = FakeClock()
    beeper = PlaysoundBeeper(probe_seconds=0.2)
    runner, notices = drill_runner(beeper, clock)
    returns(runner.prepare, "prepare")
    probe = heard(fd)
    assert not gone(probe), "prepare came back only once the probe had ended"
    assert runner.sound_state == SoundState("starting")

    def first_cues() -> None:  # the 3-2-1 ticks, while the player is still being loaded
        runner.begin()
        for _ in range(3):
            clock.advance(1)
            runner.tick()

    returns(first_cues, "a cue")
    assert runner.view().step.phase == "ready" and not runner.finished

    assert beeper.settled.wait(10), "loading never gave up on the probe"
    assert gone(probe), "the probe is still running past the time limit"
    assert runner.sound_state == SoundState(
        "off", "gst-play-1.0 did not answer", "player not answering"
    )
    for _ in range(20):
        if runner.finished:
            break
        clock.advance(1)
        runner.tick()
    assert runner.result is not None and runner.result.completed
    assert notices == [SLOW_PROBE]
    assert runner.toggle_mute().text == "Sound stays off: gst-play-1.0 did not answer."
    returns(beeper.close, "close")


def test_close_kills_a_probe_that_never_answers(bin_dir: Path, tmp_path: Path) -> None:
    probing = tmp_path / "probing"
    fd = listen(probing)
    add_silent_probe(bin_dir, probing)
    beeper = PlaysoundBeeper(probe_seconds=600)  # the limit is far off: only close ends it
    returns(beeper.prepare, "prepare")
    probe = heard(fd)
    returns(beeper.close, "close")
    assert beeper.settled.wait(10), "the loading thread is still waiting on the probe"
    assert gone(probe)
    beeper.play("go")  # closed: nothing to play, and no new probe
    assert beeper.sounding == 0


def test_a_player_that_never_ends_is_killed_at_the_next_cue(
    bin_dir: Path, started: Spy, pids: Path
) -> None:
    fd = listen(pids.with_name("ready"))
    add_player(bin_dir, hanging(pids, ignore_term=True, ready=pids.with_name("ready")))
    sounds = started()
    clock = FakeClock()
    beeper = PlaysoundBeeper(now=clock.now)
    beeper.play("finish")
    assert heard(fd) == sounds[0].subprocess.pid
    clock.advance(coach.sound.HUNG_SECONDS)
    beeper.play("go")
    assert beeper.take_problem() == "Sound is off: the audio player does not finish its cues"
    assert len(sounds) == 1  # the next cue is not played: sound is off
    assert sounds[0].subprocess.wait(timeout=10) == -signal.SIGKILL  # killed, not left to exit
    assert_all_stopped(sounds, pids)
    beeper.close()


def test_sigterm_ends_coach_run_at_once_while_a_probe_never_answers(
    tmp_path: Path, data_dir: Path
) -> None:
    """The real `coach run`, in a terminal of its own, with a player whose probe never answers
    and no time limit in sight: SIGTERM ends it within 2 s, and the probe goes with it."""
    import fcntl
    import pty
    import struct
    import termios

    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    probing = tmp_path / "probing"
    fd = listen(probing)
    add_silent_probe(bin_dir, probing)
    root = Path(coach.__file__).resolve().parents[1]
    env = {
        **os.environ,
        "PATH": str(bin_dir),
        "PYTHONPATH": str(root),
        "TERM": "xterm-256color",
        "COACH_SOUND": "on",
    }
    env.pop("PLAYSOUND3_BACKEND", None)
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    process = subprocess.Popen(
        [sys.executable, "-m", "coach", "run", "low-back", "--data-dir", str(data_dir)],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=env,
        cwd=tmp_path,
        start_new_session=True,
    )
    os.close(slave)
    # Keep the terminal drained, as a terminal would be: a full one would block the app.
    drain = threading.Thread(target=read_all, args=(master,), daemon=True)
    drain.start()
    try:
        readable, _, _ = select.select([fd], [], [], 30)  # a bound for a coach that never starts
        assert readable, "the coach never probed for a player"
        probe = int(os.read(fd, 64).split()[0])
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=2)  # the requirement itself: within 2 s of SIGTERM
        except subprocess.TimeoutExpired:
            pytest.fail("coach run did not end within 2 s of SIGTERM")
        assert process.returncode == 128 + signal.SIGTERM
        assert gone(probe), "the player probe outlived the coach"
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=10)
        os.close(master)
        os.close(fd)
