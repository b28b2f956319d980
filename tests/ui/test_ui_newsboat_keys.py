"""The newsboat key preset: a newsboat reader's fingers work on the imported feeds."""

from __future__ import annotations

from pathlib import Path

from pilot_helpers import SIZE, pane_text, settle

from newsreader.config import parse_config
from newsreader.feeds.newsboat_cache import read_cache
from newsreader.feeds.newsboat_import import import_newsboat
from newsreader.feeds.newsboat_urls import parse_urls
from newsreader.store.database import Store
from newsreader.ui.app import NewsreaderApp
from newsreader.ui.screens.help import HelpScreen
from newsreader.ui.screens.search import SearchScreen
from newsreader.ui.widgets.article_list import ArticleList
from newsreader.ui.widgets.article_view import ArticleView
from newsreader.ui.widgets.feed_list import FeedList

FIXTURES = Path(__file__).parents[1] / "fixtures" / "newsboat"
PRESET = '[keymap]\npreset = "newsboat"\n'


def moved_in(store: Store) -> Store:
    urls = parse_urls((FIXTURES / "urls").read_text())
    import_newsboat(store, urls, read_cache(FIXTURES / "cache.db"))
    return store


def test_an_unknown_preset_is_reported_and_the_defaults_stay() -> None:
    loaded = parse_config('[keymap]\npreset = "vim"\nsearch = "ctrl+f"\n')
    assert loaded.config.keymap == {"search": "ctrl+f"}
    assert any(
        "keymap.preset" in problem and '"newsboat"' in problem for problem in loaded.problems
    )


def test_the_keymap_wins_over_the_preset() -> None:
    keymap = parse_config(PRESET + 'next-unread = "space"\n').config.keymap
    assert keymap["next-unread"] == "space"
    assert keymap["next-feed"] == "J"


async def test_newsboat_keys_move_through_feeds_and_unread_articles(store: Store) -> None:
    moved_in(store)
    app = NewsreaderApp(store=store, config=parse_config(PRESET).config)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        feed_list = app.screen.query_one(FeedList)
        listed = {
            feed_list.get_option_at_index(index).id for index in range(feed_list.option_count)
        }
        by_title = {summary.feed.title: summary.feed.id for summary in store.feeds()}
        assert f"feed-{by_title['Harbour Gazette']}" in listed
        assert f"feed-{by_title['Sport Desk']}" not in listed  # hidden in newsboat

        await pilot.press("J")  # the first feed
        await settle(pilot)
        first = feed_list.highlighted_feed_id
        assert first is not None
        await pilot.press("J")
        await settle(pilot)
        second = feed_list.highlighted_feed_id
        assert second not in (None, first)
        await pilot.press("K")
        await settle(pilot)
        assert feed_list.highlighted_feed_id == first

        # n opens unread articles one after the other; each is then read.
        unread = store.count_articles(unread_only=True)
        seen: list[str] = []
        for _ in range(3):
            await pilot.press("n")
            await settle(pilot)
            shown = pane_text(app, "#article-view")
            assert shown not in seen
            seen.append(shown)
        assert store.count_articles(unread_only=True) == unread - 3

        # p goes back to the nearest unread article above the open one.
        await pilot.press("p")
        await settle(pilot)
        assert pane_text(app, "#article-view") not in seen
        assert store.count_articles(unread_only=True) == unread - 4

        # A marks the feed listed read.
        harbour = next(s.feed for s in store.feeds() if s.feed.title == "Harbour Gazette")
        while feed_list.highlighted_feed_id != harbour.id:
            await pilot.press("J")
            await settle(pilot)
        await pilot.press("A")
        await settle(pilot)
        assert store.count_articles(harbour.id, unread_only=True) == 0

        # / searches; q steps out pane by pane, then quits.
        await pilot.press("slash")
        assert isinstance(app.screen, SearchScreen)
        await pilot.press("escape")
        app.screen.query_one(ArticleView).focus()
        await pilot.press("q")
        assert isinstance(app.focused, ArticleList)
        await pilot.press("q")
        assert isinstance(app.focused, FeedList)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        keys = pane_text(app, "#help-dialog")
        await pilot.press("pagedown")  # the rest of the keys
        await settle(pilot)
        keys += " " + pane_text(app, "#help-dialog")
        for shown in (
            "n Next unread",
            "p Previous unread",
            "J Next feed",
            "K Previous feed",
            "q Back or quit",
            "P Play",
            "A Mark all read",
            "u Links",
            "U Undo",
        ):
            assert shown in keys
        assert "N Read/unread" in keys
        await pilot.press("escape", "q")
        await settle(pilot)
    assert app.return_code == 0
