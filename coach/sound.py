"""Sound cues and the beepers that play them.

A beeper plays a cue by name and never blocks or raises because of the audio system. When
sound cannot work (no player program, no playsound3, a player whose probe never answers, a
missing file, a player that fails or never ends), the beeper goes quiet for good and keeps one
notice for the app to show, once, via `take_problem`; its `state` says what can be heard now.

Nothing happens at import time: playsound3 is imported by `prepare`, in a thread of its own and
within a time limit, because its import probes for player programs (tens of milliseconds, and
for good if a player hangs) and can raise (see coach.sound_loader).
"""

from __future__ import annotations

import contextlib
import subprocess
import threading
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

from coach.paths import sounds_dir
from coach.sound_loader import (
    Probes,
    ProbeTimeout,
    failure_reason,
    load_playsound3,
    signal_name,
)
from coach.sound_state import OFF as OFF
from coach.sound_state import Beeper as Beeper
from coach.sound_state import NoticeOnce as NoticeOnce
from coach.sound_state import NullBeeper as NullBeeper
from coach.sound_state import SoundState as SoundState

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

NO_PLAYER_REASON = (
    "no audio player found "
    "(install gstreamer1.0-plugins-base-apps, ffmpeg, or alsa-utils and mpg123)"
)
NO_PLAYER = OFF + NO_PLAYER_REASON
"""The notice when playsound3 finds no player program."""

_OFF_VALUES = frozenset({"off", "0", "false", "no"})

PROBE_SECONDS = 3.0
"""How long loading the player may take (its probes take tens of milliseconds) before sound
goes off as not answering."""
MAX_SOUNDING = 8
"""More cues than this still sounding at once means the player hangs: sound goes off."""
HUNG_SECONDS = 5.0
"""A player still sounding this long after its sound should have ended (a cue lasts about a
second, a phrase as long as it is) hangs: at the next cue it is killed and sound goes off."""
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


