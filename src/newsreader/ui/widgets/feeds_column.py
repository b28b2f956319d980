"""The left column: the feed list, a line on why a feed failed, and the article list.

It tells the article list which view to show, keeps the saved searches (saving and
deleting them in workers) and runs the refresh, reporting progress feed by feed, so the
reading screen only has to deal with the open article. The refresh
machinery (fetcher, feed parser) is imported only when a refresh starts, which keeps it
off the start-up path.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable, Callable
from contextlib import nullcontext, redirect_stderr
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Static
from textual.worker import Worker, WorkerState, get_current_worker

from newsreader.models import Feed, FeedSummary, SavedSearch
from newsreader.store.database import Store
from newsreader.ui import views
from newsreader.ui.core_messages import localised
from newsreader.ui.labels import labels_of
from newsreader.ui.render import Palette, failure_notice, palette_from_theme
from newsreader.ui.views import ALL_ARTICLES, ArticleFilter, empty_notice, refresh_report
from newsreader.ui.widgets.article_list import ArticleList
from newsreader.ui.widgets.feed_list import Counts, FeedList

if TYPE_CHECKING:
    from newsreader.feeds.fetch import FetchSettings
    from newsreader.feeds.refresh import FeedOutcome, RefreshProgress
    from newsreader.sync.engine import SyncReport
    from newsreader.ui.first_screen import FirstScreenRead

# The outcome a failed refresh stores (refresh.OutcomeState.FAILED), named here so that
# reading the stored failures at start does not load the refresh machinery.
FAILED_OUTCOME = "failed"


def start_resource_tracker(settings: FetchSettings | None) -> None:
    """Start multiprocessing's resource tracker before the first parser process pool.

    While the app runs, Textual replaces ``sys.stderr`` with an object whose ``fileno()``
    is -1. The tracker starts lazily with the first process pool and hands the descriptor
    of ``sys.stderr`` to its child, which fails ("bad value(s) in fds_to_keep"), and with
    it the parsing of every feed. So it is started here, with the real stderr put back
    for the moment it takes; once running, it is simply reused. Starting it only when a
    refresh needs it keeps the spawning of a process off the start-up path.
    """
    from newsreader.feeds.fetch import FetchSettings

    if (settings or FetchSettings()).parse_in == "process":
        ensure_resource_tracker()


def ensure_resource_tracker() -> None:
    """The tracker started with the real stderr (see ``start_resource_tracker``)."""
    from multiprocessing import resource_tracker

    real_stderr = sys.__stderr__  # None without any terminal: then there is none to pass
    with redirect_stderr(real_stderr) if real_stderr is not None else nullcontext():
        resource_tracker.ensure_running()


def load_refresh(
    settings: FetchSettings | None,
) -> Callable[..., Awaitable[list[FeedOutcome]]]:
    """The refresh, its modules imported and the certificates it checks servers against
    loaded: a tenth of a second or more the first time, so it is done in a thread."""
    from newsreader.feeds.fetch import FetchSettings, tls_context
    from newsreader.feeds.refresh import refresh_feeds

    tls_context((settings or FetchSettings()).trust_env).load_certificates()
    return refresh_feeds


class FeedsColumn(Vertical):
    """Every load is numbered; only the newest one's result is shown."""

    @dataclass
    class FeedsLoaded(Message):
        """Every feed with its counts, and the stored failures of the last refresh.

        ``errors`` is None when they were not read: the first time, the first screen goes
        first, since reading them loads the fetcher's modules.
        """

        generation: int
        feeds: list[FeedSummary]
        counts: Counts
        errors: dict[int, str] | None
        searches: list[SavedSearch]
        folders: dict[int, tuple[str, ...]] | None = None

    @dataclass
    class FirstFeedsShown(Message):
        """The feeds were listed for the first time: their sources."""

        sources: list[str]

    @dataclass
    class SearchesChanged(Message):
        """A saved search was saved (``saved``) or deleted; ``error`` if that failed."""

        text: str
        error: bool = False

    @dataclass
    class RefreshStarted(Message):
        feed_ids: list[int]

    @dataclass
    class FeedRefreshed(Message):
        progress: RefreshProgress

    @dataclass
    class Refreshed(Message):
        """A refresh ended; these feeds were fetched (for the work that follows it)."""

        feeds: list[Feed]

    @dataclass
    class Syncing(Message):
        account: str
        count: int

    @dataclass
    class RefreshFinished(Message):
        """Every feed's outcome and each account's sync, or why the refresh broke off."""

        outcomes: list[FeedOutcome]
        error: str | None = None
        syncs: list[SyncReport] = field(default_factory=list)

    def __init__(
        self,
        store: Store,
        fetch_settings: FetchSettings | None = None,
        *,
        first_screen: FirstScreenRead | None = None,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self._first_screen = first_screen
        self._store = store
        self._fetch_settings = fetch_settings
        self._view: ArticleFilter = ALL_ARTICLES
        self._generation = 0
        self.refreshing = False
        self.open_article_id: int | None = None  # highlighted first when a view lists it
        self._failures_read = False
        self._feeds_shown = False

    def compose(self) -> ComposeResult:
        yield FeedList(id="feed-list")
        yield Static(id="feed-status")
        yield ArticleList(self._store, first_screen=self._first_screen, id="article-list")

    def on_mount(self) -> None:
        self._name_list()
        self.reload()

    def _name_list(self) -> None:
        """Title the article list after its view; a feed's title is text, never markup."""
        self.query_one(ArticleList).border_title = Text(self.query_one(FeedList).label(self._view))

    @property
    def palette(self) -> Palette:
        return palette_from_theme(self.app.theme_variables)

    @property
    def view(self) -> ArticleFilter:
        """What the article list shows now."""
        return self._view

    def reload(self) -> None:
        """Read the feeds and the listed articles again (after a theme change, say)."""
        self.recount()
        self._reload_articles()

    def recount(self) -> None:
        """Read the counts again, after a read or star flag changed."""
        self._generation += 1
        self._read_feeds(self._generation, with_failures=self._failures_read)

    def forget_feed(self, feed_id: int) -> None:
        """The feed is gone: a list of its articles gives way to all articles."""
        if self._view.feed_id == feed_id:
            self._view = ALL_ARTICLES
            self._name_list()
        self.reload()

    def follow_read_flags(self, article_ids: list[int], *, read: bool) -> None:
        """Many articles changed their read flag at once: the rows and counts follow."""
        self.query_one(ArticleList).follow_read_flags(article_ids, read=read)
        self.reload()

    def _reload_articles(self) -> None:
        self.query_one(ArticleList).show_view(
            self._view,
            self.palette,
            prefer=self.open_article_id,
            empty=empty_notice(self._view, labels_of(self.app)),
        )

    # Workers

    @work(thread=True, exclusive=True, group="feeds", exit_on_error=False)
    def _read_feeds(self, generation: int, *, with_failures: bool) -> None:
        # A hidden feed (newsboat's "!") is left out of the list; its articles still show
        # in the views across feeds and in searches, as newsboat shows them in query feeds.
        feeds = [summary for summary in self._store.feeds() if not summary.feed.hidden]
        # Counted as the views list them: a story carried by several feeds counts once.
        counts = Counts(
            total=self._store.count_articles(),
            unread=self._store.count_articles(unread_only=True),
            starred=self._store.count_articles(starred_only=True),
        )
        searches = self._store.saved_searches()
        errors = folders = None
        if with_failures:
            from newsreader.feeds.fetchstate import feed_states
            from newsreader.feeds.fetchstate import folders as folders_of_feeds

            errors = {
                feed_id: state.error
                for feed_id, state in feed_states(self._store).items()
                if state.outcome == FAILED_OUTCOME and state.error
            }
            folders = folders_of_feeds(self._store)
        if not get_current_worker().is_cancelled:
            loaded = self.FeedsLoaded(generation, feeds, counts, errors, searches, folders)
            self.post_message(loaded)

    @work(thread=True, group="saved-searches", exit_on_error=False)
    def save_search(self, name: str, query: str) -> None:
        """Keep ``query`` as the saved search ``name``; the list shows it once saved."""
        labels = labels_of(self.app)
        try:
            saved = self._store.save_search(name, query)
        except ValueError as error:  # QuerySyntaxError included: one sentence for the reader
            text = labels.save_failed.format(error=localised(str(error), labels))
            self.post_message(self.SearchesChanged(text, True))
            return
        self._store.remember_search(query)
        self.post_message(self.SearchesChanged(labels.search_saved.format(name=saved.name)))

    @work(thread=True, group="saved-searches", exit_on_error=False)
    def delete_search(self, name: str) -> None:
        self._store.delete_search(name)
        text = labels_of(self.app).search_deleted.format(name=name)
        self.post_message(self.SearchesChanged(text))

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
            # Importing the fetcher and parser takes a while: not on the screen's loop.
            refresh_feeds = await asyncio.to_thread(load_refresh, self._fetch_settings)
            start_resource_tracker(self._fetch_settings)
            feeds = [summary.feed for summary in await asyncio.to_thread(self._store.feeds)]
            feeds = [feed for feed in feeds if feed.account is None]  # synced ones: below
            self.post_message(self.RefreshStarted([f.id for f in feeds if f.id is not None]))
            outcomes = await refresh_feeds(
                self._store, feeds, settings=self._fetch_settings, progress=progress
            )
            syncs = await asyncio.to_thread(self._sync_accounts)
        except Exception as error:  # whatever broke, the feeds must stop spinning
            self.post_message(self.RefreshFinished([], str(error) or type(error).__name__))
        else:
            self.post_message(self.RefreshFinished(outcomes, syncs=syncs))

    def _sync_accounts(self) -> list[SyncReport]:
        """Sync every account (in the refresh's thread), telling the column how it goes."""
        from newsreader.sync.engine import sync_every_account

        ensure_resource_tracker()  # a long pull converts in worker processes

        def progress(account: str, _what: str, count: int) -> None:
            self.post_message(self.Syncing(account, count))

        return sync_every_account(self._store, progress)

    @on(Syncing)
    def _show_sync_progress(self, message: Syncing) -> None:
        message.stop()
        status = self.query_one("#feed-status", Static)
        status.display = True
        status.update(Text(labels_of(self.app).syncing.format(**vars(message))))

    # Results

    @on(Worker.StateChanged)
    def _report_failed_worker(self, event: Worker.StateChanged) -> None:
        """The refresh reports its own failures; this is for the store reads."""
        if event.state is WorkerState.ERROR:
            self.notify(
                labels_of(self.app).store_failed.format(error=event.worker.error),
                severity="error",
                markup=False,
            )

    @on(ArticleList.Listed)
    def _read_failures_after_the_first_screen(self) -> None:
        if not self._failures_read:
            self._failures_read = True
            self.call_after_refresh(self.recount)

    @on(FeedsLoaded)
    def _show_feeds(self, message: FeedsLoaded) -> None:
        message.stop()
        if message.generation != self._generation:
            return
        feed_list = self.query_one(FeedList)
        feed_list.show_feeds(
            message.feeds,
            message.counts,
            message.errors,
            self.palette,
            message.searches,
            message.folders,
        )
        self._name_list()
        self._show_feed_status()
        if not self._feeds_shown:
            self._feeds_shown = True
            self.post_message(self.FirstFeedsShown([s.feed.source for s in message.feeds]))

    def _show_feed_status(self) -> None:
        """Under the feeds, why the highlighted feed could not be refreshed, if it could not."""
        error = self.query_one(FeedList).highlighted_error
        status = self.query_one("#feed-status", Static)
        status.display = error is not None
        if error is not None:
            status.update(failure_notice(error, self.palette))

    @on(SearchesChanged)
    def _show_searches_changed(self, message: SearchesChanged) -> None:
        message.stop()
        self.recount()
        self.notify(
            message.text, severity="error" if message.error else "information", markup=False
        )

    @on(FeedList.ViewChosen)
    def _choose_view(self, message: FeedList.ViewChosen) -> None:
        message.stop()
        self._show_feed_status()
        article_list = self.query_one(ArticleList)
        if message.view != self._view or message.chosen:
            # Choosing the view shown reads it again: another process may have written.
            self._view = message.view
            self._name_list()
            self._reload_articles()
        if message.chosen:
            self.recount()  # and the feeds too, added from the command line, say
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
        # The rows follow the counts: whatever wrote the store meanwhile (this refresh,
        # or a command in another shell), the list is read again, its highlight kept.
        self.reload()
        if message.error is not None:
            failed = labels_of(self.app).refresh_failed.format(error=message.error)
            self.notify(failed, severity="error", markup=False)
            return
        self.post_message(self.Refreshed([o.feed for o in message.outcomes if not o.failed]))
        self._show_feed_status()
        labels = labels_of(self.app)
        report = refresh_report(message.outcomes, labels)
        lines = [report.text, *views.sync_lines(message.syncs, labels)]
        trouble = report.failed or any(sync.error for sync in message.syncs)
        self.notify(
            "\n".join(lines),
            title=report.title,
            severity="warning" if trouble else "information",
            markup=False,
        )
        if any(sync.new or sync.state_changes for sync in message.syncs):
            self._reload_articles()
