"""The layers of coach: every module has one, and imports only from the layers below it.

The table below is the one place that says which module sits where. The checks walk every module
under coach/ (a new file without a layer fails), read every import with `ast` (at the top, inside
functions, under `if TYPE_CHECKING:`), and fail on an import that does not point down, on any
cycle, and on a module below the UI that loads Textual when imported on its own.
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from fnmatch import fnmatchcase
from itertools import pairwise
from pathlib import Path

import coach

# Lowest first. A module may import only from layers strictly below its own. A pattern is a
# module's full name, or `package.*` for every module under that package (not the package
# itself). A name that matches no file yet is a place kept for it.
LAYERS: list[tuple[str, list[str]]] = [
    (
        "model",
        [
            "coach",
            "coach.routine",
            "coach.durations",
            "coach.paths",
            "coach.clock",
            "coach.literal",
            "coach.output",
            "coach.sides",
            "coach.exits",
        ],
    ),
    ("checking", ["coach.routine_check"]),
    ("planning", ["coach.plan"]),
    ("counting", ["coach.counts"]),
    ("yaml scalars", ["coach.yaml_scalars"]),
    ("yaml events", ["coach.yaml_events"]),
    ("reading", ["coach.routine_yaml"]),
    ("catalog", ["coach.catalog"]),
    ("text views", ["coach.plan_view", "coach.list_view"]),
    ("engine records", ["coach.events"]),
    ("engine", ["coach.session"]),
    ("session text", ["coach.session_text", "coach.cues", "coach.phrases"]),
    ("plain text", ["coach.plain_text"]),
    ("history model", ["coach.history", "coach.history.model"]),
    ("history schema", ["coach.history.schema", "coach.history.owners", "coach.history.journal"]),
    (
        "history reads and writes",
        ["coach.history.reads", "coach.history.writes", "coach.history.programme_rows"],
    ),
    (
        "history store",
        [
            "coach.history.sqlite",
            "coach.history.export",
            "coach.history.writer",
            "coach.history.programme_store",
        ],
    ),
    ("resume", ["coach.resume"]),
    ("history views and recorder", ["coach.history_view", "coach.recorder"]),
    ("doses", ["coach.doses"]),
    ("progression", ["coach.progression"]),
    ("weekly plan", ["coach.weekly"]),
    ("programme", ["coach.programme"]),
    ("programme reading", ["coach.programme_io"]),
    ("proposals", ["coach.proposals"]),
    ("report exercises and sessions", ["coach.report_exercises", "coach.report_sessions"]),
    ("report figures", ["coach.report_data"]),
    ("report charts and words", ["coach.report_charts", "coach.report_words"]),
    ("report", ["coach.report"]),
    ("sound state", ["coach.sound_state"]),
    ("sound loading", ["coach.sound_loader"]),
    ("speech engines", ["coach.speech"]),
    ("sound and voice", ["coach.sound", "coach.voice"]),
    ("speaker", ["coach.speaker"]),
    ("runner ports", ["coach.runner_ports"]),
    ("runner", ["coach.runner"]),
    ("line input", ["coach.line_input"]),
    ("plain talk", ["coach.plain_talk"]),
    ("plain summary", ["coach.plain_summary"]),
    ("plain narration", ["coach.plain"]),
    ("testing", ["coach.testing"]),
    ("made-up histories", ["coach.testing_history"]),
    ("headless browser", ["coach.testing_browser"]),
    ("ui", ["coach.ui", "coach.ui.*"]),
    ("commands", ["coach.commands"]),
    ("programme commands", ["coach.programme_cli", "coach.report_cli"]),
    ("cli", ["coach.cli"]),
    ("entry", ["coach.__main__"]),
]

# The exception, a layer whose modules may import one another as long as they form no cycle:
# the UI (the app, its screens and widgets).
ONE_UNIT = {"ui"}

# Below this layer nothing may load Textual.
FIRST_TEXTUAL_LAYER = "ui"

PACKAGE = "coach"
ROOT = Path(coach.__file__).parent


# ------------------------------------------------------------------ reading the tree


@dataclass(frozen=True)
class Module:
    name: str
    path: Path
    is_package: bool
    shown: str  # its path from the directory that holds the package, for messages


@dataclass(frozen=True)
class Edge:
    source: str  # the importing module
    target: str  # the module imported
    line: int
    written: str  # the import statement
    where: str  # "", "in a function" or "under TYPE_CHECKING"


def find_modules(root: Path, package: str) -> dict[str, Module]:
    """Every .py file under the package's directory, by module name."""
    modules = {}
    for path in sorted(root.rglob("*.py")):
        parts = [package, *path.relative_to(root).with_suffix("").parts]
        is_package = parts[-1] == "__init__"
        if is_package:
            parts = parts[:-1]
        name = ".".join(parts)
        modules[name] = Module(name, path, is_package, path.relative_to(root.parent).as_posix())
    return modules


