"""A podcast listener subscribes to a feed, finds the episode in the sidebar and plays it."""

from __future__ import annotations

from pathlib import Path

from pilot_helpers import SIZE, pane_text, settle, wait_until
from stub_programs import stub_program

from newsreader.config import CommandsConfig, Config
from newsreader.feeds.subscriptions import import_feed_file
from newsreader.store.database import Store
from newsreader.ui.app import NewsreaderApp
from newsreader.ui.screens.links import LinksScreen

PODCAST = Path(__file__).parents[1] / "fixtures" / "enclosures" / "podcast.rss"


async def test_p_plays_the_episode_the_feed_encloses(store: Store, tmp_path: Path) -> None:
    import_feed_file(store, PODCAST)
    browser, player = stub_program(tmp_path, "browser"), stub_program(tmp_path, "player")
    config = Config(commands=CommandsConfig(browser=browser.command, player=player.command))
    app = NewsreaderApp(store=store, config=config)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        sidebar = pane_text(app, "#sidebar")
        assert "47:11" in sidebar
        assert "Episode 12: The new ferry" in sidebar
        await pilot.press("p")
        await wait_until(pilot, player.ran, "the player is started")
        assert player.arguments() == ["https://cdn.example.org/harbour-talk-12.mp3"]


async def test_a_body_image_is_marked_in_the_text_and_listed_under_l(store: Store) -> None:
    import_feed_file(store, PODCAST)
    app = NewsreaderApp(store=store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "[image: The ferry at the pier]" in pane_text(app, "#article-view")
        await pilot.press("l")
        assert isinstance(app.screen, LinksScreen)
        listed = pane_text(app, "#links-list")
        assert "[1] our site" in listed
        assert "[2] [image: The ferry at the pier]" in listed
