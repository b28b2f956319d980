"""What moving in from another reader (newsboat) keeps in the store, beyond articles.

Feeds it kept hidden stay out of the feed list; a title the user gave a feed (own_title)
outlasts the feed's own; a feed's groups (newsboat's tags: many and flat, unlike a folder
path) are searchable with folder:; articles deleted there stay deleted, by guid, so that a
refresh does not bring them back (``Store.save_articles`` skips them).
"""

from __future__ import annotations

# The migration (appended to schema.MIGRATIONS).
MOVED_IN_MIGRATION = """
ALTER TABLE feeds ADD COLUMN hidden INTEGER NOT NULL DEFAULT 0;
ALTER TABLE feeds ADD COLUMN own_title INTEGER NOT NULL DEFAULT 0;
CREATE TABLE feed_groups (
    feed_id INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    folded TEXT NOT NULL,
    PRIMARY KEY (feed_id, position)
);
CREATE INDEX feed_groups_by_folded ON feed_groups (folded, feed_id);
CREATE TABLE removed_articles (
    feed_id INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
    guid TEXT NOT NULL,
    PRIMARY KEY (feed_id, guid)
) WITHOUT ROWID;
"""
