"""The catalog cache: used only while every routine file is as it was; the files always win."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import coach.catalog
import coach.routine_yaml
from coach.catalog import cache_path, load_catalog
from coach.routine import Routine

MINE = """\
title: {title}
exercises:
  - name: Clamshell
    reps: 2
    hold: 2
"""


def write_routine(data: Path, name: str, title: str) -> Path:
    folder = data / "routines"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.yaml"
    path.write_text(MINE.format(title=title))
    return path


def titles(data: Path) -> dict[str, str]:
    catalog = load_catalog(data, cache=cache_path(data))
    return {entry.id: entry.routine.title for entry in catalog.entries}


def test_the_cache_gives_the_same_routines_as_the_files(tmp_path: Path) -> None:
    write_routine(tmp_path, "mine", "Mine")
    fresh = load_catalog(tmp_path)
    first = load_catalog(tmp_path, cache=cache_path(tmp_path))
    assert cache_path(tmp_path).is_file()
    again = load_catalog(tmp_path, cache=cache_path(tmp_path))
    assert first == fresh
    assert again == fresh
    assert {e.id for e in again.entries} >= {"mine", "low-back"}


def test_a_cached_start_does_not_load_the_yaml_parser(tmp_path: Path) -> None:
    write_routine(tmp_path, "mine", "Mine")
    load_catalog(tmp_path, cache=cache_path(tmp_path))
    code = (
        "import sys\nfrom pathlib import Path\n"
        "from coach.catalog import cache_path, load_catalog\n"
        f"data = Path({str(tmp_path)!r})\n"
        "catalog = load_catalog(data, cache=cache_path(data))\n"
        "print('yaml' in sys.modules, sorted(e.id for e in catalog.entries if not e.builtin))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split("\n")[0] == "False ['mine']"


def test_a_changed_added_or_removed_file_is_read_again(tmp_path: Path) -> None:
    path = write_routine(tmp_path, "mine", "Mine")
    assert titles(tmp_path)["mine"] == "Mine"
    path.write_text(MINE.format(title="Mine, changed"))
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    assert titles(tmp_path)["mine"] == "Mine, changed"
    write_routine(tmp_path, "other", "Other")
    assert titles(tmp_path)["other"] == "Other"
    path.unlink()
    assert "mine" not in titles(tmp_path)


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the routine files read (parsed) from now on."""
    read: list[str] = []
    real = coach.routine_yaml.load_routine

    def load(path: Path, *args: Any, **kwargs: Any) -> Routine:
        read.append(path.name)
        return real(path, *args, **kwargs)

    monkeypatch.setattr(coach.routine_yaml, "load_routine", load)
    return read


def test_a_broken_file_is_reported_every_time_and_the_others_stay_cached(
    tmp_path: Path, reads: list[str]
) -> None:
    write_routine(tmp_path, "mine", "Mine")
    (tmp_path / "routines" / "broken.yaml").write_text("title: [\n")
    first = load_catalog(tmp_path, cache=cache_path(tmp_path))
    assert sorted(reads) == [
        "broken.yaml",
        "home-basics.yaml",
        "low-back.yaml",
        "mine.yaml",
        "pre-run-strength.yaml",
        "pre-run.yaml",
    ]
    assert cache_path(tmp_path).is_file()
    reads.clear()
    for _ in range(2):
        again = load_catalog(tmp_path, cache=cache_path(tmp_path))
        assert reads == []  # the broken file too: its error comes from the cache
        assert [str(err) for err in again.errors] == [str(err) for err in first.errors]
        assert [err.path.endswith("broken.yaml") for err in again.errors] == [True]
        assert "not valid YAML" in again.errors[0].message and again.errors[0].line == 2
        assert (again.entries, again.seconds) == (first.entries, first.seconds)


def test_the_minutes_are_kept_in_the_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from coach.plan import build_plan

    write_routine(tmp_path, "mine", "Mine")
    first = load_catalog(tmp_path, cache=cache_path(tmp_path))
    for entry in first.entries:
        assert first.seconds[entry.id] == build_plan(entry.routine).total_seconds
    assert first.seconds["mine"] == 10 + 2 * (2 + 2 + 2)  # get ready, then 2 reps

    def no_planning(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("planned again")

    monkeypatch.setattr("coach.plan.build_plan", no_planning)
    again = load_catalog(tmp_path, cache=cache_path(tmp_path))
    assert again.seconds == first.seconds


def test_only_the_changed_file_is_read_again(tmp_path: Path, reads: list[str]) -> None:
    path = write_routine(tmp_path, "mine", "Mine")
    write_routine(tmp_path, "other", "Other")
    broken = tmp_path / "routines" / "broken.yaml"
    broken.write_text("title: [\n")
    load_catalog(tmp_path, cache=cache_path(tmp_path))
    reads.clear()
    path.write_text(MINE.format(title="Mine, changed").replace("reps: 2", "reps: 4"))
    broken.write_text(MINE.format(title="Mended"))
    for changed in (path, broken):
        stat = changed.stat()
        os.utime(changed, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    catalog = load_catalog(tmp_path, cache=cache_path(tmp_path))
    assert sorted(reads) == ["broken.yaml", "mine.yaml"]
    assert catalog.errors == ()
    assert catalog.seconds["mine"] == 10 + 4 * (2 + 2 + 2)
    assert titles(tmp_path)["broken"] == "Mended"


def test_a_reader_that_does_not_write_leaves_no_cache(tmp_path: Path) -> None:
    write_routine(tmp_path, "mine", "Mine")
    catalog = load_catalog(tmp_path, cache=cache_path(tmp_path), write_cache=False)
    assert "mine" in catalog.ids()
    assert not (tmp_path / "cache").exists()


@pytest.mark.parametrize(
    "damage",
    [b"", b"\x00" * 100, b"\x81\xa3key\xc0", b"not msgpack at all", "big"],
    ids=["empty", "zeros", "wrong shape", "text", "too big"],
)
def test_a_damaged_cache_is_passed_over_and_written_again(
    tmp_path: Path, damage: bytes | str
) -> None:
    write_routine(tmp_path, "mine", "Mine")
    load_catalog(tmp_path, cache=cache_path(tmp_path))
    good = cache_path(tmp_path).read_bytes()
    if damage == "big":
        cache_path(tmp_path).write_bytes(good + b"\x00" * coach.catalog.CACHE_MAX_BYTES)
    else:
        assert isinstance(damage, bytes)
        cache_path(tmp_path).write_bytes(damage)
    assert titles(tmp_path)["mine"] == "Mine"
    assert cache_path(tmp_path).read_bytes() == good


def test_a_cache_from_another_coach_is_passed_over(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, reads: list[str]
) -> None:
    write_routine(tmp_path, "mine", "Mine")
    load_catalog(tmp_path, cache=cache_path(tmp_path))
    reads.clear()
    assert titles(tmp_path)["mine"] == "Mine"
    assert reads == []  # same coach: from the cache
    monkeypatch.setattr(coach.catalog, "__version__", "99.0")
    assert titles(tmp_path)["mine"] == "Mine"
    assert "mine.yaml" in reads


def test_a_cache_that_cannot_be_written_changes_nothing(tmp_path: Path) -> None:
    write_routine(tmp_path, "mine", "Mine")
    (tmp_path / "cache").write_text("a file where the cache folder would be")
    assert titles(tmp_path)["mine"] == "Mine"
    assert titles(tmp_path)["mine"] == "Mine"
    assert (tmp_path / "cache").read_text().startswith("a file")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cache", "routines"]
