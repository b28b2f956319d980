"""What a server tells about its feeds and articles, as plain data, and what a client does.

The text in here is still the server's own, unchecked: convert.py sanitises it on the way
into the store, exactly as a refresh does with a feed.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

# Changes go to the server in batches of at most this many articles (one request each).
PUSH_BATCH = 500


@dataclass(frozen=True, slots=True)
class RemoteFeed:
    remote_id: str
    title: str
    url: str
    group: str | None
    unread: int | None = None  # the server's count, when its feed list gives one


@dataclass(frozen=True, slots=True)
class RemoteItem:
    remote_id: int
    feed_remote_id: str
    guid: str
    title: str
    html: str
    url: str
    author: str
    published: datetime | None
    read: bool
    starred: bool


class Client(Protocol):
    """One account's server. Every method raises SyncError (one line) when it fails."""

    def login(self) -> None: ...

    def feeds(self) -> list[RemoteFeed]: ...

    def items_since(self, since_id: int) -> Iterator[list[RemoteItem]]:
        """Pages of the items with an id above ``since_id``."""
        ...

    def items_with_ids(self, ids: Iterable[int]) -> Iterator[list[RemoteItem]]: ...

    def unread_ids(self, feed_ids: list[str] | None = None) -> set[int]:
        """The unread items (of these feeds only, where the API can tell them apart)."""
        ...

    def starred_ids(self) -> set[int]: ...

    def push(self, field: str, value: bool, ids: list[int]) -> None:
        """Set ``field`` ('read' or 'starred') to ``value`` on the items."""
        ...

    def subscribe(self, url: str) -> None: ...

    def unsubscribe(self, remote_feed_id: str) -> None: ...

    def close(self) -> None: ...
