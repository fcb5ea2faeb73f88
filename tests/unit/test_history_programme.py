"""The person's programme in history: doses, their changes and weekly plans (migration 3), the
dose each set was done with, and reading it all for a printing command without changing a
thing."""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import msgspec
import pytest

from coach.history import journal
from coach.history.model import (
    DOSE_FIELDS,
    DOSE_LIMITS,
    Dose,
    DoseChange,
    DoseRecord,
    HistoryError,
    Schedule,
    SetRecord,
    Store,
)
from coach.history.programme_store import ProgrammeData, read_programme
from coach.history.schema import MIGRATIONS
from coach.history.sqlite import FILE_NAME, HistoryStore, MemoryStore
from coach.routine import Exercise
from coach.testing import unwritable

CET = timezone(timedelta(hours=1))
T0 = datetime(2026, 3, 2, 8, 0, tzinfo=CET)  # a Monday
START = "2026-03-01T08:00:00.000000+00:00"


@pytest.fixture
def path(data_dir: Path) -> Path:
    return data_dir / FILE_NAME


@pytest.fixture(params=["file", "memory"])
def store(request: pytest.FixtureRequest, path: Path) -> Iterator[Store]:
    opened: Store = HistoryStore.open(path) if request.param == "file" else MemoryStore()
    try:
        yield opened
    finally:
        opened.close()


def dose_of(
    store: Store,
    exercise: str,
    side: str | None = None,
    *,
    at: datetime = T0,
    routine: str = "hips",
    **values: float,
) -> DoseRecord:
    """Set a dose as `coach dose` would: from the file's values (10 reps, 30 s rest)."""
    record = DoseRecord(routine, exercise, side, Dose(**values))  # type: ignore[arg-type]
    before = Dose(sets=2, reps=10, hold=0, rest=30, relax=0)
    change = DoseChange(at, routine, exercise, side, before, before.merged(record.dose), "set")
    store.set_dose(record, change)
    return record


# -- the records --------------------------------------------------------------------------------


def test_a_dose_is_empty_until_it_has_a_value_and_a_newer_one_wins_where_it_has_one() -> None:
    assert Dose().is_empty() and not Dose(hold=0).is_empty()
    assert Dose(sets=2, reps=10, rest=30).merged(Dose(reps=12, hold=5)) == Dose(2, 12, 5, 30)


def test_the_dose_limits_are_the_routine_formats() -> None:
    fields = {f.name: f for f in msgspec.inspect.type_info(Exercise).fields}  # type: ignore[attr-defined]
    for name in DOSE_FIELDS:
        kind = fields[name].type
        kind = getattr(kind, "type", kind)  # under its description, if it has one
        assert (kind.ge, kind.le) == DOSE_LIMITS[name], name


# -- migration 3 --------------------------------------------------------------------------------


def version_2_file(path: Path) -> None:
    """A schema 2 file: a session with a clamshell set on each side and a skipped bridge set."""
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(path)
    for number in range(2):
        MIGRATIONS[number](db)
    db.execute("PRAGMA user_version = 2")
    db.execute(
        "INSERT INTO sessions (id, routine_id, title, started_at, day, ended_at, status,"
        " pain_before, pain_after, planned_sets, owner_pid, owner_host)"
        " VALUES (1, 'hips', 'Hips', ?, '2026-03-01', ?, 'completed', 3, 2, 2, 1, 'host')",
        (START, START),
    )
    db.executemany(
        "INSERT INTO sets (session_id, exercise_index, exercise, set_number, side, reps, holds,"
        " skipped, side_is, working_side, recorded_at) VALUES (1, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?)",
        [
            (0, "Clamshell", "left", 10, 10, 0, "lying_on", "right", START),
            (0, "Clamshell", "right", 10, 10, 0, "lying_on", "left", START),
            (1, "Bridge", None, 0, 0, 1, None, None, START),
        ],
    )
    db.commit()
    db.close()


