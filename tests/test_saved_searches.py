"""Saved searches are live views with counts; the search history walks back through queries."""

from __future__ import annotations

import sqlite3

import pytest

from newsreader.models import Article, Feed, SavedSearch
from newsreader.store.database import Store
from newsreader.store.query import QuerySyntaxError
from newsreader.store.saved import HISTORY_LIMIT


def test_a_saved_search_lists_with_its_live_counts(seeded_store: Store) -> None:
    saved = seeded_store.save_search("VW", "Kooperationen feed:ndr")
    assert saved == SavedSearch("VW", "Kooperationen feed:ndr", total=1, unread=1)
    (article,) = seeded_store.articles()
    seeded_store.set_read(article.id)
    assert seeded_store.saved_searches() == [
        SavedSearch("VW", "Kooperationen feed:ndr", total=1, unread=0)
    ]


def test_new_articles_count_in_a_saved_search_at_once(seeded_store: Store) -> None:
    seeded_store.save_search("Werke", "Werke")
    feed = seeded_store.add_feed(Feed(source="x", title="X", language="de"))
    assert feed.id is not None
    seeded_store.save_articles(feed.id, [Article(guid="1", title="Das Werk in Emden")])
    assert seeded_store.saved_searches()[0].total == 2


def test_saved_searches_are_ordered_by_name_and_kept_in_the_store(store: Store) -> None:
    store.save_search("zebra", "zebra")
    store.save_search("Amazon", "Amazon")
    store.save_search("bezos", "Bezos")
    reopened = Store(store.path)
    assert [saved.name for saved in reopened.saved_searches()] == ["Amazon", "bezos", "zebra"]
    reopened.close()


def test_saving_under_a_known_name_replaces_that_search(store: Store) -> None:
    store.save_search("News", "Amazon")
    store.save_search("news", "Bezos")
    assert [(s.name, s.query) for s in store.saved_searches()] == [("news", "Bezos")]


def test_a_search_that_cannot_be_searched_is_not_saved(store: Store) -> None:
    with pytest.raises(QuerySyntaxError, match="is: takes"):
        store.save_search("bad", "is:maybe")
    with pytest.raises(ValueError, match="needs a name"):
        store.save_search("  ", "Amazon")
    assert store.saved_searches() == []


def test_a_saved_search_this_version_cannot_read_counts_nothing(store: Store) -> None:
    with store.transaction() as db:
        db.execute(
            "INSERT INTO saved_searches (name, query, saved_at) VALUES ('old', 'is:maybe', '')"
        )
    assert store.saved_searches() == [SavedSearch("old", "is:maybe", 0, 0)]


def test_deleting_a_saved_search(store: Store) -> None:
    store.save_search("VW", "VW")
    assert store.delete_search("vw") is True
    assert store.delete_search("VW") is False
    assert store.saved_searches() == []


def test_the_history_is_newest_first_without_repeats(store: Store) -> None:
    for text in ["Amazon", "Bezos", "  Amazon  ", "", "   "]:
        store.remember_search(text)
    assert store.search_history() == ["Amazon", "Bezos"]
    assert store.search_history(limit=1) == ["Amazon"]


def test_the_history_keeps_only_the_newest_entries(store: Store) -> None:
    for number in range(HISTORY_LIMIT + 10):
        store.remember_search(f"query {number}")
    history = store.search_history(limit=1000)
    assert len(history) == HISTORY_LIMIT
    assert history[0] == f"query {HISTORY_LIMIT + 9}"
    assert history[-1] == "query 10"


def test_the_history_is_kept_in_the_store_and_free_of_control_characters(store: Store) -> None:
    store.remember_search("Amazon\x1b[31m")
    store.remember_search("x" * 501)
    connection = sqlite3.connect(store.path)
    rows = connection.execute("SELECT text FROM search_history").fetchall()
    connection.close()
    assert rows == [("Amazon[31m",)]
