"""Make docs/report.png, the README's picture of `coach report`.

    python docs/report_screenshot.py [--out docs/report.png] [--width 820] [--height 840]

Four weeks up to today of a made-up person doing low-back on Monday, Wednesday and Friday and
pre-run on Tuesday and Saturday are written to a history in a temporary data folder; `coach
report` makes its page, and headless Chromium takes a picture of its top, down to the
week-by-week table whatever the day (COACH_CHROMIUM names the browser, else chromium,
chromium-browser, google-chrome, … on PATH). Nothing is written outside the temporary folder
but the picture.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import sys
import tempfile
from datetime import datetime
from pathlib import Path

from coach.catalog import resolve
from coach.cli import main as coach
from coach.history.sqlite import FILE_NAME, HistoryStore
from coach.testing_browser import BrowserError, find_chromium, screenshot
from coach.testing_history import programme_history

HERE = Path(__file__).resolve().parent


def make(out: Path, width: int, height: int) -> int:
    browser = find_chromium()
    if browser is None:
        print("no Chromium found (chromium, chromium-browser, google-chrome)", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder) / "data"
        data.mkdir()
        with HistoryStore.open(data / FILE_NAME) as store:
            now = datetime.now().astimezone()
            low_back, pre_run = resolve("low-back", data), resolve("pre-run", data)
            programme_history(store, low_back, pre_run, now.date(), weeks=4, now=now)
        page = Path(folder) / "report.html"
        with contextlib.redirect_stdout(io.StringIO()):  # its "Wrote …" names a passing folder
            code = coach(["--data-dir", str(data), "report", "-o", str(page)])
        if code:
            return code
        screenshot(browser, page, out, Path(folder) / "profile", width, height)
    print(f"Wrote {out}: {width} × {height}, {out.stat().st_size / 1024:.0f} KB")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description="Make the README's picture of coach report.")
    parser.add_argument("--out", type=Path, default=HERE / "report.png")
    parser.add_argument("--width", type=int, default=820)
    parser.add_argument("--height", type=int, default=840)
    args = parser.parse_args()
    try:
        return make(args.out, args.width, args.height)
    except BrowserError as err:
        print(err, file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
