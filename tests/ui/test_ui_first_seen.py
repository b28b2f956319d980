"""An article without a date shows, in the list and the article, when it was first seen."""

from __future__ import annotations

from datetime import datetime

from pilot_helpers import pane_text, settle

from newsreader.feeds.subscriptions import import_feed_bytes
from newsreader.store.database import Store
from newsreader.ui.app import NewsreaderApp

FEED = b"""<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>
<title>Harbour</title><language>en</language>
<item><title>Tide tables changed</title><guid>t</guid><description>New times.</description></item>
<item><title>Millennium fireworks</title><guid>m</guid>
<pubDate>Fri, 31 Dec 1999 23:00:00 +0000</pubDate><description>Bang.</description></item>
</channel></rss>"""


async def test_an_undated_article_is_listed_on_top_and_marked_first_seen(store: Store) -> None:
    import_feed_bytes(store, FEED, "https://example.org/harbour.rss")
    today = datetime.now().astimezone().date().isoformat()
    app = NewsreaderApp(store=store)
    async with app.run_test(size=(220, 50)) as pilot:
        await settle(pilot)
        listed = pane_text(app, "#article-list")
        assert listed.index("Tide tables") < listed.index("Millennium")
        assert f"First seen {today}" in pane_text(app, "#article-view")
        await pilot.press("z")  # the list at full width, in columns
        await settle(pilot)
        rows = pane_text(app, "#article-list")
        assert f"● ~{today} Harbour Tide tables changed" in rows
        assert "● 2000-01-01 00:00 Harbour Millennium" in rows  # 23:00 UTC: midnight in Berlin
