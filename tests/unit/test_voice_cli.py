"""The voice on the command line: --voice, --no-voice, COACH_VOICE and `coach voices`."""

from __future__ import annotations

from pathlib import Path

import pytest

from coach.cli import _voice, main
from coach.speaker import VoiceSpeaker
from coach.testing import StandInEngine
from coach.voice import VoiceSetting


def setting(argv: list[str]) -> VoiceSetting:
    from coach.cli import build_parser

    return _voice(build_parser().parse_args(argv))


def test_the_flag_wins_over_coach_voice_and_no_voice_is_voice_off(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("COACH_VOICE", "espeak-ng:en-gb")
    assert setting(["run", "low-back"]) == VoiceSetting("engine", "espeak-ng", "en-gb")
    assert setting(["run", "low-back", "--voice", "say:Alex"]) == VoiceSetting(
        "engine", "say", "Alex"
    )
    assert setting(["run", "low-back", "--no-voice"]) == VoiceSetting("off")
    assert setting(["--voice", "auto"]) == VoiceSetting("auto")
    monkeypatch.delenv("COACH_VOICE")
    assert setting(["run", "low-back"]) == VoiceSetting("auto")


def test_a_wrong_voice_is_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["voices", "--voice", "robot\x1b[31m"])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert err.splitlines()[-1] == (
        "coach voices: error: argument --voice: unknown voice 'robot\\x1b[31m': use off, auto, "
        "or ENGINE[:VOICE] with ENGINE one of espeak-ng, say, sapi, cmd"
    )
    monkeypatch.setenv("COACH_VOICE", "loud")
    assert main(["voices"]) == 1
    assert capsys.readouterr().err.startswith("coach: COACH_VOICE: unknown voice 'loud'")
    monkeypatch.setattr("coach.cli._is_terminal", lambda stream: True)
    assert main(["run", "low-back"]) == 1  # before the screen starts


def test_coach_voices_names_the_engine_in_use(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    engine = StandInEngine(tmp_path)
    monkeypatch.setenv("COACH_VOICE_CMD", engine.template())
    monkeypatch.delenv("COACH_VOICE")
    assert main(["voices"]) == 0
    out = capsys.readouterr().out
    assert "cmd" in out.splitlines()[1] and "(in use)" in out.splitlines()[1]
    assert main(["voices", "--no-voice"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "Voice is off."


def test_the_app_gets_the_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[object] = []
    monkeypatch.setattr("coach.cli._is_terminal", lambda stream: True)

    def fake_make_app(**kwargs: object) -> object:
        seen.append(kwargs["voice"])
        raise SystemExit(0)

    monkeypatch.setattr("coach.ui.app.make_app", fake_make_app)
    with pytest.raises(SystemExit):
        main(["run", "low-back", "--voice", "espeak-ng"])
    assert seen == [VoiceSetting("engine", "espeak-ng")]


def test_plain_speaks_only_with_voice_given(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COACH_VOICE_CMD", StandInEngine(tmp_path).template())
    monkeypatch.setenv("COACH_VOICE", "cmd")  # not enough: a screen reader reads the lines
    monkeypatch.delenv("COACH_SOUND")
    speakers: list[object] = []

    def fake_run_plain(entry: object, **kwargs: object) -> int:
        speakers.append(kwargs["speaker"])
        return 0

    monkeypatch.setattr("coach.plain.run_plain", fake_run_plain)
    assert main(["run", "low-back", "--plain"]) == 0
    assert main(["run", "low-back", "--plain", "--voice", "cmd"]) == 0
    assert main(["run", "low-back", "--plain", "--no-voice"]) == 0
    monkeypatch.setenv("COACH_SOUND", "off")
    assert main(["run", "low-back", "--plain", "--voice", "cmd"]) == 0  # silence means silence
    first, second, third, fourth = speakers
    assert first is None and third is None and fourth is None
    assert isinstance(second, VoiceSpeaker) and second.problem is None
