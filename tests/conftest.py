"""Every test gets its own user cache folder (the catalogue store's key and fallback location live there), so no
test reads or writes the real ~/.cache, and MATTERCLI_CACHE_DIR from the environment never leaks in."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _user_cache_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path_factory.mktemp("xdg-cache")
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    monkeypatch.delenv("MATTERCLI_CACHE_DIR", raising=False)
    return home
