"""Where coach's output goes: files written safely, and standard streams that never fail on a
character they cannot encode.

`write_file` is the one way coach replaces a file the person named (an export, a report): it
writes through symbolic links, keeps the mode of the file it replaces, refuses folders, named
pipes, sockets and devices, and replaces the file in one step, so a write that fails leaves the
old file as it was.

`readable_streams` sets standard output and error to replace a character their encoding cannot
take by an ASCII look-alike (× → x, – → -, → → ->), else by `?`, instead of raising
`UnicodeEncodeError` (`PYTHONIOENCODING=ascii`, a terminal in a legacy code page).
`for_layout` does the same for text already laid out in columns (Rich tables), with look-alikes
exactly as wide as what they stand for, so the columns stay straight.
"""

from __future__ import annotations

import codecs
import contextlib
import errno
import os
import stat
import sys
import unicodedata
from collections.abc import Iterator
from typing import TextIO, cast

STANDARD_OUTPUT = "-"
"""The file name that means standard output, as in most command-line tools."""


class OutputError(Exception):
    """A file that could not or must not be written, as one line a person can read."""


# ------------------------------------------------------------------ files


def write_file(path: str | os.PathLike[str], data: bytes) -> None:
    """Write `data` to the file at `path` in one step.

    A link is followed to the file it names, and that file is replaced, so the link stays a
    link (a dangling link gets its file made). A file that exists keeps its mode (and, where
    the process may set it, its owner and group); a new file gets the usual 0666 less the umask.
    A folder, named pipe, socket or device is refused before anything is written, and so is a
    file that is read-only to this process (as a shell's `>` would refuse it). The bytes go
    to a temporary file beside the target, are flushed to disk, and the temporary file is then
    renamed over the target; on any failure it is removed and the target is left as it was.
    Raises `OutputError`.
    """
    shown = os.fspath(path)
    real, old = check_target(path)
    folder, name = os.path.split(real)
    temp: str | None = None
    try:
        handle, temp = _create_beside(folder, name)
        with os.fdopen(handle, "wb") as out:
            if old is not None:
                _keep_mode_and_owner(out.fileno(), old)
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, real)
        temp = None
    except OSError as err:
        raise OutputError(f"cannot write {shown}: {err.strerror or err}") from None
    finally:
        if temp is not None:
            with contextlib.suppress(OSError):
                os.unlink(temp)
    _sync_folder(folder)


def check_target(path: str | os.PathLike[str]) -> tuple[str, os.stat_result | None]:
    """The file `path` names (through links) and its state now, when `write_file` may replace
    it; `OutputError` for a name ending in /, a folder, named pipe, socket or device, or a file
    that is read-only to this process. A command that takes long to make what it writes
    checks first, so that a wrong target is told at once."""
    shown = os.fspath(path)
    if shown.endswith(("/", os.sep)):  # `sub/`: a folder, even one not made yet
        raise OutputError(f"cannot write {shown}: it names a folder; name a file in it")
    real = os.path.realpath(path)
    try:
        old: os.stat_result | None = os.stat(real)
    except FileNotFoundError:
        old = None
    except OSError as err:
        raise OutputError(f"cannot write {shown}: {err.strerror or err}") from None
    if old is not None and not stat.S_ISREG(old.st_mode):
        raise OutputError(f"cannot write {shown}: {_not_a_file(old.st_mode)}")
    if old is not None and not os.access(real, os.W_OK):
        # Replacing it would work (the folder can be written), but its owner made it read-only.
        raise OutputError(f"cannot write {shown}: the file is read-only")
    return real, old


def write_standard_output(text: str) -> None:
    """Write `text` to standard output and flush it. An output that fails (a full disk, a
    device error) raises `OutputError` in one line; what could not be written is dropped, so
    that closing the stream at exit does not fail again."""
    out = sys.stdout
    if out is None:
        raise OutputError("standard output is closed; -o FILE writes to a file")
    try:
        out.write(text)
        out.flush()
    except BrokenPipeError:
        raise  # the reader went away: the caller ends quietly
    except OSError as err:
        drop_standard_output()
        raise OutputError(f"cannot write to standard output: {err.strerror or err}") from None


