"""Subscribing and importing: the glue between ingest and the store that CLI and app share."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from newsreader.feeds.bundled import BUNDLED_SOURCE, bundled_feed_path
from newsreader.feeds.feedfile import read_feed_file
from newsreader.models import Feed
from newsreader.store.database import Store
from newsreader.store.saving import SaveResult


@dataclass(frozen=True)
class ImportResult:
    feed: Feed
    saved: SaveResult
    warning: str | None = None


def import_feed_bytes(store: Store, data: bytes, source: str) -> ImportResult:
    """Parse ``data`` and store it as the feed at ``source``. Raises ingest.FeedError."""
    from newsreader.feeds.ingest import parse_feed  # only when there is something to parse

    parsed = parse_feed(data, source)
    feed = store.add_feed(parsed.feed)
    assert feed.id is not None
    saved = store.save_articles(feed.id, parsed.articles)
    return ImportResult(feed, saved, parsed.warning)


def import_feed_file(store: Store, path: Path) -> ImportResult:
    """Subscribe to a local feed file, keyed by its absolute path."""
    resolved = path.expanduser().resolve()
    return import_feed_bytes(store, read_feed_file(resolved), str(resolved))


def ensure_bundled_feed(store: Store) -> ImportResult | None:
    """On a store with no feeds at all, import the bundled story so there is something to read."""
    if store.has_feeds():
        return None
    data = read_feed_file(bundled_feed_path())
    return import_feed_bytes(store, data, BUNDLED_SOURCE)
