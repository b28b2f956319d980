"""The counts the feed list shows are kept by triggers; they must equal counting every article."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsreader.feeds.fetchstate import delete_feed
from newsreader.models import Article, Feed
from newsreader.store.database import Store
from newsreader.store.schema import MIGRATIONS, migrate, schema_version
from newsreader.store.stories import FIRST_OF_STORY

Operation = tuple[str, int, int]


def counted(store: Store) -> tuple[list[tuple[int, int, int]], tuple[int, int, int]]:
    """Each feed's (id, total, unread) and the views' (all, unread, starred), counted."""
    db = store.connection()
    feeds = [
        (row[0], row[1], row[2])
        for row in db.execute(
            "SELECT feeds.id, COUNT(articles.id), COALESCE(SUM(articles.read = 0), 0) FROM feeds "
            "LEFT JOIN articles ON articles.feed_id = feeds.id GROUP BY feeds.id ORDER BY feeds.id"
        )
    ]
    views = tuple(
        db.execute(f"SELECT COUNT(*) FROM articles WHERE {FIRST_OF_STORY}{extra}").fetchone()[0]
        for extra in ("", " AND read = 0", " AND starred = 1")
    )
    return feeds, (views[0], views[1], views[2])


def kept(store: Store) -> tuple[list[tuple[int, int, int]], tuple[int, int, int]]:
    feeds = sorted(
        (summary.feed.id or 0, summary.article_count, summary.unread_count)
        for summary in store.feeds()
    )
    views = (
        store.count_articles(),
        store.count_articles(unread_only=True),
        store.count_articles(starred_only=True),
    )
    return feeds, views


def article(number: int) -> Article:
    # Few links, so that feeds share stories and a story's first copy changes hands.
    return Article(
        guid=f"g{number}", title=f"Headline {number % 5}", url=f"https://example.org/{number % 4}"
    )


operations = st.lists(
    st.tuples(
        st.sampled_from(["save", "read", "unread", "star", "unstar", "remove", "read many"]),
        st.integers(0, 2),
        st.integers(0, 11),
    ),
    max_size=25,
)


@settings(max_examples=40, deadline=None)
@given(operations)
def test_kept_counts_equal_counting_every_article(
    tmp_path_factory: pytest.TempPathFactory, steps: list[Operation]
) -> None:
    store = Store(tmp_path_factory.mktemp("counts") / "store.sqlite3")
    feeds: dict[int, int] = {}
    for kind, feed_number, number in steps:
        if feed_number not in feeds:
            feed = store.add_feed(Feed(source=f"/feeds/{feed_number}.xml", title=str(feed_number)))
            assert feed.id is not None
            feeds[feed_number] = feed.id
        feed_id = feeds[feed_number]
        ids = [row[0] for row in store.connection().execute("SELECT id FROM articles ORDER BY id")]
        target = ids[number % len(ids)] if ids else None
        if kind == "save":
            store.save_articles(feed_id, [article(number), article(number + 1)])
        elif kind == "remove":
            delete_feed(store, feed_id)
            del feeds[feed_number]
        elif kind == "read many":
            store.set_read_many(ids[: number + 1], number % 2 == 0)
        elif target is not None and kind in ("read", "unread"):
            store.set_read(target, kind == "read")
        elif target is not None:
            store.set_starred(target, kind == "star")
        assert kept(store) == counted(store)
    store.close()


def test_an_upgrade_counts_the_articles_already_stored(tmp_path: Path) -> None:
    path = tmp_path / "before.sqlite3"
    before = next(n for n, sql in enumerate(MIGRATIONS) if "CREATE TABLE feed_counts" in sql)
    connection = sqlite3.connect(path)
    migrate(connection, target=before)  # a store written before the counts were kept
    connection.execute("INSERT INTO feeds (id, source, title, added_at) VALUES (1, 'a', 'A', '1')")
    connection.execute("INSERT INTO feeds (id, source, title, added_at) VALUES (2, 'b', 'B', '1')")
    for number, (feed_id, read, starred) in enumerate([(1, 0, 0), (1, 1, 1), (2, 0, 1)]):
        connection.execute(
            "INSERT INTO articles (feed_id, guid, title, read, starred) VALUES (?, ?, 'T', ?, ?)",
            (feed_id, f"g{number}", read, starred),
        )
    connection.commit()
    connection.close()

    store = Store(path)
    assert schema_version(store.connection()) == len(MIGRATIONS)
    assert kept(store) == counted(store) == ([(1, 2, 1), (2, 1, 1)], (3, 2, 2))
    store.close()
