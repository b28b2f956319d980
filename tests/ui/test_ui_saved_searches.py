"""A reader keeps a search under a name and finds it again with the feeds, counted like one."""

from __future__ import annotations

import pytest
from pilot_helpers import SIZE, english_story, pane_rows, pane_text, screen_text, settle, wait_until
from textual.command import CommandList
from textual.widgets import Input

from newsreader.models import Article, Feed
from newsreader.store.database import Store
from newsreader.ui.app import NewsreaderApp
from newsreader.ui.commands import palette_commands
from newsreader.ui.screens.main import MainScreen
from newsreader.ui.screens.save_search import SaveSearchScreen
from newsreader.ui.screens.search import SearchScreen
from newsreader.ui.widgets.article_list import ArticleList
from newsreader.ui.widgets.feed_list import FeedList


def story(guid: str, title: str, text: str, day: int) -> Article:
    return english_story(guid, title, text, day)


@pytest.fixture
def ferry_store(store: Store) -> Store:
    """Two ferry stories among others; the newest story (opened at start) is not one."""
    harbour = store.add_feed(Feed(source="local:harbour", title="Harbour Gazette", language="en"))
    valley = store.add_feed(Feed(source="local:valley", title="Valley Post", language="en"))
    assert harbour.id is not None and valley.id is not None
    store.save_articles(
        harbour.id,
        [
            story("keeper", "Lighthouse keeper retires", "After forty years at the lamp.", 6),
            story("timetable", "Ferry timetable changes", "The island ferry sails twice.", 4),
            story("tides", "Spring tides expected", "The quay may flood at noon.", 2),
        ],
    )
    store.save_articles(
        valley.id,
        [
            story("crew", "Ferry crew on strike", "No ferry crosses the lake today.", 3),
            story("bridge", "Bridge opens to cyclists", "The old bridge is open again.", 1),
        ],
    )
    return store


def feed_rows(app: NewsreaderApp) -> list[str]:
    """The feed list's entries, the rules between its groups left out."""
    rows = [" ".join(row.split()) for row in pane_rows(app, "#feed-list")]
    return [row for row in rows if row.strip("─")]


def listed_titles(app: NewsreaderApp) -> list[str]:
    return [" ".join(row.lstrip("●★ ").split()[:2]) for row in pane_rows(app, "#article-list")]


def list_title(app: NewsreaderApp) -> str:
    return str(app.screen.query_one(ArticleList).border_title)


async def test_a_search_saved_with_ctrl_s_is_listed_counted_read_and_deleted(
    ferry_store: Store,
) -> None:
    app = NewsreaderApp(store=ferry_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter")  # the reader opens the newest story, shown at start
        await settle(pilot)
        assert "Saved searches" not in pane_text(app, "#feed-list")

        await pilot.press("slash", *"ferry")
        await wait_until(
            pilot, lambda: "2 matches" in pane_text(app, "#search-status"), "two ferry hits"
        )
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, SaveSearchScreen)
        name = app.screen.query_one(Input)
        assert name.value == "ferry"  # the query is offered as the name
        await pilot.press("ctrl+u", *"Ferries", "enter")
        await wait_until(
            pilot,
            lambda: 'Saved as "Ferries"' in pane_text(app, "#search-status"),
            "the search screen says it is saved",
        )
        assert isinstance(app.screen, SearchScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)

        # Between the views and the feeds, with the number of its unread matches.
        rows = feed_rows(app)
        assert rows[:5] == [
            "All articles 5",
            "All unread 4",
            "Starred",
            "Saved searches",
            "Ferries 2",
        ]
        assert rows[-2:] == ["Harbour Gazette 2", "Valley Post 2"]

        # Choosing it lists exactly its matches, newest first.
        await pilot.press("shift+tab", "j", "j", "j")
        await settle(pilot)
        assert list_title(app) == "Ferries"
        assert listed_titles(app) == ["Ferry timetable", "Ferry crew"]

        # Reading one of them lowers its count.
        await pilot.press("enter", "enter")
        await settle(pilot)
        assert "The island ferry sails twice." in pane_text(app, "#article-view")
        await wait_until(pilot, lambda: "Ferries 1" in feed_rows(app), "the count follows")

    # It is still there when newsreader starts again on the same store.
    again = NewsreaderApp(store=ferry_store)
    async with again.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "Ferries 1" in feed_rows(again)

        # d deletes it; d shows only while a saved search is highlighted.
        await pilot.press("shift+tab")
        assert isinstance(again.focused, FeedList)
        assert "Delete saved search" not in screen_text(again).splitlines()[-1]
        await pilot.press("j", "j", "j")
        await settle(pilot)
        assert "Delete saved search" in screen_text(again).splitlines()[-1]
        await pilot.press("d", "y")  # asked first; y says yes
        await wait_until(
            pilot, lambda: "Saved searches" not in pane_text(again, "#feed-list"), "it is gone"
        )
        assert "Ferries" not in pane_text(again, "#feed-list")
        assert ferry_store.saved_searches() == []
        assert list_title(again) != "Ferries"  # the list moved on to what is highlighted now


