"""The reading screen's full text: the web page's text for articles whose feed sends only
a teaser, and the keys that switch (``f``) and fetch it again (``F``).

A base of ``MainScreen``, as ``PaneActions`` and ``OutsideActions`` are: when a
teaser-only article is opened, the teaser shows at once and the loader fetches the page in
a worker; its text then takes the teaser's place without moving the reader's place or
focus, and a quiet line in the article's border says where the text came from.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from textual import on, work

from newsreader.feeds.full_text import teaser_only, wants_page
from newsreader.models import Article
from newsreader.text.sanitize import clean_line, link_url
from newsreader.ui.labels import labels_of
from newsreader.ui.render import palette_from_theme
from newsreader.ui.screens.panes import PaneActions
from newsreader.ui.widgets.article_view import ArticleView
from newsreader.ui.widgets.feeds_column import FeedsColumn
from newsreader.ui.widgets.full_text_loader import FullTextLoader
from newsreader.ui.widgets.sidebar import Sidebar

if TYPE_CHECKING:
    from newsreader.config import Config
    from newsreader.store.database import Store


def page_host(url: str) -> str:
    """The host of a page's address, as the quiet line names it."""
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        host = ""
    return clean_line(host.removeprefix("www."), limit=100)


class FullTextActions(PaneActions):
    """Fetches, swaps in and switches the full text of the open article."""

    _config: Config
    _store: Store

    def __init__(self) -> None:
        super().__init__()
        self._feed_text = False  # f pressed: the feed's own text is shown

    def show_full_text_for(self, article: Article) -> None:
        """The article was just shown: say where its text came from, and fetch its page if
        its feed sent only a teaser."""
        self._feed_text = False
        self.query_one(ArticleView).show_note(self._source_note(article))
        if article.page is None and link_url(article.url) is not None and teaser_only(article):
            self._fetch_if_wanted(article)

    @work(thread=True, exclusive=True, group="full-text-mode", exit_on_error=False)
    def _fetch_if_wanted(self, article: Article) -> None:
        """The feed's setting needs its address, a store read: not on the UI thread."""
        feed = self._store.feed(article.feed_id) if article.feed_id is not None else None
        mode = self._config.full_text_for(feed.source if feed is not None else None)
        if wants_page(article, mode) and article.id is not None:
            self.app.call_from_thread(self._start_fetch, article)

    def _start_fetch(self, article: Article, *, again: bool = False) -> None:
        if article.id is None or not self._is_open(article.id):
            return
        host = page_host(article.url or "")
        self.query_one(ArticleView).show_note(
            labels_of(self.app).full_text_fetching.format(host=host)
        )
        self.query_one(FullTextLoader).fetch(article.id, again=again)

    def _source_note(self, article: Article) -> str:
        labels = labels_of(self.app)
        if article.page is None or article.body_source != "page":
            return ""
        if self._feed_text:
            return labels.feed_text_shown
        return labels.full_text_from.format(host=page_host(article.page.url))

    def _show_text(self, article: Article) -> None:
        """The page's text or the feed's own (``f``), in place of the other, where the
        reader is."""
        shown = article
        if self._feed_text and article.page is not None:
            page = article.page
            shown = replace(article, blocks=page.feed_blocks, links=page.feed_links)
        view = self.query_one(ArticleView)
        view.show_article(shown, palette_from_theme(self.app.theme_variables), keep_place=True)
        view.show_note(self._source_note(article))

    def _is_open(self, article_id: int) -> bool:
        return self._open_article is not None and self._open_article.id == article_id

    @on(FullTextLoader.Fetched)
    def _swap_in_full_text(self, message: FullTextLoader.Fetched) -> None:
        """The page's text replaces the teaser where the reader is; focus stays put."""
        article, shown = message.article, self._open_article
        if shown is None or article.id is None or not self._is_open(article.id):
            return
        # The read and star flags shown are the reader's latest; keep them.
        article = replace(article, read=shown.read, starred=shown.starred)
        self._open_article, self._feed_text = article, False
        self._show_text(article)
        palette = palette_from_theme(self.app.theme_variables)
        self.query_one(Sidebar).show_article(article, palette, keep_highlight=True)
        self.refresh_bindings()

    @on(FullTextLoader.Failed)
    def _say_why_there_is_no_full_text(self, message: FullTextLoader.Failed) -> None:
        if self._is_open(message.article_id):
            failed = labels_of(self.app).full_text_failed.format(error=message.reason)
            self.query_one(ArticleView).show_note(failed)

    @on(FeedsColumn.Refreshed)
    def _prefetch_after_refresh(self, message: FeedsColumn.Refreshed) -> None:
        wanted = [
            feed.id
            for feed in message.feeds
            if feed.id is not None and self._config.full_text_for(feed.source) == "prefetch"
        ]
        self.query_one(FullTextLoader).prefetch(wanted)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        article = self._open_article
        if action == "toggle_full_text":
            return article is not None and article.body_source == "page"
        if action == "fetch_full_text":
            return article is not None and link_url(article.url) is not None
        return super().check_action(action, parameters)

    def action_toggle_full_text(self) -> None:
        """Switch between the web page's text and the feed's own, where the reader is."""
        article = self._open_article
        if article is None or article.body_source != "page":
            return
        self._feed_text = not self._feed_text
        self._show_text(article)

    def action_fetch_full_text(self) -> None:
        """Fetch the open article's web page again, whatever is stored."""
        article = self._open_article
        if article is not None and link_url(article.url) is not None:
            self._start_fetch(article, again=True)
