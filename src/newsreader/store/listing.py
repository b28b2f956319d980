"""Paging through long article lists, for the reader's article list.

The list is in the order of ``Store.articles``: newest first, undated last, ties by id. In
SQLite that is simply ``sort_time DESC, id DESC`` (NULLs sort last going down), which the
index on sort_time serves. ``keep`` names articles that stay listed although they no
longer match unread_only/starred_only (the reader changed them since choosing the view),
so that the rows do not move under the reader.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Collection
from typing import Any

from newsreader.models import ArticleSummary
from newsreader.store.rows import listed_time
from newsreader.store.search_plan import query_clause
from newsreader.store.stories import ALSO_IN_COLUMN, FIRST_OF_STORY, also_in_from_json


class ArticleListing:
    """The paging half of ``Store``: counts, positions and pages of a view's list."""

    def connection(self) -> sqlite3.Connection:
        raise NotImplementedError  # Store's own

    # Paging through long article lists, for the reader's article list.
    #
    # The list is in the order of ``articles``: newest first, undated last, ties by id. In
    # SQLite that is simply ``sort_time DESC, id DESC`` (NULLs sort last going down), which
    # the index on sort_time serves. ``keep`` names articles that stay listed although they
    # no longer match unread_only/starred_only (the reader changed them since choosing the
    # view), so that the rows do not move under the reader.

    # The list's order and its reverse.
    _DOWN = "articles.sort_time DESC, articles.id DESC"
    _UP = "articles.sort_time ASC, articles.id ASC"
    _PAGE_COLUMNS = (
        "SELECT articles.id, articles.feed_id, feeds.title AS feed_title, articles.title, "
        "articles.published, articles.updated, articles.read, articles.starred, "
        f"articles.sort_time, {ALSO_IN_COLUMN} "
        "FROM articles JOIN feeds ON feeds.id = articles.feed_id "
    )
    _PAGE_AS_JSON = (
        "SELECT json_group_array(json_array(id, feed_id, feed_title, title, published, "
        "updated, read, starred, sort_time, json(also_in))) FROM "
    )

    @staticmethod
    def _listed_where(
        feed_id: int | None,
        unread_only: bool,
        starred_only: bool,
        keep: Collection[int],
        *,
        query: str | None = None,
    ) -> tuple[list[str], list[object]]:
        """The view's conditions on ``articles``, as clauses to AND together.

        ``query`` (the search language) keeps the articles that match it.
        """
        clauses: list[str] = []
        params: list[object] = []
        if query is not None:
            matching, params = query_clause(query)
            clauses.append(matching)
        if feed_id is not None:
            clauses.append("articles.feed_id = ?")
            params.append(feed_id)
        else:
            clauses.append(FIRST_OF_STORY)  # across feeds, each story once
        state = [
            clause
            for clause, wanted in (
                ("articles.read = 0", unread_only),
                ("articles.starred = 1", starred_only),
            )
            if wanted
        ]
        if state:
            condition = " AND ".join(state)
            if keep:
                condition = f"({condition} OR articles.id IN (SELECT value FROM json_each(?)))"
                params.append(json.dumps(sorted(keep)))
            clauses.append(condition)
        return clauses, params

    def _listed_rows(
        self, clauses: list[str], params: list[object], order: str, limit: int, offset: int = 0
    ) -> list[ArticleSummary]:
        """The rows in ``order``, read as a single JSON value.

        A reader thread that steps through rows one by one gives up the GIL at every row
        and may wait for it each time while the UI thread is busy (say, drawing the first
        screen); one value is one wait. JSON aggregates keep no order, so it is restored.
        """
        where = "WHERE " + " AND ".join(clauses) if clauses else ""
        # The page's ids first, from the indexes where they can serve: skipping ``offset``
        # rows then costs no reading of those rows, nor joining them with their feeds.
        page = f"SELECT articles.id FROM articles {where} ORDER BY {order} LIMIT ? OFFSET ?"
        row = (
            self.connection()
            .execute(
                f"{self._PAGE_AS_JSON}({self._PAGE_COLUMNS}WHERE articles.id IN ({page}))",
                [*params, limit, offset],
            )
            .fetchone()
        )
        items: list[list[Any]] = json.loads(row[0])
        # Newest first, undated last, ties by id: the order of _DOWN.
        items.sort(key=lambda item: (item[8] is None, -(item[8] or 0), -item[0]))
        if order == self._UP:
            items.reverse()
        return [
            ArticleSummary(
                id=article_id,
                feed_id=feed_id,
                feed_title=feed_title,
                title=title,
                published=listed_time(published, updated, sort_time),
                read=bool(read),
                starred=bool(starred),
                also_in=also_in_from_json(copies),
                first_seen=not (published or updated) and sort_time is not None,
            )
            for (
                article_id,
                feed_id,
                feed_title,
                title,
                published,
                updated,
                read,
                starred,
                sort_time,
                copies,
            ) in items
        ]

    def mark_listed_read(
        self,
        feed_id: int | None = None,
        *,
        unread_only: bool = False,
        starred_only: bool = False,
        query: str | None = None,
    ) -> tuple[list[int], int]:
        """Mark every article of the view read, with its story's copies in other feeds.

        Returns the ids that changed, ascending, and how many stories they make up.
        """
        clauses, params = self._listed_where(feed_id, unread_only, starred_only, (), query=query)
        where = " AND ".join(clauses)
        db = self.connection()
        with db:
            rows = db.execute(
                "UPDATE articles SET read = 1 WHERE read = 0 AND story_id IN "
                f"(SELECT articles.story_id FROM articles WHERE {where}) RETURNING id, story_id",
                params,
            ).fetchall()
        return sorted(row[0] for row in rows), len({row[1] for row in rows})

    def set_read_many(self, article_ids: Collection[int], read: bool) -> int:
        """Set the read flag of exactly these articles; returns how many stories changed."""
        db = self.connection()
        with db:
            rows = db.execute(
                "UPDATE articles SET read = ? WHERE read != ? AND id IN "
                "(SELECT value FROM json_each(?)) RETURNING story_id",
                (int(read), int(read), json.dumps(sorted(article_ids))),
            ).fetchall()
        return len({row[0] for row in rows})

    def _sort_key(self, article_id: int) -> tuple[int | None, int] | None:
        """Where the article sorts: (sort_time, id); None if it is not stored."""
        row = (
            self.connection()
            .execute("SELECT sort_time FROM articles WHERE id = ?", (article_id,))
            .fetchone()
        )
        return None if row is None else (row[0], article_id)

    def count_listed(
        self,
        feed_id: int | None = None,
        *,
        unread_only: bool = False,
        starred_only: bool = False,
        keep: Collection[int] = (),
        query: str | None = None,
    ) -> int:
        """How many rows the list of this view has."""
        clauses, params = self._listed_where(feed_id, unread_only, starred_only, keep, query=query)
        where = "WHERE " + " AND ".join(clauses) if clauses else ""
        row = self.connection().execute(f"SELECT COUNT(*) FROM articles {where}", params)
        return int(row.fetchone()[0])

    def listed_position(
        self,
        article_id: int,
        feed_id: int | None = None,
        *,
        unread_only: bool = False,
        starred_only: bool = False,
        keep: Collection[int] = (),
        query: str | None = None,
    ) -> int | None:
        """The article's row number in the list of this view; None if it is not listed."""
        key = self._sort_key(article_id)
        if key is None:
            return None
        clauses, params = self._listed_where(feed_id, unread_only, starred_only, keep, query=query)
        db = self.connection()
        listed = db.execute(
            "SELECT 1 FROM articles WHERE " + " AND ".join([*clauses, "articles.id = ?"]),
            [*params, article_id],
        ).fetchone()
        if listed is None:
            return None
        sort_time, _ = key
        if sort_time is None:
            above = "(articles.sort_time IS NOT NULL OR articles.id > ?)"
            key_params: list[object] = [article_id]
        else:
            above = "articles.sort_time >= ? AND (articles.sort_time > ? OR articles.id > ?)"
            key_params = [sort_time, sort_time, article_id]
        row = db.execute(
            "SELECT COUNT(*) FROM articles WHERE " + " AND ".join([*clauses, above]),
            [*params, *key_params],
        ).fetchone()
        return int(row[0])

    def article_page(
        self,
        feed_id: int | None = None,
        *,
        unread_only: bool = False,
        starred_only: bool = False,
        keep: Collection[int] = (),
        offset: int = 0,
        limit: int = 200,
        after: int | None = None,
        before: int | None = None,
        total: int | None = None,
        query: str | None = None,
    ) -> list[ArticleSummary]:
        """``limit`` rows of the list of this view, from row ``offset``.

        A caller that knows the article just above the page (``after``) or just below it
        (``before``) gets the page by that article's sort key, which costs the same deep in
        a long list as at its top. Otherwise, given the ``total`` row count, a page in the
        second half of the list is counted from the end.
        """
        clauses, params = self._listed_where(feed_id, unread_only, starred_only, keep, query=query)
        anchor = after if after is not None else before
        key = self._sort_key(anchor) if anchor is not None else None
        if key is not None and after is not None:
            return self._page_after(clauses, params, key, limit)
        if key is not None:
            return self._page_before(clauses, params, key, limit)
        if total is not None and offset + limit // 2 > total // 2:
            from_end = total - offset - limit
            if from_end < 0:
                limit, from_end = limit + from_end, 0
            if limit <= 0:
                return []
            rows = self._listed_rows(clauses, params, self._UP, limit, from_end)
            return rows[::-1]
        return self._listed_rows(clauses, params, self._DOWN, limit, offset)

    def _page_after(
        self,
        clauses: list[str],
        params: list[object],
        key: tuple[int | None, int],
        limit: int,
    ) -> list[ArticleSummary]:
        sort_time, article_id = key
        if sort_time is None:
            return self._listed_rows(
                [*clauses, "articles.sort_time IS NULL", "articles.id < ?"],
                [*params, article_id],
                self._DOWN,
                limit,
            )
        rows = self._listed_rows(
            [*clauses, "articles.sort_time <= ?", "(articles.sort_time < ? OR articles.id < ?)"],
            [*params, sort_time, sort_time, article_id],
            self._DOWN,
            limit,
        )
        if len(rows) < limit:
            undated = [*clauses, "articles.sort_time IS NULL"]
            rows += self._listed_rows(undated, params, self._DOWN, limit - len(rows))
        return rows

    def _page_before(
        self,
        clauses: list[str],
        params: list[object],
        key: tuple[int | None, int],
        limit: int,
    ) -> list[ArticleSummary]:
        sort_time, article_id = key
        if sort_time is not None:
            above = "(articles.sort_time > ? OR articles.id > ?)"
            rows = self._listed_rows(
                [*clauses, "articles.sort_time >= ?", above],
                [*params, sort_time, sort_time, article_id],
                self._UP,
                limit,
            )
            return rows[::-1]
        rows = self._listed_rows(
            [*clauses, "articles.sort_time IS NULL", "articles.id > ?"],
            [*params, article_id],
            self._UP,
            limit,
        )
        if len(rows) < limit:
            dated = [*clauses, "articles.sort_time IS NOT NULL"]
            rows += self._listed_rows(dated, params, self._UP, limit - len(rows))
        return rows[::-1]
