"""In the app, r refreshes the local feeds and syncs every account; reading queues changes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
from servers.coldsweat_server import ColdsweatServer
from servers.feedhost import FeedHost
from sync_helpers import add_fever, stories
from textual.pilot import Pilot

from newsreader.feeds.fetch import FetchSettings
from newsreader.store import sync_state
from newsreader.store.database import Store
from newsreader.ui.app import NewsreaderApp
from newsreader.ui.widgets.article_list import ArticleList
from newsreader.ui.widgets.feeds_column import FeedsColumn

SIZE = (120, 40)
FAST_FETCH = FetchSettings(parse_in="thread", trust_env=False, timeout=10.0)


def screen_text(app: NewsreaderApp) -> str:
    strips = app.screen._compositor.render_strips()
    return "\n".join("".join(segment.text for segment in strip) for strip in strips)


async def wait_until(pilot: Pilot[Any], condition: Any, what: str) -> None:
    for _ in range(300):
        await pilot.pause(0.05)
        if condition():
            return
    raise AssertionError(f"never happened: {what}")


async def test_r_syncs_the_account_and_reading_in_the_app_reaches_the_server(
    seeded_store: Store, coldsweat: ColdsweatServer, feed_host: FeedHost, tmp_path: Path
) -> None:
    coldsweat.subscribe("Harbour", feed_host.put("/h.xml", stories("harbour", 3)))
    add_fever(seeded_store, coldsweat, tmp_path)
    app = NewsreaderApp(store=seeded_store, fetch_settings=FAST_FETCH)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        column = app.screen.query_one(FeedsColumn)

        await pilot.press("r")
        await wait_until(pilot, lambda: not column.refreshing, "the refresh and sync end")
        await wait_until(pilot, lambda: "⇅ harbour feed" in screen_text(app), "the feed shows")

        assert "⇅ harbour feed" in screen_text(app)
        messages = [str(n.message) for n in app._notifications]
        assert any("home: 3 new, 0 changes sent" in message for message in messages)
        account = sync_state.account(seeded_store, "home")
        assert account is not None and account.queued == 0

        # Open the newest article (a synced one, at the top) and star it: both queue.
        app.screen.query_one(ArticleList).focus()
        await pilot.press("home", "enter", "s")
        await wait_until(
            pilot,
            lambda: (
                (found := sync_state.account(seeded_store, "home")) is not None
                and found.queued == 2
            ),
            "reading and starring are queued",
        )
        await pilot.press("r")
        await wait_until(pilot, lambda: not column.refreshing, "the second sync ends")
    key = {"api_key": coldsweat.api_key}
    saved = httpx.post(f"{coldsweat.url}?api&saved_item_ids", data=key).json()
    unread = httpx.post(f"{coldsweat.url}?api&unread_item_ids", data=key).json()
    assert saved["saved_item_ids"] == "3"  # the newest of the three
    assert unread["unread_item_ids"] == "1,2"
