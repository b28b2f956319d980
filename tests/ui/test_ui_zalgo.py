"""A reader sees the words of a headline buried under stacked combining marks."""

from __future__ import annotations

from pathlib import Path

from pilot_helpers import SIZE, pane_text, settle

from newsreader.feeds.subscriptions import import_feed_bytes
from newsreader.store.database import Store
from newsreader.ui.app import NewsreaderApp

MARKS = "\u0301\u0316\u0327\u0489\u20dd"
FEED = (
    '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Harbour</title>'
    f"<item><title>Z{MARKS * 8_000}algo: harbour reopens</title><guid>z</guid>"
    "<description>Calm again.</description></item></channel></rss>"
).encode()


async def test_the_list_and_the_article_show_the_readable_words(
    store: Store, tmp_path: Path
) -> None:
    import_feed_bytes(store, FEED, "https://example.org/zalgo.rss")
    app = NewsreaderApp(store=store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "algo: harbour" in pane_text(app, "#article-list")  # as far as the list is wide
        assert "harbour reopens" in pane_text(app, "#article-view")
