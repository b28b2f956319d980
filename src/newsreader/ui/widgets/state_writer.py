"""Writes the read and star flags the reader sets, in thread workers, the last wish winning.

An invisible widget, so that its workers belong to the reading screen. The screen shows a
new flag at once; this only makes the store follow, and says when it has.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from textual import work
from textual.message import Message
from textual.widget import Widget

from newsreader.store.database import Store


class StateWriter(Widget):
    """Keeps the latest wish per article; writes take a lock, so the last wish wins."""

    DEFAULT_CSS = """
    StateWriter {
        display: none;
    }
    """

    @dataclass
    class Saved(Message):
        """A read or star flag reached the store, so the counts can follow."""

        article_id: int

    def __init__(self, store: Store, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._store = store
        self._wanted_read: dict[int, bool] = {}
        self._wanted_star: dict[int, bool] = {}
        self._lock = threading.Lock()

    def write(
        self, article_id: int, *, read: bool | None = None, starred: bool | None = None
    ) -> None:
        """Store the flags given (None leaves one as it is) in the background."""
        if read is not None:
            self._wanted_read[article_id] = read
        if starred is not None:
            self._wanted_star[article_id] = starred
        self._save(article_id)

    @work(thread=True, group="read-state", exit_on_error=False)
    def _save(self, article_id: int) -> None:
        with self._lock:
            read = self._wanted_read.get(article_id)
            starred = self._wanted_star.get(article_id)
            if read is not None:
                self._store.set_read(article_id, read)
            if starred is not None:
                self._store.set_starred(article_id, starred)
        self.post_message(self.Saved(article_id))
