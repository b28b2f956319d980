"""The local SQLite store: feeds, articles, read state and the full-text index.

Each thread gets its own connection (workers run in threads), all on the same WAL-mode
file, so readers never wait for a writer. SQL is parameterised throughout.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from newsreader.models import (
    Article,
    ArticleSummary,
    Block,
    BlockKind,
    Feed,
    FeedSummary,
    MediaItem,
    ProgrammeSlot,
    RelatedItem,
    SearchHit,
    SectionLabels,
)
from newsreader.schema import migrate
from newsreader.search import parse_query

SNIPPET_TOKENS = 12


def _snippet(table: str) -> str:
    """SQL for a snippet whose matches are wrapped in HIGHLIGHT_START/END."""
    return f"snippet({table}, -1, char(2), char(3), '…', {SNIPPET_TOKENS})"


@dataclass(frozen=True, slots=True)
class SaveResult:
    """How a batch of articles changed the store."""

    new: int = 0
    updated: int = 0
    unchanged: int = 0


def _iso(value: datetime | date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _datetime(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


def _day(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def _sort_time(article: Article) -> int | None:
    stamp = article.stamp
    if stamp is None:
        return None
    try:
        return int(stamp.timestamp())
    except (OverflowError, OSError, ValueError):
        return None


def _content_hash(article: Article) -> str:
    """A fingerprint of everything a feed can change, to tell updated from unchanged."""
    payload = json.dumps(
        [
            article.title,
            article.kicker,
            article.teaser,
            article.body,
            [block.kind for block in article.blocks],
            article.url,
            article.author,
            _iso(article.published),
            _iso(article.updated),
            [[i.title, i.teaser, _iso(i.date), i.url] for i in article.related],
            [[s.station, s.programme, _iso(s.start)] for s in article.programme],
            [[m.title, m.duration_seconds, m.url, m.kind] for m in article.media],
            [article.labels.related, article.labels.programme, article.labels.media],
            article.labels.stamp,
        ],
        ensure_ascii=False,
    )
    return hashlib.sha256(payload.encode()).hexdigest()


class Store:
    """All reads and writes of newsreader's data go through here."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._local = threading.local()
        self._connections: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
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
            self._local.connection = connection
            with self._lock:
                self._connections.append(connection)
        return connection

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """A short write transaction on this thread's connection."""
        connection = self.connection()
        with connection:
            yield connection

    def close(self) -> None:
        with self._lock:
            for connection in self._connections:
                connection.close()
            self._connections.clear()
        self._local = threading.local()

    # Feeds

    def add_feed(self, feed: Feed) -> Feed:
        """Subscribe to ``feed.source``, or refresh its title if already subscribed."""
        with self.transaction() as db:
            db.execute(
                "INSERT INTO feeds (source, title, link, language, added_at) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT (source) DO UPDATE SET "
                "title = excluded.title, link = excluded.link, language = excluded.language",
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

    def save_articles(self, feed_id: int, articles: Iterable[Article]) -> SaveResult:
        """Insert new articles and update changed ones, keeping read and star state."""
        new = updated = unchanged = 0
        with self.transaction() as db:
            for article in articles:
                digest = _content_hash(article)
                existing = db.execute(
                    "SELECT id, content_hash FROM articles WHERE feed_id = ? AND guid = ?",
                    (feed_id, article.guid),
                ).fetchone()
                if existing and existing["content_hash"] == digest:
                    unchanged += 1
                    continue
                values = self._article_values(article, digest)
                if existing:
                    article_id = existing["id"]
                    db.execute(
                        "UPDATE articles SET title = ?, kicker = ?, teaser = ?, body = ?, "
                        "blocks = ?, url = ?, author = ?, language = ?, published = ?, "
                        "updated = ?, sort_time = ?, labels = ?, content_hash = ? WHERE id = ?",
                        (*values, article_id),
                    )
                    updated += 1
                else:
                    cursor = db.execute(
                        "INSERT INTO articles (title, kicker, teaser, body, blocks, url, author, "
                        "language, published, updated, sort_time, labels, content_hash, "
                        "feed_id, guid) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        (*values, feed_id, article.guid),
                    )
                    article_id = cursor.lastrowid
                    new += 1
                self._save_parts(db, article_id, article)
        return SaveResult(new, updated, unchanged)

    @staticmethod
    def _article_values(article: Article, digest: str) -> tuple[object, ...]:
        blocks = json.dumps([[block.kind.value, block.text] for block in article.blocks])
        labels = json.dumps(
            {
                "related": article.labels.related,
                "programme": article.labels.programme,
                "media": article.labels.media,
                "stamp": article.labels.stamp,
            }
        )
        return (
            article.title,
            article.kicker,
            article.teaser,
            article.body,
            blocks,
            article.url,
            article.author,
            article.language,
            _iso(article.published),
            _iso(article.updated),
            _sort_time(article),
            labels,
            digest,
        )

    @staticmethod
    def _save_parts(db: sqlite3.Connection, article_id: int | None, article: Article) -> None:
        for table in ("related_items", "programme_slots", "media_items"):
            db.execute(f"DELETE FROM {table} WHERE article_id = ?", (article_id,))
        db.executemany(
            "INSERT INTO related_items (article_id, position, title, teaser, day, url) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [
                (article_id, n, item.title, item.teaser, _iso(item.date), item.url)
                for n, item in enumerate(article.related)
            ],
        )
        db.executemany(
            "INSERT INTO programme_slots (article_id, position, station, programme, start) "
            "VALUES (?, ?, ?, ?, ?)",
            [
                (article_id, n, slot.station, slot.programme, _iso(slot.start))
                for n, slot in enumerate(article.programme)
            ],
        )
        db.executemany(
            "INSERT INTO media_items (article_id, position, title, duration_seconds, url, kind) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [
                (article_id, n, item.title, item.duration_seconds, item.url, item.kind)
                for n, item in enumerate(article.media)
            ],
        )

    def articles(self, feed_id: int | None = None, limit: int = 500) -> list[ArticleSummary]:
        """Newest first; articles without a date come last."""
        where, params = ("", []) if feed_id is None else ("WHERE articles.feed_id = ?", [feed_id])
        rows = self.connection().execute(
            "SELECT articles.id, articles.feed_id, feeds.title AS feed_title, articles.title, "
            "articles.published, articles.updated, articles.read, articles.starred "
            f"FROM articles JOIN feeds ON feeds.id = articles.feed_id {where} "
            "ORDER BY articles.sort_time IS NULL, articles.sort_time DESC, articles.id DESC "
            "LIMIT ?",
            [*params, limit],
        )
        return [
            ArticleSummary(
                id=row["id"],
                feed_id=row["feed_id"],
                feed_title=row["feed_title"],
                title=row["title"],
                published=_datetime(row["updated"] or row["published"]),
                read=bool(row["read"]),
                starred=bool(row["starred"]),
            )
            for row in rows
        ]

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
            blocks=tuple(Block(BlockKind(kind), text) for kind, text in json.loads(row["blocks"])),
            url=row["url"],
            author=row["author"],
            language=row["language"],
            published=_datetime(row["published"]),
            updated=_datetime(row["updated"]),
            related=self._related(db, article_id),
            programme=tuple(
                ProgrammeSlot(r["station"], r["programme"], _datetime(r["start"]))
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
            read=bool(row["read"]),
            starred=bool(row["starred"]),
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
            RelatedItem(r["title"], r["teaser"], _day(r["day"]), r["url"], r["linked_id"])
            for r in rows
        )

    def set_read(self, article_id: int, read: bool = True) -> None:
        with self.transaction() as db:
            db.execute("UPDATE articles SET read = ? WHERE id = ?", (int(read), article_id))

    # Search

    def search(self, text: str, limit: int = 50) -> list[SearchHit]:
        """Full-text search over articles and related items (language in ``search.py``)."""
        match = parse_query(text).to_fts()
        rows = self.connection().execute(
            "SELECT * FROM ("
            "  SELECT articles.id AS article_id, NULL AS position, articles.title, "
            "  feeds.title AS feed_title, COALESCE(articles.updated, articles.published) AS stamp, "
            f"  {_snippet('articles_fts')} AS snippet, "
            "  bm25(articles_fts, 10.0, 4.0, 1.0) AS score "
            "  FROM articles_fts JOIN articles ON articles.id = articles_fts.rowid "
            "  JOIN feeds ON feeds.id = articles.feed_id WHERE articles_fts MATCH ?1 "
            "  UNION ALL "
            "  SELECT related_items.article_id, related_items.position, related_items.title, "
            "  feeds.title, related_items.day, "
            f"  {_snippet('related_fts')}, bm25(related_fts, 10.0, 4.0) "
            "  FROM related_fts JOIN related_items ON related_items.id = related_fts.rowid "
            "  JOIN articles ON articles.id = related_items.article_id "
            "  JOIN feeds ON feeds.id = articles.feed_id WHERE related_fts MATCH ?1"
            ") ORDER BY score LIMIT ?2",
            (match, limit),
        )
        return [
            SearchHit(
                article_id=row["article_id"],
                title=row["title"],
                feed_title=row["feed_title"],
                published=(
                    _datetime(row["stamp"]) if row["position"] is None else _day(row["stamp"])
                ),
                snippet=row["snippet"] or "",
                related_position=row["position"],
            )
            for row in rows
        ]

    def integrity_ok(self) -> bool:
        row = self.connection().execute("PRAGMA integrity_check").fetchone()
        return bool(row and row[0] == "ok")
