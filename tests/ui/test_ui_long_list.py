"""A reader with thousands of stored articles scrolls, jumps and opens them in the list.

The list reads only the pages of rows it shows, so these tests also check that it never
builds a widget per article and never reads more than a few pages of a long list.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from httpserver import numbered_items, rss
from pilot_helpers import FAST_FETCH, SIZE, pane_rows, pane_text, settle, wait_until, watch_until

from newsreader.feeds.subscriptions import import_feed_file
from newsreader.models import Article, ArticleSummary
from newsreader.store.database import Store
from newsreader.ui.app import NewsreaderApp
from newsreader.ui.first_screen import FirstScreenRead
from newsreader.ui.views import ALL_ARTICLES
from newsreader.ui.widgets.article_list import ArticleList
from newsreader.ui.widgets.article_pages import PAGE_SIZE, ViewQuery, open_view
from newsreader.ui.widgets.feeds_column import FeedsColumn

STORIES = 3_000
START = datetime(2020, 1, 1, 8, 0, tzinfo=UTC)


def title(number: int) -> str:
    return f"Story {number:04d}"


def at_row(row: int) -> str:
    """The title listed at ``row``: newest first, so the last story comes first."""
    return title(STORIES - 1 - row)


@pytest.fixture
def archive(store: Store, tmp_path: Path) -> Path:
    """A feed file (empty for now) whose feed holds 3,000 stored stories, an hour apart."""
    feed_file = tmp_path / "archive.rss"
    feed_file.write_bytes(rss("Archive", []))
    import_feed_file(store, feed_file)
    feed_id = store.feeds()[0].feed.id
    assert feed_id is not None
    store.save_articles(
        feed_id,
        (
            Article(
                guid=f"story-{n}",
                title=title(n),
                teaser=f"The teaser of story {n}.",
                language="en",
                published=START + timedelta(hours=n),
            )
            for n in range(STORIES)
        ),
    )
    return feed_file


class PageReads:
    """Counts the rows the list reads from the store, and can hold the reads back."""

    def __init__(self, store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
        self.calls = 0
        self.rows = 0
        self.open = threading.Event()
        self.open.set()
        read: Callable[..., list[ArticleSummary]] = store.article_page

        def counted(*args: Any, **kwargs: Any) -> list[ArticleSummary]:
            self.open.wait(30)
            page = read(*args, **kwargs)
            self.calls += 1
            self.rows += len(page)
            return page

        monkeypatch.setattr(store, "article_page", counted)


@pytest.fixture
def page_reads(store: Store, monkeypatch: pytest.MonkeyPatch) -> Iterator[PageReads]:
    reads = PageReads(store, monkeypatch)
    yield reads
    reads.open.set()


def article_list(app: NewsreaderApp) -> ArticleList:
    return app.screen.query_one(ArticleList)


def listed(app: NewsreaderApp) -> list[str]:
    """The list's rows on screen, marks left out."""
    return [row.lstrip("●★ ").split("  ")[0] for row in pane_rows(app, "#article-list")]


async def test_end_and_home_jump_to_the_oldest_and_newest_story(
    store: Store, archive: Path, page_reads: PageReads
) -> None:
    app = NewsreaderApp(store=store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert listed(app)[:3] == [at_row(0), at_row(1), at_row(2)]
        assert at_row(0) in pane_text(app, "#article-view")  # the newest opened at start

        await pilot.press("end")
        await settle(pilot)
        assert listed(app)[-1] == title(0)
        assert article_list(app).highlighted == STORIES - 1
        assert article_list(app).highlighted_article_id is not None

        await pilot.press("home")
        await settle(pilot)
        assert listed(app)[0] == at_row(0)
        assert article_list(app).highlighted == 0

        # Only a few pages were ever read, and no row became a widget of its own.
        assert page_reads.rows <= 3 * PAGE_SIZE
        assert article_list(app).fetched_pages <= 3
        assert not article_list(app).children


async def test_page_down_j_and_k_move_the_highlight_and_enter_opens_it(
    store: Store, archive: Path
) -> None:
    app = NewsreaderApp(store=store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        widget = article_list(app)
        height = widget.scrollable_content_region.height

        await pilot.press("pagedown", "pagedown")
        await settle(pilot)
        assert widget.highlighted == 2 * height
        assert listed(app)[0] == at_row(2 * height)  # a screenful further, row for row

        await pilot.press("j", "j", "j", "k")
        await settle(pilot)
        assert widget.highlighted == 2 * height + 2
        await pilot.press("enter")
        await settle(pilot)
        assert at_row(2 * height + 2) in pane_text(app, "#article-view")

        await pilot.press("pageup")
        await settle(pilot)
        assert widget.highlighted == height + 2
        assert at_row(height + 2) in listed(app)


async def test_rows_not_read_yet_show_as_placeholders_until_their_page_arrives(
    store: Store, archive: Path, page_reads: PageReads
) -> None:
    app = NewsreaderApp(store=store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        page_reads.open.clear()  # the store is slow from now on
        await pilot.press("end")
        await watch_until(
            pilot,
            lambda: listed(app) and all(row == "·" for row in listed(app)),
            "the rows at the end wait for their page, drawn as placeholders",
        )
        assert article_list(app).highlighted_article_id is None

        page_reads.open.set()
        await wait_until(pilot, lambda: title(0) in listed(app), "the oldest story is drawn")
        assert article_list(app).highlighted_article_id is not None


async def test_a_refresh_that_adds_stories_keeps_the_highlight_on_the_same_story(
    store: Store, archive: Path
) -> None:
    app = NewsreaderApp(store=store, fetch_settings=FAST_FETCH)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("pagedown", "pagedown", "j")
        await settle(pilot)
        widget = article_list(app)
        chosen, row = widget.highlighted_article_id, widget.highlighted
        assert chosen is not None and row is not None
        screen_row = listed(app).index(at_row(row))

        archive.write_bytes(rss("Archive", numbered_items(2, "Fresh")))
        await pilot.press("r")
        column = app.screen.query_one(FeedsColumn)
        await wait_until(pilot, lambda: not column.refreshing, "the refresh ends")

        assert widget.highlighted_article_id == chosen
        assert widget.highlighted == row + 2  # two newer stories came in above it
        assert listed(app).index(at_row(row)) == screen_row  # and it did not move on screen
        await pilot.press("home")
        await settle(pilot)
        assert listed(app)[:2] == ["Fresh 1", "Fresh 0"]


async def test_a_search_hit_far_down_the_list_is_highlighted_there(
    store: Store, archive: Path
) -> None:
    app = NewsreaderApp(store=store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"0005")
        await wait_until(pilot, lambda: "1 match" in pane_text(app, "#search-status"), "a hit")
        await pilot.press("enter")
        await settle(pilot)
        assert title(5) in pane_text(app, "#article-view")
        assert article_list(app).highlighted == STORIES - 1 - 5
        assert title(5) in listed(app)


def test_the_newest_stories_read_while_the_app_starts_are_taken_once(
    store: Store, archive: Path
) -> None:
    early = FirstScreenRead(ViewQuery(store, ALL_ARTICLES))
    for _ in range(1_000):
        if early.done:
            break
        time.sleep(0.01)
    opened = early.take_rows()
    assert opened == open_view(ViewQuery(store, ALL_ARTICLES), None, 0)
    assert opened.count == STORIES
    assert [summary.title for summary in opened.pages[0][:2]] == [at_row(0), at_row(1)]
    assert early.take_rows() is None  # the list takes them once; later views are read anew
    newest = early.take_article()
    assert newest is not None and newest.title == at_row(0)
    assert early.take_article() is None