class PlaysoundBeeper(NoticeOnce):
    """Plays cues with playsound3, in the background, from the calling thread.

    `prepare` loads playsound3 in a thread of its own, within `probe_seconds`; call `play` from
    one long-lived thread (the app's event loop), since a player started from a thread that
    ends can be ended with it. Until the player is loaded, cues are left out; past the time
    limit sound goes off ("... did not answer") and the probe is killed. Each play starts a
    player process and returns; finished players are forgotten on the next play, a player
    still going HUNG_SECONDS after its sound should have ended is killed at the next cue, and
    `close` stops the ones still sounding. A phrase still sounding is stopped before the next
    sound starts. Players are started without playsound3's hook that ends them with
    their parent (see coach.sound_loader): a cue is a second at most, and `close` stops them
    on the way out.

    Any failure switches the beeper off for good and sets `problem`; later plays do nothing.
    `now` is the clock that ages players (a test passes a fake one); the probe time limit is
    always real time, since it bounds real processes.
    """

    def __init__(
        self,
        sounds: Path | None = None,
        *,
        probe_seconds: float = PROBE_SECONDS,
        now: Callable[[], float] = time.monotonic,
    ) -> None:
        self.muted = False
        self._sounds = sounds
        self._probe_seconds = probe_seconds
        self._now = now
        self._playsound3: ModuleType | None = None
        self._playing: list[Sound] = []
        self._ends: dict[int, float] = {}  # by id: when a Sound still kept counts as hung
        self._phrases: set[int] = set()  # ids of the Sounds that are phrases
        self._stopped: set[int] = set()  # ids of the Sounds we stopped ourselves
        self._probes: Probes | None = None
        self._waiting: list[Callable[[], None]] = []  # called once loading has settled
        self._lock = threading.Lock()
        self.settled = threading.Event()
        """Set once loading has ended: the player is ready, or sound is off."""

    @property
    def ready(self) -> bool:
        return self._playsound3 is not None

    @property
    def sounding(self) -> int:
        """How many cues are still sounding (noticing any player that failed)."""
        self._reap()
        return len(self._playing)

    def prepare(self, settled: Callable[[], None] | None = None) -> None:
        """Start loading the player in the background, so the first cue is on time, and return
        at once. `settled` is called, from the loading thread, once the player is ready or
        sound has gone off; never if that had happened already. Loads even while muted, so
        turning sound on later finds the player ready."""
        with self._lock:
            if self.settled.is_set() or self.problem:
                return
            if settled is not None:
                self._waiting.append(settled)
            if self._probes is not None:  # already loading
                return
            self._probes = probes = Probes(time.monotonic() + self._probe_seconds)
        threading.Thread(
            target=self._watch_loading, args=(probes,), name="coach-sound-watch", daemon=True
        ).start()

    def wait_ready(self) -> bool:
        """Block until loading has ended (at most the time limit and a second); True when the
        player is ready. Never from the event loop: for `coach sounds`, benchmarks and tests."""
        if self.problem:
            return False
        self.prepare()
        self.settled.wait(self._probe_seconds + 1)
        return self.ready and not self.problem

    def play(self, cue: str) -> None:
        """Start the cue and return at once; do nothing when muted or off, or while the player
        is being loaded. Without `prepare` first, the first play loads the player and waits
        for it (within the time limit): that is for `coach sounds`, never for the app."""
        path = cue_path(cue, self._sounds)
        if self.muted or self.problem:
            return
        if not path.is_file():
            self._fail(f"missing sound file {path.name}", "sound file missing")
            return
        self._start(path, 0.0)

    def play_phrase(self, path: Path, seconds: float) -> bool:
        """Start a rendered phrase, `seconds` long, and return at once; True when it started.
        Nothing when muted or off, or while the player is loading (the beep is kept then)."""
        if self.muted or self.problem or self._playsound3 is None:
            return False
        return self._start(path, seconds)

    def _start(self, path: Path, seconds: float) -> bool:
        """Play `path`, which lasts `seconds` (0 for a cue): a phrase still sounding is
        stopped first, so two sounds never overlap."""
        playsound3 = self._playsound3
        if playsound3 is None:
            if self._probes is not None or not self.wait_ready():
                return False  # still loading (this cue is left out), or sound is off
            playsound3 = self._playsound3
            if playsound3 is None:
                return False
        self._reap()
        if self.problem:
            return False
        now = self._now()
        hung = any(now >= self._ends.get(id(s), now + 1) for s in self._playing)
        if hung or len(self._playing) >= MAX_SOUNDING:
            self._fail("the audio player does not finish its cues")
            self._kill()
            return False
        for sound in self._playing:
            if id(sound) in self._phrases and sound.is_alive():
                self._stopped.add(id(sound))
                sound.stop()
        try:
            sound = playsound3.playsound(str(path), block=False)
        except Exception as exc:
            self._fail(failure_reason(exc))
            return False
        self._playing.append(sound)
        self._ends[id(sound)] = now + seconds + HUNG_SECONDS
        if seconds:
            self._phrases.add(id(sound))
        return True

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
        """Stop any cue still sounding and see its player gone, and kill a player probe still
        running. Safe to call more than once, from the event loop: it waits STOP_SECONDS at
        most for a stopped player to end before it kills it, and never for the loading."""
        with self._lock:
            probes = self._probes
        if probes is not None:
            probes.close()
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

    def _kill(self) -> None:
        """Kill every player still sounding, without waiting: they hang."""
        for sound in self._playing:
            if sound.is_alive():
                self._stopped.add(id(sound))
                with contextlib.suppress(OSError):
                    kill = getattr(sound.subprocess, "kill", sound.subprocess.terminate)
                    kill()

    def _watch_loading(self, probes: Probes) -> None:
        """In a thread of its own: load in another thread, and give up on it at the deadline
        (a probe still running is killed; one stuck elsewhere is left, as a daemon thread)."""
        loader = threading.Thread(
            target=self._load, args=(probes,), name="coach-sound-load", daemon=True
        )
        loader.start()
        loader.join(max(0.0, probes.deadline - time.monotonic()))
        if loader.is_alive():
            self._fail(f"{probes.program or 'the audio player check'} did not answer", SLOW)
            probes.close()
            loader.join(1)  # the probe it was waiting on is killed: let it reap it
        with self._lock:
            self.settled.set()
            waiting, self._waiting = self._waiting, []
        for settled in waiting:
            settled()

    def _load(self, probes: Probes) -> None:
        """In the loading thread: import playsound3, probing for players within the limit."""
        try:
            playsound3 = load_playsound3(probes)
        except ImportError:
            self._fail("playsound3 is not installed", "playsound3 missing")
            return
        except ProbeTimeout as exc:
            self._fail(f"{exc.program} did not answer", SLOW)
            return
        except Exception as exc:
            self._fail(f"the audio player check failed ({failure_reason(exc)})")
            return
        if playsound3.DEFAULT_BACKEND is None:
            self._fail(NO_PLAYER_REASON, "no player")
            return
        with self._lock:
            if self.problem is None:
                self._playsound3 = playsound3

    def _reap(self) -> None:
        """Forget players that have finished; a player that exited with an error means off."""
        still = []
        for sound in self._playing:
            if sound.is_alive():
                still.append(sound)
                continue
            self._ends.pop(id(sound), None)
            self._phrases.discard(id(sound))
            # Popen-like: a positive exit status is the player's own error (no device, bad
            # file); a negative one is a signal, which is a failure unless we stopped it.
            status = sound.subprocess.poll()
            ours = id(sound) in self._stopped
            self._stopped.discard(id(sound))
            if status is not None and status > 0:
                self._fail(f"the audio player failed (exit status {status})")
            elif status is not None and status < 0 and not ours:
                self._fail(f"the audio player was killed ({signal_name(-status)})")
        self._playing = still

    def _fail(self, reason: str, words: str = "player failed") -> None:
        with self._lock:
            if self.problem is None:
                self.problem = OFF + reason
                self.problem_words = words


SLOW = "player not answering"
"""The few words for a player whose probe did not answer in time."""
