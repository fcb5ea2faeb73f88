"""Every use of a name Textual keeps to itself, in one place.

Textual may rename or drop its private names in any release. Each one used here has a test in
tests/ui/test_compat.py that fails when Textual changes it, and a test there fails if any other
module of coach touches a private name of Textual's. A change of Textual's version starts here.
"""

from __future__ import annotations

from typing import Any

from textual.app import App
from textual.dom import DOMNode
from textual.widgets import Footer

THEME_CLASS_PREFIX = "-theme-"
"""App._watch_theme, the theme's private watcher, gives the app the class `-theme-<name>` (and
`-dark-mode` or `-light-mode`, which App's constructor sets too)."""


def footer_shows_keys_from_start(footer: Footer) -> None:
    """Let `footer` compose its keys the first time it is composed.

    The stock footer starts empty and fills in when the screen first refreshes its bindings,
    which costs one more full layout and frame. Call this before the footer is mounted.
    Footer._bindings_ready is the reactive flag that keeps it empty until then."""
    footer._bindings_ready = True


def is_pruning(node: DOMNode) -> bool:
    """True once the app has begun to remove `node` from the DOM (its `_pruning` flag)."""
    return node._pruning


def start_in_theme(app: App[Any], theme: str) -> None:
    """Give a new app `theme` before its stylesheet is first parsed, without the watcher.

    Setting `app.theme` the usual way runs App._watch_theme, which parses the whole stylesheet
    again. This does the rest of the watcher's work by hand: the theme's classes on the app
    and the theme's CSS variables. The theme must be registered first."""
    app.set_reactive(App.theme, theme)
    dark = app.current_theme.dark
    app.set_class(True, f"{THEME_CLASS_PREFIX}{theme}", update=False)
    app.set_class(dark, "-dark-mode", update=False)
    app.set_class(not dark, "-light-mode", update=False)
    app.stylesheet.set_variables(app.get_css_variables())
