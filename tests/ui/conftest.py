"""Fixtures for the user-interface tests: the app on a temporary store."""

from __future__ import annotations

import pytest
from pilot_helpers import SECOND_FEED

from newsreader.feeds.subscriptions import import_feed_file
from newsreader.store.database import Store
from newsreader.ui.app import NewsreaderApp


@pytest.fixture
def app(seeded_store: Store) -> NewsreaderApp:
    """The app on a store holding only the bundled story, as on a new machine."""
    return NewsreaderApp(store=seeded_store)


@pytest.fixture
def two_feed_store(seeded_store: Store) -> Store:
    """The bundled story plus a small English feed with two newer articles."""
    import_feed_file(seeded_store, SECOND_FEED)
    return seeded_store
