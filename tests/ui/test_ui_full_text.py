"""A teaser-only article gets its full text from its web page while the reader reads.

The page (the bundled story as its web page would show it) is served on 127.0.0.1, a
little late, so the teaser shows first and the page's text then takes its place.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from httpserver import FeedServer, Reply, rss
from pilot_helpers import (
    FAST_FETCH,
    VW_TITLE,
    pane_rows,
    pane_text,
    settle,
    wait_until,
    watch_until,
)
from shared_paths import FIXTURES

from newsreader.config import Config, UiConfig
from newsreader.feeds.subscriptions import ensure_bundled_feed
from newsreader.models import Article, Block, BlockKind, Feed, RelatedItem
from newsreader.store.database import Store
from newsreader.ui.app import NewsreaderApp
from newsreader.ui.widgets.article_view import ArticleView
from newsreader.ui.widgets.sidebar import Sidebar

SEED_PAGE = (FIXTURES / "pages" / "ndr-vw-amazon.html").read_bytes()
TEASER = "VW-Vorstand Herbert Diess hat sich mehrfach mit Amazon-Chef Jeff Bezos getroffen."
FEED_ITEM = "Schon gelesen: VW baut Werk um"
PAGE_ONLY = "Innovationszentrum in Berlin geplant"
CET = timezone(timedelta(hours=1))


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with FeedServer() as running:
        running.route(
            "/vw-amazon.html",
            Reply(200, SEED_PAGE, {"Content-Type": "text/html"}, delay=1.5),
        )
        yield running


@pytest.fixture
def seeded_store_copy(tmp_path: Path) -> Iterator[Store]:
    """A second store, with only the bundled story in it."""
    other = Store(tmp_path / "bundled.sqlite3")
    ensure_bundled_feed(other)
    yield other
    other.close()


def teaser_store(store: Store, server: FeedServer, *, related: bool = False) -> Store:
    feed = store.add_feed(Feed(server.url("/feed.xml"), "NDR Teaser", language="de"))
    assert feed.id is not None
    own = (RelatedItem(FEED_ITEM, "Ein Satz dazu.", url="https://feed.example/werk"),)
    store.save_articles(
        feed.id,
        [
            Article(
                guid="urn:ndr:vw",
                title=VW_TITLE,
                teaser=TEASER,
                blocks=(Block(BlockKind.PARAGRAPH, TEASER),),
                url=server.url("/vw-amazon.html"),
                language="de",
                updated=datetime(2019, 3, 27, 20, 43, tzinfo=CET),
                related=own if related else (),
            )
        ],
    )
    return store


async def test_the_full_text_takes_the_teasers_place_and_f_switches_back(
    store: Store, server: FeedServer
) -> None:
    app = NewsreaderApp(store=teaser_store(store, server, related=True), fetch_settings=FAST_FETCH)
    async with app.run_test(size=(120, 14)) as pilot:
        await pilot.pause()
        view = app.screen.query_one(ArticleView)
        # The teaser shows at once, and the reader starts reading in the sidebar.
        # (Watched, not settled: settling would wait for the page to arrive.)
        await watch_until(pilot, lambda: view.note.startswith("Fetching"), "the fetch to start")
        assert "Jeff Bezos getroffen" in pane_text(app, "#article-view")  # the teaser
        assert view.note == "Fetching the full text from 127.0.0.1…"
        await pilot.press("tab", "tab")
        sidebar = app.screen.query_one(Sidebar)
        assert app.focused is sidebar
        highlighted = sidebar.highlighted_option
        assert highlighted is not None and highlighted.id == "related-0"
        assert view.note.startswith("Fetching")  # all this before the page arrived

        await wait_until(pilot, lambda: view.note.startswith("Full text"), "the full text")
        assert view.note == "Full text from the web page · 127.0.0.1"
        assert app.focused is sidebar  # focus stays where the reader is
        highlighted = sidebar.highlighted_option
        assert highlighted is not None and highlighted.id == "related-0"
        # The page's stories join the feed's, under the feed's heading for its own.
        related = [item.title for item in sidebar._article.related]  # type: ignore[union-attr]
        assert related == [
            FEED_ITEM,
            "Vernetzung: Volkswagen übernimmt WirelessCar",
            "VW: Schlagabtausch zwischen Osterloh und Diess",
        ]

        # Reading the article: scroll down, and the place survives f and f again.
        await pilot.press("shift+tab")
        assert app.focused is view
        await pilot.press("down", "down", "down")
        place = view.scroll_offset.y
        assert place == 3
        await pilot.press("f")
        await settle(pilot)
        assert view.note == "The feed's own text · f shows the web page's"
        assert PAGE_ONLY not in " ".join(
            line.text for line in view._lines
        )  # the feed's teaser only
        assert app.focused is view
        await pilot.press("f")
        await settle(pilot)
        assert view.note == "Full text from the web page · 127.0.0.1"
        assert PAGE_ONLY in " ".join(line.text for line in view._lines)
        assert view.scroll_offset.y == place
    assert server.hits["/vw-amazon.html"] == 1


async def test_the_article_and_sidebar_show_as_the_bundled_story_does(
    store: Store, seeded_store_copy: Store, server: FeedServer
) -> None:
    size = (120, 70)
    bundled = NewsreaderApp(store=seeded_store_copy)
    async with bundled.run_test(size=size) as pilot:
        await settle(pilot)
        expected_sidebar = pane_rows(bundled, "#sidebar")
        expected_text = pane_text(bundled, "#article-view")
    app = NewsreaderApp(store=teaser_store(store, server), fetch_settings=FAST_FETCH)
    async with app.run_test(size=size) as pilot:
        view = app.screen.query_one(ArticleView)
        await wait_until(pilot, lambda: view.note.startswith("Full text"), "the full text")
        await settle(pilot)
        assert pane_rows(app, "#sidebar") == expected_sidebar
        shown = pane_text(app, "#article-view")
        # The same text after the byline (the feeds' names and stamps differ).
        assert shown[shown.index(VW_TITLE) :] == expected_text[expected_text.index(VW_TITLE) :]


async def test_the_quiet_line_speaks_german_and_says_why_there_is_no_full_text(
    store: Store, server: FeedServer
) -> None:
    server.route("/vw-amazon.html", Reply(404, b"weg"))
    config = Config(ui=UiConfig(language="de"))
    app = NewsreaderApp(store=teaser_store(store, server), fetch_settings=FAST_FETCH, config=config)
    async with app.run_test(size=(120, 30)) as pilot:
        view = app.screen.query_one(ArticleView)
        await wait_until(pilot, lambda: view.note.startswith("Kein"), "the failure")
        assert view.note == "Kein Volltext: HTTP 404 Not Found"
        assert "Jeff Bezos getroffen" in pane_text(app, "#article-view")  # the teaser stays
        server.route("/vw-amazon.html", Reply(200, SEED_PAGE, {"Content-Type": "text/html"}))
        await pilot.press("F")  # fetch again, asked for
        await wait_until(pilot, lambda: view.note.startswith("Volltext"), "the full text")
        assert view.note == "Volltext von der Webseite · 127.0.0.1"
        assert "Zwei internationale Wirtschaftsriesen" in pane_text(app, "#article-view")


async def test_no_page_is_fetched_when_full_text_is_off(store: Store, server: FeedServer) -> None:
    source = server.url("/feed.xml")
    config = Config(feeds={source: "off"})
    app = NewsreaderApp(store=teaser_store(store, server), fetch_settings=FAST_FETCH, config=config)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        await pilot.pause(0.2)
        await settle(pilot)
        assert app.screen.query_one(ArticleView).note == ""
    assert server.hits["/vw-amazon.html"] == 0


async def test_prefetch_fetches_a_feeds_unread_teasers_after_a_refresh(
    store: Store, server: FeedServer
) -> None:
    items = [
        {
            "guid": f"urn:ndr:{n}",
            "title": f"Meldung {n}",
            "link": server.url(f"/story-{n}.html"),
            "description": f"Nur ein Satz zu Meldung {n}.",
            "pubDate": f"Wed, {27 - n} Mar 2019 19:43:00 GMT",
        }
        for n in range(3)
    ]
    for n in range(3):
        server.route(f"/story-{n}.html", Reply(200, SEED_PAGE, {"Content-Type": "text/html"}))
    source = server.route("/feed.xml", Reply(200, rss("NDR Teaser", items)))
    store.add_feed(Feed(source, "NDR Teaser", language="de"))
    config = Config(feeds={source: "prefetch"})
    app = NewsreaderApp(store=store, fetch_settings=FAST_FETCH, config=config)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        await pilot.press("r")
        await wait_until(
            pilot,
            lambda: all(server.hits[f"/story-{n}.html"] == 1 for n in range(3)),
            "every teaser's page fetched",
        )
        await settle(pilot)
    stored = [store.article(s.id) for s in store.articles()]
    assert sorted(a.body_source for a in stored if a is not None) == ["page"] * 3
    assert all(server.hits[f"/story-{n}.html"] == 1 for n in range(3))  # once each
