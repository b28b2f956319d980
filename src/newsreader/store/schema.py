"""The store's schema as numbered migrations, tracked with ``PRAGMA user_version``.

Append new migrations; never edit one that has shipped. Each runs in one transaction.
"""

from __future__ import annotations

import sqlite3

from newsreader.store.feed_counts import FEED_COUNTS_MIGRATION
from newsreader.store.late_migrations import (
    ENCLOSURE_MIGRATION,
    FIRST_SEEN_MIGRATION,
    RELATED_FORMS_MIGRATION,
)
from newsreader.store.moved_in import MOVED_IN_MIGRATION
from newsreader.store.page_texts import PAGE_TEXTS_MIGRATION
from newsreader.store.rows import register_functions
from newsreader.store.search_counts import SEARCH_COUNTS_MIGRATION
from newsreader.store.stories import register_story_functions
from newsreader.store.sync_schema import SYNC_TABLES
from newsreader.store.upgrade_steps import UpgradeProgress, UpgradeSteps
from newsreader.text.wordforms import forms_version

MIGRATIONS: tuple[str, ...] = (
    # 1: feeds, articles and the sidebar parts of each article.
    """
    CREATE TABLE feeds (
        id INTEGER PRIMARY KEY,
        source TEXT NOT NULL UNIQUE,
        title TEXT NOT NULL,
        link TEXT,
        language TEXT,
        added_at TEXT NOT NULL
    );
    CREATE TABLE articles (
        id INTEGER PRIMARY KEY,
        feed_id INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
        guid TEXT NOT NULL,
        title TEXT NOT NULL,
        kicker TEXT,
        teaser TEXT NOT NULL DEFAULT '',
        body TEXT NOT NULL DEFAULT '',
        blocks TEXT NOT NULL DEFAULT '[]',
        url TEXT,
        author TEXT,
        language TEXT,
        published TEXT,
        updated TEXT,
        sort_time INTEGER,
        labels TEXT NOT NULL DEFAULT '{}',
        content_hash TEXT NOT NULL DEFAULT '',
        read INTEGER NOT NULL DEFAULT 0,
        starred INTEGER NOT NULL DEFAULT 0,
        UNIQUE (feed_id, guid)
    );
    CREATE INDEX articles_by_time ON articles (sort_time DESC);
    CREATE INDEX articles_by_feed_time ON articles (feed_id, sort_time DESC);
    CREATE TABLE related_items (
        id INTEGER PRIMARY KEY,
        article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        title TEXT NOT NULL,
        teaser TEXT NOT NULL DEFAULT '',
        day TEXT,
        url TEXT,
        UNIQUE (article_id, position)
    );
    CREATE TABLE programme_slots (
        article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        station TEXT NOT NULL,
        programme TEXT NOT NULL,
        start TEXT,
        PRIMARY KEY (article_id, position)
    );
    CREATE TABLE media_items (
        article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        title TEXT NOT NULL,
        duration_seconds INTEGER,
        url TEXT,
        kind TEXT NOT NULL DEFAULT 'video',
        PRIMARY KEY (article_id, position)
    );
    """,
    # 2: full-text indexes over articles (title, teaser, body) and over the related items
    # the sources name (title, teaser), filled from what is already stored.
    """
    CREATE VIRTUAL TABLE articles_fts USING fts5(
        title, teaser, body,
        content='articles', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2'
    );
    CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
        INSERT INTO articles_fts (rowid, title, teaser, body)
        VALUES (new.id, new.title, new.teaser, new.body);
    END;
    CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
        INSERT INTO articles_fts (articles_fts, rowid, title, teaser, body)
        VALUES ('delete', old.id, old.title, old.teaser, old.body);
    END;
    CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, teaser, body ON articles BEGIN
        INSERT INTO articles_fts (articles_fts, rowid, title, teaser, body)
        VALUES ('delete', old.id, old.title, old.teaser, old.body);
        INSERT INTO articles_fts (rowid, title, teaser, body)
        VALUES (new.id, new.title, new.teaser, new.body);
    END;
    INSERT INTO articles_fts (articles_fts) VALUES ('rebuild');
    CREATE VIRTUAL TABLE related_fts USING fts5(
        title, teaser,
        content='related_items', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2'
    );
    CREATE TRIGGER related_fts_insert AFTER INSERT ON related_items BEGIN
        INSERT INTO related_fts (rowid, title, teaser) VALUES (new.id, new.title, new.teaser);
    END;
    CREATE TRIGGER related_fts_delete AFTER DELETE ON related_items BEGIN
        INSERT INTO related_fts (related_fts, rowid, title, teaser)
        VALUES ('delete', old.id, old.title, old.teaser);
    END;
    INSERT INTO related_fts (related_fts) VALUES ('rebuild');
    """,
    # 3: per-feed fetch state (HTTP validators, body hash, Retry-After, last outcome) and
    # the folder a feed sits in (a JSON list of names, outermost first; from OPML).
    """
    CREATE TABLE feed_state (
        feed_id INTEGER PRIMARY KEY REFERENCES feeds(id) ON DELETE CASCADE,
        etag TEXT,
        last_modified TEXT,
        body_sha256 TEXT,
        retry_at TEXT,
        checked_at TEXT,
        succeeded_at TEXT,
        outcome TEXT,
        error TEXT,
        folder TEXT NOT NULL DEFAULT '[]'
    );
    """,
    # 4: bodies stored once, compressed, with their block layout beside them; the search
    # index reads them through a view, ranks by bm25 with title > teaser > body, and keeps
    # a two-letter prefix index, since short prefixes are the slowest queries otherwise.
    """
    ALTER TABLE articles ADD COLUMN body_z BLOB;
    ALTER TABLE articles ADD COLUMN layout TEXT NOT NULL DEFAULT '';
    UPDATE articles SET body_z = nr_deflate(body), layout = nr_layout_from_json(blocks);
    DROP TRIGGER articles_fts_insert;
    DROP TRIGGER articles_fts_delete;
    DROP TRIGGER articles_fts_update;
    DROP TABLE articles_fts;
    ALTER TABLE articles DROP COLUMN body;
    ALTER TABLE articles DROP COLUMN blocks;
    CREATE VIEW article_text (id, title, teaser, body) AS
        SELECT id, title, teaser, nr_inflate(body_z) FROM articles;
    CREATE VIRTUAL TABLE articles_fts USING fts5(
        title, teaser, body,
        content='article_text', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2', prefix='2'
    );
    INSERT INTO articles_fts (articles_fts, rank) VALUES ('rank', 'bm25(10.0, 4.0, 1.0)');
    CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
        INSERT INTO articles_fts (rowid, title, teaser, body)
        VALUES (new.id, new.title, new.teaser, nr_inflate(new.body_z));
    END;
    CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
        INSERT INTO articles_fts (articles_fts, rowid, title, teaser, body)
        VALUES ('delete', old.id, old.title, old.teaser, nr_inflate(old.body_z));
    END;
    CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, teaser, body_z ON articles BEGIN
        INSERT INTO articles_fts (articles_fts, rowid, title, teaser, body)
        VALUES ('delete', old.id, old.title, old.teaser, nr_inflate(old.body_z));
        INSERT INTO articles_fts (rowid, title, teaser, body)
        VALUES (new.id, new.title, new.teaser, nr_inflate(new.body_z));
    END;
    INSERT INTO articles_fts (articles_fts) VALUES ('rebuild');
    """,
    # 5: the links of each article's body, as JSON [[text, url], ...].
    """
    ALTER TABLE articles ADD COLUMN links TEXT NOT NULL DEFAULT '[]';
    """,
    # 6: the search language. A second index holds every word folded (ä = ae, ß = ss) and
    # stemmed in its article's language ("Werke" = "Werk"); it keeps no positions, so
    # phrases and prefixes go to the exact index only. nr_language picks the language
    # from the row alone (its tag, else its words), so the view gives 'delete' the same
    # tokens that went in. The index is filled by refresh_word_forms, which also rebuilds
    # it when the stemmer changes. Also: the feeds' categories for each story, saved
    # searches and the search history.
    """
    CREATE VIEW article_forms (id, title, teaser, body) AS
        SELECT id, nr_forms(title, language), nr_forms(teaser, language),
               nr_forms(nr_inflate(body_z), language)
        FROM (SELECT id, title, teaser, body_z,
                     nr_language(language, title, teaser, body_z) AS language FROM articles);
    CREATE VIRTUAL TABLE forms_fts USING fts5(
        title, teaser, body,
        content='article_forms', content_rowid='id',
        tokenize='unicode61 remove_diacritics 0', detail='column'
    );
    INSERT INTO forms_fts (forms_fts, rank) VALUES ('rank', 'bm25(10.0, 4.0, 1.0)');
    CREATE TRIGGER forms_fts_insert AFTER INSERT ON articles BEGIN
        INSERT INTO forms_fts (rowid, title, teaser, body)
        SELECT new.id, nr_forms(new.title, language), nr_forms(new.teaser, language),
               nr_forms(nr_inflate(new.body_z), language)
        FROM (SELECT nr_language(new.language, new.title, new.teaser, new.body_z) AS language);
    END;
    CREATE TRIGGER forms_fts_delete AFTER DELETE ON articles BEGIN
        INSERT INTO forms_fts (forms_fts, rowid, title, teaser, body)
        SELECT 'delete', old.id, nr_forms(old.title, language), nr_forms(old.teaser, language),
               nr_forms(nr_inflate(old.body_z), language)
        FROM (SELECT nr_language(old.language, old.title, old.teaser, old.body_z) AS language);
    END;
    CREATE TRIGGER forms_fts_update AFTER UPDATE OF title, teaser, body_z, language
    ON articles BEGIN
        INSERT INTO forms_fts (forms_fts, rowid, title, teaser, body)
        SELECT 'delete', old.id, nr_forms(old.title, language), nr_forms(old.teaser, language),
               nr_forms(nr_inflate(old.body_z), language)
        FROM (SELECT nr_language(old.language, old.title, old.teaser, old.body_z) AS language);
        INSERT INTO forms_fts (rowid, title, teaser, body)
        SELECT new.id, nr_forms(new.title, language), nr_forms(new.teaser, language),
               nr_forms(nr_inflate(new.body_z), language)
        FROM (SELECT nr_language(new.language, new.title, new.teaser, new.body_z) AS language);
    END;
    CREATE TABLE search_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE article_tags (
        article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        tag TEXT NOT NULL,
        folded TEXT NOT NULL,
        PRIMARY KEY (article_id, position)
    );
    CREATE INDEX article_tags_by_folded ON article_tags (folded, article_id);
    CREATE TABLE saved_searches (
        name TEXT PRIMARY KEY COLLATE NOCASE,
        query TEXT NOT NULL,
        saved_at TEXT NOT NULL
    );
    CREATE TABLE search_history (id INTEGER PRIMARY KEY, text TEXT NOT NULL UNIQUE);
    """,
    # 7: the same story in several feeds (stories.py). Each article names its story by the
    # id of the story's first stored copy and is keyed by its normalised link and folded
    # title (save_articles sets them; the triggers cover any other insert and a changed
    # link or title). Articles stored before are grouped by link alone (a feed holding one
    # link twice is left apart), their read and star flags made one. When a story's first
    # copy goes, the next copy takes its place.
    """
    ALTER TABLE articles ADD COLUMN story_id INTEGER;
    ALTER TABLE articles ADD COLUMN url_key TEXT;
    ALTER TABLE articles ADD COLUMN title_key TEXT;
    UPDATE articles SET story_id = id, url_key = nr_url_key(url), title_key = nr_title_key(title);
    CREATE INDEX articles_by_url_key ON articles (url_key) WHERE url_key IS NOT NULL;
    CREATE INDEX articles_by_title_key ON articles (title_key, sort_time);
    UPDATE articles SET story_id = (
        SELECT MIN(other.id) FROM articles AS other WHERE other.url_key = articles.url_key
    ) WHERE url_key IN (
        SELECT url_key FROM articles WHERE url_key IS NOT NULL GROUP BY url_key
        HAVING COUNT(*) > 1 AND COUNT(*) = COUNT(DISTINCT feed_id)
    );
    CREATE INDEX articles_by_story ON articles (story_id);
    UPDATE articles SET read = 1
    WHERE read = 0 AND story_id IN (SELECT story_id FROM articles WHERE read = 1);
    UPDATE articles SET starred = 1
    WHERE starred = 0 AND story_id IN (SELECT story_id FROM articles WHERE starred = 1);
    CREATE TRIGGER articles_story_insert AFTER INSERT ON articles WHEN new.story_id IS NULL
    BEGIN
        UPDATE articles SET story_id = new.id,
            url_key = nr_url_key(new.url), title_key = nr_title_key(new.title)
        WHERE id = new.id;
    END;
    CREATE TRIGGER articles_story_keys AFTER UPDATE OF url, title ON articles
    WHEN old.url IS NOT new.url OR old.title IS NOT new.title BEGIN
        UPDATE articles SET url_key = nr_url_key(new.url), title_key = nr_title_key(new.title)
        WHERE id = new.id;
    END;
    CREATE TRIGGER articles_story_next AFTER DELETE ON articles WHEN old.story_id = old.id BEGIN
        UPDATE articles SET story_id = (SELECT MIN(id) FROM articles WHERE story_id = old.id)
        WHERE story_id = old.id;
    END;
    """,
    # 8: new articles are indexed by the code that stores them (Store.save_articles), from
    # text it already holds or had prepared beside the parsing, instead of by triggers that
    # decompress each body again and turn it into word forms on the writing thread. Deleting
    # and updating still go through triggers, which compute the same text from the row.
    """
    DROP TRIGGER articles_fts_insert;
    DROP TRIGGER forms_fts_insert;
    """,
    # 9: the lists across feeds show each story once, by its first copy, newest first. An
    # index of just those rows in that order lets a page deep in a long list (a jump to
    # its middle) count its way there in the index alone instead of row by row.
    """
    CREATE INDEX articles_first_copies_by_time ON articles (sort_time) WHERE story_id = id;
    """,
    # 10: the related items' words in their other forms (see late_migrations.py).
    RELATED_FORMS_MIGRATION,
    # 11: what an enclosure declares about its file (a podcast's audio): its media type
    # and its size in bytes.
    ENCLOSURE_MIGRATION,
    # 12: each feed's counts, kept by triggers (feed_counts.py).
    FEED_COUNTS_MIGRATION,
    # 13: the pictures of each article's body and its lead picture, as JSON
    # [[url, alt, caption, title, position, lead], ...] (text/images.py).
    """
    ALTER TABLE articles ADD COLUMN images TEXT NOT NULL DEFAULT '[]';
    """,
    # 14: when the store first saw each article, the time an undated one is listed by.
    FIRST_SEEN_MIGRATION,
    # 15: full text from the article's web page, beside the feed's own (page_texts.py).
    PAGE_TEXTS_MIGRATION,
    # 16: the saved searches' counts, kept (search_counts.py).
    SEARCH_COUNTS_MIGRATION,
    # 17: what moving in from another reader (newsboat) keeps (moved_in.py).
    MOVED_IN_MIGRATION,
    # 18: sync accounts (never their passwords), their feeds and articles tied to the
    # server's ids, and the queue of changes to push (sync_schema.py).
    SYNC_TABLES,
)

