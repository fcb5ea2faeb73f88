"""How lengths of time, and counts of things, are written for people."""

from __future__ import annotations


def minutes(seconds: float) -> str:
    """Whole minutes for lists; never "0 min" for a routine that takes any time."""
    if seconds <= 0:
        return "self-paced"
    return f"{max(1, round(seconds / 60))} min"


def clock(seconds: float) -> str:
    """m:ss, rounded to the second."""
    whole = max(0, round(seconds))
    return f"{whole // 60}:{whole % 60:02d}"


def spoken(seconds: float) -> str:
    """ "30 s", "2 min", "1 min 30 s": for dosages and totals."""
    whole = max(0, round(seconds))
    mins, secs = divmod(whole, 60)
    if not mins:
        return f"{secs} s"
    return f"{mins} min {secs} s" if secs else f"{mins} min"


def seconds_text(value: float) -> str:
    """2 → "2", 2.5 → "2.5"."""
    return f"{value:g}"


def ago(seconds: float) -> str:
    """How long ago, as coarse as a person says it: "40 s", "12 min", "3 h 5 min"."""
    whole = max(0, round(seconds))
    if whole < 60:
        return f"{whole} s"
    mins = whole // 60
    if mins < 60:
        return f"{mins} min"
    hours, mins = divmod(mins, 60)
    return f"{hours} h {mins} min" if mins else f"{hours} h"


def plural(count: int, word: str) -> str:
    """ "1 exercise", "3 exercises", "1,200 sessions"."""
    return f"{count:,} {word}{'' if count == 1 else 's'}"
