"""The printing commands: the routine list, a plan, validation, the cues, the voices and
history (the table and the exports). Each prints with Rich or plain text and returns the exit
status; a mistake the person can fix is a UserError (one line, exit 1)."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from coach.literal import shown
from coach.output import STANDARD_OUTPUT

if TYPE_CHECKING:
    from rich.console import Console

    from coach.history.model import Store
    from coach.routine import RoutineEntry
    from coach.voice import VoiceSetting


class UserError(Exception):
    """A mistake the person can fix; printed as one line, exit status 1."""


def rich_console() -> Console:
    from rich.console import Console

    from coach.output import for_layout

    # On an output that cannot take UTF-8, Rich draws ASCII borders; the text in the columns
    # gets look-alikes as wide as its characters (→ → >), so the columns stay straight.
    return Console(file=for_layout(sys.stdout), highlight=False)


def cmd_list(data: Path) -> int:
    from coach.catalog import cache_path, routine_list
    from coach.durations import minutes
    from coach.list_view import Column, table

    # The full-screen coach's cache spares parsing and planning the files that have not
    # changed; a printing command only reads it, and creates nothing.
    found, errors = routine_list(data, cache=cache_path(data), write_cache=False)
    columns = [
        Column("id", style="bold", wrap=False),
        Column("title"),
        Column("minutes", right=True, wrap=False),
        Column("exercises", right=True, wrap=False),
        Column("equipment"),
        Column("tags", style="dim"),
    ]
    rows = [
        [
            item.id if item.builtin else f"{item.id} (yours)",
            item.summary.title,
            minutes(item.seconds),
            str(item.summary.exercises),
            ", ".join(item.summary.equipment) or "none",
            ", ".join(item.summary.tags),
        ]
        for item in found
        if item.summary is not None
    ]
    console = rich_console()
    text = table("Routines", columns, rows, console.width)
    if console.is_terminal:
        console.print(text, crop=False)
    else:  # what Rich would write without a terminal, without its rendering every span
        sys.stdout.write(text.plain + "\n")
    for err in errors:
        print(f"coach: skipped {shown(str(err))}", file=sys.stderr)
    return 0


def cmd_validate(files: Sequence[str]) -> int:
    from coach.routine import RoutineError
    from coach.routine_yaml import load_routine

    failed = 0
    for name in files:
        try:
            load_routine(Path(name), display=name)
        except RoutineError as err:
            failed += 1
            print(shown(str(err)))
        else:
            print(f"{shown(name)}: ok")
    return 1 if failed else 0


def cmd_sounds() -> int:
    import os

    from coach.sound import CUE_MEANING, CUES, PlaysoundBeeper, sound_enabled_from_env

    if not sound_enabled_from_env(os.environ):
        raise UserError("sound is turned off by COACH_SOUND")
    beeper = PlaysoundBeeper()
    for cue in CUES:
        print(f"{cue:<10} {CUE_MEANING[cue]}", flush=True)
        beeper.play(cue)
        beeper.wait()
        problem = beeper.take_problem()
        if problem:
            raise UserError(problem[0].lower() + problem[1:])
    beeper.close()
    return 0


def cmd_voices(setting: VoiceSetting) -> int:
    import os

    from coach.voice import voices_report

    for line in voices_report(setting, os.environ):
        print(line)
    return 0


def cmd_plan(data: Path, entry: RoutineEntry, as_json: bool, every_step: bool) -> int:
    """The routine as you will do it: with your own dose when it is in your list (read
    without creating a history file)."""
    from coach.history.programme_store import read_programme
    from coach.plan import PlanTooLong
    from coach.programme_io import in_list, personal_entry

    doses = []
    if in_list(entry, data):
        programme = read_programme(data)
        if programme.problem:
            print(f"coach: your own doses cannot be read: {programme.problem}", file=sys.stderr)
        doses = programme.doses
    try:
        entry, plan, _ = personal_entry(entry, doses)
    except PlanTooLong as exc:
        raise UserError(f"{entry.id} with your dose: {exc}") from None
    if as_json:
        print(json.dumps(plan.to_json(), indent=2))
        return 0
    from coach.plan_view import render_plan

    rich_console().print(render_plan(entry, plan, every_step=every_step))
    return 0


LATEST = 20


def cmd_history(data: Path, *, every: bool, export: str | None, output: str | None) -> int:
    """The latest sessions as a table, or every session exported. A missing history file
    means no sessions yet, and is not created; a read-only one is read. Rows that cannot be
    read are left out, left as they are, and counted in one line on standard error."""
    from datetime import datetime

    from coach.history.model import HistoryError
    from coach.history.sqlite import FILE_NAME, LOCK_WAIT, HistoryStore, MemoryStore

    path = data / FILE_NAME
    now = datetime.now().astimezone()
    if export and output not in (None, STANDARD_OUTPUT) and is_history_file(output, path):
        raise UserError(f"cannot write {output}: it is the history file itself")
    if not path.exists():
        if export:
            _write_export(_export_text(MemoryStore(), export), export, output)
        else:
            print("No sessions yet.")
        return 0
    try:
        store = HistoryStore.open(path, busy_timeout=2.0)
    except HistoryError as err:
        raise UserError(f"cannot open the history: {err.reason}") from None
    store.busy_timeout = LOCK_WAIT  # reads do not wait on a writer; housekeeping can wait
    try:
        with store:
            if store.journal_note:
                print(f"coach: {store.journal_note}", file=sys.stderr)
            store.mark_interrupted(now)
            if export:
                text = _export_text(store, export)
            else:
                total = store.count()
                sessions = store.recent(limit=total if every else LATEST)
            unreadable = store.unreadable(sets=bool(export))
    except HistoryError as err:
        raise UserError(str(err)) from None
    if unreadable:
        left_out = " and are not in the export" if export else ""
        print(
            f"coach: {unreadable.words()}{left_out} (left as they are in {path})",
            file=sys.stderr,
        )
    if export:
        _write_export(text, export, output)
        return 0
    if not sessions:
        print("No session can be read." if unreadable else "No sessions yet.")
        return 0
    from coach.history_view import sessions_table

    console = rich_console()
    console.print(sessions_table(sessions, now))
    if total > len(sessions):
        console.print(
            f"The latest {len(sessions)} of {total} sessions; "
            "[bold]coach history --all[/] lists them all."
        )
    return 0


def is_history_file(output: str, path: Path) -> bool:
    """Whether `output` names the history file (or one of SQLite's files beside it), which an
    export must not replace with its own text."""
    import os

    for own in (path, *(path.with_name(path.name + end) for end in ("-wal", "-shm", "-journal"))):
        try:
            if os.path.samefile(output, own):
                return True
        except OSError:
            continue
    return False


def _export_text(store: Store, kind: str) -> str:
    from coach.history.export import EXPORTS

    return EXPORTS[kind](store)


def _write_export(text: str, kind: str, output: str | None) -> None:
    """To standard output (no `-o`, or `-o -`), or to the file `output` by `write_file`: in one
    step, through a link, keeping the file's mode, never onto a folder, pipe or device. A CSV
    file starts with a byte-order mark, so spreadsheets read accented letters right."""
    from coach.output import OutputError, can_encode, write_file, write_standard_output

    if output is None or output == STANDARD_OUTPUT:
        if sys.stdout is None:
            raise UserError("standard output is closed; -o FILE writes the export to a file")
        if not can_encode(sys.stdout, text):
            if kind == "json":
                from coach.history.export import ascii_json

                text = ascii_json(text)  # the same data, in escapes any output can take
            else:
                print(
                    "coach: standard output cannot take every character, so some are written "
                    "as look-alikes; -o FILE writes them all",
                    file=sys.stderr,
                )
        try:
            write_standard_output(text)
        except OutputError as err:
            raise UserError(str(err)) from None
        return
    try:
        write_file(output, text.encode("utf-8-sig" if kind == "csv" else "utf-8"))
    except OutputError as err:
        raise UserError(str(err)) from None