def test_a_version_2_file_is_migrated_keeping_its_values_and_the_new_columns_empty(
    path: Path,
) -> None:
    version_2_file(path)
    with HistoryStore.open(path) as store:
        detail = store.detail(1)
        assert detail is not None
        assert (detail.session.pain_before, detail.session.pain_after) == (3, 2)
        assert [
            (s.exercise, s.side, s.reps, s.holds, s.skipped, s.side_is, s.working_side)
            for s in detail.sets
        ] == [
            ("Clamshell", "left", 10, 10, False, "lying_on", "right"),
            ("Clamshell", "right", 10, 10, False, "lying_on", "left"),
            ("Bridge", None, 0, 0, True, None, None),
        ]
        assert {(s.target_reps, s.target_hold, s.hurt) for s in detail.sets} == {(None, None, None)}
        assert store.doses() == [] and store.dose_changes() == [] and store.schedules() == []
        exported = store.export_rows()[0]["sets"][0]
        assert (exported["target_reps"], exported["target_hold"], exported["hurt"]) == (
            None,
            None,
            None,
        )
        dose_of(store, "Clamshell", reps=12)
        assert store.doses() == [DoseRecord("hips", "Clamshell", None, Dose(reps=12))]
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS) == 3
    tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"doses", "dose_changes", "schedules"} <= tables


def test_the_files_checks_refuse_what_the_routine_format_does_not_allow(path: Path) -> None:
    """Another program writing the file still meets the limits (and `hurt` 0–10)."""
    HistoryStore.open(path).close()
    db = sqlite3.connect(path)
    refused = [
        "INSERT INTO doses (routine_id, exercise, sets) VALUES ('hips', 'Clamshell', 21)",
        "INSERT INTO doses (routine_id, exercise, reps) VALUES ('hips', 'Clamshell', 0)",
        "INSERT INTO doses (routine_id, exercise, hold) VALUES ('hips', 'Clamshell', 600.5)",
        "INSERT INTO doses (routine_id, exercise, rest) VALUES ('hips', 'Clamshell', -1)",
        "INSERT INTO doses (routine_id, exercise, relax) VALUES ('hips', 'Clamshell', 'long')",
        "INSERT INTO doses (routine_id, exercise, side, rest) VALUES ('hips', 'C', 'left', 5)",
        "INSERT INTO doses (routine_id, exercise, side) VALUES ('hips', 'Clamshell', 'both')",
        "INSERT INTO doses (routine_id, exercise) VALUES ('', 'Clamshell')",
        "INSERT INTO dose_changes (at, routine_id, exercise, after_sets, reason)"
        " VALUES ('x', 'hips', 'Clamshell', 30, 'r')",
        "INSERT INTO schedules (routine_id, days) VALUES ('hips', 0)",
        "INSERT INTO schedules (routine_id, days) VALUES ('hips', 128)",
        "INSERT INTO sessions (id, routine_id, title, started_at, day, status, owner_pid,"
        f" owner_host) VALUES (1, 'hips', 'Hips', '{START}', '2026-03-01', 'completed', 1, 'h')",
    ]
    for statement in refused[:-1]:
        with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
            db.execute(statement)
    db.execute(refused[-1])
    with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
        db.execute(
            "INSERT INTO sets (session_id, exercise_index, exercise, set_number, recorded_at,"
            f" hurt) VALUES (1, 0, 'Bridge', 1, '{START}', 11)"
        )
    db.execute("INSERT INTO doses (routine_id, exercise, sets) VALUES ('hips', 'Clamshell', 2)")
    with pytest.raises(sqlite3.IntegrityError, match="UNIQUE"):  # one row an exercise and side
        db.execute("INSERT INTO doses (routine_id, exercise, reps) VALUES ('hips', 'Clamshell', 3)")
    db.execute(
        "INSERT INTO doses (routine_id, exercise, side, reps)"
        " VALUES ('hips', 'Clamshell', 'left', 3)"
    )
    db.close()


