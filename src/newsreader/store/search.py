"""Search in the store: the query language as SQL, ranking, saved searches and history.

Two full-text indexes answer a query: ``articles_fts`` holds the words as written (case
and accents aside) and serves phrases and prefixes; ``forms_fts`` holds them folded
and stemmed (see ``wordforms``). Hits on the exact words come first; hits found only
through other forms follow. Filters become conditions on ``articles``.
"""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from datetime import UTC, datetime, time

from newsreader.models import SearchHit
from newsreader.store import item_search
from newsreader.store.query import (
    Query,
    SortOrder,
    parse_query,
)
from newsreader.store.rows import inflate, parse_datetime
from newsreader.store.search_plan import (
    EXACT_MATCH,
    FORMS_MATCH,
    Plan,
    filter_sql,
    forms_select,
    item_filter_sql,
    plan,
)
from newsreader.store.snippets import make_snippet

# Above this many matching articles, ranking them all costs more than a reader will wait.
RANKED_MATCH_LIMIT = 1_000
# Filters that pass at most a quarter as many articles as the words match are applied
# first (see _filters_first), with at most this many hits' ranks looked up one by one.
FILTERS_FIRST_SHARE = 4
RANK_LOOKUPS = 200
# Up to this many matches, listing them by date sorts them all; beyond, the newest
# articles are read in windows until enough of them match.
DATE_SORT_LIMIT = 5_000
DATE_WINDOW = 2_000


def _related_hits(
    db: sqlite3.Connection, steps: Plan, query: Query, limit: int
) -> tuple[list[tuple[float, SearchHit]], list[tuple[float, SearchHit]]]:
    """Hits on the related items the sources name (``item_search``)."""
    by_form = None
    if steps.forms:
        by_form = forms_select(steps, "rowid", "related_forms_fts", item_search.EXACT)
    filters = item_filter_sql(query)
    return item_search.related_hits(db, query, steps.exact, by_form, filters, limit)


# Searching


def search(
    db: sqlite3.Connection, text: str, limit: int, sort: SortOrder = SortOrder.RELEVANCE
) -> list[SearchHit]:
    """Hits for the query ``text`` (see ``Store.search``)."""
    query = parse_query(text)
    steps = plan(query)
    filters, filter_params = filter_sql(query)
    conditions = Conditions(filters, filter_params)
    if steps.forms_excluded:
        conditions.exclude(FORMS_MATCH, steps.forms_excluded)
    if not steps.exact:
        if steps.excluded:
            conditions.exclude(EXACT_MATCH, steps.excluded)
        ids = _newest(db, conditions.sql, conditions.params, None, limit)
        return [hit for _, hit in _article_hits(db, query, [(i, 0.0) for i in ids])]
    if sort is SortOrder.DATE:
        return _by_date(db, query, steps, conditions.sql, conditions.params, limit)
    return _by_relevance(db, query, steps, conditions, limit)


@dataclasses.dataclass
class Conditions:
    """What a hit must meet besides its words: the query's filters, each as SQL on
    ``articles``, and the articles that hold an excluded word (``exclude``)."""

    filters: list[str]
    filter_params: list[object]
    # (a rowid query on one index, its MATCH): no hit may be one of those articles
    exclusions: list[tuple[str, str]] = dataclasses.field(default_factory=list)

    def exclude(self, matches: str, match: str) -> None:
        self.exclusions.append((matches, match))

    def without(self, matches: str) -> Conditions:
        """These conditions but for the exclusions through ``matches``: for a search of
        that index, whose MATCH leaves those words out itself."""
        kept = [exclusion for exclusion in self.exclusions if exclusion[0] != matches]
        return Conditions(self.filters, self.filter_params, kept)

    @property
    def sql(self) -> list[str]:
        return [*self.filters, *(f"articles.id NOT IN ({query})" for query, _ in self.exclusions)]

    @property
    def params(self) -> list[object]:
        return [*self.filter_params, *(match for _, match in self.exclusions)]


