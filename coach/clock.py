"""Clocks: the engine asks a clock for the time and never counts ticks.

`now()` is monotonic seconds for pacing; `wall()` is the local date and time (timezone-aware)
that history stores. A fake clock moves both together.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    """Monotonic seconds, as a float, and the wall time. Only differences of `now` mean anything."""

    def now(self) -> float: ...

    def wall(self) -> datetime: ...


class MonotonicClock:
    """The real clock: `time.monotonic()` and the local time."""

    def now(self) -> float:
        return time.monotonic()

    def wall(self) -> datetime:
        return datetime.now().astimezone()


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
