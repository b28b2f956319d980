"""What the first screen shows, read in a thread while Textual loads and starts up.

A thread worker only starts once the event loop gets a turn, which is after Textual has
composed and laid out the first screen: the first frames would show an empty list and
an empty article, and the reader would wait for more frames. A plain thread started
before Textual is even imported (``begin``) has read the newest articles' rows and the
newest article itself by the time the screen is mounted, so the first frame shows them.
Whatever is not in by then is read as usual; nothing ever waits for this thread.

This module imports neither Textual nor Rich, so that it can start first.
"""

from __future__ import annotations

import threading
from contextlib import suppress

from newsreader.models import Article
from newsreader.store.database import Store
from newsreader.ui.views import ALL_ARTICLES
from newsreader.ui.widgets.article_pages import OpenedView, ViewQuery, open_view


class FirstScreenRead:
    """The first view's rows and its top article; each taken at most once."""

    def __init__(self, query: ViewQuery) -> None:
        self.store, self.view = query.store, query.view
        self._opened: OpenedView | None = None
        self._article: Article | None = None
        self._thread = threading.Thread(target=self._read, args=(query,), daemon=True)
        self._thread.start()

    def _read(self, query: ViewQuery) -> None:
        # A failure here shows up again in the screen's own reads, which report it.
        with suppress(Exception):
            opened = open_view(query, None, 0)
            self._opened = opened
            if opened.count and opened.pages.get(0):
                self._article = query.store.article(opened.pages[0][0].id)

    @property
    def done(self) -> bool:
        return not self._thread.is_alive()

    def take_rows(self) -> OpenedView | None:
        """The rows if they have been read by now (never waits)."""
        opened, self._opened = self._opened, None
        return opened if self.done else None

    def take_article(self) -> Article | None:
        """The top article if it has been read by now (never waits)."""
        article, self._article = self._article, None
        return article if self.done else None


_begun: FirstScreenRead | None = None


def begin(store: Store) -> None:
    """Start reading the newest articles of ``store`` now, before the app is built."""
    global _begun
    _begun = FirstScreenRead(ViewQuery(store, ALL_ARTICLES))


def for_store(store: Store) -> FirstScreenRead:
    """The read begun for ``store``, or one begun now (an app made without ``begin``)."""
    global _begun
    begun, _begun = _begun, None
    if begun is not None and begun.store is store:
        return begun
    return FirstScreenRead(ViewQuery(store, ALL_ARTICLES))
