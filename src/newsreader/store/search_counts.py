"""Saved searches' counts, kept between loads of the feed list instead of worked out anew.

Counting a saved search on a common word looked up every matching article: up to a
second each at a million articles, at every load of the feed list. A search made of
words alone (no filters) keeps its total and unread count here, exact as of an article
id and a place in ``article_changes``, a log the triggers below keep while any count is
kept. Catching up is cheap: articles above the kept id are counted as they are now; a
read flag changed on an older article moves the unread count of the searches it
matches; any other change to an older article (its text, its story, its deletion) or a
rebuilt word-form index counts the search again in full. A search with filters (dates
relative to today, feeds, tags, flags) is counted live each time.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from newsreader.store.query import parse_query
from newsreader.text.wordforms import forms_version

# The article columns whose change can move an older article into or out of a search of
# words: all but the read and starred flags.
_WATCHED = (
    "id, feed_id, guid, title, kicker, teaser, url, author, language, published, updated, "
    "sort_time, labels, content_hash, body_z, layout, links, story_id, url_key, title_key, "
    "images, first_seen"
)

# The migration (appended to schema.MIGRATIONS): nothing is counted until a search is.
SEARCH_COUNTS_MIGRATION = f"""
    CREATE TABLE search_counts (
        name TEXT PRIMARY KEY,
        query TEXT NOT NULL,
        total INTEGER NOT NULL,
        unread INTEGER NOT NULL,
        last_id INTEGER NOT NULL,
        last_change INTEGER NOT NULL,
        forms TEXT NOT NULL
    );
    CREATE TABLE article_changes (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        article_id INTEGER NOT NULL,
        unread_delta INTEGER
    );
    CREATE TRIGGER article_changes_read AFTER UPDATE OF read ON articles
    WHEN old.read IS NOT new.read AND EXISTS (SELECT 1 FROM search_counts) BEGIN
        INSERT INTO article_changes (article_id, unread_delta)
        VALUES (old.id, (new.read = 0) - (old.read = 0));
    END;
    CREATE TRIGGER article_changes_other AFTER UPDATE OF {_WATCHED} ON articles
    WHEN EXISTS (SELECT 1 FROM search_counts) BEGIN
        INSERT INTO article_changes (article_id) VALUES (old.id);
        INSERT INTO article_changes (article_id) VALUES (new.id);
    END;
    CREATE TRIGGER article_changes_delete AFTER DELETE ON articles
    WHEN EXISTS (SELECT 1 FROM search_counts) BEGIN
        INSERT INTO article_changes (article_id) VALUES (old.id);
    END;
"""

# The conditions on ``articles`` that a query stands for (Store._listed_where).
Where = Callable[[str], tuple[list[str], list[object]]]


def keepable(query: str) -> bool:
    """Whether the query's matches change only as the kept changes say: words alone."""
    return not parse_query(query).filters


def count(db: sqlite3.Connection, where: Where, query: str, above: int = 0) -> tuple[int, int]:
    """(all, unread) of the articles the query lists, of those with an id above ``above``."""
    clauses, params = within(*where(query), "rowid > ?", [above]) if above else where(query)
    row = db.execute(
        "SELECT COUNT(*), COALESCE(SUM(articles.read = 0), 0) FROM articles WHERE "
        + " AND ".join([*clauses, "articles.id > ?"]),
        [*params, above],
    ).fetchone()
    return int(row[0]), int(row[1])


def within(
    clauses: list[str], params: list[object], rowids: str, values: list[object]
) -> tuple[list[str], list[object]]:
    """The clauses with each index's matches held to ``rowids`` (SQL on ``rowid``).

    Only for rows that meet ``rowids`` themselves: an index then reads just those of its
    matches, instead of all of them (490,000 for "die") to be looked up one by one.
    """
    held: list[str] = []
    out: list[object] = []
    remaining = list(params)
    for clause in clauses:
        pieces = clause.split("?")
        text = pieces[0]
        for piece in pieces[1:]:
            out.append(remaining.pop(0))
            if text.rstrip().endswith("MATCH"):
                text += f"? AND ({rowids})"
                out += values
            else:
                text += "?"
            text += piece
        held.append(text)
    return held, out


