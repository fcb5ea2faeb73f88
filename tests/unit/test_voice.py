"""Speech engines, rendering and the phrase cache (coach.voice).

Rendering is tested with a stand-in engine: a small Python script run through COACH_VOICE_CMD
that reads the phrase on standard input, logs what it got and writes a WAV whose length grows
with the text. espeak-ng itself is tried when it is installed.
"""

from __future__ import annotations

import shutil
import wave
from collections.abc import Sequence
from pathlib import Path

import pytest

from coach.testing import StandInEngine
from coach.voice import (
    ENGINES,
    SAPI_SCRIPT,
    Engine,
    PhraseCache,
    VoiceError,
    VoiceSetting,
    choose_engine,
    espeak_voices,
    find_engines,
    list_voices,
    parse_voice,
    render,
    say_voices,
    voice_setting,
    voices_report,
    wav_seconds,
)

RATE = 8000
FRAMES_PER_CHARACTER = 80  # the stand-in engine's phrase lasts 10 ms a character


def on_path(*names: str):  # type: ignore[no-untyped-def]
    """A stand-in for shutil.which that finds only `names`, in /usr/bin."""
    return lambda name: f"/usr/bin/{name}" if name in names else None


@pytest.fixture
def fake(tmp_path: Path) -> StandInEngine:
    return StandInEngine(tmp_path)


@pytest.fixture
def out_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


# ------------------------------------------------------------------ the setting


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("off", VoiceSetting("off")),
        (" OFF ", VoiceSetting("off")),
        ("Auto", VoiceSetting("auto")),
        ("espeak-ng", VoiceSetting("engine", "espeak-ng")),
        ("ESPEAK-NG:en-gb", VoiceSetting("engine", "espeak-ng", "en-gb")),
        ("say:Eddy (English (UK))", VoiceSetting("engine", "say", "Eddy (English (UK))")),
        ("sapi:Microsoft Zira Desktop", VoiceSetting("engine", "sapi", "Microsoft Zira Desktop")),
        ("cmd", VoiceSetting("engine", "cmd")),
        ("cmd:models/en:low", VoiceSetting("engine", "cmd", "models/en:low")),
    ],
)
def test_parse_voice_takes_every_form(value: str, expected: VoiceSetting) -> None:
    assert parse_voice(value) == expected


