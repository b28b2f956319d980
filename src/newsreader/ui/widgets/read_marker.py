"""Marks a whole view read in one step (a feed, a view across feeds, a saved search), and
takes it back once on request.

An invisible widget, so that its workers belong to the reading screen. The store does the
marking in one statement; the articles it changed are kept, so that an undo makes exactly
those unread again and nothing the reader had read before.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import work
from textual.message import Message
from textual.widget import Widget

from newsreader.store.database import Store
from newsreader.ui.views import ArticleFilter


class ReadMarker(Widget):
    """Holds what the last "mark all read" changed, until it is undone or replaced."""

    DEFAULT_CSS = """
    ReadMarker {
        display: none;
    }
    """

    @dataclass
    class Marked(Message):
        """``stories`` stories (``article_ids`` with their copies) changed their read flag."""

        article_ids: list[int]
        stories: int
        read: bool

    def __init__(self, store: Store, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._store = store
        self.undoable: list[int] = []

    @property
    def can_undo(self) -> bool:
        return bool(self.undoable)

    @work(thread=True, exclusive=True, group="mark-all", exit_on_error=False)
    def mark_read(self, view: ArticleFilter) -> None:
        """Mark every article the view lists read (and their copies in other feeds)."""
        changed, stories = self._store.mark_listed_read(
            view.feed_id,
            unread_only=view.unread_only,
            starred_only=view.starred_only,
            query=view.search,
        )
        self.post_message(self.Marked(changed, stories, read=True))

    @work(thread=True, exclusive=True, group="mark-all", exit_on_error=False)
    def _unmark(self, article_ids: list[int]) -> None:
        stories = self._store.set_read_many(article_ids, read=False)
        self.post_message(self.Marked(article_ids, stories, read=False))

    def undo(self) -> None:
        """Make the articles the last marking changed unread again; once."""
        article_ids, self.undoable = self.undoable, []
        if article_ids:
            self._unmark(article_ids)