def _scored(
    db: sqlite3.Connection,
    table: str,
    select: tuple[str, list[object]],
    held: Conditions,
    cap: int,
    *,
    ranked: bool = True,
) -> list[tuple[int, float]]:
    """Matching (rowid, rank) pairs, newest stored first, held to the conditions.

    Without ``ranked`` the ranks may all be 0.
    """
    sql, select_params = select
    conditions, params = held.sql, held.params
    if held.filters:  # excluding a word passes most articles: never worth reading first
        narrowed = _filters_first(db, table, select, held, cap, ranked)
        if narrowed is not None:
            return narrowed
    head, _, tail = sql.partition(" WHERE ")  # the first WHERE is the outer query's
    join = f" JOIN articles ON articles.id = {table}.rowid" if conditions else ""
    where = "".join(f" AND {condition}" for condition in conditions)
    statement = f"{head}{join} WHERE {tail}{where} ORDER BY {table}.rowid DESC LIMIT ?"
    rows = db.execute(statement, [*select_params, *params, cap]).fetchall()
    return [(row[0], row[1]) for row in rows]


def _filters_first(
    db: sqlite3.Connection,
    table: str,
    select: tuple[str, list[object]],
    held: Conditions,
    cap: int,
    ranked: bool,
) -> list[tuple[int, float]] | None:
    """The matches read from the articles the filters pass, when those are few.

    Checking every match of a common word against a filter that passes few articles
    (one feed, a week) reads them all; reading the few articles and testing each against
    the match set is several times quicker. None when that would not pay, or when too
    many hits would each need their rank looked up.
    """
    sql, select_params = select
    _, _, tail = sql.partition(" WHERE ")
    where, params = " AND ".join(held.sql), held.params
    # Counting a word's matches reads only its list's length; the articles that pass are
    # counted only as far as would still pay, by the filters alone (an excluded word's
    # articles would have to be gathered first, and they seldom narrow much).
    matches = db.execute(f"SELECT COUNT(*) FROM {table} WHERE {tail}", select_params)
    enough = matches.fetchone()[0] // FILTERS_FIRST_SHARE
    passing = db.execute(
        f"SELECT COUNT(*) FROM (SELECT 1 FROM articles WHERE {' AND '.join(held.filters)} LIMIT ?)",
        [*held.filter_params, enough + 1],
    ).fetchone()[0]
    if passing > enough:
        return None
    # "+" keeps SQLite from reading the articles by the match list: the filters lead.
    ids = [
        row[0]
        for row in db.execute(
            f"SELECT articles.id FROM articles WHERE {where} AND +articles.id IN "
            f"(SELECT {table}.rowid FROM {table} WHERE {tail}) ORDER BY articles.id DESC LIMIT ?",
            [*params, *select_params, cap],
        )
    ]
    if not ranked or not ids or len(ids) > RANKED_MATCH_LIMIT:  # listed newest first then
        return [(article_id, 0.0) for article_id in ids]
    if len(ids) > RANK_LOOKUPS:
        return None
    ranks = dict(
        db.execute(
            f"{sql} AND {table}.rowid IN (SELECT value FROM json_each(?))",
            [*select_params, json.dumps(ids)],
        ).fetchall()
    )
    return [(article_id, ranks[article_id]) for article_id in ids if article_id in ranks]


