"""The names Textual keeps private that coach uses, and the rule that only compat.py uses them.

Each test of a name fails when Textual renames or drops it, or changes what it does for us; the
scan at the end fails when a module other than coach/ui/compat.py touches one.
"""

from __future__ import annotations

import ast
import importlib
import importlib.util
import inspect
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import ModuleType

import pytest
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.reactive import Reactive
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, ProgressBar, Static

import coach
from coach.ui import compat
from coach.ui.app import CALM, HIGH_CONTRAST
from coach.ui.widgets.bar import PlainProgressBar

# ------------------------------------------------------------------ the footer's ready flag


def test_footers_ready_flag_is_a_reactive_that_starts_false() -> None:
    flag = vars(Footer).get("_bindings_ready")
    assert isinstance(flag, Reactive)
    assert Footer()._bindings_ready is False


class FooterApp(App[None]):
    BINDINGS = [Binding("q", "app.quit", "Quit"), Binding("s", "app.bell", "Shown")]

    def __init__(self, ready: bool) -> None:
        super().__init__()
        self.ready = ready

    def compose(self) -> ComposeResult:
        footer = Footer()
        if self.ready:
            compat.footer_shows_keys_from_start(footer)
        yield footer


@pytest.mark.parametrize(("ready", "keys"), [(True, ["Quit", "Shown", "palette"]), (False, [])])
async def test_a_footer_made_ready_composes_its_keys_without_waiting_for_the_screen(
    ready: bool, keys: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Without the screen's refresh of its bindings, only the flag can fill the footer.
    monkeypatch.setattr(Footer, "bindings_changed", lambda self, screen: None)
    app = FooterApp(ready)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert [str(key.description) for key in app.query("FooterKey")] == keys


# ------------------------------------------------------------------ a node being removed


def test_a_new_node_is_not_pruning() -> None:
    assert Widget()._pruning is False
    assert compat.is_pruning(Widget()) is False


async def test_is_pruning_from_the_moment_its_removal_begins() -> None:
    class Holder(App[None]):
        def compose(self) -> ComposeResult:
            yield Static("inside", id="inside")

    app = Holder()
    async with app.run_test(size=(40, 10)) as pilot:
        inside = app.query_one("#inside")
        assert compat.is_pruning(inside) is False
        removal = inside.remove()
        assert compat.is_pruning(inside) is True
        await removal
        await pilot.pause()
        assert not app.query("#inside")


# ------------------------------------------------------------------ the theme without its watcher


def test_the_theme_has_the_private_watcher_start_in_theme_stands_in_for() -> None:
    assert callable(vars(App).get("_watch_theme"))


class ThemedApp(App[None]):
    def __init__(self, theme: str, by_hand: bool) -> None:
        super().__init__()
        self.register_theme(CALM)
        self.register_theme(HIGH_CONTRAST)
        self.wanted = theme
        if by_hand:
            compat.start_in_theme(self, theme)

    def on_mount(self) -> None:
        if self.theme != self.wanted:
            self.theme = self.wanted  # through App._watch_theme


@pytest.mark.parametrize("theme", [CALM.name, HIGH_CONTRAST.name, "textual-light"])
async def test_start_in_theme_leaves_the_app_as_the_watcher_does(theme: str) -> None:
    seen = []
    for by_hand in (True, False):
        app = ThemedApp(theme, by_hand)
        async with app.run_test(size=(40, 10)) as pilot:
            await pilot.pause()
            assert app.theme == theme
            seen.append((set(app.classes), dict(app.stylesheet._variables)))
    (by_hand_classes, by_hand_vars), (watched_classes, watched_vars) = seen
    assert f"{compat.THEME_CLASS_PREFIX}{theme}" in by_hand_classes
    assert by_hand_classes == watched_classes
    assert by_hand_vars == watched_vars


# ------------------------------------------------------------------ the bar (public names only)


async def test_the_plain_bar_starts_no_timer_and_skips_the_stock_mount_handler(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # PlainProgressBar stops the stock bar's mount handler with public means (its own handler
    # runs first and prevents the default); this fails if the stock bar starts its timer
    # somewhere else.
    stock_mounts: list[str] = []
    original = ProgressBar.on_mount

    def spy(self: ProgressBar) -> None:
        stock_mounts.append(type(self).__name__)
        original(self)

    monkeypatch.setattr(ProgressBar, "on_mount", spy)
    started: list[str] = []
    set_interval = Widget.set_interval

    def spy_interval(self: Widget, *args: object, **kwargs: object) -> object:
        started.append(type(self).__name__)
        return set_interval(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Widget, "set_interval", spy_interval)

    class Bars(App[None]):
        def compose(self) -> ComposeResult:
            yield PlainProgressBar(id="plain", show_eta=False, show_percentage=False)
            yield ProgressBar(id="stock", show_eta=False, show_percentage=False)

    app = Bars()
    async with app.run_test(size=(40, 10)) as pilot:
        await pilot.pause()
        assert stock_mounts == ["ProgressBar"]
        assert "PlainProgressBar" not in started
        assert "ProgressBar" in started


# ------------------------------------------------------------------ nobody else uses them

COACH = Path(coach.__file__).parent
COMPAT = "coach.ui.compat"
# Private by their look, public by the standard library's word (namedtuple's methods).
PUBLIC_ANYWAY = {"_replace", "_asdict", "_fields", "_field_defaults", "_make"}
# The standard library's own underscore names, used as documented (os._exit ends the process at
# once, for an exit that must not wait on a terminal that is gone); Textual's App happens to have
# an `_exit` too, so these are told apart by name.
STANDARD_LIBRARY = {"_exit"}


def is_private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


@cache
def textual_private_names(cls: type) -> frozenset[str]:
    """The private names of a Textual class: its attributes and what its methods set on self."""
    names = {name for name in dir(cls) if is_private(name)}
    for klass in cls.__mro__:
        if not klass.__module__.startswith("textual"):
            continue
        try:
            tree = ast.parse(inspect.getsource(klass))
        except (OSError, TypeError, SyntaxError):
            continue
        names.update(
            node.attr
            for node in ast.walk(tree)
            if isinstance(node, ast.Attribute)
            and isinstance(node.ctx, ast.Store)
            and isinstance(node.value, ast.Name)
            and node.value.id == "self"
            and is_private(node.attr)
        )
    return frozenset(names)


def textual_part(cls: type | None) -> frozenset[str]:
    if cls is None:
        return frozenset()
    names: set[str] = set()
    for klass in cls.__mro__:
        if klass.__module__.split(".")[0] == "textual":
            names |= textual_private_names(klass)
    return frozenset(names)


@dataclass(frozen=True)
class Use:
    line: int
    name: str
    on_self: bool  # self._x, cls._x, super()._x or a method defined in the class
    owner: type | None  # the class it is used in, when that is one of ours found at run time
    stores: bool = False


def is_self(node: ast.expr) -> bool:
    if isinstance(node, ast.Name):
        return node.id in {"self", "cls"}
    return (
        isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "super"
    )


class Reader(ast.NodeVisitor):
    """The private names one module uses and defines, and its imports of Textual's private parts."""

    def __init__(self, module: ModuleType | None) -> None:
        self.module = module
        self.owner: type | None = None
        self.uses: list[Use] = []
        self.defined: set[str] = set()  # module-level names and what its classes define
        self.private_imports: list[tuple[int, str]] = []

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        outer = self.owner
        found = getattr(self.module, node.name, None) if outer is None else None
        self.owner = found if isinstance(found, type) else None
        for item in node.body:
            if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef) and is_private(item.name):
                self.uses.append(Use(item.lineno, item.name, True, self.owner, stores=True))
            for target in class_targets(item):
                self.uses.append(Use(item.lineno, target, True, self.owner, stores=True))
        self.generic_visit(node)
        self.owner = outer

    def visit_Attribute(self, node: ast.Attribute) -> None:
        if is_private(node.attr):
            stores = isinstance(node.ctx, ast.Store) and is_self(node.value)
            self.uses.append(Use(node.lineno, node.attr, is_self(node.value), self.owner, stores))
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        if (
            isinstance(func, ast.Name)
            and func.id in {"getattr", "setattr", "hasattr", "delattr"}
            and len(node.args) >= 2
            and isinstance(node.args[1], ast.Constant)
            and isinstance(node.args[1].value, str)
            and is_private(node.args[1].value)
        ):
            self.uses.append(
                Use(node.lineno, node.args[1].value, is_self(node.args[0]), self.owner)
            )
        self.generic_visit(node)

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            if is_textual_private_module(alias.name):
                self.private_imports.append((node.lineno, alias.name))

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        module = node.module or ""
        if module.split(".")[0] == "textual":
            for alias in node.names:
                if is_textual_private_module(module) or is_private(alias.name):
                    self.private_imports.append((node.lineno, f"{module}.{alias.name}"))

    def visit_Module(self, node: ast.Module) -> None:
        for item in node.body:
            if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                self.defined.add(item.name)
            self.defined.update(class_targets(item))
        self.generic_visit(node)


def class_targets(item: ast.stmt) -> list[str]:
    if isinstance(item, ast.Assign):
        return [t.id for t in item.targets if isinstance(t, ast.Name) and is_private(t.id)]
    if isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name):
        return [item.target.id] if is_private(item.target.id) else []
    return []


