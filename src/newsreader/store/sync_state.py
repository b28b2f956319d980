"""What the store keeps for sync: accounts, their feeds and articles, and the change queue.

An account holds the command that prints its password, never the password. A read or
star change on a synced article joins the queue in the same transaction that makes it, so
it survives a crash and a restart, and leaves only when the server has it. This module
knows nothing of servers or HTTP: the sync package drives it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass

from newsreader.store.database import Store
from newsreader.store.prepare import PreparedArticle
from newsreader.store.sync_queue import PulledItem, now

SOURCE_PREFIX = "sync:"  # feeds.source of a synced feed: sync:ACCOUNT/REMOTE-ID


@dataclass(frozen=True, slots=True)
class Account:
    id: int
    name: str
    kind: str
    url: str
    user: str
    password_command: str
    since_id: int
    last_sync: str | None
    feeds: int = 0
    queued: int = 0


@dataclass(frozen=True, slots=True)
class QueuedChange:
    seq: int
    remote_id: int
    field: str
    value: bool


def feed_source(account: str, remote_id: str) -> str:
    return f"{SOURCE_PREFIX}{account}/{remote_id}"


def add_account(
    store: Store, name: str, kind: str, url: str, user: str, password_command: str
) -> Account:
    """Remember an account; ValueError if the name is taken."""
    try:
        with store.transaction() as db:
            db.execute(
                "INSERT INTO sync_accounts (name, kind, url, user, password_command, added_at) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (name, kind, url, user, password_command, now()),
            )
    except sqlite3.IntegrityError:
        raise ValueError(f"an account named {name!r} exists already") from None
    found = account(store, name)
    assert found is not None
    return found


_ACCOUNT_QUERY = (
    "SELECT sync_accounts.*, "
    "(SELECT COUNT(*) FROM sync_feeds WHERE account_id = sync_accounts.id) AS feed_count, "
    "(SELECT COUNT(*) FROM sync_queue WHERE account_id = sync_accounts.id) AS queued "
    "FROM sync_accounts"
)


def _account(row: sqlite3.Row) -> Account:
    return Account(
        id=row["id"],
        name=row["name"],
        kind=row["kind"],
        url=row["url"],
        user=row["user"],
        password_command=row["password_command"],
        since_id=row["since_id"],
        last_sync=row["last_sync"],
        feeds=row["feed_count"],
        queued=row["queued"],
    )


def accounts(store: Store) -> list[Account]:
    rows = store.connection().execute(_ACCOUNT_QUERY + " ORDER BY name")
    return [_account(row) for row in rows]


def account(store: Store, name: str) -> Account | None:
    row = store.connection().execute(_ACCOUNT_QUERY + " WHERE name = ?", (name,)).fetchone()
    return _account(row) if row else None


def remove_account(store: Store, name: str) -> bool:
    """Forget an account with its feeds, articles and queue (the server keeps its own)."""
    with store.transaction() as db:
        row = db.execute("SELECT id FROM sync_accounts WHERE name = ?", (name,)).fetchone()
        if row is None:
            return False
        db.execute(
            "DELETE FROM feeds WHERE id IN (SELECT feed_id FROM sync_feeds WHERE account_id = ?)",
            (row["id"],),
        )
        db.execute("DELETE FROM sync_accounts WHERE id = ?", (row["id"],))
    return True


def synced_feeds(store: Store, account_id: int) -> dict[str, int]:
    """The account's feeds: server feed id -> local feed id."""
    rows = store.connection().execute(
        "SELECT remote_id, feed_id FROM sync_feeds WHERE account_id = ?", (account_id,)
    )
    return {row["remote_id"]: row["feed_id"] for row in rows}


def save_feeds(
    store: Store, account: Account, feeds: Sequence[tuple[str, str, str, str | None]]
) -> dict[str, int]:
    """Make the local feed list match the server's: (remote id, title, url, group) each.

    Feeds gone from the server go here too, with their articles. Returns the new mapping.
    """
    wanted = {remote_id for remote_id, *_ in feeds}
    with store.transaction() as db:
        for remote_id, title, url, group in feeds:
            source = feed_source(account.name, remote_id)
            db.execute(
                "INSERT INTO feeds (source, title, added_at) VALUES (?, ?, ?) "
                "ON CONFLICT (source) DO UPDATE SET title = excluded.title",
                (source, title, now()),
            )
            feed_id = db.execute("SELECT id FROM feeds WHERE source = ?", (source,)).fetchone()[0]
            db.execute(
                "INSERT INTO sync_feeds (feed_id, account_id, remote_id, remote_url, group_name) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT (feed_id) DO UPDATE SET "
                "remote_url = excluded.remote_url, group_name = excluded.group_name",
                (feed_id, account.id, remote_id, url, group),
            )
        gone = [
            row["feed_id"]
            for row in db.execute(
                "SELECT feed_id, remote_id FROM sync_feeds WHERE account_id = ?", (account.id,)
            )
            if row["remote_id"] not in wanted
        ]
        db.executemany("DELETE FROM feeds WHERE id = ?", [(feed_id,) for feed_id in gone])
    return synced_feeds(store, account.id)


