"""A reader picks a feed, "All unread" or "Starred" and the article list follows."""

from __future__ import annotations

from pathlib import Path

from httpserver import numbered_items, rss
from pilot_helpers import FAST_FETCH, SIZE, VW_TITLE, pane_rows, pane_text, screen_text, settle

from newsreader.feeds.subscriptions import import_feed_file
from newsreader.models import Article, Feed
from newsreader.store.database import Store
from newsreader.ui.app import NewsreaderApp
from newsreader.ui.widgets.article_list import ArticleList
from newsreader.ui.widgets.article_view import ArticleView
from newsreader.ui.widgets.feed_list import FeedList
from newsreader.ui.widgets.sidebar import Sidebar


def listed_titles(app: NewsreaderApp) -> list[str]:
    """The article list's rows, marks left out, cut to their first two words."""
    rows = pane_rows(app, "#article-list")
    return [" ".join(row.lstrip("●★ ").split()[:2]) for row in rows]


def list_title(app: NewsreaderApp) -> str:
    return str(app.screen.query_one(ArticleList).border_title)


async def test_the_feed_list_counts_and_tab_goes_feeds_articles_article_sidebar(
    two_feed_store: Store,
) -> None:
    app = NewsreaderApp(store=two_feed_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter")  # the reader opens the newest story, shown at start
        await settle(pilot)
        rows = [" ".join(row.split()) for row in pane_rows(app, "#feed-list")]
        # The newest story was opened, so one of three is read.
        assert rows[:3] == ["All articles 3", "All unread 2", "Starred"]
        assert rows[-2:] == ["Harbour Gazette 1", "NDR Niedersachsen 1"]

        assert isinstance(app.focused, ArticleList)
        await pilot.press("tab")
        assert isinstance(app.focused, ArticleView)
        await pilot.press("tab")
        assert isinstance(app.focused, Sidebar)
        await pilot.press("tab")
        assert isinstance(app.focused, FeedList)
        await pilot.press("tab")
        assert isinstance(app.focused, ArticleList)
        await pilot.press("shift+tab")
        assert isinstance(app.focused, FeedList)


async def test_choosing_a_feed_lists_only_its_articles(two_feed_store: Store) -> None:
    app = NewsreaderApp(store=two_feed_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert list_title(app) == "All articles"
        assert listed_titles(app) == ["Lighthouse keeper", "Ferry timetable", "In die"]

        # Moving through the feeds shows each one's articles at once; enter goes to them.
        await pilot.press("shift+tab", "end")
        await settle(pilot)
        assert list_title(app) == "NDR Niedersachsen"
        assert listed_titles(app) == ["In die"]
        await pilot.press("up", "enter")
        await settle(pilot)
        assert list_title(app) == "Harbour Gazette"
        assert listed_titles(app) == ["Lighthouse keeper", "Ferry timetable"]
        assert isinstance(app.focused, ArticleList)
        # The open story is highlighted in the feed's list; nothing else changed.
        assert app.screen.query_one(ArticleList).highlighted == 0
        assert "Lighthouse keeper" in pane_text(app, "#article-view")

        await pilot.press("j", "enter")
        await settle(pilot)
        assert "The island ferry sails" in pane_text(app, "#article-view")


async def test_all_unread_keeps_a_story_just_read_until_the_view_is_chosen_again(
    seeded_store: Store, tmp_path: Path
) -> None:
    harbour = tmp_path / "harbour.rss"
    harbour.write_bytes(rss("Harbour News", numbered_items(2, "Harbour")))
    import_feed_file(seeded_store, harbour)
    app = NewsreaderApp(store=seeded_store, fetch_settings=FAST_FETCH)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter", "shift+tab", "j", "enter")
        await settle(pilot)
        assert list_title(app) == "All unread"
        assert listed_titles(app) == ["Harbour 0", "In die"]  # Harbour 1 opened first

        await pilot.press("enter")  # reading a story marks it read...
        await settle(pilot)
        assert "Text of harbour 0." in pane_text(app, "#article-view")
        assert "All unread 1" in pane_text(app, "#feed-list")
        # ...but it stays under the cursor, without its unread mark, even when a refresh
        # brings new stories into the view...
        harbour.write_bytes(rss("Harbour News", numbered_items(3, "Harbour")))
        await pilot.press("r")
        await settle(pilot)
        assert listed_titles(app) == ["Harbour 2", "Harbour 0", "In die"]
        assert pane_rows(app, "#article-list")[1].startswith("Harbour 0")
        assert app.screen.query_one(ArticleList).highlighted == 1

        # ...until the view is chosen again.
        await pilot.press("shift+tab", "k", "j")  # All articles, then All unread again
        await settle(pilot)
        assert list_title(app) == "All unread"
        assert listed_titles(app) == ["Harbour 2", "In die"]


async def test_starred_lists_what_was_starred(two_feed_store: Store) -> None:
    app = NewsreaderApp(store=two_feed_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("shift+tab", "j", "j")
        await settle(pilot)
        assert list_title(app) == "Starred"
        assert "Nothing is starred yet" in pane_text(app, "#article-list")

        await pilot.press("home", "tab", "end", "enter", "s")  # star the VW story
        await settle(pilot)
        assert VW_TITLE in pane_text(app, "#article-view")
        await pilot.press("shift+tab", "j", "j")
        await settle(pilot)
        assert list_title(app) == "Starred"
        assert listed_titles(app) == ["In die"]
        assert "Starred 1" in pane_text(app, "#feed-list")
        assert "★" in screen_text(app)


async def test_a_feed_title_that_looks_like_markup_is_shown_as_written(store: Store) -> None:
    title = "[bold red]Breaking[/] [link=https://evil.example]news[/link] :fire:"
    feed = store.add_feed(Feed(source="local:odd", title=title, language="en"))
    assert feed.id is not None
    store.save_articles(feed.id, [Article(guid="a", title="Calm story", language="en")])
    app = NewsreaderApp(store=store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("shift+tab", "end")
        await settle(pilot)
        assert "[bold red]Breaking[/]" in pane_text(app, "#feed-list")
        article_list = app.screen.query_one(ArticleList)
        border = screen_text(app).splitlines()[article_list.region.y]
        assert "[bold red]Breaking" in border  # the list is titled after the feed, as written
        assert listed_titles(app) == ["Calm story"]