async def test_the_palette_saves_and_deletes_where_it_can(ferry_store: Store) -> None:
    ferry_store.save_search("Ferries", "ferry")
    app = NewsreaderApp(store=ferry_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        names = [command.name for command in palette_commands(app, app.screen)]
        assert "Save search" not in names  # no search open, no saved search shown
        assert "Delete saved search" not in names

        await pilot.press("shift+tab", "j", "j", "j")
        await settle(pilot)
        names = [command.name for command in palette_commands(app, app.screen)]
        assert "Save search" in names
        assert "Delete saved search" in names

        # Saving the view shown keeps its query under another name.
        await pilot.press("ctrl+p", *"Save search")
        await wait_until(
            pilot,
            lambda: app.screen.query_one(CommandList).option_count > 0,
            "the palette lists the command",
        )
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, SaveSearchScreen)
        assert app.screen.query_one(Input).value == "Ferries"
        await pilot.press("ctrl+u", *"Boats", "enter")
        await wait_until(pilot, lambda: "Boats 2" in feed_rows(app), "the copy is listed")
        assert [(s.name, s.query) for s in ferry_store.saved_searches()] == [
            ("Boats", "ferry"),
            ("Ferries", "ferry"),
        ]


async def test_escape_saves_nothing_and_a_search_open_offers_saving(ferry_store: Store) -> None:
    app = NewsreaderApp(store=ferry_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        assert "Save search" not in [c.name for c in palette_commands(app, app.screen)]
        await pilot.press(*"bridge")
        await settle(pilot)
        assert "Save search" in [c.name for c in palette_commands(app, app.screen)]
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, SaveSearchScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, SearchScreen)
        assert ferry_store.saved_searches() == []


async def test_a_name_that_looks_like_markup_is_shown_as_written(ferry_store: Store) -> None:
    name = "[red]Ferries[/] :x:"
    ferry_store.save_search(name, "ferry")
    app = NewsreaderApp(store=ferry_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert name in pane_text(app, "#feed-list")
        await pilot.press("shift+tab", "j", "j", "j")
        await settle(pilot)
        article_list = app.screen.query_one(ArticleList)
        border = screen_text(app).splitlines()[article_list.region.y]
        assert "[red]Ferries[/] :x:" in border


async def test_german_names_for_the_saved_searches(ferry_store: Store) -> None:
    from newsreader.config import Config, UiConfig

    ferry_store.save_search("Fähren", "ferry")
    app = NewsreaderApp(store=ferry_store, config=Config(ui=UiConfig(language="de")))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "Gespeicherte Suchen" in pane_text(app, "#feed-list")
        await pilot.press("shift+tab", "j", "j", "j")
        await settle(pilot)
        assert "Gespeicherte Suche löschen" in screen_text(app).splitlines()[-1]