def known_remote_ids(store: Store, account_id: int) -> set[int]:
    rows = store.connection().execute(
        "SELECT remote_id FROM sync_articles WHERE account_id = ?", (account_id,)
    )
    return {row[0] for row in rows}


def _pending(db: sqlite3.Connection, account_id: int) -> set[tuple[int, str]]:
    rows = db.execute(
        "SELECT DISTINCT remote_id, field FROM sync_queue WHERE account_id = ?", (account_id,)
    )
    return {(row[0], row[1]) for row in rows}


def save_items(
    store: Store,
    account_id: int,
    feed_ids: dict[str, int],
    items: Sequence[tuple[PulledItem, PreparedArticle | None]],
) -> int:
    """Store a batch of server articles in one transaction; returns how many were new.

    Articles go through the same saving path as a refresh (``prepared`` when a worker did
    that part already). Their read and star state is the server's, except where a queued
    local change waits: the local change wins.
    """
    by_feed: dict[int, list[tuple[PulledItem, PreparedArticle | None]]] = {}
    for item, ready in items:
        feed_id = feed_ids.get(item.feed_remote_id)
        if feed_id is not None:  # an article of a feed the list did not name yet: next sync
            by_feed.setdefault(feed_id, []).append((item, ready))
    new = 0
    with store.transaction() as db:
        pending = _pending(db, account_id)
        for feed_id, group in by_feed.items():
            prepared: list[PreparedArticle] | None = [r for _, r in group if r is not None]
            if prepared is not None and len(prepared) != len(group):
                prepared = None
            articles = [item.article for item, _ in group]
            new += store.save_articles(feed_id, articles, prepared).new
            ids = _article_ids(db, feed_id, [item.article.guid for item, _ in group])
            links: list[tuple[int, int, int]] = []
            flags: dict[str, list[tuple[int, int, int]]] = {"read": [], "starred": []}
            for item, _ in group:
                article_id = ids.get(item.article.guid)
                if article_id is None:
                    continue
                links.append((article_id, account_id, item.remote_id))
                for field, value in (("read", item.read), ("starred", item.starred)):
                    if (item.remote_id, field) not in pending:
                        flags[field].append((int(value), article_id, int(value)))
            db.executemany(
                "INSERT OR IGNORE INTO sync_articles (article_id, account_id, remote_id) "
                "VALUES (?, ?, ?)",
                links,
            )
            for field, rows in flags.items():
                db.executemany(
                    f"UPDATE articles SET {field} = ? WHERE id = ? AND {field} != ?", rows
                )
    return new


