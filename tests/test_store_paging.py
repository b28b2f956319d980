"""The article list reads long lists a page at a time, in exactly the order of the full list."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from newsreader.models import Article, Feed
from newsreader.store.database import Store

PAGE = 7
START = datetime(2024, 5, 1, 8, 0, tzinfo=UTC)
# (feed, unread_only, starred_only); the feed is "one" or "two" or None for every feed.
VIEWS = [(None, False, False), ("one", False, False), (None, True, False), (None, False, True)]


def fill(store: Store) -> dict[str, int]:
    """Two feeds, 45 articles: shared timestamps, undated ones, some read, some starred."""
    feeds = {}
    for name in ("one", "two"):
        feed = store.add_feed(Feed(source=f"local:{name}", title=f"Feed {name}"))
        assert feed.id is not None
        feeds[name] = feed.id
    for number in range(45):
        name = "one" if number % 3 else "two"
        # Every fourth article shares its minute with the one before; every ninth has no date.
        minute = number - (number % 4 == 1)
        published = None if number % 9 == 4 else START + timedelta(minutes=minute)
        article = Article(guid=f"a{number}", title=f"Story {number}", published=published)
        store.save_articles(feeds[name], [article])
    for summary in store.articles(limit=1000):
        number = int(summary.title.split()[1])
        if number % 2:
            store.set_read(summary.id)
        if number % 5 == 0:
            store.set_starred(summary.id)
    return feeds


def add_copies(store: Store, feeds: dict[str, int]) -> set[int]:
    """A third feed carrying every fourth story again (same title, no text): copies, which
    views across feeds list once. Returns the copies' ids."""
    three = store.add_feed(Feed(source="local:three", title="Feed three"))
    assert three.id is not None
    feeds["three"] = three.id
    originals = {s.title: s for s in store.articles(limit=1000)}
    for number in range(0, 45, 4):
        original = store.article(originals[f"Story {number}"].id)
        assert original is not None
        copy = Article(guid=f"copy{number}", title=original.title, published=original.published)
        store.save_articles(three.id, [copy])
    return {s.id for s in store.articles(three.id, limit=1000)}


def full_list(store: Store, feed_id: int | None, unread: bool, starred: bool) -> list[int]:
    summaries = store.articles(feed_id, unread_only=unread, starred_only=starred, limit=1000)
    return [summary.id for summary in summaries]


@pytest.mark.parametrize("copies", [False, True], ids=["", "with copies"])
@pytest.mark.parametrize(("feed", "unread", "starred"), VIEWS)
def test_pages_by_offset_by_neighbour_and_from_the_end_all_give_the_full_list(
    store: Store, feed: str | None, unread: bool, starred: bool, copies: bool
) -> None:
    feeds = fill(store)
    copy_ids = add_copies(store, feeds) if copies else set()
    feed_id = feeds[feed] if feed else None
    expected = full_list(store, feed_id, unread, starred)
    view = {"unread_only": unread, "starred_only": starred}
    total = store.count_listed(feed_id, **view)
    assert total == len(expected) > PAGE
    starts = range(0, total, PAGE)

    by_offset = [store.article_page(feed_id, **view, offset=start, limit=PAGE) for start in starts]
    counted_from_end = [
        store.article_page(feed_id, **view, offset=start, limit=PAGE, total=total)
        for start in starts
    ]
    following: list[list[int]] = []
    for start in starts:
        after = following[-1][-1] if following else None
        page = store.article_page(feed_id, **view, offset=start, limit=PAGE, after=after)
        following.append([summary.id for summary in page])
    preceding: list[list[int]] = []
    for start in reversed(starts):
        before = preceding[0][0] if preceding else None
        page = store.article_page(
            feed_id, **view, offset=start, limit=PAGE, before=before, total=total
        )
        preceding.insert(0, [summary.id for summary in page])

    assert [s.id for page in by_offset for s in page] == expected
    assert not copy_ids & set(expected)
    assert [s.id for page in counted_from_end for s in page] == expected
    assert [article_id for page in following for article_id in page] == expected
    assert [article_id for page in preceding for article_id in page] == expected


