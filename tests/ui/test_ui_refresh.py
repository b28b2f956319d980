"""A reader presses r: feeds refresh in the background while they keep reading."""

from __future__ import annotations

import threading
from dataclasses import replace
from multiprocessing import resource_tracker
from pathlib import Path

import pytest
from httpserver import FeedServer, Reply, Request, numbered_items, rss
from pilot_helpers import (
    FAST_FETCH,
    SIZE,
    VW_TITLE,
    pane_rows,
    pane_text,
    screen_text,
    settle,
    wait_until,
    watch_until,
)

from newsreader.feeds.fetch import FetchSettings
from newsreader.feeds.subscriptions import import_feed_file
from newsreader.models import Feed
from newsreader.store.database import Store
from newsreader.ui.app import NewsreaderApp
from newsreader.ui.history import ArticleLocation
from newsreader.ui.screens.main import MainScreen
from newsreader.ui.widgets import feeds_column
from newsreader.ui.widgets.article_list import ArticleList
from newsreader.ui.widgets.article_view import ArticleView
from newsreader.ui.widgets.feed_list import SPINNER
from newsreader.ui.widgets.feeds_column import FeedsColumn


def feed_row(app: NewsreaderApp, title: str) -> str:
    """The feed list's row for ``title``, mark and count included, runs of spaces as one."""
    return next(" ".join(row.split()) for row in pane_rows(app, "#feed-list") if title in row)


def refreshed(app: NewsreaderApp) -> bool:
    return not app.screen.query_one(FeedsColumn).refreshing


def open_location(app: NewsreaderApp) -> object:
    assert isinstance(app.screen, MainScreen)
    return app.screen._history.current


async def test_r_adds_new_articles_while_the_open_article_stays_in_place(
    seeded_store: Store, tmp_path: Path
) -> None:
    harbour = tmp_path / "harbour.rss"
    harbour.write_bytes(rss("Harbour News", numbered_items(2, "Harbour")))
    import_feed_file(seeded_store, harbour)
    vw_id = next(s.id for s in seeded_store.articles() if s.title == VW_TITLE)
    app = NewsreaderApp(store=seeded_store, fetch_settings=FAST_FETCH)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        # Open the long VW story (the oldest, at the end of the list) and scroll into it.
        await pilot.press("end", "enter", "tab", "j", "j", "j", "j", "j")
        await settle(pilot)
        view = app.screen.query_one(ArticleView)
        # The top rows: the notification at the end covers the bottom corner.
        scrolled_to, reading = view.scroll_y, pane_rows(app, "#article-view")[:12]
        assert scrolled_to > 0
        assert feed_row(app, "Harbour News") == "Harbour News 2"  # shown at start, not opened

        # The feed file gains two stories; r reads it again.
        harbour.write_bytes(rss("Harbour News", numbered_items(4, "Harbour")))
        await pilot.press("r")
        await wait_until(pilot, lambda: refreshed(app), "the refresh ends")

        assert feed_row(app, "Harbour News") == "Harbour News 4"
        assert "All unread 4" in pane_text(app, "#feed-list")
        listed = pane_text(app, "#article-list")
        assert "Harbour 3" in listed
        assert "Harbour 2" in listed
        # The story being read did not move: same article, same place, still highlighted.
        assert open_location(app) == ArticleLocation(vw_id)
        assert view.scroll_y == scrolled_to
        assert pane_rows(app, "#article-view")[:12] == reading
        assert app.screen.query_one(ArticleList).highlighted_article_id == vw_id
        assert app.focused is view
        assert "2 new in 1 feed" in " ".join(screen_text(app).split())


