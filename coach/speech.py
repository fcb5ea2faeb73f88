"""Speech engines: the system's own programs that turn a phrase into a WAV file.

An engine is a program that reads a phrase on standard input and writes a WAV file: espeak-ng
(Linux, and anywhere it is on PATH), `say` (macOS), SAPI through PowerShell (Windows), or the
person's own command, `COACH_VOICE_CMD='piper --model m.onnx --output_file {out}'`. No engine
is ever given the text as an argument (a phrase may start with `-`), none runs through a shell,
and what they print is kept, never shown; one that fails, hangs past its time limit or writes
something that is not a sound becomes one `VoiceError`, a line for a notice.

coach.voice builds the phrase cache and the list of voices on this, and is where the rest of
the coach takes all of it from. Nothing here runs a program or touches the disk at import time.
"""

from __future__ import annotations

import contextlib
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
POWERSHELL_ARGS = ("-NoProfile", "-NonInteractive", "-Command")
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
            line = "cmd: " + " ".join(quoted(word) for word in self.argv)
            return shown(f"{line} (voice {self.voice})" if self.voice else line)
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


def quoted(word: str) -> str:
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
        return Engine(name, voice, (program, *POWERSHELL_ARGS, SAPI_SCRIPT)) if program else None
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


class TimedOut(Exception):
    pass


def run_program(
    argv: Sequence[str], stdin: bytes, timeout: float, env: Mapping[str, str] | None = None
) -> tuple[int, bytes, bytes]:
    """Run a program without a shell, feeding it `stdin`; its output is kept, never shown.
    Past `timeout` it is killed (with anything it started, where the system allows) and
    TimedOut raised."""
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
        raise TimedOut from None
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


def last_line(*outputs: bytes) -> str:
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
        status, stdout, stderr = run_program(argv, text.encode(), timeout, engine.environment(out))
    except TimedOut:
        raise VoiceError(f"{engine.name} did not finish a phrase within {timeout:g} s") from None
    except OSError as exc:
        raise VoiceError(f"{engine.name}: cannot run {shown(argv[0])!r}: {exc.strerror}") from None
    said = last_line(stderr, stdout)
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
