"""A reader follows a story's links, plays its videos and saves its broadcasts to a calendar."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

import icalendar
import pytest
from pilot_helpers import SIZE, VW_TITLE, pane_text, screen_text, settle, wait_until
from stub_programs import StubProgram, stub_program

from newsreader.config import CommandsConfig, Config
from newsreader.models import Article, Block, BlockKind, Feed, Link, MediaItem
from newsreader.store.database import Store
from newsreader.ui.app import NewsreaderApp
from newsreader.ui.screens.links import LinksScreen
from newsreader.ui.screens.main import MainScreen
from newsreader.ui.widgets.sidebar import Sidebar

HARBOUR_LINKS = (
    Link("Harbour office", "https://example.org/office?a=1&b=$(id)"),
    Link("Tide tables", "http://example.org/tides;rm%20-rf%20~"),
    Link("https://example.org/plain", "https://example.org/plain"),
)
MEDIA = (
    MediaItem("Harbour tour", 95, "https://example.org/tour.mp4", "video"),
    MediaItem("Foghorn", 12, None, "audio"),
)


@pytest.fixture
def linked_store(store: Store, monkeypatch: pytest.MonkeyPatch) -> Iterator[Store]:
    """One story with links in its text and two media items, one without an address."""
    feed = store.add_feed(Feed(source="https://example.org/harbour.rss", title="Harbour"))
    assert feed.id is not None
    article = Article(
        guid="harbour-1",
        title="Harbour opens to visitors",
        blocks=(Block(BlockKind.PARAGRAPH, "The harbour office has the details."),),
        language="en",
        published=datetime(2024, 5, 1, 9, 0, tzinfo=timezone(timedelta(hours=1))),
        media=MEDIA,
        links=HARBOUR_LINKS,
    )
    store.save_articles(feed.id, [article])
    stored_article = store.article

    def with_links(article_id: int) -> Article | None:
        """Until the store keeps body links itself, hand back the ones saved."""
        found = stored_article(article_id)
        if found is not None and not found.links:
            return replace(found, links=HARBOUR_LINKS)
        return found

    monkeypatch.setattr(store, "article", with_links)
    yield store


def programs(tmp_path: Path) -> tuple[StubProgram, StubProgram, Config]:
    browser, player = stub_program(tmp_path, "browser"), stub_program(tmp_path, "player")
    config = Config(commands=CommandsConfig(browser=browser.command, player=player.command))
    return browser, player, config


async def test_the_links_are_numbered_at_the_end_of_the_article(linked_store: Store) -> None:
    app = NewsreaderApp(store=linked_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("tab", "end")  # the article view, scrolled to its end
        await settle(pilot)
        article = pane_text(app, "#article-view")
        assert "Links" in article
        assert "[1] Harbour office — https://example.org/office?a=1&b=$(id)" in article
        assert "[2] Tide tables — http://example.org/tides;rm%20-rf%20~" in article
        assert "[3] https://example.org/plain" in article


async def test_l_lists_the_links_and_enter_opens_one_in_the_browser(
    linked_store: Store, tmp_path: Path
) -> None:
    browser, _player, config = programs(tmp_path)
    app = NewsreaderApp(store=linked_store, config=config)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("l")
        assert isinstance(app.screen, LinksScreen)
        listed = pane_text(app, "#links-list")
        assert "[1] Harbour office" in listed
        assert "[3] https://example.org/plain" in listed

        await pilot.press("down", "enter")
        assert isinstance(app.screen, MainScreen)
        await wait_until(pilot, browser.ran, "the browser is started")
        assert browser.arguments() == ["http://example.org/tides;rm%20-rf%20~"]
        assert "Opened http://example.org/tides;rm%20-rf%20~ in python" in " ".join(
            screen_text(app).split()
        )


async def test_a_digit_opens_the_link_of_that_number(linked_store: Store, tmp_path: Path) -> None:
    browser, _player, config = programs(tmp_path)
    app = NewsreaderApp(store=linked_store, config=config)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("l", "1")
        assert isinstance(app.screen, MainScreen)
        await wait_until(pilot, browser.ran, "the browser is started")
        assert browser.arguments() == ["https://example.org/office?a=1&b=$(id)"]


async def test_l_is_not_offered_for_a_story_without_links(
    seeded_store: Store, tmp_path: Path
) -> None:
    app = NewsreaderApp(store=seeded_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "Links" not in " ".join(screen_text(app).splitlines()[-1].split())
        await pilot.press("l")
        assert isinstance(app.screen, MainScreen)


async def test_p_plays_the_media_item_with_the_configured_player(
    linked_store: Store, tmp_path: Path
) -> None:
    _browser, player, config = programs(tmp_path)
    app = NewsreaderApp(store=linked_store, config=config)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("p")
        await wait_until(pilot, player.ran, "the player is started")
        assert player.arguments() == ["https://example.org/tour.mp4"]


async def test_enter_on_a_media_item_plays_it_and_one_without_an_address_says_so(
    linked_store: Store, tmp_path: Path
) -> None:
    _browser, player, config = programs(tmp_path)
    app = NewsreaderApp(store=linked_store, config=config)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("tab", "tab")
        assert isinstance(app.focused, Sidebar)
        await pilot.press("down", "enter")  # the second item: no address
        await settle(pilot)
        assert "No link is known for this audio." in " ".join(screen_text(app).split())
        assert not player.ran()

        await pilot.press("up", "enter")
        await wait_until(pilot, player.ran, "the player is started")
        assert player.arguments() == ["https://example.org/tour.mp4"]


async def test_e_saves_the_broadcast_as_a_calendar_event(
    seeded_store: Store, tmp_path: Path
) -> None:
    downloads = Path.home() / "Downloads"
    downloads.mkdir(parents=True)
    app = NewsreaderApp(store=seeded_store)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await wait_until(pilot, lambda: any(downloads.glob("*.ics")), "the file is written")
        [written] = downloads.glob("*.ics")
        await wait_until(
            pilot, lambda: "Wrote 1 broadcast to" in screen_text(app), "the reader is told"
        )

    calendar = icalendar.Calendar.from_ical(written.read_bytes())
    [event] = calendar.walk("VEVENT")
    start = event.decoded("DTSTART")
    assert start == datetime(2019, 3, 27, 13, 30, tzinfo=start.tzinfo)
    assert str(start.tzinfo) == "Europe/Berlin"
    assert start.utcoffset() == timedelta(hours=1)
    assert "NDR 1 Niedersachsen" in str(event["SUMMARY"])
    assert str(event["DESCRIPTION"]) == VW_TITLE


async def test_e_is_hidden_for_a_story_without_broadcasts(linked_store: Store) -> None:
    app = NewsreaderApp(store=linked_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        assert app.screen.check_action("export_programme", ()) is False
        assert "Export" not in " ".join(screen_text(app).splitlines()[-1].split())