def parents(name: str) -> Iterator[str]:
    """'a.b.c' → 'a.b', 'a'."""
    while "." in name:
        name = name.rpartition(".")[0]
        yield name


def is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


class ImportReader(ast.NodeVisitor):
    """Every import in one module, with the module names it loads."""

    def __init__(self, module: Module, known: set[str], package: str) -> None:
        self.module = module
        self.known = known
        self.package = package
        self.where: list[str] = []
        self.edges: list[Edge] = []

    # Where an import sits: the innermost of a function and TYPE_CHECKING wins.
    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        self.where.append("in a function")
        self.generic_visit(node)
        self.where.pop()

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_If(self, node: ast.If) -> None:
        if is_type_checking(node.test):
            self.where.append("under TYPE_CHECKING")
            for child in node.body:
                self.visit(child)
            self.where.pop()
            for child in node.orelse:
                self.visit(child)
        else:
            self.generic_visit(node)

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self.add(node, alias.name)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        base = self.absolute(node)
        for alias in node.names:
            # `from X import Y` takes Y from X's __init__, unless Y is a module of its own.
            submodule = f"{base}.{alias.name}"
            self.add(node, submodule if submodule in self.known else base)

    def absolute(self, node: ast.ImportFrom) -> str:
        if node.level == 0:
            return node.module or ""
        name = self.module.name
        here = name if self.module.is_package else name.rpartition(".")[0]
        for _ in range(node.level - 1):
            here = here.rpartition(".")[0]
        return f"{here}.{node.module}" if node.module else here

    def add(self, node: ast.Import | ast.ImportFrom, name: str) -> None:
        if name != self.package and not name.startswith(self.package + "."):
            return  # not ours
        # A name that is no module of ours (a typo, a module yet to be written) counts as its
        # nearest package that is.
        target = next((n for n in [name, *parents(name)] if n in self.known), None)
        if target is None or target == self.module.name:
            return
        # Importing a module first imports every package it is in. The packages around the
        # importing module are already imported by then, so those add no dependency.
        own = set(parents(self.module.name))
        implied = {p for p in parents(target) if p in self.known and p not in own}
        where = self.where[-1] if self.where else ""
        written = ast.unparse(node)
        for imported in sorted({target, *implied}):
            edge = Edge(self.module.name, imported, node.lineno, written, where)
            if edge not in self.edges:  # `from X import a, b`: one dependency
                self.edges.append(edge)


def read_imports(modules: dict[str, Module], package: str) -> list[Edge]:
    known = set(modules)
    edges = []
    for module in modules.values():
        reader = ImportReader(module, known, package)
        reader.visit(ast.parse(module.path.read_text(encoding="utf-8"), str(module.path)))
        edges.extend(reader.edges)
    return edges


# ------------------------------------------------------------------ the checks


def layer_of(name: str, layers: Sequence[tuple[str, list[str]]]) -> int | None:
    """The index of the module's layer; an exact name wins over a `package.*` pattern."""
    for exact in (True, False):
        found = [
            index
            for index, (_, patterns) in enumerate(layers)
            for pattern in patterns
            if (pattern == name if exact else "*" in pattern and fnmatchcase(name, pattern))
        ]
        if found:
            return found[0]
    return None


def unlisted(modules: Iterable[str], layers: Sequence[tuple[str, list[str]]]) -> list[str]:
    return sorted(name for name in modules if layer_of(name, layers) is None)


def describe(name: str, layers: Sequence[tuple[str, list[str]]]) -> str:
    index = layer_of(name, layers)
    return f"{name} ({layers[index][0]}, layer {index + 1})" if index is not None else name


def upward_imports(
    edges: Iterable[Edge],
    modules: dict[str, Module],
    layers: Sequence[tuple[str, list[str]]],
    one_unit: set[str],
) -> list[str]:
    problems = []
    for edge in edges:
        own, other = layer_of(edge.source, layers), layer_of(edge.target, layers)
        if own is None or other is None:
            continue  # reported as unlisted
        if other < own or (other == own and layers[own][0] in one_unit):
            continue
        relation = "its own layer" if other == own else "a layer above"
        where = f" [{edge.where}]" if edge.where else ""
        problems.append(
            f"{modules[edge.source].shown}:{edge.line}: "
            f"{describe(edge.source, layers)} imports {describe(edge.target, layers)}, "
            f"{relation}: `{edge.written}`{where}"
        )
    return problems


