"""Finding routines: the built-in ones and the user's own, by id or by path; the routine cache."""

from __future__ import annotations

import contextlib
import difflib
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import msgspec

from coach import __version__
from coach.paths import builtin_routines_dir, user_routines_dir
from coach.routine import Routine, RoutineEntry, RoutineError

CACHE_MAX_BYTES = 64 * 1024 * 1024
# The code whose result the cache keeps: the readers and checks that turn a file into a routine,
# and the plan whose length is kept with it (every coach module routine_yaml imports).
_CHECKS = (
    "routine.py",
    "routine_check.py",
    "routine_yaml.py",
    "yaml_events.py",
    "yaml_scalars.py",
    "plan.py",
)


class UnknownRoutine(LookupError):
    """No routine has that id and no file has that path."""


@dataclass(frozen=True)
class Summary:
    """What a list shows of a routine."""

    title: str
    tags: tuple[str, ...]
    equipment: tuple[str, ...]
    exercises: int

    @classmethod
    def of(cls, routine: Routine) -> Summary:
        return cls(
            routine.title, tuple(routine.tags), tuple(routine.equipment), len(routine.exercises)
        )


class _Listing(msgspec.Struct):
    """The parts of an encoded Routine that a list shows; the exercises are left undecoded."""

    title: str
    tags: list[str] = []
    equipment: list[str] = []
    exercises: list[msgspec.Raw] = []


@dataclass(frozen=True, eq=False)
class RoutineFile:
    """One routine file, read: its routine and planned length, or the one error that stopped it.

    From the cache, the routine is decoded when first asked for (a list needs only `summary`).
    """

    id: str
    path: Path
    builtin: bool
    seconds: float = 0.0  # the plan's total length; 0 for a self-paced routine or an error
    error: RoutineError | None = None
    summary: Summary | None = None
    routine: Routine | None = None
    encoded: bytes | None = None  # the routine as the cache keeps it, until decoded

    @property
    def entry(self) -> RoutineEntry | None:
        routine = self.routine
        if routine is None and self.encoded is not None:
            try:
                routine = msgspec.msgpack.decode(self.encoded, type=Routine)
            except (msgspec.DecodeError, msgspec.ValidationError):
                routine = None
            object.__setattr__(self, "routine", routine)
            object.__setattr__(self, "encoded", None)
        return None if routine is None else RoutineEntry(self.id, self.path, routine, self.builtin)


@dataclass(frozen=True)
class Catalog:
    """Every routine that loaded, one error line for each file that did not, and each routine's
    planned length in seconds, by id."""

    entries: tuple[RoutineEntry, ...]
    errors: tuple[RoutineError, ...]
    seconds: Mapping[str, float] = field(default_factory=dict)

    def ids(self) -> list[str]:
        return [entry.id for entry in self.entries]


def routine_files(folder: Path) -> list[Path]:
    """The routine files in a folder, by name; none when it cannot be listed."""
    try:
        return sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())
    except OSError:
        return []


def cache_path(data: Path) -> Path:
    """Where the app keeps the routines it last read, ready to use without parsing."""
    return data / "cache" / "routines.msgpack"


def read_routine_file(path: Path, builtin: bool) -> RoutineFile:
    """Read and check one file, and plan it for its length. Never raises for a bad file."""
    from coach.plan import plan_length
    from coach.routine_yaml import load_routine  # YAML is loaded only when a file is read

    try:
        routine = load_routine(path, trusted=builtin)
    except RoutineError as err:
        return RoutineFile(path.stem, path, builtin, error=err)
    seconds = plan_length(routine)
    return RoutineFile(
        path.stem, path, builtin, seconds, summary=Summary.of(routine), routine=routine
    )


# ---------------------------------------------------------------------------- the cache


class _Record(msgspec.Struct, array_like=True):
    """What the cache keeps of one file: its size and modification time when it was read, and
    what reading it gave: the routine (encoded apart, decoded only when used) or the error."""

    path: str
    size: int
    mtime_ns: int
    builtin: bool
    seconds: float
    routine: msgspec.Raw  # the encoded Routine; nil with an error
    error: tuple[str, int | None, int | None] | None  # message, line, column


class _Cache(msgspec.Struct):
    coach: list[tuple[str, int, int]]
    files: list[_Record]


def _coach_key() -> list[tuple[str, int, int]] | None:
    """The coach that wrote a cache, and the code that checked and planned its routines."""
    here = Path(__file__)
    key = [("coach " + __version__, 0, 0)]
    try:
        for name in _CHECKS:
            st = os.stat(here.with_name(name))
            key.append((name, st.st_size, st.st_mtime_ns))
    except OSError:
        return None
    return key


