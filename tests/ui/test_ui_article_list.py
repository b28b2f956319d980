"""A reader with two feeds moves through the article list by keys and by mouse."""

from __future__ import annotations

from pilot_helpers import SIZE, VW_TITLE, pane_text, screen_text, settle

from newsreader.store.database import Store
from newsreader.ui.app import NewsreaderApp
from newsreader.ui.widgets.article_list import ArticleList

LIGHTHOUSE = "Lighthouse keeper retires after forty years"
FERRY = "Ferry timetable changes for the summer"


def row(app: NewsreaderApp, number: int) -> str:
    """One row of the article list as drawn."""
    widget = app.screen.query_one(ArticleList)
    region = widget.content_region
    line = screen_text(app).splitlines()[region.y + number]
    return line[region.x : region.right]


async def test_j_k_and_enter_open_other_articles(two_feed_store: Store) -> None:
    app = NewsreaderApp(store=two_feed_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter")  # the reader opens the newest story, shown at start
        await settle(pilot)
        # Newest first: the newest article is open, the older ones are still unread.
        article = pane_text(app, "#article-view")
        assert LIGHTHOUSE in article
        assert "2020-06-02 11:15" in article  # English: ISO date, in the reader's zone (Berlin)
        assert "Harbour Gazette" in article
        assert "Ada Marsh climbed the hundred steps" in article
        assert row(app, 0).lstrip().startswith("Lighthouse")
        assert row(app, 1).lstrip().startswith("●  Ferry")  # unread, not starred
        assert row(app, 2).lstrip().startswith("●  In die Cloud")
        # This story names no related items, broadcasts or media: the sidebar lists only
        # what the store finds alike, under the reader's own words.
        sidebar = pane_text(app, "#sidebar")
        assert sidebar == "" or sidebar.startswith("Related More on this")
        assert "On air" not in sidebar and "More media" not in sidebar

        await pilot.press("j")
        await settle(pilot)
        assert LIGHTHOUSE in pane_text(app, "#article-view")  # moving alone opens nothing
        await pilot.press("enter")
        await settle(pilot)
        article = pane_text(app, "#article-view")
        assert FERRY in article
        assert "The island ferry sails every forty minutes" in article
        assert row(app, 1).lstrip().startswith("Ferry")

        await pilot.press("down", "enter")
        await settle(pilot)
        assert VW_TITLE in pane_text(app, "#article-view")
        assert "Weitere Informationen" in pane_text(app, "#sidebar")

        await pilot.press("k", "k", "enter")
        await settle(pilot)
        assert LIGHTHOUSE in pane_text(app, "#article-view")

        await pilot.press("backspace")
        await settle(pilot)
        assert VW_TITLE in pane_text(app, "#article-view")


async def test_opening_an_article_marks_it_read_in_the_store(two_feed_store: Store) -> None:
    ferry_id = next(s.id for s in two_feed_store.articles() if s.title == FERRY)
    app = NewsreaderApp(store=two_feed_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert two_feed_store.article(ferry_id).read is False  # type: ignore[union-attr]
        await pilot.press("j", "enter")
        await settle(pilot)
    assert two_feed_store.article(ferry_id).read is True  # type: ignore[union-attr]


async def test_clicking_an_article_opens_it(two_feed_store: Store) -> None:
    app = NewsreaderApp(store=two_feed_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        article_list = app.screen.query_one(ArticleList)
        top = article_list.content_region.y - article_list.region.y

        await pilot.click(ArticleList, offset=(6, top + 2))
        await settle(pilot)
        assert VW_TITLE in pane_text(app, "#article-view")

        await pilot.click(ArticleList, offset=(6, top + 1))
        await settle(pilot)
        assert FERRY in pane_text(app, "#article-view")


async def test_clicking_a_related_item_opens_it(app: NewsreaderApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        sidebar = app.screen.query_one("#sidebar")
        top = sidebar.content_region.y - sidebar.region.y

        await pilot.click("#sidebar", offset=(4, top + 1))  # below the section heading
        await settle(pilot)
        article = pane_text(app, "#article-view")
        assert "Vernetzung: Volkswagen übernimmt WirelessCar" in article
        assert "Only the teaser of this item is available." in article