def _article_ids(db: sqlite3.Connection, feed_id: int, guids: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for start in range(0, len(guids), 500):
        chunk = guids[start : start + 500]
        marks = ",".join("?" * len(chunk))
        rows = db.execute(
            f"SELECT guid, id FROM articles WHERE feed_id = ? AND guid IN ({marks})",
            (feed_id, *chunk),
        )
        found.update((row[0], row[1]) for row in rows)
    return found


def unread_counts(store: Store, account_id: int) -> dict[str, int]:
    """Each synced feed's unread count as the server should have it: the count here,
    with the queued read changes it has not got yet undone (server feed id -> count)."""
    db = store.connection()
    rows = db.execute(
        "SELECT sync_feeds.remote_id, COALESCE(SUM(articles.read = 0), 0) FROM sync_feeds "
        "LEFT JOIN articles ON articles.feed_id = sync_feeds.feed_id "
        "WHERE sync_feeds.account_id = ? GROUP BY sync_feeds.remote_id",
        (account_id,),
    )
    counts = {row[0]: row[1] for row in rows}
    queued = db.execute(
        "SELECT sync_feeds.remote_id, sync_queue.value FROM sync_queue "
        "JOIN sync_articles ON sync_articles.account_id = sync_queue.account_id "
        "AND sync_articles.remote_id = sync_queue.remote_id "
        "JOIN articles ON articles.id = sync_articles.article_id "
        "JOIN sync_feeds ON sync_feeds.feed_id = articles.feed_id "
        "WHERE sync_queue.account_id = ? AND sync_queue.field = 'read' AND sync_queue.seq = "
        "(SELECT MAX(seq) FROM sync_queue AS later WHERE later.account_id = sync_queue.account_id "
        "AND later.remote_id = sync_queue.remote_id AND later.field = 'read')",
        (account_id,),
    )
    for feed, read_here in queued:
        counts[feed] = counts.get(feed, 0) + (1 if read_here else -1)
    return counts


def apply_remote_state(
    store: Store,
    account_id: int,
    unread: set[int],
    starred: set[int],
    read_feeds: set[str] | None = None,
) -> int:
    """Take the server's read and star state for the stored articles of the account.

    ``unread`` covers the feeds in ``read_feeds`` (server feed ids; None: every feed),
    and only their articles' read state is taken. A queued local change wins over the
    server for its article and field. Returns how many flags changed.
    """
    changes: dict[str, list[tuple[int, int]]] = {"read": [], "starred": []}
    with store.transaction() as db:
        pending = _pending(db, account_id)
        rows = db.execute(
            "SELECT articles.id, sync_articles.remote_id, articles.read, articles.starred, "
            "sync_feeds.remote_id FROM sync_articles "
            "JOIN articles ON articles.id = sync_articles.article_id "
            "JOIN sync_feeds ON sync_feeds.feed_id = articles.feed_id "
            "WHERE sync_articles.account_id = ?",
            (account_id,),
        )
        for article_id, remote_id, read, star, feed in rows:
            want_read = int(remote_id not in unread)
            want_star = int(remote_id in starred)
            in_scope = read_feeds is None or feed in read_feeds
            if in_scope and read != want_read and (remote_id, "read") not in pending:
                changes["read"].append((want_read, article_id))
            if star != want_star and (remote_id, "starred") not in pending:
                changes["starred"].append((want_star, article_id))
        for field, pairs in changes.items():
            db.executemany(f"UPDATE articles SET {field} = ? WHERE id = ?", pairs)
    return len(changes["read"]) + len(changes["starred"])


def queued(store: Store, account_id: int) -> list[QueuedChange]:
    """The account's waiting changes, oldest first."""
    rows = store.connection().execute(
        "SELECT seq, remote_id, field, value FROM sync_queue WHERE account_id = ? ORDER BY seq",
        (account_id,),
    )
    return [QueuedChange(row[0], row[1], row[2], bool(row[3])) for row in rows]


def drop_queued(store: Store, account_id: int, up_to_seq: int) -> None:
    """Forget the changes the server now has (all up to and including ``up_to_seq``)."""
    with store.transaction() as db:
        db.execute(
            "DELETE FROM sync_queue WHERE account_id = ? AND seq <= ?", (account_id, up_to_seq)
        )


def finish_pull(store: Store, account_id: int, since_id: int) -> None:
    """Record a complete pull: the next one asks only for articles after ``since_id``."""
    with store.transaction() as db:
        db.execute(
            "UPDATE sync_accounts SET since_id = MAX(since_id, ?), last_sync = ? WHERE id = ?",
            (since_id, now(), account_id),
        )


def synced_article(store: Store, article_id: int) -> tuple[str, int] | None:
    """The account name and server id of a synced article; None for a local one."""
    row = (
        store.connection()
        .execute(
            "SELECT sync_accounts.name, sync_articles.remote_id FROM sync_articles "
            "JOIN sync_accounts ON sync_accounts.id = sync_articles.account_id "
            "WHERE sync_articles.article_id = ?",
            (article_id,),
        )
        .fetchone()
    )
    return (row[0], row[1]) if row else None


def feed_remote(store: Store, feed_id: int) -> tuple[str, str] | None:
    """The account name and server feed id of a synced feed; None for a local one."""
    row = (
        store.connection()
        .execute(
            "SELECT sync_accounts.name, sync_feeds.remote_id FROM sync_feeds "
            "JOIN sync_accounts ON sync_accounts.id = sync_feeds.account_id "
            "WHERE sync_feeds.feed_id = ?",
            (feed_id,),
        )
        .fetchone()
    )
    return (row[0], row[1]) if row else None


def delete_feed(store: Store, feed_id: int) -> None:
    """Drop a synced feed here (after its server let it go), with its articles."""
    with store.transaction() as db:
        db.execute("DELETE FROM feeds WHERE id = ?", (feed_id,))
