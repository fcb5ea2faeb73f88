"""Speech: the system's own engines, rendering a phrase to a WAV file, and the phrase cache.

An engine is a program that reads a phrase on standard input and writes a WAV file: espeak-ng
(Linux, and anywhere it is on PATH), `say` (macOS), SAPI through PowerShell (Windows), or the
person's own command, `COACH_VOICE_CMD='piper --model m.onnx --output_file {out}'`. No engine
is ever given the text as an argument (a phrase may start with `-`), none runs through a shell,
and what they print is kept, never shown; one that fails, hangs past its time limit or writes
something that is not a sound becomes one `VoiceError`, a line for a notice.

Phrases are cached under `<data dir>/voice/`, one file per engine, voice (or command template)
and text, so a new voice never plays old audio. Nothing here touches the disk or runs a program
at import time or when an object is made.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import textwrap
import wave
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from coach.literal import shown

ENGINES: tuple[str, ...] = ("espeak-ng", "say", "sapi", "cmd")
RENDER_SECONDS = 10.0
"""How long one phrase may take to render before its engine is killed."""
LIST_SECONDS = 10.0
"""How long an engine may take to list its voices."""
ESPEAK_OPTIONS: tuple[str, ...] = ("-s", "165", "-z")
"""espeak-ng a little slower than its 175 words a minute, to be clear from across a room, and
without the pause it adds after the last sentence, so a phrase ends when its words do."""
SAY_OPTIONS: tuple[str, ...] = ("--file-format=WAVE", "--data-format=LEI16@22050", "-f", "-")
"""`say` writes 16-bit WAV at 22 050 Hz, reading the phrase from standard input (`-f -`)."""
SAPI_SCRIPT = (
    "$ErrorActionPreference = 'Stop'; "
    "Add-Type -AssemblyName System.Speech; "
    "$s = New-Object System.Speech.Synthesis.SpeechSynthesizer; "
    "try { "
    "if ($env:COACH_VOICE_NAME) { $s.SelectVoice($env:COACH_VOICE_NAME) }; "
    "$in = New-Object System.IO.StreamReader("
    "[Console]::OpenStandardInput(), [System.Text.Encoding]::UTF8); "
    "$s.SetOutputToWaveFile($env:COACH_VOICE_OUT); "
    "$s.Speak($in.ReadToEnd()) "
    "} finally { $s.Dispose() }"
)
"""Speaks standard input (read as UTF-8) to the file named by COACH_VOICE_OUT, in the voice
named by COACH_VOICE_NAME when set: neither is written into the script, so no quoting."""
SAPI_LIST_SCRIPT = (
    "Add-Type -AssemblyName System.Speech; "
    "(New-Object System.Speech.Synthesis.SpeechSynthesizer).GetInstalledVoices() | "
    "ForEach-Object { $_.VoiceInfo.Name }"
)
_POWERSHELL_ARGS = ("-NoProfile", "-NonInteractive", "-Command")
_ACCEPTED = f"off, auto, or ENGINE[:VOICE] with ENGINE one of {', '.join(ENGINES)}"


class VoiceError(Exception):
    """Speech cannot work: one plain line saying what failed, for a notice."""


# ------------------------------------------------------------------ the setting


@dataclass(frozen=True)
class VoiceSetting:
    """What the person asked for: no voice, the best engine found, or a named one."""

    kind: Literal["off", "auto", "engine"]
    engine: str | None = None
    voice: str | None = None


def parse_voice(value: str) -> VoiceSetting:
    """`off`, `auto` or `ENGINE[:VOICE]` (ENGINE in any case; VOICE as written, and it may hold
    ':' itself). Anything else is a ValueError of one line saying what is accepted."""
    text = value.strip()
    word = text.lower()
    if word == "off":
        return VoiceSetting("off")
    if word == "auto":
        return VoiceSetting("auto")
    name, colon, voice = text.partition(":")
    engine = name.strip().lower()
    if engine not in ENGINES:
        raise ValueError(f"unknown voice '{shown(value)}': use {_ACCEPTED}")
    if colon and not voice.strip():
        raise ValueError(f"no voice after '{engine}:' in '{shown(value)}': use {_ACCEPTED}")
    return VoiceSetting("engine", engine, voice.strip() if colon else None)


def voice_setting(flag: str | None, environ: Mapping[str, str]) -> VoiceSetting:
    """The --voice flag, else COACH_VOICE, else auto. A bad COACH_VOICE is a ValueError that
    names it."""
    if flag is not None:
        return parse_voice(flag)
    value = environ.get("COACH_VOICE", "")
    if not value.strip():
        return VoiceSetting("auto")
    try:
        return parse_voice(value)
    except ValueError as exc:
        raise ValueError(f"COACH_VOICE: {exc}") from None


# ------------------------------------------------------------------ engines


@dataclass(frozen=True)
class Engine:
    """One speech program, ready to run. `argv` is the program and its fixed options; for
    `cmd`, the words of COACH_VOICE_CMD with their `{out}` and `{voice}` still in them."""

    name: str
    voice: str | None
    argv: tuple[str, ...]

    @property
    def key(self) -> str:
        """What a phrase's audio depends on: the engine, its voice and its options (for cmd,
        the whole template). Not where the program lives."""
        options = self.argv if self.name == "cmd" else self.argv[1:]
        return json.dumps([self.name, self.voice or "", *options])

    @property
    def label(self) -> str:
        """The engine for people: "espeak-ng (voice en-gb)", "cmd: piper --model m.onnx ..."."""
        if self.name == "cmd":
            return shown("cmd: " + " ".join(_quoted(word) for word in self.argv))
        return shown(f"{self.name} (voice {self.voice})" if self.voice else self.name)

    def command(self, out: Path) -> list[str]:
        """The words to run so that the phrase on standard input is written to `out`."""
        voice = ["-v", self.voice] if self.voice else []
        if self.name == "cmd":
            return [
                w.replace("{out}", str(out)).replace("{voice}", self.voice or "") for w in self.argv
            ]
        if self.name == "espeak-ng":
            return [*self.argv, *voice, "--stdin", "-w", str(out)]
        if self.name == "say":
            return [*self.argv, *voice, "-o", str(out)]
        return list(self.argv)  # sapi: the output and the voice go in by environment

    def environment(self, out: Path) -> dict[str, str]:
        """Variables to add to the engine's environment (SAPI takes its file and voice so)."""
        if self.name != "sapi":
            return {}
        found = {"COACH_VOICE_OUT": str(out)}
        if self.voice:
            found["COACH_VOICE_NAME"] = self.voice
        return found


