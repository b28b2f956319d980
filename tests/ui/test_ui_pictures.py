"""A reader sees the story's pictures in the text, with captions; or placeholders, and `i`."""

from __future__ import annotations

import io
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from httpserver import FeedServer, Reply
from imagefiles import SVG, picture
from pilot_helpers import (
    FAST_FETCH,
    SIZE,
    footer_text,
    pane_text,
    screen_text,
    settle,
    wait_until,
)
from stub_programs import stub_program
from textual.pilot import Pilot

from newsreader.config import CommandsConfig, Config, UiConfig
from newsreader.feeds.image_cache import ImageCache
from newsreader.feeds.images import ImageLoader
from newsreader.models import Article, Block, BlockKind, Feed, ImageRef
from newsreader.store.database import Store
from newsreader.ui.app import NewsreaderApp
from newsreader.ui.widgets.article_view import ArticleView

HALF_BLOCK = "▀"


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with FeedServer() as running:
        running.route(
            "/boats.png", Reply(200, picture("PNG", (160, 90)), {"Content-Type": "image/png"})
        )
        running.route("/logo.svg", Reply(200, SVG, {"Content-Type": "image/svg+xml"}))
        yield running


@pytest.fixture
def picture_store(store: Store, server: FeedServer) -> Store:
    feed = store.add_feed(Feed(source="https://example.org/harbour.rss", title="Harbour"))
    assert feed.id is not None
    article = Article(
        guid="harbour-pictures",
        title="Boats leave the harbour at dawn",
        blocks=tuple(
            Block(BlockKind.PARAGRAPH, f"Paragraph {n} of the harbour story.") for n in range(1, 6)
        ),
        language="en",
        published=datetime(2024, 5, 1, 9, 0, tzinfo=UTC),
        images=(
            ImageRef(
                url=server.url("/boats.png"),
                alt="Three boats\x1b[2J",
                caption="Boats at dawn, seen from the pier",
                position=1,
            ),
            ImageRef(url=server.url("/logo.svg"), alt="The logo", position=3),
        ),
    )
    store.save_articles(feed.id, [article])
    return store


def reader(
    store: Store, tmp_path: Path, images: str, *, graphics: bool = False, **commands: Any
) -> NewsreaderApp:
    config = Config(ui=UiConfig(images=images), commands=CommandsConfig(**commands))
    loader = ImageLoader(ImageCache(tmp_path / "pictures"), FAST_FETCH)
    return NewsreaderApp(store=store, config=config, image_loader=loader, graphics=graphics)


def half_blocks_shown(app: Any) -> int:
    return screen_text(app).count(HALF_BLOCK)


async def test_the_picture_fills_its_box_under_the_text_with_its_caption(
    picture_store: Store, server: FeedServer, tmp_path: Path
) -> None:
    app = reader(picture_store, tmp_path, "on")
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: half_blocks_shown(app) > 100, "the picture is drawn")
        text = pane_text(app, "#article-view")
        assert "Paragraph 1 of the harbour story." in text
        assert "Boats at dawn, seen from the pier" in text
        assert text.index("Paragraph 1") < text.index("Boats at dawn") < text.index("Paragraph 2")
        view = app.screen.query_one(ArticleView)
        await pilot.press("tab", "end")
        await wait_until(
            pilot,
            lambda: (
                "picture not shown: SVG images are never shown" in pane_text(app, "#article-view")
            ),
            "the SVG is refused with its reason",
        )
        assert view.images[1].alt == "The logo"
        assert "\x1b" not in screen_text(app)
    assert server.hits["/boats.png"] == 1


async def test_pictures_off_show_placeholders_and_i_loads_them_in_place(
    picture_store: Store, server: FeedServer, tmp_path: Path
) -> None:
    app = reader(picture_store, tmp_path, "off")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        text = pane_text(app, "#article-view")
        assert "[image: Boats at dawn, seen from the… · 127.0.0.1]" in text
        assert "[image: The logo · 127.0.0.1]" in text
        assert half_blocks_shown(app) == 0
        assert server.hits["/boats.png"] == 0  # nothing is fetched while pictures are off
        assert "i Pictures" in footer_text(app) and "v View picture" in footer_text(app)
        view = app.screen.query_one(ArticleView)
        await pilot.press("tab", "down", "down", "down", "down", "down", "down")
        await settle(pilot)
        first_line = pane_text(app, "#article-view").split(".")[0]
        await pilot.press("i")
        await wait_until(pilot, lambda: server.hits["/boats.png"] == 1, "i fetches the picture")
        # The line at the top is the same one: the pictures slotted in above it.
        assert pane_text(app, "#article-view").split(".")[0] == first_line
        await pilot.press("home")
        await wait_until(pilot, lambda: half_blocks_shown(app) > 100, "the picture is drawn")
        assert view.pictures_shown
        assert "i Pictures" not in footer_text(app)  # nothing left to load


