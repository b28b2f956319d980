"""Moving through feeds and unread articles as newsboat does: next and previous feed, the
next unread article, and q stepping back out pane by pane.

A base of ``MainScreen`` holding these keys' actions; the keys are bound in
``MainScreen.BINDINGS`` (the newsboat key preset gives them newsboat's keys). Store reads
run in workers.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import on, work
from textual.message import Message

from newsreader.store.database import Store
from newsreader.ui.history import ArticleLocation, Location
from newsreader.ui.labels import labels_of
from newsreader.ui.screens.panes import PaneActions
from newsreader.ui.views import ArticleFilter
from newsreader.ui.widgets.article_list import ArticleList
from newsreader.ui.widgets.article_view import ArticleView
from newsreader.ui.widgets.feed_list import FeedList
from newsreader.ui.widgets.feeds_column import FeedsColumn
from newsreader.ui.widgets.sidebar import Sidebar


class ReadingActions(PaneActions):
    """The actions; ``MainScreen`` gives the store and opens what they find."""

    _store: Store

    @dataclass
    class UnreadFound(Message):
        """The unread article n leads to; None when there is none."""

        article_id: int | None

    def open_location(self, location: Location) -> None:
        raise NotImplementedError  # MainScreen's

    def _current_article_id(self) -> int | None:
        article = self._open_article
        if article is not None and article.id is not None:
            return article.id
        return self.query_one(ArticleList).highlighted_article_id

    def _step_feed(self, step: int) -> None:
        """Highlight the next (1) or previous (-1) feed, as newsboat's J and K do."""
        feed_list = self.query_one(FeedList)
        feeds = [
            index
            for index in range(feed_list.option_count)
            if (feed_list.get_option_at_index(index).id or "").startswith("feed-")
        ]
        current = feed_list.highlighted
        if step > 0:
            target = next((i for i in feeds if current is None or i > current), None)
        else:
            target = next((i for i in reversed(feeds) if current is None or i < current), None)
        if target is not None:
            feed_list.highlighted = target

    def action_next_feed(self) -> None:
        self._step_feed(1)

    def action_previous_feed(self) -> None:
        self._step_feed(-1)

    def action_next_unread(self) -> None:
        self._find_unread(1, self.query_one(FeedsColumn).view, self._current_article_id())

    def action_previous_unread(self) -> None:
        self._find_unread(-1, self.query_one(FeedsColumn).view, self._current_article_id())

    @work(thread=True, exclusive=True, group="unread", exit_on_error=False)
    def _find_unread(self, step: int, view: ArticleFilter, current: int | None) -> None:
        """The nearest unread article in the list's order; past the view's end, in any feed."""
        found = None
        for feed_id, query in ((view.feed_id, view.search), (None, None)):
            rows = self._store.article_page(
                feed_id,
                unread_only=True,
                query=query,
                limit=1,
                after=current if step > 0 else None,
                before=current if step < 0 else None,
            )
            if rows:
                found = rows[0].id
                break
        self.post_message(self.UnreadFound(found))

    @on(UnreadFound)
    def _open_unread(self, message: UnreadFound) -> None:
        if message.article_id is None:
            self.notify(labels_of(self.app).no_unread, markup=False)
            return
        self.open_location(ArticleLocation(message.article_id))

    def action_back_or_quit(self) -> None:
        """newsboat's q: from the article to the list, from the list to the feeds, then out."""
        focused = self.focused
        if isinstance(focused, ArticleView | Sidebar):
            self.query_one(ArticleList).focus()
        elif isinstance(focused, ArticleList):
            self.query_one(FeedList).focus()
        else:
            self.app.exit()
