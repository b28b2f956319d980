"""The reader shows times on the reader's own clock (``TZ``), and lists by the instant."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone

import pytest
from pilot_helpers import SIZE, pane_text, settle

from newsreader.models import Article, Block, BlockKind, Feed
from newsreader.store.database import Store
from newsreader.ui.app import NewsreaderApp


@pytest.fixture
def new_york(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


async def test_the_reader_shows_the_readers_clock(store: Store, new_york: None) -> None:
    feed = store.add_feed(Feed(source="https://example.org/two.rss", title="Two Cities"))
    assert feed.id is not None
    store.save_articles(
        feed.id,
        [
            Article(
                guid="ny",
                title="Morning in New York",
                language="en",
                blocks=(Block(BlockKind.PARAGRAPH, "Snow."),),
                published=datetime(2024, 1, 15, 7, 0, tzinfo=timezone(timedelta(hours=-5))),
            ),
            Article(
                guid="ldn",
                title="Morning in London",
                language="en",
                blocks=(Block(BlockKind.PARAGRAPH, "Fog."),),
                published=datetime(2024, 1, 15, 10, 0, tzinfo=UTC),
            ),
        ],
    )
    app = NewsreaderApp(store=store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "Published 2024-01-15 07:00" in pane_text(app, "#article-view")
        listed = pane_text(app, "#article-list")
        assert listed.index("New York") < listed.index("London")