def is_textual_private_module(dotted: str) -> bool:
    parts = dotted.split(".")
    return parts[0] == "textual" and any(is_private(part) for part in parts[1:])


def imports_textual(tree: ast.Module) -> bool:
    for node in ast.walk(tree):
        if isinstance(node, ast.Import) and any(
            a.name.split(".")[0] == "textual" for a in node.names
        ):
            return True
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "textual":
            return True
    return False


def read(path: Path, name: str, module: ModuleType | None = None) -> Reader:
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    if module is None and imports_textual(tree):
        module = importlib.import_module(name)  # only these can hold Textual's classes
    reader = Reader(module)
    reader.visit(tree)
    return reader


def private_uses(readers: dict[str, tuple[Path, Reader]]) -> list[str]:
    """Every use of a private name of Textual's in these modules, as 'file:line: what'."""
    ours: set[str] = set()
    for _, reader in readers.values():
        ours |= reader.defined
        ours |= {
            use.name
            for use in reader.uses
            if use.stores and use.on_self and use.name not in textual_part(use.owner)
        }
    # A private name used on something else than self must not be one of Textual's, even if a
    # class of ours happens to define it too.
    textuals = set().union(
        *(textual_part(cls) for cls in (App, Screen, Widget)),
        *(textual_part(use.owner) for _, reader in readers.values() for use in reader.uses),
    )
    problems = []
    for path, reader in readers.values():
        for line, dotted in reader.private_imports:
            problems.append(f"{path}:{line}: imports {dotted}, a private part of Textual")
        for use in reader.uses:
            if not use.on_self and use.name in STANDARD_LIBRARY:
                continue
            if use.on_self and use.name in textual_part(use.owner):
                owner = use.owner.__name__ if use.owner else "?"
                problems.append(
                    f"{path}:{use.line}: {use.name} belongs to Textual ({owner}'s base)"
                )
            elif not use.on_self and use.name in textuals:
                problems.append(f"{path}:{use.line}: {use.name} belongs to Textual")
            elif use.name not in ours and use.name not in PUBLIC_ANYWAY:
                problems.append(
                    f"{path}:{use.line}: {use.name} is not defined in coach (Textual's?)"
                )
    return problems


