"""A client for the Tiny Tiny RSS JSON API (API level 15 and later).

Articles come in pages (getHeadlines, 200 at most, from an id on); read and star changes
go out as one updateArticle per batch and field, whatever the number of articles.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Any

from newsreader.sync.errors import AuthError, SessionExpired, SyncError
from newsreader.sync.http import Http, malformed
from newsreader.sync.remote import PUSH_BATCH, RemoteFeed, RemoteItem
from newsreader.text.sanitize import clean_line

PAGE = 200  # the most getHeadlines gives at once
ALL_ARTICLES = -4
STARRED = -1
ALL_FEEDS = -3
FIELDS = {"starred": 0, "read": 2}
# Up to this many feeds are asked one by one for their unread articles; beyond, all at once.
PER_FEED_LIMIT = 20
WINDOW = 4  # pages asked for at once


class TtrssClient:
    """One Tiny Tiny RSS account; the password is asked for at each login, never kept."""

    def __init__(self, url: str, user: str, password: Callable[[], str]) -> None:
        self.api_url = url.rstrip("/") + "/api/"
        self.user = user
        self._password = password
        self.http = Http(url)
        self._sid: str | None = None

    @property
    def requests(self) -> int:
        return self.http.requests

    def login(self) -> None:
        content = self._send({"op": "login", "user": self.user, "password": self._password()})
        sid = content.get("session_id") if isinstance(content, dict) else None
        if not isinstance(sid, str) or not sid:
            raise malformed(self.http.host, "login gave no session")
        self._sid = sid

    def _send(self, body: dict[str, Any]) -> Any:
        answer = self.http.post(self.api_url, json=body)
        if not isinstance(answer, dict) or "content" not in answer:
            raise malformed(self.http.host, f"{body['op']} is not an API reply")
        content = answer["content"]
        if answer.get("status") == 0:
            return content
        error = content.get("error") if isinstance(content, dict) else None
        if error == "NOT_LOGGED_IN":
            raise SessionExpired(f"{self.http.host} ended the session")
        if error == "LOGIN_ERROR":
            raise AuthError(f"{self.http.host} refused the user name or password")
        if error == "API_DISABLED":
            raise SyncError(f"the API is switched off for this user on {self.http.host}")
        reason = clean_line(error, limit=80) if isinstance(error, str) else "no reason given"
        raise SyncError(f"{self.http.host} refused {body['op']}: {reason}")

    def call(self, op: str, **params: Any) -> Any:
        """One API call; a session the server forgot is renewed once, then reported."""
        if self._sid is None:
            self.login()
        try:
            return self._send({"op": op, "sid": self._sid, **params})
        except SessionExpired:
            self.login()
            try:
                return self._send({"op": op, "sid": self._sid, **params})
            except SessionExpired:
                raise SyncError(
                    f"{self.http.host} ended the session again after a new login"
                ) from None

    def feeds(self) -> list[RemoteFeed]:
        categories = self.call("getCategories", include_empty=True)
        feeds = self.call("getFeeds", cat_id=ALL_FEEDS)
        if not isinstance(categories, list) or not isinstance(feeds, list):
            raise malformed(self.http.host, "feed list")
        names: dict[int, str] = {}
        for category in categories:
            if isinstance(category, dict) and isinstance(category.get("id"), int):
                names[category["id"]] = str(category.get("title") or "")
        found: list[RemoteFeed] = []
        for feed in feeds:
            if not isinstance(feed, dict) or not isinstance(feed.get("id"), int):
                raise malformed(self.http.host, "feed list")
            if feed["id"] <= 0:
                continue  # virtual feeds (starred, published...) are views, not subscriptions
            cat_id = feed.get("cat_id")
            group = names.get(cat_id) if isinstance(cat_id, int) and cat_id > 0 else None
            unread = feed.get("unread")
            found.append(
                RemoteFeed(
                    str(feed["id"]),
                    str(feed.get("title") or ""),
                    str(feed.get("feed_url")),
                    group,
                    unread if isinstance(unread, int) else None,
                )
            )
        return found

    def _page(self, since_id: int, skip: int) -> list[RemoteItem]:
        page = self.call(
            "getHeadlines",
            feed_id=ALL_ARTICLES,
            view_mode="all_articles",
            since_id=since_id,
            limit=PAGE,
            skip=skip,
            show_content=True,
            order_by="date_reverse",
        )
        if not isinstance(page, list):
            raise malformed(self.http.host, "getHeadlines")
        return [self._item(headline) for headline in page]

    def items_since(self, since_id: int) -> Iterator[list[RemoteItem]]:
        """Pages in order; after a full first page, up to WINDOW more are asked for at
        once, so the server works on the next pages while this side stores one. At most
        WINDOW pages wait in memory."""
        first = self._page(since_id, 0)
        if first:
            yield first
        if len(first) < PAGE:
            return
        with ThreadPoolExecutor(max_workers=WINDOW) as pool:
            waiting: deque[Future[list[RemoteItem]]] = deque()
            next_skip = PAGE
            ended = False
            while True:
                while not ended and len(waiting) < WINDOW:
                    waiting.append(pool.submit(self._page, since_id, next_skip))
                    next_skip += PAGE
                if not waiting:
                    return
                try:
                    page = waiting.popleft().result()
                except BaseException:
                    for later in waiting:
                        later.cancel()
                    raise
                if page:
                    yield page
                if len(page) < PAGE:
                    ended = True  # the pages asked for after this one come back empty

    def items_with_ids(self, ids: Iterable[int]) -> Iterator[list[RemoteItem]]:
        wanted = sorted(set(ids))
        for start in range(0, len(wanted), PAGE):
            chunk = wanted[start : start + PAGE]
            page = self.call("getArticle", article_id=",".join(map(str, chunk)))
            if not isinstance(page, list):
                raise malformed(self.http.host, "getArticle")
            items = [self._item(article) for article in page]
            if items:
                yield items

    def _ids(self, **params: Any) -> set[int]:
        found: set[int] = set()
        skip = 0
        while True:
            page = self.call("getHeadlines", limit=PAGE, skip=skip, show_content=False, **params)
            if not isinstance(page, list):
                raise malformed(self.http.host, "getHeadlines")
            for headline in page:
                if not isinstance(headline, dict) or not isinstance(headline.get("id"), int):
                    raise malformed(self.http.host, "getHeadlines")
                found.add(headline["id"])
            if len(page) < PAGE:
                return found
            skip += len(page)

    def unread_ids(self, feed_ids: list[str] | None = None) -> set[int]:
        if feed_ids is None or len(feed_ids) > PER_FEED_LIMIT:
            return self._ids(feed_id=ALL_ARTICLES, view_mode="unread")
        found: set[int] = set()
        for feed_id in feed_ids:
            found |= self._ids(feed_id=int(feed_id), view_mode="unread")
        return found

    def starred_ids(self) -> set[int]:
        return self._ids(feed_id=STARRED, view_mode="all_articles")

    def push(self, field: str, value: bool, ids: list[int]) -> None:
        mode = (not value) if field == "read" else value  # tt-rss keeps 'unread'
        for start in range(0, len(ids), PUSH_BATCH):
            chunk = ids[start : start + PUSH_BATCH]
            self.call(
                "updateArticle",
                article_ids=",".join(map(str, chunk)),
                mode=int(mode),
                field=FIELDS[field],
            )

    def subscribe(self, url: str) -> None:
        answer = self.call("subscribeToFeed", feed_url=url, category_id=0)
        status = answer.get("status") if isinstance(answer, dict) else None
        code = status.get("code") if isinstance(status, dict) else None
        if code in (0, 1):
            return
        if not isinstance(code, int):
            raise malformed(self.http.host, "subscribeToFeed")
        message = clean_line(status.get("message"), limit=120) if isinstance(status, dict) else ""
        raise SyncError(f"{self.http.host} could not subscribe (code {code}) {message}".strip())

    def unsubscribe(self, remote_feed_id: str) -> None:
        self.call("unsubscribeFeed", feed_id=int(remote_feed_id))

    def _item(self, data: Any) -> RemoteItem:
        if not isinstance(data, dict) or not isinstance(data.get("id"), int):
            raise malformed(self.http.host, "an article without an id")
        stamp = data.get("updated")
        published = (
            datetime.fromtimestamp(stamp, UTC) if isinstance(stamp, int) and stamp > 0 else None
        )
        return RemoteItem(
            remote_id=data["id"],
            feed_remote_id=str(data.get("feed_id")),
            guid=f"ttrss:{data['id']}",
            title=str(data.get("title") or ""),
            html=str(data.get("content") or ""),
            url=str(data.get("link") or ""),
            author=str(data.get("author") or ""),
            published=published,
            read=not bool(data.get("unread")),
            starred=bool(data.get("marked")),
        )

    def close(self) -> None:
        self.http.close()
