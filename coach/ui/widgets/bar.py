"""A progress bar that changes only when it is told to."""

from __future__ import annotations

from textual import on
from textual.events import Mount
from textual.widgets import ProgressBar


class PlainProgressBar(ProgressBar):
    """Textual's ProgressBar without its estimate of the time left.

    The stock bar wakes once a second, for as long as it is on screen, to work out and store
    that estimate, even when it does not show it. These bars never show it, and the session
    screen already redraws exactly when something visible changes, so that wake-up was pure
    cost: two of them a second in every hold.
    """

    @on(Mount)
    def skip_the_stock_mount(self, event: Mount) -> None:
        # The stock handler (ProgressBar.on_mount) starts the once-a-second timer. A handler
        # of this class runs first; preventing the default skips the handlers of the classes
        # below, which also skips the base widget's, which only sets up scroll bars, and a
        # bar never scrolls.
        event.prevent_default()
        self.update()
