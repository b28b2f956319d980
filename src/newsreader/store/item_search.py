"""Search hits on the related items the sources name (the sidebar's "Weitere Informationen").

As with articles, items are found by their words as written first (``related_fts``,
ranked by bm25, with FTS5's snippet), then by other forms of those words
(``related_forms_fts``): "Übernahmen" finds "Übernahme". The query's filters hold for
the items as far as they can (``search_plan.item_filter_sql``): dates for the item's own
day, feed: for the feed of the article that lists it; a filter no item can pass (is:,
tag:, author:) leaves items out.
"""

from __future__ import annotations

import json
import sqlite3

from newsreader.models import SearchHit
from newsreader.store.query import Query
from newsreader.store.rows import parse_day
from newsreader.store.snippets import make_snippet

SNIPPET_TOKENS = 12
EXACT = "SELECT rowid FROM related_fts WHERE related_fts MATCH ?"
_COLUMNS = (
    # The item's place in its article's list: feed items come first (positions from 0),
    # items found on the web page after them (positions from PAGE_POSITIONS).
    "SELECT related_items.id AS item_id, related_items.article_id, "
    "(SELECT COUNT(*) FROM related_items AS earlier WHERE earlier.article_id = "
    "related_items.article_id AND earlier.position < related_items.position) AS position, "
    "related_items.title, related_items.teaser, related_items.day, feeds.title AS feed_title"
)
_ARTICLE_AND_FEED = (
    "JOIN articles ON articles.id = related_items.article_id "
    "JOIN feeds ON feeds.id = articles.feed_id"
)


def related_hits(
    db: sqlite3.Connection,
    query: Query,
    exact: str,
    by_form: tuple[str, list[object]] | None,
    filters: tuple[list[str], list[object]] | None,
    limit: int,
) -> tuple[list[tuple[float, SearchHit]], list[tuple[float, SearchHit]]]:
    """Up to ``limit`` hits: those on the words as written, with their bm25 scores, and
    those found by another form alone (scored 0), newest first.

    ``exact`` is the MATCH on the words as written; ``by_form``, if the query has words
    with forms, a query of the item ids its forms match (``search_plan.forms_select``).
    ``filters`` are conditions on ``related_items`` and ``articles`` with their
    parameters, or None if no item can pass them.
    """
    if filters is None:
        return [], []
    conditions, params = filters
    where = "".join(f" AND {condition}" for condition in conditions)
    rows = db.execute(
        f"{_COLUMNS}, snippet(related_fts, -1, char(2), char(3), '…', {SNIPPET_TOKENS}) "
        "AS snippet, bm25(related_fts, 10.0, 4.0) AS score "
        "FROM related_fts JOIN related_items ON related_items.id = related_fts.rowid "
        f"{_ARTICLE_AND_FEED} WHERE related_fts MATCH ?{where} ORDER BY score LIMIT ?",
        (exact, *params, limit),
    ).fetchall()
    hits = [(float(row["score"]), _hit(row, row["snippet"] or "")) for row in rows]
    if by_form is None or len(hits) >= limit:
        return hits, []
    found, found_params = by_form
    more = db.execute(
        f"{_COLUMNS} FROM related_items {_ARTICLE_AND_FEED} "
        f"WHERE related_items.id IN ({found}){where} "
        "AND related_items.id NOT IN (SELECT value FROM json_each(?)) "
        "ORDER BY articles.sort_time DESC, related_items.id LIMIT ?",
        (*found_params, *params, json.dumps([row["item_id"] for row in rows]), limit - len(hits)),
    )
    formed = [(0.0, _hit(row, make_snippet(query, row["teaser"], row["title"]))) for row in more]
    return hits, formed


def _hit(row: sqlite3.Row, snippet: str) -> SearchHit:
    return SearchHit(
        article_id=row["article_id"],
        title=row["title"],
        feed_title=row["feed_title"],
        published=parse_day(row["day"]),
        snippet=snippet,
        related_position=row["position"],
    )
