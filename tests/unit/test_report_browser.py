"""The report page in a real browser: headless Chromium opens a report of a made-up four-week
history; its DOM holds the figures the report worked out, and it prints on at most two pages.

Without a Chromium the tests are skipped and say why (COACH_CHROMIUM names one, else chromium,
chromium-browser, google-chrome, … on PATH). A browser that is there but fails fails the test.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import TypeVar

import pytest

from coach.catalog import resolve
from coach.history.model import DoseChange, SessionDetail
from coach.history.sqlite import FILE_NAME, HistoryStore
from coach.report import NOTE_ROWS, SESSION_ROWS
from coach.report_cli import cmd_report, gather
from coach.report_data import Report
from coach.report_words import short_day, time_text, when
from coach.testing_browser import (
    SKIP_REASON,
    BrowserError,
    dump_dom,
    find_chromium,
    print_pdf,
)
from coach.testing_history import programme_history

NOW = datetime(2026, 6, 14, 20, 0).astimezone()
"""A Sunday evening: four whole weeks of sessions, the longest page four weeks can make."""
WEEKS = 4
T = TypeVar("T")


# ----------------------------------------------------------------------------- the page


@dataclass(frozen=True)
class Made:
    page: Path
    report: Report
    details: list[SessionDetail]  # the sessions of the period, as the history has them
    changes: list[DoseChange]
    data: Path


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> Made:
    """A four-week history of low-back and pre-run, and the page `coach report` writes of it."""
    folder = tmp_path_factory.mktemp("report")
    data = folder / "data"
    data.mkdir()
    store = HistoryStore.open(data / FILE_NAME)
    try:
        programme_history(
            store, resolve("low-back", data), resolve("pre-run", data), NOW.date(), weeks=WEEKS
        )
    finally:
        store.close()
    page = folder / "report.html"
    code = cmd_report(
        data, [], weeks=WEEKS, output=str(page), open_page=False, form="html", now=NOW
    )
    assert code == 0 and page.is_file()
    report, _ = gather(data, [], WEEKS, NOW)
    with HistoryStore.open(data / FILE_NAME) as store:
        details = store.between(report.period.first, report.period.today)
        changes = store.dose_changes()
    return Made(page, report, details, changes, data)


@pytest.fixture(scope="module")
def browser() -> str:
    try:
        found = find_chromium()
    except BrowserError as err:
        pytest.fail(str(err), pytrace=False)
    if found is None:
        pytest.skip(SKIP_REASON)
    return found


def in_browser(run: Callable[[], T]) -> T:
    """A browser run's result; its failure, with what it said, fails the test."""
    try:
        return run()
    except BrowserError as err:
        pytest.fail(str(err), pytrace=False)


# ----------------------------------------------------------------------------- reading the DOM


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


@dataclass
class Node:
    tag: str
    attrs: dict[str, str]
    children: list[Node | str] = field(default_factory=list)

    @property
    def classes(self) -> list[str]:
        return self.attrs.get("class", "").split()

    def text(self) -> str:
        """Its text with white space made single, as a person reads it."""
        parts = [c if isinstance(c, str) else c.text() for c in self.children]
        return " ".join("".join(parts).split())

    def below(self) -> Iterator[Node]:
        """Every element inside it, in document order."""
        for child in self.children:
            if isinstance(child, Node):
                yield child
                yield from child.below()

    def all(self, tag: str | None = None, cls: str | None = None) -> list[Node]:
        return [
            n
            for n in self.below()
            if (tag is None or n.tag == tag) and (cls is None or cls in n.classes)
        ]

    def one(self, tag: str | None = None, cls: str | None = None) -> Node:
        found = self.all(tag, cls)
        assert len(found) == 1, f"{len(found)} <{tag or '*'} class={cls}> in <{self.tag}>"
        return found[0]


class TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {})
        self.open = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs})
        self.open[-1].children.append(node)
        if tag not in VOID:
            self.open.append(node)

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.open) - 1, 0, -1):
            if self.open[depth].tag == tag:
                del self.open[depth:]
                return

    def handle_data(self, data: str) -> None:
        self.open[-1].children.append(data)


def parse(html: str) -> Node:
    builder = TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.root


def section(dom: Node, cls: str) -> Node:
    return dom.one("section", cls)


def rows(table: Node) -> list[list[Node]]:
    """The body rows of a table, each as its cells (th and td)."""
    body = table.one("tbody")
    return [[c for c in tr.children if isinstance(c, Node)] for tr in body.all("tr")]


# ----------------------------------------------------------------------------- the tests


