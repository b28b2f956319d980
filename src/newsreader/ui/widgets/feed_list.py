"""The top of the left column: the three views across feeds, the saved searches, then every
feed, each with its counts.

Highlighting an entry shows its articles at once (reading nothing, so it is cheap and
harmless); enter or a click also moves on to the article list. Saved searches are named
by the reader: their names are shown as text and never used in widget ids.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.css.styles import RulesMap
from textual.message import Message
from textual.strip import Strip
from textual.style import Style
from textual.timer import Timer
from textual.visual import RenderOptions, Visual
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from newsreader.models import FeedSummary, SavedSearch
from newsreader.ui.feed_folders import FolderEntry, feed_entries
from newsreader.ui.labels import labels_of
from newsreader.ui.render import FeedRow, Palette, feed_row, heading_option
from newsreader.ui.views import ALL_ARTICLES, ALL_UNREAD, STARRED, ArticleFilter

SPINNER = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"
SPIN_SECONDS = 0.1
TITLE = "Feeds"
VIEW_LABELS = {"all": "All articles", "unread": "All unread", "starred": "Starred"}
VIEWS = {"all": ALL_ARTICLES, "unread": ALL_UNREAD, "starred": STARRED}


@dataclass(frozen=True, slots=True)
class Counts:
    """What the rows count: every article, the unread, the starred."""

    total: int = 0
    unread: int = 0
    starred: int = 0


class FeedRowVisual(Visual):
    """A feed row as the option list draws it: always one line, laid out at its width.

    The list measures every option's height; for a Rich renderable that means rendering
    it, for this it is simply one line, which keeps a list of many feeds quick to fill.
    """

    def __init__(self, row: FeedRow) -> None:
        self.row = row

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return container_width

    def get_height(self, rules: RulesMap, width: int) -> int:
        return 1

    def render_strips(
        self, width: int, height: int | None, style: Style, options: RenderOptions
    ) -> list[Strip]:
        content = Content.from_rich_text(self.row.line(width))
        return content.render_strips(width, height, style, options)


def _feed_option_id(feed_id: int) -> str:
    return f"feed-{feed_id}"


class FeedList(OptionList):
    """Keeps refresh progress and failures per feed, so a reload of the counts keeps them."""

    HELP_SECTION: ClassVar[str] = "Feed list"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down,j", "cursor_down", "Next feed", show=False, id="feeds-next"),
        Binding("up,k", "cursor_up", "Previous feed", show=False, id="feeds-previous"),
        Binding("enter", "select", "Show articles", id="feeds-open"),
        Binding("home", "first", "First entry", show=False, id="feeds-first"),
        Binding("end", "last", "Last feed", show=False, id="feeds-last"),
        Binding("d", "delete_search", "Delete saved search", id="delete-search"),
        Binding("d", "remove_feed", "Remove feed", id="remove-feed"),
    ]

    @dataclass
    class ViewChosen(Message):
        """The reader highlighted (``chosen`` False) or chose an entry."""

        view: ArticleFilter
        chosen: bool

    @dataclass
    class DeleteRequested(Message):
        """The reader asked to delete the saved search called ``name``."""

        name: str

    @dataclass
    class RemoveRequested(Message):
        """The reader asked to unsubscribe from this feed."""

        feed_id: int
        title: str

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.border_title = TITLE
        self._palette = Palette()
        self._feeds: dict[int, FeedSummary] = {}
        self._searches: list[SavedSearch] = []
        self._counts = Counts()
        self._errors: dict[int, str] = {}
        self._pending: set[int] = set()
        self._progress: tuple[int, int] | None = None
        self._frame = 0
        self._spinner: Timer | None = None
        self._folders: dict[int, tuple[str, ...]] = {}  # feed id -> its folder path
        self._collapsed: set[str] = set()
        self._folder_rows: list[FolderEntry] = []
        self._shown_feeds: set[int] = set()

    def on_mount(self) -> None:
        self.border_title = labels_of(self.app).feeds
        self._rebuild()

    # What the list shows

    def show_feeds(
        self,
        feeds: list[FeedSummary],
        counts: Counts,
        errors: dict[int, str] | None,
        palette: Palette,
        searches: list[SavedSearch] | None = None,
        folders: dict[int, tuple[str, ...]] | None = None,
    ) -> None:
        """New counts, saved searches and stored failures (None: as they were); the
        highlight stays on the same entry."""
        previous = self._highlighted_key()
        self._palette, self._counts = palette, counts
        if errors is not None:
            self._errors = {feed_id: message for feed_id, message in errors.items() if message}
        searches_before = [(saved.name, saved.query) for saved in self._searches]
        if searches is not None:
            self._searches = list(searches)
        ids_before = list(self._feeds)
        self._feeds = {summary.feed.id: summary for summary in feeds if summary.feed.id is not None}
        same_entries = searches_before == [(saved.name, saved.query) for saved in self._searches]
        if folders is not None and folders != self._folders:
            self._folders, same_entries = dict(folders), False
        if list(self._feeds) == ids_before and same_entries and self.option_count:
            self._redraw_all()
        else:
            self._rebuild(previous)
        self.refresh_tooltip()

    def _highlighted_key(self) -> str | None:
        """What is highlighted, in words that survive a rebuild: a saved search by name."""
        option = self.highlighted_option
        if option is None or option.id is None:
            return None
        if option.id.startswith("search-"):
            return "saved:" + self._searches[int(option.id.removeprefix("search-"))].name
        return option.id

    def _rebuild(self, previous: str | None = None) -> None:
        before = self.highlighted
        options: list[Option | None] = [
            Option(self._prompt(key), id=f"view-{key}") for key in VIEW_LABELS
        ]
        keys = [f"view-{key}" for key in VIEW_LABELS]
        if self._searches:
            options.append(None)
            heading = heading_option(labels_of(self.app).saved_searches, self._palette)
            options.append(Option(heading, id="saved-searches", disabled=True))
            keys.append("saved-searches")
            for number, saved in enumerate(self._searches):
                options.append(Option(self._search_prompt(number), id=f"search-{number}"))
                keys.append("saved:" + saved.name)
        if self._feeds:
            options.append(None)
            self._folder_rows, self._shown_feeds = [], set()
            for entry in feed_entries(self._feeds, self._folders, self._collapsed):
                if isinstance(entry, FolderEntry):
                    key = f"folder-{len(self._folder_rows)}"
                    self._folder_rows.append(entry)
                    options.append(Option(self._folder_prompt(entry), id=key))
                else:
                    key = _feed_option_id(entry.feed_id)
                    self._shown_feeds.add(entry.feed_id)
                    options.append(Option(self._prompt(entry.feed_id), id=key))
                keys.append(key)
        self.clear_options()
        self.add_options(options)
        if previous in keys:
            self.highlighted = keys.index(previous)
        else:  # a deleted search: its neighbour, if the entry there can be chosen
            index = min(before or 0, len(keys) - 1)
            self.highlighted = index if keys[index] != "saved-searches" else index - 1

    def _redraw_all(self) -> None:
        for key in VIEW_LABELS:
            self.replace_option_prompt(f"view-{key}", self._prompt(key))
        for number in range(len(self._searches)):
            self.replace_option_prompt(f"search-{number}", self._search_prompt(number))
        for feed_id in self._feeds:
            self._redraw(feed_id)
        for number, entry in enumerate(self._folder_rows):
            self.replace_option_prompt(f"folder-{number}", self._folder_prompt(entry))

    def _folder_prompt(self, entry: FolderEntry) -> FeedRowVisual:
        """A folder: open or shut, its name, and how many of its feeds' articles are unread."""
        unread = sum(
            self._feeds[feed_id].unread_count
            for feed_id in entry.feed_ids
            if feed_id in self._feeds
        )
        name = ("▸ " if entry.collapsed else "▾ ") + entry.name
        row = feed_row(
            name, Text(str(unread or ""), style="bold"), failed=False, palette=self._palette
        )
        return FeedRowVisual(row)

    def _redraw(self, feed_id: int) -> None:
        if feed_id in self._feeds and feed_id in self._shown_feeds:
            self.replace_option_prompt(_feed_option_id(feed_id), self._prompt(feed_id))

    def _prompt(self, key: str | int) -> FeedRowVisual:
        return FeedRowVisual(self._row(key))

    def _search_prompt(self, number: int) -> FeedRowVisual:
        """A saved search: its name (the reader's text) and how many of its matches are unread."""
        saved = self._searches[number]
        count = Text(str(saved.unread or ""))
        return FeedRowVisual(feed_row(saved.name, count, failed=False, palette=self._palette))

    def _row(self, key: str | int) -> FeedRow:
        palette, counts = self._palette, self._counts
        if isinstance(key, str):
            number = {"all": counts.total, "unread": counts.unread, "starred": counts.starred}[key]
            style = palette.muted if key == "all" else ""
            return feed_row(
                self._view_label(key), Text(str(number or ""), style), failed=False, palette=palette
            )
        summary = self._feeds[key]
        title = ("  " + summary.feed.title) if self._folders.get(key) else summary.feed.title
        if key in self._pending:
            count = Text(SPINNER[self._frame % len(SPINNER)], style=palette.accent)
        else:
            count = Text(str(summary.unread_count or ""))
        return feed_row(title, count, failed=key in self._errors, palette=palette)

    def _show_progress(self) -> None:
        labels = labels_of(self.app)
        if self._progress is None:
            self.border_title = labels.feeds
        else:
            done, total = self._progress
            progress = labels.refreshing.format(done=done, total=total)
            self.border_title = f"{labels.feeds} · {progress}"

    # Refresh progress, feed by feed

    def start_refresh(self, feed_ids: list[int]) -> None:
        self._pending = set(feed_ids)
        self._progress = (0, len(feed_ids))
        self._show_progress()
        for feed_id in feed_ids:
            self._redraw(feed_id)
        if self._spinner is None:
            self._spinner = self.set_interval(SPIN_SECONDS, self._spin)

    def feed_refreshed(self, feed_id: int | None, error: str | None, done: int, total: int) -> None:
        """One feed is done: its count comes back, or its failure mark and reason."""
        self._progress = (done, total)
        self._show_progress()
        if feed_id is None:
            return
        self._pending.discard(feed_id)
        if error:
            self._errors[feed_id] = error
        else:
            self._errors.pop(feed_id, None)
        self._redraw(feed_id)
        self.refresh_tooltip()

    def end_refresh(self) -> None:
        pending, self._pending, self._progress = self._pending, set(), None
        self._show_progress()
        if self._spinner is not None:
            self._spinner.stop()
            self._spinner = None
        for feed_id in pending:
            self._redraw(feed_id)

    def _spin(self) -> None:
        self._frame += 1
        for feed_id in self._pending:
            self._redraw(feed_id)

    # What is highlighted

    @property
    def highlighted_feed_id(self) -> int | None:
        option = self.highlighted_option
        if option is None or option.id is None or not option.id.startswith("feed-"):
            return None
        return int(option.id.removeprefix("feed-"))

    @property
    def highlighted_search(self) -> SavedSearch | None:
        option = self.highlighted_option
        if option is None or option.id is None or not option.id.startswith("search-"):
            return None
        return self._searches[int(option.id.removeprefix("search-"))]

    @property
    def highlighted_view(self) -> ArticleFilter:
        option = self.highlighted_option
        if option is None or option.id is None:
            return ALL_ARTICLES
        if option.id.startswith("view-"):
            return VIEWS[option.id.removeprefix("view-")]
        if option.id.startswith("search-"):
            saved = self._searches[int(option.id.removeprefix("search-"))]
            return ArticleFilter(search=saved.query, title=saved.name)
        if option.id.startswith("feed-"):
            return ArticleFilter(feed_id=int(option.id.removeprefix("feed-")))
        return ALL_ARTICLES

    @property
    def highlighted_error(self) -> str | None:
        """Why the highlighted feed failed its last refresh, if it did."""
        feed_id = self.highlighted_feed_id
        return None if feed_id is None else self._errors.get(feed_id)

    def label(self, view: ArticleFilter) -> str:
        """A view's name, for the article list's title."""
        if view.title is not None:
            return view.title
        if view.feed_id is not None:
            summary = self._feeds.get(view.feed_id)
            return summary.feed.title if summary is not None else labels_of(self.app).feed
        key = next((key for key, known in VIEWS.items() if known == view), "all")
        return self._view_label(key)

    def _view_label(self, key: str) -> str:
        """The name of one of the three views, in the reader's language."""
        labels = labels_of(self.app)
        names = {"all": labels.all_articles, "unread": labels.all_unread}
        return names.get(key, labels.starred_view)

    def refresh_tooltip(self) -> None:
        error = self.highlighted_error
        self.tooltip = None if error is None else Text(error)

    @property
    def _highlighted_folder(self) -> FolderEntry | None:
        option = self.highlighted_option
        if option is None or option.id is None or not option.id.startswith("folder-"):
            return None
        return self._folder_rows[int(option.id.removeprefix("folder-"))]

    @on(OptionList.OptionHighlighted)
    def _announce_highlight(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        self.refresh_tooltip()
        self.screen.refresh_bindings()  # d shows only on a saved search or a feed
        if self._highlighted_folder is None:  # a folder's heading leaves the list as it is
            self.post_message(self.ViewChosen(self.highlighted_view, chosen=False))

    @on(OptionList.OptionSelected)
    def _announce_choice(self, event: OptionList.OptionSelected) -> None:
        """Enter shows the entry's articles; on a folder, it opens or shuts the folder."""
        event.stop()
        folder = self._highlighted_folder
        if folder is None:
            self.post_message(self.ViewChosen(self.highlighted_view, chosen=True))
            return
        self._collapsed ^= {folder.name}
        self._rebuild(self._highlighted_key())

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """d deletes a saved search or removes a feed: it shows only while one is highlighted."""
        if action == "delete_search":
            return self.highlighted_search is not None
        if action == "remove_feed":
            return self.highlighted_feed_id is not None
        return True

    def action_remove_feed(self) -> None:
        feed_id = self.highlighted_feed_id
        if feed_id is not None and feed_id in self._feeds:
            self.post_message(self.RemoveRequested(feed_id, self._feeds[feed_id].feed.title))

    def action_delete_search(self) -> None:
        saved = self.highlighted_search
        if saved is not None:
            self.post_message(self.DeleteRequested(saved.name))