def _quoted(word: str) -> str:
    """A word of a command line as a person would type it: quoted only when it must be."""
    return shlex.quote(word) if not word or any(c in word for c in " \t\n'\"\\") else word


Which = Callable[[str], str | None]


def command_engine(
    environ: Mapping[str, str],
    voice: str | None = None,
    which: Which = shutil.which,
    platform: str = sys.platform,
) -> Engine:
    """The person's own engine from COACH_VOICE_CMD, or a VoiceError saying why not."""
    template = environ.get("COACH_VOICE_CMD", "")
    if not template.strip():
        raise VoiceError("COACH_VOICE_CMD is not set")
    try:
        words = _split(template, windows=platform.startswith("win"))
    except ValueError as exc:
        raise VoiceError(f"COACH_VOICE_CMD cannot be read as a command line ({exc})") from None
    if not any("{out}" in word for word in words):
        raise VoiceError("COACH_VOICE_CMD has no {out} for the WAV file to write")
    if "{out}" in words[0] or which(words[0]) is None:
        raise VoiceError(f"COACH_VOICE_CMD: program {shown(words[0])!r} not found")
    return Engine("cmd", voice, tuple(words))


def _split(line: str, *, windows: bool) -> list[str]:
    """A command line's words, as a shell would split it (on Windows, backslashes are kept)."""
    if not windows:
        return shlex.split(line)
    lexer = shlex.shlex(line, posix=False, punctuation_chars=False)
    lexer.whitespace_split = True
    return [w[1:-1] if len(w) > 1 and w[0] == w[-1] and w[0] in "\"'" else w for w in lexer]


def _system_engine(name: str, voice: str | None, which: Which, platform: str) -> Engine | None:
    """espeak-ng, say or sapi with its program's full path, or None when it is not here."""
    if name == "espeak-ng":
        program = which("espeak-ng")
        return Engine(name, voice, (program, *ESPEAK_OPTIONS)) if program else None
    if name == "say":
        program = which("say") if platform == "darwin" else None
        return Engine(name, voice, (program, *SAY_OPTIONS)) if program else None
    if name == "sapi" and platform.startswith("win"):
        # Windows PowerShell first: it carries System.Speech, which PowerShell 7 may lack.
        program = which("powershell") or which("pwsh")
        return Engine(name, voice, (program, *_POWERSHELL_ARGS, SAPI_SCRIPT)) if program else None
    return None


