"""A client for the Fever API (coldsweat, FreshRSS, Miniflux and others speak it).

Fever's item lists are unsorted and capped at 50, and ``since_id`` can skip items, so the
client walks ``since_id`` for everything new and then fetches, by ``with_ids`` in chunks,
whatever unread or saved item the walk missed. The api key is the md5 of
``email:password``: as good as the password, so it lives only in memory, only in POST
bodies, and never in an error. Fever marks one item per request: the API has no batch.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime
from typing import Any

from newsreader.sync.errors import AuthError, SyncError
from newsreader.sync.http import Http, malformed
from newsreader.sync.remote import RemoteFeed, RemoteItem

CHUNK = 50  # the most items a Fever server gives at once
MARKS = {("read", True): "read", ("read", False): "unread",
         ("starred", True): "saved", ("starred", False): "unsaved"}  # fmt: skip


class FeverClient:
    """One Fever account; the api key is made at login from the password command's answer."""

    def __init__(self, url: str, user: str, password: Callable[[], str]) -> None:
        self.url = url
        self.user = user
        self._password = password
        self.http = Http(url)
        self._key: str | None = None

    @property
    def requests(self) -> int:
        return self.http.requests

    def login(self) -> None:
        secret = f"{self.user}:{self._password()}"
        self._key = hashlib.md5(secret.encode()).hexdigest()
        self.call("")  # the bare api call only checks the key

    def call(self, query: str, **form: str) -> dict[str, Any]:
        """One request: filters go in the URL, the key and any mark in the POST body."""
        if self._key is None:
            self.login()
        separator = "&" if "?" in self.url else "?"
        address = f"{self.url}{separator}api" + (f"&{query}" if query else "")
        answer = self.http.post(address, data={"api_key": self._key or "", **form})
        if not isinstance(answer, dict) or "auth" not in answer:
            raise malformed(self.http.host, "not a Fever reply")
        if answer.get("auth") != 1:
            raise AuthError(f"{self.http.host} refused the email or password")
        return answer

    def feeds(self) -> list[RemoteFeed]:
        groups = self.call("groups")
        feeds = self.call("feeds")
        names: dict[int, str] = {}
        members: dict[str, str] = {}
        try:
            for group in groups.get("groups") or []:
                names[int(group["id"])] = str(group.get("title") or "")
            for link in groups.get("feeds_groups") or []:
                for feed_id in str(link.get("feed_ids") or "").split(","):
                    if feed_id.strip():
                        members[feed_id.strip()] = names.get(int(link["group_id"]), "")
            return [
                RemoteFeed(
                    str(int(feed["id"])),
                    str(feed.get("title") or ""),
                    str(feed.get("url") or ""),
                    members.get(str(int(feed["id"]))) or None,
                )
                for feed in feeds.get("feeds") or []
            ]
        except (KeyError, TypeError, ValueError, AttributeError):
            raise malformed(self.http.host, "feed list") from None

    def _items(self, answer: dict[str, Any]) -> list[RemoteItem]:
        items = answer.get("items")
        if not isinstance(items, list):
            raise malformed(self.http.host, "items")
        return sorted((self._item(item) for item in items), key=lambda item: item.remote_id)

    def items_since(self, since_id: int) -> Iterator[list[RemoteItem]]:
        while True:
            page = self._items(self.call(f"items&since_id={since_id}"))
            if not page:
                return
            yield page
            newest = max(item.remote_id for item in page)
            if newest <= since_id:
                return  # a server that ignores since_id would loop forever
            since_id = newest

    def items_with_ids(self, ids: Iterable[int]) -> Iterator[list[RemoteItem]]:
        wanted = sorted(set(ids))
        for start in range(0, len(wanted), CHUNK):
            chunk = wanted[start : start + CHUNK]
            page = self._items(self.call("items&with_ids=" + ",".join(map(str, chunk))))
            if page:
                yield page

    def _id_list(self, name: str) -> set[int]:
        value = self.call(name).get(name)
        if not isinstance(value, str):
            raise malformed(self.http.host, name)
        try:
            return {int(part) for part in value.split(",") if part.strip()}
        except ValueError:
            raise malformed(self.http.host, name) from None

    def unread_ids(self, feed_ids: list[str] | None = None) -> set[int]:
        return self._id_list("unread_item_ids")  # one short answer: always all of them

    def starred_ids(self) -> set[int]:
        return self._id_list("saved_item_ids")

    def push(self, field: str, value: bool, ids: list[int]) -> None:
        for item_id in ids:
            self.call("", mark="item", id=str(item_id), **{"as": MARKS[(field, value)]})

    def subscribe(self, url: str) -> None:
        raise SyncError("the Fever API cannot subscribe to feeds: subscribe on the server")

    def unsubscribe(self, remote_feed_id: str) -> None:
        raise SyncError("the Fever API cannot unsubscribe from feeds: do it on the server")

    def _item(self, data: Any) -> RemoteItem:
        try:
            item_id = int(data["id"])
            stamp = data.get("created_on_time")
            published = (
                datetime.fromtimestamp(int(stamp), UTC) if stamp and int(stamp) > 0 else None
            )
            return RemoteItem(
                remote_id=item_id,
                feed_remote_id=str(int(data["feed_id"])),
                guid=f"fever:{item_id}",
                title=str(data.get("title") or ""),
                html=str(data.get("html") or ""),
                url=str(data.get("url") or ""),
                author=str(data.get("author") or ""),
                published=published,
                read=bool(int(data.get("is_read") or 0)),
                starred=bool(int(data.get("is_saved") or 0)),
            )
        except (KeyError, TypeError, ValueError, OverflowError, OSError):
            raise malformed(self.http.host, "an item") from None

    def close(self) -> None:
        self.http.close()
