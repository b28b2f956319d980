"""The rows of a long article list that have been read so far, a page at a time.

Plain bookkeeping, apart from the widget: which pages are here, which are missing for a
range of rows, how to ask the store for a page, and the read and star state the reader
gave rows since the view was chosen (which wins over what a page read earlier says).
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, replace

from newsreader.models import ArticleSummary
from newsreader.store.database import Store
from newsreader.ui.views import ArticleFilter

PAGE_SIZE = 200
MAX_PAGES = 50  # at most 10,000 rows in memory, whatever the length of the list


@dataclass(frozen=True, slots=True)
class PageRequest:
    """How to read one page: by its offset, or next to a neighbour's first or last article."""

    page: int
    offset: int
    limit: int
    after: int | None = None
    before: int | None = None


@dataclass(frozen=True, slots=True)
class ViewQuery:
    """A view's rows as the store lists them, with the articles the reader keeps in it.

    Its methods read the store, so they run in thread workers.
    """

    store: Store
    view: ArticleFilter
    keep: frozenset[int] = frozenset()

    def count(self) -> int:
        view = self.view
        return self.store.count_listed(
            view.feed_id,
            unread_only=view.unread_only,
            starred_only=view.starred_only,
            keep=self.keep,
            query=view.search,
        )

    def position(self, article_id: int) -> int | None:
        view = self.view
        return self.store.listed_position(
            article_id,
            view.feed_id,
            unread_only=view.unread_only,
            starred_only=view.starred_only,
            keep=self.keep,
            query=view.search,
        )

    def page(self, request: PageRequest, total: int) -> list[ArticleSummary]:
        view = self.view
        return self.store.article_page(
            view.feed_id,
            unread_only=view.unread_only,
            starred_only=view.starred_only,
            keep=self.keep,
            query=view.search,
            offset=request.offset,
            limit=request.limit,
            after=request.after,
            before=request.before,
            total=total,
        )


@dataclass(frozen=True, slots=True)
class OpenedView:
    """A view as first read: its row count, the row to highlight, and the first pages."""

    count: int
    cursor: int
    pages: dict[int, list[ArticleSummary]]


def open_view(query: ViewQuery, anchor: int | None, cursor: int) -> OpenedView:
    """Read a view: highlight ``anchor``'s row if it is listed, else row ``cursor``; read
    the page at the top and the page of that row."""
    count = query.count()
    position = query.position(anchor) if anchor is not None else None
    cursor = position if position is not None else min(cursor, max(count - 1, 0))
    pages = {
        page: query.page(PageRequest(page, page * PAGE_SIZE, PAGE_SIZE), count)
        for page in ({0, cursor // PAGE_SIZE} if count else ())
    }
    return OpenedView(count, cursor, pages)


@dataclass(frozen=True, slots=True)
class StateChange:
    """The reader's latest wish for an article's flags; None leaves a flag as stored."""

    read: bool | None = None
    starred: bool | None = None

    def merged(self, other: StateChange) -> StateChange:
        return StateChange(
            self.read if other.read is None else other.read,
            self.starred if other.starred is None else other.starred,
        )

    def apply(self, summary: ArticleSummary) -> ArticleSummary:
        changed = replace(
            summary,
            read=summary.read if self.read is None else self.read,
            starred=summary.starred if self.starred is None else self.starred,
        )
        return summary if changed == summary else changed


class ArticlePages:
    """``count`` rows, of which the recently used pages are held; the rest are fetched."""

    def __init__(
        self,
        count: int = 0,
        changes: dict[int, StateChange] | None = None,
        wishes: dict[int, StateChange] | None = None,
    ) -> None:
        self.count = count
        # Articles the reader marked since the view was chosen: they stay listed (the
        # store is asked to keep them) and show the reader's flags.
        self.changes: dict[int, StateChange] = {} if changes is None else changes
        # Every flag the reader set, in any view: a page read before its write reached
        # the store would otherwise show the old flag.
        self.wishes: dict[int, StateChange] = {} if wishes is None else wishes
        self._pages: OrderedDict[int, list[ArticleSummary]] = OrderedDict()
        self._index: dict[int, int] = {}  # article id -> row, for the pages held

    @property
    def page_count(self) -> int:
        return len(self._pages)

    def row(self, index: int) -> ArticleSummary | None:
        """The article at row ``index``, or None while its page has not been read."""
        page = self._pages.get(index // PAGE_SIZE)
        if page is None:
            return None
        self._pages.move_to_end(index // PAGE_SIZE)
        offset = index % PAGE_SIZE
        return page[offset] if offset < len(page) else None

    def index_of(self, article_id: int) -> int | None:
        """The row of the article, if its page is held."""
        return self._index.get(article_id)

    def summary(self, article_id: int) -> ArticleSummary | None:
        index = self._index.get(article_id)
        return None if index is None else self.row(index)

    def add(self, page: int, rows: list[ArticleSummary]) -> None:
        """Hold a page, dropping the least recently used one beyond ``MAX_PAGES``."""
        self._drop(page)
        changes, wishes = self.changes, self.wishes
        rows = [
            (changes.get(summary.id) or wishes[summary.id]).apply(summary)
            if summary.id in changes or summary.id in wishes
            else summary
            for summary in rows
        ]
        self._pages[page] = rows
        start = page * PAGE_SIZE
        self._index.update((summary.id, start + n) for n, summary in enumerate(rows))
        while len(self._pages) > MAX_PAGES:
            self._drop(next(iter(self._pages)))

    def _drop(self, page: int) -> None:
        rows = self._pages.pop(page, None)
        for summary in rows or ():
            if self._index.get(summary.id, -1) // PAGE_SIZE == page:
                del self._index[summary.id]

    def change(self, article_id: int, change: StateChange) -> bool:
        """Note the reader's change to a held row; False if the row is not held or unchanged."""
        index = self._index.get(article_id)
        if index is None:
            return False
        page = self._pages[index // PAGE_SIZE]
        offset = index % PAGE_SIZE
        changed = change.apply(page[offset])
        if changed is page[offset]:
            return False
        page[offset] = changed
        self.changes[article_id] = self.changes.get(article_id, StateChange()).merged(change)
        return True

    def missing(self, first: int, last: int) -> list[int]:
        """The pages of rows ``first`` to ``last`` (inclusive) that are not held."""
        first, last = max(first, 0), min(last, self.count - 1)
        if last < first:
            return []
        pages = range(first // PAGE_SIZE, last // PAGE_SIZE + 1)
        return [page for page in pages if page not in self._pages]

    def request(self, page: int) -> PageRequest:
        """Ask by a neighbouring page's edge when one is held: that stays fast deep down."""
        offset = page * PAGE_SIZE
        limit = max(0, min(PAGE_SIZE, self.count - offset))
        above = self._pages.get(page - 1)
        if above and len(above) == PAGE_SIZE:
            return PageRequest(page, offset, limit, after=above[-1].id)
        below = self._pages.get(page + 1)
        if below and limit == PAGE_SIZE:
            return PageRequest(page, offset, limit, before=below[0].id)
        return PageRequest(page, offset, limit)
