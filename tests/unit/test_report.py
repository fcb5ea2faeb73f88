"""The physiotherapist's report: its figures from a made-up history, and the page and text made
of them (escaped, self-contained)."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest

from coach.catalog import resolve
from coach.history.model import Schedule, SetRecord
from coach.history.sqlite import MemoryStore
from coach.report import NOTE_ROWS, SESSION_ROWS, render_html, render_text
from coach.report_data import NOTE_LIMIT, Report, build_report, period_of
from coach.report_exercises import dose_text
from coach.routine import RoutineEntry
from coach.testing_history import Visit, programme_history, write_visit

TODAY = date(2026, 11, 18)  # a Wednesday
ZONE = datetime.now().astimezone().tzinfo


def entries(data_dir: Path) -> tuple[RoutineEntry, RoutineEntry]:
    return resolve("low-back", data_dir), resolve("pre-run", data_dir)


def report_of(store: MemoryStore, weeks: int = 4, routines: list[str] | None = None) -> Report:
    period = period_of(TODAY, weeks)
    return build_report(
        period,
        store.between(period.first, period.today, routines),
        made=datetime.combine(TODAY, time(20, 0), ZONE),
        titles={"low-back": "Hip strength for low back pain", "pre-run": "Pre-run hip warm-up"},
        schedules=store.schedules(),
        changes=store.dose_changes(),
        routine_ids=routines,
        ever=store.count(),
        started=store.first_day(routines),
    )


@pytest.fixture
def two_weeks(data_dir: Path) -> MemoryStore:
    store = MemoryStore()
    programme_history(store, *entries(data_dir), TODAY, weeks=2)
    return store


def test_the_period_is_whole_weeks_ending_with_this_one() -> None:
    period = period_of(TODAY, 4)
    assert (period.first, period.last, period.weeks) == (date(2026, 10, 26), date(2026, 11, 22), 4)
    assert period.first.weekday() == 0 and period.last.weekday() == 6


def test_the_calendar_sets_each_day_against_the_plan(two_weeks: MemoryStore) -> None:
    report = report_of(two_weeks)
    cells = {d.day: d for w in report.weeks for d in w.days}
    # The history starts on Monday 9 November: the two weeks before count no plan.
    assert cells[date(2026, 11, 2)].state == "before"
    assert report.weeks[0].planned_so_far == 0 and report.weeks[1].planned_so_far == 0
    assert cells[date(2026, 11, 9)].state == "kept"  # low-back, Monday
    assert cells[date(2026, 11, 11)].state == "missed"  # the first Wednesday
    assert cells[date(2026, 11, 15)].state == "extra"  # a Sunday run, not planned
    assert cells[date(2026, 11, 12)].state == "rest"
    assert cells[TODAY].state == "kept"  # today's session is done
    assert cells[date(2026, 11, 20)].state == "to-come"
    week = report.weeks[2]
    assert (week.planned, week.planned_so_far, week.kept, week.extra) == (5, 5, 4, 1)
    assert report.weeks[3].planned_so_far == 3  # Monday, Tuesday and today, Wednesday
    assert report.weeks[3].planned == 5


def test_the_figures_add_up(two_weeks: MemoryStore) -> None:
    report = report_of(two_weeks)
    counting = [s for s in report.sessions if s.counted]  # a resumed workout counts once
    assert report.totals.sessions == len(counting) == sum(w.sessions for w in report.weeks)
    assert report.totals.kept == sum(w.kept for w in report.weeks)
    both = [s for s in report.sessions if s.pain_before is not None and s.pain_after is not None]
    assert 0 < len(both) == report.totals.paired < len(report.sessions)  # one was interrupted
    before = [s.pain_before or 0 for s in both]
    assert report.totals.pain_before == pytest.approx(sum(before) / len(before))
    minutes = sum(s.minutes or 0 for s in report.sessions)
    assert report.totals.minutes == pytest.approx(minutes)
    assert report.totals.minutes == pytest.approx(sum(w.minutes for w in report.weeks))


def test_interrupted_resumed_and_hurt_sessions_are_marked(two_weeks: MemoryStore) -> None:
    report = report_of(two_weeks)
    interrupted = [s for s in report.sessions if s.status == "interrupted"]
    resumed = [s for s in report.sessions if s.resumed]
    assert len(interrupted) == 1 and len(resumed) == 1
    assert interrupted[0].marks == ["interrupted", "resumed later"]
    assert resumed[0].resumed_from == interrupted[0].day == resumed[0].day
    hurt = next(s for s in report.sessions if s.hurts)
    assert hurt.status == "stopped" and hurt.hurts[0].pain == 6
    assert "stopped early" in hurt.marks and "hurt" in hurt.marks
    assert report.totals.interrupted == 1 and report.totals.resumed == 1


def test_each_exercise_has_its_dose_over_time_and_its_changes(two_weeks: MemoryStore) -> None:
    report = report_of(two_weeks)
    abduction = next(e for e in report.exercises if e.key == "Side-lying hip abduction")
    assert [span.dose for span in abduction.spans][:2] == [
        "2 × 10 reps each side, 2 s hold",
        "2 × 12 reps each side, 2 s hold",
    ]
    change = abduction.changes[0]
    assert change.what == "10 → 12 reps" and change.reason.startswith("step up:")
    assert change.day == abduction.spans[0].last  # accepted after the session that earned it
    assert abduction.spans[1].first > change.day
    stretch = next(e for e in report.exercises if e.key.startswith("Kneeling 3-way"))
    # the interrupted and the resumed session each did part of it: no span of their own
    assert [span.dose for span in stretch.spans] == [
        "1 × 30 s hold in each of 3 directions, each side"
    ]
    assert sum(span.sessions for span in stretch.spans) == stretch.sessions
    bridge = next(e for e in report.exercises if e.key == "Bridge with a ball squeeze")
    assert bridge.sets_skipped == 0 and bridge.sets_done > 0


def test_a_skipped_set_is_counted_as_skipped(data_dir: Path) -> None:
    store = MemoryStore()
    low_back, _ = entries(data_dir)
    start = datetime.combine(TODAY, time(8), ZONE)
    write_visit(store, Visit(low_back, start, 3, 2, skip=frozenset({0, 1})))
    clam = next(e for e in report_of(store).exercises if e.key == "Clamshell")
    assert (clam.sets_done, clam.sets_skipped) == (1, 1)


def test_sides_with_their_own_reps_are_told_apart() -> None:
    at = datetime.combine(TODAY, time(8), ZONE)
    sets = [
        SetRecord(0, "Clamshell", 1, at, side=side, working_side=side, target_reps=reps,
                  target_hold=2.0)
        for side, reps in (("left", 12), ("right", 10))
    ]  # fmt: skip
    assert dose_text(sets, 2) == "2 × L 12 · R 10 reps each side, 2 s hold"
    assert dose_text([SetRecord(0, "Clamshell", 1, at, reps=10)], 2) is None  # no dose kept


def test_a_routine_asked_for_keeps_only_its_sessions_and_plan(two_weeks: MemoryStore) -> None:
    report = report_of(two_weeks, routines=["pre-run"])
    assert {s.routine_id for s in report.sessions} == {"pre-run"}
    assert [r.routine_id for r in report.routines] == ["pre-run"]
    assert all(e.routine_id == "pre-run" for e in report.exercises)
    assert all(set(d.planned) <= {"pre-run"} for w in report.weeks for d in w.days)


# ----------------------------------------------------------------------------- the page


def test_the_page_holds_the_figures(two_weeks: MemoryStore) -> None:
    report = report_of(two_weeks)
    page = render_html(report)
    t = report.totals
    assert f"<b>{t.sessions}</b>" in page
    assert f"{t.kept} of {t.planned_so_far}" in page
    assert f"{t.pain_before:.1f} → {t.pain_after:.1f}" in page
    for week in report.weeks:
        assert week.label in page
    for note in report.notes:
        assert note.text in page
    assert "10 → 12 reps" in page and "interrupted" in page and "resumed" in page
    assert page.count('<circle class="before"') == sum(
        1 for s in report.sessions if s.pain_before is not None
    )


def test_the_page_is_self_contained(two_weeks: MemoryStore) -> None:
    page = render_html(report_of(two_weeks))
    low = page.lower()
    for banned in ("<script", "<link", "<img", "<iframe", "@import", "url(", "src=", "href="):
        assert banned not in low, banned
    assert "default-src 'none'" in page
    assert not re.search(r"https?://", page)


def test_text_from_people_is_shown_as_text_never_as_markup() -> None:
    store = MemoryStore()
    start = datetime.combine(TODAY, time(8), ZONE)
    session = store.start_session('Hips "A" & <b>', 'Hips "A" & <b>bold</b>\x1b[31m', start)
    store.record_set(
        session,
        SetRecord(0, "Clam [/] <i>x</i>", 1, start, side="left", reps=5, target_reps=5),
    )
    store.finish_session(
        session, start + timedelta(minutes=5), pain_after=1,
        note="<script>alert(1)</script> & \x07 done",
    )  # fmt: skip
    report = report_of(store)
    page = render_html(report)
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt; &amp;" in page
    assert "<b>bold</b>" not in page and "&lt;b&gt;bold&lt;/b&gt;" in page
    assert "&#34;A&#34; &amp;" in page
    assert "Clam [/] &lt;i&gt;x&lt;/i&gt;" in page
    assert "\x1b" not in page and "\\x1b[31m" in page
    assert "\x07" not in page and "\\x07 done" in page
    text = render_text(report)
    assert "<script>alert(1)</script> & \\x07 done" in text
    assert "\x1b" not in text and "\x07" not in text


def test_a_long_note_is_cut_on_the_page_and_whole_in_the_text(data_dir: Path) -> None:
    store = MemoryStore()
    low_back, _ = entries(data_dir)
    note = "word " * 2000
    write_visit(store, Visit(low_back, datetime.combine(TODAY, time(8), ZONE), 3, 2, note=note))
    report = report_of(store)
    cut = report.notes[0]
    assert len(cut.text) <= NOTE_LIMIT and cut.cut == len(note.strip()) - NOTE_LIMIT
    page = render_html(report)
    assert f"({cut.cut} more characters)" in page and note.strip() not in page
    assert note.strip() in render_text(report)


def test_a_busy_month_lists_the_sessions_with_something_to_tell(data_dir: Path) -> None:
    store = MemoryStore()
    low_back, pre_run = entries(data_dir)
    first = period_of(TODAY, 4).first
    count = 0
    for n in range((TODAY - first).days + 1):
        for hour, entry in ((7, low_back), (18, pre_run)):
            count += 1
            start = datetime.combine(first + timedelta(days=n), time(hour), ZONE)
            stopped = count % 9 == 0
            write_visit(
                store,
                Visit(
                    entry, start, 3, 4 if count % 10 == 0 else 2,
                    note=f"note {count}" if count % 3 == 0 else None,
                    stop_after=3 if stopped else None,
                    status="stopped" if stopped else "completed",
                    skip=frozenset({0}) if count % 11 == 0 else frozenset(),
                ),
            )  # fmt: skip
    report = report_of(store)
    assert len(report.sessions) == count > SESSION_ROWS
    told = [s for s in report.sessions if s.marks or s.pain_rose or s.note or s.skipped]
    assert 0 < len(told) <= SESSION_ROWS
    page = render_html(report)
    table = page[page.index('<section class="sessions">') :]
    table = table[: table.index("</section>")]
    assert table.count("<tr>") - 1 == len(told)
    assert table.count("stopped early") == count // 9
    assert table.count(" worse") == count // 10  # pain higher after
    assert table.count("set skipped") == count // 11
    assert f"{count - len(told)} more sessions went as planned" in table
    notes = [n for n in range(1, count + 1) if n % 3 == 0]
    assert len(notes) > NOTE_ROWS
    shown_notes = page[page.index('<section class="notes">') :]
    shown_notes = shown_notes[: shown_notes.index("</section>")]
    assert all(f"note {n}<" in shown_notes for n in notes[-NOTE_ROWS:])
    assert f"note {notes[-NOTE_ROWS - 1]}<" not in shown_notes
    assert f"And {len(notes) - NOTE_ROWS} earlier notes" in shown_notes
    text = render_text(report)
    assert all(f"note {n}\n" in text for n in notes)
    assert sum(1 for line in text.splitlines() if line.startswith("  Mon ")) >= 8


def test_an_empty_history_gives_a_page_that_says_so() -> None:
    report = report_of(MemoryStore())
    page = render_html(report)
    assert "No sessions in this period" in page
    assert "No session is in the history yet" in page
    assert "No sessions in this period." in render_text(report)


def test_a_history_with_older_sessions_only_says_how_to_reach_them(data_dir: Path) -> None:
    store = MemoryStore()
    low_back, _ = entries(data_dir)
    old = datetime.combine(TODAY - timedelta(weeks=10), time(8), ZONE)
    write_visit(store, Visit(low_back, old, 3, 2))
    page = render_html(report_of(store))
    assert "There are earlier sessions in the history, none between" in page
    assert "--weeks N reaches further back" in page


def test_the_text_gives_the_same_figures(two_weeks: MemoryStore) -> None:
    report = report_of(two_weeks)
    text = render_text(report)
    t = report.totals
    assert f"Sessions: {t.sessions} on {t.days} days" in text
    assert f"Planned sessions kept: {t.kept} of {t.planned_so_far}" in text
    assert f"{t.pain_before:.1f} → {t.pain_after:.1f}" in text
    for s in report.sessions:
        assert f"{s.started:%H:%M}" in text
    assert "10 → 12 reps — step up:" in text
    assert "    Wed 11 Nov: missed; planned A\n" in text
    assert "    Sun 15 Nov: not planned; done B at 18:05\n" in text
    assert "    Mon 9 Nov: kept; planned A; done A at 07:15\n" in text
    assert "interrupted" in text and "resumed (from" in text


def test_the_period_starts_with_the_history_when_that_is_later(data_dir: Path) -> None:
    period = period_of(TODAY, 4, started=date(2026, 11, 11))
    assert (period.first, period.weeks, period.asked) == (date(2026, 11, 9), 2, 4)
    assert period_of(TODAY, 4, started=date(2026, 1, 1)) == period_of(TODAY, 4)
    assert period_of(TODAY, 4, started=date(2026, 10, 28)) == period_of(TODAY, 4)  # same week
    store = MemoryStore()
    programme_history(store, *entries(data_dir), TODAY, weeks=2)
    report = build_report(
        period, store.between(period.first, TODAY), made=datetime.combine(TODAY, time(9), ZONE),
        titles={}, schedules=store.schedules(), started=store.first_day(),
    )  # fmt: skip
    assert [w.monday for w in report.weeks] == [date(2026, 11, 9), date(2026, 11, 16)]
    text = render_text(report)
    assert text.startswith(
        "Home exercise report: 9 November 2026 – 18 November 2026 "
        "(2 weeks of the 4 asked for: the history begins then)"
    )


def test_a_session_planned_today_is_due_until_done_and_never_missed(data_dir: Path) -> None:
    store = MemoryStore()
    low_back, _ = entries(data_dir)
    store.set_schedule(Schedule("low-back", tuple(range(7))), "low-back")
    yesterday = datetime.combine(TODAY - timedelta(days=1), time(8), ZONE)
    write_visit(store, Visit(low_back, yesterday, 3, 2))
    report = report_of(store)
    cells = {d.day: d for w in report.weeks for d in w.days}
    assert cells[TODAY].state == "due" and cells[TODAY - timedelta(days=1)].state == "kept"
    assert (report.totals.kept, report.totals.planned_so_far) == (1, 1)
    write_visit(store, Visit(low_back, datetime.combine(TODAY, time(8), ZONE), 3, 2))
    report = report_of(store)
    assert (report.totals.kept, report.totals.planned_so_far) == (2, 2)


def test_a_right_to_left_override_is_shown_escaped(data_dir: Path) -> None:
    store = MemoryStore()
    start = datetime.combine(TODAY, time(8), ZONE)
    session = store.start_session("evil", "Hips \u202e(evil)\u2066", start)
    store.record_set(session, SetRecord(0, "Clam\u200f", 1, start, reps=5, target_reps=5))
    store.finish_session(session, start + timedelta(minutes=5), note="fine \u202b\u061c")
    report = report_of(store)
    for out in (render_html(report), render_text(report)):
        assert not any(c in out for c in "\u202e\u2066\u200f\u202b\u061c")
        assert "Hips \\u202e(evil)\\u2066" in out and "fine \\u202b\\u061c" in out


def test_a_workout_interrupted_and_resumed_counts_once_with_all_its_sets(
    two_weeks: MemoryStore,
) -> None:
    report = report_of(two_weeks)
    pre_run = [s for s in report.sessions if s.routine_id == "pre-run" and s.counted]
    resumed = next(s for s in report.sessions if s.resumed)
    assert resumed.sets_done == resumed.sets_planned  # the set split by the stop counts here
    stretch = next(e for e in report.exercises if e.key.startswith("Kneeling 3-way"))
    assert stretch.sets_done == stretch.sessions == len(pre_run)
    assert sum(span.sessions for span in stretch.spans) == len(pre_run)
    routine = next(r for r in report.routines if r.routine_id == "pre-run")
    assert f"  B  {routine.title} (pre-run): tue sat; {len(pre_run)} sessions" in render_text(
        report
    )


def test_a_resumed_session_that_did_nothing_leaves_the_workout_where_it_began(
    data_dir: Path,
) -> None:
    store = MemoryStore()
    low_back, _ = entries(data_dir)
    start = datetime.combine(TODAY, time(7), ZONE)
    first = write_visit(store, Visit(low_back, start, 3, None, stop_after=4, status="interrupted"))
    later = Visit(low_back, start + timedelta(hours=2), 3, 2, stop_after=0, resumed_from=first)
    write_visit(store, later)
    report = report_of(store)
    assert report.totals.sessions == 1
    assert [s.counted for s in report.sessions] == [True, False]