def test_rows_the_checks_were_bypassed_for_are_left_out_and_left_in_the_file(path: Path) -> None:
    HistoryStore.open(path).close()
    db = sqlite3.connect(path)
    db.execute("PRAGMA ignore_check_constraints = ON")
    db.executemany(
        "INSERT INTO doses (routine_id, exercise, sets, reps) VALUES (?, ?, ?, ?)",
        [("hips", "Clamshell", 2.5, None), ("hips", "Bridge", 30, None), ("hips", "Plank", 3, 5)],
    )
    db.execute(
        "INSERT INTO dose_changes (at, routine_id, exercise, reason) VALUES"
        " ('yesterday', 'hips', 'Clamshell', 'x')"
    )
    db.execute("INSERT INTO schedules (routine_id, days) VALUES ('hips', 200), ('back', 5)")
    db.commit()
    db.close()
    with HistoryStore.open(path) as store:
        assert store.doses() == [DoseRecord("hips", "Plank", None, Dose(sets=3, reps=5))]
        assert store.dose_changes() == []
        assert store.schedules() == [Schedule("back", (0, 2))]
        store.reset_doses("hips", None, T0, "reset")
    db = sqlite3.connect(path)
    assert db.execute("SELECT count(*) FROM doses").fetchone()[0] == 2  # the two unreadable


# -- every call, on both stores -------------------------------------------------------------------


def test_doses_round_trip_for_both_sides_and_each_side(store: Store) -> None:
    both = dose_of(store, "Clamshell", sets=3, reps=12, hold=5, rest=45, relax=10)
    left = dose_of(store, "Clamshell", "left", reps=8, hold=2.5)
    second = dose_of(store, "Clamshell #2", sets=1)
    other = dose_of(store, "Bridge", routine="back", reps=15)
    assert store.doses() == [other, both, left, second]
    assert store.doses("hips") == [both, left, second]
    assert store.doses("nothing") == []
    assert isinstance(store.doses("hips")[0].dose.hold, float)


def test_a_dose_set_again_takes_the_place_of_the_one_before_and_an_empty_one_removes_it(
    store: Store,
) -> None:
    dose_of(store, "Clamshell", sets=3, reps=12)
    dose_of(store, "Clamshell", reps=14, at=T0 + timedelta(days=1))
    assert store.doses() == [DoseRecord("hips", "Clamshell", None, Dose(reps=14))]
    dose_of(store, "Clamshell", at=T0 + timedelta(days=2))
    assert store.doses() == []
    changes = store.dose_changes("hips")
    assert [(c.at, c.after.reps) for c in changes] == [
        (T0, 12),
        (T0 + timedelta(days=1), 14),
        (T0 + timedelta(days=2), 10),
    ]


def test_dose_changes_round_trip_oldest_first(store: Store) -> None:
    later = datetime(2026, 3, 4, 18, 30, 15, 250, tzinfo=UTC)
    change = DoseChange(
        later,
        "hips",
        "Side-lying abduction",
        "right",
        Dose(sets=2, reps=10, hold=2.0, rest=30.0, relax=0.0),
        Dose(sets=2, reps=12, hold=2.0, rest=30.0, relax=0.0),
        "step up: two sessions at full dose, pain ≤ 2",
    )
    store.set_dose(DoseRecord("hips", "Side-lying abduction", "right", Dose(reps=12)), change)
    dose_of(store, "Clamshell", reps=8, at=T0)  # earlier, written later
    dose_of(store, "Bridge", routine="back", reps=8, at=T0 + timedelta(days=5))
    changes = store.dose_changes()
    assert [c.exercise for c in changes] == ["Clamshell", "Side-lying abduction", "Bridge"]
    assert changes[1] == change and changes[1].at.utcoffset() == timedelta(0)
    assert [c.exercise for c in store.dose_changes("hips")] == ["Clamshell", "Side-lying abduction"]


def test_reset_removes_one_exercises_doses_or_all_and_keeps_a_change_for_each(
    store: Store,
) -> None:
    dose_of(store, "Clamshell", reps=12)
    dose_of(store, "Clamshell", "left", reps=8)
    dose_of(store, "Bridge", sets=3)
    back = dose_of(store, "Bridge", routine="back", sets=4)
    later = T0 + timedelta(days=1)
    changes = store.reset_doses("hips", "Clamshell", later, "reset with coach dose")
    why = "reset with coach dose"
    assert changes == [
        DoseChange(later, "hips", "Clamshell", None, Dose(reps=12), Dose(), why),
        DoseChange(later, "hips", "Clamshell", "left", Dose(reps=8), Dose(), why),
    ]
    assert [d.exercise for d in store.doses()] == ["Bridge", "Bridge"]
    assert store.reset_doses("hips", "Clamshell", later, "again") == []
    assert [c.exercise for c in store.reset_doses("hips", None, later, "all")] == ["Bridge"]
    assert store.doses() == [back]
    bridge = DoseChange(later, "hips", "Bridge", None, Dose(sets=3), Dose(), "all")
    assert store.dose_changes("hips")[-3:] == [*changes, bridge]


