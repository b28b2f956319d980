"""The local SQLite store: feeds, articles, read state and the full-text index.

Each thread gets its own connection (workers run in threads), all on the same WAL-mode
file, so readers never wait for a writer. SQL is parameterised throughout.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from newsreader.models import (
    Article,
    ArticleSummary,
    Feed,
    FeedSummary,
    MediaItem,
    ProgrammeSlot,
    RelatedItem,
    SavedSearch,
    SearchHit,
    SectionLabels,
)
from newsreader.store import page_texts
from newsreader.store import saved as store_saved
from newsreader.store import search as store_search
from newsreader.store.feed_counts import KEPT_COUNTS
from newsreader.store.listing import ArticleListing
from newsreader.store.page_texts import PageTextStorage
from newsreader.store.query import SortOrder
from newsreader.store.rows import (
    blocks_from,
    feed_from_row,
    images_from,
    inflate,
    links_from,
    listed_time,
    parse_datetime,
    parse_day,
    register_functions,
    seen_at,
)
from newsreader.store.saving import ArticleSaving
from newsreader.store.schema import migrate
from newsreader.store.stories import (
    ALSO_IN_COLUMN,
    FIRST_OF_STORY,
    also_in,
    also_in_from_json,
    register_story_functions,
)
from newsreader.store.sync_queue import SYNC_COLUMNS, SYNC_JOIN, set_and_queue
from newsreader.store.upgrade_steps import UpgradeProgress

if TYPE_CHECKING:
    # Only saving and the sidebar's similar stories need these: imported where they are
    # used, they stay off the reader's start-up path.
    from newsreader.store.related import WordCounts


class Store(ArticleSaving, ArticleListing, PageTextStorage):
    """All reads and writes of newsreader's data go through here.

    Saving articles and paging through long lists live in mixins of their own
    (``saving``, ``listing``); they reach the database through ``connection`` and
    ``transaction`` only.
    """

    def __init__(self, path: Path, upgrade_progress: UpgradeProgress | None = None) -> None:
        """Open (and create or upgrade) the store; ``upgrade_progress`` hears how a long
        upgrade goes (``schema.migrate``)."""
        self.path = path
        self._local = threading.local()
        self._connections: list[tuple[threading.Thread, sqlite3.Connection]] = []
        self._lock = threading.Lock()
        self._word_counts: WordCounts | None = None  # made by the first similar_articles
        path.parent.mkdir(parents=True, exist_ok=True)
        migrate(self.connection(), progress=upgrade_progress)

    def connection(self) -> sqlite3.Connection:
        """This thread's connection, opened on first use."""
        connection: sqlite3.Connection | None = getattr(self._local, "connection", None)
        if connection is None:
            connection = sqlite3.connect(self.path, timeout=30, check_same_thread=False)
            connection.row_factory = sqlite3.Row
            connection.execute("PRAGMA journal_mode = WAL")
            connection.execute("PRAGMA synchronous = NORMAL")
            connection.execute("PRAGMA foreign_keys = ON")
            register_functions(connection)
            register_story_functions(connection)
            self._local.connection = connection
            with self._lock:
                self._connections.append((threading.current_thread(), connection))
        return connection

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """A short write transaction on this thread's connection.

        One opened inside another joins it, so that a caller can group many writes into
        one commit (a refresh does); the outermost commits, or rolls back on an error.
        """
        connection = self.connection()
        if getattr(self._local, "in_transaction", False):
            yield connection
            return
        self._local.in_transaction = True
        try:
            with connection:
                yield connection
        finally:
            self._local.in_transaction = False

    def close(self) -> None:
        """Close this thread's connection and those of threads that have ended.

        A connection another thread may still be using is left alone: closing it under a
        running query can crash the process. It closes when its thread's storage goes.
        """
        me = threading.current_thread()
        with self._lock:
            kept = []
            for owner, connection in self._connections:
                if owner is me or not owner.is_alive():
                    connection.close()
                else:
                    kept.append((owner, connection))
            self._connections = kept
        self._local = threading.local()

    # Feeds

    def add_feed(self, feed: Feed) -> Feed:
        """Subscribe to ``feed.source``, or refresh its title if already subscribed.

        A title the user chose (``set_feed_options``) is kept.
        """
        with self.transaction() as db:
            db.execute(
                "INSERT INTO feeds (source, title, link, language, added_at) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT (source) DO UPDATE SET "
                "title = CASE WHEN feeds.own_title THEN feeds.title ELSE excluded.title END, "
                "link = COALESCE(excluded.link, feeds.link), "
                "language = COALESCE(excluded.language, feeds.language)",
                (feed.source, feed.title, feed.link, feed.language, datetime.now(UTC).isoformat()),
            )
            row = db.execute(
                f"SELECT feeds.*, {SYNC_COLUMNS} FROM feeds {SYNC_JOIN} WHERE feeds.source = ?",
                (feed.source,),
            ).fetchone()
        return feed_from_row(row)

    def set_feed_options(self, feed_id: int, *, own_title: str | None, hidden: bool) -> bool:
        """The user's own title for the feed (None: the feed's own) and whether it is hidden
        from the feed list; True if that changed anything."""
        with self.transaction() as db:
            cursor = db.execute(
                "UPDATE feeds SET title = COALESCE(?, title), own_title = ?, hidden = ? "
                "WHERE id = ? AND (own_title != ? OR hidden != ? "
                "OR (? IS NOT NULL AND title != ?))",
                (own_title, own_title is not None, hidden, feed_id,
                 own_title is not None, hidden, own_title, own_title),
            )  # fmt: skip
            return cursor.rowcount > 0

    def feed(self, feed_id: int) -> Feed | None:
        row = (
            self.connection()
            .execute(
                f"SELECT feeds.*, {SYNC_COLUMNS} FROM feeds {SYNC_JOIN} WHERE feeds.id = ?",
                (feed_id,),
            )
            .fetchone()
        )
        return feed_from_row(row) if row else None

    def has_feeds(self) -> bool:
        return self.connection().execute("SELECT 1 FROM feeds LIMIT 1").fetchone() is not None

    def feeds(self) -> list[FeedSummary]:
        rows = self.connection().execute(
            # Kept by triggers (migration 12): no article is counted here.
            f"SELECT feeds.*, {SYNC_COLUMNS}, COALESCE(feed_counts.total, 0) AS total, "
            "COALESCE(feed_counts.unread, 0) AS unread "
            f"FROM feeds {SYNC_JOIN} LEFT JOIN feed_counts ON feed_counts.feed_id = feeds.id "
            "ORDER BY feeds.title COLLATE NOCASE, feeds.id"
        )
        return [FeedSummary(feed_from_row(row), row["total"], row["unread"]) for row in rows]

    # Articles

    @staticmethod
    def _filter(
        feed_id: int | None, unread_only: bool, starred_only: bool
    ) -> tuple[str, list[object]]:
        clauses: list[str] = []
        params: list[object] = []
        if feed_id is not None:
            clauses.append("articles.feed_id = ?")
            params.append(feed_id)
        else:
            clauses.append(FIRST_OF_STORY)  # across feeds, each story once
        if unread_only:
            clauses.append("articles.read = 0")
        if starred_only:
            clauses.append("articles.starred = 1")
        return ("WHERE " + " AND ".join(clauses) if clauses else ""), params

    def articles(
        self,
        feed_id: int | None = None,
        *,
        unread_only: bool = False,
        starred_only: bool = False,
        limit: int = 500,
        offset: int = 0,
    ) -> list[ArticleSummary]:
        """Newest first; articles without a date come last. Across feeds, each story once."""
        where, params = self._filter(feed_id, unread_only, starred_only)
        rows = self.connection().execute(
            "SELECT articles.id, articles.feed_id, feeds.title AS feed_title, articles.title, "
            "articles.published, articles.updated, articles.read, articles.starred, "
            f"articles.sort_time, {ALSO_IN_COLUMN} "
            f"FROM articles JOIN feeds ON feeds.id = articles.feed_id {where} "
            "ORDER BY articles.sort_time IS NULL, articles.sort_time DESC, articles.id DESC "
            "LIMIT ? OFFSET ?",
            [*params, limit, offset],
        )
        return [
            ArticleSummary(
                id=row["id"],
                feed_id=row["feed_id"],
                feed_title=row["feed_title"],
                title=row["title"],
                published=listed_time(row["published"], row["updated"], row["sort_time"]),
                read=bool(row["read"]),
                starred=bool(row["starred"]),
                also_in=also_in_from_json(json.loads(row["also_in"])),
                first_seen=not (row["published"] or row["updated"])
                and row["sort_time"] is not None,
            )
            for row in rows
        ]

    def count_articles(
        self, feed_id: int | None = None, *, unread_only: bool = False, starred_only: bool = False
    ) -> int:
        kept = KEPT_COUNTS.get((feed_id is None, unread_only, starred_only))
        if kept is not None:  # kept by triggers (migration 12): read in a row per feed
            sql = f"SELECT COALESCE(SUM({kept}), 0) FROM feed_counts"
            row = (
                self.connection()
                .execute(
                    sql if feed_id is None else sql + " WHERE feed_id = ?",
                    () if feed_id is None else (feed_id,),
                )
                .fetchone()
            )
            return int(row[0])
        where, params = self._filter(feed_id, unread_only, starred_only)
        row = self.connection().execute(f"SELECT COUNT(*) FROM articles {where}", params).fetchone()
        return int(row[0])

    def article(self, article_id: int) -> Article | None:
        db = self.connection()
        row = db.execute(
            "SELECT articles.*, feeds.title AS feed_title FROM articles "
            "JOIN feeds ON feeds.id = articles.feed_id WHERE articles.id = ?",
            (article_id,),
        ).fetchone()
        if row is None:
            return None
        labels = json.loads(row["labels"] or "{}")
        article = Article(
            id=row["id"],
            feed_id=row["feed_id"],
            feed_title=row["feed_title"],
            guid=row["guid"],
            title=row["title"],
            kicker=row["kicker"],
            teaser=row["teaser"],
            blocks=blocks_from(inflate(row["body_z"]), row["layout"]),
            url=row["url"],
            author=row["author"],
            language=row["language"],
            published=parse_datetime(row["published"]),
            updated=parse_datetime(row["updated"]),
            related=self._related(db, article_id),
            programme=tuple(
                ProgrammeSlot(r["station"], r["programme"], parse_datetime(r["start"]))
                for r in db.execute(
                    "SELECT * FROM programme_slots WHERE article_id = ? ORDER BY position",
                    (article_id,),
                )
            ),
            media=tuple(
                MediaItem(
                    r["title"],
                    r["duration_seconds"],
                    r["url"],
                    r["kind"],
                    r["mime_type"],
                    r["length"],
                )
                for r in db.execute(
                    "SELECT * FROM media_items WHERE article_id = ? ORDER BY position",
                    (article_id,),
                )
            ),
            labels=SectionLabels(
                related=labels.get("related"),
                programme=labels.get("programme"),
                media=labels.get("media"),
                stamp=labels.get("stamp"),
            ),
            links=links_from(row["links"]),
            images=images_from(row["images"]),
            tags=store_saved.tags_of(db, article_id),
            read=bool(row["read"]),
            starred=bool(row["starred"]),
            also_in=also_in(db, article_id),
            # Only for an article without a date of its own: the time it is listed by.
            first_seen=None
            if row["published"] or row["updated"]
            else seen_at(row["first_seen"] or row["sort_time"]),
        )
        return page_texts.with_page(db, article)

    @staticmethod
    def _related(db: sqlite3.Connection, article_id: int) -> tuple[RelatedItem, ...]:
        """Related items, each linked to a stored article with the same URL or title."""
        rows = db.execute(
            "SELECT related_items.*, ("
            "  SELECT articles.id FROM articles WHERE articles.id != related_items.article_id"
            "  AND ((related_items.url IS NOT NULL AND articles.url = related_items.url)"
            "       OR articles.title = related_items.title)"
            "  ORDER BY articles.id LIMIT 1"
            ") AS linked_id FROM related_items WHERE article_id = ? ORDER BY position",
            (article_id,),
        )
        return tuple(
            RelatedItem(r["title"], r["teaser"], parse_day(r["day"]), r["url"], r["linked_id"])
            for r in rows
        )

    def set_read(self, article_id: int, read: bool = True) -> list[int]:
        """Mark every copy of the article's story; returns the ids that changed."""
        with self.transaction() as db:
            return set_and_queue(db, article_id, "read", read)

    def set_starred(self, article_id: int, starred: bool = True) -> list[int]:
        """Star every copy of the article's story; returns the ids that changed."""
        with self.transaction() as db:
            return set_and_queue(db, article_id, "starred", starred)

    def similar_articles(self, article_id: int, limit: int = 8) -> list[RelatedItem]:
        """Stored stories most like the article, best first (``related.py``); for a worker."""
        from newsreader.store.related import WordCounts, similar_articles  # off the start-up path

        with self._lock:
            if self._word_counts is None:
                self._word_counts = WordCounts()
            counts = self._word_counts
        return similar_articles(self.connection(), article_id, limit, counts)

    # Search

    def search(
        self, text: str, limit: int = 50, *, sort: SortOrder = SortOrder.RELEVANCE
    ) -> list[SearchHit]:
        """Full-text search over articles and related items (language in ``query.py``).

        By relevance, hits on the exact words come first, ranked by bm25 (title over
        teaser over body), then those found through other word forms; a query so common
        that ranking would be slow lists the newest matches. By date, newest first. A
        query of filters alone lists the newest articles that pass them.
        """
        return store_search.search(self.connection(), text, limit, sort)

    def save_search(self, name: str, query: str) -> SavedSearch:
        """Keep ``query`` under ``name`` (QuerySyntaxError if it cannot be searched)."""
        saved = store_saved.save_search(self.connection(), name, query)
        found = {search.name: search for search in self.saved_searches()}
        return found.get(saved.name, saved)

    def saved_searches(self) -> list[SavedSearch]:
        """Every saved search with its current counts, by name (kept: search_counts.py)."""
        from newsreader.store.search_counts import search_counts

        def where(query: str) -> tuple[list[str], list[object]]:
            return self._listed_where(None, False, False, (), query=query)

        return store_saved.saved_searches(
            self.connection(), lambda db, found: search_counts(db, where, found)
        )

    def delete_search(self, name: str) -> bool:
        return store_saved.delete_search(self.connection(), name)

    def remember_search(self, text: str) -> None:
        """Add a query to the search history (deduplicated, newest wins, capped)."""
        store_saved.remember_search(self.connection(), text)

    def search_history(self, limit: int = 100) -> list[str]:
        """The remembered queries, newest first."""
        return store_saved.search_history(self.connection(), limit)

    def integrity_ok(self) -> bool:
        row = self.connection().execute("PRAGMA integrity_check").fetchone()
        return bool(row and row[0] == "ok")
