"""The store keeps what it is given, between runs and across schema versions."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from newsreader.feeds.subscriptions import ensure_bundled_feed
from newsreader.models import (
    Article,
    Block,
    BlockKind,
    Feed,
    Link,
    MediaItem,
    ProgrammeSlot,
    RelatedItem,
    SectionLabels,
)
from newsreader.store.database import Store
from newsreader.store.saving import SaveResult
from newsreader.store.schema import LATEST_VERSION, NewerStoreError, migrate, schema_version

CET = timezone(timedelta(hours=1))


def sample_article(guid: str = "tag:example,2024:1", **changes: object) -> Article:
    article = Article(
        guid=guid,
        title="Kicker: A headline",
        kicker="Kicker",
        teaser="One sentence.",
        blocks=(
            Block(BlockKind.PARAGRAPH, "First paragraph."),
            Block(BlockKind.HEADING, "A subheading"),
            Block(BlockKind.PARAGRAPH, "Second paragraph.\nWith a line break."),
        ),
        url="https://example.org/story",
        author="A. Writer",
        language="en",
        published=datetime(2024, 5, 1, 8, 0, tzinfo=CET),
        updated=datetime(2024, 5, 1, 9, 30, tzinfo=CET),
        related=(RelatedItem("Other story", "Its teaser.", date(2024, 4, 30)),),
        programme=(ProgrammeSlot("Radio", "Morning show", datetime(2024, 5, 2, 6, 0, tzinfo=CET)),),
        media=(MediaItem("Clip", 95, "https://example.org/clip.mp4", "video"),),
        labels=SectionLabels("See also", "On air", "Clips", "Updated:"),
        links=(Link("the docs", "https://example.org/docs"), Link("x", "https://x.org/")),
    )
    return replace(article, **changes)  # type: ignore[arg-type]


def add_feed(store: Store, source: str = "/feeds/example.xml") -> int:
    feed = store.add_feed(Feed(source=source, title="Example", link=None, language="en"))
    assert feed.id is not None
    return feed.id


def test_an_article_round_trips_with_all_its_parts(store: Store) -> None:
    feed_id = add_feed(store)
    original = sample_article()
    assert store.save_articles(feed_id, [original]) == SaveResult(new=1)
    summary = store.articles()[0]
    loaded = store.article(summary.id)
    assert loaded is not None
    assert replace(loaded, id=None, feed_id=None, feed_title=None) == original
    assert loaded.feed_title == "Example"
    assert loaded.updated is not None and loaded.updated.utcoffset() == timedelta(hours=1)


def test_the_store_survives_a_restart(tmp_path: Path) -> None:
    first = Store(tmp_path / "s.sqlite3")
    feed_id = add_feed(first)
    first.save_articles(feed_id, [sample_article()])
    article_id = first.articles()[0].id
    first.set_read(article_id)
    first.close()
    second = Store(tmp_path / "s.sqlite3")
    assert [f.feed.title for f in second.feeds()] == ["Example"]
    assert second.articles()[0].read is True
    assert second.search("subheading")[0].article_id == article_id
    second.close()


def test_saving_again_reports_unchanged_then_updated_and_keeps_read_state(store: Store) -> None:
    feed_id = add_feed(store)
    store.save_articles(feed_id, [sample_article()])
    article_id = store.articles()[0].id
    store.set_read(article_id)
    assert store.save_articles(feed_id, [sample_article()]) == SaveResult(unchanged=1)
    changed = sample_article(teaser="A corrected sentence.")
    assert store.save_articles(feed_id, [changed]) == SaveResult(updated=1)
    assert len(store.articles()) == 1
    loaded = store.article(article_id)
    assert loaded is not None and loaded.teaser == "A corrected sentence." and loaded.read
    assert store.search("corrected")[0].article_id == article_id
    assert store.search("sentence -corrected") == []


def test_articles_come_newest_first_an_undated_one_by_when_it_was_first_seen(
    store: Store,
) -> None:
    feed_id = add_feed(store)
    store.save_articles(
        feed_id,
        [
            sample_article(
                "a", title="Old", published=datetime(2020, 1, 1, tzinfo=UTC), updated=None
            ),
            sample_article("b", title="Undated", published=None, updated=None),
            sample_article(
                "c", title="New", published=datetime(2023, 1, 1, tzinfo=UTC), updated=None
            ),
        ],
    )
    listed = store.articles()
    assert [a.title for a in listed] == ["Undated", "New", "Old"]  # seen today, after 2023
    assert [a.first_seen for a in listed] == [True, False, False]
    assert listed[0].published is not None
    assert [a.title for a in store.articles(feed_id=feed_id + 1)] == []


def test_feed_counts_and_unread(store: Store) -> None:
    feed_id = add_feed(store)
    store.save_articles(feed_id, [sample_article("a"), sample_article("b", title="Two")])
    store.set_read(store.articles()[0].id)
    (summary,) = store.feeds()
    assert (summary.article_count, summary.unread_count) == (2, 1)


def test_subscribing_twice_keeps_one_feed_with_the_new_title(store: Store) -> None:
    add_feed(store)
    store.add_feed(Feed(source="/feeds/example.xml", title="Renamed"))
    assert [f.feed.title for f in store.feeds()] == ["Renamed"]


def test_a_related_item_links_to_a_stored_article_with_its_title(store: Store) -> None:
    feed_id = add_feed(store)
    store.save_articles(
        feed_id, [sample_article("main"), sample_article("other", title="Other story", related=())]
    )
    main = next(a for a in store.articles() if a.title == "Kicker: A headline")
    other = next(a for a in store.articles() if a.title == "Other story")
    loaded = store.article(main.id)
    assert loaded is not None and loaded.related[0].article_id == other.id


def test_bundled_feed_is_imported_only_into_an_empty_store(store: Store) -> None:
    assert ensure_bundled_feed(store) is not None
    assert ensure_bundled_feed(store) is None
    assert len(store.articles()) == 1
    assert store.integrity_ok()


def test_migrations_run_on_an_empty_store(tmp_path: Path) -> None:
    connection = sqlite3.connect(tmp_path / "empty.sqlite3")
    assert schema_version(connection) == 0
    assert migrate(connection) == LATEST_VERSION
    assert schema_version(connection) == LATEST_VERSION
    assert migrate(connection) == 0
    connection.close()


def test_migrations_upgrade_an_existing_store_and_index_its_articles(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    connection = sqlite3.connect(path)
    migrate(connection, target=1)  # a store written before the search index existed
    connection.execute(
        "INSERT INTO feeds (id, source, title, added_at) VALUES (1, 'old.xml', 'Old', '2019')"
    )
    connection.execute(
        "INSERT INTO articles (id, feed_id, guid, title, teaser, body) "
        "VALUES (7, 1, 'g', 'Kept title', 'Kept teaser', 'Amazon and Volkswagen')"
    )
    connection.commit()
    connection.close()

    store = Store(path)
    assert schema_version(store.connection()) == LATEST_VERSION
    assert [hit.article_id for hit in store.search("volkswagen")] == [7]
    assert store.articles()[0].title == "Kept title"
    store.close()


def test_an_upgrade_indexes_the_related_items_word_forms(tmp_path: Path) -> None:
    path = tmp_path / "nine.sqlite3"
    connection = sqlite3.connect(path)
    migrate(connection, target=9)  # a store written before related items had word forms
    connection.execute(
        "INSERT INTO feeds (id, source, title, added_at) VALUES (1, 'old.xml', 'Old', '2019')"
    )
    connection.execute("INSERT INTO articles (id, feed_id, guid, title) VALUES (7, 1, 'g', 'T')")
    connection.execute(
        "INSERT INTO related_items (article_id, position, title, teaser) "
        "VALUES (7, 0, 'Die Übernahme', '')"
    )
    connection.commit()
    connection.close()

    store = Store(path)
    assert [(hit.article_id, hit.related_position) for hit in store.search("Übernahmen")] == [
        (7, 0)
    ]
    store.close()


def test_a_store_from_a_newer_version_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "future.sqlite3"
    connection = sqlite3.connect(path)
    connection.execute(f"PRAGMA user_version = {LATEST_VERSION + 1}")
    connection.close()
    with pytest.raises(NewerStoreError, match="newer"):
        Store(path)


def test_the_store_uses_wal(store: Store) -> None:
    mode = store.connection().execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"


def test_read_and_star_state_filter_the_lists_and_survive_an_update(store: Store) -> None:
    feed_id = add_feed(store)
    store.save_articles(
        feed_id, [sample_article("a", title="One"), sample_article("b", title="Two")]
    )
    one = next(a for a in store.articles() if a.title == "One")
    store.set_read(one.id)
    store.set_starred(one.id)
    assert [a.title for a in store.articles(unread_only=True)] == ["Two"]
    assert [a.title for a in store.articles(starred_only=True)] == ["One"]
    assert store.count_articles(unread_only=True) == 1
    assert store.count_articles(feed_id=feed_id) == 2
    store.save_articles(feed_id, [sample_article("a", title="One", teaser="Changed.")])
    reloaded = store.article(one.id)
    assert reloaded is not None and reloaded.read and reloaded.starred
    store.set_starred(one.id, False)
    assert store.articles(starred_only=True) == []


def test_articles_page_with_limit_and_offset(store: Store) -> None:
    feed_id = add_feed(store)
    store.save_articles(
        feed_id,
        [
            sample_article(
                str(n), title=f"T{n}", published=None, updated=datetime(2020, 1, n + 1, tzinfo=UTC)
            )
            for n in range(5)
        ],
    )
    assert [a.title for a in store.articles(limit=2, offset=1)] == ["T3", "T2"]


def test_resubscribing_without_a_link_keeps_the_known_link(store: Store) -> None:
    store.add_feed(Feed(source="s", title="T", link="https://example.org/", language="de"))
    feed = store.add_feed(Feed(source="s", title="T2"))
    assert (feed.title, feed.link, feed.language) == ("T2", "https://example.org/", "de")


def test_a_batch_that_repeats_a_guid_keeps_its_last_version(store: Store) -> None:
    feed_id = add_feed(store)
    first = sample_article("same", title="First version")
    assert store.save_articles(
        feed_id, [first, replace(first, title="Last version")]
    ) == SaveResult(new=1)
    assert [a.title for a in store.articles()] == ["Last version"]


def test_closing_leaves_a_connection_another_thread_is_using(tmp_path: Path) -> None:
    import threading

    store = Store(tmp_path / "s.sqlite3")
    reading, release, done = threading.Event(), threading.Event(), []

    def reader() -> None:
        connection = store.connection()
        reading.set()
        release.wait(10)
        # Still open after close() in another thread: closing it under a query can crash.
        done.append(connection.execute("SELECT COUNT(*) FROM feeds").fetchone()[0])

    worker = threading.Thread(target=reader)
    worker.start()
    assert reading.wait(10)
    store.close()
    release.set()
    worker.join(10)
    assert done == [0]
