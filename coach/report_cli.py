"""`coach report`: the physiotherapist's page (or its text) made from the history file.

The history is read as `coach history` reads it: a missing file is no session (and is not
made), a read-only one is read, rows that cannot be read are left out and counted on the page.
The page goes where the export goes, by the same rules (coach.output.write_file): through a
link, keeping the file's mode, never onto a folder, pipe or device, never onto the history file.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from coach.commands import UserError, is_history_file
from coach.literal import one_line, shown
from coach.output import STANDARD_OUTPUT

if TYPE_CHECKING:
    from datetime import date, datetime

    from coach.report_data import Report

DEFAULT_WEEKS = 4
MAX_WEEKS = 520
DEFAULT_FILE = "report.html"


def add_report_parser(sub: Any, common: argparse.ArgumentParser) -> None:
    """The `report` command's arguments, under the `coach` parser's sub-commands `sub`."""
    report = sub.add_parser(
        "report",
        parents=[common],
        help="one page for your physiotherapist: sessions against the plan, pain, effort, "
        "minutes, each exercise's dose and its changes, notes",
    )
    report.add_argument(
        "routines", metavar="ROUTINE", nargs="*", help="only these routines (default: all)"
    )
    report.add_argument(
        "--weeks",
        metavar="N",
        type=_count_of_weeks,
        default=DEFAULT_WEEKS,
        help="the last N weeks, Monday to Sunday, this week included (default: 4)",
    )
    report.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help="where to write it, - for standard output (default: report.html for the page, "
        "standard output for --format text)",
    )
    report.add_argument(
        "--format",
        choices=("html", "text"),
        default="html",
        help="html: one self-contained page to print or mail; text: the same figures as plain "
        "text (default: html)",
    )
    report.add_argument("--open", action="store_true", help="open the page in the browser")


def _count_of_weeks(text: str) -> int:
    """--weeks as argparse reads it: a whole number from 1 to 520."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if not 1 <= value <= MAX_WEEKS:
        raise argparse.ArgumentTypeError(
            f"--weeks is a whole number from 1 to {MAX_WEEKS}, not {text!r}"
        )
    return value


def gather(
    data: Path, routines: Sequence[str], weeks: int, now: datetime
) -> tuple[Report, list[str]]:
    """The report of the `weeks` weeks up to `now` (of `routines` when any are named), and
    the lines to tell on standard error (a journal added, rows left out)."""
    from coach.catalog import routine_list
    from coach.history.model import DoseChange, HistoryError, Schedule, SessionDetail
    from coach.history.sqlite import FILE_NAME, LOCK_WAIT, HistoryStore
    from coach.report_data import build_report, period_of

    found, _ = routine_list(data, write_cache=False)
    titles = {item.id: item.summary.title for item in found if item.summary is not None}
    wanted = list(dict.fromkeys(_routine_id(name, data) for name in routines)) or None
    path = data / FILE_NAME
    details: list[SessionDetail] = []
    changes: list[DoseChange] = []
    schedules: list[Schedule] = []
    ever, left_out, told = 0, "", []
    started: date | None = None
    period = period_of(now.date(), weeks)
    if path.exists():
        try:
            store = HistoryStore.open(path, busy_timeout=2.0)
        except HistoryError as err:
            raise UserError(f"cannot open the history: {err.reason}") from None
        store.busy_timeout = LOCK_WAIT  # reads do not wait on a writer
        try:
            with store:
                if store.journal_note:
                    told.append(f"coach: {store.journal_note}")
                store.mark_interrupted(now)
                started = store.first_day(wanted)
                period = period_of(now.date(), weeks, started)
                # To the week's end: after a change of time zone a session's day (kept as the
                # person's own) can be later than today here.
                details = store.between(period.first, period.last, wanted)
                changes = store.dose_changes()
                schedules = store.schedules()
                ever = 0 if details or started is None else store.count()  # an empty page's
                unreadable = store.unreadable(sets=True)
        except HistoryError as err:
            raise UserError(str(err)) from None
        if unreadable:
            words = unreadable.words()
            one = unreadable.sessions + unreadable.sets == 1
            left_out = (
                f"{words[0].upper()}{words[1:]}: this report leaves {'it' if one else 'them'} "
                "out, and the history file as it is."
            )
    if wanted is not None:
        known = {*titles, *(d.session.routine_id for d in details)}
        known |= {s.routine_id for s in schedules} | {c.routine_id for c in changes}
        for routine_id in wanted:
            if routine_id not in known:
                raise UserError(
                    f"no routine named {routine_id!r} in the list or in the history; "
                    "coach list and coach history show them"
                )
    report = build_report(
        period,
        details,
        made=now,
        titles=titles,
        schedules=schedules,
        changes=changes,
        routine_ids=wanted,
        ever=ever,
        started=started,
        left_out=left_out,
    )
    return report, told


