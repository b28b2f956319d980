"""Per-feed fetch state and folders, kept beside the store's own tables.

What the server told us last time (ETag, Last-Modified, Retry-After), a hash of the last
body that was parsed, how the last refresh went, and the folder a feed sits in. Every
write is one short transaction on the store's connection for this thread.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from datetime import UTC, datetime

from newsreader.feeds.fetch import Validators
from newsreader.store.database import Store
from newsreader.text.sanitize import clean_line

Folder = tuple[str, ...]
MAX_FOLDER_DEPTH = 16


@dataclass(frozen=True, slots=True)
class FeedState:
    """How a feed was last fetched. ``folder`` is the path of folder names, outermost first."""

    feed_id: int
    validators: Validators = field(default_factory=Validators)
    body_sha256: str | None = None
    retry_at: datetime | None = None
    checked_at: datetime | None = None
    succeeded_at: datetime | None = None
    outcome: str | None = None
    error: str | None = None
    folder: Folder = ()


def _iso(value: datetime | None) -> str | None:
    return value.astimezone(UTC).isoformat() if value is not None else None


def _time(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


def clean_folder(names: object) -> Folder:
    """A folder path with every name a clean single line; empty names are dropped."""
    if not isinstance(names, list | tuple):
        return ()
    cleaned = (clean_line(name, limit=200) for name in names)
    return tuple(name for name in cleaned if name)[:MAX_FOLDER_DEPTH]


def _folder(text: str | None) -> Folder:
    try:
        return clean_folder(json.loads(text or "[]"))
    except ValueError:
        return ()


def _state(row: sqlite3.Row) -> FeedState:
    return FeedState(
        feed_id=row["feed_id"],
        validators=Validators(row["etag"], row["last_modified"]),
        body_sha256=row["body_sha256"],
        retry_at=_time(row["retry_at"]),
        checked_at=_time(row["checked_at"]),
        succeeded_at=_time(row["succeeded_at"]),
        outcome=row["outcome"],
        error=row["error"],
        folder=_folder(row["folder"]),
    )


def feed_state(store: Store, feed_id: int) -> FeedState:
    """The state of one feed; a feed never fetched has an empty state."""
    row = (
        store.connection()
        .execute("SELECT * FROM feed_state WHERE feed_id = ?", (feed_id,))
        .fetchone()
    )
    return _state(row) if row else FeedState(feed_id)


def feed_states(store: Store) -> dict[int, FeedState]:
    """The state of every feed that has one, by feed id (for the feed list and the CLI)."""
    rows = store.connection().execute("SELECT * FROM feed_state")
    return {row["feed_id"]: _state(row) for row in rows}


def folders(store: Store) -> dict[int, Folder]:
    """The folder of every feed that sits in one, by feed id."""
    rows = store.connection().execute("SELECT feed_id, folder FROM feed_state WHERE folder != '[]'")
    return {row["feed_id"]: folder for row in rows if (folder := _folder(row["folder"]))}


def set_folder(store: Store, feed_id: int, folder: Folder) -> None:
    """Put a feed in a folder (``()`` takes it out of any)."""
    text = json.dumps(list(clean_folder(folder)), ensure_ascii=False)
    with store.transaction() as db:
        db.execute(
            "INSERT INTO feed_state (feed_id, folder) VALUES (?, ?) "
            "ON CONFLICT (feed_id) DO UPDATE SET folder = excluded.folder",
            (feed_id, text),
        )


def record_success(
    store: Store,
    feed_id: int,
    *,
    outcome: str,
    validators: Validators,
    body_sha256: str | None,
    now: datetime,
) -> None:
    """A response that worked: new validators and body hash, no error, no wait."""
    with store.transaction() as db:
        db.execute(
            "INSERT INTO feed_state (feed_id, etag, last_modified, body_sha256, retry_at, "
            "checked_at, succeeded_at, outcome, error) VALUES (?, ?, ?, ?, NULL, ?, ?, ?, NULL) "
            "ON CONFLICT (feed_id) DO UPDATE SET etag = excluded.etag, "
            "last_modified = excluded.last_modified, "
            "body_sha256 = COALESCE(excluded.body_sha256, body_sha256), retry_at = NULL, "
            "checked_at = excluded.checked_at, succeeded_at = excluded.succeeded_at, "
            "outcome = excluded.outcome, error = NULL",
            (
                feed_id,
                validators.etag,
                validators.last_modified,
                body_sha256,
                _iso(now),
                _iso(now),
                outcome,
            ),
        )


def record_not_modified(
    store: Store, feed_id: int, *, outcome: str, validators: Validators, now: datetime
) -> None:
    """A 304: the body hash stays; validators the server repeated or renewed are kept."""
    with store.transaction() as db:
        db.execute(
            "INSERT INTO feed_state (feed_id, etag, last_modified, checked_at, succeeded_at, "
            "outcome) VALUES (?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (feed_id) DO UPDATE SET etag = COALESCE(excluded.etag, etag), "
            "last_modified = COALESCE(excluded.last_modified, last_modified), retry_at = NULL, "
            "checked_at = excluded.checked_at, succeeded_at = excluded.succeeded_at, "
            "outcome = excluded.outcome, error = NULL",
            (feed_id, validators.etag, validators.last_modified, _iso(now), _iso(now), outcome),
        )


def record_failure(
    store: Store,
    feed_id: int,
    *,
    outcome: str,
    error: str,
    retry_at: datetime | None,
    now: datetime,
) -> None:
    """A failed refresh: the reason, and when the server allows the next try (if it said)."""
    with store.transaction() as db:
        db.execute(
            "INSERT INTO feed_state (feed_id, retry_at, checked_at, outcome, error) "
            "VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT (feed_id) DO UPDATE SET retry_at = excluded.retry_at, "
            "checked_at = excluded.checked_at, outcome = excluded.outcome, "
            "error = excluded.error",
            (feed_id, _iso(retry_at), _iso(now), outcome, clean_line(error, limit=300)),
        )


def feed_by_source(store: Store, source: str) -> int | None:
    """The id of the subscription to ``source``, if there is one."""
    row = store.connection().execute("SELECT id FROM feeds WHERE source = ?", (source,)).fetchone()
    return int(row["id"]) if row else None


def delete_feed(store: Store, feed_id: int) -> bool:
    """Unsubscribe: the feed's articles, their parts, index rows and state go with it."""
    with store.transaction() as db:
        cursor = db.execute("DELETE FROM feeds WHERE id = ?", (feed_id,))
    return cursor.rowcount > 0
