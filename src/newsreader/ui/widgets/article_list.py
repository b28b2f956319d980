"""The left pane under the feeds: the articles of the chosen view, newest first, one line each.

A virtual list: only the rows on screen are drawn, and the store is read a page of rows at
a time in a thread worker, so a view of 100,000 articles opens as fast as one of ten. A row
whose page has not arrived yet is drawn as a dim placeholder until it has.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from textual import events, on, work
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.worker import Worker, WorkerState

from newsreader.models import ArticleSummary
from newsreader.store.database import Store
from newsreader.ui.labels import labels_of
from newsreader.ui.render import Palette
from newsreader.ui.settings import config_of
from newsreader.ui.views import ALL_ARTICLES, ArticleFilter
from newsreader.ui.widgets.article_pages import (
    PAGE_SIZE,
    ArticlePages,
    OpenedView,
    PageRequest,
    StateChange,
    ViewQuery,
    open_view,
)
from newsreader.ui.widgets.list_rows import RowPainter

if TYPE_CHECKING:
    from newsreader.ui.first_screen import FirstScreenRead


class ArticleList(ScrollView, can_focus=True):
    """Moving the highlight only selects; enter or a click opens."""

    HELP_SECTION: ClassVar[str] = "Article list"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down,j", "cursor_down", "Next article", show=False, id="list-next"),
        Binding("up,k", "cursor_up", "Previous article", show=False, id="list-previous"),
        Binding("enter", "select", "Open", id="list-open"),
        Binding("home", "first", "First article", show=False, id="list-first"),
        Binding("end", "last", "Last article", show=False, id="list-last"),
        Binding("pageup", "page_up", "Page up", show=False, id="list-page-up"),
        Binding("pagedown", "page_down", "Page down", show=False, id="list-page-down"),
    ]
    # The highlighted row and the rows still being read; styled in app.tcss.
    COMPONENT_CLASSES: ClassVar[set[str]] = {"article-list--cursor", "article-list--pending"}

    @dataclass
    class ArticleChosen(Message):
        """The reader asked to open this article."""

        article_id: int

    @dataclass
    class Highlighted(Message):
        """The highlight moved; ``article_id`` is None while its row is still being read."""

        article_id: int | None

    @dataclass
    class Listed(Message):
        """A view was read; ``first_id`` is its top article, if it has any."""

        first_id: int | None

    @dataclass
    class Opened(Message):
        """A view's row count, where its highlight goes, and the first pages of rows."""

        generation: int
        view: OpenedView
        screen_row: int | None  # None for a new view: the reader's changes are forgotten

    @dataclass
    class PagesRead(Message):
        generation: int
        pages: dict[int, list[ArticleSummary]]

    @dataclass
    class Located(Message):
        """Where the article asked for is listed (None: not in this view)."""

        generation: int
        moves: int
        index: int | None

    def __init__(
        self,
        store: Store,
        *,
        first_screen: FirstScreenRead | None = None,
        id: str | None = None,
    ) -> None:
        """``first_screen`` may hold the rows of the first view, read while starting."""
        super().__init__(id=id)
        self._first_screen = first_screen
        self.border_title = "Articles"
        self._store = store
        self._view = ALL_ARTICLES
        self._shown = False
        self._generation = 0
        self._wishes: dict[int, StateChange] = {}  # the reader's flags, newest per article
        self._rows = ArticlePages(wishes=self._wishes)
        self._cursor = 0
        self._moves = 0  # the reader's own moves, so a late lookup never yanks the cursor
        self._painter = RowPainter()
        self._empty = self._next_empty = ""
        self._loading = False
        self._load_queued = False
        self._failed_generation = -1
        self._announced: int | None = None

    # What the list shows

    def show_view(
        self, view: ArticleFilter, palette: Palette, *, prefer: int | None = None, empty: str = ""
    ) -> None:
        """Read the view's rows again, keeping the highlighted article where it still is.

        Reloading the same view keeps the rows the reader marked since it was chosen, even
        if they no longer belong (a read article in "All unread"), so nothing vanishes from
        under the cursor, and keeps the highlight on the same screen row. A new view
        highlights ``prefer`` (the open article) if it lists it.
        """
        same_view = self._shown and view == self._view
        self._painter.use_palette(palette)
        self._painter.date_format = config_of(self.app).ui.date_format
        self._painter.also_in = labels_of(self.app).also_in
        # The notice for an empty view shows once the view is known to be empty.
        self._view, self._next_empty, self._shown = view, empty, True
        self._generation += 1
        anchor = self.highlighted_article_id if same_view else prefer
        screen_row = self._cursor - self.scroll_offset.y if same_view else None
        cursor = self._cursor if same_view else 0
        first, self._first_screen = self._first_screen, None
        opened = first.take_rows() if first is not None and first.view == view else None
        if opened is not None and anchor is None and not same_view:
            self._show_view(opened, None)
            # Announced on the list's own turn: a message made while another widget handles
            # an event (the column, mounting) would stop at that widget.
            self.call_later(self._announce_view)
            return
        query = self._query(None if same_view else frozenset())
        self._open(self._generation, query, anchor, cursor, screen_row)

    @property
    def highlighted(self) -> int | None:
        """The highlighted row, or None when the list is empty."""
        return self._cursor if self._rows.count else None

    @property
    def highlighted_article_id(self) -> int | None:
        summary = self._rows.row(self._cursor) if self._rows.count else None
        return None if summary is None else summary.id

    @property
    def fetched_pages(self) -> int:
        """How many pages of rows are held now (bounded, whatever the list's length)."""
        return self._rows.page_count

    def summary(self, article_id: int) -> ArticleSummary | None:
        """The row's article as listed, with the read and star state the reader sees."""
        return self._rows.summary(article_id)

    def highlight_article(self, article_id: int) -> None:
        """Move the highlight to the article if the list shows it (looked up if need be)."""
        index = self._rows.index_of(article_id)
        if index is not None:
            self._move_to(index, by_reader=False)
        elif self._rows.count:
            self._locate(self._generation, self._moves, self._query(), article_id)

    def update_state(
        self, article_id: int, *, read: bool | None = None, starred: bool | None = None
    ) -> None:
        """Redraw one row after its read or star state changed."""
        change = StateChange(read, starred)
        self._wishes[article_id] = self._wishes.get(article_id, StateChange()).merged(change)
        if self._rows.change(article_id, change):
            self.refresh()

    def follow_read_flags(self, article_ids: list[int], *, read: bool) -> None:
        """The store set these flags in one step (mark all read, its undo): the reader's
        own earlier wishes for them give way, and a reload lists the view as it is now."""
        change = StateChange(read=read)
        for article_id in article_ids:
            if article_id in self._wishes:
                self._wishes[article_id] = self._wishes[article_id].merged(change)
        self._rows.changes.clear()

    # Workers: the store is read off the UI thread

    def _query(self, keep: frozenset[int] | None = None) -> ViewQuery:
        changes = self._rows.changes
        return ViewQuery(self._store, self._view, frozenset(changes) if keep is None else keep)

    @work(thread=True, exclusive=True, group="article-list", exit_on_error=False)
    def _open(
        self, generation: int, query: ViewQuery, anchor: int | None, cursor: int, row: int | None
    ) -> None:
        self.post_message(self.Opened(generation, open_view(query, anchor, cursor), row))

    @work(thread=True, group="article-pages", exit_on_error=False)
    def _read_pages(
        self, generation: int, query: ViewQuery, total: int, requests: list[PageRequest]
    ) -> None:
        pages = {request.page: query.page(request, total) for request in requests}
        self.post_message(self.PagesRead(generation, pages))

    @work(thread=True, exclusive=True, group="article-locate", exit_on_error=False)
    def _locate(self, generation: int, moves: int, query: ViewQuery, article_id: int) -> None:
        self.post_message(self.Located(generation, moves, query.position(article_id)))

    @on(Worker.StateChanged)
    def _report_failed_read(self, event: Worker.StateChanged) -> None:
        if event.state is not WorkerState.ERROR:
            return
        event.stop()
        if event.worker.group == "article-pages":
            self._loading = False
            self._failed_generation = self._generation  # no retrying until the next load
        failed = labels_of(self.app).list_failed.format(error=event.worker.error)
        self.notify(failed, severity="error", markup=False)

    # Results

    @on(Opened)
    def _show_opened_view(self, message: Opened) -> None:
        message.stop()
        if message.generation == self._generation:  # else a newer load is on its way
            self._show_view(message.view, message.screen_row)
            self._announce_view()

    def _show_view(self, opened: OpenedView, screen_row: int | None) -> None:
        changes = self._rows.changes if screen_row is not None else {}
        self._rows = ArticlePages(opened.count, changes, self._wishes)
        self._empty = self._next_empty
        for page, rows in opened.pages.items():
            self._rows.add(page, rows)
        self._cursor = opened.cursor
        self._update_virtual_size()
        if screen_row is None:
            self.scroll_to(y=0, animate=False, immediate=True)
            self._scroll_to_cursor()
        else:
            top = max(0, min(opened.cursor - screen_row, self.max_scroll_y))
            self.scroll_to(y=top, animate=False, immediate=True)
        self.refresh()

    def _announce_view(self) -> None:
        self._announce()
        first = self._rows.row(0) if self._rows.count else None
        self.post_message(self.Listed(first.id if first is not None else None))

    @on(PagesRead)
    def _show_pages(self, message: PagesRead) -> None:
        message.stop()
        self._loading = False
        if message.generation == self._generation:
            for page, rows in message.pages.items():
                self._rows.add(page, rows)
            self.refresh()
            self._announce()
        self._queue_load()

    @on(Located)
    def _highlight_located(self, message: Located) -> None:
        message.stop()
        if (
            message.generation == self._generation
            and message.moves == self._moves
            and message.index is not None
            and message.index < self._rows.count
        ):
            self._move_to(message.index, by_reader=False)

    def _announce(self) -> None:
        """Say when the highlighted article changed, or became known as its page came in."""
        article_id = self.highlighted_article_id
        if article_id != self._announced:
            self._announced = article_id
            self.post_message(self.Highlighted(article_id))

    # Reading the pages the screen needs

    def _queue_load(self) -> None:
        if not self._load_queued:
            self._load_queued = True
            self.call_later(self._load_missing)

    def _load_missing(self) -> None:
        """Read the pages on screen, then those a screen above and below, one batch at once."""
        self._load_queued = False
        rows = self._rows
        if self._loading or not rows.count or self._failed_generation == self._generation:
            return
        top, height = self.scroll_offset.y, max(self.scrollable_content_region.height, 1)
        wanted = rows.missing(top, top + height - 1) or rows.missing(top - height, top + 2 * height)
        if self._cursor // PAGE_SIZE not in wanted:
            wanted += rows.missing(self._cursor, self._cursor)
        if wanted:
            self._loading = True
            requests = [rows.request(page) for page in wanted]
            self._read_pages(self._generation, self._query(), rows.count, requests)

    # Drawing

    def _update_virtual_size(self) -> None:
        height = self._rows.count or len(self._notice_lines(self.scrollable_content_region.width))
        self.virtual_size = Size(0, height)

    def _notice_lines(self, width: int) -> list[Strip]:
        """An empty view says why, so an empty list does not look broken."""
        return self._painter.notice(self._empty, width, self.app.console)

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        index = self.scroll_offset.y + y
        base = self.get_visual_style().rich_style
        blank = Strip.blank(width, base)
        if not self._rows.count:
            notice = self._notice_lines(width)
            return notice[index].apply_style(base) if index < len(notice) else blank
        if index >= self._rows.count:
            return blank
        style = base
        if index == self._cursor:
            style = self.get_visual_style("article-list--cursor").rich_style
        summary = self._rows.row(index)
        if summary is None:
            self._queue_load()
            pending = self.get_visual_style("article-list--pending", partial=True).rich_style
            return self._painter.pending(width, style, pending)
        return self._painter.row(summary, width, style, self.app.console)

    def on_resize(self) -> None:
        self._update_virtual_size()

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        """Scrolling reads the pages a screen ahead, so the rows are there on arrival."""
        super().watch_scroll_y(old_value, new_value)
        self._queue_load()

    # Moving the highlight

    def _move_to(self, index: int, *, by_reader: bool = True, scroll: bool = True) -> None:
        if not self._rows.count:
            return
        if by_reader:
            self._moves += 1
        index = max(0, min(index, self._rows.count - 1))
        if index != self._cursor:
            old, self._cursor = self._cursor, index
            self.refresh_line(old)
            self.refresh_line(index)
        if scroll:
            self._scroll_to_cursor()
        self._announce()

    def _scroll_to_cursor(self) -> None:
        self.scroll_to_region(
            Region(0, self._cursor, 1, 1), animate=False, force=True, immediate=True
        )

    def _page(self, direction: int) -> None:
        """Move a screenful, keeping the highlight on the same screen row."""
        height = max(self.scrollable_content_region.height, 1)
        screen_row = self._cursor - self.scroll_offset.y
        self._move_to(self._cursor + direction * height, scroll=False)
        top = max(0, min(self._cursor - screen_row, self.max_scroll_y))
        self.scroll_to(y=top, animate=False, immediate=True)
        self._scroll_to_cursor()

    def action_cursor_down(self) -> None:
        self._move_to(self._cursor + 1)

    def action_cursor_up(self) -> None:
        self._move_to(self._cursor - 1)

    def action_first(self) -> None:
        self._move_to(0)

    def action_last(self) -> None:
        self._move_to(self._rows.count - 1)

    def action_page_down(self) -> None:
        self._page(1)

    def action_page_up(self) -> None:
        self._page(-1)

    def action_select(self) -> None:
        article_id = self.highlighted_article_id
        if article_id is not None:
            self.post_message(self.ArticleChosen(article_id))

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        index = self.scroll_offset.y + offset.y
        if index < self._rows.count:
            self._move_to(index)
            self.action_select()
