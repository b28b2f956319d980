"""A reader sorts the hits by date, walks back through earlier searches, and mistypes one."""

from __future__ import annotations

import pytest
from pilot_helpers import SIZE, english_story, pane_text, screen_text, settle, wait_until
from textual.widgets import Input

from newsreader.models import Article, Feed
from newsreader.store.database import Store
from newsreader.ui.app import NewsreaderApp
from newsreader.ui.screens.main import MainScreen
from newsreader.ui.screens.save_search import SaveSearchScreen
from newsreader.ui.screens.search import SearchResults, SearchScreen

FESTIVAL = "Harbour festival fills the harbour"
COUNCIL = "Town council meets on Monday"


def story(guid: str, title: str, text: str, day: int) -> Article:
    return english_story(guid, title, text, day, teaser=text)


@pytest.fixture
def harbour_store(store: Store) -> Store:
    """The best match for "harbour" is an old story; a newer one mentions it only once."""
    feed = store.add_feed(Feed(source="local:harbour", title="Harbour Gazette", language="en"))
    assert feed.id is not None
    store.save_articles(
        feed.id,
        [
            story("festival", FESTIVAL, "The harbour festival brings boats to the harbour.", 1),
            story(
                "council",
                COUNCIL,
                "The council talks about the school, the roads, the budget and the harbour.",
                20,
            ),
            story("keeper", "Lighthouse keeper retires", "After forty years at the lamp.", 10),
            story("ferry", "Ferry timetable changes", "The island ferry sails twice.", 5),
        ],
    )
    return store


def hit_order(app: NewsreaderApp) -> list[str]:
    """The titles of the hits, top to bottom."""
    results = pane_text(app, "#search-results")
    return sorted((t for t in (FESTIVAL, COUNCIL) if t in results), key=results.index)


def search_input(app: NewsreaderApp) -> Input:
    return app.screen.query_one("#search-input", Input)


async def test_ctrl_o_sorts_the_hits_by_date_and_back(harbour_store: Store) -> None:
    app = NewsreaderApp(store=harbour_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"harbour")
        await wait_until(pilot, lambda: len(hit_order(app)) == 2, "both hits are listed")
        assert hit_order(app) == [FESTIVAL, COUNCIL]
        assert "Best matches first" in screen_text(app)

        await pilot.press("ctrl+o")
        await wait_until(pilot, lambda: hit_order(app) == [COUNCIL, FESTIVAL], "newest first")
        assert "Newest first" in screen_text(app)
        assert "Best matches first" not in screen_text(app)

        # Enter opens the top hit of the order shown.
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        assert COUNCIL in pane_text(app, "#article-view")

        # The next search starts sorted by relevance again.
        await pilot.press("slash", *"harbour")
        await wait_until(pilot, lambda: len(hit_order(app)) == 2, "both hits are listed")
        assert hit_order(app) == [FESTIVAL, COUNCIL]
        await pilot.press("ctrl+o", "ctrl+o")
        await wait_until(pilot, lambda: "Best matches first" in screen_text(app), "relevance")
        assert hit_order(app) == [FESTIVAL, COUNCIL]


async def test_up_recalls_earlier_searches_and_down_comes_back(harbour_store: Store) -> None:
    app = NewsreaderApp(store=harbour_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for query in ("ferry", "lighthouse"):  # each opened, so each is remembered
            await pilot.press("slash", *query, "enter")
            await wait_until(pilot, lambda: isinstance(app.screen, MainScreen), "hit opened")
            await settle(pilot)
        assert harbour_store.search_history()[:2] == ["lighthouse", "ferry"]

        await pilot.press("slash", *"keeper")
        await settle(pilot)
        await pilot.press("up")
        assert search_input(app).value == "lighthouse"  # newest first
        await pilot.press("up")
        assert search_input(app).value == "ferry"
        await pilot.press("up")
        assert search_input(app).value == "ferry"  # nothing older
        await pilot.press("down")
        assert search_input(app).value == "lighthouse"
        await pilot.press("down")
        assert search_input(app).value == "keeper"  # what was typed comes back
        await wait_until(
            pilot, lambda: "Lighthouse keeper" in pane_text(app, "#search-results"), "a hit"
        )
        # Down from the reader's own text goes to the results, as ever.
        await pilot.press("down")
        assert isinstance(app.focused, SearchResults)


async def test_typing_after_recalling_starts_a_new_query(harbour_store: Store) -> None:
    harbour_store.remember_search("ferry")
    app = NewsreaderApp(store=harbour_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        await settle(pilot)
        await pilot.press("up")
        assert search_input(app).value == "ferry"
        await pilot.press(*" timetable")
        await pilot.press("down")  # nothing newer than the reader's own text
        assert search_input(app).value == "ferry timetable"


async def test_a_bad_query_says_what_is_wrong_sorted_or_saved(harbour_store: Store) -> None:
    app = NewsreaderApp(store=harbour_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"harbour OR")
        await wait_until(
            pilot,
            lambda: "OR needs a word on each side" in pane_text(app, "#search-status"),
            "the syntax error is shown",
        )
        assert pane_text(app, "#search-results") == ""
        status = app.screen.query_one("#search-status")
        assert status.has_class("-error")

        await pilot.press("ctrl+o")  # sorting again asks again, and is told the same
        await wait_until(pilot, lambda: "Newest first" in screen_text(app), "sorted by date")
        assert "OR needs a word on each side" in pane_text(app, "#search-status")

        await pilot.press("ctrl+s")
        assert isinstance(app.screen, SaveSearchScreen)
        await pilot.press("enter")
        await wait_until(
            pilot,
            lambda: "could not be saved" in pane_text(app, "#search-status"),
            "saving it is refused with the reason",
        )
        assert isinstance(app.screen, SearchScreen)
        assert "OR needs a word on each side" in pane_text(app, "#search-status")
        assert harbour_store.saved_searches() == []


async def test_a_search_closed_without_opening_a_hit_is_remembered_too(
    harbour_store: Store,
) -> None:
    app = NewsreaderApp(store=harbour_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"festival")
        await wait_until(pilot, lambda: len(hit_order(app)) >= 1, "the hit is listed")
        await pilot.press("escape")
        await wait_until(
            pilot, lambda: harbour_store.search_history()[:1] == ["festival"], "remembered"
        )
        # A query the language cannot read is not.
        await pilot.press("slash", *'"unclosed')
        await wait_until(pilot, lambda: "-error" in search_status_classes(app), "refused")
        await pilot.press("escape")
        await settle(pilot)
        assert harbour_store.search_history()[:1] == ["festival"]


def search_status_classes(app: NewsreaderApp) -> set[str]:
    return set(app.screen.query_one("#search-status").classes)
