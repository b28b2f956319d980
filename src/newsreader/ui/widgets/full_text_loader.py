"""Fetches articles' web pages for their full text, off the UI thread.

An invisible widget, like the launcher: the screen asks it for one article's text (when a
teaser-only article is opened, or on ``F``) or for the pages of the feeds just refreshed
("prefetch"), and it answers with messages. Fetching and extracting run in thread workers
with their own event loop, so neither the reader's keys nor a refresh wait for a page,
and lxml and trafilatura are imported there, on first use, never at start.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass

from textual import work
from textual.message import Message
from textual.widget import Widget
from textual.worker import get_current_worker

from newsreader.feeds.fetch_settings import FetchSettings
from newsreader.feeds.page_error import PageError
from newsreader.models import Article
from newsreader.store.database import Store

PREFETCH_WAIT = 60.0  # seconds an opened article waits for a prefetch of its page


class FullTextLoader(Widget):
    """Posts ``Fetched`` or ``Failed`` for each article it was asked about."""

    DEFAULT_CSS = "FullTextLoader { display: none; }"

    @dataclass
    class Fetched(Message):
        """The article, as stored now, with the page's text as its body."""

        article: Article

    @dataclass
    class Failed(Message):
        article_id: int
        reason: str

    @dataclass
    class Prefetched(Message):
        """How many articles gained their full text after a refresh."""

        count: int

    def __init__(self, store: Store, settings: FetchSettings | None = None) -> None:
        super().__init__()
        self._store = store
        self._settings = settings
        # Articles whose page a worker is fetching now: one fetch per page at a time.
        self._busy: set[int] = set()
        self._lock = threading.Lock()

    def _claim(self, article_id: int) -> bool:
        with self._lock:
            if article_id in self._busy:
                return False
            self._busy.add(article_id)
            return True

    def _release(self, article_id: int) -> None:
        with self._lock:
            self._busy.discard(article_id)

    def fetch(self, article_id: int, *, again: bool = False) -> None:
        """Fetch the page of one article (``again``: even if its text is stored); the
        newest request wins."""
        self._fetch(article_id, again)

    @work(thread=True, exclusive=True, group="full-text", exit_on_error=False)
    def _fetch(self, article_id: int, again: bool) -> None:
        from newsreader.feeds.full_text import fetch_full_text

        # A prefetch may be fetching this very page: wait for it rather than fetch again.
        deadline = time.monotonic() + PREFETCH_WAIT
        while not self._claim(article_id):
            if time.monotonic() > deadline or get_current_worker().is_cancelled:
                return
            time.sleep(0.05)
        try:
            stored = self._store.article(article_id)
            if stored is not None and stored.body_source == "page" and not again:
                self.post_message(self.Fetched(stored))  # a prefetch just stored it
                return
            article = fetch_full_text(self._store, article_id, self._settings)
        except PageError as error:
            self.post_message(self.Failed(article_id, error.message))
            return
        finally:
            self._release(article_id)
        self.post_message(self.Fetched(article))

    def prefetch(self, feed_ids: Sequence[int]) -> None:
        """Fetch the pages of these feeds' unread teaser-only articles, politely."""
        if feed_ids:
            self._prefetch(tuple(feed_ids))

    @work(thread=True, exclusive=True, group="full-text-prefetch", exit_on_error=False)
    def _prefetch(self, feed_ids: tuple[int, ...]) -> None:
        from newsreader.feeds.full_text import prefetch_full_texts

        count = asyncio.run(
            prefetch_full_texts(
                self._store,
                feed_ids,
                self._settings,
                claim=self._claim,
                release=self._release,
            )
        )
        self.post_message(self.Prefetched(count))
