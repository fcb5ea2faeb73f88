"""The `coach` command: argparse sub-commands that open the full screen, narrate in plain
lines, or print (coach.commands)."""

from __future__ import annotations

import argparse
import gc
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from coach import __version__
from coach.commands import (
    UserError,
    cmd_history,
    cmd_list,
    cmd_plan,
    cmd_sounds,
    cmd_validate,
    cmd_voices,
)
from coach.literal import one_line, shown
from coach.output import readable_streams

if TYPE_CHECKING:
    from coach.routine import RoutineEntry
    from coach.voice import VoiceSetting


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


def _number(text: str) -> float:
    """A number as typed; NaN for anything that is not one."""
    try:
        return float(text)
    except ValueError:
        return float("nan")


def _seconds(name: str, text: str | None) -> float | None:
    """A dose value as typed, in seconds; its range is checked with the rest of the dose."""
    if text is None:
        return None
    value = _number(text)
    if value != value:
        raise UserError(f"--{name}: {text!r} is not a number of seconds")
    return value


def _whole(name: str, text: str | None) -> int | None:
    """A count as typed (sets, reps); its range is checked with the rest of the dose."""
    if text is None:
        return None
    value = _number(text)
    if not value.is_integer():  # NaN is not either
        raise UserError(f"--{name}: {text!r} is not a whole number")
    return int(value)


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

    dose = sub.add_parser(
        "dose",
        parents=[common],
        help="your own dose of a routine's exercises: show it, set it, or go back to the file's",
    )
    dose.add_argument("routine", metavar="ROUTINE", help="a routine id from coach list")
    dose.add_argument("exercise", metavar="EXERCISE", nargs="?", help="the exercise's name")
    # Values are read by the command, so one outside its range is one line and exit 1.
    dose.add_argument("--sets", metavar="N", help="sets (1-20)")
    dose.add_argument("--reps", metavar="N", help="reps a set, per side (1-100)")
    dose.add_argument("--hold", metavar="SECONDS", help="each hold (0-600)")
    dose.add_argument("--rest", metavar="SECONDS", help="between sets (0-600)")
    dose.add_argument("--relax", metavar="SECONDS", help="between reps (0-600)")
    dose.add_argument(
        "--side",
        choices=("left", "right"),
        help="for one leg only, the leg that works (sets, reps, hold)",
    )
    dose.add_argument(
        "--reset", action="store_true", help="back to the file's dose (one exercise, or all)"
    )
    schedule = sub.add_parser(
        "schedule", parents=[common], help="the days of the week a routine is planned for"
    )
    schedule.add_argument("routine", metavar="ROUTINE", help="a routine id from coach list")
    schedule.add_argument(
        "days", metavar="DAY", nargs="*", help="mon tue wed thu fri sat sun, or daily"
    )
    schedule.add_argument("--clear", action="store_true", help="drop the routine's weekly plan")
    sub.add_parser(
        "today",
        parents=[common],
        help="what is due today, this week against your plan, your last pain, any proposal",
    )

    from coach.report_cli import add_report_parser

    add_report_parser(sub, common)

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
        # One line, even when a name in it holds a line break.
        print(f"coach: {one_line(str(err))}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    except OSError as err:
        from coach.output import OUTPUT_FAILURES, drop_standard_output

        if err.errno not in OUTPUT_FAILURES:
            raise
        drop_standard_output()  # a full disk under `coach list > file`: one line, not a trace
        print(f"coach: cannot write to standard output: {err.strerror}", file=sys.stderr)
        return 1


def _dispatch(args: argparse.Namespace) -> int:
    from coach.paths import data_dir

    data = data_dir(getattr(args, "data_dir", None))
    command = args.command
    if command == "list":
        return cmd_list(data)
    if command == "plan":
        return cmd_plan(
            data, _resolve(args.routine, data), as_json=args.json, every_step=args.steps
        )
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
    if command == "today":
        from coach.programme_cli import cmd_today

        return cmd_today(data)
    if command in ("dose", "schedule"):
        from coach.history.model import Dose
        from coach.programme_cli import cmd_dose, cmd_schedule

        entry = _resolve(args.routine, data)
        if command == "schedule":
            return cmd_schedule(data, entry, args.days, args.clear)
        values = Dose(
            _whole("sets", args.sets),
            _whole("reps", args.reps),
            _seconds("hold", args.hold),
            _seconds("rest", args.rest),
            _seconds("relax", args.relax),
        )
        return cmd_dose(data, entry, args.exercise, values, args.side, args.reset)
    if command == "report":
        from coach.report_cli import cmd_report

        return cmd_report(
            data,
            args.routines,
            weeks=args.weeks,
            output=args.output,
            open_page=args.open,
            form=args.format,
        )
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
