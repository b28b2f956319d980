"""The work of storing an article that needs only the article: done where it is parsed.

Fingerprinting, compressing and turning the text into word forms cost more than the
SQLite writes themselves. A refresh parses feeds in worker processes while one thread
writes the store, so doing this work beside the parsing keeps the writer free and uses
every core. The store does the same work itself for articles that come without it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass

from newsreader.models import Article
from newsreader.store.rows import article_values, content_hash, deflate, layout_of
from newsreader.store.stories import story_keys
from newsreader.text.wordforms import article_language, index_forms


@dataclass(frozen=True, slots=True)
class PreparedArticle:
    """An article's fingerprint, compressed body and the text of both search indexes."""

    digest: str
    body: str
    body_z: bytes
    forms: tuple[str, str, str]  # title, teaser and body as the word-form index holds them
    values: tuple[object, ...]  # the articles row (``store_rows.article_values``)
    keys: tuple[str | None, str | None]  # its link and title as stories compare them


def prepare_article(article: Article, digest: str | None = None) -> PreparedArticle:
    """Everything ``Store.save_articles`` computes from an article alone (``digest`` is its
    ``content_hash``, when that is known already).

    The forms are those the schema's delete and update triggers compute from the stored
    row (its language tag, else the language its words show), so they can be removed again.
    """
    body = article.body
    language = article_language(article.language, article.title, article.teaser, lambda: body)
    forms = (
        index_forms(article.title, language),
        index_forms(article.teaser, language),
        index_forms(body, language),
    )
    layout = layout_of(article.blocks)
    digest = digest if digest is not None else content_hash(article, body, layout)
    body_z = deflate(body)
    values = article_values(article, digest, body_z, layout)
    return PreparedArticle(digest, body, body_z, forms, values, story_keys(article))


def prepare_articles(articles: Sequence[Article]) -> list[PreparedArticle]:
    return [prepare_article(article) for article in articles]


def index_new_articles(
    db: sqlite3.Connection, new: Sequence[tuple[int | None, Article, PreparedArticle]]
) -> None:
    """Put new articles into both search indexes, after every other write of the batch.

    Done last and at once because FTS5 writes out its pending terms whenever another
    statement opens a savepoint (an INSERT with triggers does): interleaved with the
    article rows, each article would become index segments of its own to merge later.
    (Schema migration 8 says why this is not a trigger.)
    """
    if not new:
        return
    db.executemany(
        "INSERT INTO articles_fts (rowid, title, teaser, body) VALUES (?, ?, ?, ?)",
        [
            (article_id, article.title, article.teaser, ready.body)
            for article_id, article, ready in new
        ],
    )
    db.executemany(
        "INSERT INTO forms_fts (rowid, title, teaser, body) VALUES (?, ?, ?, ?)",
        [(article_id, *ready.forms) for article_id, _, ready in new],
    )