def _preference(platform: str) -> tuple[str, ...]:
    """The system's own engine first, then espeak-ng wherever it is installed."""
    if platform == "darwin":
        return ("say", "espeak-ng")
    if platform.startswith("win"):
        return ("sapi", "espeak-ng")
    return ("espeak-ng",)


def find_engines(
    environ: Mapping[str, str], which: Which = shutil.which, platform: str = sys.platform
) -> list[Engine]:
    """The engines on this machine, best first: the person's own command when COACH_VOICE_CMD
    is set and its program is found, then the system's (say on macOS, SAPI on Windows), then
    espeak-ng."""
    found = []
    with contextlib.suppress(VoiceError):
        found.append(command_engine(environ, None, which, platform))
    for name in _preference(platform):
        engine = _system_engine(name, None, which, platform)
        if engine is not None:
            found.append(engine)
    return found


def choose_engine(
    setting: VoiceSetting,
    environ: Mapping[str, str],
    which: Which = shutil.which,
    platform: str = sys.platform,
) -> Engine | None:
    """The engine to speak with: None when off, or for auto when none is found; a named engine
    that is not here is a VoiceError ("espeak-ng is not installed")."""
    if setting.kind == "off":
        return None
    if setting.kind == "auto":
        engines = find_engines(environ, which, platform)
        return engines[0] if engines else None
    name = setting.engine or ""
    if name == "cmd":
        return command_engine(environ, setting.voice, which, platform)
    engine = _system_engine(name, setting.voice, which, platform)
    if engine is not None:
        return engine
    if name == "say" and platform != "darwin":
        raise VoiceError("say is only on macOS")
    if name == "sapi" and not platform.startswith("win"):
        raise VoiceError("sapi is only on Windows")
    if name == "sapi":
        raise VoiceError("sapi needs PowerShell, which is not found")
    raise VoiceError(f"{name} is not installed")


# ------------------------------------------------------------------ rendering


class _TimedOut(Exception):
    pass


def _run(
    argv: Sequence[str], stdin: bytes, timeout: float, env: Mapping[str, str] | None = None
) -> tuple[int, bytes, bytes]:
    """Run a program without a shell, feeding it `stdin`; its output is kept, never shown.
    Past `timeout` it is killed (with anything it started, where the system allows) and
    _TimedOut raised."""
    process = subprocess.Popen(
        list(argv),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, **env} if env else None,
        start_new_session=os.name == "posix",
    )
    try:
        out, err = process.communicate(stdin, timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill(process)
        raise _TimedOut from None
    return process.returncode, out, err


def _kill(process: subprocess.Popen[bytes]) -> None:
    """Kill a program and what it started, then reap it without waiting on its pipes (a
    grandchild may hold them open)."""
    if os.name == "posix":
        with contextlib.suppress(OSError):
            os.killpg(process.pid, signal.SIGKILL)
    with contextlib.suppress(OSError):
        process.kill()
    for stream in (process.stdin, process.stdout, process.stderr):
        if stream is not None:
            with contextlib.suppress(OSError):
                stream.close()
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=2)


def _last_line(*outputs: bytes) -> str:
    """The engine's own last words (error output first), escaped and trimmed to fit a line."""
    for output in outputs:
        lines = [ln.strip() for ln in output.decode("utf-8", "replace").splitlines()]
        lines = [ln for ln in lines if ln]
        if lines:
            return textwrap.shorten(shown(lines[-1]), 120, placeholder=" …")
    return ""


def render(engine: Engine, text: str, out: Path, timeout: float = RENDER_SECONDS) -> None:
    """Speak `text` with `engine` into the WAV file `out`, whose folder must exist.

    The file appears whole or not at all: the engine writes a temporary file beside it, which
    replaces `out` only once it is a readable WAV with sound in it. Any failure is a VoiceError
    of one line; a ValueError for a phrase with no words."""
    if not text.strip():
        raise ValueError("a phrase to render has no words")
    try:
        handle, name = tempfile.mkstemp(prefix=f".{out.stem}.", suffix=".wav", dir=out.parent)
    except OSError as exc:
        where = shown(str(out.parent))
        raise VoiceError(f"cannot write a phrase in {where}: {exc.strerror}") from None
    os.close(handle)
    partial = Path(name)
    try:
        _render_to(engine, text, partial, timeout)
        os.replace(partial, out)
    except OSError as exc:
        raise VoiceError(f"cannot write a phrase to {shown(str(out))}: {exc.strerror}") from None
    finally:
        with contextlib.suppress(OSError):
            partial.unlink()