def _marks(db: sqlite3.Connection) -> tuple[int, int, str]:
    last_id = db.execute("SELECT COALESCE(MAX(id), 0) FROM articles").fetchone()[0]
    row = db.execute("SELECT seq FROM sqlite_sequence WHERE name = 'article_changes'").fetchone()
    return int(last_id), int(row[0]) if row else 0, forms_version()


def _caught_up(
    db: sqlite3.Connection, where: Where, kept: sqlite3.Row, marks: tuple[int, int, str]
) -> tuple[int, int]:
    """The kept counts brought up to now, recounted whole when the log cannot say."""
    last_id, last_change = int(kept["last_id"]), int(kept["last_change"])
    query = str(kept["query"])
    if (
        kept["forms"] != marks[2]
        or db.execute(
            "SELECT 1 FROM article_changes WHERE seq > ? AND article_id <= ? "
            "AND unread_delta IS NULL LIMIT 1",
            (last_change, last_id),
        ).fetchone()
    ):
        return count(db, where, query)
    total, unread = int(kept["total"]), int(kept["unread"])
    if marks[1] > last_change:
        changed = (
            "rowid IN (SELECT article_id FROM article_changes WHERE seq > ? AND article_id <= ?)"
        )
        clauses, params = within(*where(query), changed, [last_change, last_id])
        moved = db.execute(
            "SELECT COALESCE(SUM(changes.unread_delta), 0) FROM article_changes AS changes "
            "JOIN articles ON articles.id = changes.article_id "
            "WHERE changes.seq > ? AND changes.article_id <= ? AND " + " AND ".join(clauses),
            [last_change, last_id, *params],
        ).fetchone()[0]
        unread += int(moved)
    if marks[0] > last_id:
        new_total, new_unread = count(db, where, query, last_id)
        total, unread = total + new_total, unread + new_unread
    return total, unread


def search_counts(
    db: sqlite3.Connection, where: Where, searches: list[tuple[str, str]]
) -> dict[str, tuple[int, int]]:
    """(all, unread) of each (name, query) in ``searches``, kept ones caught up and kept.

    Read and written in one transaction, so that no change falls between the counts and
    the marks they are exact at; when another writer got in first or is writing, the
    counts are returned without being kept (the next load catches up from the old marks).
    """
    owned = not db.in_transaction
    if owned:
        db.execute("BEGIN")
    try:
        marks = _marks(db)
        kept = {row["name"]: row for row in db.execute("SELECT * FROM search_counts")}
        counts: dict[str, tuple[int, int]] = {}
        fresh: list[tuple[object, ...]] = []
        for name, query in searches:
            if not keepable(query):
                counts[name] = count(db, where, query)
                continue
            row = kept.get(name)
            if row is not None and row["query"] == query:
                counts[name] = _caught_up(db, where, row, marks)
            else:
                counts[name] = count(db, where, query)
            fresh.append((name, query, *counts[name], *marks))
        waits = db.execute("PRAGMA busy_timeout").fetchone()[0]
        db.execute("PRAGMA busy_timeout = 0")  # never wait for a refresh's writes here
        try:
            _keep(db, fresh)
        except sqlite3.OperationalError:  # another writer came first: keep nothing now
            if owned:
                db.rollback()
            return counts
        finally:
            db.execute(f"PRAGMA busy_timeout = {int(waits)}")
        if owned:
            db.commit()
        return counts
    except BaseException:
        if owned and db.in_transaction:
            db.rollback()
        raise


def _keep(db: sqlite3.Connection, rows: list[tuple[object, ...]]) -> None:
    """Store the counts and drop what no kept count needs any more."""
    db.execute("DELETE FROM search_counts")
    db.executemany(
        "INSERT INTO search_counts (name, query, total, unread, last_id, last_change, forms) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    db.execute(
        "DELETE FROM article_changes WHERE seq <= COALESCE("
        "(SELECT MIN(last_change) FROM search_counts), (SELECT MAX(seq) FROM article_changes))"
    )
