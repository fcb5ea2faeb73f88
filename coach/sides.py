"""A side in words: the one place that says which leg works and how to say it.

A routine names a side of each exercise as the file gives it (`left`, `right`), and says what
that side names with `side_is`:

- `working` (the default): the leg that works — "Left leg works".
- `lying_on`: the side you lie on, so the *other* leg works (a clamshell lying on your left
  side works the right leg) — "Right leg works · lying on your left side".
- `kneeling`: the knee that is down; the stretch is in the front of that hip — "Left knee
  down · stretching the left hip".
- `leading`: the foot that leads (a monster walk) — "Left foot leads".

Every surface that shows or says a side (the session screen, plain narration, `coach plan`,
the summary, history and export) takes its words from here, so a later voice can too.
"""

from __future__ import annotations

SIDE_IS = ("working", "lying_on", "kneeling", "leading")
"""What a side can name, as routine files write it."""


def other_side(side: str) -> str:
    return "right" if side == "left" else "left"


def working_side(side: str | None, side_is: str = "working") -> str | None:
    """The side of the leg (or hip) that works: the other one when the side is the one lain
    on; the side itself otherwise (the knee that is down stretches that hip; the leading foot's
    leg works)."""
    if side is None:
        return None
    return other_side(side) if side_is == "lying_on" else side


def side_words(side: str | None, side_is: str = "working", short: bool = False) -> str:
    """The side in words, starting with a capital: 'Right leg works · lying on your left side',
    or in the short form for a small screen 'Right leg'. Empty when there is no side."""
    if side is None:
        return ""
    if side_is == "kneeling":
        if short:
            return f"{side.capitalize()} knee down"
        return f"{side.capitalize()} knee down · stretching the {side} hip"
    if side_is == "leading":
        return f"{side.capitalize()} foot leads"
    leg = working_side(side, side_is) or side
    if short:
        return f"{leg.capitalize()} leg"
    if side_is == "lying_on":
        return f"{leg.capitalize()} leg works · lying on your {side} side"
    return f"{leg.capitalize()} leg works"


def side_works(side: str | None, side_is: str = "working") -> str:
    """The side in lower case for inside a line, without the side lain on: 'right leg works',
    'left knee down', 'left foot leads'. Empty when there is no side."""
    words = side_words(side, side_is).split(" · ")[0]
    return words[:1].lower() + words[1:]


def side_short(side: str | None, side_is: str = "working") -> str:
    """The short form in lower case, for inside a sentence or a table: 'right leg'."""
    words = side_words(side, side_is, short=True)
    return words[:1].lower() + words[1:]


def _new_side(side: str, side_is: str) -> str:
    """The new side after a switch, as said after 'now' or 'switch to'."""
    if side_is == "kneeling":
        return f"your {side} knee down"
    if side_is == "leading":
        return f"your {side} foot leading"
    leg = working_side(side, side_is) or side
    if side_is == "lying_on":
        return f"your {leg} leg · lie on your {side} side"
    return f"your {leg} leg"


def switch_words(side: str | None, side_is: str = "working") -> str:
    """The switch cue, naming the new working leg: 'Switch: now your left leg'."""
    if side is None:
        return "Switch sides"
    return f"Switch: now {_new_side(side, side_is)}"


def switch_to_words(side: str | None, side_is: str = "working") -> str:
    """What a switch coming up goes to, for the Next line: 'switch to your left leg'."""
    if side is None:
        return "switch sides"
    return f"switch to {_new_side(side, side_is)}"


def side_sentence(side: str | None, side_is: str = "working") -> str:
    """The side as a coach says it, a whole sentence: 'Lie on your left side; your right leg
    works.' Empty when there is no side."""
    if side is None:
        return ""
    if side_is == "kneeling":
        return f"Your {side} knee down; the stretch is in your {side} hip."
    if side_is == "leading":
        return f"Your {side} foot leads."
    leg = working_side(side, side_is) or side
    if side_is == "lying_on":
        return f"Lie on your {side} side; your {leg} leg works."
    return f"Your {leg} leg works."


def side_said_short(side: str | None, side_is: str = "working") -> str:
    """The fewest words that still name the side: 'Right leg.', 'Left knee down.'."""
    if side is None:
        return ""
    return side_words(side, side_is, short=True) + "."
