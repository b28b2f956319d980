"""Saved searches, the search history and article tags, kept in the store.

A saved search keeps its query text; its counts are kept up to date beside it
(search_counts.py), so a search saved today also counts the articles that arrive tomorrow.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime

from newsreader.models import SavedSearch
from newsreader.store.query import MAX_QUERY_LENGTH, QuerySyntaxError, parse_query
from newsreader.text.sanitize import clean_line

HISTORY_LIMIT = 200
MAX_NAME_LENGTH = 100


def tags_of(db: sqlite3.Connection, article_id: int) -> tuple[str, ...]:
    """The article's tags (its feed's categories), in the feed's order."""
    rows = db.execute(
        "SELECT tag FROM article_tags WHERE article_id = ? ORDER BY position", (article_id,)
    )
    return tuple(row[0] for row in rows)


def save_search(db: sqlite3.Connection, name: str, text: str) -> SavedSearch:
    """Keep ``text`` under ``name``, replacing a search of that name (in any case)."""
    name = clean_line(name, limit=MAX_NAME_LENGTH)
    if not name:
        raise ValueError("A saved search needs a name.")
    text = clean_line(text, limit=MAX_QUERY_LENGTH + 1)
    parse_query(text)
    with db:
        write_search(db, name, text)
    return SavedSearch(name, text)


def write_search(db: sqlite3.Connection, name: str, text: str) -> None:
    """Keep a checked query under a clean name, inside the caller's transaction."""
    db.execute("DELETE FROM saved_searches WHERE name = ?", (name,))
    db.execute(
        "INSERT INTO saved_searches (name, query, saved_at) VALUES (?, ?, ?)",
        (name, text, datetime.now(UTC).isoformat()),
    )


def saved_searches(
    db: sqlite3.Connection,
    counts: Callable[[sqlite3.Connection, list[tuple[str, str]]], dict[str, tuple[int, int]]],
) -> list[SavedSearch]:
    """Every saved search with its (total, unread) from ``counts``, by name.

    A query this version cannot read any more counts nothing rather than failing.
    """
    rows = db.execute("SELECT name, query FROM saved_searches ORDER BY name COLLATE NOCASE")
    found = [(str(row[0]), str(row[1])) for row in rows]
    readable = []
    for name, query in found:
        try:
            parse_query(query)
        except QuerySyntaxError:
            continue
        readable.append((name, query))
    counted = counts(db, readable)
    return [SavedSearch(name, query, *counted.get(name, (0, 0))) for name, query in found]


def delete_search(db: sqlite3.Connection, name: str) -> bool:
    with db:
        cursor = db.execute("DELETE FROM saved_searches WHERE name = ?", (name,))
    return cursor.rowcount > 0


def remember_search(db: sqlite3.Connection, text: str) -> None:
    """Add ``text`` to the history as its newest entry; the oldest beyond the cap go."""
    text = clean_line(text, limit=MAX_QUERY_LENGTH + 1)
    if not text or len(text) > MAX_QUERY_LENGTH:
        return
    with db:
        db.execute("DELETE FROM search_history WHERE text = ?", (text,))
        db.execute("INSERT INTO search_history (text) VALUES (?)", (text,))
        db.execute(
            "DELETE FROM search_history WHERE id NOT IN "
            "(SELECT id FROM search_history ORDER BY id DESC LIMIT ?)",
            (HISTORY_LIMIT,),
        )


def search_history(db: sqlite3.Connection, limit: int = 100) -> list[str]:
    """The remembered queries, newest first."""
    rows = db.execute("SELECT text FROM search_history ORDER BY id DESC LIMIT ?", (limit,))
    return [row[0] for row in rows]
