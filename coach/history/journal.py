"""The journal: a session's writes that could not reach the history file before the coach
ended (another program held the file's lock), kept beside it for the next start to add.

One JSON object a line, appended and synced in one write, mode 0600. Each names its session
by the key the coach that wrote it made (the session may not have had an id yet) and, when it
had one, by its id in the file. Adding the same journal twice changes nothing: a start is
found again by its routine, start time and owner; a set keeps one row; an ending is set again.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from coach.history.model import SetRecord, from_text, to_text

SUFFIX = ".journal.jsonl"
VERSION = 1


def journal_path(history: Path) -> Path:
    """The journal beside a history file: history.db → history.journal.jsonl."""
    return history.with_suffix(SUFFIX)


@dataclass(frozen=True)
class Begin:
    """The start of a session, as `Store.start_session` takes it, and its owner."""

    routine_id: str
    title: str
    started_at: datetime
    planned_sets: int | None
    pain_before: int | None
    resumed_from: int | None
    pid: int
    host: str


@dataclass(frozen=True)
class Finish:
    """The end of a session (and its check-in), as `Store.finish_session` takes it."""

    ended_at: datetime
    status: str
    pain_after: int | None = None
    effort: int | None = None
    note: str | None = None


Write = Begin | SetRecord | Finish


@dataclass(frozen=True)
class Entry:
    """One write of the session with this `key` (and this id in the file, if it had one)."""

    key: str
    session_id: int | None
    write: Write


def _encode(entry: Entry) -> str:
    write = entry.write
    body: dict[str, Any]
    if isinstance(write, Begin):
        body = {"op": "begin", **vars(write), "started_at": to_text(write.started_at)}
    elif isinstance(write, Finish):
        body = {"op": "finish", **vars(write), "ended_at": to_text(write.ended_at)}
    else:
        body = {"op": "set", **vars(write), "recorded_at": to_text(write.recorded_at)}
    line = {"v": VERSION, "key": entry.key, "session": entry.session_id, **body}
    return json.dumps(line, ensure_ascii=False)


def _decode(line: str) -> Entry:
    """One line back into an entry; ValueError, TypeError or KeyError when it is not one."""
    item = json.loads(line)
    if not isinstance(item, dict) or item.pop("v") != VERSION:
        raise ValueError("not a journal entry of this version")
    key, session, op = item.pop("key"), item.pop("session"), item.pop("op")
    if not isinstance(key, str) or not (session is None or isinstance(session, int)):
        raise ValueError("no session key")
    write: Write
    if op == "begin":
        write = Begin(**{**item, "started_at": from_text(item["started_at"])})
    elif op == "finish":
        write = Finish(**{**item, "ended_at": from_text(item["ended_at"])})
    elif op == "set":
        write = SetRecord(**{**item, "recorded_at": from_text(item["recorded_at"])})
    else:
        raise ValueError(f"unknown journal entry {op!r}")
    return Entry(key, session, write)


def append(path: Path, entries: Sequence[Entry]) -> None:
    """Add entries to the journal in one write, synced to the disk; OSError if it cannot."""
    if not entries:
        return
    data = "".join(_encode(entry) + "\n" for entry in entries).encode("utf-8")
    handle = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(handle, data)
        os.fsync(handle)
    finally:
        os.close(handle)


def read(path: Path) -> tuple[list[Entry], int]:
    """The journal's entries in order, and how many lines could not be read (a line cut short
    when a coach was killed while writing it); FileNotFoundError when there is none."""
    entries: list[Entry] = []
    bad = 0
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        if not line.strip():
            continue
        try:
            entries.append(_decode(line))
        except (ValueError, TypeError, KeyError, AttributeError):
            bad += 1
    return entries, bad
