"""Our app, screens and widgets must not reuse the private names Textual keeps on them.

A screen that kept its own `_closed` flag told Textual it was closed: Textual then dropped the
message that removes it, and Esc on the summary hung the app.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
from collections.abc import Iterator

from textual.app import App
from textual.message_pump import MessagePump
from textual.screen import Screen
from textual.widget import Widget

import coach.ui

# Set or overridden on purpose: none. A private name of Textual's is used only through
# coach/ui/compat.py (see tests/ui/test_compat.py).
ON_PURPOSE: set[str] = set()


def our_classes() -> Iterator[type[MessagePump]]:
    for info in pkgutil.walk_packages(coach.ui.__path__, "coach.ui."):
        module = importlib.import_module(info.name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, MessagePump) and cls.__module__ == module.__name__:
                yield cls


def private_names(cls: type) -> set[str]:
    """`self._name` assigned anywhere in the class, and `_name` methods it defines."""
    tree = ast.parse(inspect.getsource(cls))
    names = set()
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.ctx, ast.Store)
            and isinstance(node.value, ast.Name)
            and node.value.id == "self"
        ):
            names.add(node.attr)
        elif isinstance(node, ast.FunctionDef):
            names.add(node.name)
    return {name for name in names if name.startswith("_") and not name.startswith("__")}


def textual_names() -> set[str]:
    names: set[str] = set()
    for instance in (App(), Screen(), Widget()):
        names.update(vars(instance))
        names.update(dir(type(instance)))
    return names


def test_the_ui_classes_are_found() -> None:
    found = {cls.__name__ for cls in our_classes()}
    assert {"CoachApp", "HomeScreen", "SessionScreen", "SummaryScreen", "KeyFooter"} <= found


def test_no_private_name_of_textual_is_reused() -> None:
    taken = textual_names()
    clashes = {
        f"{cls.__name__}.{name}"
        for cls in our_classes()
        for name in private_names(cls) - ON_PURPOSE
        if name in taken
    }
    assert clashes == set()