def _render_to(engine: Engine, text: str, out: Path, timeout: float) -> None:
    argv = engine.command(out)
    try:
        status, stdout, stderr = _run(argv, text.encode(), timeout, engine.environment(out))
    except _TimedOut:
        raise VoiceError(f"{engine.name} did not finish a phrase within {timeout:g} s") from None
    except OSError as exc:
        raise VoiceError(f"{engine.name}: cannot run {shown(argv[0])!r}: {exc.strerror}") from None
    said = _last_line(stderr, stdout)
    if status != 0:
        how = f"exit status {status}" if status > 0 else f"killed by signal {-status}"
        raise VoiceError(f"{engine.name} failed ({how})" + (f": {said}" if said else ""))
    try:
        seconds = wav_seconds(out)
    except VoiceError as exc:
        raise VoiceError(f"{engine.name} wrote no WAV sound: {said or exc}") from None
    if seconds <= 0:
        raise VoiceError(f"{engine.name} wrote an empty sound" + (f": {said}" if said else ""))


def wav_seconds(path: Path) -> float:
    """How long a WAV file plays; a VoiceError when it is not one the coach can read."""
    try:
        with wave.open(str(path), "rb") as sound:
            return sound.getnframes() / sound.getframerate()
    except (wave.Error, EOFError, ZeroDivisionError) as exc:
        why = str(exc) or "it ends too soon"
        raise VoiceError(f"{shown(path.name)} is not a WAV sound ({shown(why)})") from None
    except OSError as exc:
        raise VoiceError(f"cannot read {shown(path.name)}: {exc.strerror}") from None


# ------------------------------------------------------------------ the cache


class PhraseCache:
    """Rendered phrases under `root` (`<data dir>/voice`), one WAV per engine key and text.

    The folder is made by the first rendering. Lengths are remembered once read. Safe to use
    from a worker thread that renders and the event loop that asks for lengths."""

    def __init__(self, root: Path, engine: Engine) -> None:
        self.root = root
        self.engine = engine
        self._seconds: dict[str, float] = {}

    def path(self, text: str) -> Path:
        """Where the phrase's audio lives: named by a hash of the engine's key and the text."""
        digest = hashlib.sha256(json.dumps([self.engine.key, text]).encode()).hexdigest()
        return self.root / f"{digest[:32]}.wav"

    def get(self, text: str) -> Path | None:
        """The cached audio when it is there and a readable sound; None otherwise."""
        return self.path(text) if self.seconds(text) is not None else None

    def ensure(self, text: str) -> Path:
        """The cached audio, rendered now if need be (VoiceError when that fails)."""
        found = self.get(text)
        if found is not None:
            return found
        path = self.path(text)
        try:
            self.root.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise VoiceError(f"cannot make {shown(str(self.root))}: {exc.strerror}") from None
        render(self.engine, text, path)
        self._seconds[text] = wav_seconds(path)
        return path

    def seconds(self, text: str) -> float | None:
        """How long the cached phrase plays; None when it is not cached (or not readable)."""
        known = self._seconds.get(text)
        if known is not None:
            return known
        path = self.path(text)
        if not path.is_file():
            return None
        try:
            seconds = wav_seconds(path)
        except VoiceError:
            return None
        if seconds <= 0:
            return None
        self._seconds[text] = seconds
        return seconds


# ------------------------------------------------------------------ voices


Run = Callable[[Sequence[str], float], str]


def _run_for_text(argv: Sequence[str], timeout: float) -> str:
    """A listing command's standard output; a VoiceError when it fails or takes too long."""
    try:
        status, out, err = _run(argv, b"", timeout)
    except _TimedOut:
        raise VoiceError(f"{Path(argv[0]).name} did not list its voices in {timeout:g} s") from None
    except OSError as exc:
        raise VoiceError(f"cannot run {shown(argv[0])!r}: {exc.strerror}") from None
    if status != 0:
        said = _last_line(err, out)
        raise VoiceError(f"{Path(argv[0]).name} failed to list its voices: {said or status}")
    return out.decode("utf-8", "replace")