LATEST_VERSION = len(MIGRATIONS)
# The migration that made the related items' word-form index.
_RELATED_FORMS_VERSION = 10


class NewerStoreError(RuntimeError):
    """The store was written by a newer newsreader; opening it could damage it."""


def schema_version(connection: sqlite3.Connection) -> int:
    return int(connection.execute("PRAGMA user_version").fetchone()[0])


def migrate(
    connection: sqlite3.Connection,
    target: int = LATEST_VERSION,
    progress: UpgradeProgress | None = None,
) -> int:
    """Bring the store up to ``target``; returns the number of migrations applied.

    ``progress`` hears at the start of each step and about once a second during it,
    so that a caller can show that a long upgrade of a large store is moving.
    """
    register_functions(connection)
    register_story_functions(connection)
    current = schema_version(connection)
    if current > LATEST_VERSION:
        raise NewerStoreError(
            f"the store has schema version {current}, newer than this newsreader "
            f"({LATEST_VERSION}); upgrade newsreader to open it"
        )
    applied = 0
    # The migrations, then the word-form check; a new store has nothing to wait for.
    steps = UpgradeSteps(connection, max(0, target - current) + 1, progress if current else None)
    with steps:
        for version in range(current + 1, target + 1):
            steps.tell(applied + 1)
            script = MIGRATIONS[version - 1]
            # executescript() commits first, so the transaction is spelled out.
            try:
                connection.executescript(
                    f"BEGIN;\n{script}\nPRAGMA user_version = {version};\nCOMMIT;"
                )
            except sqlite3.Error:
                if connection.in_transaction:
                    connection.rollback()
                raise
            applied += 1
        if target >= 6:
            if current and upgrade_pending(connection):
                steps.tell(steps.steps)
            refresh_word_forms(connection)
    return applied


