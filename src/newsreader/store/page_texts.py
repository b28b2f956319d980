"""Storing the full text of an article's web page beside the feed's own text.

While a page's text is an article's body, the articles row holds it, so both search
indexes pick it up through their update triggers, and ``page_texts`` keeps a copy of it
and the feed's own body (for showing the feed's text again). When the feed sends a new
version of the article, the feed's body goes to ``page_texts`` and the page's stays the
body: a feed that sends its teaser again does not undo the full text. A failed try keeps
only its reason, so the page is not fetched again until the reader asks.

The sidebar items found on the page are stored with ``from_page = 1`` after the feed's
(positions from ``PAGE_POSITIONS``), never repeating one the feed names.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from contextlib import AbstractContextManager
from dataclasses import replace
from datetime import datetime

from newsreader.models import Article, Block, Link, PageArticle, PageSource, SectionLabels
from newsreader.store.rows import (
    blocks_from,
    deflate,
    inflate,
    iso,
    layout_of,
    links_from,
    parse_datetime,
)

PAGE_POSITIONS = 1_000  # feeds name at most a few dozen items per section

# The schema's migration for all this (schema.py runs it in its turn). While a page's text
# is the body, the articles row holds it, so both search indexes find it through their
# triggers; page_texts keeps a copy and the feed's own body. A failed try keeps only its
# reason. Page-found sidebar items are marked, so that a feed's new version replaces its
# own items and leaves the page's.
PAGE_TEXTS_MIGRATION = """
CREATE TABLE page_texts (
    article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    page_url TEXT NOT NULL,
    fetched_at TEXT NOT NULL,
    error TEXT,
    body_z BLOB,
    layout TEXT NOT NULL DEFAULT '',
    links TEXT NOT NULL DEFAULT '[]',
    feed_body_z BLOB,
    feed_layout TEXT NOT NULL DEFAULT '',
    feed_links TEXT NOT NULL DEFAULT '[]',
    labels TEXT NOT NULL DEFAULT '{}',
    published TEXT,
    modified TEXT
);
ALTER TABLE related_items ADD COLUMN from_page INTEGER NOT NULL DEFAULT 0;
ALTER TABLE programme_slots ADD COLUMN from_page INTEGER NOT NULL DEFAULT 0;
ALTER TABLE media_items ADD COLUMN from_page INTEGER NOT NULL DEFAULT 0;
"""


class PageTextStorage:
    """The web-page half of ``Store``."""

    def transaction(self) -> AbstractContextManager[sqlite3.Connection]:
        raise NotImplementedError  # Store's own

    def connection(self) -> sqlite3.Connection:
        raise NotImplementedError  # Store's own

    def save_page_text(self, article_id: int, page: PageArticle, fetched_at: datetime) -> None:
        """The page's text becomes the article's body; its sidebar items join the feed's."""
        with self.transaction() as db:
            save_page_text(db, article_id, page, fetched_at)

    def save_page_failure(
        self, article_id: int, url: str, reason: str, fetched_at: datetime
    ) -> None:
        """Remember why the page gave nothing, so that it is not fetched again unasked."""
        with self.transaction() as db:
            save_page_failure(db, article_id, url, reason, fetched_at)

    def pages_to_fetch(self, feed_id: int, limit: int = 50) -> list[int]:
        """Unread articles of the feed whose page has not been tried, newest first."""
        return pages_to_fetch(self.connection(), feed_id, limit)


def with_page(db: sqlite3.Connection, article: Article) -> Article:
    """The article with its web page's record, headings and times, if it has one."""
    assert article.id is not None
    found = page_source(db, article.id)
    if found is None:
        return article
    source, labels = found
    return replace(
        article,
        page=source,
        labels=merged_labels(article.labels, labels),
        published=article.published or parse_datetime(labels["published"] or None),
        updated=article.updated or parse_datetime(labels["modified"] or None),
    )


def links_json(links: Iterable[Link]) -> str:
    return json.dumps([[link.text, link.url] for link in links], ensure_ascii=False)


