"""Start-up must not parse the stylesheet twice, nor rebuild a footer that has not changed."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import Button

import coach.ui.app
from coach.testing import FakeClock
from coach.ui.app import CALM, CoachApp, settle_collector
from coach.ui.widgets.footer import KeyFooter

from .conftest import app_for


async def test_home_starts_in_the_calm_theme_with_one_parse_of_the_stylesheet(
    clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    reparsed: list[str] = []
    monkeypatch.setattr(CoachApp, "refresh_css", lambda self, animate=True: reparsed.append("x"))
    app = app_for(clock, None)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.screen.query_one("#routines").has_focus
        assert app.current_theme.name == CALM.name
        assert app.has_class(f"-theme-{CALM.name}")
        variables = app.stylesheet._variables
        assert variables["primary"] == CALM.primary
        assert variables["background"] == CALM.background
    assert reparsed == []


class Plain(Button):
    BINDINGS = [Binding("x", "app.bell", "Hidden", show=False)]


class WithKey(Button):
    BINDINGS = [Binding("s", "app.bell", "Shown")]


class FooterApp(App[None]):
    BINDINGS = [Binding("q", "app.quit", "Quit")]

    def compose(self) -> ComposeResult:
        yield Plain("one", id="one")
        yield Plain("two", id="two")
        yield WithKey("three", id="three")
        yield KeyFooter()


def shown(app: FooterApp) -> list[str]:
    return [str(key.description) for key in app.query("FooterKey")]


async def test_the_footer_is_rebuilt_only_when_its_keys_change() -> None:
    app = FooterApp()
    async with app.run_test(size=(80, 10)) as pilot:
        await pilot.pause()
        footer = app.query_one(KeyFooter)
        keys = list(footer.children)
        assert "Quit" in shown(app)
        assert "Shown" not in shown(app)

        app.query_one("#two").focus()  # same keys shown: the same key widgets stay
        await pilot.pause()
        await pilot.pause()
        assert list(footer.children) == keys

        app.query_one("#three").focus()  # one more key shown: rebuilt
        await pilot.pause()
        await pilot.pause()
        assert "Shown" in shown(app)
        assert list(footer.children) != keys


@pytest.fixture
def collector_off() -> Iterator[None]:
    """As the command line leaves it for start-up: the collector off."""
    gc.disable()
    try:
        yield
    finally:
        gc.unfreeze()
        gc.enable()


def test_settling_turns_the_collector_back_on_and_freezes_what_start_up_made(
    collector_off: None,
) -> None:
    settle_collector()
    assert gc.isenabled()
    frozen = gc.get_freeze_count()
    assert frozen > 0
    settle_collector()  # once only
    assert gc.get_freeze_count() == frozen


async def test_the_collector_is_back_on_once_a_session_opens(
    clock: FakeClock, collector_off: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(coach.ui.app, "SETTLE_COLLECTOR", 3600.0)  # the timer must not do it
    app = app_for(clock, None)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert not gc.isenabled()
        await pilot.press("enter")
        assert gc.isenabled()
