"""The queue side of a read or star change, shared by the store and the sync state.

Kept apart so the store can queue a change in the transaction that makes it without
knowing anything else about sync.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from newsreader.models import Article
from newsreader.store.stories import set_story_flag

FIELDS = ("read", "starred")

# Where a feed lives: the sync account it comes from (none for a local feed) and its group.
SYNC_COLUMNS = "sync_accounts.name AS account, sync_feeds.group_name AS group_name"
SYNC_JOIN = (
    "LEFT JOIN sync_feeds ON sync_feeds.feed_id = feeds.id "
    "LEFT JOIN sync_accounts ON sync_accounts.id = sync_feeds.account_id"
)


@dataclass(frozen=True, slots=True)
class PulledItem:
    """One server article on its way in: already converted (and sanitised) to an Article."""

    remote_id: int
    feed_remote_id: str
    article: Article
    read: bool
    starred: bool


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def queue_changes(
    db: sqlite3.Connection, article_ids: Iterable[int], field: str, value: bool
) -> int:
    """Queue the change for those of the articles that are synced (inside the caller's
    transaction, so the change and its queue entry commit together)."""
    if field not in FIELDS:
        raise ValueError(f"not a synced field: {field}")
    ids = list(article_ids)
    queued = 0
    stamp = now()
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ",".join("?" * len(chunk))
        cursor = db.execute(
            "INSERT INTO sync_queue (account_id, remote_id, field, value, queued_at) "
            "SELECT account_id, remote_id, ?, ?, ? FROM sync_articles "
            f"WHERE article_id IN ({marks}) "
            "ORDER BY article_id",
            (field, int(value), stamp, *chunk),
        )
        queued += cursor.rowcount
    return queued


def set_and_queue(db: sqlite3.Connection, article_id: int, field: str, value: bool) -> list[int]:
    """Set the flag on every copy of the story and queue it for the synced copies, in the
    caller's transaction; returns the ids that changed."""
    changed = set_story_flag(db, article_id, field, value)
    queue_changes(db, changed, field, value)
    return changed
