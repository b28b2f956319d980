"""A reader marks a whole feed, view or saved search read in one step, and takes it back."""

from __future__ import annotations

from typing import Any

from pilot_helpers import SIZE, pane_text, screen_text, settle, wait_until
from textual.command import CommandList, CommandPalette
from textual.pilot import Pilot

from newsreader.config import Config, UiConfig
from newsreader.store.database import Store
from newsreader.ui.app import NewsreaderApp
from newsreader.ui.widgets.feed_list import FeedList


def unread(store: Store) -> set[str]:
    return {summary.title.split()[0] for summary in store.articles() if not summary.read}


def shown(app: NewsreaderApp) -> str:
    return " ".join(screen_text(app).split())


async def highlight_feed(pilot: Pilot[Any], title: str) -> None:
    """Go to the feed list and move down to the feed or saved search called ``title``."""
    app = pilot.app
    for _ in range(4):
        if isinstance(app.focused, FeedList):
            break
        await pilot.press("tab")
    await pilot.press("home")
    feed_list = app.screen.query_one(FeedList)
    for _ in range(12):
        if feed_list.label(feed_list.highlighted_view) == title:
            await settle(pilot)
            return
        await pilot.press("j")
    raise AssertionError(f"no feed {title!r}")


async def test_shift_a_marks_the_feed_read_and_u_takes_it_back(two_feed_store: Store) -> None:
    app = NewsreaderApp(store=two_feed_store)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await highlight_feed(pilot, "Harbour Gazette")
        assert "u Undo" not in shown(app)  # nothing to undo yet
        await pilot.press("A")
        await wait_until(pilot, lambda: unread(two_feed_store) == {"In"}, "the feed is read")
        assert "2 marked read · u to undo" in shown(app)
        assert "All unread 1" in pane_text(app, "#feed-list")
        assert "●" not in pane_text(app, "#article-list")
        assert "u Undo" in shown(app)

        await pilot.press("u")
        await wait_until(pilot, lambda: len(unread(two_feed_store)) == 3, "unread again")
        assert "All unread 3" in pane_text(app, "#feed-list")
        assert pane_text(app, "#article-list").count("●") == 2
        assert "2 unread again" in shown(app)
        await pilot.press("u")  # once only: nothing left to undo
        await settle(pilot)
        assert len(unread(two_feed_store)) == 3


async def test_undo_leaves_what_was_read_before_read(two_feed_store: Store) -> None:
    app = NewsreaderApp(store=two_feed_store)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("enter")  # opens and reads the Lighthouse story
        await settle(pilot)
        await pilot.press("A", "u")  # "All articles": the other two, then back
        await wait_until(pilot, lambda: unread(two_feed_store) == {"Ferry", "In"}, "undone")


async def test_the_palette_marks_all_unread_read(two_feed_store: Store) -> None:
    app = NewsreaderApp(store=two_feed_store)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("shift+tab", "home", "j", "enter")  # All unread
        await settle(pilot)
        await pilot.press("ctrl+p")
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"Mark all read")
        await wait_until(
            pilot,
            lambda: app.screen.query_one(CommandList).option_count > 0,
            "the palette offers it",
        )
        await pilot.press("enter")
        await wait_until(pilot, lambda: not unread(two_feed_store), "everything read")
        await wait_until(
            pilot, lambda: "Everything is read." in pane_text(app, "#article-list"), "empty view"
        )
        assert "3 marked read · u to undo" in shown(app)


async def test_a_saved_search_is_marked_read_and_nothing_else(two_feed_store: Store) -> None:
    two_feed_store.save_search("Ferries", "ferry")
    app = NewsreaderApp(store=two_feed_store)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await highlight_feed(pilot, "Ferries")
        await pilot.press("A")
        await wait_until(pilot, lambda: unread(two_feed_store) == {"Lighthouse", "In"}, "one")
        assert "1 marked read" in shown(app)


async def test_german_says_it_in_german(two_feed_store: Store) -> None:
    config = Config(ui=UiConfig(language="de"))
    app = NewsreaderApp(store=two_feed_store, config=config)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("A")
        await wait_until(pilot, lambda: not unread(two_feed_store), "everything read")
        assert "3 als gelesen markiert · u macht es rückgängig" in shown(app)
        assert "u Rückgängig" in shown(app)