def test_the_dom_holds_the_figures_of_the_report(browser: str, made: Made, tmp_path: Path) -> None:
    html = in_browser(lambda: dump_dom(browser, made.page, tmp_path / "profile"))
    dom = parse(html)
    report, t = made.report, made.report.totals
    assert not report.empty and t.planned_so_far > 0

    # Nothing runs and nothing is fetched: no script, image, frame or outside style.
    for tag in ("script", "img", "iframe", "link", "object", "embed"):
        assert dom.all(tag) == [], f"<{tag}> in the page"
    assert dom.one("h1").text() == "Home exercise report"

    figures = [f.one("b").text() for f in section(dom, "figures").all("div", "figure")]
    assert figures == [
        str(t.sessions),
        f"{t.kept} of {t.planned_so_far}",
        time_text(t.minutes),
        f"{t.pain_before:.1f} → {t.pain_after:.1f}",
        f"{t.effort:.1f}",
        f"{t.sets_done} / {t.sets_skipped}",
    ]

    # The calendar: a row a week, each day coloured by how it went against the plan.
    calendar = rows(section(dom, "calendar").one("table"))
    assert len(calendar) == len(report.weeks) == WEEKS
    for cells, week in zip(calendar, report.weeks, strict=True):
        assert cells[0].text().startswith(week.label)
        if week.planned_so_far:
            assert f"{week.kept} of {week.planned_so_far} kept" in cells[0].text()
        assert [c.classes for c in cells[1:]] == [[d.state] for d in week.days]
    states = {d.state for w in report.weeks for d in w.days}
    assert {"kept", "missed", "extra"} <= states  # the history has each of them

    # Week by week: the label, the sessions and the plan kept of each week.
    weekly = rows(dom.one("section", "weeks").one("table"))
    assert len(weekly) == len(report.weeks)
    assert all(r[0].text().startswith(w.label) for r, w in zip(weekly, report.weeks, strict=True))
    assert [r[1].text() for r in weekly] == [str(w.sessions) for w in report.weeks]

    # The pain chart: a dot for every pain before and after the history has in the period.
    chart = section(dom, "pain").one("svg")
    assert len(chart.all("circle", "before")) == sum(
        1 for d in made.details if d.session.pain_before is not None
    )
    assert len(chart.all("circle", "after")) == sum(
        1 for d in made.details if d.session.pain_after is not None
    )

    # Sessions: every one (as many as the page lists), the interrupted and stopped ones marked.
    listed = rows(section(dom, "sessions").one("table"))
    assert len(made.details) == len(report.sessions)
    assert len(listed) == min(len(report.sessions), SESSION_ROWS)
    marked = {r[0].text(): r[-1].text() for r in listed}
    for s in report.sessions:
        if s.status == "interrupted":
            assert "interrupted" in marked[when(s)]
        if s.status == "stopped":
            assert "stopped early" in marked[when(s)]
        if s.resumed:
            assert "resumed" in marked[when(s)]
    assert {"interrupted", "stopped"} <= {s.status for s in report.sessions}

    # Exercises: each with its sets, and the first step up of a dose, with its date and reason.
    exercises = section(dom, "exercises")
    names = [r[1].text() for r in rows(exercises.one("table"))]
    assert [n[: len(e.key)] for n, e in zip(names, report.exercises, strict=True)] == [
        e.key for e in report.exercises
    ]
    first = min(made.changes, key=lambda c: c.at)
    routine = resolve(first.routine_id, made.data).routine
    exercise = next(e for e in routine.exercises if e.name == first.exercise)
    assert first.before.reps == exercise.reps  # it steps up from the routine file's dose
    words = f"{first.before.reps} → {first.after.reps} reps"
    changes = [c.text() for c in exercises.all("div", "change")]
    line = next(c for c in changes if f"{short_day(first.at.astimezone().date())}: {words}" in c)
    assert line.startswith("Changed ") and line.endswith(f" — {first.reason}")

    # Notes: every note of the period, with its day.
    notes = [p.text() for p in section(dom, "notes").all("p")]
    written = [(d.session.started_at, d.session.note) for d in made.details if d.session.note]
    assert 0 < len(written) <= NOTE_ROWS
    for started, note in written:
        assert any(
            p.startswith(short_day(started.astimezone().date())) and note in p for p in notes
        )


def test_the_page_prints_on_one_or_two_pages(browser: str, made: Made, tmp_path: Path) -> None:
    pdf = tmp_path / "report.pdf"
    data = in_browser(lambda: print_pdf(browser, made.page, pdf, tmp_path / "profile"))
    pages = pdf_pages(data)
    assert 1 <= pages <= 2, f"the report prints on {pages} pages"


def pdf_pages(data: bytes) -> int:
    """The pages of a PDF: its page objects, checked against the page tree's count."""
    objects = len(re.findall(rb"/Type\s*/Page(?![A-Za-z0-9])", data))
    trees = re.findall(
        rb"<<(?:(?!<<|>>).)*?/Type\s*/Pages(?![A-Za-z0-9])(?:(?!<<|>>).)*>>", data, re.S
    )
    counts = [int(m) for tree in trees for m in re.findall(rb"/Count\s+(\d+)", tree)]
    if counts:
        assert max(counts) == objects, f"{objects} page objects, the page tree counts {max(counts)}"
    return objects


def test_pages_are_counted_from_page_objects() -> None:
    two = b"<</Type /Pages /Kids [3 0 R 4 0 R] /Count 2>>\n<</Type /Page>>\n<</Type/Page /X 1>>"
    assert pdf_pages(two) == 2
    with pytest.raises(AssertionError):
        pdf_pages(b"<</Type /Pages /Count 3>> <</Type /Page>>")
    assert pdf_pages(b"%PDF-1.4 nothing") == 0
