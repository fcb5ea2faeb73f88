"""Sound cues and the beepers that play them.

A beeper plays a cue by name and never blocks or raises because of the audio system. When
sound cannot work (no player program, no playsound3, a missing file, a player that fails), the
beeper goes quiet for good and keeps one notice for the app to show, once, via `take_problem`.

Nothing happens at import time: playsound3 is imported by `prepare` (the session calls it during
the briefing) or else on the first `play`, because its import probes for player programs (tens
of milliseconds) and can raise.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import subprocess
import sys
import time
import types
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any, Protocol

from coach.paths import sounds_dir
from coach.session import Event, EventKind

if TYPE_CHECKING:
    from playsound3.playsound3 import Sound

CUES: tuple[str, ...] = ("tick", "go", "hold_done", "switch", "rest", "finish")

CUE_MEANING: dict[str, str] = {
    "tick": "3-2-1 before getting ready or a rest ends",
    "go": "work starts, and each rep starts",
    "hold_done": "the hold is over: lower now",
    "switch": "switch to the other side",
    "rest": "a rest starts",
    "finish": "the routine is finished",
}

NO_PLAYER = (
    "Sound is off: no audio player found "
    "(install gstreamer1.0-plugins-base-apps, ffmpeg, or alsa-utils and mpg123)"
)
"""The notice when playsound3 finds no player program."""

_OFF_VALUES = frozenset({"off", "0", "false", "no"})

MAX_SOUNDING = 8
"""More cues than this still sounding at once means the player hangs: sound goes off."""
STOP_SECONDS = 0.5
"""How long `close` lets stopped players end before it kills them."""
WAIT_SECONDS = 10.0
"""How long `wait` gives the cues still sounding before it calls the player hung."""


def cue_path(cue: str, sounds: Path | None = None) -> Path:
    """The WAV file for `cue`, in `sounds` or the bundled directory. Unknown cues are a bug."""
    check_cue(cue)
    return (sounds or sounds_dir()) / f"{cue}.wav"


def sound_enabled_from_env(environ: Mapping[str, str]) -> bool:
    """False when COACH_SOUND is off, 0, false or no (any case); true otherwise."""
    return environ.get("COACH_SOUND", "").strip().lower() not in _OFF_VALUES


def check_cue(cue: str) -> None:
    if cue not in CUES:
        raise ValueError(f"unknown cue {cue!r}; cues are {', '.join(CUES)}")


class Beeper(Protocol):
    """What the app needs from a sound player.

    `play` never blocks and never raises for audio trouble. If sound fails, `problem` holds
    the notice ("Sound is off: ...") from then on, and `take_problem` hands it out exactly
    once, so the app can call it after every play and show whatever it returns.
    """

    muted: bool
    problem: str | None

    def play(self, cue: str) -> None:
        """Start the cue and return at once; do nothing when muted."""
        ...

    def take_problem(self) -> str | None:
        """The notice the first time it is asked for after a failure; None otherwise."""
        ...

    def prepare(self) -> None:
        """Get ready to play (load the player) before the first cue is due."""
        ...

    def close(self) -> None:
        """Stop any cue still sounding. Safe to call more than once."""
        ...


class NoticeOnce:
    """The one-notice bookkeeping shared by the beepers."""

    problem: str | None = None
    _told: bool = False

    def take_problem(self) -> str | None:
        """The notice the first time it is asked for after a failure; None otherwise."""
        if self.problem is None or self._told:
            return None
        self._told = True
        return self.problem

    def prepare(self) -> None:
        """Nothing to get ready."""


class NullBeeper(NoticeOnce):
    """Silence. For sound turned off, and for snapshot tests."""

    def __init__(self) -> None:
        self.muted = False

    def play(self, cue: str) -> None:
        """Do nothing."""

    def close(self) -> None:
        """Do nothing."""


class PlaysoundBeeper(NoticeOnce):
    """Plays cues with playsound3, in the background, from the calling thread.

    Call `prepare` and `play` from the app's event-loop thread, after the first frame: the first
    of them imports playsound3. Each play starts a player process and returns; finished players
    are forgotten on the next play, and `close` stops the ones still sounding. Players are
    started without playsound3's hook that ends them with their parent (see
    `_plain_player_start`): a cue is a second at most, and `close` stops them on the way out.

    Any failure switches the beeper off for good and sets `problem`; later plays do nothing.
    """

    def __init__(self, sounds: Path | None = None) -> None:
        self.muted = False
        self._sounds = sounds
        self._playsound3: ModuleType | None = None
        self._playing: list[Sound] = []
        self._stopped: set[int] = set()  # ids of the Sounds we stopped ourselves

    @property
    def sounding(self) -> int:
        """How many cues are still sounding (noticing any player that failed)."""
        self._reap()
        return len(self._playing)

    def play(self, cue: str) -> None:
        """Start the cue and return at once; do nothing when muted or off."""
        path = cue_path(cue, self._sounds)
        if self.muted or self.problem:
            return
        if not path.is_file():
            self._fail(f"missing sound file {path.name}")
            return
        playsound3 = self._playsound3 or self._load()
        if playsound3 is None:
            return
        self._reap()
        if self.problem:
            return
        if len(self._playing) >= MAX_SOUNDING:
            self._fail("the audio player does not finish its cues")
            self._stop()
            return
        try:
            self._playing.append(playsound3.playsound(str(path), block=False))
        except Exception as exc:
            self._fail(_reason(exc))

    def wait(self) -> None:
        """Block until every cue still sounding has finished, for at most WAIT_SECONDS.

        For `coach sounds`, which plays the cues one after another outside the app. Never call
        it from the app's event loop. A player still going after that is stopped, and sound
        goes off.
        """
        until = time.monotonic() + WAIT_SECONDS
        for sound in self._playing:
            process = sound.subprocess
            if not isinstance(process, subprocess.Popen):
                sound.wait()
                continue
            try:
                process.wait(timeout=max(0.0, until - time.monotonic()))
            except subprocess.TimeoutExpired:
                self._fail("the audio player does not finish its cues")
                self.close()
                return
        self._reap()

    def close(self) -> None:
        """Stop any cue still sounding and see its player gone. Safe to call more than once.

        A player that does not end within STOP_SECONDS of being asked is killed.
        """
        stopped = self._stop()
        until = time.monotonic() + STOP_SECONDS
        for sound in stopped:
            process = sound.subprocess
            if not isinstance(process, subprocess.Popen):
                continue
            try:
                process.wait(timeout=max(0.0, until - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
                with contextlib.suppress(subprocess.TimeoutExpired):
                    process.wait(timeout=STOP_SECONDS)
        self._reap()

    def _stop(self) -> list[Sound]:
        """Ask every player still sounding to stop; return those."""
        stopped = [sound for sound in self._playing if sound.is_alive()]
        for sound in stopped:
            self._stopped.add(id(sound))
            sound.stop()
        return stopped

    def _load(self) -> ModuleType | None:
        # Importing playsound3 runs each backend's check (gst-play-1.0, aplay + mpg123, ffplay,
        # afplay, ...) and picks DEFAULT_BACKEND, or takes PLAYSOUND3_BACKEND as given. With no
        # player it logs a warning and sets DEFAULT_BACKEND to None; a NullHandler keeps that
        # warning off the screen, since the notice says the same.
        logger = logging.getLogger("playsound3")
        if not logger.handlers:
            logger.addHandler(logging.NullHandler())
        try:
            _defer_url_support()
            import playsound3
        except ImportError:
            self._fail("playsound3 is not installed")
            return None
        except Exception as exc:
            self._fail(f"the audio player check failed ({_reason(exc)})")
            return None
        if playsound3.DEFAULT_BACKEND is None:
            self.problem = NO_PLAYER
            return None
        _plain_player_start(playsound3)
        self._playsound3 = playsound3
        return playsound3

    def prepare(self) -> None:
        """Load the player now (it takes tens of milliseconds), so the first cue is on time."""
        if self._playsound3 is None and self.problem is None and not self.muted:
            self._load()

    def _reap(self) -> None:
        """Forget players that have finished; a player that exited with an error means off."""
        still = []
        for sound in self._playing:
            if sound.is_alive():
                still.append(sound)
                continue
            # Popen-like: a positive exit status is the player's own error (no device, bad
            # file); a negative one is a signal, which is a failure unless we stopped it.
            status = sound.subprocess.poll()
            ours = id(sound) in self._stopped
            self._stopped.discard(id(sound))
            if status is not None and status > 0:
                self._fail(f"the audio player failed (exit status {status})")
            elif status is not None and status < 0 and not ours:
                self._fail(f"the audio player was killed ({_signal_name(-status)})")
        self._playing = still

    def _fail(self, reason: str) -> None:
        if self.problem is None:
            self.problem = f"Sound is off: {reason}"


def _defer_url_support() -> None:
    """Load `urllib.request` only if something uses it.

    playsound3 imports it at the top for sounds given as web addresses, which coach never
    plays, and it brings `http.client` and the `email` package along: 2.4 MB of the coach's
    memory for nothing. A stand-in takes its place until one of its names is first used; it
    then loads the real module and hands over.
    """
    import importlib.util
    import urllib

    name = "urllib.request"
    if name in sys.modules:
        return
    spec = importlib.util.find_spec(name)
    if spec is not None:
        stand_in = _LoadOnUse(name)
        stand_in.__spec__ = spec  # the import system reads it; reading it loads nothing
        sys.modules[name] = stand_in
        urllib.request = stand_in  # what the import would set


class _LoadOnUse(types.ModuleType):
    """A module's place in `sys.modules`, holding nothing until a name is looked up in it."""

    def __getattr__(self, attr: str) -> Any:
        if attr.startswith("__"):  # probes such as __path__ or __file__: no need to load
            raise AttributeError(attr)
        import importlib
        import urllib

        name = self.__name__
        if sys.modules.get(name) is self:
            del sys.modules[name]
        real = importlib.import_module(name)
        setattr(urllib, name.rpartition(".")[2], real)
        self.__dict__.update(real.__dict__)
        return getattr(real, attr)