async def test_v_opens_the_picture_in_view_in_the_image_viewer(
    picture_store: Store, server: FeedServer, tmp_path: Path
) -> None:
    viewer = stub_program(tmp_path, "viewer")
    app = reader(picture_store, tmp_path, "off", image_viewer=viewer.command)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("v")
        await wait_until(pilot, viewer.ran, "the viewer was started")
    assert viewer.arguments() == [server.url("/boats.png")]


async def test_a_kitty_terminal_gets_the_picture_through_the_graphics_protocol(
    picture_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sent = io.StringIO()  # where textual-image writes the protocol's messages
    monkeypatch.setattr(sys, "__stdout__", sent)
    app = reader(picture_store, tmp_path, "auto", graphics=True)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(
            pilot, lambda: "\U0010eeee" in screen_text(app), "the picture's cells are drawn"
        )
        assert half_blocks_shown(app) == 0
        assert "Boats at dawn, seen from the pier" in pane_text(app, "#article-view")
    assert sent.getvalue().startswith("\x1b_G")
    assert "a=d" in sent.getvalue()  # freed in the terminal when the reader closes


async def wait_for_picture(pilot: Pilot[Any]) -> None:
    await wait_until(pilot, lambda: half_blocks_shown(pilot.app) > 100, "the picture is drawn")


def test_snapshot_article_with_a_picture_and_its_caption(
    snap_compare: Any, picture_store: Store, tmp_path: Path
) -> None:
    app = reader(picture_store, tmp_path, "on")
    assert snap_compare(app, terminal_size=SIZE, run_before=wait_for_picture)


def test_snapshot_pictures_off(snap_compare: Any, picture_store: Store, tmp_path: Path) -> None:
    app = reader(picture_store, tmp_path, "off")
    assert snap_compare(app, terminal_size=SIZE, run_before=lambda pilot: settle(pilot))


@pytest.fixture
def long_store(store: Store, server: FeedServer) -> Store:
    """A story of 40 paragraphs with 20 pictures, the first from a server that is slow."""
    server.route(
        "/slow.png",
        Reply(200, picture("PNG", (160, 90)), {"Content-Type": "image/png"}, delay=2.0),
    )
    for n in range(1, 20):
        server.route(
            f"/{n}.png", Reply(200, picture("PNG", (160, 90)), {"Content-Type": "image/png"})
        )
    feed = store.add_feed(Feed(source="https://example.org/harbour.rss", title="Harbour"))
    assert feed.id is not None
    paths = ["/slow.png", *(f"/{n}.png" for n in range(1, 20))]
    article = Article(
        guid="many-pictures",
        title="Twenty pictures of the harbour",
        blocks=tuple(Block(BlockKind.PARAGRAPH, f"Paragraph {n}.") for n in range(40)),
        published=datetime(2024, 5, 1, 9, 0, tzinfo=UTC),
        images=tuple(
            ImageRef(url=server.url(path), alt=f"Picture {n}", position=2 * n)
            for n, path in enumerate(paths)
        ),
    )
    store.save_articles(feed.id, [article])
    return store


async def test_only_pictures_near_the_view_are_fetched_and_a_slow_one_never_holds_the_reader(
    long_store: Store, server: FeedServer, tmp_path: Path
) -> None:
    app = reader(long_store, tmp_path, "on")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        # The text is there while the first picture is still on its way.
        assert "Paragraph 0." in pane_text(app, "#article-view")
        assert "loading…" in pane_text(app, "#article-view")
        await wait_until(pilot, lambda: server.hits["/1.png"] == 1, "the next picture is fetched")
        assert server.hits["/19.png"] == 0  # far below: not fetched
        view = app.screen.query_one(ArticleView)
        await pilot.press("tab", "end")
        await pilot.pause()
        assert view.scroll_offset.y == view.max_scroll_y  # scrolling did not wait
        await wait_until(pilot, lambda: server.hits["/19.png"] == 1, "the last picture is fetched")
        assert half_blocks_shown(app) > 100
        assert server.hits["/10.png"] == 0  # passed over in one jump: never fetched
        assert len(view._pictures.keys()) <= 4  # only what is on or near the screen is kept
