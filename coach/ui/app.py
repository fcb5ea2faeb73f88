"""The Textual app and the one factory that builds it for the CLI and for every test."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from textual.app import App
from textual.binding import Binding
from textual.theme import Theme

from coach.clock import Clock, MonotonicClock
from coach.ui.compat import start_in_theme

if TYPE_CHECKING:
    from coach.history.model import DoseRecord, Store
    from coach.plan import Plan
    from coach.recorder import SessionRecorder
    from coach.resume import Answer, ResumeOffer
    from coach.routine import RoutineEntry
    from coach.runner import SessionResult, SessionRunner, Speaker
    from coach.sound import Beeper
    from coach.ui.screens.home import HomeScreen
    from coach.voice import VoiceSetting

Start = Literal["home", "history"]
# What a signal means for the session in progress: a terminal asked to end it, or the
# terminal (or the SSH link) went away, so it can be resumed.
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


SETTLE_COLLECTOR = 0.5
"""Seconds after the first frame before the garbage collector is turned back on (sooner if a
session or the history screen opens)."""


def settle_collector() -> None:
    """If start-up turned the collector off: collect start-up's garbage once, so the screens
    to come reuse its memory; keep what is left (nearly all of it lives as long as the process)
    out of later collections; turn the collector back on."""
    if not gc.isenabled():
        gc.collect()
        gc.freeze()
        gc.enable()


class CoachApp(App[int]):
    """Home → session → summary. Screens read the engine; the app owns the shared pieces."""

    CSS_PATH = "app.tcss"
    TITLE = "coach"
    BINDINGS = [
        Binding("question_mark", "toggle_help", "Help", key_display="?"),
        Binding("escape", "hide_help", "Close help", show=False, priority=True),
        Binding("ctrl+z", "suspend", "Suspend", show=False),
        Binding("ctrl+t", "toggle_contrast", "Contrast", show=False),
    ]

    def __init__(
        self,
        clock: Clock,
        beeper: Beeper,
        data_dir: Path,
        routine: RoutineEntry | None = None,
        store: Store | None = None,
        start: Start = "home",
        sound_off: str | None = None,
        speakers: Callable[[], Speaker | None] | None = None,
    ) -> None:
        super().__init__()
        self.speakers = speakers  # makes each session's voice; None: no voice
        self.clock = clock
        self.beeper = beeper
        self.sound_off = sound_off  # why sound cannot be turned on (COACH_SOUND=off)
        self.data_dir = data_dir
        self.start_routine = routine
        self.start = start
        self._store = store
        self._owns_store = store is None
        self._store_checked = False
        self.history_problem: str | None = None
        self.runner: SessionRunner | None = None  # the session in progress
        self._doses: list[DoseRecord] | None = None  # the person's own, once history is open
        self._recorders: list[SessionRecorder] = []  # ended sessions, whose writes may be pending
        self._history_lock = threading.Lock()
        # The theme is in place before the stylesheet is first parsed, without the watcher:
        # setting it the usual way parses the whole stylesheet a second time before Home shows.
        self.register_theme(CALM)
        self.register_theme(HIGH_CONTRAST)
        start_in_theme(self, CALM.name)

    def on_mount(self) -> None:
        self._catch_signals()
        if self.start == "history":
            self.show_history()
        elif self.start_routine is not None:
            self.start_session(self.start_routine)
        else:
            from coach.ui.screens.home import HomeScreen

            self.push_screen(HomeScreen(self.data_dir, self, self.clock))
        # History opens after the first frame, and off the event loop, so the screen is drawn
        # without waiting on the disk.
        self.call_after_refresh(self._after_first_frame)

    def _after_first_frame(self) -> None:
        if not gc.isenabled():  # the command line turned it off for start-up
            self.set_timer(SETTLE_COLLECTOR, settle_collector)
        self.run_worker(self._open_history, thread=True, group="history", exit_on_error=False)

    def _open_history(self) -> None:
        """In a worker thread: open the file and look for a session to resume, then carry on
        on the event loop (which never waits on the file: it may be slow, or locked)."""
        from coach.programme_io import doses_of

        self._doses = doses_of(self.history())
        offer = None if self.start == "history" else self._resume_offer()
        with contextlib.suppress(RuntimeError):  # the app closed meanwhile
            self.call_from_thread(self._history_ready, offer)

    def personal(self, entry: RoutineEntry) -> tuple[RoutineEntry, Plan | None]:
        """`entry` as the person does it, with its plan, once their doses are known (history
        has opened); until then, or for a file outside the list, the routine file's."""
        from coach.plan import PlanTooLong
        from coach.programme_io import in_list, personal_entry

        if self._doses is None or not in_list(entry, self.data_dir):
            return entry, None
        try:
            mine, plan, _ = personal_entry(entry, self._doses)
        except PlanTooLong:
            return entry, None
        return mine, plan

    def _history_ready(self, offer: ResumeOffer | None) -> None:
        from coach.ui.screens.home import HomeScreen

        for screen in self.screen_stack:
            if isinstance(screen, HomeScreen):
                screen.history_opened()  # it marks what is due today
        if self.history_problem:
            self.notify(
                f"History will not be saved: {self.history_problem}",
                severity="warning",
                timeout=12,
                markup=False,
            )
        added = self.history().journal_note
        if added:
            self.notify(added, severity="information", timeout=12, markup=False)
        runner = self.runner
        if runner is not None and not runner.started:
            mine, plan = self.personal(runner.entry)
            if plan is not None:
                runner.replan(mine, plan)
        if self.runner is not None:
            self.runner.state_changed()  # the session's top line says whether history is saved
        began = self.runner is not None and self.runner.started
        if began:  # too late to offer a resume
            return
        if offer is not None:
            from coach.ui.screens.resume import ResumeScreen

            self.push_screen(
                ResumeScreen(offer, home=self.start_routine is None),
                lambda said: self._resumed(offer, said),
            )

    # ------------------------------------------------------------------ history

    def history(self) -> Store:
        """The history store, opened on first use; in memory when the file cannot be used.

        Opening also closes, as interrupted, the sessions of coaches that are gone. Safe to call
        from the worker thread that opens it at start-up and from the event loop."""
        from coach.history.sqlite import open_for_coach

        with self._history_lock:
            if not self._store_checked:
                self._store_checked = True
                self._store, owned, problem = open_for_coach(
                    self.data_dir, self.clock.wall(), self._store
                )
                self._owns_store = self._owns_store or owned
                if problem is not None:
                    self.history_problem = problem
            assert self._store is not None
            return self._store

    def _resume_offer(self) -> ResumeOffer | None:
        from coach.resume import catalog_finder, find_offer

        def personal(entry: RoutineEntry) -> tuple[RoutineEntry, Plan]:
            mine, plan = self.personal(entry)
            return mine, plan if plan is not None else build_plan(mine.routine, mine.id)

        from coach.plan import build_plan

        return find_offer(
            self.history(),
            self.clock.wall(),
            self.start_routine,
            catalog_finder(self.data_dir),
            personal,
        )

    def _resumed(self, offer: ResumeOffer, said: Answer | None) -> None:
        from coach.resume import Answer, answer

        if said is None:
            return
        history = self.history()
        self.run_worker(
            lambda: answer(history, offer, said), thread=True, group="history", exit_on_error=False
        )
        if said is not Answer.RESUME:
            return
        runner = self.runner
        if runner is not None and runner.entry.id == offer.entry.id:
            runner.move_start(offer.start_index, offer.session.id)
        else:
            self.start_session(offer.entry, offer.start_index, resumed_from=offer.session.id)

    def on_home_screen_show_history(self, message: HomeScreen.ShowHistory) -> None:
        self.show_history()

    def on_home_screen_show_dose(self, message: HomeScreen.ShowDose) -> None:
        from coach.ui.screens.dose import DoseScreen

        self.push_screen(DoseScreen(message.entry, self, self.clock))

    def show_history(self) -> None:
        from coach.ui.screens.history import HistoryScreen

        settle_collector()
        self.push_screen(HistoryScreen(self, self.clock), lambda _: self._history_closed())

    def _history_closed(self) -> None:
        if self.start == "history":
            self.exit(0)

    # ------------------------------------------------------------------ sessions

    def on_home_screen_start_routine(self, message: HomeScreen.StartRoutine) -> None:
        self.start_session(message.entry)

    def start_session(
        self, entry: RoutineEntry, start_index: int = 0, resumed_from: int | None = None
    ) -> None:
        from coach.runner import SessionRunner
        from coach.ui.screens.session import SessionScreen

        settle_collector()
        entry, plan = self.personal(entry)
        self.runner = SessionRunner(
            entry,
            plan=plan,
            clock=self.clock,
            beeper=self.beeper,
            history=self,
            start_index=start_index,
            resumed_from=resumed_from,
            sound_off=self.sound_off,
            speaker=self.speakers() if self.speakers is not None else None,
        )
        self.push_screen(SessionScreen(self.runner), self._session_over)

    def _session_over(self, result: SessionResult | None) -> None:
        from coach.ui.screens.summary import SummaryScreen

        self.runner = None
        if result is not None and result.recorder is not None:
            self._recorders.append(result.recorder)  # its check-in is still to come
        if result is None or (not result.records and not result.completed):
            self._back_home()
            return
        self.push_screen(SummaryScreen(result, self.data_dir), lambda _: self._back_home())

    def _back_home(self) -> None:
        if self.start_routine is not None:
            self.exit(0)

    def _catch_signals(self) -> None:
        """SIGTERM, SIGINT and SIGHUP end the session in progress in history, then the app."""
        from coach.exits import catch_signals

        with contextlib.suppress(RuntimeError):
            catch_signals(asyncio.get_running_loop(), self._on_signal)

    def _on_signal(self, name: str) -> None:
        """Save the session, silence the players, and end: within EXIT_SECONDS whatever the
        terminal does."""
        from coach.exits import EXIT_SECONDS, SIGNAL_ENDINGS, end_process_after, exit_status

        code = exit_status(name)
        if self.runner is not None:
            self.runner.end_for_signal(SIGNAL_ENDINGS[name])
        self.beeper.close()
        if not self.is_headless:
            end_process_after(EXIT_SECONDS, code)
        self.exit(return_code=code)

    def action_suspend(self) -> None:
        """Ctrl+Z: pause the session clock, then hand the terminal back to the shell as a
        suspended job; after `fg` the session waits, paused, until the person carries on."""
        if self.runner is not None:
            self.runner.pause()
        self.action_suspend_process()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "hide_help":  # Esc closes the key panel first, where one is open
            return bool(self.screen.query("HelpPanel"))
        return True

    def action_hide_help(self) -> None:
        self.action_hide_help_panel()

    def _close_recorders(self) -> None:
        """History of the sessions that ended in this run: wait for their last writes (at
        most half a second in all), and keep what a locked file has not taken in the journal."""
        import time

        deadline = time.monotonic() + 0.5
        for recorder in self._recorders:
            recorder.close(max(0.0, deadline - time.monotonic()))
        self._recorders.clear()

    def action_toggle_help(self) -> None:
        if self.screen.query("HelpPanel"):
            self.action_hide_help_panel()
        else:
            self.action_show_help_panel()

    def action_toggle_contrast(self) -> None:
        self.theme = HIGH_CONTRAST.name if self.theme == CALM.name else CALM.name

    def on_unmount(self) -> None:
        if self.runner is not None:
            self.runner.end_for_signal("stopped")  # saved, waiting at most half a second
        self._close_recorders()
        self.beeper.close()
        if self._store is not None and self._owns_store:
            self._store.close()