def _by_relevance(
    db: sqlite3.Connection,
    query: Query,
    steps: Plan,
    conditions: Conditions,
    limit: int,
) -> list[SearchHit]:
    """Exact hits ranked by bm25 (title over teaser over body), then hits by word form.

    A query so common that ranking every match would be slow lists the newest matches.
    """
    cap = max(limit, RANKED_MATCH_LIMIT + 1)
    exact_select: tuple[str, list[object]] = (
        "SELECT articles_fts.rowid, articles_fts.rank FROM articles_fts WHERE articles_fts MATCH ?",
        [steps.exact],
    )
    newest = _scored(db, "articles_fts", exact_select, conditions, cap)
    ranked = len(newest) <= RANKED_MATCH_LIMIT
    scored = sorted(newest, key=lambda pair: pair[1])[:limit] if ranked else newest[:limit]
    hits = _article_hits(db, query, scored)
    items_by_words, items_by_form = _related_hits(db, steps, query, limit)
    hits += items_by_words
    if ranked:
        hits.sort(key=lambda pair: pair[0])
    if len(newest) < limit and steps.forms:
        known = {article_id for article_id, _ in newest}
        found = _by_form(db, steps, conditions, cap + len(known))
        found = [article_id for article_id in found if article_id not in known]
        scored = [(article_id, 0.0) for article_id in found[: limit - len(newest)]]
        hits += _article_hits(db, query, scored)
    hits += items_by_form  # articles first among the hits by form, as among the others
    return [hit for _, hit in hits[:limit]]


def _by_form(
    db: sqlite3.Connection,
    steps: Plan,
    conditions: Conditions,
    cap: int,
) -> list[int]:
    """Matches in the word-form index: those with every word in the title first.

    bm25 would have to read and split every matching document again (the index keeps
    no positions), so within each group the newest come first.
    """
    select = forms_select(steps, "forms_fts.rowid, 0")
    conditions = conditions.without(FORMS_MATCH)  # the forms MATCH holds ``NOT`` those words
    found = [pair[0] for pair in _scored(db, "forms_fts", select, conditions, cap, ranked=False)]
    if len(found) < 2:
        return found
    in_title = dataclasses.replace(steps, forms=f"title : ({steps.forms})")
    select = forms_select(in_title, "forms_fts.rowid, 0")
    titled = {pair[0] for pair in _scored(db, "forms_fts", select, conditions, cap, ranked=False)}
    return [i for i in found if i in titled] + [i for i in found if i not in titled]


def _newest(
    db: sqlite3.Connection,
    conditions: list[str],
    params: list[object],
    ids: list[int] | None,
    limit: int,
) -> list[int]:
    """Of the articles meeting ``conditions`` (and among ``ids``), the newest ``limit``."""
    where = list(conditions)
    values = list(params)
    if ids is not None:
        where.append("articles.id IN (SELECT value FROM json_each(?))")
        values.append(json.dumps(ids))
    sql = "SELECT articles.id FROM articles"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY articles.sort_time DESC, articles.id DESC LIMIT ?"
    return [row[0] for row in db.execute(sql, [*values, limit])]


def _match_ids(
    db: sqlite3.Connection, steps: Plan, cap: int | None, bounds: tuple[int, int] | None = None
) -> set[int] | None:
    """The ids matching the words (exclusions of forms aside); None if more than ``cap``."""
    selects: list[tuple[str, list[object]]] = [(EXACT_MATCH, [steps.exact])]
    if steps.forms:
        selects.append(forms_select(steps, "forms_fts.rowid"))
    found: set[int] = set()
    for sql, params in selects:
        table = "articles_fts" if sql.startswith(EXACT_MATCH) else "forms_fts"
        extra: list[object] = []
        if bounds is not None:
            sql += f" AND {table}.rowid BETWEEN ? AND ?"
            extra = list(bounds)
        if cap is not None:
            sql += f" LIMIT {cap + 1}"
        rows = db.execute(sql, [*params, *extra]).fetchall()
        if cap is not None and len(rows) > cap:
            return None
        found.update(row[0] for row in rows)
    return found


def _matching_among(db: sqlite3.Connection, steps: Plan, ids: list[int]) -> set[int]:
    """Those of ``ids`` that match the words, the match sets never leaving SQLite."""
    forms_sql, forms_params = forms_select(steps, "forms_fts.rowid") if steps.forms else ("", [])
    union = f"{EXACT_MATCH} UNION ALL {forms_sql}" if forms_sql else EXACT_MATCH
    rows = db.execute(
        f"SELECT value FROM json_each(?) WHERE value IN ({union})",
        [json.dumps(ids), steps.exact, *forms_params],
    )
    return {row[0] for row in rows}


