"""The Textual app and the one factory that builds it for the CLI and for every test."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import App
from textual.binding import Binding
from textual.theme import Theme

from coach.clock import Clock, MonotonicClock
from coach.routine import RoutineEntry
from coach.sound import Beeper, NullBeeper, PlaysoundBeeper, sound_enabled_from_env

if TYPE_CHECKING:
    from coach.ui.screens.session import SessionResult

CALM = Theme(
    name="coach-calm",
    primary="#7FB8A4",
    secondary="#9DB4C0",
    accent="#E8B45A",
    warning="#E8B45A",
    error="#E07A5F",
    success="#81B29A",
    foreground="#E6E1D6",
    background="#1C2321",
    surface="#25302C",
    panel="#2F3D38",
    dark=True,
)
HIGH_CONTRAST = Theme(
    name="coach-high-contrast",
    primary="#FFFF00",
    secondary="#00FFFF",
    accent="#FFFF00",
    warning="#FFAA00",
    error="#FF5555",
    success="#00FF66",
    foreground="#FFFFFF",
    background="#000000",
    surface="#000000",
    panel="#1A1A1A",
    dark=True,
)


class CoachApp(App[int]):
    """Home → session → summary. Screens read the engine; the app owns the shared pieces."""

    CSS_PATH = "app.tcss"
    TITLE = "coach"
    MIN_WIDTH = 40
    MIN_HEIGHT = 12
    BINDINGS = [
        Binding("question_mark", "toggle_help", "Help", key_display="?"),
        Binding("ctrl+t", "toggle_contrast", "Contrast", show=False),
    ]

    def __init__(
        self,
        clock: Clock,
        beeper: Beeper,
        data_dir: Path,
        routine: RoutineEntry | None = None,
    ) -> None:
        super().__init__()
        self.clock = clock
        self.beeper = beeper
        self.data_dir = data_dir
        self.start_routine = routine

    def on_mount(self) -> None:
        self.register_theme(CALM)
        self.register_theme(HIGH_CONTRAST)
        self.theme = CALM.name
        if self.start_routine is not None:
            self.start_session(self.start_routine)
        else:
            from coach.ui.screens.home import HomeScreen

            self.push_screen(HomeScreen())

    def start_session(self, entry: RoutineEntry, start_index: int = 0) -> None:
        from coach.ui.screens.session import SessionScreen

        self.push_screen(SessionScreen(entry, start_index), self._session_over)

    def _session_over(self, result: SessionResult | None) -> None:
        from coach.ui.screens.summary import SummaryScreen

        if result is None or (not result.records and not result.completed):
            self._back_home()
            return
        self.push_screen(SummaryScreen(result), lambda _: self._back_home())

    def _back_home(self) -> None:
        if self.start_routine is not None:
            self.exit(0)

    def action_toggle_help(self) -> None:
        if self.screen.query("HelpPanel"):
            self.action_hide_help_panel()
        else:
            self.action_show_help_panel()

    def action_toggle_contrast(self) -> None:
        self.theme = HIGH_CONTRAST.name if self.theme == CALM.name else CALM.name

    def on_unmount(self) -> None:
        self.beeper.close()


def make_app(
    *,
    clock: Clock | None = None,
    beeper: Beeper | None = None,
    data_dir: Path | None = None,
    routine: RoutineEntry | None = None,
    mute: bool = False,
) -> CoachApp:
    """Build the app. Tests pass a FakeClock and a Null/RecordingBeeper; the CLI passes none."""
    from coach.paths import data_dir as default_data_dir

    if beeper is None:
        on = sound_enabled_from_env(os.environ)
        beeper = PlaysoundBeeper() if on else NullBeeper()
        mute = mute or not on  # COACH_SOUND=off: say "sound off" on screen too
    beeper.muted = beeper.muted or mute
    return CoachApp(
        clock=clock or MonotonicClock(),
        beeper=beeper,
        data_dir=data_dir or default_data_dir(),
        routine=routine,
    )
