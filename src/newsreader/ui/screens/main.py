"""The reading screen: article list, article view and sidebar, with a history of what was opened.

Store reads run in thread workers; their results come back as messages and are applied
only if the reader has not moved on in the meantime.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, Header
from textual.worker import Worker, WorkerState

from newsreader.models import Article, ArticleSummary, RelatedItem, SearchHit
from newsreader.sanitize import openable_url
from newsreader.store import Store
from newsreader.ui.history import ArticleLocation, History, Location, RelatedLocation
from newsreader.ui.render import Palette, format_day, format_time, palette_from_theme
from newsreader.ui.screens.search import SearchScreen
from newsreader.ui.widgets.article_list import ArticleList
from newsreader.ui.widgets.article_view import ArticleView
from newsreader.ui.widgets.sidebar import Sidebar

NO_ARTICLES = "No articles are stored yet."
GONE = "This article is no longer stored."


class MainScreen(Screen[None]):
    """Owns the history; the panes only display and report what the reader chose."""

    HELP_SECTION: ClassVar[str] = "General"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("tab", "next_pane", "Next pane", show=False, id="next-pane"),
        Binding("shift+tab", "previous_pane", "Previous pane", show=False, id="previous-pane"),
        Binding("backspace,alt+left", "back", "Back", id="back"),
        Binding("alt+right", "forward", "Forward", id="forward"),
        Binding("slash", "search", "Search", id="search"),
    ]

    @dataclass
    class ArticlesLoaded(Message):
        summaries: list[ArticleSummary]

    @dataclass
    class LocationLoaded(Message):
        """What to show for ``location``: an article, or a related item's teaser.

        ``sidebar`` is the article whose sections stay beside it.
        """

        location: Location
        article: Article | None
        item: RelatedItem | None
        sidebar: Article | None

    def __init__(self, store: Store) -> None:
        super().__init__()
        self._store = store
        self._history = History()

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="panes"):
            yield ArticleList(id="article-list")
            yield ArticleView(id="article-view")
            yield Sidebar(id="sidebar")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(ArticleList).focus()
        self.app.theme_changed_signal.subscribe(self, self._restyle)
        self._load_articles()

    def _restyle(self, _theme: object) -> None:
        """Rendered text carries theme colours, so draw it again in the new theme."""
        self._load_articles()
        if self._history.current is not None:
            self._load_location(self._history.current)

    @property
    def palette(self) -> Palette:
        return palette_from_theme(self.app.theme_variables)

    @property
    def _panes(self) -> list[Widget]:
        return [self.query_one(ArticleList), self.query_one(ArticleView), self.query_one(Sidebar)]

    # Workers: store reads off the UI thread

    @work(thread=True, exclusive=True, group="articles", exit_on_error=False)
    def _load_articles(self) -> None:
        self.post_message(self.ArticlesLoaded(self._store.articles()))

    @work(thread=True, exclusive=True, group="location", exit_on_error=False)
    def _load_location(self, location: Location) -> None:
        parent = self._store.article(location.article_id)
        if isinstance(location, ArticleLocation) or parent is None:
            self.post_message(self.LocationLoaded(location, parent, None, parent))
            return
        related = parent.related
        item = related[location.position] if 0 <= location.position < len(related) else None
        if item is not None and item.article_id is not None:
            linked = self._store.article(item.article_id)
            if linked is not None:
                self.post_message(self.LocationLoaded(location, linked, None, linked))
                return
        self.post_message(self.LocationLoaded(location, None, item, parent))

    @work(thread=True, group="read-state", exit_on_error=False)
    def _mark_read(self, article_id: int) -> None:
        self._store.set_read(article_id)

    @on(Worker.StateChanged)
    def _report_failed_worker(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.ERROR:
            self.notify(
                f"Reading the store failed: {event.worker.error}", severity="error", markup=False
            )

    # Showing things

    def open_location(self, location: Location) -> None:
        """Open something new: it goes onto the history."""
        self._history.visit(location)
        self.refresh_bindings()
        self._load_location(location)

    @on(ArticlesLoaded)
    def _show_articles(self, message: ArticlesLoaded) -> None:
        article_list = self.query_one(ArticleList)
        article_list.show_summaries(message.summaries, self.palette)
        if self._history.current is None:
            if message.summaries:
                self.open_location(ArticleLocation(message.summaries[0].id))
            else:
                self.query_one(ArticleView).show_notice(NO_ARTICLES, self.palette)

    @on(LocationLoaded)
    def _show_location(self, message: LocationLoaded) -> None:
        if message.location != self._history.current:
            return
        view, palette = self.query_one(ArticleView), self.palette
        self.query_one(Sidebar).show_article(message.sidebar, palette)
        if message.article is not None:
            view.show_article(message.article, palette)
            article_id = message.article.id
            if article_id is not None:
                self.query_one(ArticleList).highlight_article(article_id)
                self.query_one(ArticleList).mark_read(article_id)
                if not message.article.read:
                    self._mark_read(article_id)
        elif message.item is not None and message.sidebar is not None:
            view.show_teaser(message.item, message.sidebar.language, palette)
        else:
            view.show_notice(GONE, palette)

    # What the panes report

    @on(ArticleList.ArticleChosen)
    def _open_chosen_article(self, message: ArticleList.ArticleChosen) -> None:
        self.open_location(ArticleLocation(message.article_id))

    @on(Sidebar.RelatedChosen)
    def _open_related_item(self, message: Sidebar.RelatedChosen) -> None:
        item = message.article.related[message.position]
        if item.article_id is not None:
            self.open_location(ArticleLocation(item.article_id))
        elif message.article.id is not None:
            self.open_location(RelatedLocation(message.article.id, message.position))

    @on(Sidebar.ProgrammeChosen)
    def _describe_programme(self, message: Sidebar.ProgrammeChosen) -> None:
        slot, language = message.slot, message.language
        when = ""
        if slot.start is not None:
            when = (
                f", {format_day(slot.start.date(), language)} {format_time(slot.start, language)}"
            )
        self.notify(
            f"{slot.station}, {slot.programme}{when}. No link is known for this broadcast.",
            title="On air",
            markup=False,
        )

    @on(Sidebar.MediaChosen)
    def _open_media(self, message: Sidebar.MediaChosen) -> None:
        url = openable_url(message.item.url)
        if url is None:
            self.notify(f"No link is known for this {message.item.kind}.", markup=False)
            return
        self.notify(f"Opening {url}", markup=False)
        self.app.open_url(url)

    # Actions

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Back and forward only show when there is somewhere to go."""
        if action == "back":
            return self._history.can_go_back
        if action == "forward":
            return self._history.can_go_forward
        return True

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

    def _cycle_panes(self, step: int) -> None:
        panes = self._panes
        focused = self.focused
        current = next(
            (n for n, pane in enumerate(panes) if focused is not None and focused is pane), -1
        )
        self.set_focus(panes[(current + step) % len(panes)])  # at once, for fast repeats

    def action_next_pane(self) -> None:
        self._cycle_panes(1)

    def action_previous_pane(self) -> None:
        self._cycle_panes(-1)

    def action_search(self) -> None:
        self.app.push_screen(SearchScreen(self._store), self._open_search_hit)

    def _open_search_hit(self, hit: SearchHit | None) -> None:
        if hit is None:
            return
        if hit.related_position is None:
            self.open_location(ArticleLocation(hit.article_id))
        else:
            self.open_location(RelatedLocation(hit.article_id, hit.related_position))
