"""A footer that rebuilds its keys only when the keys it shows have changed."""

from __future__ import annotations

from collections.abc import Hashable

from textual.app import ComposeResult
from textual.widgets import Footer

from coach.ui.compat import footer_shows_keys_from_start, is_pruning


class KeyFooter(Footer):
    """Textual's Footer, without the rebuilds that change nothing.

    The stock footer rebuilds its keys whenever the screen's bindings are refreshed, which
    happens on every change of focus, even when the same keys come back. Each rebuild lays
    out and draws the whole screen again: at start-up that was two extra full frames.
    """

    def __init__(self) -> None:
        super().__init__()
        # The stock footer starts empty and fills in when the screen first refreshes its
        # bindings, which is one more full layout and frame; the screen's keys are known
        # by the time the footer is composed, so it shows them from the start.
        footer_shows_keys_from_start(self)
        self._shown: Hashable = ()

    def _keys(self) -> Hashable:
        palette = self.app.COMMAND_PALETTE_BINDING
        return tuple(
            (key, binding.description, binding.action, enabled, tooltip)
            for key, (_, binding, enabled, tooltip) in self.screen.active_bindings.items()
            if binding.show or key == palette
        )

    def compose(self) -> ComposeResult:
        self._shown = self._keys()
        yield from super().compose()

    async def recompose(self) -> None:
        # A rebuild is asked for after a refresh, by which time the footer may have left.
        if self.is_attached and not is_pruning(self) and self._keys() != self._shown:
            await super().recompose()
