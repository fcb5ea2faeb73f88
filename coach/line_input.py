"""Lines typed on standard input, handed to the event loop one at a time without ever blocking
it: plain narration reads its commands and answers through this."""

from __future__ import annotations

import asyncio
import codecs
import contextlib
import os
import threading
from typing import IO


class LineInput:
    """Lines from standard input, one at a time, without blocking the event loop: a pipe or a
    terminal is watched by the loop; a file or /dev/null (which the loop cannot watch) is read
    by a thread, which never waits on them; a stream in memory is read at once. None is the
    end of input, for ever after."""

    def __init__(self, stream: IO[str]) -> None:
        self.stream = stream
        self.closed = False
        self._queue: asyncio.Queue[str | None] = asyncio.Queue()
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._partial = ""
        self._watched: int | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def start(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        try:
            fd = self.stream.fileno()
        except (AttributeError, OSError, ValueError):  # in memory (io.UnsupportedOperation)
            for line in self.stream:
                self._queue.put_nowait(line.rstrip("\r\n"))
            self._queue.put_nowait(None)
            return
        try:
            loop.add_reader(fd, self._readable, fd)
            self._watched = fd
        except (OSError, NotImplementedError, ValueError):  # a file, /dev/null, or no support
            threading.Thread(target=self._pump, args=(fd, loop), daemon=True).start()

    def stop(self) -> None:
        if self._watched is not None and self._loop is not None:
            with contextlib.suppress(Exception):
                self._loop.remove_reader(self._watched)
            self._watched = None

    async def get(self) -> str | None:
        """The next line, without its line ending; None once input has closed."""
        if self.closed and self._queue.empty():
            return None
        line = await self._queue.get()
        if line is None:
            self.closed = True
        return line

    def _readable(self, fd: int) -> None:
        try:
            data = os.read(fd, 65536)
        except BlockingIOError:
            return
        except OSError:  # the terminal has gone
            data = b""
        if not data:
            self.stop()
        self._took(data)

    def _pump(self, fd: int, loop: asyncio.AbstractEventLoop) -> None:
        while True:
            try:
                data = os.read(fd, 65536)
            except OSError:
                data = b""
            try:
                loop.call_soon_threadsafe(self._took, data)
            except RuntimeError:  # the loop has closed
                return
            if not data:
                return

    def _took(self, data: bytes) -> None:
        text = self._partial + self._decoder.decode(data, final=not data)
        *lines, self._partial = text.split("\n")
        for line in lines:
            self._queue.put_nowait(line.rstrip("\r"))
        if not data:
            if self._partial:
                self._queue.put_nowait(self._partial.rstrip("\r"))
                self._partial = ""
            self._queue.put_nowait(None)
