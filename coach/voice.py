"""Speech for the coach: engines, rendering, the phrase cache and the voices on offer.

The engines and rendering live in coach.speech and are offered again here, so the rest of the
coach takes everything about speech from this module. Phrases are cached under
`<data dir>/voice/`, one file per engine, voice (or command template) and text, so a new voice
never plays old audio. Nothing here touches the disk or runs a program at import time or when
an object is made.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from coach.literal import shown
from coach.speech import (
    ENGINES,
    ESPEAK_OPTIONS,
    POWERSHELL_ARGS,
    RENDER_SECONDS,
    SAPI_SCRIPT,
    SAY_OPTIONS,
    Engine,
    TimedOut,
    VoiceError,
    VoiceSetting,
    Which,
    choose_engine,
    command_engine,
    find_engines,
    last_line,
    parse_voice,
    quoted,
    render,
    run_program,
    voice_setting,
    wav_seconds,
)

__all__ = [
    "ENGINES",
    "ESPEAK_OPTIONS",
    "LIST_SECONDS",
    "RENDER_SECONDS",
    "SAPI_LIST_SCRIPT",
    "SAPI_SCRIPT",
    "SAY_OPTIONS",
    "Engine",
    "PhraseCache",
    "VoiceError",
    "VoiceSetting",
    "choose_engine",
    "command_engine",
    "espeak_voices",
    "find_engines",
    "list_voices",
    "parse_voice",
    "render",
    "say_voices",
    "voice_setting",
    "voices_report",
    "wav_seconds",
]

LIST_SECONDS = 10.0
"""How long an engine may take to list its voices."""
SAPI_LIST_SCRIPT = (
    "Add-Type -AssemblyName System.Speech; "
    "(New-Object System.Speech.Synthesis.SpeechSynthesizer).GetInstalledVoices() | "
    "ForEach-Object { $_.VoiceInfo.Name }"
)

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
        """The cached audio when it is there and a readable sound; None otherwise (a file
        removed since it was read is noticed)."""
        path = self.path(text)
        if not path.is_file():
            self._seconds.pop(text, None)
            return None
        return path if self.seconds(text) is not None else None

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
        status, out, err = run_program(argv, b"", timeout)
    except TimedOut:
        raise VoiceError(f"{Path(argv[0]).name} did not list its voices in {timeout:g} s") from None
    except OSError as exc:
        raise VoiceError(f"cannot run {shown(argv[0])!r}: {exc.strerror}") from None
    if status != 0:
        said = last_line(err, out)
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
            run([engine.argv[0], *POWERSHELL_ARGS, SAPI_LIST_SCRIPT], timeout).splitlines()
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
            where = " ".join(map(quoted, engine.argv)) if engine.name == "cmd" else engine.argv[0]
            lines.append(
                f"  {engine.name:<{width}}  {shown(where)}" + ("  (in use)" if using else "")
            )
    else:
        hint = "install espeak-ng, or " if platform != "darwin" else ""
        lines.append(
            f"No voice engine found: {hint}set COACH_VOICE_CMD to a command that "
            "reads text on standard input and writes a WAV file to {out}."
        )
    if environ.get("COACH_VOICE_CMD", "").strip() and setting.engine != "cmd":
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