@pytest.mark.parametrize("value", ["", "loud", "espeak", "espeak-ng:", "say:  ", ":en", "on"])
def test_parse_voice_refuses_anything_else_in_one_line_saying_what_is_accepted(value: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_voice(value)
    message = str(caught.value)
    assert "\n" not in message
    assert "off, auto" in message
    assert all(name in message for name in ENGINES)


def test_parse_voice_shows_control_characters_escaped() -> None:
    with pytest.raises(ValueError, match=r"\\x1b\[2J"):
        parse_voice("\x1b[2J")


def test_the_flag_wins_over_coach_voice() -> None:
    environ = {"COACH_VOICE": "say:Alex"}
    assert voice_setting("espeak-ng:en-us", environ) == VoiceSetting("engine", "espeak-ng", "en-us")
    assert voice_setting("off", environ) == VoiceSetting("off")


def test_coach_voice_is_used_without_the_flag_and_auto_without_either() -> None:
    assert voice_setting(None, {"COACH_VOICE": "say:Alex"}) == VoiceSetting("engine", "say", "Alex")
    assert voice_setting(None, {}) == VoiceSetting("auto")
    assert voice_setting(None, {"COACH_VOICE": "  "}) == VoiceSetting("auto")


def test_a_bad_coach_voice_is_named_and_a_bad_flag_is_not_blamed_on_it() -> None:
    with pytest.raises(ValueError, match=r"^COACH_VOICE: unknown voice 'loud'"):
        voice_setting(None, {"COACH_VOICE": "loud"})
    with pytest.raises(ValueError) as caught:
        voice_setting("loud", {"COACH_VOICE": "off"})
    assert "COACH_VOICE" not in str(caught.value)


# ------------------------------------------------------------------ finding engines


@pytest.mark.parametrize(
    ("platform", "programs", "expected"),
    [
        ("linux", ["espeak-ng"], ["espeak-ng"]),
        ("linux", [], []),
        ("linux", ["say", "powershell"], []),  # say and SAPI belong to their own systems
        ("darwin", ["say", "espeak-ng"], ["say", "espeak-ng"]),
        ("darwin", ["say"], ["say"]),
        ("win32", ["powershell", "espeak-ng"], ["sapi", "espeak-ng"]),
        ("win32", [], []),
    ],
)
def test_find_engines_lists_what_is_here_best_first(
    platform: str, programs: list[str], expected: list[str]
) -> None:
    engines = find_engines({}, on_path(*programs), platform)
    assert [e.name for e in engines] == expected


def test_sapi_prefers_windows_powershell_and_falls_back_on_pwsh() -> None:
    (both,) = find_engines({}, on_path("powershell", "pwsh"), "win32")
    (pwsh,) = find_engines({}, on_path("pwsh"), "win32")
    assert both.argv[0] == "/usr/bin/powershell"
    assert pwsh.argv[0] == "/usr/bin/pwsh"


def test_a_command_template_comes_first_when_its_program_is_found() -> None:
    environ = {"COACH_VOICE_CMD": "piper --model 'my model.onnx' --output_file {out}"}
    engines = find_engines(environ, on_path("piper", "espeak-ng"), "linux")
    assert [e.name for e in engines] == ["cmd", "espeak-ng"]
    assert engines[0].argv == ("piper", "--model", "my model.onnx", "--output_file", "{out}")


@pytest.mark.parametrize(
    "template",
    ["piper --output_file {out}", "espeak-ng --stdin -w out.wav", "piper 'unclosed {out}", "  "],
)
def test_a_command_template_that_cannot_work_is_left_out(template: str) -> None:
    engines = find_engines({"COACH_VOICE_CMD": template}, on_path("espeak-ng"), "linux")
    assert [e.name for e in engines] == ["espeak-ng"]


def test_choose_engine_off_is_none_and_auto_is_the_best_found() -> None:
    which = on_path("say", "espeak-ng")
    assert choose_engine(VoiceSetting("off"), {}, which, "darwin") is None
    chosen = choose_engine(VoiceSetting("auto"), {}, which, "darwin")
    assert chosen is not None and chosen.name == "say"
    assert choose_engine(VoiceSetting("auto"), {}, on_path(), "linux") is None


def test_choose_engine_gives_a_named_engine_its_voice() -> None:
    setting = parse_voice("espeak-ng:en-gb")
    chosen = choose_engine(setting, {}, on_path("espeak-ng"), "darwin")
    assert chosen == Engine("espeak-ng", "en-gb", chosen.argv if chosen else ())
    assert chosen is not None and chosen.argv[0] == "/usr/bin/espeak-ng"


@pytest.mark.parametrize(
    ("value", "environ", "platform", "message"),
    [
        ("espeak-ng", {}, "linux", "espeak-ng is not installed"),
        ("say", {}, "linux", "say is only on macOS"),
        ("say", {}, "darwin", "say is not installed"),
        ("sapi", {}, "darwin", "sapi is only on Windows"),
        ("sapi", {}, "win32", "sapi needs PowerShell, which is not found"),
        ("cmd", {}, "linux", "COACH_VOICE_CMD is not set"),
        ("cmd", {"COACH_VOICE_CMD": "piper 'x {out}"}, "linux", "COACH_VOICE_CMD cannot be read"),
        ("cmd", {"COACH_VOICE_CMD": "piper -f x.wav"}, "linux", "COACH_VOICE_CMD has no {out}"),
        (
            "cmd",
            {"COACH_VOICE_CMD": "nosuch -f {out}"},
            "linux",
            "COACH_VOICE_CMD: program 'nosuch' not found",
        ),
    ],
)
def test_choose_engine_says_in_one_line_why_a_named_engine_cannot_be_used(
    value: str, environ: dict[str, str], platform: str, message: str
) -> None:
    with pytest.raises(VoiceError) as caught:
        choose_engine(parse_voice(value), environ, on_path("piper"), platform)
    assert str(caught.value).startswith(message)
    assert "\n" not in str(caught.value)


def test_a_windows_template_keeps_its_backslashes() -> None:
    environ = {"COACH_VOICE_CMD": r'"C:\Program Files\piper\piper.exe" -f {out} --m C:\m.onnx'}
    chosen = choose_engine(parse_voice("cmd"), environ, lambda name: name, "win32")
    assert chosen is not None
    assert chosen.argv == (r"C:\Program Files\piper\piper.exe", "-f", "{out}", "--m", r"C:\m.onnx")


# ------------------------------------------------------------------ commands, keys, labels


def test_espeak_and_say_read_the_phrase_on_standard_input(tmp_path: Path) -> None:
    out = tmp_path / "a.wav"
    espeak = choose_engine(parse_voice("espeak-ng:en-gb"), {}, on_path("espeak-ng"), "linux")
    say = choose_engine(parse_voice("say:Alex"), {}, on_path("say"), "darwin")
    assert espeak is not None and say is not None
    espeak_argv = espeak.command(out)
    assert espeak_argv[0] == "/usr/bin/espeak-ng"
    assert "--stdin" in espeak_argv
    assert espeak_argv[espeak_argv.index("-w") + 1] == str(out)
    assert espeak_argv[espeak_argv.index("-v") + 1] == "en-gb"
    say_argv = say.command(out)
    assert say_argv[say_argv.index("-f") + 1] == "-"
    assert say_argv[say_argv.index("-o") + 1] == str(out)
    assert say_argv[say_argv.index("-v") + 1] == "Alex"
    assert "--file-format=WAVE" in say_argv
    assert espeak.environment(out) == say.environment(out) == {}


def test_sapi_gets_its_file_and_voice_by_environment_not_in_its_script(tmp_path: Path) -> None:
    out = tmp_path / "it's here.wav"
    sapi = choose_engine(
        parse_voice("sapi:Microsoft Zira Desktop"), {}, on_path("powershell"), "win32"
    )
    assert sapi is not None
    argv = sapi.command(out)
    assert argv == ["/usr/bin/powershell", "-NoProfile", "-NonInteractive", "-Command", SAPI_SCRIPT]
    assert sapi.environment(out) == {
        "COACH_VOICE_OUT": str(out),
        "COACH_VOICE_NAME": "Microsoft Zira Desktop",
    }
    for needed in ("$env:COACH_VOICE_OUT", "$env:COACH_VOICE_NAME", "OpenStandardInput", "UTF8"):
        assert needed in SAPI_SCRIPT
    default = choose_engine(parse_voice("sapi"), {}, on_path("powershell"), "win32")
    assert default is not None and "COACH_VOICE_NAME" not in default.environment(out)


def test_a_template_gets_the_file_and_voice_in_every_word(tmp_path: Path) -> None:
    environ = {"COACH_VOICE_CMD": "tts --model={voice}.onnx --out {out} --also={out}"}
    engine = choose_engine(parse_voice("cmd:en_GB-alan"), environ, on_path("tts"), "linux")
    assert engine is not None
    out = tmp_path / "p.wav"
    assert engine.command(out) == [
        "tts",
        "--model=en_GB-alan.onnx",
        "--out",
        str(out),
        f"--also={out}",
    ]


def test_the_cache_key_changes_with_engine_voice_and_template_but_not_program_path() -> None:
    def engine(value: str, environ: dict[str, str] | None = None, where: str = "/usr/bin") -> str:
        which = lambda name: f"{where}/{name}"  # noqa: E731
        chosen = choose_engine(parse_voice(value), environ or {}, which, "darwin")
        assert chosen is not None
        return chosen.key

    keys = [
        engine("espeak-ng"),
        engine("espeak-ng:en-gb"),
        engine("espeak-ng:en-us"),
        engine("say"),
        engine("cmd", {"COACH_VOICE_CMD": "piper -m a.onnx -f {out}"}),
        engine("cmd", {"COACH_VOICE_CMD": "piper -m b.onnx -f {out}"}),
        engine("cmd:x", {"COACH_VOICE_CMD": "piper -m b.onnx -f {out}"}),
    ]
    assert len(set(keys)) == len(keys)
    assert engine("espeak-ng", where="/opt/bin") == engine("espeak-ng")


def test_labels_are_for_people() -> None:
    which = on_path("espeak-ng", "piper")
    assert choose_engine(parse_voice("espeak-ng:en-gb"), {}, which).label == (  # type: ignore[union-attr]
        "espeak-ng (voice en-gb)"
    )
    environ = {"COACH_VOICE_CMD": "piper --model 'my m.onnx' --output_file {out}"}
    cmd = choose_engine(parse_voice("cmd"), environ, which)
    assert cmd is not None
    assert cmd.label == "cmd: piper --model 'my m.onnx' --output_file {out}"


# ------------------------------------------------------------------ rendering


def test_the_phrase_goes_in_on_standard_input_even_when_it_starts_with_a_dash(
    fake: StandInEngine, out_dir: Path
) -> None:
    out = out_dir / "p.wav"
    text = "-3 reps: --help is not an option"
    render(fake.engine(), text, out)
    (call,) = fake.calls()
    assert call["text"] == text
    assert text not in call["argv"]  # type: ignore[operator]
    assert wav_seconds(out) == pytest.approx(len(text) * FRAMES_PER_CHARACTER / RATE)
    assert [p.name for p in out_dir.iterdir()] == ["p.wav"]


def test_a_longer_phrase_makes_a_longer_sound_and_unicode_arrives_whole(
    fake: StandInEngine, out_dir: Path
) -> None:
    render(fake.engine(), "three", out_dir / "a.wav")
    render(fake.engine(), "Knee down – hold 30 s, café", out_dir / "b.wav")
    assert wav_seconds(out_dir / "b.wav") > wav_seconds(out_dir / "a.wav")
    assert fake.calls()[1]["text"] == "Knee down – hold 30 s, café"


def assert_nothing_left(out_dir: Path) -> None:
    assert list(out_dir.iterdir()) == []


def test_an_engine_that_fails_gives_one_line_with_its_own_last_words(
    fake: StandInEngine, out_dir: Path
) -> None:
    with pytest.raises(VoiceError) as caught:
        render(fake.engine("fail"), "Clamshell.", out_dir / "p.wav")
    message = str(caught.value)
    assert message.startswith("cmd failed (exit status 3): boom: no model \\x1b[31mhere")
    assert "\n" not in message and "\x1b" not in message
    assert_nothing_left(out_dir)


def test_an_engine_that_hangs_is_killed_at_the_time_limit(
    fake: StandInEngine, out_dir: Path
) -> None:
    with pytest.raises(VoiceError, match=r"^cmd did not finish a phrase within 0.5 s$"):
        render(fake.engine("hang"), "Clamshell.", out_dir / "p.wav", timeout=0.5)
    assert_nothing_left(out_dir)


@pytest.mark.parametrize(
    ("mode", "message"),
    [
        ("garbage", "cmd wrote no WAV sound"),
        ("nothing", "cmd wrote no WAV sound"),
        ("silent", "cmd wrote an empty sound"),
    ],
)
def test_an_engine_that_writes_no_sound_gives_a_voice_error(
    fake: StandInEngine, out_dir: Path, mode: str, message: str
) -> None:
    with pytest.raises(VoiceError, match=f"^{message}"):
        render(fake.engine(mode), "Clamshell.", out_dir / "p.wav")
    assert_nothing_left(out_dir)


def test_a_failed_rendering_leaves_the_old_file_as_it_was(
    fake: StandInEngine, out_dir: Path
) -> None:
    out = out_dir / "p.wav"
    render(fake.engine(), "three", out)
    before = out.read_bytes()
    with pytest.raises(VoiceError):
        render(fake.engine("garbage"), "four", out)
    assert out.read_bytes() == before
    assert [p.name for p in out_dir.iterdir()] == ["p.wav"]


def test_a_program_that_cannot_be_run_gives_a_voice_error(out_dir: Path) -> None:
    engine = Engine("espeak-ng", None, (str(out_dir / "no-such-program"),))
    with pytest.raises(VoiceError, match=r"^espeak-ng: cannot run '.*no-such-program'"):
        render(engine, "three", out_dir / "p.wav")
    assert_nothing_left(out_dir)


def test_a_phrase_without_words_is_a_mistake_of_the_caller(
    fake: StandInEngine, out_dir: Path
) -> None:
    with pytest.raises(ValueError):
        render(fake.engine(), "  ", out_dir / "p.wav")
    assert fake.calls() == []


def test_wav_seconds_reads_the_length_and_refuses_what_is_not_a_wav(tmp_path: Path) -> None:
    sound = tmp_path / "s.wav"
    with wave.open(str(sound), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(22050)
        w.writeframes(b"\0\0" * 11025)
    assert wav_seconds(sound) == 0.5
    (tmp_path / "bad.wav").write_bytes(b"RIFX nonsense")
    with pytest.raises(VoiceError, match=r"^bad\.wav is not a WAV sound"):
        wav_seconds(tmp_path / "bad.wav")


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed")
def test_espeak_ng_renders_a_phrase_that_starts_with_a_dash(tmp_path: Path) -> None:
    engine = choose_engine(parse_voice("espeak-ng"), {})
    assert engine is not None
    short, long = tmp_path / "short.wav", tmp_path / "long.wav"
    render(engine, "-3", short)
    render(engine, "Clamshell. Lie on your left side; your right leg works.", long)
    assert 0 < wav_seconds(short) < wav_seconds(long) < 10


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed")
def test_espeak_ng_with_a_voice_it_does_not_have_says_so(tmp_path: Path) -> None:
    engine = choose_engine(parse_voice("espeak-ng:zzqq"), {})
    assert engine is not None
    with pytest.raises(VoiceError, match=r"^espeak-ng failed \(exit status \d+\): .*voice"):
        render(engine, "three", tmp_path / "p.wav")
    assert list(tmp_path.iterdir()) == []


# ------------------------------------------------------------------ the cache


def test_the_cache_touches_nothing_until_it_renders(fake: StandInEngine, tmp_path: Path) -> None:
    root = tmp_path / "data" / "voice"
    cache = PhraseCache(root, fake.engine())
    assert cache.get("three") is None
    assert cache.seconds("three") is None
    assert not root.exists()
    path = cache.ensure("three")
    assert path.parent == root and path.is_file()


def test_ensure_renders_once_then_reuses_the_file_even_in_a_new_cache(
    fake: StandInEngine, tmp_path: Path
) -> None:
    root = tmp_path / "voice"
    cache = PhraseCache(root, fake.engine())
    first = cache.ensure("last one")
    assert cache.ensure("last one") == first
    assert PhraseCache(root, fake.engine()).ensure("last one") == first
    assert [c["text"] for c in fake.calls()] == ["last one"]
    assert cache.get("last one") == first
    assert cache.seconds("last one") == pytest.approx(len("last one") * FRAMES_PER_CHARACTER / RATE)


def test_a_new_voice_or_template_never_reuses_old_audio(
    fake: StandInEngine, tmp_path: Path
) -> None:
    root = tmp_path / "voice"
    plain = PhraseCache(root, fake.engine())
    voiced = PhraseCache(root, fake.engine(voice="alan"))
    other = Engine("cmd", None, (*fake.engine().argv, "--louder"))
    paths = {plain.path("three"), voiced.path("three"), PhraseCache(root, other).path("three")}
    assert len(paths) == 3
    assert plain.path("three") != plain.path("four")
    plain.ensure("three")
    assert voiced.get("three") is None
    voiced.ensure("three")
    assert len(fake.calls()) == 2


def test_a_damaged_cached_file_is_rendered_again(fake: StandInEngine, tmp_path: Path) -> None:
    cache = PhraseCache(tmp_path / "voice", fake.engine())
    cache.path("three").parent.mkdir(parents=True)
    cache.path("three").write_bytes(b"half a fi")
    assert cache.get("three") is None
    assert cache.seconds("three") is None
    cache.ensure("three")
    assert len(fake.calls()) == 1
    assert cache.seconds("three") == pytest.approx(5 * FRAMES_PER_CHARACTER / RATE)


def test_a_failed_rendering_leaves_nothing_in_the_cache(
    fake: StandInEngine, tmp_path: Path
) -> None:
    cache = PhraseCache(tmp_path / "voice", fake.engine("fail"))
    with pytest.raises(VoiceError):
        cache.ensure("three")
    assert cache.get("three") is None
    assert list((tmp_path / "voice").iterdir()) == []


def test_a_cache_folder_that_cannot_be_made_gives_a_voice_error(
    fake: StandInEngine, tmp_path: Path
) -> None:
    (tmp_path / "file").write_text("")
    cache = PhraseCache(tmp_path / "file" / "voice", fake.engine())
    with pytest.raises(VoiceError, match=r"^cannot make .*voice: "):
        cache.ensure("three")


# ------------------------------------------------------------------ voices

ESPEAK_LISTING = """\
Pty Language       Age/Gender VoiceName          File                 Other Languages
 5  af              --/M      Afrikaans          gmw/af
 2  en-gb           --/M      English_(Great_Britain) gmw/en               (en 2)
 3  en-uk           --/M      english-mb-en1     mb/mb-en1            (en-gb 3)(en 2)
 2  en-us           --/M      English_(America)  gmw/en-US            (en 3)
 5  en-us           --/F      us-mbrola-1        mb/mb-us1            (en 8)
 5  variant         --/M      Storm              !v/Storm             (en-us 5)
 5  cmn-latn-pinyin --/M      Chinese_(Mandarin,_latin_as_Pinyin) sit/cmn-Latn-pinyin  (zh 5)
"""

SAY_LISTING = """\
Albert              en_US    # Hello! My name is Albert.
Eddy (English (UK)) en_GB    # Hello! My name is Eddy.
Alex                en_US    # Most people recognize me by my voice.
Amélie              fr_CA    # Bonjour, je m’appelle Amélie.
"""


def test_espeak_voices_are_the_language_names_without_variants_or_mbrola() -> None:
    assert espeak_voices(ESPEAK_LISTING) == ["af", "en-gb", "en-us", "cmn-latn-pinyin"]


def test_say_voices_are_the_names_before_the_language() -> None:
    assert say_voices(SAY_LISTING) == ["Albert", "Eddy (English (UK))", "Alex", "Amélie"]


class Runs:
    """A stand-in for running a listing command: records the command, answers with `text`."""

    def __init__(self, text: str = "", error: VoiceError | None = None) -> None:
        self.text, self.error = text, error
        self.argvs: list[list[str]] = []

    def __call__(self, argv: Sequence[str], timeout: float) -> str:
        self.argvs.append(list(argv))
        if self.error:
            raise self.error
        return self.text


def test_list_voices_asks_each_engine_its_own_way() -> None:
    espeak = Engine("espeak-ng", None, ("/usr/bin/espeak-ng", "-s", "165"))
    run = Runs(ESPEAK_LISTING)
    assert list_voices(espeak, run=run)[:2] == ["af", "en-gb"]
    assert run.argvs == [["/usr/bin/espeak-ng", "--voices"]]

    run = Runs(SAY_LISTING)
    assert list_voices(Engine("say", None, ("/usr/bin/say",)), run=run)[0] == "Albert"
    assert run.argvs == [["/usr/bin/say", "-v", "?"]]

    run = Runs("Microsoft David Desktop\r\nMicrosoft Zira Desktop\r\n\r\n")
    sapi = Engine("sapi", None, ("powershell", "-NoProfile", "-NonInteractive", "-Command", "x"))
    assert list_voices(sapi, run=run) == ["Microsoft David Desktop", "Microsoft Zira Desktop"]
    assert run.argvs[0][0] == "powershell" and "GetInstalledVoices" in run.argvs[0][-1]

    run = Runs("ignored")
    assert list_voices(Engine("cmd", None, ("piper", "{out}")), run=run) == []
    assert run.argvs == []


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed")
def test_list_voices_of_the_real_espeak_ng() -> None:
    engine = choose_engine(parse_voice("espeak-ng"), {})
    assert engine is not None
    assert "en-gb" in list_voices(engine)


def test_the_voices_report_marks_the_engine_in_use_and_lists_its_voices() -> None:
    lines = voices_report(
        parse_voice("espeak-ng:en-gb"),
        {},
        on_path("say", "espeak-ng"),
        "darwin",
        Runs(ESPEAK_LISTING),
    )
    assert lines == [
        "Voice engines found (best first):",
        "  say        /usr/bin/say",
        "  espeak-ng  /usr/bin/espeak-ng  (in use)",
        "In use: espeak-ng (voice en-gb)",
        "Its voices (choose one with --voice espeak-ng:NAME):",
        "  af, en-gb, en-us, cmn-latn-pinyin",
    ]


def test_the_voices_report_wraps_long_lists_without_cutting_a_name() -> None:
    names = "".join(f"Voice number {i}  en_US  # Hello.\n" for i in range(30))
    lines = voices_report(VoiceSetting("auto"), {}, on_path("say"), "darwin", Runs(names))
    listed = lines[lines.index("Its voices (choose one with --voice say:NAME):") + 1 :]
    assert len(listed) > 1
    assert all(len(line) <= 80 for line in listed)
    assert [n.strip() for line in listed for n in line.split(",") if n.strip()] == [
        f"Voice number {i}" for i in range(30)
    ]


def test_the_voices_report_when_nothing_is_found_or_voice_is_off() -> None:
    nothing = voices_report(VoiceSetting("auto"), {}, on_path(), "linux", Runs())
    assert len(nothing) == 1
    assert nothing[0].startswith("No voice engine found: install espeak-ng, or set COACH_VOICE_CMD")
    off = voices_report(VoiceSetting("off"), {}, on_path("espeak-ng"), "linux", Runs())
    assert off == [
        "Voice engines found (best first):",
        "  espeak-ng  /usr/bin/espeak-ng",
        "Voice is off.",
    ]


def test_the_voices_report_says_why_an_engine_cannot_be_used() -> None:
    environ = {"COACH_VOICE_CMD": "piper --output_file out.wav"}
    lines = voices_report(parse_voice("say"), environ, on_path("espeak-ng"), "linux", Runs())
    assert lines[-2:] == [
        "Not used: COACH_VOICE_CMD has no {out} for the WAV file to write.",
        "Voice: say is only on macOS.",
    ]
    failing = Runs(error=VoiceError("espeak-ng failed to list its voices: no data"))
    lines = voices_report(VoiceSetting("auto"), {}, on_path("espeak-ng"), "linux", failing)
    assert lines[-1] == "Its voices cannot be listed: espeak-ng failed to list its voices: no data."


def test_the_voices_report_for_a_template_shows_it_and_lists_no_voices() -> None:
    environ = {"COACH_VOICE_CMD": "piper --model m.onnx --output_file {out}"}
    run = Runs()
    lines = voices_report(
        VoiceSetting("auto"), environ, on_path("piper", "espeak-ng"), "linux", run
    )
    assert lines == [
        "Voice engines found (best first):",
        "  cmd        piper --model m.onnx --output_file {out}  (in use)",
        "  espeak-ng  /usr/bin/espeak-ng",
        "In use: cmd: piper --model m.onnx --output_file {out}",
    ]
    assert run.argvs == []


def test_a_template_with_a_voice_shows_it_and_a_broken_one_is_named_once() -> None:
    environ = {"COACH_VOICE_CMD": "piper --model {voice} --output_file {out}"}
    which = on_path("piper", "espeak-ng")
    lines = voices_report(parse_voice("cmd:en_GB-alan"), environ, which, "linux", Runs())
    assert lines[-1] == "In use: cmd: piper --model {voice} --output_file {out} (voice en_GB-alan)"
    broken = {"COACH_VOICE_CMD": "piper --model m.onnx"}
    lines = voices_report(parse_voice("cmd"), broken, which, "linux", Runs())
    assert [line for line in lines if "COACH_VOICE_CMD" in line] == [
        "Voice: COACH_VOICE_CMD has no {out} for the WAV file to write."
    ]


def test_a_cached_file_removed_while_in_use_is_rendered_again(
    fake: StandInEngine, tmp_path: Path
) -> None:
    cache = PhraseCache(tmp_path / "voice", fake.engine())
    cache.ensure("three").unlink()
    assert cache.get("three") is None
    assert cache.ensure("three").is_file()
    assert len(fake.calls()) == 2
