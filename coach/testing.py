"""Test doubles: a clock that moves when told, an event loop that keeps the clock's time, a
typist for standard input, a beeper that records, made-up sessions, a folder that refuses
writing.

Tests and benchmarks use these; no production module imports this one.
"""

from __future__ import annotations

import asyncio
import errno
import json
import os
import selectors
import shlex
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Protocol, TypeVar
from unittest import mock

from coach.history.model import DoseRecord, SessionRecord, SetRecord, Store
from coach.routine import RoutineEntry
from coach.sound import NoticeOnce, check_cue
from coach.voice import Engine, VoiceSetting, choose_engine

# A Monday morning, so tests of weeks and streaks read easily.
FAKE_WALL_START = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


class FakeClock:
    """A clock that moves only when told to: tests drive time with `advance`."""

    def __init__(self, start: float = 1000.0, wall_start: datetime = FAKE_WALL_START) -> None:
        if wall_start.tzinfo is None:
            raise ValueError("the wall time of a fake clock needs a timezone")
        self._start = start
        self._now = start
        self._wall_start = wall_start

    def now(self) -> float:
        return self._now

    def wall(self) -> datetime:
        return self._wall_start + timedelta(seconds=self._now - self._start)

    def advance(self, seconds: float) -> float:
        if seconds < 0:
            raise ValueError("a clock does not go backwards")
        self._now += seconds
        return self._now

    def set(self, now: float) -> None:
        if now < self._now:
            raise ValueError("a clock does not go backwards")
        self._now = now


REAL_WAIT = 10.0
"""Seconds of real time a fake-time loop waits, at most, for a thread to answer."""

_T = TypeVar("_T")


class Typist:
    """Standard input typed by a test: lines written into a pipe at moments of a fake clock
    (seconds after the typist was made), then the end of input unless `close` is False.
    `stdin` is the reading end, a file with a descriptor, as a terminal or a pipe gives."""

    def __init__(
        self, clock: FakeClock, script: Sequence[tuple[float, str]] = (), *, close: bool = True
    ) -> None:
        reading, self._writing = os.pipe()
        self.stdin = os.fdopen(reading, "r")
        self._clock = clock
        start = clock.now()
        self._script = sorted(((start + at, line) for at, line in script), key=lambda p: p[0])
        self._close = close
        self.type_due()

    def due(self) -> float | None:
        """The moment of the next line (or of the end of input), if any is left."""
        if self._script:
            return self._script[0][0]
        return self._clock.now() if self._close and self._writing >= 0 else None

    def type_due(self) -> None:
        """Type every line whose moment has come; then, with nothing left, close the input."""
        now = self._clock.now()
        while self._script and self._script[0][0] <= now:
            _, line = self._script.pop(0)
            os.write(self._writing, (line + "\n").encode())
        if not self._script and self._close and self._writing >= 0:
            os.close(self._writing)
            self._writing = -1

    def close(self) -> None:
        if self._writing >= 0:
            os.close(self._writing)
            self._writing = -1
        self.stdin.close()


class _FakeTimeSelector(selectors.DefaultSelector):
    """Waits by moving a fake clock: what is ready now is returned at once; a wait with a time
    limit moves the clock to it (or to the typist's next line, if sooner); a wait without one
    (the loop waits on a thread, or on input) types the next line, else waits for real."""

    def __init__(self, clock: FakeClock, typist: Typist | None) -> None:
        super().__init__()
        self._clock = clock
        self._typist = typist

    def select(self, timeout: float | None = None) -> list[tuple[Any, int]]:
        ready: list[tuple[Any, int]] = super().select(0)
        if ready or (timeout is not None and timeout <= 0):
            return ready
        typed = self._typist.due() if self._typist is not None else None
        if timeout is None and typed is None:
            ready = super().select(REAL_WAIT)
            if not ready:
                raise RuntimeError("the loop waits for something that never comes")
            return ready
        step = timeout if timeout is not None else float("inf")
        if typed is not None:
            step = min(step, max(0.0, typed - self._clock.now()))
        self._clock.advance(step)
        if self._typist is not None:
            self._typist.type_due()
        return super().select(0)


