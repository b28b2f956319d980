"""Converting between model objects and the store's rows and columns."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from datetime import date, datetime

from newsreader.models import Article


def iso(value: datetime | date | None) -> str | None:
    return value.isoformat() if value is not None else None


def parse_datetime(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


def parse_day(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def sort_time(article: Article) -> int | None:
    stamp = article.stamp
    if stamp is None:
        return None
    try:
        return int(stamp.timestamp())
    except (OverflowError, OSError, ValueError):
        return None


def content_hash(article: Article) -> str:
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
            iso(article.published),
            iso(article.updated),
            [[i.title, i.teaser, iso(i.date), i.url] for i in article.related],
            [[s.station, s.programme, iso(s.start)] for s in article.programme],
            [[m.title, m.duration_seconds, m.url, m.kind] for m in article.media],
            [article.labels.related, article.labels.programme, article.labels.media],
            article.labels.stamp,
        ],
        ensure_ascii=False,
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def article_values(article: Article, digest: str) -> tuple[object, ...]:
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
        iso(article.published),
        iso(article.updated),
        sort_time(article),
        labels,
        digest,
    )


def save_parts(db: sqlite3.Connection, article_id: int | None, article: Article) -> None:
    for table in ("related_items", "programme_slots", "media_items"):
        db.execute(f"DELETE FROM {table} WHERE article_id = ?", (article_id,))
    db.executemany(
        "INSERT INTO related_items (article_id, position, title, teaser, day, url) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        [
            (article_id, n, item.title, item.teaser, iso(item.date), item.url)
            for n, item in enumerate(article.related)
        ],
    )
    db.executemany(
        "INSERT INTO programme_slots (article_id, position, station, programme, start) "
        "VALUES (?, ?, ?, ?, ?)",
        [
            (article_id, n, slot.station, slot.programme, iso(slot.start))
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
