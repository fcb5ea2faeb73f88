"""Where coach's output goes: files the person names, written safely.

`write_file` is the one way coach replaces a file the person named (an export, a report): it
writes through symbolic links, keeps the mode of the file it replaces, refuses folders, named
pipes, sockets and devices, and replaces the file in one step, so a write that fails leaves the
old file as it was.
"""

from __future__ import annotations

import contextlib
import os
import stat

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