class FakeTimeLoop(asyncio.SelectorEventLoop):
    """An event loop whose time is a FakeClock's: waiting moves the clock instead of taking
    time, so `drive` and timers run a session in no time, in order. Work handed to a thread
    (`asyncio.to_thread`) is done at once, on the loop, so nothing races the clock. With a
    `Typist`, its lines arrive at their moments."""

    def __init__(self, clock: FakeClock, typist: Typist | None = None) -> None:
        super().__init__(_FakeTimeSelector(clock, typist))
        self._fake_clock = clock

    def time(self) -> float:
        return self._fake_clock.now()

    def run_in_executor(  # type: ignore[override]
        self, executor: Any, func: Callable[..., _T], *args: Any
    ) -> asyncio.Future[_T]:
        future: asyncio.Future[_T] = self.create_future()
        try:
            future.set_result(func(*args))
        except Exception as exc:
            future.set_exception(exc)
        return future


class Now(Protocol):
    """Anything with a `now()`, such as the clocks in coach.clock."""

    def now(self) -> float: ...


class RecordingBeeper(NoticeOnce):
    """Records what would be played, for tests.

    `played` lists `(cue, when)`, where `when` is `clock.now()` if a clock was given, else None.
    Muted plays are not recorded. Pass `problem` to act like a beeper whose sound has failed,
    so a test can check the app shows the notice once.
    """

    def __init__(self, clock: Now | None = None, problem: str | None = None) -> None:
        self.muted = False
        self.problem = problem
        self.played: list[tuple[str, float | None]] = []
        self.closed = False
        self._clock = clock

    @property
    def cues(self) -> list[str]:
        """Just the cue names from `played`, in order."""
        return [cue for cue, _ in self.played]

    def play(self, cue: str) -> None:
        """Record the cue, unless muted. Unknown cues raise ValueError."""
        check_cue(cue)
        if not self.muted:
            self.played.append((cue, self._clock.now() if self._clock else None))

    def play_phrase(self, path: Path, seconds: float) -> bool:
        """Record the phrase's file as `phrase:<file name>`, unless muted; True when recorded."""
        if self.muted or self.problem:
            return False
        self.played.append((f"phrase:{path.name}", self._clock.now() if self._clock else None))
        return True

    def close(self) -> None:
        """Remember that the app closed the beeper."""
        self.closed = True


def sample_sessions(
    count: int, first_start: datetime, *, sets_each: int = 8
) -> Iterator[tuple[SessionRecord, list[SetRecord]]]:
    """`count` made-up finished sessions, one a day from `first_start`, for tests and
    benchmarks; feed them to `HistoryStore.import_sessions`."""
    for n in range(count):
        start = first_start + timedelta(days=n)
        sets = [  # 2 sets of each exercise, each on the left and then the right
            SetRecord(
                i // 4,
                f"exercise {i // 4}",
                i // 2 % 2 + 1,
                start + timedelta(minutes=i + 1),
                side=("left", "right")[i % 2],
                side_is="working",
                working_side=("left", "right")[i % 2],
                reps=10,
                holds=10,
                skipped=i % 7 == 6,
            )
            for i in range(sets_each)
        ]
        session = SessionRecord(
            id=0,
            routine_id=f"routine-{n % 3}",
            title=f"Routine {n % 3}",
            started_at=start,
            day=start.date(),
            ended_at=start + timedelta(minutes=sets_each + 2),
            status="completed",
            pain_before=n % 11,
            pain_after=max(0, n % 11 - 2),
            effort=n % 10,
            note=None,
            planned_sets=(sets_each + 1) // 2,  # the blocks are sides of these sets
            pid=1,
            host="sample",
            exercise_index=(sets_each - 1) // 4,
            set_number=2,
            resumed_from=None,
            dismissed=False,
        )
        yield session, sets


def full_session(
    store: Store,
    entry: RoutineEntry,
    started_at: datetime,
    *,
    pain_before: int | None = 1,
    pain_after: int | None = 1,
    doses: Sequence[DoseRecord] = (),
) -> int:
    """Write a finished session of `entry` done at the full dose (with the person's `doses`):
    every set of the plan done as planned, as the programme's rules read one; its id."""
    from coach.counts import sets_planned
    from coach.programme_io import personal_entry
    from coach.sides import working_side

    mine, plan, _ = personal_entry(entry, doses)
    session_id = store.start_session(
        entry.id,
        entry.routine.title,
        started_at,
        planned_sets=sets_planned(plan.blocks),
        pain_before=pain_before,
    )
    for n, block in enumerate(plan.blocks, 1):
        ex = mine.routine.exercises[block.exercise_index]
        store.record_set(
            session_id,
            SetRecord(
                block.exercise_index,
                ex.name,
                block.set,
                started_at + timedelta(minutes=n),
                side=block.side,
                direction=block.direction,
                reps=block.reps,
                holds=block.holds,
                side_is=ex.side_is if block.side else None,
                working_side=working_side(block.side, ex.side_is),
                target_reps=block.reps,
                target_hold=ex.hold,
            ),
        )
    ended = started_at + timedelta(minutes=len(plan.blocks) + 1)
    store.finish_session(session_id, ended, "completed", pain_after=pain_after)
    return session_id


