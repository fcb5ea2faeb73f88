"""Where things live: the user's data directory and the files shipped with coach.

Nothing here creates a directory; callers that write make the directory they need.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


def data_dir(
    override: str | os.PathLike[str] | None = None, environ: Mapping[str, str] | None = None
) -> Path:
    """--data-dir, else $COACH_DATA_DIR, else the platform's user data directory."""
    env = os.environ if environ is None else environ
    chosen = override or env.get("COACH_DATA_DIR")
    if chosen:
        return Path(chosen).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("coach", appauthor=False))


def user_routines_dir(data: Path) -> Path:
    return data / "routines"


def _bundled(*parts: str) -> Path:
    """A folder shipped in the wheel under coach/, or beside the package in a source checkout."""
    installed = PACKAGE_DIR.joinpath(*parts)
    if installed.is_dir():
        return installed
    return PACKAGE_DIR.parent.joinpath(*parts)


def builtin_routines_dir() -> Path:
    return _bundled("routines")


def sounds_dir() -> Path:
    return _bundled("assets", "sounds")
