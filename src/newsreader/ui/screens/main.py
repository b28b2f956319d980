"""The reading screen: feeds and articles, the article view and the sidebar, with a history.

Store reads and writes run in thread workers and the refresh in an async worker; their
results come back as messages and are applied only if the reader has not moved on. Links,
media and broadcasts are handed to the launcher; the panes report what the reader chose.
"""

from __future__ import annotations

import gc
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Header
from textual.worker import Worker, WorkerState

from newsreader.config import Config
from newsreader.models import Article, RelatedItem, SavedSearch
from newsreader.store.database import Store
from newsreader.text.sanitize import openable_url
from newsreader.ui.first_screen import FirstScreenRead
from newsreader.ui.history import ArticleLocation, History, Location, RelatedLocation
from newsreader.ui.labels import Labels, labels_of, localise_tree
from newsreader.ui.render import Palette, palette_from_theme
from newsreader.ui.screens.full_text import FullTextActions
from newsreader.ui.screens.reading_actions import ReadingActions
from newsreader.ui.widgets.article_list import ArticleList
from newsreader.ui.widgets.article_view import ArticleView
from newsreader.ui.widgets.feeds_column import FeedsColumn
from newsreader.ui.widgets.full_text_loader import FullTextLoader
from newsreader.ui.widgets.key_footer import KeyFooter
from newsreader.ui.widgets.launcher import Launcher
from newsreader.ui.widgets.read_marker import ReadMarker
from newsreader.ui.widgets.sidebar import Sidebar
from newsreader.ui.widgets.state_writer import StateWriter
from newsreader.ui.widgets.subscriber import Subscriber

if TYPE_CHECKING:
    from newsreader.feeds.fetch import FetchSettings
    from newsreader.ui.screens.search import SearchChoice

SECONDS_PER_MINUTE = 60.0  # of refresh.interval_minutes


def settle_collector() -> None:
    """Once the first screen is up: what starting made (modules, widgets, styles) lives
    as long as the app, so it goes out of the collector's generations, and full
    collections stay short instead of pausing scrolling for tens of milliseconds. The
    collector then runs again (the command line turns it off while starting)."""
    gc.freeze()
    gc.enable()


