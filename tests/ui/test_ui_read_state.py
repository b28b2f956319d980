"""A reader marks articles read or unread, stars them, and finds it all again next time."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from pilot_helpers import (
    SECOND_FEED,
    SIZE,
    footer_text,
    pane_rows,
    pane_text,
    screen_text,
    settle,
    wait_until,
)
from stub_programs import stub_program

from newsreader.config import CommandsConfig, Config
from newsreader.feeds.subscriptions import ensure_bundled_feed, import_feed_file
from newsreader.models import Article, Feed
from newsreader.store.database import Store
from newsreader.ui.app import NewsreaderApp
from newsreader.ui.widgets.article_view import ArticleView

LIGHTHOUSE = "Lighthouse keeper retires after forty years"
FERRY = "Ferry timetable changes for the summer"


def list_row(app: NewsreaderApp, start: str) -> str:
    """The article list's row whose title starts so, with its unread and star marks."""
    return next(row for row in pane_rows(app, "#article-list") if start in row)


def feed_list(app: NewsreaderApp) -> str:
    return pane_text(app, "#feed-list")


def ids(store: Store) -> dict[str, int]:
    return {summary.title: summary.id for summary in store.articles()}


async def test_m_and_s_change_the_list_the_counts_and_the_store_and_survive_a_restart(
    tmp_path: Path,
) -> None:
    path = tmp_path / "reader.sqlite3"
    store = Store(path)
    ensure_bundled_feed(store)
    import_feed_file(store, SECOND_FEED)
    titles = ids(store)
    app = NewsreaderApp(store=store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter")  # the reader opens the newest story, shown at start
        await settle(pilot)
        # The newest story was opened and is read; the other two are unread.
        assert list_row(app, "Lighthouse").startswith("Lighthouse")
        assert list_row(app, "Ferry").startswith("●  Ferry")
        assert "All unread 2" in feed_list(app)
        assert "Starred" in feed_list(app) and "Starred 1" not in feed_list(app)

        await pilot.press("s")  # stars the open, highlighted story
        await settle(pilot)
        assert list_row(app, "Lighthouse").startswith("★ Lighthouse")
        assert "★ Starred" in screen_text(app)  # on the article pane's border
        assert "Starred 1" in feed_list(app)
        assert store.article(titles[LIGHTHOUSE]).starred  # type: ignore[union-attr]

        await pilot.press("j", "m")  # marks the highlighted story read without opening it
        await settle(pilot)
        assert list_row(app, "Ferry").startswith("Ferry")
        assert "Harbour Gazette" in feed_list(app) and "Harbour Gazette 1" not in feed_list(app)
        assert "All unread 1" in feed_list(app)
        assert store.article(titles[FERRY]).read  # type: ignore[union-attr]
        assert LIGHTHOUSE in pane_text(app, "#article-view")  # still open

        # In the article pane, m acts on the open story: unread, then read again.
        await pilot.press("tab", "m")
        await settle(pilot)
        assert isinstance(app.focused, ArticleView)
        assert list_row(app, "Lighthouse").startswith("●★ Lighthouse")
        assert "All unread 2" in feed_list(app)
        assert not store.article(titles[LIGHTHOUSE]).read  # type: ignore[union-attr]
        await pilot.press("m")
        await settle(pilot)
        assert store.article(titles[LIGHTHOUSE]).read  # type: ignore[union-attr]
    store.close()

    reopened = Store(path)
    app = NewsreaderApp(store=reopened)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert list_row(app, "Lighthouse").startswith("★ Lighthouse")
        assert list_row(app, "Ferry").startswith("Ferry")
        assert list_row(app, "In die Cloud").startswith("●  In die Cloud")
        assert "All unread 1" in feed_list(app)
        assert "Starred 1" in feed_list(app)
    reopened.close()


async def test_quick_toggles_leave_the_store_as_the_screen_shows(two_feed_store: Store) -> None:
    ferry = ids(two_feed_store)[FERRY]
    app = NewsreaderApp(store=two_feed_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("j", "s", "s", "s", "m", "m", "m")
        await settle(pilot)
        assert list_row(app, "Ferry").startswith("★ Ferry")
    article = two_feed_store.article(ferry)
    assert article is not None
    assert article.starred and article.read


def add_linked_articles(store: Store) -> dict[str, int]:
    """Three stories: one with a web link, two whose links must never be opened."""
    feed = store.add_feed(Feed(source="local:links", title="Links", language="en"))
    assert feed.id is not None
    stories = [
        ("Web story", "https://example.org/web-story", 3),
        ("Script story", "javascript:alert(1)", 2),
        ("File story", "file:///etc/passwd", 1),
    ]
    store.save_articles(
        feed.id,
        [
            Article(
                guid=title,
                title=title,
                teaser="A teaser.",
                url=url,
                language="en",
                published=datetime(2030, 1, day, tzinfo=UTC),
            )
            for title, url, day in stories
        ],
    )
    return ids(store)


async def test_o_opens_only_web_links_in_the_browser(store: Store, tmp_path: Path) -> None:
    add_linked_articles(store)
    browser = stub_program(tmp_path, "browser")
    config = Config(commands=CommandsConfig(browser=browser.command))
    app = NewsreaderApp(store=store, config=config)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        assert "Web story" in pane_text(app, "#article-view")
        assert "o Open link" in footer_text(app)
        await pilot.press("o")
        await wait_until(pilot, browser.ran, "the browser is started")
        assert browser.arguments() == ["https://example.org/web-story"]
        browser.record.unlink()

        # A javascript: link is no web link: the key is not offered and does nothing.
        await pilot.press("j", "enter")
        await settle(pilot)
        assert "Script story" in pane_text(app, "#article-view")
        assert "o Open link" not in footer_text(app)
        await pilot.press("o")
        await settle(pilot)

        # Highlighting (not opening) the file: story and pressing o says there is no link.
        await pilot.press("j")
        await settle(pilot)
        assert "o Open link" in footer_text(app)  # unknown until the story is read
        await pilot.press("o")
        await settle(pilot)
        assert "This article has no web link." in " ".join(screen_text(app).split())
    assert not browser.ran()