OUTPUT_FAILURES = frozenset({errno.ENOSPC, errno.EIO, errno.EFBIG, errno.EDQUOT})
"""The errors of an output that can take no more (a full disk, a device that failed)."""


def drop_standard_output() -> None:
    """Point standard output at the null device, after a write to it failed: what is still
    buffered is dropped, so that closing the stream at exit does not fail again."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)


def _not_a_file(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "it is a folder; name a file in it"
    if stat.S_ISFIFO(mode):
        return "it is a named pipe, not a file (-o - writes to standard output)"
    if stat.S_ISSOCK(mode):
        return "it is a socket, not a file"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "it is a device, not a file (-o - writes to standard output)"
    return "it is not a plain file"


def _create_beside(folder: str, name: str) -> tuple[int, str]:
    """A new, empty, hidden file in `folder`, named after the target; 0666 less the umask."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
    flags |= getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    for _ in range(100):
        # The target's name is cut short so the temporary name always fits the file system.
        temp = os.path.join(folder or ".", f".{name[:40]}.{os.urandom(4).hex()}.tmp")
        try:
            return os.open(temp, flags, 0o666), temp
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary name in {folder}")


def _keep_mode_and_owner(fd: int, old: os.stat_result) -> None:
    if hasattr(os, "fchown"):
        now = os.fstat(fd)
        if (now.st_uid, now.st_gid) != (old.st_uid, old.st_gid):
            # Only the superuser may give a file away; anyone may keep a group they are in.
            with contextlib.suppress(OSError):
                os.fchown(fd, old.st_uid, old.st_gid)
    if hasattr(os, "fchmod"):
        os.fchmod(fd, stat.S_IMODE(old.st_mode))


