"""History written out: JSON (a list of sessions, each with its sets) and CSV (one row a set).

Both take their fields, in order, from `SESSION_FIELDS` and `SET_FIELDS`.
"""

from __future__ import annotations

import csv
import io
import json
import re

from coach.history.model import SESSION_FIELDS, SET_FIELDS, Store

CSV_COLUMNS = (
    "session_id",
    *(field.name for field in SESSION_FIELDS[1:]),
    *(field.name for field in SET_FIELDS),
)
"""The CSV header: the session's fields (its id as `session_id`), then the set's."""

TEXT_COLUMNS = frozenset(
    field.name for field in (*SESSION_FIELDS, *SET_FIELDS) if field.kind == "text"
)
"""The CSV columns that hold text from routine files and people (titles, names, notes)."""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""How a cell starts that a spreadsheet would run as a formula."""


def inert(text: str) -> str:
    """A text cell a spreadsheet shows as text: a leading `'` where it would start a formula
    (`=HYPERLINK(…)`, `-3 reps`), the text as it is otherwise."""
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def export_json(store: Store) -> str:
    """A JSON list, one session a line (indenting would use the slow pure-Python encoder)."""
    body = ",\n".join(json.dumps(row, ensure_ascii=False) for row in store.export_rows())
    return f"[\n{body}\n]\n" if body else "[]\n"


NON_ASCII = re.compile(r"[^\x00-\x7f]")


def ascii_json(text: str) -> str:
    """The same JSON with every character beyond ASCII written as a `\\uXXXX` escape (as
    `ensure_ascii` writes it): the same data, for an output that cannot take UTF-8."""
    return NON_ASCII.sub(lambda match: json.dumps(match.group())[1:-1], text)


def export_csv(store: Store) -> str:
    """One row per set; a session without sets gets one row with empty set fields. Text
    cells that a spreadsheet would run as a formula get a leading `'` (see `inert`); numbers,
    times and true/false stay as they are."""
    out = io.StringIO()
    writer = csv.DictWriter(out, CSV_COLUMNS, restval="")
    writer.writeheader()
    for session in store.export_rows():
        head = {"session_id": session.pop("id")}
        for entry in session.pop("sets") or [{}]:
            row = {**head, **session, **entry}
            writer.writerow(
                {
                    name: inert(value) if name in TEXT_COLUMNS and isinstance(value, str) else value
                    for name, value in row.items()
                }
            )
    return out.getvalue()


EXPORTS = {"json": export_json, "csv": export_csv}
"""Each export by the name `coach history --export` takes."""