@pytest.mark.parametrize("copies", [False, True], ids=["", "with copies"])
@pytest.mark.parametrize(("feed", "unread", "starred"), VIEWS)
def test_an_articles_position_is_its_row_in_the_list(
    store: Store, feed: str | None, unread: bool, starred: bool, copies: bool
) -> None:
    feeds = fill(store)
    copy_ids = add_copies(store, feeds) if copies else set()
    feed_id = feeds[feed] if feed else None
    listed = full_list(store, feed_id, unread, starred)
    view = {"unread_only": unread, "starred_only": starred}
    for row, article_id in enumerate(listed):
        assert store.listed_position(article_id, feed_id, **view) == row
    everything = full_list(store, None, False, False)
    for article_id in (set(everything) | copy_ids) - set(listed):
        assert store.listed_position(article_id, feed_id, **view) is None
    assert store.listed_position(max(everything) + 1, feed_id, **view) is None


def test_articles_the_reader_changed_stay_in_the_view_until_it_is_chosen_again(
    store: Store,
) -> None:
    fill(store)
    unread = full_list(store, None, True, False)
    just_read = unread[3]
    store.set_read(just_read)
    assert just_read not in full_list(store, None, True, False)

    kept = {"unread_only": True, "keep": {just_read}}
    page = store.article_page(**kept, limit=100)
    assert [summary.id for summary in page] == unread
    assert next(s for s in page if s.id == just_read).read
    assert store.count_listed(**kept) == len(unread)
    assert store.listed_position(just_read, **kept) == 3
    # Keeping never adds what the view did not list: a feed filter still applies.
    other_feed = store.add_feed(Feed(source="local:three", title="Feed three"))
    assert other_feed.id is not None
    assert store.count_listed(other_feed.id, **kept) == 0


def test_a_page_next_to_an_article_that_is_gone_is_read_by_its_offset(store: Store) -> None:
    fill(store)
    expected = full_list(store, None, False, False)
    gone = max(expected) + 100
    page = store.article_page(offset=PAGE, limit=PAGE, after=gone)
    assert [summary.id for summary in page] == expected[PAGE : 2 * PAGE]
    page = store.article_page(offset=PAGE, limit=PAGE, before=gone)
    assert [summary.id for summary in page] == expected[PAGE : 2 * PAGE]


def test_rows_carry_what_the_list_shows(store: Store) -> None:
    fill(store)
    newest = store.article_page(limit=1)[0]
    assert newest == store.articles(limit=1)[0]
    assert store.article_page(offset=10_000, limit=PAGE) == []
    assert store.article_page(offset=10_000, limit=PAGE, total=45) == []


def test_across_feeds_a_story_lists_once_with_the_feeds_that_also_carry_it(store: Store) -> None:
    feeds = fill(store)
    copy_ids = add_copies(store, feeds)
    every_story = store.article_page(limit=100)
    assert len(every_story) == store.count_listed() == 45
    carried = [s for s in every_story if s.also_in]
    assert {s.title for s in carried} == {f"Story {n}" for n in range(0, 45, 4)}
    assert {s.also_in for s in carried} == {("Feed three",)}
    # The copies arrived with their stories' read and star flags, so the views agree.
    in_three = store.articles(feeds["three"], limit=100)
    assert {s.id for s in in_three} == copy_ids
    assert all(s.read == (int(s.title.split()[1]) % 2 == 1) for s in in_three)
    assert all(s.also_in in {("Feed one",), ("Feed two",)} for s in in_three)
    assert store.count_listed(unread_only=True) == len(full_list(store, None, True, False))


def test_a_page_deep_in_the_list_across_feeds_is_found_in_an_index(store: Store) -> None:
    """Each story's first copy, newest first, is an index of its own: a jump to the middle
    of a long list skips rows there instead of reading each of them."""
    feeds = fill(store)
    add_copies(store, feeds)
    statements: list[str] = []
    store.connection().set_trace_callback(statements.append)
    try:
        page = store.article_page(offset=20, limit=PAGE)
    finally:
        store.connection().set_trace_callback(None)
    assert [summary.id for summary in page] == full_list(store, None, False, False)[20 : 20 + PAGE]
    (listing,) = [sql for sql in statements if "json_group_array" in sql]
    plan = {
        step[0]: (step[1], step[3])
        for step in store.connection().execute(f"EXPLAIN QUERY PLAN {listing}")
    }

    def within_subquery(step: int) -> bool:
        """Whether the step belongs to a subquery: the one choosing the page's ids."""
        while step in plan:
            step, detail = plan[step]
            if "SUBQUERY" in detail:
                return True
        return False

    index_steps = [
        n for n, (_, detail) in plan.items() if "articles_first_copies_by_time" in detail
    ]
    assert index_steps, plan
    # Only the page's ids are read there; the rows themselves are read for the page alone.
    assert all(within_subquery(n) for n in index_steps), plan