def upgrade_pending(connection: sqlite3.Connection) -> bool:
    """Whether opening the store will migrate it or rebuild its word-form index.

    Either can take a while on a large store; callers can say so before it starts.
    """
    current = schema_version(connection)
    if current == 0:
        return False  # a new store: nothing to rebuild
    if current < LATEST_VERSION:
        return True
    row = connection.execute("SELECT value FROM search_meta WHERE key = 'forms_version'").fetchone()
    return row is None or row[0] != forms_version()


def refresh_word_forms(connection: sqlite3.Connection) -> bool:
    """(Re)build the word-form indexes if they were built by another stemmer, or never.

    FTS5 removes a row by its old tokens, so an index whose stems differ from what the
    stemmer makes now could not be kept in step: it is rebuilt whole. Returns whether
    they were.
    """
    row = connection.execute("SELECT value FROM search_meta WHERE key = 'forms_version'").fetchone()
    version = forms_version()
    if row is not None and row[0] == version:
        return False
    with connection:
        connection.execute("INSERT INTO forms_fts (forms_fts) VALUES ('rebuild')")
        if schema_version(connection) >= _RELATED_FORMS_VERSION:
            connection.execute(
                "INSERT INTO related_forms_fts (related_forms_fts) VALUES ('rebuild')"
            )
        connection.execute(
            "INSERT INTO search_meta (key, value) VALUES ('forms_version', ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (version,),
        )
    return True
