"""What a benchmark hands back, the machine it ran on, and the printed table."""

from __future__ import annotations

import os
import platform
import statistics
import sys
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class Row:
    """One figure: a value against a reference from the same run, and its goal.

    `better` says which way is good: "lower" for times and sizes. `goal` is compared with the
    ratio when `goal_is_ratio`, else with the value itself. A row without a goal just informs.
    """

    name: str
    value: float | None
    unit: str
    reference: float | None = None
    reference_name: str = ""
    goal: float | None = None
    goal_is_ratio: bool = True
    strict: bool = False  # the goal is "<" rather than "≤"
    note: str = ""

    @property
    def ratio(self) -> float | None:
        if self.value is None or not self.reference:
            return None
        return self.value / self.reference

    @property
    def met(self) -> bool | None:
        if self.goal is None:
            return None
        measured = self.ratio if self.goal_is_ratio else self.value
        if measured is None:
            return None
        return measured < self.goal if self.strict else measured <= self.goal

    def goal_text(self) -> str:
        if self.goal is None:
            return "—"
        sign = "<" if self.strict else "≤"
        return (
            f"{sign} {self.goal:g}×" if self.goal_is_ratio else f"{sign} {self.goal:g} {self.unit}"
        )

    def to_json(self) -> dict[str, Any]:
        out = asdict(self)
        out.update(ratio=self.ratio, met=self.met, goal_text=self.goal_text())
        return out


@dataclass
class Figure:
    number: int
    title: str
    rows: list[Row] = field(default_factory=list)
    method: str = ""
    runs: dict[str, Any] = field(default_factory=dict)
    error: str | None = None
    seconds: float = 0.0

    def to_json(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "title": self.title,
            "method": self.method,
            "rows": [row.to_json() for row in self.rows],
            "runs": self.runs,
            "error": self.error,
            "seconds": round(self.seconds, 2),
        }


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def percentile(values: Sequence[float], share: float) -> float:
    """The nearest-rank percentile (share 0.99 → p99); the largest value for small samples."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), -(-len(ordered) * share // 1)))
    return ordered[int(rank) - 1]


def machine() -> dict[str, Any]:
    model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:
        usable = os.cpu_count() or 0
    return {
        "cpu": model,
        "cores": os.cpu_count(),
        "usable_cores": usable,
        "python": platform.python_version(),
        "implementation": sys.implementation.name,
        "os": f"{platform.system()} {platform.release()}",
        "libc": " ".join(platform.libc_ver()).strip(),
    }


def _number(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "B":
        return f"{value / 2**20:.1f} MiB"
    if abs(value) >= 100:
        return f"{value:.0f} {unit}"
    if abs(value) >= 10:
        return f"{value:.1f} {unit}"
    return f"{value:.2f} {unit}"


def table(figures: Sequence[Figure], info: dict[str, Any], mode: str) -> str:
    lines = [
        f"coach benchmarks ({mode})",
        f"machine: {info['cpu']} · {info['cores']} cores ({info['usable_cores']} usable) · "
        f"Python {info['python']} · {info['os']}",
        "",
    ]
    head = ("figure", "value", "reference", "ratio", "goal", "met")
    widths = (40, 12, 24, 7, 10, 4)
    rule = "  ".join("-" * w for w in widths)
    lines += ["  ".join(h.ljust(w) for h, w in zip(head, widths, strict=True)), rule]
    for figure in figures:
        lines.append(f"{figure.number}. {figure.title}")
        if figure.error:
            lines.append(f"   FAILED: {figure.error}")
            continue
        for row in figure.rows:
            ratio = "—" if row.ratio is None else f"{row.ratio:.2f}×"
            reference = _number(row.reference, row.unit)
            if row.reference_name and row.reference is not None:
                reference = f"{reference} {row.reference_name}"
            met = {True: "yes", False: "NO", None: "—"}[row.met]
            value = _number(row.value, row.unit)
            cells = (f"   {row.name}", value, reference, ratio, row.goal_text(), met)
            lines.append("  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)))
            if row.note:
                lines.append(f"      {row.note}")
        if figure.method:
            lines.append(f"   ({figure.method}; {figure.seconds:.0f} s)")
    missed = [
        f"{figure.number}. {row.name}"
        for figure in figures
        for row in figure.rows
        if row.met is False
    ]
    lines.append(rule)
    lines.append("goals missed: " + (", ".join(missed) if missed else "none"))
    return "\n".join(lines)