def _sync_folder(folder: str) -> None:
    """Make the rename itself durable, where the system allows opening a folder."""
    try:
        fd = os.open(folder or ".", os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        with contextlib.suppress(OSError):
            os.fsync(fd)
    finally:
        os.close(fd)


# ------------------------------------------------------------------ streams

LOOKALIKES = {
    "\N{MULTIPLICATION SIGN}": "x",
    "\N{EN DASH}": "-",
    "\N{EM DASH}": "-",
    "\N{MINUS SIGN}": "-",
    "\N{HYPHEN}": "-",
    "\N{NON-BREAKING HYPHEN}": "-",
    "\N{RIGHTWARDS ARROW}": "->",
    "\N{LEFTWARDS ARROW}": "<-",
    "\N{UPWARDS ARROW}": "^",
    "\N{DOWNWARDS ARROW}": "v",
    "\N{MIDDLE DOT}": ".",
    "\N{BULLET}": "*",
    "\N{LEFT SINGLE QUOTATION MARK}": "'",
    "\N{RIGHT SINGLE QUOTATION MARK}": "'",
    "\N{SINGLE LOW-9 QUOTATION MARK}": ",",
    "\N{LEFT DOUBLE QUOTATION MARK}": '"',
    "\N{RIGHT DOUBLE QUOTATION MARK}": '"',
    "\N{DOUBLE LOW-9 QUOTATION MARK}": '"',
    "\N{LEFT-POINTING DOUBLE ANGLE QUOTATION MARK}": '"',
    "\N{RIGHT-POINTING DOUBLE ANGLE QUOTATION MARK}": '"',
    "\N{HORIZONTAL ELLIPSIS}": "...",
    "\N{LESS-THAN OR EQUAL TO}": "<=",
    "\N{GREATER-THAN OR EQUAL TO}": ">=",
    "\N{NOT EQUAL TO}": "!=",
    "\N{PLUS-MINUS SIGN}": "+/-",
    "\N{VULGAR FRACTION ONE HALF}": "1/2",
    "\N{VULGAR FRACTION ONE QUARTER}": "1/4",
    "\N{VULGAR FRACTION THREE QUARTERS}": "3/4",
    "\N{FRACTION SLASH}": "/",
    "\N{DEGREE SIGN}": " deg",
    "\N{RETURN SYMBOL}": "Enter",
    "\N{CHECK MARK}": "v",
    "\N{HEAVY CHECK MARK}": "v",
    "\N{BALLOT X}": "x",
    "\N{HEAVY BALLOT X}": "x",
    "\N{BLACK SQUARE}": "#",
    "\N{WHITE SQUARE}": ".",
    "\N{FULL BLOCK}": "#",
    "\N{LATIN SMALL LETTER SHARP S}": "ss",
    "\N{LATIN SMALL LETTER AE}": "ae",
    "\N{LATIN CAPITAL LETTER AE}": "AE",
    "\N{LATIN SMALL LETTER O WITH STROKE}": "o",
    "\N{LATIN CAPITAL LETTER O WITH STROKE}": "O",
    "\N{LATIN SMALL LIGATURE OE}": "oe",
    "\N{LATIN CAPITAL LIGATURE OE}": "OE",
    "\N{LATIN SMALL LETTER L WITH STROKE}": "l",
    "\N{LATIN CAPITAL LETTER L WITH STROKE}": "L",
    "\N{NO-BREAK SPACE}": " ",
    "\N{NARROW NO-BREAK SPACE}": " ",
    "\N{THIN SPACE}": " ",
}
"""Characters an ASCII output cannot take, by what to write instead."""

ONE_CELL = {
    "\N{RIGHTWARDS ARROW}": ">",
    "\N{LEFTWARDS ARROW}": "<",
    "\N{HORIZONTAL ELLIPSIS}": ".",
    "\N{LESS-THAN OR EQUAL TO}": "<",
    "\N{GREATER-THAN OR EQUAL TO}": ">",
    "\N{NOT EQUAL TO}": "#",
    "\N{PLUS-MINUS SIGN}": "+",
    "\N{DEGREE SIGN}": "o",
    "\N{RETURN SYMBOL}": "<",
}
"""Look-alikes one cell wide, where `LOOKALIKES` has a longer one, for text in columns."""


def lookalike(char: str) -> str:
    """ASCII text that reads like `char`: from the table, else the letter without its accents
    (é → e), else `\\xNN` for a byte a file name could not decode, else `?`."""
    if char in LOOKALIKES:
        return LOOKALIKES[char]
    if unicodedata.combining(char):
        return ""  # an accent on the letter before it
    if "\udc80" <= char <= "\udcff":  # a byte kept by surrogateescape, shown as the byte
        return f"\\x{ord(char) - 0xDC00:02x}"
    parts = []
    for part in unicodedata.normalize("NFKD", char):
        if part.isascii():
            parts.append(part)
        elif part in LOOKALIKES:
            parts.append(LOOKALIKES[part])
        elif not unicodedata.combining(part):
            return _drawing(char)
    return "".join(parts) or "?"


def _drawing(char: str) -> str:
    """Lines and blocks (borders, bars, the big clock) drawn in ASCII, anything else `?`."""
    name = unicodedata.name(char, "")
    if name.startswith("BOX DRAWINGS"):
        words = set(name.split())
        if "AND" in words or words & {"ARC", "DIAGONAL"}:
            return "+"
        if words & {"HORIZONTAL", "LEFT", "RIGHT"}:
            return "-"
        return "|"
    if name in ("LEFT ONE EIGHTH BLOCK", "RIGHT ONE EIGHTH BLOCK"):
        return "|"
    if name in ("LOWER ONE EIGHTH BLOCK", "LOWER ONE QUARTER BLOCK", "LOWER THREE EIGHTHS BLOCK"):
        return "_"
    if "BLOCK" in name or "SHADE" in name or "QUADRANT" in name:
        return "#"
    return "?"


HANDLER = "coach.lookalike"
"""The encoding error handler that writes look-alikes (see `lookalike`)."""

CELL_HANDLER = "coach.lookalike-cells"
"""The same, with look-alikes as wide as what they replace (see `one_cell_lookalike`)."""


def _replace(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeEncodeError):
        raise error
    text = error.object[error.start : error.end]
    return "".join(lookalike(char) for char in text), error.end


def _replace_cells(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeEncodeError):
        raise error
    text = error.object[error.start : error.end]
    return "".join(one_cell_lookalike(char) for char in text), error.end


@contextlib.contextmanager
def readable_streams(*, cells: bool = False) -> Iterator[None]:
    """While inside, standard output and error write look-alikes for what they cannot
    encode instead of raising; with `cells`, look-alikes as wide as what they replace, for a
    screen laid out in cells (the full-screen coach). Nothing changes for a character the
    stream can take, so a UTF-8 output stays exactly as it was; the streams are put back on
    the way out."""
    for name, handler in ((HANDLER, _replace), (CELL_HANDLER, _replace_cells)):
        try:
            codecs.lookup_error(name)
        except LookupError:
            codecs.register_error(name, handler)
    wanted = CELL_HANDLER if cells else HANDLER
    changed: list[tuple[TextIO, str | None]] = []
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        before = getattr(stream, "errors", None)
        if reconfigure is None or before == wanted:
            continue
        try:
            reconfigure(errors=wanted)
        except (ValueError, OSError):
            continue
        changed.append((stream, before))
    try:
        yield
    finally:
        for stream, errors in changed:
            with contextlib.suppress(ValueError, OSError):
                stream.reconfigure(errors=errors)  # type: ignore[attr-defined]


def one_cell_lookalike(char: str) -> str:
    """`lookalike`, as many cells wide as `char` is on a terminal (wide letters take two)."""
    if char in ONE_CELL:
        return ONE_CELL[char]
    cells = 0 if unicodedata.combining(char) else 1
    if unicodedata.east_asian_width(char) in ("W", "F"):
        cells = 2
    if "\udc80" <= char <= "\udcff":
        return "?"
    text = lookalike(char)
    return text[:cells].ljust(cells, "?" if text else " ")


class _LaidOut:
    """A text stream that writes, for each character its encoding cannot take, a look-alike
    of the same width; everything else goes to the stream it wraps."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self._encoding = getattr(stream, "encoding", None) or "utf-8"

    def write(self, text: str) -> int:
        try:
            text.encode(self._encoding)
        except UnicodeEncodeError:
            text = "".join(
                char
                if char.isascii() or can_encode(self._stream, char)
                else one_cell_lookalike(char)
                for char in text
            )
        return self._stream.write(text)

    def __getattr__(self, name: str) -> object:
        return getattr(self._stream, name)


def for_layout(stream: TextIO) -> TextIO:
    """`stream` itself when it takes every character; else a stream that writes look-alikes
    as wide as what they stand for, so text laid out in columns stays in its columns. Give it
    to whatever lays text out (a Rich `Console`), which then draws ASCII borders."""
    codec = getattr(stream, "encoding", None) or "utf-8"
    try:
        name = codecs.lookup(codec).name
    except LookupError:
        return stream
    if name.startswith("utf"):
        return stream
    return cast("TextIO", _LaidOut(stream))


def can_encode(stream: TextIO, text: str) -> bool:
    """Whether `stream` takes every character of `text` as it is."""
    encoding = getattr(stream, "encoding", None) or "utf-8"
    try:
        text.encode(encoding)
    except UnicodeEncodeError:
        return False
    except LookupError:
        return True
    return True
