"""What the coach says, and when: a coach's words for the moments of a session.

At a get-ready the voice names the exercise, the working leg and the dose; at each rep's start
the count ("three", "last one"); at a switch the new working leg; at a rest how long and what
comes next; halfway through a long hold the time left; at the end the finish. Each moment has
a few forms, longest first: the speaker says the first one that ends before the next sound of
the session (`room`), so a phrase never runs over a beep or another phrase. A moment whose
forms are all too long keeps its beep.

A routine can give an exercise its own words (`say:`): they replace the name and the dose at
its get-ready; the coach still says which leg works, since the person may have chosen to start
on the other side.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from coach.plan import Plan, Step
from coach.routine import Exercise, Routine
from coach.session import HALFWAY_MIN_SECONDS, Event, EventKind, rep_edges
from coach.sides import side_said_short, side_sentence, side_short

_ONES = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_TENS = ["_", "_", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def number_words(n: int) -> str:
    """0–999 in words ('twenty-one', 'one hundred and five'); digits beyond."""
    if n < 0 or n > 999:
        return str(n)
    if n < 20:
        return _ONES[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return _TENS[tens] + (f"-{_ONES[ones]}" if ones else "")
    hundreds, rest = divmod(n, 100)
    return f"{_ONES[hundreds]} hundred" + (f" and {number_words(rest)}" if rest else "")


def seconds_said(seconds: float) -> str:
    """'two seconds', 'one minute thirty seconds', '2.5 seconds'."""
    if seconds != int(seconds):
        return f"{seconds:g} seconds"
    mins, secs = divmod(int(seconds), 60)
    parts = []
    if mins:
        parts.append(f"{number_words(mins)} minute{'s' if mins != 1 else ''}")
    if secs or not mins:
        parts.append(f"{number_words(secs)} second{'s' if secs != 1 else ''}")
    return " ".join(parts)


def _sentence(text: str) -> str:
    """Capitalised, ending in a full stop (unless it ends in other punctuation)."""
    text = " ".join(text.split())
    if not text:
        return ""
    text = text[0].upper() + text[1:]
    return text if text[-1] in ".!?" else text + "."


@dataclass(frozen=True)
class Phrase:
    """What to say at one moment: `forms` longest first; say the first that fits."""

    moment: str  # get_ready, count, switch, rest, halfway, finish
    forms: tuple[str, ...]


class Phrasebook:
    """The phrases of one routine's plan, and the time each moment leaves for them."""

    def __init__(self, plan: Plan, routine: Routine) -> None:
        self.plan = plan
        self.routine = routine
        self._starts, _ = rep_edges(plan.steps)

    # ------------------------------------------------------------------ what to say

    def for_events(self, events: Sequence[Event]) -> Phrase | None:
        """The phrase for events that happened at one moment, or None for silence (the beep
        stays). The finish wins, then a switch, a rest, a get-ready, a halfway, a rep."""
        kinds = {e.kind: e for e in events}
        if EventKind.SESSION_DONE in kinds:
            return self.finish()
        for kind in (EventKind.SIDE_SWITCH, EventKind.REST_STARTED):
            if kind in kinds:
                return self.at_step(kinds[kind].index)
        started = [e for e in events if e.kind is EventKind.STEP_STARTED]
        if started and started[-1].step.phase == "ready":
            return self.at_step(started[-1].index)
        if EventKind.HALFWAY in kinds:
            return self.halfway(kinds[EventKind.HALFWAY].count or 0)
        if EventKind.REP_STARTED in kinds:
            return self.at_step(kinds[EventKind.REP_STARTED].index)
        return None

    def at_step(self, index: int) -> Phrase | None:
        """The phrase said as step `index` starts, if it calls for one."""
        step = self.plan.steps[index]
        if step.phase == "ready":
            return self.get_ready(step)
        if step.phase == "switch":
            return self.switch(step)
        if step.phase == "rest":
            return self.rest(index)
        if self._starts[index]:
            return self.count(index)
        return None

    def get_ready(self, step: Step) -> Phrase:
        ex = self._exercise(step)
        name = _sentence(step.exercise)
        side = side_sentence(self._first_side(step), step.side_is)
        if ex.say.strip():
            full = f"{_sentence(ex.say)} {side}"
        else:
            full = f"{name} {side} {_sentence(dose_said(ex))}"
        forms = [" ".join(full.split()), f"{name} {side}".strip()]
        short = side_said_short(self._first_side(step), step.side_is)
        forms += [f"{name} {short}".strip(), name]
        return Phrase("get_ready", _unique(forms))

    def count(self, index: int) -> Phrase | None:
        """At a rep's start: its number ("Three.", "Last one."), with the leg when the sides
        alternate; at the first rep of a new direction, the direction first."""
        step = self.plan.steps[index]
        rep = step.rep or 1
        block = None if step.block is None else self.plan.blocks[step.block]
        alternate = self._exercise(step).sides == "alternate" and step.side is not None
        new_direction = step.direction and block is not None and block.start == index
        forms: list[str] = []
        if step.reps > 1 or alternate:
            word = "last one" if rep == step.reps and step.reps > 1 else number_words(rep)
            forms = [_sentence(word)]
            if alternate:
                leg = side_short(step.side, step.side_is)
                forms = [_sentence(f"{word}, {leg}"), _sentence(word), _sentence(leg)]
        if new_direction:  # the direction matters more than the count: it leads each form
            way = _sentence(step.direction or "")
            forms = [f"{way} {form}" for form in forms[:2]] + [way] + forms
        return Phrase("count", _unique(forms)) if forms else None  # one rep: its beep says go

    def switch(self, step: Step) -> Phrase:
        if step.side is None:
            return Phrase("switch", ("Switch sides.",))
        forms = (
            f"Switch sides. {side_sentence(step.side, step.side_is)}",
            f"Switch. {side_said_short(step.side, step.side_is)}",
            "Switch.",
        )
        return Phrase("switch", _unique(forms))

    def rest(self, index: int) -> Phrase:
        step = self.plan.steps[index]
        what = "Relax" if step.rest_kind == "relax" else "Rest"
        how_long = f"{what} {seconds_said(step.seconds or 0)}."
        forms = [how_long, f"{what}."]
        coming = self._after_rest(index)
        if coming:
            forms.insert(0, f"{how_long} Next, {coming}.")
        return Phrase("rest", _unique(forms))

    def halfway(self, seconds_left: int) -> Phrase:
        return Phrase("halfway", (_sentence(f"{seconds_said(seconds_left)} left"), "Halfway."))

    def finish(self) -> Phrase:
        return Phrase("finish", ("That's the routine done. Well done.", "Well done."))

    def every_phrase(self) -> list[str]:
        """Every form this plan may call for, each once, in the order they are first needed:
        what to render before the session needs it."""
        seen: dict[str, None] = {}
        for phrase in self._phrases():
            for form in phrase.forms:
                seen.setdefault(form, None)
        return list(seen)

    # ------------------------------------------------------------------ when

    def room(self, index: int, offset: float = 0.0) -> float | None:
        """Seconds from `offset` seconds into step `index` until the session next makes a
        sound of its own (a hold's end, a halfway, the next rep, rest, switch, get-ready or
        the finish). The 3-2-1 ticks do not count: a phrase that covers them leaves them out.
        None when a self-paced rep comes first: the person sets the time."""
        steps = self.plan.steps
        total = 0.0
        j = index
        while j < len(steps):
            step = steps[j]
            if step.seconds is None:
                return None
            begin = offset if j == index else 0.0
            marks = []
            if step.phase == "hold" and step.seconds >= HALFWAY_MIN_SECONDS:
                marks.append(step.seconds / 2)
            later = [m - begin for m in marks if m > begin + 1e-9]
            if later:
                return total + min(later)
            total += max(0.0, step.seconds - begin)
            j += 1
            if step.phase == "hold" or j >= len(steps):
                return total
            if steps[j].phase in ("ready", "rest", "switch") or self._starts[j]:
                return total
        return total

    # ------------------------------------------------------------------ internals

    def _exercise(self, step: Step) -> Exercise:
        return self.routine.exercises[step.exercise_index]

    def _first_side(self, step: Step) -> str | None:
        """The side of the exercise's first block (a get-ready has no side of its own)."""
        blocks = self.plan.exercise_blocks(step.exercise_index)
        return blocks[0].side if blocks else step.side

    def _after_rest(self, index: int) -> str:
        steps = self.plan.steps
        if index + 1 >= len(steps):
            return ""
        rest, after = steps[index], steps[index + 1]
        if after.phase == "ready" or after.exercise_index != rest.exercise_index:
            return after.exercise
        if rest.rest_kind == "relax" or after.set is None or after.sets <= 1:
            return ""
        return f"set {number_words(after.set)} of {number_words(after.sets)}"

    def _phrases(self) -> Iterator[Phrase]:
        for index, step in enumerate(self.plan.steps):
            phrase = self.at_step(index)
            if phrase is not None:
                yield phrase
            if step.phase == "hold" and (step.seconds or 0) >= HALFWAY_MIN_SECONDS:
                yield self.halfway(round((step.seconds or 0) / 2))
        yield self.finish()


def dose_said(ex: Exercise) -> str:
    """The dose as a coach says it: 'two sets of ten reps, each side, hold two seconds'."""
    reps = f"{number_words(ex.reps)} rep{'s' if ex.reps != 1 else ''}"
    if ex.hold and ex.reps == 1:
        reps = "one hold"
    if ex.sets > 1:
        reps = f"{number_words(ex.sets)} sets of {reps}"
    parts = [reps]
    if ex.directions:
        parts.append(", then ".join(ex.directions))
    if ex.sides != "none":
        parts.append("each side, alternating" if ex.sides == "alternate" else "each side")
    if ex.hold:
        parts.append(f"hold {seconds_said(ex.hold)}")
    if ex.self_paced:
        parts.append("at your own pace")
    return ", ".join(parts)


def _unique(forms: Sequence[str]) -> tuple[str, ...]:
    """The forms, each once, as an engine should get them: control characters (an escape byte
    in a name, say) left out and white space made single."""
    clean = (
        " ".join("".join(c for c in f if c.isprintable() or c.isspace()).split()) for f in forms
    )
    return tuple(dict.fromkeys(f for f in clean if f))
