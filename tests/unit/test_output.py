"""coach.output: a file written safely (through links, keeping modes, never onto a folder, pipe
or device, all or nothing) and streams that write look-alikes for what they cannot encode."""

from __future__ import annotations

import contextlib
import errno
import io
import os
import socket
import stat
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from coach import output
from coach.output import (
    OutputError,
    for_layout,
    lookalike,
    one_cell_lookalike,
    readable_streams,
    write_file,
)

# ------------------------------------------------------------------ write_file


def test_a_new_file_gets_the_usual_mode_and_no_temporary_is_left(tmp_path: Path) -> None:
    old_umask = os.umask(0o027)
    try:
        write_file(tmp_path / "new.csv", b"a,b\n")
    finally:
        os.umask(old_umask)
    target = tmp_path / "new.csv"
    assert target.read_bytes() == b"a,b\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert os.listdir(tmp_path) == ["new.csv"]


def test_an_existing_file_keeps_its_mode(tmp_path: Path) -> None:
    target = tmp_path / "shared.csv"
    target.write_text("old")
    target.chmod(0o644)
    write_file(target, b"new")
    assert target.read_bytes() == b"new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    target.chmod(0o600)
    write_file(str(target), b"newer")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs to chown")
def test_the_superuser_keeps_the_owner_of_a_file(tmp_path: Path) -> None:
    target = tmp_path / "theirs.csv"
    target.write_text("old")
    os.chown(target, 65534, 65534)
    write_file(target, b"new")
    assert (target.stat().st_uid, target.stat().st_gid) == (65534, 65534)


def test_a_link_is_written_through_and_stays_a_link(tmp_path: Path) -> None:
    real = tmp_path / "real" / "history.csv"
    real.parent.mkdir()
    real.write_text("old")
    real.chmod(0o640)
    link = tmp_path / "link.csv"
    link.symlink_to(real)
    chain = tmp_path / "chain.csv"
    chain.symlink_to(link.name)  # relative, through another link
    write_file(chain, b"new")
    assert chain.is_symlink() and link.is_symlink()
    assert os.readlink(link) == str(real)
    assert real.read_bytes() == b"new"
    assert stat.S_IMODE(real.stat().st_mode) == 0o640
    assert sorted(os.listdir(real.parent)) == ["history.csv"]


def test_a_dangling_link_gets_its_file(tmp_path: Path) -> None:
    link = tmp_path / "link.csv"
    link.symlink_to("made.csv")
    write_file(link, b"x")
    assert link.is_symlink() and (tmp_path / "made.csv").read_bytes() == b"x"


