"""Headless Chromium for the report's browser test and the README's screenshot: finding it, and
running it once with a time limit.

COACH_CHROMIUM names the browser to use (a command or a path); without it the first of
`NAMES` on PATH is used. Run as root, Chromium needs `--no-sandbox`. Each run gets the profile
folder it is given, so a run never touches a person's own browser profile.

Tests and scripts use this; no production module imports this one.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
from collections.abc import Sequence
from pathlib import Path

ENV = "COACH_CHROMIUM"
NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
TIME_LIMIT = 90.0
"""Seconds one run of the browser may take."""
SKIP_REASON = (
    "no Chromium found (chromium, chromium-browser, google-chrome): the browser test needs one"
)


class BrowserError(Exception):
    """The browser could not be found as named, failed, or took too long."""


def find_chromium() -> str | None:
    """The browser's path: COACH_CHROMIUM when set (BrowserError when it names no program),
    else the first of NAMES on PATH; None when there is none."""
    named = os.environ.get(ENV, "").strip()
    if named:
        found = shutil.which(named)
        if found is None:
            raise BrowserError(f"{ENV}={named!r} names no program that can be run")
        return found
    return next((path for name in NAMES if (path := shutil.which(name))), None)


def command(browser: str, profile: Path, *args: str) -> list[str]:
    """The command line of one headless run with its own profile folder."""
    sandbox = ["--no-sandbox"] if hasattr(os, "geteuid") and os.geteuid() == 0 else []
    return [
        browser,
        "--headless",
        "--disable-gpu",
        *sandbox,
        f"--user-data-dir={profile}",
        "--no-first-run",
        "--no-default-browser-check",
        "--disable-extensions",
        *args,
    ]


def run_chromium(
    browser: str, profile: Path, args: Sequence[str], timeout: float = TIME_LIMIT
) -> str:
    """Run the browser once and return what it wrote on standard output. BrowserError, with
    the end of what it wrote on standard error, when it fails or outlasts `timeout` seconds
    (then it and every process it started are ended)."""
    profile.mkdir(parents=True, exist_ok=True)
    out_path, err_path = profile / "stdout.txt", profile / "stderr.txt"
    # Output goes to files, not pipes: a helper process left behind cannot hold a read open.
    with out_path.open("wb") as out, err_path.open("wb") as err:
        run = subprocess.Popen(
            command(browser, profile, *args),
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=err,
            start_new_session=True,
        )
        try:
            code = run.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            _end(run)
            raise BrowserError(
                f"{browser} took over {timeout:g} s; it said:\n{_tail(err_path)}"
            ) from None
    if code != 0:
        raise BrowserError(f"{browser} failed (exit status {code}); it said:\n{_tail(err_path)}")
    return out_path.read_text(encoding="utf-8", errors="replace")


def _end(run: subprocess.Popen[bytes]) -> None:
    """End the browser and the processes of its session."""
    try:
        os.killpg(run.pid, signal.SIGKILL)
    except (AttributeError, ProcessLookupError, PermissionError):
        run.kill()
    run.wait(timeout=10)


def _tail(path: Path, lines: int = 15) -> str:
    text = path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""
    return "\n".join(text.strip().splitlines()[-lines:]) or "(nothing)"


def dump_dom(browser: str, page: Path, profile: Path) -> str:
    """The page's DOM, as the browser serialises it once the page has loaded."""
    return run_chromium(browser, profile, ["--dump-dom", page.resolve().as_uri()])


def print_pdf(browser: str, page: Path, pdf: Path, profile: Path) -> bytes:
    """The page printed to `pdf` (no header or footer), and the PDF's bytes."""
    pdf.unlink(missing_ok=True)
    run_chromium(
        browser,
        profile,
        [f"--print-to-pdf={pdf}", "--no-pdf-header-footer", page.resolve().as_uri()],
    )
    if not pdf.is_file():
        raise BrowserError(f"{browser} ended without writing {pdf}")
    return pdf.read_bytes()


def screenshot(browser: str, page: Path, png: Path, profile: Path, width: int, height: int) -> None:
    """A picture of the page's first `width` × `height` pixels, at one pixel per CSS pixel."""
    png.unlink(missing_ok=True)
    run_chromium(
        browser,
        profile,
        [
            f"--screenshot={png}",
            f"--window-size={width},{height}",
            "--hide-scrollbars",
            "--force-device-scale-factor=1",
            page.resolve().as_uri(),
        ],
    )
    if not png.is_file():
        raise BrowserError(f"{browser} ended without writing {png}")
