"""newsboat's ``cache.db`` read without changing it: feeds, their validators and articles.

The file is opened read-only. A cache that newsboat holds (its lock file names a running
process, or SQLite says the file is locked), one from a newsboat whose schema this reader
does not know, and a file that is not a newsboat cache each raise NewsboatCacheError with
one line saying which. Every text stays as newsboat stored it: it is feed text, and the
importer sends it through the same sanitising path as a refresh.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

# Schema versions newsboat has written (src/cache.cpp); later ones only add columns.
KNOWN_SCHEMAS = {(2, 10), (2, 11), (2, 22), (2, 33)}
_NEEDED = {
    "rss_feed": {"rssurl", "url", "title", "lastmodified", "etag"},
    "rss_item": {
        "guid", "title", "author", "url", "feedurl", "pubDate", "content", "unread",
        "enclosure_url", "enclosure_type", "flags", "deleted",
    },
}  # fmt: skip


class NewsboatCacheError(Exception):
    """The cache cannot be imported; the message is one line for the user."""


@dataclass(frozen=True, slots=True)
class CachedFeed:
    url: str
    link: str
    title: str
    last_modified: int  # seconds since the epoch; 0 when newsboat kept none
    etag: str


@dataclass(frozen=True, slots=True)
class CachedItem:
    feed_url: str
    guid: str
    title: str
    author: str
    link: str
    published: int  # seconds since the epoch
    content: str
    unread: bool
    enclosure_url: str
    enclosure_type: str
    flags: str
    deleted: bool


@dataclass(frozen=True, slots=True)
class NewsboatCache:
    schema: tuple[int, int]
    feeds: dict[str, CachedFeed]
    items: list[CachedItem]


def _lock_holder(path: Path) -> int | None:
    """The pid of a running newsboat holding the cache, from its ``.lock`` file."""
    lock = path.with_name(path.name + ".lock")
    try:
        pid = int(lock.read_text().strip() or "0")
    except (OSError, ValueError):
        return None
    if pid <= 0:
        return None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return None  # a stale lock: newsboat ended without removing it
    except PermissionError:
        return pid
    return pid


def _schema(db: sqlite3.Connection, path: Path) -> tuple[int, int]:
    tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    if not {"rss_feed", "rss_item"} <= tables:
        raise NewsboatCacheError(f"{path}: not a newsboat cache (no rss_feed and rss_item tables)")
    if "metadata" not in tables:
        raise NewsboatCacheError(
            f"{path}: written by a newsboat older than 2.10; open it once with a newer newsboat"
        )
    row = db.execute("SELECT db_schema_version_major, db_schema_version_minor FROM metadata")
    version = row.fetchone()
    if version is None:
        raise NewsboatCacheError(f"{path}: the cache names no schema version")
    schema = (int(version[0]), int(version[1]))
    if schema not in KNOWN_SCHEMAS:
        newer = schema > max(KNOWN_SCHEMAS)
        raise NewsboatCacheError(
            f"{path}: cache schema {schema[0]}.{schema[1]} is "
            + ("newer than" if newer else "not one of")
            + " the newsboat caches this import knows (2.10 to 2.33)"
        )
    for table, columns in _NEEDED.items():
        have = {row[1] for row in db.execute(f"PRAGMA table_info({table})")}
        if not columns <= have:
            missing = ", ".join(sorted(columns - have))
            raise NewsboatCacheError(f"{path}: {table} lacks {missing}; not a newsboat cache")
    return schema


def read_cache(path: Path) -> NewsboatCache:
    """Everything the import needs from the cache; NewsboatCacheError if it cannot be read."""
    if not path.is_file():
        raise NewsboatCacheError(f"{path}: no such file")
    holder = _lock_holder(path)
    if holder is not None:
        raise NewsboatCacheError(f"{path}: newsboat (pid {holder}) is using it; quit it first")
    try:
        db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=0.5)
    except sqlite3.Error as error:
        raise NewsboatCacheError(f"{path}: cannot open: {error}") from None
    try:
        db.text_factory = lambda raw: raw.decode("utf-8", "replace")
        schema = _schema(db, path)
        feeds = {
            row[0]: CachedFeed(row[0], row[1] or "", row[2] or "", int(row[3] or 0), row[4] or "")
            for row in db.execute("SELECT rssurl, url, title, lastmodified, etag FROM rss_feed")
        }
        items = [
            CachedItem(
                feed_url=row[0],
                guid=row[1] or "",
                title=row[2] or "",
                author=row[3] or "",
                link=row[4] or "",
                published=int(row[5] or 0),
                content=row[6] or "",
                unread=bool(row[7]),
                enclosure_url=row[8] or "",
                enclosure_type=row[9] or "",
                flags=row[10] or "",
                deleted=bool(row[11]),
            )
            for row in db.execute(
                "SELECT feedurl, guid, title, author, url, pubDate, content, unread, "
                "enclosure_url, enclosure_type, flags, deleted FROM rss_item ORDER BY id"
            )
        ]
    except sqlite3.OperationalError as error:
        if "locked" in str(error) or "busy" in str(error):
            raise NewsboatCacheError(
                f"{path}: locked by another program (is newsboat running?)"
            ) from None
        raise NewsboatCacheError(f"{path}: cannot read: {error}") from None
    except sqlite3.DatabaseError as error:
        raise NewsboatCacheError(f"{path}: not a newsboat cache: {error}") from None
    finally:
        db.close()
    return NewsboatCache(schema, feeds, items)