def list_voices(
    engine: Engine, timeout: float = LIST_SECONDS, run: Run = _run_for_text
) -> list[str]:
    """The voice names the engine takes (`ENGINE:NAME`); [] for a command template."""
    if engine.name == "espeak-ng":
        return espeak_voices(run([engine.argv[0], "--voices"], timeout))
    if engine.name == "say":
        return say_voices(run([engine.argv[0], "-v", "?"], timeout))
    if engine.name == "sapi":
        return _unique(
            run([engine.argv[0], *_POWERSHELL_ARGS, SAPI_LIST_SCRIPT], timeout).splitlines()
        )
    return []


def espeak_voices(listing: str) -> list[str]:
    """The -v names in `espeak-ng --voices`: its language column, leaving out variants and the
    MBROLA voices (they need packages of their own, and their language names another voice)."""
    names = []
    for line in listing.splitlines()[1:]:
        words = line.split()
        if len(words) >= 5 and words[1] != "variant" and not words[4].startswith("mb/"):
            names.append(words[1])
    return _unique(names)


def say_voices(listing: str) -> list[str]:
    """The names in `say -v '?'`: each line is NAME  LANGUAGE  # sample (a name may hold
    spaces and brackets)."""
    names = []
    for line in listing.splitlines():
        before, hash_, _ = line.partition("#")
        words = before.split()
        if hash_ and len(words) >= 2:
            names.append(" ".join(words[:-1]))
    return _unique(names)


def _packed(names: Sequence[str], width: int) -> list[str]:
    """Names separated by commas, as many to a line as fit in `width`, none cut in two."""
    lines: list[str] = []
    for name in names:
        if lines and len(lines[-1]) + 2 + len(name) <= width:
            lines[-1] += f", {name}"
        else:
            if lines:
                lines[-1] += ","
            lines.append(name)
    return lines


def _unique(names: Sequence[str]) -> list[str]:
    return list(dict.fromkeys(n.strip() for n in names if n.strip()))


def voices_report(
    setting: VoiceSetting,
    environ: Mapping[str, str],
    which: Which = shutil.which,
    platform: str = sys.platform,
    run: Run = _run_for_text,
) -> list[str]:
    """The lines `coach voices` prints: the engines found (marking the one in use), then the
    voices of the one in use."""
    engines = find_engines(environ, which, platform)
    lines = []
    try:
        chosen = choose_engine(setting, environ, which, platform)
    except VoiceError as exc:
        chosen, problem = None, str(exc)
    else:
        problem = ""
    if engines:
        lines.append("Voice engines found (best first):")
        width = max(len(e.name) for e in engines)
        for engine in engines:
            using = chosen is not None and engine.name == chosen.name
            where = engine.label.removeprefix("cmd: ") if engine.name == "cmd" else engine.argv[0]
            lines.append(
                f"  {engine.name:<{width}}  {shown(where)}" + ("  (in use)" if using else "")
            )
    else:
        hint = "install espeak-ng, or " if platform != "darwin" else ""
        lines.append(
            f"No voice engine found: {hint}set COACH_VOICE_CMD to a command that "
            "reads text on standard input and writes a WAV file to {out}."
        )
    if environ.get("COACH_VOICE_CMD", "").strip():
        try:
            command_engine(environ, None, which, platform)
        except VoiceError as exc:
            lines.append(f"Not used: {exc}.")
    if setting.kind == "off":
        lines.append("Voice is off.")
        return lines
    if chosen is None:
        if problem:
            lines.append(f"Voice: {problem}.")
        return lines
    default = "" if chosen.voice or chosen.name == "cmd" else ", its default voice"
    lines.append(f"In use: {chosen.label}{default}")
    if chosen.name == "cmd":
        return lines
    try:
        voices = list_voices(chosen, run=run)
    except VoiceError as exc:
        lines.append(f"Its voices cannot be listed: {exc}.")
        return lines
    if voices:
        lines.append(f"Its voices (choose one with --voice {chosen.name}:NAME):")
        lines.extend(f"  {line}" for line in _packed([shown(v) for v in voices], 76))
    return lines