class RoutineReader:
    """Reads routine files, through the cache when there is one.

    A file whose size and modification time are those the cache holds for it is not read
    again: its routine (or its error) and its planned length come from the cache. `save`
    writes the cache afresh with what was read since, when that differs from what it held.
    A cache that cannot be read or written is passed over: the files are the truth. One
    reader is used by one thread at a time.
    """

    def __init__(self, cache: Path | None, *, write: bool = True) -> None:
        self.cache = cache
        self._write = write
        self._key = _coach_key() if cache is not None else None
        self._stored = self._load()
        self._kept: dict[str, _Record] = {}
        self._changed = False

    def _load(self) -> dict[str, _Record]:
        if self.cache is None or self._key is None:
            return {}
        try:
            with open(self.cache, "rb") as f:
                raw = f.read(CACHE_MAX_BYTES + 1)
            if len(raw) > CACHE_MAX_BYTES:
                return {}
            stored = msgspec.msgpack.decode(raw, type=_Cache)
        except (OSError, msgspec.DecodeError):
            return {}
        if stored.coach != self._key:
            return {}
        return {record.path: record for record in stored.files}

    def read(self, path: Path, builtin: bool) -> RoutineFile:
        try:
            st = os.stat(path)
        except OSError:
            return read_routine_file(path, builtin)  # gone or unreadable: says so, not cached
        name = str(path)
        record = self._stored.get(name)
        if record is not None and (record.size, record.mtime_ns, record.builtin) == (
            st.st_size,
            st.st_mtime_ns,
            builtin,
        ):
            found = _from_record(record, path)
            if found is not None:
                self._kept[name] = record
                return found
        found = read_routine_file(path, builtin)
        self._kept[name] = _to_record(found, st.st_size, st.st_mtime_ns)
        self._changed = True
        return found

    def read_folder(self, folder: Path, builtin: bool) -> Iterator[RoutineFile]:
        for path in routine_files(folder):
            yield self.read(path, builtin)

    def save(self) -> None:
        """Write what was read, if it is not what the cache already holds."""
        if self.cache is None or self._key is None or not self._write:
            return
        if not self._changed and self._kept.keys() == self._stored.keys():
            return
        data = msgspec.msgpack.encode(_Cache(self._key, list(self._kept.values())))
        if len(data) > CACHE_MAX_BYTES:
            return
        part = self.cache.with_name(f".{self.cache.name}.{os.getpid()}")
        with contextlib.suppress(OSError):
            self.cache.parent.mkdir(parents=True, exist_ok=True)
            try:
                part.write_bytes(data)
                os.replace(part, self.cache)
            finally:
                part.unlink(missing_ok=True)
        self._stored, self._changed = dict(self._kept), False


def _to_record(found: RoutineFile, size: int, mtime_ns: int) -> _Record:
    routine = msgspec.Raw(msgspec.msgpack.encode(found.routine) if found.error is None else b"\xc0")
    err = found.error
    error = None if err is None else (err.message, err.line, err.col)
    return _Record(str(found.path), size, mtime_ns, found.builtin, found.seconds, routine, error)


def _from_record(record: _Record, path: Path) -> RoutineFile | None:
    if record.error is not None:
        message, line, col = record.error
        err = RoutineError(str(path), message, line, col)
        return RoutineFile(path.stem, path, record.builtin, error=err)
    try:
        listing = msgspec.msgpack.decode(record.routine, type=_Listing)
    except (msgspec.DecodeError, msgspec.ValidationError):
        return None
    summary = Summary(
        listing.title, tuple(listing.tags), tuple(listing.equipment), len(listing.exercises)
    )
    return RoutineFile(
        path.stem,
        path,
        record.builtin,
        record.seconds,
        summary=summary,
        encoded=bytes(record.routine),
    )


# ---------------------------------------------------------------------------- the catalog


def routine_list(
    data: Path, cache: Path | None = None, *, write_cache: bool = True
) -> tuple[list[RoutineFile], list[RoutineError]]:
    """Built-in routines, then the user's; a user routine with a built-in's id replaces it.
    Returns the routines that loaded and the errors of the files that did not.

    With `cache`, each file that has not changed since the cache was written comes from it,
    routine (or error) and length, which spares parsing YAML and planning; the cache is then
    written afresh if anything changed, unless `write_cache` is false.
    """
    reader = RoutineReader(cache, write=write_cache)
    found = [
        *reader.read_folder(builtin_routines_dir(), True),
        *reader.read_folder(user_routines_dir(data), False),
    ]
    reader.save()
    by_id: dict[str, RoutineFile] = {}
    errors: list[RoutineError] = []
    for item in found:
        if item.error is not None:
            errors.append(item.error)
        elif item.summary is not None:
            by_id[item.id] = item
    return list(by_id.values()), errors


def load_catalog(data: Path, cache: Path | None = None, *, write_cache: bool = True) -> Catalog:
    """The routines of `routine_list`, each decoded whole, with their lengths by id."""
    found, errors = routine_list(data, cache, write_cache=write_cache)
    entries = [(item.entry, item.seconds) for item in found]
    return Catalog(
        tuple(entry for entry, _ in entries if entry is not None),
        tuple(errors),
        {entry.id: seconds for entry, seconds in entries if entry is not None},
    )


def looks_like_path(name: str) -> bool:
    return "/" in name or "\\" in name or name.endswith((".yaml", ".yml"))


def resolve(name: str, data: Path) -> RoutineEntry:
    """A routine by id, or by the path of a YAML file. Raises RoutineError or UnknownRoutine."""
    from coach.routine_yaml import load_routine

    candidate = Path(name).expanduser()
    if looks_like_path(name) or candidate.is_file():
        return RoutineEntry(candidate.stem, candidate, load_routine(candidate), builtin=False)
    for folder, builtin in ((user_routines_dir(data), False), (builtin_routines_dir(), True)):
        for suffix in (".yaml", ".yml"):
            path = folder / f"{name}{suffix}"
            if path.is_file():
                return RoutineEntry(name, path, load_routine(path, trusted=builtin), builtin)
    known = sorted(
        {
            p.stem
            for folder in (builtin_routines_dir(), user_routines_dir(data))
            for p in routine_files(folder)
        }
    )
    hint = difflib.get_close_matches(name, known, n=1)
    message = f"no routine named {name!r}"
    message += f"; did you mean {hint[0]!r}?" if hint else f"; known: {', '.join(known)}"
    raise UnknownRoutine(message)
