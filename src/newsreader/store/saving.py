"""Storing a feed's articles: new ones inserted into their stories, changed ones updated.

Read and star state survive an update. The costly work per article (fingerprint,
compression, word forms) is done by ``prepare`` beside the parsing where it can be.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import TYPE_CHECKING

from newsreader.models import Article
from newsreader.store.page_texts import keep_page_text
from newsreader.store.rows import content_hash, save_parts
from newsreader.store.stories import (
    NEW_STORY_COLUMNS,
    NEW_STORY_VALUES,
    choose_first_copy,
    story_place,
    update_story,
)

if TYPE_CHECKING:
    from newsreader.store.prepare import PreparedArticle


SORT_TIME = 10  # where sort_time stands in ``rows.article_values``


@dataclass(frozen=True, slots=True)
class SaveResult:
    """How a batch of articles changed the store."""

    new: int = 0
    updated: int = 0
    unchanged: int = 0


class ArticleSaving:
    """The saving half of ``Store``."""

    def transaction(self) -> AbstractContextManager[sqlite3.Connection]:
        raise NotImplementedError  # Store's own

    def save_articles(
        self,
        feed_id: int,
        articles: Iterable[Article],
        prepared: Sequence[PreparedArticle] | None = None,
    ) -> SaveResult:
        """Insert new articles and update changed ones, keeping read and star state.

        ``prepared`` holds ``prepare_article`` of each article, in order, when the caller
        computed it already (a refresh does, beside the parsing); else it is done here, for
        the articles that are new or changed only.
        """
        # saving only: off the start-up path
        from newsreader.store.prepare import index_new_articles, prepare_article

        new = updated = unchanged = 0
        # An undated article sorts by when it was first seen; a second apart each, so a
        # feed's undated entries keep its order (the first listed is the newest).
        seen = int(time.time())
        undated = 0
        listed = list(articles)
        given: list[PreparedArticle | None] = (
            list(prepared) if prepared is not None else [None] * len(listed)
        )
        # One version per guid: a feed that repeats an entry means its last version.
        batch = list({a.guid: (a, p) for a, p in zip(listed, given, strict=True)}.values())
        with self.transaction() as db:
            removed = {
                row[0]
                for row in db.execute(
                    "SELECT guid FROM removed_articles WHERE feed_id = ?", (feed_id,)
                )
            }
            if removed:  # deleted in the reader the feed came from: they stay deleted
                batch = [(a, p) for a, p in batch if a.guid not in removed]
            known = self._known(db, feed_id, [article.guid for article, _ in batch])
            fresh: list[tuple[int | None, Article, PreparedArticle]] = []
            for article, ready in batch:
                digest = ready.digest if ready is not None else content_hash(article)
                existing = known.get(article.guid)
                if existing and existing["content_hash"] == digest:
                    unchanged += 1
                    continue
                if ready is None:
                    ready = prepare_article(article, digest)
                if existing:
                    article_id = existing["id"]
                    db.execute(
                        "UPDATE articles SET title = ?, kicker = ?, teaser = ?, body_z = ?, "
                        "layout = ?, url = ?, author = ?, language = ?, published = ?, "
                        "updated = ?, sort_time = COALESCE(?, first_seen), labels = ?, links = ?, "
                        "images = ?, content_hash = ? "
                        "WHERE id = ?",
                        (*ready.values, article_id),
                    )
                    updated += 1
                    update_story(db, article_id, feed_id, article, ready.body, ready.keys)
                    choose_first_copy(db, article_id)
                else:
                    values = list(ready.values)
                    if values[SORT_TIME] is None:
                        values[SORT_TIME] = seen - undated
                        undated += 1
                    place = story_place(db, feed_id, article, ready.body, ready.keys)
                    # Stored straight into its story (stories.py), ids known in one statement.
                    cursor = db.execute(
                        "INSERT INTO articles (title, kicker, teaser, body_z, layout, url, author, "
                        "language, published, updated, sort_time, labels, links, images, "
                        f"content_hash, first_seen, feed_id, guid, {NEW_STORY_COLUMNS}) "
                        "SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                        f"{NEW_STORY_VALUES}",
                        (
                            *values,
                            seen,
                            feed_id,
                            article.guid,
                            *place,
                        ),
                    )
                    article_id = cursor.lastrowid
                    if place[-1] is not None and article_id is not None:
                        choose_first_copy(db, place[-1])
                    fresh.append((article_id, article, ready))
                    new += 1
                save_parts(db, article_id, article, replace=existing is not None)
                if existing is not None:
                    keep_page_text(db, article_id)  # a page's full text outlives the teaser
            index_new_articles(db, fresh)
        return SaveResult(new, updated, unchanged)

    @staticmethod
    def _known(db: sqlite3.Connection, feed_id: int, guids: list[str]) -> dict[str, sqlite3.Row]:
        """The stored id and content hash of those of ``guids`` the feed already has."""
        known: dict[str, sqlite3.Row] = {}
        for start in range(0, len(guids), 500):
            chunk = guids[start : start + 500]
            marks = ", ".join("?" for _ in chunk)
            for row in db.execute(
                "SELECT guid, id, content_hash FROM articles "
                f"WHERE feed_id = ? AND guid IN ({marks})",
                [feed_id, *chunk],
            ):
                known[row["guid"]] = row
        return known
