"""The local SQLite store: feeds, articles, read state and the full-text index.

Each thread gets its own connection (workers run in threads), all on the same WAL-mode
file, so readers never wait for a writer. SQL is parameterised throughout.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

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
from newsreader.store import saved as store_saved
from newsreader.store import search as store_search
from newsreader.store.query import SortOrder
from newsreader.store.rows import (
    blocks_from,
    content_hash,
    inflate,
    links_from,
    parse_datetime,
    parse_day,
    register_functions,
    save_parts,
)
from newsreader.store.schema import migrate
from newsreader.store.stories import (
    ALSO_IN_COLUMN,
    FIRST_OF_STORY,
    NEW_STORY_COLUMNS,
    NEW_STORY_VALUES,
    also_in,
    also_in_from_json,
    register_story_functions,
    set_story_flag,
    story_place,
    update_story,
)

if TYPE_CHECKING:
    # Only saving and the sidebar's similar stories need these: imported where they are
    # used, they stay off the reader's start-up path.
    from newsreader.store.prepare import PreparedArticle
    from newsreader.store.related import WordCounts


@dataclass(frozen=True, slots=True)
class SaveResult:
    """How a batch of articles changed the store."""

    new: int = 0
    updated: int = 0
    unchanged: int = 0


class Store:
    """All reads and writes of newsreader's data go through here."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._local = threading.local()
        self._connections: list[tuple[threading.Thread, sqlite3.Connection]] = []
        self._lock = threading.Lock()
        self._word_counts: WordCounts | None = None  # made by the first similar_articles
        path.parent.mkdir(parents=True, exist_ok=True)
        migrate(self.connection())

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
        """Subscribe to ``feed.source``, or refresh its title if already subscribed."""
        with self.transaction() as db:
            db.execute(
                "INSERT INTO feeds (source, title, link, language, added_at) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT (source) DO UPDATE SET title = excluded.title, "
                "link = COALESCE(excluded.link, feeds.link), "
                "language = COALESCE(excluded.language, feeds.language)",
                (feed.source, feed.title, feed.link, feed.language, datetime.now(UTC).isoformat()),
            )
            row = db.execute("SELECT * FROM feeds WHERE source = ?", (feed.source,)).fetchone()
        return self._feed(row)

    @staticmethod
    def _feed(row: sqlite3.Row) -> Feed:
        return Feed(
            id=row["id"],
            source=row["source"],
            title=row["title"],
            link=row["link"],
            language=row["language"],
        )

    def feed(self, feed_id: int) -> Feed | None:
        row = self.connection().execute("SELECT * FROM feeds WHERE id = ?", (feed_id,)).fetchone()
        return self._feed(row) if row else None

    def has_feeds(self) -> bool:
        return self.connection().execute("SELECT 1 FROM feeds LIMIT 1").fetchone() is not None

    def feeds(self) -> list[FeedSummary]:
        rows = self.connection().execute(
            "SELECT feeds.*, COUNT(articles.id) AS total, "
            "COALESCE(SUM(articles.read = 0), 0) AS unread "
            "FROM feeds LEFT JOIN articles ON articles.feed_id = feeds.id "
            "GROUP BY feeds.id ORDER BY feeds.title COLLATE NOCASE, feeds.id"
        )
        return [FeedSummary(self._feed(row), row["total"], row["unread"]) for row in rows]

    # Articles

    def save_articles(
        self,
        feed_id: int,
        articles: Iterable[Article],
        prepared: Sequence[PreparedArticle] | None = None,
    ) -> SaveResult:
        """Insert new articles and update changed ones, keeping read and star state.

        ``prepared`` holds ``prepare_article`` of each article, in order, when the caller
        computed it already (a refresh does, beside the parsing); else it is done here, for
        the articles that are new or changed only.
        """
        # saving only: off the start-up path
        from newsreader.store.prepare import index_new_articles, prepare_article

        new = updated = unchanged = 0
        listed = list(articles)
        given: list[PreparedArticle | None] = (
            list(prepared) if prepared is not None else [None] * len(listed)
        )
        # One version per guid: a feed that repeats an entry means its last version.
        batch = list({a.guid: (a, p) for a, p in zip(listed, given, strict=True)}.values())
        with self.transaction() as db:
            known = self._known(db, feed_id, [article.guid for article, _ in batch])
            fresh: list[tuple[int | None, Article, PreparedArticle]] = []
            for article, ready in batch:
                digest = ready.digest if ready is not None else content_hash(article)
                existing = known.get(article.guid)
                if existing and existing["content_hash"] == digest:
                    unchanged += 1
                    continue
                if ready is None:
                    ready = prepare_article(article, digest)
                if existing:
                    article_id = existing["id"]
                    db.execute(
                        "UPDATE articles SET title = ?, kicker = ?, teaser = ?, body_z = ?, "
                        "layout = ?, url = ?, author = ?, language = ?, published = ?, "
                        "updated = ?, sort_time = ?, labels = ?, links = ?, content_hash = ? "
                        "WHERE id = ?",
                        (*ready.values, article_id),
                    )
                    updated += 1
                    update_story(db, article_id, feed_id, article, ready.body, ready.keys)
                else:
                    # Stored straight into its story (stories.py), ids known in one statement.
                    cursor = db.execute(
                        "INSERT INTO articles (title, kicker, teaser, body_z, layout, url, author, "
                        "language, published, updated, sort_time, labels, links, content_hash, "
                        f"feed_id, guid, {NEW_STORY_COLUMNS}) "
                        "SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                        f"{NEW_STORY_VALUES}",
                        (
                            *ready.values,
                            feed_id,
                            article.guid,
                            *story_place(db, feed_id, article, ready.body, ready.keys),
                        ),
                    )
                    article_id = cursor.lastrowid
                    fresh.append((article_id, article, ready))
                    new += 1
                save_parts(db, article_id, article, replace=existing is not None)
            index_new_articles(db, fresh)
        return SaveResult(new, updated, unchanged)

    @staticmethod
    def _known(db: sqlite3.Connection, feed_id: int, guids: list[str]) -> dict[str, sqlite3.Row]:
        """The stored id and content hash of those of ``guids`` the feed already has."""
        known: dict[str, sqlite3.Row] = {}
        for start in range(0, len(guids), 500):
            chunk = guids[start : start + 500]
            marks = ", ".join("?" for _ in chunk)
            for row in db.execute(
                "SELECT guid, id, content_hash FROM articles "
                f"WHERE feed_id = ? AND guid IN ({marks})",
                [feed_id, *chunk],
            ):
                known[row["guid"]] = row
        return known

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
            f"{ALSO_IN_COLUMN} "
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
                published=parse_datetime(row["updated"] or row["published"]),
                read=bool(row["read"]),
                starred=bool(row["starred"]),
                also_in=also_in_from_json(json.loads(row["also_in"])),
            )
            for row in rows
        ]

    def count_articles(
        self, feed_id: int | None = None, *, unread_only: bool = False, starred_only: bool = False
    ) -> int:
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
        return Article(
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
                MediaItem(r["title"], r["duration_seconds"], r["url"], r["kind"])
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
            tags=store_saved.tags_of(db, article_id),
            read=bool(row["read"]),
            starred=bool(row["starred"]),
            also_in=also_in(db, article_id),
        )

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
            return set_story_flag(db, article_id, "read", read)

    def set_starred(self, article_id: int, starred: bool = True) -> list[int]:
        """Star every copy of the article's story; returns the ids that changed."""
        with self.transaction() as db:
            return set_story_flag(db, article_id, "starred", starred)

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
        """Full-text search over articles and related items (language in ``search.py``).

        By relevance, hits on the exact words come first, ranked by bm25 (title over
        teaser over body), then those found through other word forms; a query so common
        that ranking would be slow lists the newest matches. By date, newest first. A
        query of filters alone lists the newest articles that pass them.
        """
        return store_search.search(self.connection(), text, limit, sort)

    def save_search(self, name: str, query: str) -> SavedSearch:
        """Keep ``query`` under ``name`` (QuerySyntaxError if it cannot be searched)."""
        saved = store_saved.save_search(self.connection(), name, query)
        total, unread = self._search_counts(saved.query)
        return SavedSearch(saved.name, saved.query, total, unread)

    def saved_searches(self) -> list[SavedSearch]:
        """Every saved search with its current counts, by name."""
        return store_saved.saved_searches(self.connection(), self._search_counts)

    def _search_counts(self, query: str) -> tuple[int, int]:
        clauses, params = self._listed_where(None, False, False, (), query=query)
        row = (
            self.connection()
            .execute(
                "SELECT COUNT(*), COALESCE(SUM(articles.read = 0), 0) FROM articles WHERE "
                + " AND ".join(clauses),
                params,
            )
            .fetchone()
        )
        return int(row[0]), int(row[1])

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

    # Paging through long article lists, for the reader's article list.
    #
    # The list is in the order of ``articles``: newest first, undated last, ties by id. In
    # SQLite that is simply ``sort_time DESC, id DESC`` (NULLs sort last going down), which
    # the index on sort_time serves. ``keep`` names articles that stay listed although they
    # no longer match unread_only/starred_only (the reader changed them since choosing the
    # view), so that the rows do not move under the reader.

    # The list's order and its reverse.
    _DOWN = "articles.sort_time DESC, articles.id DESC"
    _UP = "articles.sort_time ASC, articles.id ASC"
    _PAGE_COLUMNS = (
        "SELECT articles.id, articles.feed_id, feeds.title AS feed_title, articles.title, "
        "articles.published, articles.updated, articles.read, articles.starred, "
        f"articles.sort_time, {ALSO_IN_COLUMN} "
        "FROM articles JOIN feeds ON feeds.id = articles.feed_id "
    )
    _PAGE_AS_JSON = (
        "SELECT json_group_array(json_array(id, feed_id, feed_title, title, published, "
        "updated, read, starred, sort_time, json(also_in))) FROM "
    )

    @staticmethod
    def _listed_where(
        feed_id: int | None,
        unread_only: bool,
        starred_only: bool,
        keep: Collection[int],
        *,
        query: str | None = None,
    ) -> tuple[list[str], list[object]]:
        """The view's conditions on ``articles``, as clauses to AND together.

        ``query`` (the search language) keeps the articles that match it.
        """
        clauses: list[str] = []
        params: list[object] = []
        if query is not None:
            matching, params = store_search.query_clause(query)
            clauses.append(matching)
        if feed_id is not None:
            clauses.append("articles.feed_id = ?")
            params.append(feed_id)
        else:
            clauses.append(FIRST_OF_STORY)  # across feeds, each story once
        state = [
            clause
            for clause, wanted in (
                ("articles.read = 0", unread_only),
                ("articles.starred = 1", starred_only),
            )
            if wanted
        ]
        if state:
            condition = " AND ".join(state)
            if keep:
                condition = f"({condition} OR articles.id IN (SELECT value FROM json_each(?)))"
                params.append(json.dumps(sorted(keep)))
            clauses.append(condition)
        return clauses, params

    def _listed_rows(
        self, clauses: list[str], params: list[object], order: str, limit: int, offset: int = 0
    ) -> list[ArticleSummary]:
        """The rows in ``order``, read as a single JSON value.

        A reader thread that steps through rows one by one gives up the GIL at every row
        and may wait for it each time while the UI thread is busy (say, drawing the first
        screen); one value is one wait. JSON aggregates keep no order, so it is restored.
        """
        where = "WHERE " + " AND ".join(clauses) if clauses else ""
        # The page's ids first, from the indexes where they can serve: skipping ``offset``
        # rows then costs no reading of those rows, nor joining them with their feeds.
        page = f"SELECT articles.id FROM articles {where} ORDER BY {order} LIMIT ? OFFSET ?"
        row = (
            self.connection()
            .execute(
                f"{self._PAGE_AS_JSON}({self._PAGE_COLUMNS}WHERE articles.id IN ({page}))",
                [*params, limit, offset],
            )
            .fetchone()
        )
        items: list[list[Any]] = json.loads(row[0])
        # Newest first, undated last, ties by id: the order of _DOWN.
        items.sort(key=lambda item: (item[8] is None, -(item[8] or 0), -item[0]))
        if order == self._UP:
            items.reverse()
        return [
            ArticleSummary(
                id=article_id,
                feed_id=feed_id,
                feed_title=feed_title,
                title=title,
                published=parse_datetime(updated or published),
                read=bool(read),
                starred=bool(starred),
                also_in=also_in_from_json(copies),
            )
            for (
                article_id,
                feed_id,
                feed_title,
                title,
                published,
                updated,
                read,
                starred,
                _,
                copies,
            ) in items
        ]

    def _sort_key(self, article_id: int) -> tuple[int | None, int] | None:
        """Where the article sorts: (sort_time, id); None if it is not stored."""
        row = (
            self.connection()
            .execute("SELECT sort_time FROM articles WHERE id = ?", (article_id,))
            .fetchone()
        )
        return None if row is None else (row[0], article_id)

    def count_listed(
        self,
        feed_id: int | None = None,
        *,
        unread_only: bool = False,
        starred_only: bool = False,
        keep: Collection[int] = (),
        query: str | None = None,
    ) -> int:
        """How many rows the list of this view has."""
        clauses, params = self._listed_where(feed_id, unread_only, starred_only, keep, query=query)
        where = "WHERE " + " AND ".join(clauses) if clauses else ""
        row = self.connection().execute(f"SELECT COUNT(*) FROM articles {where}", params)
        return int(row.fetchone()[0])

    def listed_position(
        self,
        article_id: int,
        feed_id: int | None = None,
        *,
        unread_only: bool = False,
        starred_only: bool = False,
        keep: Collection[int] = (),
        query: str | None = None,
    ) -> int | None:
        """The article's row number in the list of this view; None if it is not listed."""
        key = self._sort_key(article_id)
        if key is None:
            return None
        clauses, params = self._listed_where(feed_id, unread_only, starred_only, keep, query=query)
        db = self.connection()
        listed = db.execute(
            "SELECT 1 FROM articles WHERE " + " AND ".join([*clauses, "articles.id = ?"]),
            [*params, article_id],
        ).fetchone()
        if listed is None:
            return None
        sort_time, _ = key
        if sort_time is None:
            above = "(articles.sort_time IS NOT NULL OR articles.id > ?)"
            key_params: list[object] = [article_id]
        else:
            above = "articles.sort_time >= ? AND (articles.sort_time > ? OR articles.id > ?)"
            key_params = [sort_time, sort_time, article_id]
        row = db.execute(
            "SELECT COUNT(*) FROM articles WHERE " + " AND ".join([*clauses, above]),
            [*params, *key_params],
        ).fetchone()
        return int(row[0])

    def article_page(
        self,
        feed_id: int | None = None,
        *,
        unread_only: bool = False,
        starred_only: bool = False,
        keep: Collection[int] = (),
        offset: int = 0,
        limit: int = 200,
        after: int | None = None,
        before: int | None = None,
        total: int | None = None,
        query: str | None = None,
    ) -> list[ArticleSummary]:
        """``limit`` rows of the list of this view, from row ``offset``.

        A caller that knows the article just above the page (``after``) or just below it
        (``before``) gets the page by that article's sort key, which costs the same deep in
        a long list as at its top. Otherwise, given the ``total`` row count, a page in the
        second half of the list is counted from the end.
        """
        clauses, params = self._listed_where(feed_id, unread_only, starred_only, keep, query=query)
        anchor = after if after is not None else before
        key = self._sort_key(anchor) if anchor is not None else None
        if key is not None and after is not None:
            return self._page_after(clauses, params, key, limit)
        if key is not None:
            return self._page_before(clauses, params, key, limit)
        if total is not None and offset + limit // 2 > total // 2:
            from_end = total - offset - limit
            if from_end < 0:
                limit, from_end = limit + from_end, 0
            if limit <= 0:
                return []
            rows = self._listed_rows(clauses, params, self._UP, limit, from_end)
            return rows[::-1]
        return self._listed_rows(clauses, params, self._DOWN, limit, offset)

    def _page_after(
        self,
        clauses: list[str],
        params: list[object],
        key: tuple[int | None, int],
        limit: int,
    ) -> list[ArticleSummary]:
        sort_time, article_id = key
        if sort_time is None:
            return self._listed_rows(
                [*clauses, "articles.sort_time IS NULL", "articles.id < ?"],
                [*params, article_id],
                self._DOWN,
                limit,
            )
        rows = self._listed_rows(
            [*clauses, "articles.sort_time <= ?", "(articles.sort_time < ? OR articles.id < ?)"],
            [*params, sort_time, sort_time, article_id],
            self._DOWN,
            limit,
        )
        if len(rows) < limit:
            undated = [*clauses, "articles.sort_time IS NULL"]
            rows += self._listed_rows(undated, params, self._DOWN, limit - len(rows))
        return rows

    def _page_before(
        self,
        clauses: list[str],
        params: list[object],
        key: tuple[int | None, int],
        limit: int,
    ) -> list[ArticleSummary]:
        sort_time, article_id = key
        if sort_time is not None:
            above = "(articles.sort_time > ? OR articles.id > ?)"
            rows = self._listed_rows(
                [*clauses, "articles.sort_time >= ?", above],
                [*params, sort_time, sort_time, article_id],
                self._UP,
                limit,
            )
            return rows[::-1]
        rows = self._listed_rows(
            [*clauses, "articles.sort_time IS NULL", "articles.id > ?"],
            [*params, article_id],
            self._UP,
            limit,
        )
        if len(rows) < limit:
            dated = [*clauses, "articles.sort_time IS NOT NULL"]
            rows += self._listed_rows(dated, params, self._UP, limit - len(rows))
        return rows[::-1]