class MainScreen(ReadingActions, FullTextActions):
    """Owns the history and the open article; the panes only display and report choices."""

    HELP_SECTION: ClassVar[str] = "General"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("tab", "next_pane", "Next pane", show=False, id="next-pane"),
        Binding("shift+tab", "previous_pane", "Previous pane", show=False, id="previous-pane"),
        Binding("backspace,alt+left", "back", "Back", id="back"),
        Binding("alt+right", "forward", "Forward", id="forward"),
        Binding("slash", "search", "Search", id="search"),
        Binding("ctrl+s", "save_search", "Save search", id="save-search"),
        Binding("r", "refresh", "Refresh", id="refresh"),
        Binding("m", "toggle_read", "Read/unread", id="toggle-read"),
        Binding("A", "mark_all_read", "Mark all read", show=False, id="mark-all-read"),
        Binding("a", "add_feed", "Add feed", show=False, id="add-feed"),
        Binding("u", "undo_mark_read", "Undo", id="undo-mark-read"),
        Binding("s", "toggle_star", "Star", id="toggle-star"),
        Binding("o", "open_link", "Open link", id="open-link"),
        Binding("l", "links", "Links", id="links"),
        Binding("p", "play_media", "Play", id="play-media"),
        Binding("i", "load_images", "Pictures", id="load-images"),
        Binding("v", "view_image", "View picture", id="view-image"),
        Binding("e", "export_programme", "Export programme", id="export-programme"),
        Binding("z", "zoom", "Zoom", show=False, id="zoom"),
        Binding("f", "toggle_full_text", "Page/feed text", id="full-text-toggle"),
        Binding("F", "fetch_full_text", "Fetch full text", id="full-text-fetch"),
        Binding("n", "next_unread", "Next unread", show=False, id="next-unread"),
        Binding("N", "previous_unread", "Previous unread", show=False, id="previous-unread"),
        Binding("right_square_bracket", "next_feed", "Next feed", show=False, id="next-feed"),
        Binding(
            "left_square_bracket", "previous_feed", "Previous feed", show=False, id="previous-feed"
        ),
        Binding("alt+q", "back_or_quit", "Back or quit", show=False, id="back-or-quit"),
    ]

    @dataclass
    class LocationLoaded(Message):
        """What to show for ``location``: an article, or a related item's teaser.

        ``sidebar`` is the article whose sections stay beside it; ``opened`` is False when
        the same place is only drawn again (a new theme), which must not mark it read.
        """

        location: Location
        article: Article | None
        item: RelatedItem | None
        sidebar: Article | None
        opened: bool = True

    def __init__(
        self,
        store: Store,
        fetch_settings: FetchSettings | None = None,
        *,
        first_screen: FirstScreenRead | None = None,
        config: Config | None = None,
        zoomed: bool = False,
    ) -> None:
        """``first_screen`` may hold the newest articles, read while the app started;
        ``zoomed`` is how the reader left the zoom last time."""
        super().__init__()
        self._config = config if config is not None else Config()
        self._first_screen = first_screen
        self._store = store
        self._fetch_settings = fetch_settings
        self._history = History()
        self._started = False
        self.zoomed = zoomed  # the focused pane takes the whole width (``z``)

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="panes"):
            yield FeedsColumn(
                self._store, self._fetch_settings, first_screen=self._first_screen, id="left-column"
            )
            yield ArticleView(id="article-view")
            yield Sidebar(self._store, id="sidebar")
        yield KeyFooter()
        yield Launcher(self._store, self._config)
        yield StateWriter(self._store)
        yield ReadMarker(self._store)
        yield Subscriber(self._store, self._fetch_settings)
        yield FullTextLoader(self._store, self._fetch_settings)

    def on_mount(self) -> None:
        localise_tree(self, labels_of(self.app))
        self.query_one(ArticleList).focus()
        self.app.theme_changed_signal.subscribe(self, self._restyle)
        minutes = self._config.refresh.interval_minutes
        if minutes:
            self.set_interval(minutes * SECONDS_PER_MINUTE, self._refresh_automatically)
        # The newest article, if it was read while starting, opens in the first frame.
        first = self._first_screen.take_article() if self._first_screen is not None else None
        self._first_screen = None
        if first is not None and first.id is not None:
            location = ArticleLocation(first.id)
            self._history.visit(location)
            self._show_location(self.LocationLoaded(location, first, None, first, opened=False))

    def _restyle(self, _theme: object) -> None:
        """Rendered text carries theme colours, so draw it again in the new theme."""
        self.query_one(FeedsColumn).reload()
        if self._history.current is not None:
            self._load_location(self._history.current, opened=False)

    @property
    def _labels(self) -> Labels:
        return labels_of(self.app)

    @property
    def palette(self) -> Palette:
        return palette_from_theme(self.app.theme_variables)

    # Workers: store reads off the UI thread

    @work(thread=True, exclusive=True, group="location", exit_on_error=False)
    def _load_location(self, location: Location, *, opened: bool = True) -> None:
        parent = self._store.article(location.article_id)
        if isinstance(location, ArticleLocation) or parent is None:
            self.post_message(self.LocationLoaded(location, parent, None, parent, opened))
            return
        related = parent.related
        item = related[location.position] if 0 <= location.position < len(related) else None
        if item is not None and item.article_id is not None:
            linked = self._store.article(item.article_id)
            if linked is not None:
                self.post_message(self.LocationLoaded(location, linked, None, linked, opened))
                return
        self.post_message(self.LocationLoaded(location, None, item, parent, opened))

    @work(thread=True, group="search-history", exit_on_error=False)
    def _remember_search(self, query: str) -> None:
        self._store.remember_search(query)

    @on(Worker.StateChanged)
    def _report_failed_worker(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.ERROR:
            message = self._labels.store_failed.format(error=event.worker.error)
            self.notify(message, severity="error", markup=False)

    # Showing things

    def open_location(self, location: Location) -> None:
        """Open something new: it goes onto the history."""
        self._history.visit(location)
        self.refresh_bindings()
        self._load_location(location)

    @on(ArticleList.Listed)
    def _open_first_article(self, message: ArticleList.Listed) -> None:
        """On start, the newest article is shown by itself, but not opened: showing it
        changes nothing, so it stays unread until the reader opens it (or marks it)."""
        if not self._started:
            self._started = True
            self.call_after_refresh(settle_collector)
        if self._history.current is None:
            if message.first_id is not None:
                location = ArticleLocation(message.first_id)
                self._history.visit(location)
                self._load_location(location, opened=False)
            else:
                self.query_one(ArticleView).show_notice(self._labels.no_articles, self.palette)
        self.refresh_bindings()

    @on(LocationLoaded)
    def _show_location(self, message: LocationLoaded) -> None:
        if message.location != self._history.current:
            return
        view, palette = self.query_one(ArticleView), self.palette
        self.query_one(Sidebar).show_article(message.sidebar, palette)
        article, self._open_article, self._open_url = message.article, None, None
        article_id = article.id if article is not None else None
        self.query_one(FeedsColumn).open_article_id = article_id
        if article is not None and article_id is not None:
            self._open_article = article
            self._open_url = openable_url(article.url)
            view.show_article(article, palette)
            article_list = self.query_one(ArticleList)
            article_list.highlight_article(article_id)
            article_list.update_state(article_id, read=article.read, starred=article.starred)
            if message.opened and not article.read:
                self._set_state(article_id, read=True)
            self.show_full_text_for(article)
        elif message.item is not None and message.sidebar is not None:
            self._open_url = openable_url(message.item.url)
            view.show_teaser(message.item, message.sidebar.language, palette)
        else:
            view.show_notice(self._labels.gone, palette)
        self.refresh_bindings()

    # Read and star state

    def _set_state(
        self, article_id: int, *, read: bool | None = None, starred: bool | None = None
    ) -> None:
        """Show the new state at once; the store follows in a worker."""
        self.query_one(ArticleList).update_state(article_id, read=read, starred=starred)
        article = self._open_article
        if article is not None and article.id == article_id:
            self._open_article = replace(
                article,
                read=article.read if read is None else read,
                starred=article.starred if starred is None else starred,
            )
            self.query_one(ArticleView).show_starred(self._open_article.starred)
        self.query_one(StateWriter).write(article_id, read=read, starred=starred)
        self.refresh_bindings()

    @on(StateWriter.Saved)
    def _count_again(self) -> None:
        self.query_one(FeedsColumn).recount()

    def _target(self) -> tuple[int, bool, bool] | None:
        """The article m and s act on, with its read and star flags as shown."""
        listed = self._listed_target()
        if listed is not None:
            summary = self.query_one(ArticleList).summary(listed)
            if summary is not None:
                return summary.id, summary.read, summary.starred
        article = self._open_article
        if article is None or article.id is None:
            return None
        return article.id, article.read, article.starred

    # What the panes report

    @on(ArticleList.Highlighted)
    def _follow_list_highlight(self) -> None:
        self.refresh_bindings()  # m, s and o may now act on another article

    @on(ArticleList.ArticleChosen)
    def _open_chosen_article(self, message: ArticleList.ArticleChosen) -> None:
        self.open_location(ArticleLocation(message.article_id))
        if self.zoomed or not self.query_one(ArticleView).display:
            self.set_focus(self.query_one(ArticleView))  # the list gives way to the article

    @on(Sidebar.RelatedChosen)
    def _open_related_item(self, message: Sidebar.RelatedChosen) -> None:
        item = message.article.related[message.position]
        if item.article_id is not None:
            self.open_location(ArticleLocation(item.article_id))
        elif message.article.id is not None:
            self.open_location(RelatedLocation(message.article.id, message.position))

    @on(Sidebar.SimilarChosen)
    def _open_similar_story(self, message: Sidebar.SimilarChosen) -> None:
        self.open_location(ArticleLocation(message.article_id))

    # Actions

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Keys only show when they can act: something to go back to, an article, a link."""
        if action == "back":
            return self._history.can_go_back
        if action == "forward":
            return self._history.can_go_forward
        if action == "refresh":
            return None if self.query_one(FeedsColumn).refreshing else True  # dimmed meanwhile
        if action in ("toggle_read", "toggle_star"):
            return self._target() is not None
        if action == "save_search":
            return self.query_one(FeedsColumn).view.search is not None
        return super().check_action(action, parameters)  # undo, links, media, the programme

    def action_back(self) -> None:
        location = self._history.back()
        self.refresh_bindings()
        if location is not None:
            self._load_location(location)

    def action_forward(self) -> None:
        location = self._history.forward()
        self.refresh_bindings()
        if location is not None:
            self._load_location(location)

    def action_search(self) -> None:
        from newsreader.ui.screens.search import SearchScreen  # opened first here, not at start

        search = SearchScreen(self._store, on_saved=self._list_saved_search)
        self.app.push_screen(search, self._open_search_hit)

    def _open_search_hit(self, choice: SearchChoice | None) -> None:
        """Open the hit; its query goes into the search history."""
        if choice is None:
            return
        self._remember_search(choice.query)
        hit = choice.hit
        if hit.related_position is None:
            self.open_location(ArticleLocation(hit.article_id))
        else:
            self.open_location(RelatedLocation(hit.article_id, hit.related_position))

    def _list_saved_search(self, _saved: SavedSearch) -> None:
        self.query_one(FeedsColumn).recount()

    def action_save_search(self) -> None:
        """Keep the saved search shown under another name (asked for, its own offered)."""
        from newsreader.ui.screens.save_search import SaveSearchScreen

        column = self.query_one(FeedsColumn)
        query = column.view.search
        if query is not None:
            name = column.view.title or query

            def save_as(chosen: str | None) -> None:
                if chosen is not None:
                    column.save_search(chosen, query)

            self.app.push_screen(SaveSearchScreen(query, name), save_as)

    def _refresh_automatically(self) -> None:
        """The timer's refresh: what r does, unless a refresh is running already."""
        if self.check_action("refresh", ()) is True:
            self.action_refresh()

    def action_refresh(self) -> None:
        """Refresh every feed in the background; a second press while it runs does nothing."""
        self.query_one(FeedsColumn).start_refresh()
        self.refresh_bindings()

    def action_toggle_read(self) -> None:
        target = self._target()
        if target is not None:
            article_id, read, _ = target
            self._set_state(article_id, read=not read)

    def action_toggle_star(self) -> None:
        target = self._target()
        if target is not None:
            article_id, _, starred = target
            self._set_state(article_id, starred=not starred)
