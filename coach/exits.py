"""How a front end ends when the process is told to go: the one table and time limit that the
full screen and plain narration share.

A signal saves the session at once (SIGTERM and SIGINT as `stopped`, SIGHUP, the terminal
gone, as `interrupted`, to be resumed); if the process has not ended EXIT_SECONDS later (a
terminal that is gone can make the last writes hang), it ends anyway.
"""

from __future__ import annotations

import asyncio
import os
import signal
import threading
from collections.abc import Callable
from typing import Literal

SIGNAL_ENDINGS: dict[str, Literal["stopped", "interrupted"]] = {
    "SIGTERM": "stopped",
    "SIGINT": "stopped",
    "SIGHUP": "interrupted",
}
EXIT_SECONDS = 1.5
"""After a signal the session is saved at once; the process ends this long after at the
latest."""


def exit_status(name: str) -> int:
    """The shell's status for a process ended by signal `name`: 128 + its number."""
    return 128 + int(getattr(signal, name))


def catch_signals(loop: asyncio.AbstractEventLoop, handler: Callable[[str], None]) -> None:
    """Call `handler(name)` on `loop` for each signal of SIGNAL_ENDINGS this system has;
    nothing where signals cannot be caught (another OS, or not the main thread)."""
    try:
        for name in SIGNAL_ENDINGS:
            number = getattr(signal, name, None)
            if number is not None:
                loop.add_signal_handler(number, handler, name)
    except (NotImplementedError, RuntimeError, ValueError):
        pass


def end_process_after(seconds: float, code: int) -> None:
    """End the process with `code` after `seconds`, unless it has ended by then."""
    timer = threading.Timer(seconds, os._exit, args=(code,))
    timer.daemon = True
    timer.start()
