"""How lengths of time are written."""

from __future__ import annotations

import pytest

from coach.durations import ago, clock, minutes, plural, spoken


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (0, "0 s"),
        (59.4, "59 s"),
        (60, "1 min"),
        (3599, "59 min"),
        (3600, "1 h"),
        (11100, "3 h 5 min"),
    ],
)
def test_ago_is_coarse(seconds: float, text: str) -> None:
    assert ago(seconds) == text


def test_spoken_clock_and_minutes() -> None:
    assert (spoken(90), spoken(120), spoken(30)) == ("1 min 30 s", "2 min", "30 s")
    assert (clock(65.4), minutes(20), minutes(0)) == ("1:05", "1 min", "self-paced")


@pytest.mark.parametrize(
    ("count", "text"),
    [(0, "0 exercises"), (1, "1 exercise"), (2, "2 exercises"), (1200, "1,200 exercises")],
)
def test_counts_agree_with_their_word(count: int, text: str) -> None:
    assert plural(count, "exercise") == text