def test_schedules_round_trip_are_replaced_and_cleared(store: Store) -> None:
    store.set_schedule(Schedule("hips", (4, 0, 2, 2)), "hips")
    store.set_schedule(Schedule("back", tuple(range(7))), "back")
    assert store.schedules() == [
        Schedule("back", (0, 1, 2, 3, 4, 5, 6)),
        Schedule("hips", (0, 2, 4)),
    ]
    store.set_schedule(Schedule("hips", (6,)), "hips")
    store.set_schedule(None, "back")
    store.set_schedule(None, "never-planned")
    assert store.schedules() == [Schedule("hips", (6,))]


def test_the_programme_outlives_the_store(path: Path) -> None:
    with HistoryStore.open(path) as store:
        record = dose_of(store, "Clamshell", "right", sets=1, reps=5, hold=1.5)
        store.set_schedule(Schedule("hips", (1, 3)), "hips")
    with HistoryStore.open(path) as store:
        assert store.doses() == [record]
        assert store.schedules() == [Schedule("hips", (1, 3))]
        assert len(store.dose_changes()) == 1


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda s: dose_of(s, "Clamshell", sets=21),
         "Clamshell: sets is a whole number from 1 to 20, not 21"),
        (lambda s: dose_of(s, "Clamshell", sets=2.0), "sets is a whole number"),
        (lambda s: dose_of(s, "Clamshell", reps=True), "reps is a whole number"),
        (lambda s: dose_of(s, "Clamshell", reps=0), "reps is a whole number from 1 to 100, not 0"),
        (lambda s: dose_of(s, "Clamshell", hold=600.5), "hold is a number of seconds from 0 to"),
        (lambda s: dose_of(s, "Clamshell", rest=-1), "rest is a number of seconds from 0 to 600"),
        (lambda s: dose_of(s, "Clamshell", relax=float("nan")), "relax is a number of seconds"),
        (lambda s: dose_of(s, "Clamshell", "left", rest=20), "rest is the same on both sides"),
        (lambda s: dose_of(s, "Clamshell", "both", reps=3), "a side is left or right, not 'both'"),
        (lambda s: dose_of(s, "", reps=3), "an exercise is text"),
        (lambda s: dose_of(s, "Clamshell", routine="", reps=3), "a routine id is text"),
        (lambda s: dose_of(s, "Clamshell", at=datetime(2026, 3, 2), reps=3), "timezone-aware"),
        (
            lambda s: s.set_dose(
                DoseRecord("hips", "Clamshell", None, Dose(reps=3)),
                DoseChange(T0, "hips", "Bridge", None, Dose(), Dose(reps=3), "set"),
            ),
            "another exercise or side",
        ),
        (
            lambda s: s.set_dose(
                DoseRecord("hips", "Clamshell", None, Dose(reps=3)),
                DoseChange(T0, "hips", "Clamshell", None, Dose(reps=300), Dose(reps=3), "set"),
            ),
            r"Clamshell \(before\): reps",
        ),
        (lambda s: s.reset_doses("hips", None, datetime(2026, 3, 2), "r"), "timezone-aware"),
        (lambda s: s.reset_doses("hips", "", T0, "r"), "an exercise is text"),
        (lambda s: s.set_schedule(Schedule("hips", ()), "hips"), "at least one day"),
        (lambda s: s.set_schedule(Schedule("hips", (7,)), "hips"), "from 0 .Monday. to 6"),
        (lambda s: s.set_schedule(Schedule("hips", (1,)), "back"), "of 'hips' given for 'back'"),
    ],
)  # fmt: skip
def test_values_that_do_not_fit_are_refused_in_one_line_before_the_file_is_touched(
    store: Store, path: Path, call: object, message: str
) -> None:
    before = path.read_bytes() if store.path else b""
    with pytest.raises(ValueError, match=message) as caught:
        call(store)  # type: ignore[operator]
    assert "\n" not in str(caught.value)
    assert store.doses() == [] and store.dose_changes() == [] and store.schedules() == []
    if store.path:
        assert path.read_bytes() == before


