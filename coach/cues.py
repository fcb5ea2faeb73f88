"""Which cue a moment of the session calls for: one table from engine events to cue names."""

from __future__ import annotations

from collections.abc import Sequence

from coach.session import Event, EventKind

# The one table that turns engine events into cues. When several events fall on the same
# moment, the cue listed first wins, so a moment never plays two sounds at once.
CUE_FOR_EVENT: tuple[tuple[EventKind, str], ...] = (
    (EventKind.SESSION_DONE, "finish"),
    (EventKind.SIDE_SWITCH, "switch"),
    (EventKind.REST_STARTED, "rest"),
    (EventKind.HOLD_DONE, "hold_done"),
    (EventKind.REP_STARTED, "go"),
    (EventKind.COUNTDOWN, "tick"),
)
TICKING_PHASES = frozenset({"ready", "rest", "switch"})
"""Phases whose last 3, 2, 1 seconds tick; holds end with their own cue instead."""


def cue_for(events: Sequence[Event]) -> str | None:
    """The cue for events that happened at one moment, or None for silence."""
    kinds = {
        e.kind
        for e in events
        if e.kind is not EventKind.COUNTDOWN or e.step.phase in TICKING_PHASES
    }
    return next((cue for kind, cue in CUE_FOR_EVENT if kind in kinds), None)
