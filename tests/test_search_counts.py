"""Saved searches' kept counts stay equal to a full recount, whatever happens in between."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsreader.models import Article, Feed
from newsreader.store.database import Store
from newsreader.store.search_counts import count
from newsreader.store.search_plan import query_clause
from newsreader.store.stories import FIRST_OF_STORY

WORDS = ["harbour", "school", "market", "climate", "police"]
QUERIES = ["harbour", "school OR market", "climate -police", "harbour feed:one", "polic*"]


def _where(query: str) -> tuple[list[str], list[object]]:
    matching, params = query_clause(query)
    return [matching, FIRST_OF_STORY], params


def recounted(store: Store) -> dict[str, tuple[int, int]]:
    """Every saved search counted from scratch, as before counts were kept."""
    db = store.connection()
    rows = db.execute("SELECT name, query FROM saved_searches").fetchall()
    return {row[0]: count(db, _where, row[1]) for row in rows}


def kept(store: Store) -> dict[str, tuple[int, int]]:
    return {saved.name: (saved.total, saved.unread) for saved in store.saved_searches()}


def _article(number: int, words: list[str], url: str) -> Article:
    return Article(guid=f"g{number}", title=" ".join(words), url=url)


operation = st.one_of(
    st.tuples(st.just("add"), st.integers(0, 1), st.lists(st.sampled_from(WORDS), max_size=3),
              st.integers(0, 3)),
    st.tuples(st.just("read"), st.integers(0, 40), st.booleans()),
    st.tuples(st.just("delete"), st.integers(0, 40)),
    st.tuples(st.just("edit"), st.integers(0, 40), st.lists(st.sampled_from(WORDS), max_size=3)),
    st.tuples(st.just("save"), st.integers(0, 2), st.sampled_from(QUERIES)),
    st.tuples(st.just("unsave"), st.integers(0, 2)),
    st.tuples(st.just("look"),),
)  # fmt: skip


def _apply(store: Store, feeds: list[int], step: tuple[object, ...], made: list[int]) -> None:
    db = store.connection()
    ids = [row[0] for row in db.execute("SELECT id FROM articles ORDER BY id")]
    kind = step[0]
    if kind == "add":
        number = len(made)
        made.append(number)
        feed, words, story = step[1], step[2], step[3]
        assert isinstance(feed, int) and isinstance(words, list) and isinstance(story, int)
        url = f"http://127.0.0.1/story/{story}"
        store.save_articles(feeds[feed], [_article(number, words, url)])
    elif kind == "read" and ids:
        assert isinstance(step[1], int) and isinstance(step[2], bool)
        store.set_read(ids[step[1] % len(ids)], step[2])
    elif kind == "delete" and ids:
        assert isinstance(step[1], int)
        with store.transaction() as write:
            write.execute("DELETE FROM articles WHERE id = ?", (ids[step[1] % len(ids)],))
    elif kind == "edit" and ids:
        assert isinstance(step[1], int) and isinstance(step[2], list)
        with store.transaction() as write:
            write.execute(
                "UPDATE articles SET title = ? WHERE id = ?",
                (" ".join(step[2]), ids[step[1] % len(ids)]),
            )
    elif kind == "save":
        assert isinstance(step[2], str)
        store.save_search(f"search {step[1]}", step[2])
    elif kind == "unsave":
        store.delete_search(f"search {step[1]}")


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(steps=st.lists(operation, max_size=25))
def test_kept_counts_equal_a_full_recount(tmp_path: Path, steps: list[tuple[object, ...]]) -> None:
    path = tmp_path / f"store-{abs(hash(tuple(map(str, steps))))}.sqlite3"
    store = Store(path)
    try:
        feeds = [store.add_feed(Feed(source=f"s{n}", title=name)).id or 0
                 for n, name in enumerate(["one", "two"])]  # fmt: skip
        store.save_search("search 0", "harbour")
        made: list[int] = []
        for step in steps:  # the counts catch up over several changes at once
            _apply(store, feeds, step, made)
            if step[0] == "look":
                assert kept(store) == recounted(store), step
        assert kept(store) == recounted(store)
    finally:
        store.close()
        path.unlink()


TABLE = [
    [("add", 0, ["harbour"], 0), ("look",), ("delete", 0), ("look",)],
    [("add", 0, ["harbour"], 0), ("look",), ("edit", 0, ["school"]), ("look",)],
    [("add", 0, ["harbour"], 0), ("look",), ("read", 0, True), ("add", 1, ["harbour"], 1)],
    [("add", 0, ["harbour"], 0), ("add", 1, ["harbour"], 0), ("look",), ("delete", 0)],
    [("add", 0, ["school"], 0), ("save", 1, "school OR market"), ("read", 0, True),
     ("save", 1, "market"), ("add", 0, ["market"], 2), ("look",), ("unsave", 1)],
]  # fmt: skip


@pytest.mark.parametrize("steps", TABLE)
def test_kept_counts_in_known_cases(tmp_path: Path, steps: list[tuple[object, ...]]) -> None:
    test_kept_counts_equal_a_full_recount.hypothesis.inner_test(tmp_path, steps)  # type: ignore[attr-defined]


def _two_counted(store: Store) -> int:
    feed = store.add_feed(Feed(source="s", title="one")).id or 0
    store.save_articles(feed, [_article(0, ["harbour"], "http://127.0.0.1/a")])
    store.save_articles(feed, [_article(1, ["harbour"], "http://127.0.0.1/b")])
    store.save_search("Harbour", "harbour")
    assert kept(store) == {"Harbour": (2, 2)}
    return int(store.connection().execute("SELECT MIN(id) FROM articles").fetchone()[0])


def test_the_check_fails_when_read_changes_are_not_logged(store: Store) -> None:
    first = _two_counted(store)
    store.connection().execute("DROP TRIGGER article_changes_read")
    store.set_read(first)
    assert recounted(store) == {"Harbour": (2, 1)}
    assert kept(store) == {"Harbour": (2, 2)}  # stale: the mutation is seen


def test_kept_counts_are_read_without_counting_again(store: Store) -> None:
    first = _two_counted(store)
    store.set_read(first)
    assert kept(store) == {"Harbour": (2, 1)}
    # The kept row is what is read: changed behind the log's back, the change shows.
    with store.transaction() as db:
        db.execute("UPDATE search_counts SET total = 7")
    assert kept(store) == {"Harbour": (7, 1)}


def test_every_article_column_but_the_flags_is_watched(store: Store) -> None:
    db: sqlite3.Connection = store.connection()
    columns = {row[1] for row in db.execute("PRAGMA table_info(articles)")}
    trigger = db.execute(
        "SELECT sql FROM sqlite_master WHERE name = 'article_changes_other'"
    ).fetchone()[0]
    watched = {name.strip() for name in trigger.split("UPDATE OF")[1].split(" ON ")[0].split(",")}
    assert watched == columns - {"read", "starred"}
