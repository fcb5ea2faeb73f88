"""Clocks: the engine asks a clock for the time and never counts ticks.

`now()` is monotonic seconds for pacing; `wall()` is the local date and time (timezone-aware)
that history stores. A fake clock moves both together.
"""

from __future__ import annotations

import time
from datetime import datetime
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