def make_app(
    *,
    clock: Clock | None = None,
    beeper: Beeper | None = None,
    data_dir: Path | None = None,
    routine: RoutineEntry | None = None,
    mute: bool = False,
    store: Store | None = None,
    start: Start = "home",
    voice: VoiceSetting | None = None,
) -> CoachApp:
    """Build the app. Tests pass a FakeClock and a Null/RecordingBeeper; the CLI passes none,
    and the voice setting (no voice without one; none either when COACH_SOUND is off)."""
    from coach.paths import data_dir as default_data_dir
    from coach.sound import NullBeeper, PlaysoundBeeper, sound_enabled_from_env

    sound_off = None
    if beeper is None:
        on = sound_enabled_from_env(os.environ)
        beeper = PlaysoundBeeper() if on else NullBeeper()
        mute = mute or not on  # COACH_SOUND=off: say "sound off" on screen too
        sound_off = None if on else f"COACH_SOUND is {os.environ.get('COACH_SOUND', '')!r}"
    beeper.muted = beeper.muted or mute
    folder = data_dir or default_data_dir()
    speakers = None
    if voice is not None and voice.kind != "off" and sound_off is None:
        player = beeper

        def speakers() -> Speaker | None:
            from coach.speaker import make_speaker

            return make_speaker(voice, player, folder, os.environ)

    return CoachApp(
        clock=clock or MonotonicClock(),
        beeper=beeper,
        data_dir=folder,
        routine=routine,
        store=store,
        start=start,
        sound_off=sound_off,
        speakers=speakers,
    )