def save_page_text(
    db: sqlite3.Connection, article_id: int, page: PageArticle, fetched_at: datetime
) -> None:
    """Make the page's text the article's body and add the page's sidebar items."""
    row = db.execute(
        "SELECT a.body_z, a.layout, a.links, p.error, p.feed_body_z, p.feed_layout, "
        "p.feed_links FROM articles AS a LEFT JOIN page_texts AS p ON p.article_id = a.id "
        "WHERE a.id = ?",
        (article_id,),
    ).fetchone()
    if row is None:
        return
    had_text = row["feed_layout"] is not None and row["error"] is None
    # The feed's own body: the articles row's, unless a page's text is there already.
    feed_body = (
        (row["feed_body_z"], row["feed_layout"], row["feed_links"])
        if had_text
        else (row["body_z"], row["layout"], row["links"])
    )
    body = "\n\n".join(block.text for block in page.blocks)
    body_z, layout, links = deflate(body), layout_of(page.blocks), links_json(page.links)
    labels = page.labels
    db.execute(
        "INSERT OR REPLACE INTO page_texts (article_id, page_url, fetched_at, error, body_z, "
        "layout, links, feed_body_z, feed_layout, feed_links, labels, published, modified) "
        "VALUES (?, ?, ?, NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            article_id,
            page.url,
            iso(fetched_at),
            body_z,
            layout,
            links,
            *feed_body,
            json.dumps(
                {"related": labels.related, "programme": labels.programme, "media": labels.media}
            ),
            iso(page.published),
            iso(page.modified),
        ),
    )
    db.execute(
        "UPDATE articles SET body_z = ?, layout = ?, links = ? WHERE id = ?",
        (body_z, layout, links, article_id),
    )
    _save_page_items(db, article_id, page)


def save_page_failure(
    db: sqlite3.Connection, article_id: int, url: str, reason: str, fetched_at: datetime
) -> None:
    """Remember a failed try, unless the article has a page's text already (kept)."""
    db.execute(
        "INSERT INTO page_texts (article_id, page_url, fetched_at, error) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (article_id) DO UPDATE SET fetched_at = excluded.fetched_at, "
        "error = excluded.error, page_url = excluded.page_url WHERE page_texts.error IS NOT NULL",
        (article_id, url, iso(fetched_at), reason),
    )


def keep_page_text(db: sqlite3.Connection, article_id: int) -> None:
    """After the feed rewrote the article: its body becomes the feed's own, the page's
    text the body again, and page items the feed now names go."""
    db.execute(
        "UPDATE page_texts SET feed_body_z = a.body_z, feed_layout = a.layout, "
        "feed_links = a.links FROM articles AS a "
        "WHERE a.id = page_texts.article_id AND page_texts.article_id = ? "
        "AND page_texts.error IS NULL",
        (article_id,),
    )
    db.execute(
        "UPDATE articles SET body_z = p.body_z, layout = p.layout, links = p.links "
        "FROM page_texts AS p WHERE p.article_id = articles.id AND articles.id = ? "
        "AND p.error IS NULL",
        (article_id,),
    )
    db.execute(
        "DELETE FROM related_items WHERE article_id = ? AND from_page = 1 AND EXISTS ("
        "SELECT 1 FROM related_items AS feed WHERE feed.article_id = related_items.article_id "
        "AND feed.from_page = 0 AND (feed.url = related_items.url "
        "OR feed.title = related_items.title))",
        (article_id,),
    )