@contextlib.contextmanager
def device(tmp_path: Path) -> Iterator[Path]:
    """A character device in tmp_path (the superuser may make one), else a link to the null
    device (which only the superuser could replace, so a regression cannot harm it)."""
    node = tmp_path / "device"
    try:
        os.mknod(node, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    except (PermissionError, AttributeError):
        node.symlink_to(os.devnull)
    yield node


def special_targets(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    folder = tmp_path / "folder"
    folder.mkdir()
    yield folder, "it is a folder; name a file in it"
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    yield fifo, "it is a named pipe, not a file (-o - writes to standard output)"
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(tmp_path / "sock"))
        yield tmp_path / "sock", "it is a socket, not a file"
    with device(tmp_path) as node:
        yield node, "it is a device, not a file (-o - writes to standard output)"
    link = tmp_path / "link-to-folder"
    link.symlink_to(folder)
    yield link, "it is a folder; name a file in it"


@pytest.mark.skipif(sys.platform == "win32", reason="no FIFOs or Unix sockets")
def test_folders_pipes_sockets_and_devices_are_refused_untouched(tmp_path: Path) -> None:
    for target, reason in special_targets(tmp_path):
        before = os.lstat(target)
        with pytest.raises(OutputError) as caught:
            write_file(target, b"data")
        assert str(caught.value) == f"cannot write {target}: {reason}"
        after = os.lstat(target)
        assert (after.st_mode, after.st_ino) == (before.st_mode, before.st_ino)
    assert not [name for name in os.listdir(tmp_path) if name.endswith(".tmp")]


@pytest.mark.parametrize("failing", ["write", "fsync", "replace"])
def test_a_write_that_fails_leaves_the_old_file_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failing: str
) -> None:
    target = tmp_path / "good.csv"
    target.write_bytes(b"the good export")
    target.chmod(0o644)

    def full(*args: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    if failing == "write":
        real_fdopen = os.fdopen

        def half(fd: int, mode: str) -> io.BufferedWriter:
            out = real_fdopen(fd, mode)

            def write(data: bytes) -> int:
                out.raw.write(data[: len(data) // 2])  # type: ignore[attr-defined]
                raise OSError(errno.ENOSPC, "No space left on device")

            out.write = write  # type: ignore[method-assign]
            return out  # type: ignore[return-value]

        monkeypatch.setattr(output.os, "fdopen", half)
    else:
        monkeypatch.setattr(output.os, failing, full)
    with pytest.raises(OutputError) as caught:
        write_file(target, b"a new export, twice as long as the good one")
    assert str(caught.value) == f"cannot write {target}: No space left on device"
    assert target.read_bytes() == b"the good export"
    assert os.listdir(tmp_path) == ["good.csv"]


def test_an_interrupted_write_leaves_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "good.csv"
    target.write_bytes(b"good")

    def interrupted(fd: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(output.os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_file(target, b"new")
    assert target.read_bytes() == b"good" and os.listdir(tmp_path) == ["good.csv"]


def test_a_missing_folder_and_a_long_name_are_plain_answers(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match=r"No such file or directory$"):
        write_file(tmp_path / "missing" / "x.csv", b"x")
    long = tmp_path / ("n" * 250 + ".csv")  # the longest name most file systems take
    write_file(long, b"x")
    assert long.read_bytes() == b"x"


def test_a_name_ending_in_a_slash_names_a_folder_and_writes_nothing(tmp_path: Path) -> None:
    for name in ("sub/", "report.html/"):
        with pytest.raises(OutputError, match=r": it names a folder; name a file in it$"):
            write_file(f"{tmp_path}/{name}", b"x")
    assert list(tmp_path.iterdir()) == []


# ------------------------------------------------------------------ look-alikes


def test_look_alikes_read_like_the_original() -> None:
    pairs = {
        "×": "x",
        "–": "-",
        "—": "-",
        "→": "->",
        "·": ".",
        "’": "'",
        "“": '"',
        "”": '"',
        "…": "...",
        "é": "e",
        "Ü": "U",
        "ß": "ss",
        "─": "-",
        "│": "|",
        "┼": "+",
        "█": "#",
        "中": "?",
        "\udcff": "\\xff",
    }
    assert {char: lookalike(char) for char in pairs} == pairs
    # For text laid out in columns: exactly as wide as the character it stands for.
    assert [one_cell_lookalike(c) for c in "→…×é中\u0301"] == [">", ".", "x", "e", "??", ""]


def ascii_stream() -> io.TextIOWrapper:
    return io.TextIOWrapper(io.BytesIO(), encoding="ascii", errors="strict")


def written(stream: io.TextIOWrapper) -> bytes:
    stream.flush()
    return stream.buffer.getvalue()  # type: ignore[attr-defined]


def test_readable_streams_write_look_alikes_and_are_put_back(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    out, err = ascii_stream(), ascii_stream()
    monkeypatch.setattr(sys, "stdout", out)
    monkeypatch.setattr(sys, "stderr", err)
    with readable_streams():
        print("2 sets × 10 reps · rest 30 s → “next”…")
        print("coach: Légère – gêne", file=sys.stderr)
        with readable_streams(cells=True):
            print("6 → 4")
        print("6 → 4")
    assert written(out) == b'2 sets x 10 reps . rest 30 s -> "next"...\n6 > 4\n6 -> 4\n'
    assert written(err) == b"coach: Legere - gene\n"
    assert (out.errors, err.errors) == ("strict", "strict")
    with pytest.raises(UnicodeEncodeError):
        print("×")


def test_a_utf8_stream_is_left_exactly_as_it_was() -> None:
    stream = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
    assert for_layout(stream) is stream
    text = "2 × 10 → “Légère” 中 😀"
    with contextlib.redirect_stdout(stream), readable_streams():
        print(text)
    assert written(stream) == (text + "\n").encode()


def test_columns_stay_straight_on_an_ascii_output() -> None:
    from rich.console import Console
    from rich.table import Table

    stream = ascii_stream()
    table = Table("pain", "note")
    table.add_row("6 → 4", "Légère… gêne")
    table.add_row("–", "ok")
    Console(file=for_layout(stream), width=40).print(table)
    lines = written(stream).decode("ascii").splitlines()
    assert "| 6 > 4 | Legere. gene |" in lines
    assert len({len(line) for line in lines}) == 1  # every border in the same column


def test_a_read_only_file_is_refused_as_a_shell_would(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "kept.csv"
    target.write_text("keep me")
    target.chmod(0o444)
    if os.geteuid() == 0:  # the superuser may write anything: answer as for its owner
        real_access = os.access
        monkeypatch.setattr(
            output.os,
            "access",
            lambda path, mode, **kw: False if Path(path) == target else real_access(path, mode),
        )
    with pytest.raises(OutputError) as caught:
        write_file(target, b"new")
    assert str(caught.value) == f"cannot write {target}: the file is read-only"
    assert target.read_text() == "keep me"
