"""Subscribes to a feed the reader typed in, and unsubscribes from one, in workers.

An invisible widget, so that its workers belong to the reading screen. Subscribing fetches
the feed at once, the way ``newsreader add`` does, and only a readable feed is kept; the
result comes back as a message. When the last feed goes, the bundled story comes back, as
it does on the command line.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual import work
from textual.message import Message
from textual.widget import Widget

from newsreader.store.database import Store
from newsreader.ui.widgets.feeds_column import load_refresh, start_resource_tracker

if TYPE_CHECKING:
    from newsreader.feeds.fetch import FetchSettings


class Subscriber(Widget):
    """Adds and removes feeds; the screen tells the reader and the lists follow."""

    DEFAULT_CSS = """
    Subscriber {
        display: none;
    }
    """

    @dataclass
    class Added(Message):
        """``source`` was subscribed to as ``title`` with ``new`` articles, or ``error``."""

        source: str
        title: str | None
        new: int
        error: str | None = None

    @dataclass
    class Removed(Message):
        """The feed and its ``articles`` articles are gone."""

        feed_id: int
        title: str
        articles: int

    def __init__(
        self, store: Store, fetch_settings: FetchSettings | None = None, *, id: str | None = None
    ) -> None:
        super().__init__(id=id)
        self._store = store
        self._settings = fetch_settings

    @work(group="subscribe", exit_on_error=False)
    async def subscribe(self, source: str) -> None:
        try:
            # The fetcher and parser load in a thread: they are big.
            await asyncio.to_thread(load_refresh, self._settings)
            from newsreader.feeds.refresh import subscribe_feeds

            start_resource_tracker(self._settings)
            outcomes = await subscribe_feeds(self._store, [source], settings=self._settings)
        except Exception as error:  # whatever broke, the reader hears of it
            self.post_message(self.Added(source, None, 0, str(error) or type(error).__name__))
            return
        outcome = outcomes[0]
        if outcome.failed:
            self.post_message(self.Added(source, None, 0, outcome.message))
        else:
            self.post_message(self.Added(source, outcome.feed.title, outcome.new))

    @work(thread=True, group="subscribe", exit_on_error=False)
    def unsubscribe(self, feed_id: int) -> None:
        from newsreader.feeds.refresh import remove_feed
        from newsreader.feeds.subscriptions import ensure_bundled_feed

        feed = self._store.feed(feed_id)
        if feed is None:
            return
        articles = self._store.count_articles(feed_id)
        remove_feed(self._store, feed)
        ensure_bundled_feed(self._store)
        self.post_message(self.Removed(feed_id, feed.title, articles))
