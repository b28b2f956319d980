"""A reader searches from wherever they are, opens a hit, and recovers from a bad query."""

from __future__ import annotations

from pilot_helpers import (
    FIRST_RELATED_TITLE,
    SIZE,
    VW_TITLE,
    pane_text,
    settle,
    wait_until,
)
from textual.widgets import Input

from newsreader.ui.app import NewsreaderApp
from newsreader.ui.screens.main import MainScreen
from newsreader.ui.screens.search import SearchResults, SearchScreen

TEASER_ONLY = "Only the teaser of this item is available."


async def test_typing_shows_hits_and_enter_opens_the_story(app: NewsreaderApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("tab", "tab", "enter")
        await settle(pilot)
        assert TEASER_ONLY in pane_text(app, "#article-view")

        await pilot.press("slash")
        assert isinstance(app.screen, SearchScreen)
        await pilot.press(*"Bezos")
        await wait_until(
            pilot,
            lambda: "Jeff Bezos" in pane_text(app, "#search-results"),
            "the hit for Bezos is listed",
        )
        results = pane_text(app, "#search-results")
        assert VW_TITLE in results
        assert "NDR Niedersachsen · 2019-03-27" in results
        assert "1 match" in pane_text(app, "#search-status")

        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        article = pane_text(app, "#article-view")
        assert VW_TITLE in article
        assert TEASER_ONLY not in article

        # Opening the hit went onto the history: back returns to the related item.
        await pilot.press("backspace")
        await settle(pilot)
        assert FIRST_RELATED_TITLE in pane_text(app, "#article-view")


async def test_enter_right_after_typing_opens_the_first_hit(app: NewsreaderApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("tab", "tab", "enter")
        await settle(pilot)

        await pilot.press("slash", *"Bezos", "enter")
        await wait_until(pilot, lambda: isinstance(app.screen, MainScreen), "search closed")
        await settle(pilot)
        assert VW_TITLE in pane_text(app, "#article-view")


async def test_a_hit_on_a_related_item_opens_that_item(app: NewsreaderApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"WirelessCar")
        await wait_until(
            pilot,
            lambda: "related item" in pane_text(app, "#search-results"),
            "the related item is listed",
        )
        await pilot.press("down")
        assert isinstance(app.focused, SearchResults)
        await pilot.press("up")  # up from the first hit goes back to typing
        assert isinstance(app.focused, Input)
        await pilot.press("down")
        assert isinstance(app.focused, SearchResults)
        await pilot.press("enter")
        await settle(pilot)

        article = pane_text(app, "#article-view")
        assert FIRST_RELATED_TITLE in article
        assert TEASER_ONLY in article


async def test_a_bad_query_explains_itself_and_escape_returns(app: NewsreaderApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("tab", "tab", "enter")
        await settle(pilot)

        await pilot.press("slash", "quotation_mark", *"unclosed")
        assert app.screen.query_one(Input).value == '"unclosed'
        await wait_until(
            pilot,
            lambda: "quote is not closed" in pane_text(app, "#search-status"),
            "the syntax error is shown",
        )
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, SearchScreen)
        assert "quote is not closed" in pane_text(app, "#search-status")

        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        article = pane_text(app, "#article-view")
        assert FIRST_RELATED_TITLE in article
        assert TEASER_ONLY in article


async def test_no_matches_says_so(app: NewsreaderApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"Zeppelin")
        await wait_until(
            pilot, lambda: "No matches." in pane_text(app, "#search-status"), "no matches"
        )
        assert pane_text(app, "#search-results") == ""