def page_source(
    db: sqlite3.Connection, article_id: int
) -> tuple[PageSource, dict[str, str]] | None:
    """The article's page record and the page's section labels, if it has one."""
    row = db.execute("SELECT * FROM page_texts WHERE article_id = ?", (article_id,)).fetchone()
    if row is None:
        return None
    fetched_at = parse_datetime(row["fetched_at"])
    if fetched_at is None:
        return None
    feed_blocks: tuple[Block, ...] = ()
    if row["error"] is None:
        feed_blocks = blocks_from(inflate(row["feed_body_z"]), row["feed_layout"] or "")
    source = PageSource(
        url=row["page_url"],
        fetched_at=fetched_at,
        error=row["error"],
        feed_blocks=feed_blocks,
        feed_links=links_from(row["feed_links"]) if row["error"] is None else (),
    )
    labels = {key: value for key, value in json.loads(row["labels"]).items() if value}
    labels["published"] = row["published"] or ""
    labels["modified"] = row["modified"] or ""
    return source, labels


def merged_labels(feed: SectionLabels, page: dict[str, str]) -> SectionLabels:
    """The feed's headings, the page's where the feed names none."""
    return SectionLabels(
        related=feed.related or page.get("related"),
        programme=feed.programme or page.get("programme"),
        media=feed.media or page.get("media"),
        stamp=feed.stamp,
    )


def pages_to_fetch(db: sqlite3.Connection, feed_id: int, limit: int) -> list[int]:
    """Unread articles of the feed with a link and no page tried yet, newest first."""
    rows = db.execute(
        "SELECT id FROM articles WHERE feed_id = ? AND read = 0 AND url IS NOT NULL "
        "AND id NOT IN (SELECT article_id FROM page_texts) "
        "ORDER BY sort_time IS NULL, sort_time DESC LIMIT ?",
        (feed_id, limit),
    )
    return [int(row[0]) for row in rows]


def _save_page_items(db: sqlite3.Connection, article_id: int, page: PageArticle) -> None:
    for table in ("related_items", "programme_slots", "media_items"):
        db.execute(f"DELETE FROM {table} WHERE article_id = ? AND from_page = 1", (article_id,))
    named = db.execute(
        "SELECT title, url FROM related_items WHERE article_id = ?", (article_id,)
    ).fetchall()
    titles = {row["title"] for row in named}
    urls = {row["url"] for row in named if row["url"]}
    related = [item for item in page.related if item.title not in titles and item.url not in urls]
    slots = _new(
        db,
        "programme_slots",
        ("station", "programme", "start"),
        article_id,
        [(slot.station, slot.programme, iso(slot.start)) for slot in page.programme],
    )
    media = _new(
        db,
        "media_items",
        ("title", "duration_seconds", "url"),
        article_id,
        [(item.title, item.duration_seconds, item.url) for item in page.media],
    )
    db.executemany(
        "INSERT INTO related_items (article_id, position, title, teaser, day, url, from_page) "
        "VALUES (?, ?, ?, ?, ?, ?, 1)",
        [
            (article_id, PAGE_POSITIONS + n, item.title, item.teaser, iso(item.date), item.url)
            for n, item in enumerate(related)
        ],
    )
    db.executemany(
        "INSERT INTO programme_slots (article_id, position, station, programme, start, "
        "from_page) VALUES (?, ?, ?, ?, ?, 1)",
        [
            (article_id, PAGE_POSITIONS + n, slot.station, slot.programme, iso(slot.start))
            for n, slot in enumerate(page.programme)
            if n in slots
        ],
    )
    db.executemany(
        "INSERT INTO media_items (article_id, position, title, duration_seconds, url, kind, "
        "from_page) VALUES (?, ?, ?, ?, ?, ?, 1)",
        [
            (article_id, PAGE_POSITIONS + n, item.title, item.duration_seconds, item.url, item.kind)
            for n, item in enumerate(page.media)
            if n in media
        ],
    )


def _new(
    db: sqlite3.Connection,
    table: str,
    columns: tuple[str, ...],
    article_id: int,
    values: list[tuple[object, ...]],
) -> set[int]:
    """The indexes of ``values`` that the feed's own rows of ``table`` do not hold."""
    names = ", ".join(columns)
    known = {
        tuple(row)
        for row in db.execute(
            f"SELECT {names} FROM {table} WHERE article_id = ? AND from_page = 0", (article_id,)
        )
    }
    return {n for n, value in enumerate(values) if value not in known}
