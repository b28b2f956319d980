"""A reader subscribes to a feed and unsubscribes from one without leaving the reader."""

from __future__ import annotations

from typing import Any

from pilot_helpers import FAST_FETCH, SECOND_FEED, SIZE, pane_text, screen_text, settle, wait_until
from test_ui_mark_all_read import highlight_feed
from textual.command import CommandList
from textual.pilot import Pilot

from newsreader.store.database import Store
from newsreader.ui.app import NewsreaderApp
from newsreader.ui.screens.add_feed import AddFeedScreen
from newsreader.ui.screens.confirm import ConfirmScreen
from newsreader.ui.screens.main import MainScreen


def shown(app: NewsreaderApp) -> str:
    return " ".join(screen_text(app).split())


def feed_titles(store: Store) -> list[str]:
    return [summary.feed.title for summary in store.feeds()]


async def test_the_first_start_says_how_to_subscribe_and_a_subscribes(
    seeded_store: Store,
) -> None:
    app = NewsreaderApp(store=seeded_store, fetch_settings=FAST_FETCH)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        assert "To subscribe to a feed, press a and type its address." in shown(app)
        await pilot.press("a")
        assert isinstance(app.screen, AddFeedScreen)
        await pilot.press(*str(SECOND_FEED), "enter")
        assert isinstance(app.screen, MainScreen)
        await wait_until(
            pilot, lambda: "Harbour Gazette 2" in pane_text(app, "#feed-list"), "listed"
        )
        assert "Subscribed to Harbour Gazette: 2 new" in shown(app)
        assert "Harbour Gazette" in feed_titles(seeded_store)
        assert "Lighthouse" in pane_text(app, "#article-list")


async def test_an_address_that_gives_no_feed_is_reported_and_not_subscribed(
    seeded_store: Store, tmp_path: Any
) -> None:
    app = NewsreaderApp(store=seeded_store, fetch_settings=FAST_FETCH)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("a", *str(tmp_path / "missing.xml"), "enter")
        await wait_until(pilot, lambda: "Could not subscribe to" in shown(app), "told")
        assert feed_titles(seeded_store) == ["NDR Niedersachsen"]


async def test_the_palette_offers_add_feed(seeded_store: Store) -> None:
    app = NewsreaderApp(store=seeded_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p", *"Add feed")
        await wait_until(
            pilot, lambda: app.screen.query_one(CommandList).option_count > 0, "offered"
        )
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, AddFeedScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)


async def remove_harbour(pilot: Pilot[Any], answer: str) -> None:
    await highlight_feed(pilot, "Harbour Gazette")
    await pilot.press("d")
    assert isinstance(pilot.app.screen, ConfirmScreen)
    assert 'Remove the feed "Harbour Gazette" and its articles?' in shown(pilot.app)
    await pilot.press(answer)
    await settle(pilot)


async def test_d_removes_the_highlighted_feed_after_a_yes(two_feed_store: Store) -> None:
    app = NewsreaderApp(store=two_feed_store)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await remove_harbour(pilot, "n")
        assert isinstance(app.screen, MainScreen)
        assert "Harbour Gazette" in feed_titles(two_feed_store)

        await remove_harbour(pilot, "y")
        await wait_until(pilot, lambda: "Harbour" not in pane_text(app, "#feed-list"), "gone")
        assert feed_titles(two_feed_store) == ["NDR Niedersachsen"]
        assert 'Removed "Harbour Gazette" and 2 articles' in shown(app)
        assert "Lighthouse" not in pane_text(app, "#article-list")


async def test_d_on_a_saved_search_asks_first(two_feed_store: Store) -> None:
    two_feed_store.save_search("Ferries", "ferry")
    app = NewsreaderApp(store=two_feed_store)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await highlight_feed(pilot, "Ferries")
        await pilot.press("d")
        assert isinstance(app.screen, ConfirmScreen)
        assert 'Delete the saved search "Ferries"?' in shown(app)
        await pilot.press("escape")
        await settle(pilot)
        assert [saved.name for saved in two_feed_store.saved_searches()] == ["Ferries"]
        await pilot.press("d", "enter")
        await wait_until(pilot, lambda: not two_feed_store.saved_searches(), "deleted")
