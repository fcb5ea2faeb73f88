"""The beepers; PlaysoundBeeper runs against stand-in player scripts, never a real device."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from coach.sound import (
    CUE_MEANING,
    CUES,
    NO_PLAYER,
    Beeper,
    NullBeeper,
    PlaysoundBeeper,
    cue_path,
    sound_enabled_from_env,
)
from coach.testing import FakeClock, RecordingBeeper

posix_only = pytest.mark.skipif(os.name != "posix", reason="stand-in players are shell scripts")


# --- plain parts -------------------------------------------------------------------------------


def python(code: str, **env: str) -> str:
    """What a fresh Python prints running `code` from the project folder."""
    return subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).parents[2],
        env={**os.environ, **env},
    ).stdout


def test_importing_the_module_loads_neither_textual_nor_playsound3() -> None:
    code = (
        "import sys, coach.sound\n"
        "print(sorted(m for m in ('textual', 'playsound3') if m in sys.modules))"
    )
    assert python(code).strip() == "[]"


def test_every_cue_has_a_meaning() -> None:
    assert list(CUE_MEANING) == list(CUES)
    assert all(CUE_MEANING[cue] for cue in CUES)


def test_unknown_cue_is_a_bug() -> None:
    with pytest.raises(ValueError, match="unknown cue 'beep'"):
        cue_path("beep")
    assert cue_path("go").name == "go.wav"


@pytest.mark.parametrize(
    ("value", "enabled"),
    [
        (None, True),
        ("", True),
        ("on", True),
        ("1", True),
        ("off", False),
        ("OFF", False),
        ("0", False),
        ("false", False),
        ("No", False),
        (" off ", False),
    ],
)
def test_coach_sound_env(value: str | None, enabled: bool) -> None:
    environ = {} if value is None else {"COACH_SOUND": value}
    assert sound_enabled_from_env(environ) is enabled


def test_recording_beeper_records_cues_with_the_clock_time() -> None:
    clock = FakeClock(start=10.0)
    beeper = RecordingBeeper(clock)
    beeper.play("go")
    clock.advance(2.5)
    beeper.play("tick")
    assert beeper.played == [("go", 10.0), ("tick", 12.5)]
    assert beeper.cues == ["go", "tick"]


def test_recording_beeper_without_a_clock_records_no_time() -> None:
    beeper = RecordingBeeper()
    beeper.play("finish")
    assert beeper.played == [("finish", None)]


def test_recording_beeper_records_nothing_while_muted() -> None:
    beeper = RecordingBeeper()
    beeper.muted = True
    beeper.play("go")
    beeper.muted = False
    beeper.play("rest")
    assert beeper.cues == ["rest"]


def test_recording_beeper_rejects_unknown_cues_and_remembers_close() -> None:
    beeper = RecordingBeeper()
    with pytest.raises(ValueError):
        beeper.play("ding")
    assert not beeper.closed
    beeper.close()
    assert beeper.closed


def test_recording_beeper_can_stand_for_a_failed_beeper() -> None:
    beeper = RecordingBeeper(problem="Sound is off: test")
    assert beeper.take_problem() == "Sound is off: test"
    assert beeper.take_problem() is None
    assert beeper.problem == "Sound is off: test"
    assert RecordingBeeper().take_problem() is None


def test_null_beeper_is_silent_and_never_fails() -> None:
    beeper: Beeper = NullBeeper()
    beeper.muted = True
    beeper.muted = False
    for cue in CUES:
        beeper.play(cue)
    beeper.close()
    assert beeper.problem is None
    assert beeper.take_problem() is None


# --- PlaysoundBeeper with stand-in players ------------------------------------------------------


def _playsound3_modules() -> list[str]:
    return [name for name in sys.modules if name.partition(".")[0] == "playsound3"]


@pytest.fixture
def fresh_playsound3() -> Iterator[None]:
    """Make the next `import playsound3` probe for players again, under this test's PATH."""
    saved = {name: sys.modules.pop(name) for name in _playsound3_modules()}
    yield
    for name in _playsound3_modules():
        del sys.modules[name]
    sys.modules.update(saved)


@pytest.fixture
def bin_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh_playsound3: None) -> Path:
    """An empty directory that is the whole PATH, with no backend chosen by the environment."""
    path = tmp_path / "bin"
    path.mkdir()
    monkeypatch.setenv("PATH", str(path))
    monkeypatch.delenv("PLAYSOUND3_BACKEND", raising=False)
    return path


@pytest.fixture
def log(tmp_path: Path) -> Path:
    return tmp_path / "player.log"