def _by_date(
    db: sqlite3.Connection,
    query: Query,
    steps: Plan,
    conditions: list[str],
    params: list[object],
    limit: int,
) -> list[SearchHit]:
    """Every hit, newest first, related items by their day among them."""
    matched = _match_ids(db, steps, DATE_SORT_LIMIT)
    if matched is not None:
        ids = _newest(db, conditions, params, sorted(matched), limit)
    else:
        ids = _newest_matching(db, steps, conditions, params, limit)
    hits = _article_hits(db, query, [(article_id, 0.0) for article_id in ids])
    items_by_words, items_by_form = _related_hits(db, steps, query, limit)
    hits += items_by_words + items_by_form
    hits.sort(key=lambda pair: _newest_first(pair[1]))
    return [hit for _, hit in hits[:limit]]


def _newest_matching(
    db: sqlite3.Connection,
    steps: Plan,
    conditions: list[str],
    params: list[object],
    limit: int,
) -> list[int]:
    """The newest matches of a common query: windows of the newest articles, checked."""
    where = " WHERE " + " AND ".join(conditions) if conditions else ""
    found: list[int] = []
    offset, window = 0, DATE_WINDOW
    while len(found) < limit:
        ids = [
            row[0]
            for row in db.execute(
                f"SELECT articles.id FROM articles{where} "
                "ORDER BY articles.sort_time DESC, articles.id DESC LIMIT ? OFFSET ?",
                [*params, window, offset],
            )
        ]
        if not ids:
            break
        low, high = min(ids), max(ids)
        if high - low < 4 * len(ids):  # stored about when published: read that stretch
            matched = _match_ids(db, steps, None, (low, high))
            assert matched is not None
        else:  # scattered (a filter picks few): let SQLite check them
            matched = _matching_among(db, steps, ids)
        found += [article_id for article_id in ids if article_id in matched]
        offset += window
        window *= 2
    return found[:limit]


def _newest_first(hit: SearchHit) -> tuple[bool, float]:
    stamp = hit.published
    if stamp is None:
        return (True, 0.0)
    if not isinstance(stamp, datetime):
        stamp = datetime.combine(stamp, time(), UTC)
    elif stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=UTC)
    return (False, -stamp.timestamp())


def _article_hits(
    db: sqlite3.Connection, query: Query, scored: list[tuple[int, float]]
) -> list[tuple[float, SearchHit]]:
    """The hits in the given order, with snippets made only for them.

    A story carried by several feeds is one hit: its best-placed copy.
    """
    if not scored:
        return []
    rows = {
        row["id"]: row
        for row in db.execute(
            "SELECT articles.id, articles.story_id, articles.title, articles.teaser, "
            "articles.body_z, "
            "feeds.title AS feed_title, "
            "COALESCE(articles.updated, articles.published) AS stamp "
            "FROM articles JOIN feeds ON feeds.id = articles.feed_id "
            "WHERE articles.id IN (SELECT value FROM json_each(?))",
            [json.dumps([article_id for article_id, _ in scored])],
        )
    }
    hits = []
    stories: set[int] = set()
    for listed_id, score in scored:
        row = rows.get(listed_id)
        if row is None:
            continue
        story = row["story_id"] or listed_id
        if story in stories:
            continue
        stories.add(story)
        # The story's first copy stands for it, as in the lists, when it matches too.
        article_id = story if story in rows else listed_id
        row = rows[article_id]
        snippet = make_snippet(query, row["teaser"], inflate(row["body_z"]), row["title"])
        hit = SearchHit(
            article_id=article_id,
            title=row["title"],
            feed_title=row["feed_title"],
            published=parse_datetime(row["stamp"]),
            snippet=snippet,
        )
        hits.append((score, hit))
    return hits