def cycle_groups(edges: Iterable[Edge]) -> list[list[str]]:
    """The groups of modules that reach one another through imports (strongly connected)."""
    graph = graph_of(edges)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def connect(node: str) -> None:  # Tarjan's algorithm
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                connect(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            connect(node)
    return sorted(groups)


def graph_of(edges: Iterable[Edge]) -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for edge in edges:
        graph.setdefault(edge.source, set()).add(edge.target)
        graph.setdefault(edge.target, set())
    return graph


def cycles(edges: Iterable[Edge]) -> list[list[str]]:
    """One cycle through each group of `cycle_groups`, as a path a → … → a."""
    graph = graph_of(edges)
    return [cycle_in(group, graph) for group in cycle_groups(edges)]


def cycle_in(group: list[str], graph: dict[str, set[str]]) -> list[str]:
    """A shortest path from the group's first module back to itself, inside the group."""
    start, members = group[0], set(group)
    came_from: dict[str, str] = {}
    frontier = [start]
    while frontier:
        following = []
        for node in frontier:
            for nxt in sorted(graph[node] & members):
                if nxt == start:
                    path = [node]
                    while path[-1] != start:
                        path.append(came_from[path[-1]])
                    return [start, *reversed(path[:-1]), start]
                if nxt not in came_from:
                    came_from[nxt] = node
                    following.append(nxt)
        frontier = following
    raise AssertionError(f"no cycle in {group}")


def cycle_text(cycle: list[str], edges: Sequence[Edge]) -> str:
    """The cycle step by step, and the other modules caught in the same knot."""
    lines = {(e.source, e.target): e for e in edges}
    steps = []
    for source, target in pairwise(cycle):
        edge = lines[(source, target)]
        where = f", {edge.where}" if edge.where else ""
        steps.append(f"{source} → {target} (line {edge.line}{where})")
    group = next(g for g in cycle_groups(edges) if cycle[0] in g)
    others = sorted(set(group) - set(cycle))
    also = f" (in the same knot: {', '.join(others)})" if others else ""
    return "cycle: " + "; ".join(steps) + also


def below(modules: Iterable[str], layers: Sequence[tuple[str, list[str]]], first: str) -> list[str]:
    limit = [name for name, _ in layers].index(first)
    return sorted(
        name for name in modules if (index := layer_of(name, layers)) is not None and index < limit
    )


PROBE = (
    "import importlib, sys; importlib.import_module(sys.argv[1]); "
    "print(sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))[:1])"
)


def loading_textual(names: Iterable[str], path: Path | None = None) -> list[str]:
    """The modules that load Textual, each imported alone in a fresh interpreter."""
    env = dict(os.environ)
    if path is not None:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(path), env.get("PYTHONPATH")]))
    runs = {
        name: subprocess.Popen(
            [sys.executable, "-c", PROBE, name],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for name in names
    }
    problems = []
    for name, run in runs.items():
        out, err = run.communicate(timeout=60)
        if run.returncode != 0:
            problems.append(f"{name}: could not be imported on its own: {err.strip()[-300:]}")
        elif out.strip() != "[]":
            problems.append(f"{name} loads Textual when imported on its own")
    return problems


# ------------------------------------------------------------------ coach itself

MODULES = find_modules(ROOT, PACKAGE)
EDGES = read_imports(MODULES, PACKAGE)


def test_the_table_names_each_module_once() -> None:
    patterns = [pattern for _, group in LAYERS for pattern in group]
    assert len(patterns) == len(set(patterns))
    assert FIRST_TEXTUAL_LAYER in [name for name, _ in LAYERS]
    assert {name for name, _ in LAYERS} >= ONE_UNIT


def test_the_walk_finds_the_modules() -> None:
    assert {"coach", "coach.routine", "coach.session", "coach.ui.app", "coach.cli"} <= set(MODULES)
    assert any(edge.where == "under TYPE_CHECKING" for edge in EDGES)
    assert any(edge.where == "in a function" for edge in EDGES)


def test_every_module_has_a_layer() -> None:
    missing = unlisted(MODULES, LAYERS)
    assert not missing, "modules without a layer in LAYERS:\n" + "\n".join(missing)


def test_every_import_points_down() -> None:
    problems = upward_imports(EDGES, MODULES, LAYERS, ONE_UNIT)
    assert not problems, "imports that do not point down:\n" + "\n".join(problems)


def test_no_module_imports_itself_in_a_circle() -> None:
    found = [cycle_text(cycle, EDGES) for cycle in cycles(EDGES)]
    assert not found, "\n".join(found)


def test_nothing_below_the_ui_loads_textual() -> None:
    low = below(MODULES, LAYERS, FIRST_TEXTUAL_LAYER)
    assert "coach.session" in low and "coach.ui.app" not in low
    problems = loading_textual(low)
    assert not problems, "\n".join(problems)


# ------------------------------------------------------------------ the checks can fail

SMALL = [
    ("bottom", ["pkg", "pkg.base"]),
    ("middle", ["pkg.mid", "pkg.sub", "pkg.sub.*"]),
    ("top", ["pkg.top", "pkg.top.*"]),
]


def tree(tmp_path: Path, files: dict[str, str]) -> tuple[dict[str, Module], list[Edge]]:
    root = tmp_path / "pkg"
    for name, text in {"__init__.py": "", **files}.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    modules = find_modules(root, "pkg")
    return modules, read_imports(modules, "pkg")


def test_a_clean_small_tree_passes(tmp_path: Path) -> None:
    modules, edges = tree(
        tmp_path,
        {
            "base.py": "X = 1\n",
            "mid.py": "from pkg.base import X\n",
            "sub/__init__.py": "",
            "sub/leaf.py": "from ..base import X\nfrom . import sibling\n",
            "sub/sibling.py": "",
            "top.py": "import pkg.sub.leaf\nfrom pkg import mid\n",
        },
    )
    assert unlisted(modules, SMALL) == []
    assert upward_imports(edges, modules, SMALL, set()) == [
        "pkg/sub/leaf.py:2: pkg.sub.leaf (middle, layer 2) imports pkg.sub.sibling "
        "(middle, layer 2), its own layer: `from . import sibling`"
    ]
    assert upward_imports(edges, modules, SMALL, {"middle"}) == []
    targets = {(e.source, e.target) for e in edges}
    assert ("pkg.sub.leaf", "pkg.base") in targets  # relative, two dots
    assert ("pkg.top", "pkg.sub.leaf") in targets  # import a.b.c
    assert ("pkg.top", "pkg.sub") in targets  # … loads its package too
    assert ("pkg.top", "pkg.mid") in targets  # from a package import a module
    assert ("pkg.sub.leaf", "pkg.sub") not in targets  # its own package: no new dependency
    assert cycles(edges) == []


def test_an_upward_import_inside_a_function_is_found(tmp_path: Path) -> None:
    modules, edges = tree(
        tmp_path, {"base.py": "def f():\n    from pkg.top import T\n", "top.py": "T = 1\n"}
    )
    assert upward_imports(edges, modules, SMALL, set()) == [
        "pkg/base.py:2: pkg.base (bottom, layer 1) imports pkg.top (top, layer 3), a layer "
        "above: `from pkg.top import T` [in a function]"
    ]


def test_an_upward_import_under_type_checking_is_found(tmp_path: Path) -> None:
    modules, edges = tree(
        tmp_path,
        {
            "mid.py": (
                "from typing import TYPE_CHECKING\n"
                "if TYPE_CHECKING:\n"
                "    from pkg.top.app import App\n"
            ),
            "top/__init__.py": "",
            "top/app.py": "",
        },
    )
    problems = upward_imports(edges, modules, SMALL, set())
    assert [p.split(": ", 1)[0] for p in problems] == ["pkg/mid.py:3", "pkg/mid.py:3"]
    assert all(p.endswith("[under TYPE_CHECKING]") for p in problems)
    assert {p.split(" imports ")[1].split(" ")[0] for p in problems} == {"pkg.top", "pkg.top.app"}


def test_a_cycle_is_found(tmp_path: Path) -> None:
    modules, edges = tree(
        tmp_path,
        {
            "top/__init__.py": "",
            "top/a.py": "from pkg.top import b\n",
            "top/b.py": "def f():\n    from pkg.top.c import C\n",
            "top/c.py": "import pkg.top.a\n",
        },
    )
    assert upward_imports(edges, modules, SMALL, {"top"}) == []
    assert cycles(edges) == [["pkg.top.a", "pkg.top.b", "pkg.top.c", "pkg.top.a"]]
    assert cycle_text(cycles(edges)[0], edges) == (
        "cycle: pkg.top.a → pkg.top.b (line 1); pkg.top.b → pkg.top.c (line 2, in a function); "
        "pkg.top.c → pkg.top.a (line 1)"
    )


def test_an_unlisted_module_fails(tmp_path: Path) -> None:
    modules, _ = tree(tmp_path, {"base.py": "", "stray.py": "", "top/__init__.py": ""})
    assert unlisted(modules, SMALL) == ["pkg.stray"]


def test_a_low_module_that_loads_textual_is_found(tmp_path: Path) -> None:
    tree(tmp_path, {"base.py": "import textual.app\n", "mid.py": "import json\n"})
    low = below(["pkg", "pkg.base", "pkg.mid", "pkg.top"], SMALL, "top")
    assert low == ["pkg", "pkg.base", "pkg.mid"]
    assert loading_textual(low, tmp_path) == ["pkg.base loads Textual when imported on its own"]
