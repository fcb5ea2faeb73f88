"""The `coach` command: argparse sub-commands that open the app or print with Rich."""

from __future__ import annotations

import argparse
import gc
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from coach import __version__
from coach.literal import shown
from coach.output import STANDARD_OUTPUT, readable_streams

if TYPE_CHECKING:
    from rich.console import Console

    from coach.history.model import Store
    from coach.routine import RoutineEntry
    from coach.voice import VoiceSetting


class UserError(Exception):
    """A mistake the person can fix; printed as one line, exit status 1."""


class Parser(argparse.ArgumentParser):
    """argparse, with what the person typed shown escaped in its error line."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: error: {shown(message)}\n")


def _common() -> Parser:
    common = Parser(add_help=False)
    common.add_argument(
        "--data-dir",
        metavar="DIR",
        default=argparse.SUPPRESS,
        help="where history and your own routines live (default: $COACH_DATA_DIR, "
        "else the platform's user data folder)",
    )
    common.add_argument(
        "--mute",
        action="store_true",
        default=argparse.SUPPRESS,
        help="no sound: no cues and no voice (m turns it on)",
    )
    common.add_argument(
        "--voice",
        metavar="VOICE",
        type=_voice_value,
        default=argparse.SUPPRESS,
        help="spoken coaching: off, auto, or ENGINE[:VOICE] with ENGINE one of espeak-ng, say, "
        "sapi, cmd (default: $COACH_VOICE, else auto)",
    )
    common.add_argument(
        "--no-voice",
        dest="voice",
        action="store_const",
        const="off",
        default=argparse.SUPPRESS,
        help="no spoken coaching (--voice off)",
    )
    return common


def _voice_value(value: str) -> str:
    """--voice checked as argparse reads it, so a wrong value is a usage error."""
    from coach.voice import parse_voice

    try:
        parse_voice(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return value


def build_parser() -> Parser:
    common = _common()
    parser = Parser(
        prog="coach",
        parents=[common],
        description="A full-screen terminal coach for exercise routines. "
        "With no command, opens the routine list.",
    )
    parser.add_argument("--version", action="version", version=f"coach {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    run = sub.add_parser("run", parents=[common], help="start a routine in the full-screen coach")
    run.add_argument("routine", metavar="ROUTINE", help="a routine id or a path to a YAML file")
    run.add_argument(
        "--plain",
        action="store_true",
        help="narrate the session as plain lines, and read commands as lines (Enter, s, n, p, "
        "m, q): for screen readers, braille displays, pipes and logs",
    )

    sub.add_parser("list", parents=[common], help="list the built-in routines and your own")

    plan = sub.add_parser(
        "plan", parents=[common], help="show what a routine will do, step by step"
    )
    plan.add_argument("routine", metavar="ROUTINE", help="a routine id or a path to a YAML file")
    plan.add_argument("--json", action="store_true", help="print the plan as JSON")
    plan.add_argument("--steps", action="store_true", help="list every single step")

    validate = sub.add_parser("validate", parents=[common], help="check routine files")
    validate.add_argument("files", metavar="FILE", nargs="+", help="routine YAML files")

    history = sub.add_parser(
        "history", parents=[common], help="list past sessions, or export them as JSON or CSV"
    )
    history.add_argument(
        "--all", action="store_true", help="list every session, not only the latest 20"
    )
    history.add_argument(
        "--export", choices=("json", "csv"), help="print every session with its sets"
    )
    history.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help="with --export: write to FILE instead (- is standard output)",
    )
    history.add_argument(
        "--tui", action="store_true", help="open the history screen of the full-screen coach"
    )

    sub.add_parser("schema", parents=[common], help="print the JSON Schema of routine files")
    sub.add_parser("sounds", parents=[common], help="play each sound cue once, with its name")
    sub.add_parser(
        "voices",
        parents=[common],
        help="list the speech engines found, the one in use and its voices",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    # Start-up makes a great many objects, most of them living as long as the process, and
    # collecting among them only delays the first frame (by 40-100 ms here, one full collection
    # alone 20-30 ms). The collector stays off until the app has drawn Home and gone idle, or a
    # session opens; the app then collects once, freezes what is left and turns it back on.
    # The printing commands never need it.
    gc.disable()
    try:
        # An output that cannot take a character (PYTHONIOENCODING=ascii) gets a look-alike
        # (× → x) instead of a UnicodeEncodeError, in every command, its help and its errors.
        with readable_streams():
            return _main(argv)
    finally:
        gc.enable()  # for a caller that goes on (tests call main directly)


def _main(argv: Sequence[str] | None) -> int:
    try:
        return _dispatch(build_parser().parse_args(argv))
    except UserError as err:
        print(f"coach: {shown(str(err))}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


def _dispatch(args: argparse.Namespace) -> int:
    from coach.paths import data_dir

    data = data_dir(getattr(args, "data_dir", None))
    command = args.command
    if command == "list":
        return cmd_list(data)
    if command == "plan":
        return cmd_plan(_resolve(args.routine, data), as_json=args.json, every_step=args.steps)
    if command == "validate":
        return cmd_validate(args.files)
    if command == "schema":
        from coach.routine import json_schema

        print(json.dumps(json_schema(), indent=2))
        return 0
    if command == "sounds":
        return cmd_sounds()
    if command == "voices":
        return cmd_voices(_voice(args))
    if command == "history":
        return _history(args, data)
    if command == "run":
        entry = _resolve(args.routine, data)
        if args.plain:
            return _run_plain(data, entry, mute=getattr(args, "mute", False), voice=args)
        return _run_app(data, entry, mute=getattr(args, "mute", False), voice=args)
    return _run_app(data, None, mute=getattr(args, "mute", False), voice=args)


def _voice(args: argparse.Namespace) -> VoiceSetting:
    """The voice asked for: --voice (or --no-voice), else COACH_VOICE, else auto."""
    import os

    from coach.voice import voice_setting

    try:
        return voice_setting(getattr(args, "voice", None), os.environ)
    except ValueError as exc:
        raise UserError(str(exc)) from None


def _resolve(name: str, data: Path) -> RoutineEntry:
    from coach.catalog import UnknownRoutine, resolve
    from coach.routine import RoutineError

    try:
        return resolve(name, data)
    except (RoutineError, UnknownRoutine) as err:
        raise UserError(str(err).strip("'\"")) from None


NO_TERMINAL = 2
"""The exit status when the full-screen coach is asked for without a terminal."""


def _run_app(
    data: Path,
    entry: RoutineEntry | None,
    mute: bool,
    *,
    voice: argparse.Namespace,
    history: bool = False,
) -> int:
    """The full-screen coach (at Home, a routine, or the history screen) when there is a
    terminal to draw it on and read keys from; without one (a pipe, /dev/null, cron) one line
    and exit 2, before Textual is even imported, rather than a screen nobody sees that never
    ends."""
    missing = [
        name
        for name, stream in (
            ("standard input", sys.stdin),
            ("standard output", sys.stdout),
            ("standard error", sys.stderr),
        )
        if not _is_terminal(stream)
    ]
    if missing:
        which = " and ".join(missing) if len(missing) < 3 else "standard input, output and error"
        hint = (
            "coach run ROUTINE --plain narrates the session in plain lines without one"
            if entry is not None
            else "coach plan ROUTINE prints a routine without one"
        )
        print(
            f"coach: the full-screen coach needs a terminal; {which} "
            f"{'is' if len(missing) == 1 else 'are'} not one ({hint})",
            file=sys.stderr,
        )
        return NO_TERMINAL
    setting = _voice(voice)
    from coach.ui.app import make_app

    app = make_app(
        data_dir=data,
        routine=entry,
        mute=mute,
        start="history" if history else "home",
        voice=setting,
    )
    with readable_streams(cells=True):  # the screen is laid out in cells, drawn on stderr
        app.run()
    return int(app.return_code or 0)


def _run_plain(data: Path, entry: RoutineEntry, mute: bool, *, voice: argparse.Namespace) -> int:
    """The session narrated in plain lines on standard output, commands read from standard
    input; works on a terminal, a pipe, a file or /dev/null. It speaks only when --voice is
    given: a screen reader is already reading its lines (COACH_VOICE alone does not)."""
    import os

    from coach.clock import MonotonicClock
    from coach.plain import plain_beeper, run_plain

    asked = getattr(voice, "voice", None)
    setting = _voice(voice) if asked is not None else None
    gc.enable()  # start-up is over, and a session can be long
    beeper, sound_off = plain_beeper(mute, os.environ)
    speaker = None
    if setting is not None and sound_off is None:
        from coach.speaker import make_speaker

        speaker = make_speaker(setting, beeper, data, os.environ)
    return run_plain(
        entry,
        data_dir=data,
        clock=MonotonicClock(),
        beeper=beeper,
        stdin=sys.stdin,
        stdout=sys.stdout,
        stderr=sys.stderr,
        sound_off=sound_off,
        speaker=speaker,
        exit_after_signal=True,
    )


def _is_terminal(stream: object) -> bool:
    try:
        return bool(stream is not None and stream.isatty())  # type: ignore[attr-defined]
    except (ValueError, OSError):  # closed
        return False


def _history(args: argparse.Namespace, data: Path) -> int:
    if args.output and not args.export:
        raise UserError("--output goes with --export json or --export csv")
    if args.tui:
        if args.export or args.all:
            raise UserError("--tui opens the screen; it does not go with --all or --export")
        return _run_app(data, None, mute=getattr(args, "mute", False), voice=args, history=True)
    return cmd_history(data, every=args.all, export=args.export, output=args.output)


def _console() -> Console:
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
    console = _console()
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


def cmd_plan(entry: RoutineEntry, as_json: bool, every_step: bool) -> int:
    from coach.plan import build_plan

    plan = build_plan(entry.routine, entry.id)
    if as_json:
        print(json.dumps(plan.to_json(), indent=2))
        return 0
    from coach.plan_view import render_plan

    _console().print(render_plan(entry, plan, every_step=every_step))
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
    if export and output not in (None, STANDARD_OUTPUT) and _is_history_file(output, path):
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

    console = _console()
    console.print(sessions_table(sessions, now))
    if total > len(sessions):
        console.print(
            f"The latest {len(sessions)} of {total} sessions; "
            "[bold]coach history --all[/] lists them all."
        )
    return 0


def _is_history_file(output: str, path: Path) -> bool:
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
    from coach.output import OutputError, can_encode, write_file

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
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    try:
        write_file(output, text.encode("utf-8-sig" if kind == "csv" else "utf-8"))
    except OutputError as err:
        raise UserError(str(err)) from None