async def test_r_loads_the_refresh_machinery_off_the_screens_thread(
    seeded_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Importing the fetcher and parser on the first r held the screen still for a while."""
    loaded_in: list[threading.Thread] = []
    real_load = feeds_column.load_refresh

    def noting_load(settings: FetchSettings | None) -> object:
        loaded_in.append(threading.current_thread())
        return real_load(settings)

    monkeypatch.setattr(feeds_column, "load_refresh", noting_load)
    app = NewsreaderApp(store=seeded_store, fetch_settings=FAST_FETCH)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("r")
        await wait_until(pilot, lambda: refreshed(app), "the refresh ends")
    assert len(loaded_in) == 1
    assert loaded_in[0] is not threading.main_thread()


async def test_a_failing_feed_shows_why_and_the_others_still_refresh(seeded_store: Store) -> None:
    with FeedServer() as server:
        good = server.route("/alpha.xml", Reply(200, rss("Alpha", numbered_items(3, "Alpha"))))
        gone = server.url("/gone.xml")  # no route: the server answers 404
        seeded_store.add_feed(Feed(source=good, title="Alpha"))
        seeded_store.add_feed(Feed(source=gone, title="Zulu Gone"))
        app = NewsreaderApp(store=seeded_store, fetch_settings=FAST_FETCH)
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            await settle(pilot)
            await pilot.press("r")
            await wait_until(pilot, lambda: refreshed(app), "the refresh ends")

            assert feed_row(app, "Alpha") == "Alpha 3"
            assert feed_row(app, "Zulu Gone").startswith("! Zulu Gone")
            assert "Alpha 2" in pane_text(app, "#article-list")
            notice = " ".join(screen_text(app).split())
            assert "3 new in 1 feed; 1 failed" in notice
            assert "Zulu Gone: HTTP 404 Not Found" in notice

            # Highlighting the feed says why, under the feed list; nothing else is held up.
            await pilot.press("shift+tab", "end")
            await settle(pilot)
            assert "HTTP 404 Not Found" in pane_text(app, "#feed-status")
            await pilot.press("up")
            await settle(pilot)
            assert not app.screen.query_one("#feed-status").display

    # After a restart the stored failure is still marked.
    app = NewsreaderApp(store=seeded_store, fetch_settings=FAST_FETCH)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert feed_row(app, "Zulu Gone").startswith("! Zulu Gone")
        assert not feed_row(app, "Alpha").startswith("!")
        await pilot.press("shift+tab", "end")
        await settle(pilot)
        assert "HTTP 404 Not Found" in pane_text(app, "#feed-status")


async def test_feeds_show_progress_and_a_second_r_does_not_start_another_refresh(
    seeded_store: Store,
) -> None:
    gate = threading.Event()

    def held_reply(_request: Request) -> Reply:
        gate.wait(30)
        return Reply(200, rss("Slow", numbered_items(1, "Slow")))

    with FeedServer() as server:
        seeded_store.add_feed(Feed(source=server.route("/slow.xml", held_reply), title="Slow"))
        app = NewsreaderApp(store=seeded_store, fetch_settings=FAST_FETCH)
        try:
            async with app.run_test(size=SIZE, notifications=True) as pilot:
                await settle(pilot)
                await pilot.press("r")
                await watch_until(
                    pilot,
                    lambda: server.hits["/slow.xml"] == 1 and "refreshing 1/2" in screen_text(app),
                    "the bundled feed is done and the slow one is asked for",
                )
                assert feed_row(app, "Slow")[-1] in SPINNER
                await pilot.press("r")
                await pilot.pause()
                gate.set()
                await wait_until(pilot, lambda: refreshed(app), "the refresh ends")

                assert feed_row(app, "Slow") == "Slow 1"
                assert "refreshing" not in screen_text(app)
                assert server.hits["/slow.xml"] == 1
                assert screen_text(app).count("Refreshed 2 feeds") == 1
        finally:
            gate.set()


async def test_r_parses_in_worker_processes_as_it_does_by_default(
    seeded_store: Store, tmp_path: Path
) -> None:
    """The app's own stderr must not get in the way of starting the parser processes.

    Starting the app starts no process (that would slow the first screen): the first
    refresh starts multiprocessing's resource tracker, while the app has replaced stderr.
    """
    harbour = tmp_path / "harbour.rss"
    harbour.write_bytes(rss("Harbour News", numbered_items(1, "Harbour")))
    import_feed_file(seeded_store, harbour)
    harbour.write_bytes(rss("Harbour News", numbered_items(2, "Harbour")))
    settings = replace(FAST_FETCH, parse_in="process", parse_workers=1)
    tracker = resource_tracker._resource_tracker
    tracker._stop()  # as in a new process: earlier tests may have started it
    app = NewsreaderApp(store=seeded_store, fetch_settings=settings)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        assert tracker._fd is None, "starting the app started the resource tracker"
        await pilot.press("r")
        await wait_until(pilot, lambda: refreshed(app), "the refresh ends")
        assert "1 new in 1 feed" in " ".join(screen_text(app).split())
        assert not feed_row(app, "Harbour News").startswith("!")
