"""Small terminals squeeze the side panes, not the article; z zooms the focused pane.

A reader on a 60×20 or 80×24 terminal still reads the article at a readable width, reaches
every pane with tab, and sees "? Help" and "q Quit" in the footer. On a wide terminal, z
gives the list the whole width, in columns, and the choice is there on the next start.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from pilot_helpers import footer_text, pane_rows, settle, wait_until
from textual.pilot import Pilot

from newsreader.models import ArticleSummary
from newsreader.store.database import Store
from newsreader.ui.app import NewsreaderApp
from newsreader.ui.pane_layout import ARTICLE_MIN, pane_layout
from newsreader.ui.render import Palette
from newsreader.ui.ui_state import load_state, state_path
from newsreader.ui.widgets.article_list import ArticleList
from newsreader.ui.widgets.article_view import ArticleView
from newsreader.ui.widgets.feed_list import FeedList
from newsreader.ui.widgets.feeds_column import FeedsColumn
from newsreader.ui.widgets.list_rows import column_row
from newsreader.ui.widgets.sidebar import Sidebar


def test_the_sidebar_gives_way_first_then_the_left_column() -> None:
    assert pane_layout(160, "left").visible == {"left", "article", "sidebar"}
    assert pane_layout(100, "left").visible == {"left", "article"}
    assert pane_layout(80, "article").visible == {"left", "article"}
    assert pane_layout(70, "article").visible == {"article"}
    # The pane the reader moved to always shows, whatever the width.
    assert pane_layout(60, "sidebar").visible == {"article", "sidebar"}
    assert pane_layout(60, "left").visible == {"left", "article"}
    zoomed = pane_layout(60, "left", zoomed=True, list_focused=True)
    assert zoomed.visible == {"left"} and not zoomed.feed_list


def test_a_wide_list_row_has_columns() -> None:
    summary = ArticleSummary(
        id=1,
        feed_id=1,
        feed_title="Harbour Gazette",
        title="Lighthouse keeper retires",
        published=datetime(2020, 6, 2, 9, 15, tzinfo=UTC),
        read=False,
        starred=True,
        also_in=("Valley Post",),
    )
    row = column_row(summary, 140, Palette(), "%Y-%m-%d %H:%M", "also in: {feeds}").plain
    assert row.startswith("●★  2020-06-02 11:15  Harbour Gazette")  # 09:15 UTC in Berlin
    assert row.index("Lighthouse") < row.index("also in: Valley Post")
    assert len(row) <= 140


async def wait_for_the_article(pilot: Pilot[Any]) -> None:
    await settle(pilot)
    await wait_until(
        pilot,
        lambda: any("Lighthouse" in row for row in pane_rows(pilot.app, "#article-view")),
        "the newest article is shown",
    )


@pytest.mark.parametrize("size", [(60, 20), (80, 24)])
async def test_a_small_terminal_keeps_the_article_readable_and_every_pane_reachable(
    two_feed_store: Store, size: tuple[int, int]
) -> None:
    app = NewsreaderApp(store=two_feed_store)
    async with app.run_test(size=size) as pilot:
        await wait_for_the_article(pilot)
        screen = app.screen
        footer = footer_text(app)
        assert "? Help" in footer and "q Quit" in footer
        # The article, once it has the focus, gets at least the readable width.
        await pilot.press("tab")
        await settle(pilot)
        assert isinstance(app.focused, ArticleView)
        assert screen.query_one(ArticleView).size.width >= ARTICLE_MIN - 2
        # tab reaches the sidebar, then the feeds, hidden or not a moment ago.
        await pilot.press("tab")
        await settle(pilot)
        assert isinstance(app.focused, Sidebar) and screen.query_one(Sidebar).display
        assert screen.query_one(Sidebar).size.width >= 20
        await pilot.press("tab")
        await settle(pilot)
        assert isinstance(app.focused, FeedList) and screen.query_one(FeedsColumn).display
        assert screen.query_one(FeedsColumn).size.width >= 20


async def test_80_columns_shows_no_sidebar_beside_the_list(two_feed_store: Store) -> None:
    app = NewsreaderApp(store=two_feed_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_the_article(pilot)
        assert not app.screen.query_one(Sidebar).display
        assert app.screen.query_one(ArticleView).size.width >= ARTICLE_MIN - 2


async def test_z_zooms_the_list_into_columns_and_back_and_is_remembered(
    two_feed_store: Store,
) -> None:
    app = NewsreaderApp(store=two_feed_store)
    async with app.run_test(size=(150, 30)) as pilot:
        await wait_for_the_article(pilot)
        assert isinstance(app.focused, ArticleList)
        await pilot.press("z")
        await settle(pilot)
        screen = app.screen
        assert not screen.query_one(ArticleView).display
        assert not screen.query_one(FeedList).display
        assert screen.query_one(ArticleList).size.width > 140
        rows = pane_rows(app, "#article-list")
        assert "2020-06-02 11:15  Harbour Gazette" in rows[0]  # in the reader's zone
        assert "NDR Niedersachsen" in rows[2]
        await wait_until(pilot, lambda: load_state(state_path()).zoomed, "the zoom is kept")

        await pilot.press("enter")  # opens the article, which takes the whole width
        await settle(pilot)
        assert isinstance(app.focused, ArticleView)
        assert not screen.query_one(FeedsColumn).display
        assert screen.query_one(ArticleView).size.width > 140

    again = NewsreaderApp(store=two_feed_store)
    async with again.run_test(size=(150, 30)) as pilot:
        await wait_until(
            pilot, lambda: "Harbour Gazette" in " ".join(pane_rows(again, "#article-list")), "rows"
        )
        assert not again.screen.query_one(ArticleView).display  # still zoomed on the list
        await pilot.press("z")
        await settle(pilot)
        assert again.screen.query_one(ArticleView).display
        assert again.screen.query_one(Sidebar).display
        await wait_until(pilot, lambda: not load_state(state_path()).zoomed, "unzoom kept")
