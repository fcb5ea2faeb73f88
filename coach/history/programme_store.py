"""A person's programme (doses, their changes, weekly plans) read for a command that only
prints: the history file is read as it is, or not at all.

`read_programme` never creates the data folder or the history file, never migrates or adds to
a file, and leaves no file of SQLite's beside it. A missing file is an empty programme; a file
of an older schema gives what its tables hold (none before schema 3, so nothing); a file that
cannot be read (damaged, locked, from a newer coach, not a history) gives an empty programme
and the one-line reason, for the caller to tell.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from coach.history.model import DoseChange, DoseRecord, Schedule
from coach.history.programme_rows import read_tables
from coach.history.schema import FILE_NAME, explain, refusal

READ_WAIT = 0.5
"""Seconds a read waits on another program's lock before it gives up (reads in WAL mode wait
only while a program holds the whole file, or while one recovers it)."""


@dataclass(frozen=True)
class ProgrammeData:
    """What the history file says of the person's programme. `problem`: why the file could
    not be read (then the rest is empty), one line naming the file; None when it was read or
    there is no file."""

    doses: list[DoseRecord] = field(default_factory=list)
    changes: list[DoseChange] = field(default_factory=list)  # oldest first
    schedules: list[Schedule] = field(default_factory=list)
    problem: str | None = None


def read_programme(data_dir: Path) -> ProgrammeData:
    """The doses, dose changes and weekly plans in `data_dir`'s history file, read without
    changing anything there (see the module's note)."""
    path = data_dir / FILE_NAME
    if not path.exists():
        return ProgrammeData()
    if not path.is_file():
        return ProgrammeData(problem=f"{path} is not a file")
    try:
        db = _connect(path)
    except sqlite3.Error as exc:
        return ProgrammeData(problem=explain(exc, str(path)))
    except OSError as exc:
        return ProgrammeData(problem=f"cannot read {path}: {exc.strerror or exc}")
    except _Locked:
        return ProgrammeData(problem=f"{path} is locked by another program")
    try:
        db.row_factory = sqlite3.Row
        db.execute("BEGIN")  # one consistent view of the three tables
        reason = refusal(db, path)
        if reason is not None:
            return ProgrammeData(problem=reason)
        doses, changes, schedules = read_tables(db)
        return ProgrammeData(doses, changes, schedules)
    except sqlite3.Error as exc:
        return ProgrammeData(problem=explain(exc, str(path)))
    finally:
        db.close()


class _Locked(Exception):
    """Another program holds the whole file (its WAL is there without the shared index)."""


def _connect(path: Path) -> sqlite3.Connection:
    """The file opened for reading only, in a way that makes no file beside it.

    While a coach has the file open, the WAL index (`-shm`) is there and a read-only connection
    shares it. Without it (every coach has closed the file) a read-only connection to a file in
    WAL mode would make the index and the WAL and leave them behind, so the file is read as
    immutable: nobody is writing it. A WAL with writes in it and no index is a program holding
    the file in exclusive mode. A file not in WAL mode is read with the usual locks (that makes
    no file)."""
    uri = path.resolve().as_uri()
    index = path.with_name(path.name + "-shm")
    wal = path.with_name(path.name + "-wal")
    if index.exists() or not _in_wal_mode(path):
        query = "mode=ro"
    elif wal.exists() and wal.stat().st_size > 0:
        raise _Locked
    else:
        query = "mode=ro&immutable=1"
    return sqlite3.connect(
        f"{uri}?{query}",
        uri=True,
        timeout=READ_WAIT,
        isolation_level=None,
        check_same_thread=False,
    )


def _in_wal_mode(path: Path) -> bool:
    """Whether the file's header says WAL mode (its read and write versions are 2)."""
    with path.open("rb") as file:
        header = file.read(20)
    return header[:16] == b"SQLite format 3\x00" and header[18:20] == b"\x02\x02"