def coach_modules() -> Iterator[tuple[str, Path]]:
    for path in sorted(COACH.rglob("*.py")):
        parts = path.relative_to(COACH.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        yield ".".join(parts), path


def test_only_compat_touches_the_names_textual_keeps_private() -> None:
    readers = {
        name: (path.relative_to(COACH.parent), read(path, name))
        for name, path in coach_modules()
        if name != COMPAT
    }
    assert "coach.ui.widgets.footer" in readers and "coach.ui.app" in readers
    assert private_uses(readers) == []


def test_compat_is_where_the_names_are_used() -> None:
    name, path = COMPAT, COACH / "ui" / "compat.py"
    problems = private_uses({name: (path, read(path, name))})
    assert any("_bindings_ready" in problem for problem in problems)
    assert any("_pruning" in problem for problem in problems)


# The scan itself, on made-up modules.

MADE_UP = """
from textual.widgets import Footer, Static
{extra}

class Mine(Footer):
    def __init__(self) -> None:
        super().__init__()
        self._shown = ()
        {body}

    def _keys(self) -> tuple[str, ...]:
        return self._shown


def helper(widget: Static) -> bool:
    {helper}
"""


def scan_made_up(tmp_path: Path, body: str = "", helper: str = "", extra: str = "") -> list[str]:
    source = MADE_UP.format(body=body or "pass", helper=helper or "return True", extra=extra)
    path = tmp_path / "made_up.py"
    path.write_text(source)
    spec = importlib.util.spec_from_file_location("made_up", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["made_up"] = module
    try:
        spec.loader.exec_module(module)
        return private_uses({"made_up": (path, read(path, "made_up", module))})
    finally:
        del sys.modules["made_up"]


def test_the_scan_passes_a_module_with_only_its_own_private_names(tmp_path: Path) -> None:
    assert scan_made_up(tmp_path) == []


def test_the_scan_finds_a_textual_flag_set_on_self(tmp_path: Path) -> None:
    (problem,) = scan_made_up(tmp_path, body="self._bindings_ready = True")
    assert "_bindings_ready belongs to Textual (Mine's base)" in problem


def test_the_scan_finds_a_private_handler_overridden(tmp_path: Path) -> None:
    method = "pass\n\n    def _on_mount(self, event: object) -> None:\n        pass"
    (problem,) = scan_made_up(tmp_path, body=method)
    assert "_on_mount belongs to Textual (Mine's base)" in problem
    (problem,) = scan_made_up(tmp_path, extra="stock_handler = Footer._on_mount")
    assert "_on_mount belongs to Textual" in problem


def test_the_scan_finds_a_private_name_read_on_another_widget(tmp_path: Path) -> None:
    (problem,) = scan_made_up(tmp_path, helper="return widget._pruning")
    assert "_pruning belongs to Textual" in problem
    (problem,) = scan_made_up(tmp_path, helper="return getattr(widget, '_pruning')")
    assert "_pruning" in problem


def test_the_scan_finds_an_import_of_a_private_module(tmp_path: Path) -> None:
    (problem,) = scan_made_up(tmp_path, extra="from textual._context import active_app")
    assert "textual._context.active_app" in problem