def test_a_locked_file_refuses_a_dose_as_locked_and_takes_it_later(path: Path) -> None:
    store = HistoryStore.open(path, busy_timeout=0.02)
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(HistoryError) as caught:
            dose_of(store, "Clamshell", reps=12)
        assert caught.value.locked
        assert str(caught.value) == f"could not save the dose: {path} is locked by another program"
        with pytest.raises(HistoryError, match=r"could not save the weekly plan: .* is locked"):
            store.set_schedule(Schedule("hips", (0,)), "hips")
        assert store.doses() == []  # reads go on
    finally:
        other.execute("ROLLBACK")
        other.close()
    dose_of(store, "Clamshell", reps=12)
    assert len(store.doses()) == 1
    store.close()


@pytest.mark.parametrize("error", [13, 30], ids=["EACCES", "EROFS"])
def test_a_read_only_file_reads_the_programme_and_refuses_to_change_it(
    path: Path, error: int
) -> None:
    with HistoryStore.open(path) as store:
        record = dose_of(store, "Clamshell", reps=12)
    path.chmod(0o400)
    before = path.read_bytes()
    try:
        with unwritable(path.parent, error), HistoryStore.open(path) as store:
            assert store.read_only and store.doses() == [record]
            with pytest.raises(HistoryError) as caught:
                store.reset_doses("hips", None, T0, "reset")
            assert str(caught.value) == f"could not reset the doses: {path} is read-only"
            with pytest.raises(HistoryError, match="is read-only"):
                store.set_schedule(None, "hips")
    finally:
        path.chmod(0o600)
    assert path.read_bytes() == before


# -- reading for a printing command ---------------------------------------------------------------


def listing(folder: Path) -> dict[str, bytes]:
    return {item.name: item.read_bytes() for item in sorted(folder.iterdir())}


