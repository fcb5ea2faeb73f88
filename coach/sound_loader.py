"""Loading playsound3 without letting it hang, slow down or bloat the coach.

Importing playsound3 runs each backend's check: `gst-play-1.0 --version`, `ffplay -version`,
`aplay --version` and so on, each with no time limit, so a player whose probe never answers
hangs the import for good. `load_playsound3` imports it with those probes run by a `Probes`
instead: each gets what is left of one time limit and is killed when it runs out (the import
then fails with `ProbeTimeout`, naming the program), and `Probes.close` ends the one running
from any other thread. Loading also keeps playsound3's web download code unloaded until used,
and has players started with a plain spawn.

Call `load_playsound3` from a thread of its own, never from the event loop: it waits for the
probes, and Python's import lock makes anyone else importing playsound3 meanwhile wait too.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import signal
import subprocess
import sys
import threading
import time
import types
from collections.abc import Iterator
from types import ModuleType
from typing import Any


class ProbeTimeout(Exception):
    """A player's probe did not answer within the time limit; it has been killed."""

    def __init__(self, program: str) -> None:
        super().__init__(f"{program} did not answer")
        self.program = program


class Probes:
    """The player probes of one load: their deadline, the one running now, a way to end it."""

    def __init__(self, deadline: float) -> None:
        self.deadline = deadline  # on time.monotonic
        self.program: str | None = None  # the program probed last (or now)
        self._process: subprocess.Popen[Any] | None = None
        self._closed = False
        self._lock = threading.Lock()

    def run(self, args: Any, **kwargs: Any) -> subprocess.CompletedProcess[Any]:
        """What `subprocess.run` does, for one probe, within what is left of the time limit."""
        check = kwargs.pop("check", False)
        kwargs.pop("timeout", None)
        if kwargs.pop("capture_output", False):
            kwargs["stdout"] = kwargs["stderr"] = subprocess.PIPE
        data = kwargs.pop("input", None)
        if data is not None:
            kwargs["stdin"] = subprocess.PIPE
        kwargs.setdefault("stdin", subprocess.DEVNULL)  # a probe never reads the person's keys
        program = os.fspath(args[0] if isinstance(args, list | tuple) else args)
        with self._lock:
            if self._closed:  # the coach is closing: every player is "not found"
                raise FileNotFoundError(errno.ENOENT, "sound is closed", program)
            process = subprocess.Popen(args, **kwargs)
            self._process, self.program = process, str(program)
        try:
            out, err = process.communicate(data, timeout=max(0.0, self.deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            process.kill()
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=1)
            raise ProbeTimeout(str(program)) from None
        finally:
            with self._lock:
                self._process = None
        if check and process.returncode:
            raise subprocess.CalledProcessError(process.returncode, args, out, err)
        return subprocess.CompletedProcess(args, process.returncode, out, err)

    def close(self) -> None:
        """Kill the probe running now, if any, and start no more. Safe from any thread."""
        with self._lock:
            self._closed = True
            process = self._process
        if process is not None:
            with contextlib.suppress(OSError):
                process.kill()


def load_playsound3(probes: Probes) -> ModuleType:
    """Import playsound3, running its player probes through `probes`, and adjust it.

    Raises ImportError when it is not installed, ProbeTimeout when a probe did not answer in
    time, and whatever else its import raises. With no player it logs a warning and sets
    DEFAULT_BACKEND to None; a NullHandler keeps that warning off the screen (the beeper's
    notice says the same).
    """
    logger = logging.getLogger("playsound3")
    if not logger.handlers:
        logger.addHandler(logging.NullHandler())
    _defer_url_support()
    with _probing(probes):
        import playsound3
    _plain_player_start(playsound3)
    return playsound3


# `subprocess.run` as it was, and the probes of the threads importing playsound3 now. While any
# thread is, `subprocess.run` is `_run`, which sends that thread's calls to its probes and
# everyone else's to the real one.
_REAL_RUN = subprocess.run
_PROBING: dict[int, Probes] = {}
_PROBING_LOCK = threading.Lock()


def _run(*args: Any, **kwargs: Any) -> Any:
    probes = _PROBING.get(threading.get_ident())
    if probes is None:
        return _REAL_RUN(*args, **kwargs)
    return probes.run(*args, **kwargs)


@contextlib.contextmanager
def _probing(probes: Probes) -> Iterator[None]:
    me = threading.get_ident()
    with _PROBING_LOCK:
        if not _PROBING and subprocess.run is _REAL_RUN:
            subprocess.run = _run
        _PROBING[me] = probes
    try:
        yield
    finally:
        with _PROBING_LOCK:
            del _PROBING[me]
            if not _PROBING and subprocess.run is _run:
                subprocess.run = _REAL_RUN


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
    a second at most and the beeper stops the players on the way out, so the hook is not needed."""
    module = getattr(playsound3, "playsound3", None)
    current = getattr(module, "get_platform_specific_kwds", None)
    if os.name != "nt" and callable(current) and "preexec_fn" in current():
        module.get_platform_specific_kwds = dict  # type: ignore[union-attr]


def signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"


def failure_reason(exc: Exception) -> str:
    """A short reason for a notice."""
    if isinstance(exc, OSError) and exc.filename:
        return f"cannot run {exc.filename} ({exc.strerror})"
    return str(exc) or type(exc).__name__