def add_player(
    bin_dir: Path, name: str, log: Path, status: int = 0, block: Path | None = None
) -> None:
    """A stand-in player: answers version probes, logs the file it is asked to play, exits.

    With `block`, a FIFO nobody writes to, it waits there until it is stopped.
    """
    wait = f"read line < '{block}'\n" if block else ""
    script = bin_dir / name
    script.write_text(
        "#!/bin/sh\n"
        'case "$1" in --version|-version) exit 0 ;; esac\n'
        'for arg; do last="$arg"; done\n'
        f"printf '%s\\n' \"$last\" >> '{log}'\n"
        f"{wait}"
        f"exit {status}\n"
    )
    script.chmod(0o755)


def logged(log: Path) -> list[str]:
    return log.read_text().splitlines() if log.exists() else []


def spy_on_players(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Any, bool]]:
    """Import playsound3 now and record each Sound that `playsound` returns, with its `block`."""
    import playsound3

    started: list[tuple[Any, bool]] = []
    real = playsound3.playsound

    def playsound(sound: str, block: bool = True, backend: str | None = None) -> Any:
        started.append((result := real(sound, block=block, backend=backend), block))
        return result

    monkeypatch.setattr(playsound3, "playsound", playsound)
    return started


@posix_only
@pytest.mark.parametrize(
    ("backend", "program"),
    [
        (None, "gst-play-1.0"),
        ("gstreamer", "gst-play-1.0"),
        ("ffplay", "ffplay"),
        ("alsa", "aplay"),
    ],
)
def test_plays_the_cue_files_through_the_player(
    bin_dir: Path, log: Path, monkeypatch: pytest.MonkeyPatch, backend: str | None, program: str
) -> None:
    if backend:
        monkeypatch.setenv("PLAYSOUND3_BACKEND", backend)
    add_player(bin_dir, program, log)
    beeper = PlaysoundBeeper()
    assert "playsound3" not in sys.modules  # nothing loads before the first play
    for cue in ("go", "tick", "finish"):
        beeper.play(cue)
        beeper.wait()  # players run side by side; one at a time keeps the log in cue order
    assert logged(log) == [str(cue_path(cue)) for cue in ("go", "tick", "finish")]
    assert beeper.problem is None
    assert beeper.take_problem() is None
    assert beeper.sounding == 0


WEB_MODULES = ("urllib.request", "http.client", "email.message")
LOADED = "print(sorted(m for m in WEB_MODULES if type(sys.modules.get(m)).__name__ == 'module'))"


@posix_only
def test_playing_leaves_playsound3s_web_download_code_unloaded_until_used(
    bin_dir: Path, log: Path
) -> None:
    # playsound3 imports urllib.request (and with it http.client and the email package) for
    # sounds given as web addresses; coach never plays one, so none of it should be loaded.
    add_player(bin_dir, "gst-play-1.0", log)
    code = (
        f"import sys\nWEB_MODULES = {WEB_MODULES!r}\n"
        "from coach.sound import PlaysoundBeeper\n"
        "beeper = PlaysoundBeeper(); beeper.play('go'); beeper.wait()\n"
        f"assert 'playsound3' in sys.modules and beeper.problem is None\n{LOADED}\n"
        "import urllib.request\n"
        "from urllib.request import urlopen\n"
        "print(urllib.request.Request('https://example.org/a.wav').full_url, callable(urlopen))\n"
        "import playsound3.playsound3 as p\n"
        "print(p.urllib.request.Request is urllib.request.Request)\n"
        f"{LOADED}\n"
    )
    out = python(code, PATH=str(bin_dir)).splitlines()
    assert out == [
        "[]",
        "https://example.org/a.wav True",
        "True",
        str(sorted(WEB_MODULES)),
    ]
    assert logged(log) == [str(cue_path("go"))]