def test_with_no_history_file_the_programme_is_empty_and_nothing_is_made(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    assert read_programme(folder) == ProgrammeData()
    assert not folder.exists()
    folder.mkdir()
    assert read_programme(folder) == ProgrammeData([], [], [], None)
    assert list(folder.iterdir()) == []


def test_a_closed_history_is_read_and_left_exactly_as_it_was(path: Path) -> None:
    with HistoryStore.open(path) as store:
        record = dose_of(store, "Clamshell", reps=12)
        store.set_schedule(Schedule("hips", (0, 2, 4)), "hips")
    before = listing(path.parent)
    data = read_programme(path.parent)
    assert data.doses == [record] and data.schedules == [Schedule("hips", (0, 2, 4))]
    assert [c.after.reps for c in data.changes] == [12] and data.problem is None
    assert listing(path.parent) == before  # no WAL or index made beside it


def test_a_history_in_use_by_a_coach_is_read_as_it_is_now(path: Path) -> None:
    """A coach holding the file open (and its write lock) does not stop the reading."""
    with HistoryStore.open(path) as store:
        dose_of(store, "Clamshell", reps=12)
        other = sqlite3.connect(path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        try:
            assert [d.dose.reps for d in read_programme(path.parent).doses] == [12]
        finally:
            other.execute("ROLLBACK")
            other.close()


def test_an_older_history_gives_no_programme_and_is_not_migrated(path: Path) -> None:
    version_2_file(path)
    before = listing(path.parent)
    assert read_programme(path.parent) == ProgrammeData()
    assert listing(path.parent) == before


def test_a_history_held_by_another_program_gives_an_empty_programme_and_why(path: Path) -> None:
    with HistoryStore.open(path) as store:
        dose_of(store, "Clamshell", reps=12)
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("PRAGMA locking_mode = EXCLUSIVE")  # it keeps the file after its commits
    other.execute("BEGIN EXCLUSIVE")
    other.execute("INSERT INTO schedules (routine_id, days) VALUES ('hips', 1)")
    try:
        # Its change not committed yet is not in the file: what is there is read as it is.
        assert [d.dose.reps for d in read_programme(path.parent).doses] == [12]
        other.execute("COMMIT")
        data = read_programme(path.parent)
    finally:
        other.close()
    assert data == ProgrammeData(problem=f"{path} is locked by another program")
    assert read_programme(path.parent).schedules == [Schedule("hips", (0,))]


def test_a_history_locked_without_wal_gives_an_empty_programme_and_why(path: Path) -> None:
    with HistoryStore.open(path) as store:
        dose_of(store, "Clamshell", reps=12)
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("PRAGMA journal_mode = delete")  # no WAL: its exclusive lock stops readers
    other.execute("BEGIN EXCLUSIVE")
    try:
        data = read_programme(path.parent)
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert data == ProgrammeData(problem=f"{path} is locked by another program")


@pytest.mark.parametrize(
    ("spoil", "problem"),
    [
        ("newer", "was made by a newer coach (schema 9, this one knows 3); left untouched"),
        ("someone else's", "is not a coach history (left untouched)"),
        ("garbage", "is not a SQLite database (left untouched)"),
    ],
)
def test_a_history_that_cannot_be_read_gives_an_empty_programme_and_why(
    path: Path, spoil: str, problem: str
) -> None:
    path.parent.mkdir(parents=True)
    if spoil == "garbage":
        path.write_bytes(bytes(range(256)) * 16)
    else:
        db = sqlite3.connect(path)
        db.execute("CREATE TABLE notes (text)")
        db.execute(f"PRAGMA user_version = {9 if spoil == 'newer' else 0}")
        db.commit()
        db.close()
    before = listing(path.parent)
    data = read_programme(path.parent)
    assert data == ProgrammeData(problem=f"{path} {problem}")
    assert listing(path.parent) == before


def test_a_damaged_history_gives_an_empty_programme_and_why(path: Path) -> None:
    with HistoryStore.open(path) as store:
        for n in range(40):
            dose_of(store, f"Exercise {n} " + "x" * 60, reps=12)
    data = bytearray(path.read_bytes())
    page = 4096
    data[page : 3 * page] = b"\xff" * (2 * page)  # break the pages after the first
    path.write_bytes(bytes(data))
    result = read_programme(path.parent)
    assert result.doses == [] and result.problem == f"{path} is damaged (left untouched)"


@pytest.mark.skipif(os.name != "posix", reason="file modes")
def test_a_read_only_history_is_read(path: Path) -> None:
    with HistoryStore.open(path) as store:
        dose_of(store, "Clamshell", reps=12)
    path.chmod(0o400)
    try:
        with unwritable(path.parent):
            assert [d.dose.reps for d in read_programme(path.parent).doses] == [12]
    finally:
        path.chmod(0o600)


# -- the journal ----------------------------------------------------------------------------------


def test_the_journal_keeps_a_sets_dose_and_pain(path: Path) -> None:
    entry = SetRecord(
        0,
        "Clamshell",
        2,
        T0,
        side="left",
        reps=4,
        holds=4,
        skipped=True,
        side_is="lying_on",
        working_side="right",
        target_reps=10,
        target_hold=2.5,
        hurt=6,
    )
    with HistoryStore.open(path) as store:
        session = store.start_session("hips", "Hips", T0)
    aside = journal.journal_path(path)
    journal.append(aside, [journal.Entry("k", session, entry)])
    entries, bad = journal.read(aside)
    assert bad == 0 and entries == [journal.Entry("k", session, entry)]
    old_line = json.loads(aside.read_text())  # as a coach wrote it before these were kept
    for name in ("target_reps", "target_hold", "hurt"):
        del old_line[name]
    old_line["set_number"] = 3
    aside.write_text(aside.read_text() + json.dumps(old_line) + "\n")
    with HistoryStore.open(path) as store:
        detail = store.detail(session)
    assert detail is not None
    assert [(s.set_number, s.target_reps, s.target_hold, s.hurt) for s in detail.sets] == [
        (2, 10, 2.5, 6),
        (3, None, None, None),
    ]
    assert not aside.exists()