@contextmanager
def unwritable(folder: Path, error: int = errno.EACCES) -> Iterator[None]:
    """While inside, opening a file in `folder` to write or create it fails with `error`, as
    it does for a user without write permission there (EACCES) or on a read-only filesystem
    (EROFS). The superuser may write anywhere, so a test that only took the permission away
    would not bind when run as root; this binds for everyone. Reading still works."""
    real = os.open
    writing = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC
    where = folder.resolve()

    def refusing(path: Any, flags: int, mode: int = 0o777, **kwargs: Any) -> int:
        if flags & writing and Path(os.fsdecode(path)).resolve().parent == where:
            raise OSError(error, os.strerror(error), os.fsdecode(path))
        return real(path, flags, mode, **kwargs)

    with mock.patch.object(os, "open", refusing):
        yield


class FakePhrases:
    """Phrases 'rendered' in memory, each `per_char` seconds a character long (about the pace
    of speech); a stand-in for coach.voice.PhraseCache. `fail` makes every rendering raise it;
    `rendered` lists the texts asked for, in order; `ready` limits which texts count as
    rendered (all of them when None)."""

    def __init__(self, per_char: float = 0.06, fail: Exception | None = None) -> None:
        self.per_char = per_char
        self.fail = fail
        self.rendered: list[str] = []
        self.ready: set[str] | None = None

    def ensure(self, text: str) -> Path:
        if self.fail is not None:
            raise self.fail
        self.rendered.append(text)
        return self._path(text)

    def get(self, text: str) -> Path | None:
        return self._path(text) if self._has(text) else None

    def seconds(self, text: str) -> float | None:
        return len(text) * self.per_char if self._has(text) else None

    def _has(self, text: str) -> bool:
        return text in self.rendered and (self.ready is None or text in self.ready)

    @staticmethod
    def _path(text: str) -> Path:
        return Path(f"{abs(hash(text)):x}.wav")


STAND_IN_ENGINE = """\
import json, subprocess, sys, time, wave
out, mode, log = sys.argv[1], sys.argv[2], sys.argv[3]
text = sys.stdin.read()
with open(log, "a", encoding="utf-8") as f:
    f.write(json.dumps({"text": text, "argv": sys.argv[1:]}) + "\\n")
if mode == "fail":
    sys.stderr.write("loading model\\nboom: no model \\x1b[31mhere\\n")
    sys.exit(3)
if mode == "hang":
    subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    time.sleep(60)
if mode == "garbage":
    open(out, "wb").write(b"this is not a sound")
    sys.exit(0)
if mode == "nothing":
    sys.exit(0)
with wave.open(out, "wb") as w:
    w.setnchannels(1)
    w.setsampwidth(2)
    w.setframerate(8000)
    w.writeframes(b"\\0\\0" * 80 * (0 if mode == "silent" else len(text)))
"""


class StandInEngine:
    """A speech engine for tests, used through COACH_VOICE_CMD: a Python script that writes a
    WAV 10 ms long a character (silence), or fails, hangs or writes garbage as `mode` says,
    and logs every phrase it was given."""

    def __init__(self, tmp_path: Path) -> None:
        self.script = tmp_path / "fake_engine.py"
        self.script.write_text(STAND_IN_ENGINE, encoding="utf-8")
        self.log = tmp_path / "engine.log"

    def template(self, mode: str = "ok", extra: str = "") -> str:
        words = [sys.executable, str(self.script), "{out}", mode, str(self.log)]
        return " ".join(shlex.quote(w) if w != "{out}" else w for w in words) + extra

    def engine(self, mode: str = "ok", voice: str | None = None) -> Engine:
        environ = {"COACH_VOICE_CMD": self.template(mode)}
        engine = choose_engine(VoiceSetting("engine", "cmd", voice), environ)
        assert engine is not None
        return engine

    def calls(self) -> list[dict[str, object]]:
        if not self.log.exists():
            return []
        return [json.loads(line) for line in self.log.read_text(encoding="utf-8").splitlines()]
