from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own data directory; the real home is never touched."""
    folder = tmp_path / "data"
    monkeypatch.setenv("COACH_DATA_DIR", str(folder))
    monkeypatch.setenv("COACH_SOUND", "off")
    monkeypatch.setenv("COACH_VOICE", "off")  # a test that wants a voice names its engine
    monkeypatch.delenv("COACH_VOICE_CMD", raising=False)
    return folder
