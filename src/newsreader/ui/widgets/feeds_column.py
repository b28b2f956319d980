"""The left column: the feed list, a line on why a feed failed, and the article list.

It loads what the chosen view lists and runs the refresh, reporting progress feed by feed,
so the reading screen only has to deal with the open article.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Static
from textual.worker import Worker, WorkerState, get_current_worker

from newsreader.fetch import FetchSettings
from newsreader.fetchstate import feed_states
from newsreader.models import ArticleSummary, FeedSummary
from newsreader.refresh import FeedOutcome, OutcomeState, RefreshProgress, refresh_feeds
from newsreader.store import Store
from newsreader.ui.render import Palette, failure_notice, palette_from_theme
from newsreader.ui.views import ALL_ARTICLES, ArticleFilter, empty_notice, refresh_report
from newsreader.ui.widgets.article_list import ArticleList
from newsreader.ui.widgets.feed_list import Counts, FeedList


class FeedsColumn(Vertical):
    """Every load is numbered; only the newest one's result is shown."""

    @dataclass
    class ArticlesListed(Message):
        """The article list was filled; ``first_id`` is its top article, if any."""

        first_id: int | None

    @dataclass
    class ArticlesLoaded(Message):
        generation: int
        view: ArticleFilter
        summaries: list[ArticleSummary]

    @dataclass
    class FeedsLoaded(Message):
        """Every feed with its counts, and the stored failures of the last refresh."""

        generation: int
        feeds: list[FeedSummary]
        counts: Counts
        errors: dict[int, str]

    @dataclass
    class RefreshStarted(Message):
        feed_ids: list[int]

    @dataclass
    class FeedRefreshed(Message):
        progress: RefreshProgress

    @dataclass
    class RefreshFinished(Message):
        """Every feed's outcome, or why the refresh as a whole broke off."""

        outcomes: list[FeedOutcome]
        error: str | None = None

    def __init__(
        self, store: Store, fetch_settings: FetchSettings | None = None, *, id: str | None = None
    ) -> None:
        super().__init__(id=id)
        self._store = store
        self._fetch_settings = fetch_settings
        self._view: ArticleFilter = ALL_ARTICLES
        self._shown_view: ArticleFilter | None = None
        self._generations = {"articles": 0, "feeds": 0}
        self.refreshing = False
        self.open_article_id: int | None = None  # highlighted first when a view lists it

    def compose(self) -> ComposeResult:
        yield FeedList(id="feed-list")
        yield Static(id="feed-status")
        yield ArticleList(id="article-list")

    def on_mount(self) -> None:
        self._name_list()
        self.reload()

    def _name_list(self) -> None:
        """Title the article list after its view; a feed's title is text, never markup."""
        self.query_one(ArticleList).border_title = Text(self.query_one(FeedList).label(self._view))

    @property
    def palette(self) -> Palette:
        return palette_from_theme(self.app.theme_variables)

    def reload(self) -> None:
        """Read the feeds and the listed articles again (after a theme change, say)."""
        self.recount()
        self._reload_articles()

    def recount(self) -> None:
        """Read the counts again, after a read or star flag changed."""
        self._read_feeds(self._next("feeds"))

    def _next(self, kind: str) -> int:
        self._generations[kind] += 1
        return self._generations[kind]

    def _reload_articles(self) -> None:
        self._read_articles(self._next("articles"), self._view)

    # Workers

    @work(thread=True, exclusive=True, group="articles", exit_on_error=False)
    def _read_articles(self, generation: int, view: ArticleFilter) -> None:
        summaries = self._store.articles(
            view.feed_id, unread_only=view.unread_only, starred_only=view.starred_only
        )
        self.post_message(self.ArticlesLoaded(generation, view, summaries))

    @work(thread=True, exclusive=True, group="feeds", exit_on_error=False)
    def _read_feeds(self, generation: int) -> None:
        feeds = self._store.feeds()
        counts = Counts(
            total=sum(summary.article_count for summary in feeds),
            unread=sum(summary.unread_count for summary in feeds),
            starred=self._store.count_articles(starred_only=True),
        )
        failed = OutcomeState.FAILED.value
        errors = {
            feed_id: state.error
            for feed_id, state in feed_states(self._store).items()
            if state.outcome == failed and state.error
        }
        if not get_current_worker().is_cancelled:
            self.post_message(self.FeedsLoaded(generation, feeds, counts, errors))

    def start_refresh(self) -> None:
        """Refresh every feed in the background; while one runs, this does nothing."""
        if not self.refreshing:
            self.refreshing = True
            self._refresh()

    @work(exclusive=True, group="refresh", exit_on_error=False)
    async def _refresh(self) -> None:
        def progress(step: RefreshProgress) -> None:
            self.post_message(self.FeedRefreshed(step))

        try:
            feeds = [summary.feed for summary in await asyncio.to_thread(self._store.feeds)]
            self.post_message(self.RefreshStarted([f.id for f in feeds if f.id is not None]))
            outcomes = await refresh_feeds(
                self._store, feeds, settings=self._fetch_settings, progress=progress
            )
        except Exception as error:  # whatever broke, the feeds must stop spinning
            self.post_message(self.RefreshFinished([], str(error) or type(error).__name__))
        else:
            self.post_message(self.RefreshFinished(outcomes))

    # Results

    @on(Worker.StateChanged)
    def _report_failed_worker(self, event: Worker.StateChanged) -> None:
        """The refresh reports its own failures; this is for the store reads."""
        if event.state is WorkerState.ERROR:
            self.notify(
                f"Reading the store failed: {event.worker.error}", severity="error", markup=False
            )

    @on(ArticlesLoaded)
    def _show_articles(self, message: ArticlesLoaded) -> None:
        message.stop()
        if message.generation != self._generations["articles"]:
            return  # a newer load is on its way
        same_view, self._shown_view = message.view == self._shown_view, message.view
        self.query_one(ArticleList).show_summaries(
            message.summaries,
            self.palette,
            same_view=same_view,
            prefer=self.open_article_id,
            empty=empty_notice(message.view),
        )
        first = message.summaries[0].id if message.summaries else None
        self.post_message(self.ArticlesListed(first))

    @on(FeedsLoaded)
    def _show_feeds(self, message: FeedsLoaded) -> None:
        message.stop()
        if message.generation != self._generations["feeds"]:
            return
        feed_list = self.query_one(FeedList)
        feed_list.show_feeds(message.feeds, message.counts, message.errors, self.palette)
        self._name_list()
        self._show_feed_status()

    def _show_feed_status(self) -> None:
        """Under the feeds, why the highlighted feed could not be refreshed, if it could not."""
        error = self.query_one(FeedList).highlighted_error
        status = self.query_one("#feed-status", Static)
        status.display = error is not None
        if error is not None:
            status.update(failure_notice(error, self.palette))

    @on(FeedList.ViewChosen)
    def _choose_view(self, message: FeedList.ViewChosen) -> None:
        message.stop()
        self._show_feed_status()
        article_list = self.query_one(ArticleList)
        if message.view != self._view:
            self._view = message.view
            self._name_list()
            self._reload_articles()
        if message.chosen:
            article_list.focus()

    @on(RefreshStarted)
    def _show_refresh_started(self, message: RefreshStarted) -> None:
        message.stop()
        self.query_one(FeedList).start_refresh(message.feed_ids)

    @on(FeedRefreshed)
    def _show_feed_refreshed(self, message: FeedRefreshed) -> None:
        """New counts for the feed, and new rows if the list shows its articles."""
        message.stop()
        step = message.progress
        outcome = step.outcome
        error = outcome.message if outcome.failed else None
        self.query_one(FeedList).feed_refreshed(outcome.feed.id, error, step.done, step.total)
        self._show_feed_status()
        self.recount()
        if (outcome.new or outcome.updated) and self._view.feed_id in (None, outcome.feed.id):
            self._reload_articles()

    @on(RefreshFinished)
    def _report_refresh(self, message: RefreshFinished) -> None:
        """Sum the refresh up in a notification; failures stay marked in the list."""
        message.stop()
        self.refreshing = False
        self.query_one(FeedList).end_refresh()
        self.screen.refresh_bindings()
        self.recount()
        if message.error is not None:
            self.notify(f"Refreshing failed: {message.error}", severity="error", markup=False)
            return
        report = refresh_report(message.outcomes)
        self.notify(
            report.text,
            title=report.title,
            severity="warning" if report.failed else "information",
            markup=False,
        )
