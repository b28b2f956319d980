"""The texts of later migrations, kept apart so that ``schema`` stays short to read.

``schema.MIGRATIONS`` lists them in their place; never edit one that has shipped.
"""

from __future__ import annotations

# 10: the related items' words in their other forms, so that a search finds them as
# it finds articles ("Übernahmen" finds "Übernahme"). An item's language is not its
# own to tell, so it holds its words' German and English forms both (nr_item_forms),
# from its own text alone: 'delete' then gets the tokens that went in.
RELATED_FORMS_MIGRATION = """
    CREATE VIEW related_item_forms (id, title, teaser) AS
        SELECT id, nr_item_forms(title), nr_item_forms(teaser) FROM related_items;
    CREATE VIRTUAL TABLE related_forms_fts USING fts5(
        title, teaser,
        content='related_item_forms', content_rowid='id',
        tokenize='unicode61 remove_diacritics 0', detail='column'
    );
    CREATE TRIGGER related_forms_fts_insert AFTER INSERT ON related_items BEGIN
        INSERT INTO related_forms_fts (rowid, title, teaser)
        VALUES (new.id, nr_item_forms(new.title), nr_item_forms(new.teaser));
    END;
    CREATE TRIGGER related_forms_fts_delete AFTER DELETE ON related_items BEGIN
        INSERT INTO related_forms_fts (related_forms_fts, rowid, title, teaser)
        VALUES ('delete', old.id, nr_item_forms(old.title), nr_item_forms(old.teaser));
    END;
    INSERT INTO related_forms_fts (related_forms_fts) VALUES ('rebuild');
"""


# 11: what an enclosure declares about its file (a podcast's audio): its media type
# and its size in bytes.
ENCLOSURE_MIGRATION = """
    ALTER TABLE media_items ADD COLUMN mime_type TEXT;
    ALTER TABLE media_items ADD COLUMN length INTEGER;
"""


# 14: when the store first saw each article. An article without a date of its own
# (or with one that cannot be read) sorts by it instead of sinking below everything;
# for those stored before, the day their feed was added stands in.
FIRST_SEEN_MIGRATION = """
    ALTER TABLE articles ADD COLUMN first_seen INTEGER;
    UPDATE articles SET first_seen = COALESCE(
        (SELECT CAST(strftime('%s', feeds.added_at) AS INTEGER) FROM feeds
         WHERE feeds.id = articles.feed_id),
        CAST(strftime('%s', 'now') AS INTEGER)
    );
    UPDATE articles SET sort_time = first_seen WHERE sort_time IS NULL;
"""