def _routine_id(name: str, data: Path) -> str:
    """A routine id as typed; a path to a routine file gives the id its sessions are kept by."""
    from coach.catalog import looks_like_path

    if not looks_like_path(name):
        return name
    if not Path(name).expanduser().is_file():
        raise UserError(f"no routine file {name}")
    return Path(name).stem


def cmd_report(
    data: Path,
    routines: Sequence[str],
    *,
    weeks: int,
    output: str | None,
    open_page: bool,
    form: str,
    now: datetime | None = None,
) -> int:
    """Write the report: HTML to `output` (report.html by default), or text (to standard
    output by default); `open_page` opens the page in the browser."""
    if not 1 <= weeks <= MAX_WEEKS:
        raise UserError(f"--weeks is a whole number from 1 to {MAX_WEEKS}, not {weeks}")
    if open_page and form == "text":
        raise UserError("--open opens the HTML page; it does not go with --format text")
    if output == "":
        raise UserError("-o needs a file name (- is standard output)")
    target = output if output is not None else (DEFAULT_FILE if form == "html" else STANDARD_OUTPUT)
    if open_page and target == STANDARD_OUTPUT:
        raise UserError("--open needs the page in a file; it does not go with -o -")
    from coach.history.sqlite import FILE_NAME

    if target != STANDARD_OUTPUT:
        if is_history_file(target, data / FILE_NAME):
            raise UserError(f"cannot write {target}: it is the history file itself")
        from coach.output import OutputError, check_target

        try:
            check_target(target)  # told before the report is made, not after
        except OutputError as err:
            raise UserError(str(err)) from None
    if now is None:
        from datetime import datetime

        now = datetime.now().astimezone()
    report, told = gather(data, routines, weeks, now)
    for line in told:
        print(line, file=sys.stderr)
    if form == "text":
        from coach.report import render_text

        text = render_text(report)
    else:
        from coach.report import render_html

        text = render_html(report)
    if target == STANDARD_OUTPUT:
        _to_standard_output(text, form)
        return 0
    from coach.output import OutputError, write_file

    data_bytes = text.encode("utf-8")
    try:
        write_file(target, data_bytes)
    except OutputError as err:
        raise UserError(str(err)) from None
    count = report.totals.sessions
    print(
        f"Wrote {one_line(target)}: {count} session{'' if count == 1 else 's'}, "
        f"{report.period.weeks} week{'' if report.period.weeks == 1 else 's'}, "
        f"{len(data_bytes) / 1024:.0f} KB"
    )
    if open_page:
        import webbrowser

        try:
            opened = webbrowser.open(Path(target).resolve().as_uri())
        except webbrowser.Error:
            opened = False
        if not opened:
            raise UserError(f"no browser could be opened; the report is in {shown(target)}")
    return 0


def _to_standard_output(text: str, form: str) -> None:
    """The page or text on standard output. A page the output cannot take in full gets
    character references (the same page, in ASCII); text gets look-alikes (→ as ->), as every
    printing command's does."""
    from coach.output import OutputError, can_encode, write_standard_output

    if form == "html" and sys.stdout is not None and not can_encode(sys.stdout, text):
        text = text.encode("ascii", "xmlcharrefreplace").decode("ascii")
    try:
        write_standard_output(text)
    except OutputError as err:
        raise UserError(str(err)) from None
