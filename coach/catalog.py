"""Finding routines: the built-in ones and the user's own, by id or by path."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path

from coach.paths import builtin_routines_dir, user_routines_dir
from coach.routine import RoutineEntry, RoutineError, load_routine


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


def load_catalog(data: Path) -> Catalog:
    """Built-in routines, then the user's; a user routine with a built-in's id replaces it."""
    by_id: dict[str, RoutineEntry] = {}
    errors: list[RoutineError] = []
    for folder, builtin in ((builtin_routines_dir(), True), (user_routines_dir(data), False)):
        for path in _routine_files(folder):
            try:
                routine = load_routine(path, trusted=builtin)
            except RoutineError as err:
                errors.append(err)
                continue
            by_id[path.stem] = RoutineEntry(path.stem, path, routine, builtin)
    return Catalog(tuple(by_id.values()), tuple(errors))


def _looks_like_path(name: str) -> bool:
    return "/" in name or "\\" in name or name.endswith((".yaml", ".yml"))


def resolve(name: str, data: Path) -> RoutineEntry:
    """A routine by id, or by the path of a YAML file. Raises RoutineError or UnknownRoutine."""
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