def _plain_player_start(playsound3: ModuleType) -> None:
    """Start players with a plain spawn. On Unix playsound3 asks the kernel to end a player when
    coach dies, through a hook that runs in the child; any such hook turns the spawn into a full
    fork of this process, about 7 ms instead of 0.3 ms, which lands every cue late. Our cues last
    a second at most and `close` stops the players on the way out, so the hook is not needed."""
    module = getattr(playsound3, "playsound3", None)
    current = getattr(module, "get_platform_specific_kwds", None)
    if os.name != "nt" and callable(current) and "preexec_fn" in current():
        module.get_platform_specific_kwds = dict  # type: ignore[union-attr]


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"


def _reason(exc: Exception) -> str:
    """A short reason for a notice."""
    if isinstance(exc, OSError) and exc.filename:
        return f"cannot run {exc.filename} ({exc.strerror})"
    return str(exc) or type(exc).__name__


# The one table that turns engine events into cues. When several events fall on the same
# moment, the cue listed first wins, so a moment never plays two sounds at once.
CUE_FOR_EVENT: tuple[tuple[EventKind, str], ...] = (
    (EventKind.SESSION_DONE, "finish"),
    (EventKind.SIDE_SWITCH, "switch"),
    (EventKind.REST_STARTED, "rest"),
    (EventKind.HOLD_DONE, "hold_done"),
    (EventKind.REP_STARTED, "go"),
    (EventKind.COUNTDOWN, "tick"),
)
TICKING_PHASES = frozenset({"ready", "rest", "switch"})
"""Phases whose last 3, 2, 1 seconds tick; holds end with their own cue instead."""


def cue_for(events: Sequence[Event]) -> str | None:
    """The cue for events that happened at one moment, or None for silence."""
    kinds = {
        e.kind
        for e in events
        if e.kind is not EventKind.COUNTDOWN or e.step.phase in TICKING_PHASES
    }
    return next((cue for kind, cue in CUE_FOR_EVENT if kind in kinds), None)
