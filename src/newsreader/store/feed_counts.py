"""The feed list's counts, kept by triggers as articles come, go and change.

Counting a million articles for the feed list took seconds at every refresh; these
counts are read in a row per feed. For each feed: all its articles and the unread ones
(the feed's own line), and of those that are their story's first copy (the views across
feeds count each story once) all, the unread and the starred. The migration that adds
them counts every article once.
"""

from __future__ import annotations

# The migration (appended to schema.MIGRATIONS): the table, its first fill and its triggers.
FEED_COUNTS_MIGRATION = """
    CREATE TABLE feed_counts (
        feed_id INTEGER PRIMARY KEY REFERENCES feeds(id) ON DELETE CASCADE,
        total INTEGER NOT NULL DEFAULT 0,
        unread INTEGER NOT NULL DEFAULT 0,
        stories INTEGER NOT NULL DEFAULT 0,
        stories_unread INTEGER NOT NULL DEFAULT 0,
        stories_starred INTEGER NOT NULL DEFAULT 0
    );
    INSERT INTO feed_counts (feed_id, total, unread, stories, stories_unread, stories_starred)
        SELECT feed_id, COUNT(*), SUM(read = 0), SUM(story_id IS id),
            SUM(story_id IS id AND read = 0), SUM(story_id IS id AND starred = 1)
        FROM articles GROUP BY feed_id;
    CREATE TRIGGER feed_counts_insert AFTER INSERT ON articles BEGIN
        INSERT INTO feed_counts (feed_id) VALUES (new.feed_id) ON CONFLICT DO NOTHING;
        UPDATE feed_counts SET total = total + 1, unread = unread + (new.read = 0),
            stories = stories + (new.story_id IS new.id),
            stories_unread = stories_unread + (new.story_id IS new.id AND new.read = 0),
            stories_starred = stories_starred + (new.story_id IS new.id AND new.starred = 1)
        WHERE feed_id = new.feed_id;
    END;
    CREATE TRIGGER feed_counts_delete AFTER DELETE ON articles BEGIN
        UPDATE feed_counts SET total = total - 1, unread = unread - (old.read = 0),
            stories = stories - (old.story_id IS old.id),
            stories_unread = stories_unread - (old.story_id IS old.id AND old.read = 0),
            stories_starred = stories_starred - (old.story_id IS old.id AND old.starred = 1)
        WHERE feed_id = old.feed_id;
    END;
    CREATE TRIGGER feed_counts_update AFTER UPDATE OF feed_id, read, starred, story_id
    ON articles WHEN old.feed_id IS NOT new.feed_id OR old.read IS NOT new.read
        OR old.starred IS NOT new.starred OR old.story_id IS NOT new.story_id BEGIN
        UPDATE feed_counts SET total = total - 1, unread = unread - (old.read = 0),
            stories = stories - (old.story_id IS old.id),
            stories_unread = stories_unread - (old.story_id IS old.id AND old.read = 0),
            stories_starred = stories_starred - (old.story_id IS old.id AND old.starred = 1)
        WHERE feed_id = old.feed_id;
        INSERT INTO feed_counts (feed_id) VALUES (new.feed_id) ON CONFLICT DO NOTHING;
        UPDATE feed_counts SET total = total + 1, unread = unread + (new.read = 0),
            stories = stories + (new.story_id IS new.id),
            stories_unread = stories_unread + (new.story_id IS new.id AND new.read = 0),
            stories_starred = stories_starred + (new.story_id IS new.id AND new.starred = 1)
        WHERE feed_id = new.feed_id;
    END;
"""

# The column that keeps a count, by (across feeds, unread only, starred only).
KEPT_COUNTS = {
    (True, False, False): "stories",
    (True, True, False): "stories_unread",
    (True, False, True): "stories_starred",
    (False, False, False): "total",
    (False, True, False): "unread",
}