@posix_only
def test_plays_in_the_background(bin_dir: Path, log: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    add_player(bin_dir, "gst-play-1.0", log)
    started = spy_on_players(monkeypatch)
    beeper = PlaysoundBeeper()
    beeper.play("rest")
    beeper.play("switch")
    assert [block for _, block in started] == [False, False]
    for sound, _ in started:
        assert sound.subprocess.wait(timeout=10) == 0
    # Both players run at once, so either may write to the log first.
    assert sorted(logged(log)) == sorted([str(cue_path("rest")), str(cue_path("switch"))])


@posix_only
def test_muted_plays_nothing_and_loads_nothing(bin_dir: Path, log: Path) -> None:
    add_player(bin_dir, "gst-play-1.0", log)
    beeper = PlaysoundBeeper()
    beeper.muted = True
    beeper.play("go")
    assert "playsound3" not in sys.modules
    beeper.muted = False
    beeper.play("hold_done")
    beeper.wait()
    assert logged(log) == [str(cue_path("hold_done"))]


@posix_only
def test_no_player_at_all_gives_one_notice_then_silence(bin_dir: Path, log: Path) -> None:
    beeper = PlaysoundBeeper()
    beeper.play("go")
    assert beeper.take_problem() == NO_PLAYER
    assert beeper.take_problem() is None
    # Even once a player appears, the beeper stays off: it does not retry on every cue.
    add_player(bin_dir, "gst-play-1.0", log)
    beeper.play("tick")
    beeper.wait()
    assert logged(log) == []
    assert beeper.take_problem() is None
    assert beeper.problem == NO_PLAYER


@posix_only
def test_unknown_backend_gives_one_notice(
    bin_dir: Path, log: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PLAYSOUND3_BACKEND", "bogus")
    add_player(bin_dir, "gst-play-1.0", log)
    beeper = PlaysoundBeeper()
    beeper.play("go")
    beeper.play("go")
    assert beeper.take_problem() == "Sound is off: unknown backend 'bogus'"
    assert beeper.take_problem() is None
    assert logged(log) == []


@posix_only
def test_chosen_backend_without_its_program_gives_one_notice(
    bin_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PLAYSOUND3_BACKEND", "gstreamer")
    beeper = PlaysoundBeeper()
    beeper.play("go")
    beeper.play("rest")
    notice = beeper.take_problem()
    assert notice is not None and notice.startswith("Sound is off: cannot run gst-play-1.0")
    assert beeper.take_problem() is None


@posix_only
def test_a_broken_player_probe_at_import_gives_one_notice(bin_dir: Path) -> None:
    # playsound3 runs `gst-play-1.0 --version` when imported and lets a failure escape.
    script = bin_dir / "gst-play-1.0"
    script.write_text("#!/bin/sh\nexit 3\n")
    script.chmod(0o755)
    beeper = PlaysoundBeeper()
    beeper.play("go")
    notice = beeper.take_problem()
    assert notice is not None and notice.startswith("Sound is off: the audio player check failed")
    assert beeper.take_problem() is None


def test_missing_playsound3_gives_one_notice(
    fresh_playsound3: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "playsound3", None)  # makes `import playsound3` fail
    beeper = PlaysoundBeeper()
    beeper.play("go")
    assert beeper.take_problem() == "Sound is off: playsound3 is not installed"
    assert beeper.take_problem() is None


@posix_only
def test_a_player_that_fails_turns_sound_off(
    bin_dir: Path, log: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_player(bin_dir, "gst-play-1.0", log, status=1)
    started = spy_on_players(monkeypatch)
    beeper = PlaysoundBeeper()
    beeper.play("go")
    assert started[0][0].subprocess.wait(timeout=10) == 1
    beeper.play("tick")  # notices the failure first, so plays nothing
    assert beeper.take_problem() == "Sound is off: the audio player failed (exit status 1)"
    assert beeper.take_problem() is None
    assert logged(log) == [str(cue_path("go"))]
    assert len(started) == 1


@posix_only
def test_a_missing_sound_file_turns_sound_off(bin_dir: Path, log: Path, tmp_path: Path) -> None:
    add_player(bin_dir, "gst-play-1.0", log)
    sounds = tmp_path / "sounds"
    sounds.mkdir()
    shutil.copy(cue_path("go"), sounds / "go.wav")
    beeper = PlaysoundBeeper(sounds)
    beeper.play("tick")
    assert beeper.take_problem() == "Sound is off: missing sound file tick.wav"
    beeper.play("go")
    beeper.wait()
    assert logged(log) == []
    assert beeper.take_problem() is None


@posix_only
def test_close_stops_players_still_sounding(
    bin_dir: Path, log: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fifo = tmp_path / "never"
    os.mkfifo(fifo)
    add_player(bin_dir, "gst-play-1.0", log, block=fifo)
    started = spy_on_players(monkeypatch)
    beeper = PlaysoundBeeper()
    beeper.play("finish")
    assert beeper.sounding == 1
    beeper.close()
    assert started[0][0].subprocess.wait(timeout=10) == -signal.SIGTERM
    assert beeper.sounding == 0
    assert beeper.problem is None  # being stopped is not a failure
    beeper.close()


def test_unknown_cue_raises_even_when_muted() -> None:
    beeper = PlaysoundBeeper()
    beeper.muted = True
    with pytest.raises(ValueError):
        beeper.play("bell")
