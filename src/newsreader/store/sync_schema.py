"""The tables sync keeps, one migration in ``schema.MIGRATIONS`` (kept here for its size).

Accounts hold the command that prints a password, never the password. Synced feeds and
articles are tied to their account and the server's ids; the queue holds read and star
changes, in order, until the server has them.
"""

SYNC_TABLES = """
CREATE TABLE sync_accounts (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    url TEXT NOT NULL,
    user TEXT NOT NULL,
    password_command TEXT NOT NULL,
    since_id INTEGER NOT NULL DEFAULT 0,
    last_sync TEXT,
    added_at TEXT NOT NULL
);
CREATE TABLE sync_feeds (
    feed_id INTEGER PRIMARY KEY REFERENCES feeds(id) ON DELETE CASCADE,
    account_id INTEGER NOT NULL REFERENCES sync_accounts(id) ON DELETE CASCADE,
    remote_id TEXT NOT NULL,
    remote_url TEXT NOT NULL,
    group_name TEXT,
    UNIQUE (account_id, remote_id)
);
CREATE TABLE sync_articles (
    article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    account_id INTEGER NOT NULL REFERENCES sync_accounts(id) ON DELETE CASCADE,
    remote_id INTEGER NOT NULL,
    UNIQUE (account_id, remote_id)
);
CREATE TABLE sync_queue (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL REFERENCES sync_accounts(id) ON DELETE CASCADE,
    remote_id INTEGER NOT NULL,
    field TEXT NOT NULL CHECK (field IN ('read', 'starred')),
    value INTEGER NOT NULL,
    queued_at TEXT NOT NULL
);
CREATE INDEX sync_queue_by_account ON sync_queue (account_id, seq);
"""
