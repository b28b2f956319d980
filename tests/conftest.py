"""Shared fixtures. Tests never touch the user's real directories or the network."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from newsreader.feeds.subscriptions import ensure_bundled_feed
from newsreader.store.database import Store

# Times are shown in the reader's own zone. The suite reads as someone in Germany, where
# the bundled story's "20:43" is 20:43, whatever zone the machine running it is set to;
# tests of other zones set TZ themselves (and programs they start inherit it).
os.environ["TZ"] = "Europe/Berlin"
time.tzset()


@pytest.fixture(autouse=True)
def isolated_user_dirs(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Point every platform directory at a temporary folder, whatever a test does."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
    monkeypatch.setenv("NEWSREADER_DB", str(home / "store.sqlite3"))
    monkeypatch.setenv("NEWSREADER_CONFIG", str(home / "config.toml"))
    monkeypatch.setenv("NEWSREADER_CACHE_DIR", str(home / "cache"))


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    """An empty store in a temporary file."""
    opened = Store(tmp_path / "store.sqlite3")
    yield opened
    opened.close()


@pytest.fixture
def seeded_store(store: Store) -> Store:
    """A store holding only the bundled NDR story, as on a new machine."""
    ensure_bundled_feed(store)
    return store
