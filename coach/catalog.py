"""Finding routines: the built-in ones and the user's own, by id or by path."""

from __future__ import annotations

import contextlib
import difflib
import os
from dataclasses import dataclass
from pathlib import Path

import msgspec

from coach import __version__
from coach.paths import builtin_routines_dir, user_routines_dir
from coach.routine import Routine, RoutineEntry, RoutineError

CACHE_MAX_BYTES = 8 * 1024 * 1024


class UnknownRoutine(LookupError):
    """No routine has that id and no file has that path."""


@dataclass(frozen=True)
class Catalog:
    """Every routine that loaded, and one error line for each file that did not."""

    entries: tuple[RoutineEntry, ...]
    errors: tuple[RoutineError, ...]

    def ids(self) -> list[str]:
        return [entry.id for entry in self.entries]


def _routine_files(folder: Path) -> list[Path]:
    try:
        return sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())
    except OSError:
        return []


def cache_path(data: Path) -> Path:
    """Where the app keeps the routines it last read, ready to use without parsing."""
    return data / "cache" / "routines.msgpack"


def load_catalog(data: Path, cache: Path | None = None) -> Catalog:
    """Built-in routines, then the user's; a user routine with a built-in's id replaces it.

    With `cache`, the routines come from that file when no routine file has changed since it was
    written (same files, sizes and modification times, same coach), which spares parsing YAML;
    otherwise the files are read and, if all of them loaded, the cache is written afresh. A cache
    that cannot be read or written is passed over: the files are the truth.
    """
    files = [
        (path, builtin)
        for folder, builtin in ((builtin_routines_dir(), True), (user_routines_dir(data), False))
        for path in _routine_files(folder)
    ]
    key = _cache_key(files) if cache is not None else None
    if cache is not None and key is not None:
        cached = _read_cache(cache, key)
        if cached is not None:
            return cached
    from coach.routine_yaml import load_routine  # YAML is loaded only when a file is read

    by_id: dict[str, RoutineEntry] = {}
    errors: list[RoutineError] = []
    for path, builtin in files:
        try:
            routine = load_routine(path, trusted=builtin)
        except RoutineError as err:
            errors.append(err)
            continue
        by_id[path.stem] = RoutineEntry(path.stem, path, routine, builtin)
    catalog = Catalog(tuple(by_id.values()), tuple(errors))
    if cache is not None and key is not None and not errors:
        _write_cache(cache, key, catalog)
    return catalog


class _CachedEntry(msgspec.Struct, array_like=True):
    id: str
    path: str
    builtin: bool
    routine: Routine


class _Cache(msgspec.Struct):
    key: list[tuple[str, int, int]]
    entries: list[_CachedEntry]


def _cache_key(files: list[tuple[Path, bool]]) -> list[tuple[str, int, int]] | None:
    """What the cache must match: each routine file, and the code that checked them."""
    checks = Path(__file__).with_name("routine.py")
    key = [("coach " + __version__, 0, 0)]
    try:
        for path in (checks, checks.with_name("routine_yaml.py"), *(p for p, _ in files)):
            st = os.stat(path)
            key.append((str(path), st.st_size, st.st_mtime_ns))
    except OSError:
        return None
    return key


def _read_cache(cache: Path, key: list[tuple[str, int, int]]) -> Catalog | None:
    try:
        with open(cache, "rb") as f:
            raw = f.read(CACHE_MAX_BYTES + 1)
        if len(raw) > CACHE_MAX_BYTES:
            return None
        stored = msgspec.msgpack.decode(raw, type=_Cache)
    except (OSError, msgspec.DecodeError):
        return None
    if stored.key != key:
        return None
    entries = tuple(RoutineEntry(e.id, Path(e.path), e.routine, e.builtin) for e in stored.entries)
    return Catalog(entries, ())


def _write_cache(cache: Path, key: list[tuple[str, int, int]], catalog: Catalog) -> None:
    stored = _Cache(
        key,
        [_CachedEntry(e.id, str(e.path), e.builtin, e.routine) for e in catalog.entries],
    )
    part = cache.with_name(f".{cache.name}.{os.getpid()}")
    with contextlib.suppress(OSError):
        cache.parent.mkdir(parents=True, exist_ok=True)
        try:
            part.write_bytes(msgspec.msgpack.encode(stored))
            os.replace(part, cache)
        finally:
            part.unlink(missing_ok=True)


def _looks_like_path(name: str) -> bool:
    return "/" in name or "\\" in name or name.endswith((".yaml", ".yml"))


def resolve(name: str, data: Path) -> RoutineEntry:
    """A routine by id, or by the path of a YAML file. Raises RoutineError or UnknownRoutine."""
    from coach.routine_yaml import load_routine

    candidate = Path(name).expanduser()
    if _looks_like_path(name) or candidate.is_file():
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
            for p in _routine_files(folder)
        }
    )
    hint = difflib.get_close_matches(name, known, n=1)
    message = f"no routine named {name!r}"
    message += f"; did you mean {hint[0]!r}?" if hint else f"; known: {', '.join(known)}"
    raise UnknownRoutine(message)
