"""Articles prepared beside the parsing are stored and indexed as if the store did it all."""

from __future__ import annotations

from dataclasses import replace

import pytest
from shared_paths import FIXTURES

from newsreader.feeds.ingest import parse_feed
from newsreader.feeds.parse_worker import parse_and_prepare
from newsreader.feeds.refresh import remove_feed
from newsreader.models import Article, Block, BlockKind, Feed
from newsreader.store.database import Store
from newsreader.store.prepare import PreparedArticle, prepare_article
from newsreader.store.rows import content_hash


def story(guid: str, body: str, *, language: str | None = None) -> Article:
    return Article(
        guid=guid,
        title=f"Werke in Wolfsburg ({guid})",
        teaser="Die Straße zum Werk wird gesperrt.",
        blocks=(Block(BlockKind.PARAGRAPH, body),),
        language=language,
    )


def indexes_match_the_store(store: Store) -> bool:
    """FTS5's own check: every index holds exactly the text its content view gives."""
    db = store.connection()
    for table in ("articles_fts", "forms_fts"):
        db.execute(f"INSERT INTO {table} ({table}, rank) VALUES ('integrity-check', 1)")
    return True


def test_prepared_and_unprepared_articles_search_alike(store: Store) -> None:
    feed = store.add_feed(Feed(source="local:a", title="A"))
    assert feed.id is not None
    german = story("1", "Die Kooperationen der Konzerne wachsen.", language="de")
    untagged = story("2", "Der Betriebsrat und die Werke sind sich einig, sagt der Sprecher.")
    store.save_articles(feed.id, [german], [prepare_article(german)])
    store.save_articles(feed.id, [untagged])
    assert {hit.title for hit in store.search("Kooperation")} == {german.title}
    assert {hit.title for hit in store.search("Werk Strasse")} == {german.title, untagged.title}
    assert indexes_match_the_store(store)


def test_updates_and_removals_leave_both_indexes_consistent(store: Store) -> None:
    feed = store.add_feed(Feed(source="local:a", title="A"))
    assert feed.id is not None
    first = story("1", "Erste Fassung über die Werke.")
    store.save_articles(feed.id, [first], [prepare_article(first)])
    changed = replace(first, blocks=(Block(BlockKind.PARAGRAPH, "Zweite Fassung: Kooperation."),))
    store.save_articles(feed.id, [changed], [prepare_article(changed)])
    assert indexes_match_the_store(store)
    assert [hit.title for hit in store.search("Kooperationen")] == [first.title]
    assert store.search("Fassung -Kooperation") == []
    assert remove_feed(store, store.feed(feed.id) or Feed(source="local:a", title="A"))
    assert indexes_match_the_store(store)
    assert store.search("Werk") == []


def test_a_worker_parses_and_prepares_in_one_call() -> None:
    data = (FIXTURES / "cli" / "harbour.rss").read_bytes()
    parsed, prepared = parse_and_prepare(data, "harbour.rss")
    whole = parse_feed(data, "harbour.rss")
    assert len(prepared) == len(parsed.articles) == len(whole.articles) > 0
    assert prepared == [prepare_article(article) for article in whole.articles]
    # The body travels once, prepared; the articles come without their blocks.
    assert parsed.articles == [replace(article, blocks=()) for article in whole.articles]
    assert all(ready.body for ready in prepared)


def test_articles_stored_from_a_worker_read_back_whole(store: Store) -> None:
    data = (FIXTURES / "cli" / "harbour.rss").read_bytes()
    parsed, prepared = parse_and_prepare(data, "harbour.rss")
    feed = store.add_feed(parsed.feed)
    assert feed.id is not None
    store.save_articles(feed.id, parsed.articles, prepared)
    whole = parse_feed(data, "harbour.rss")
    listed = store.articles(feed.id)
    assert len(listed) == len(whole.articles)
    stored = [store.article(summary.id) for summary in listed]
    by_guid = {article.guid: article for article in stored if article is not None}
    for article in whole.articles:
        assert by_guid[article.guid].blocks == article.blocks
    assert indexes_match_the_store(store)


def test_articles_stored_again_unchanged_are_not_prepared_again(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    from newsreader.store import prepare as prepare_module

    prepared: list[str] = []
    real = prepare_module.prepare_article

    def counting(article: Article, digest: str | None = None) -> PreparedArticle:
        prepared.append(article.guid)
        return real(article, digest)

    monkeypatch.setattr(prepare_module, "prepare_article", counting)
    feed = store.add_feed(Feed(source="local:a", title="A"))
    assert feed.id is not None
    first, second = story("1", "Die Werke."), story("2", "Der Hafen.")
    store.save_articles(feed.id, [first, second])
    assert prepared == ["1", "2"]
    changed = replace(second, blocks=(Block(BlockKind.PARAGRAPH, "Der neue Hafen."),))
    result = store.save_articles(feed.id, [first, changed])
    assert (result.unchanged, result.updated) == (1, 1)
    assert prepared == ["1", "2", "2"]
    assert indexes_match_the_store(store)


def test_a_batch_is_written_to_the_indexes_once_at_commit(store: Store) -> None:
    """FTS5 writes out its pending terms whenever a later statement opens a savepoint, so
    index inserts between article rows would leave segments per article to merge later."""
    feed = store.add_feed(Feed(source="local:a", title="A"))
    assert feed.id is not None
    statements: list[str] = []
    store.connection().set_trace_callback(statements.append)
    batch = [story(str(n), f"Text {n} über die Werke.") for n in range(5)]
    store.save_articles(feed.id, batch, [prepare_article(article) for article in batch])
    store.connection().set_trace_callback(None)
    commit = statements.index("COMMIT")
    segment_writes = [n for n, sql in enumerate(statements) if "_fts_data'" in sql]
    assert segment_writes
    assert min(segment_writes) > commit
    assert indexes_match_the_store(store)
    assert len(store.search("Werk")) == 5


def test_the_prepared_fingerprint_is_the_articles_own() -> None:
    """Preparing reuses the body and layout it made; the fingerprint must not change."""
    data = (FIXTURES / "cli" / "harbour.rss").read_bytes()
    for article in parse_feed(data, "harbour.rss").articles:
        assert prepare_article(article).digest == content_hash(article)
