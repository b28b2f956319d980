"""Pictures in a real terminal that reports no graphics support: the configured fallback,
and never a byte of a graphics protocol (no Kitty APC, no Sixel DCS)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from httpserver import FeedServer, Reply
from imagefiles import picture
from pty_terminal import STARTUP_TIMEOUT, Terminal, installed_command, reader_environment

from newsreader.models import Article, Block, BlockKind, Feed, ImageRef
from newsreader.store.database import Store

KITTY_APC = b"\x1b_G"
SIXEL_DCS = re.compile(rb"\x1bP[0-9;]*q")
TITLE = "Boats leave the harbour at dawn"


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with FeedServer() as running:
        running.route(
            "/boats.png", Reply(200, picture("PNG", (160, 90)), {"Content-Type": "image/png"})
        )
        yield running


def reader(tmp_path: Path, server: FeedServer, images: str, *options: str) -> Terminal:
    """The reader on a store holding one story with a picture, ``[ui] images`` as given."""
    db = tmp_path / "pictures.sqlite3"
    store = Store(db)
    feed = store.add_feed(Feed(source="https://example.org/harbour.rss", title="Harbour"))
    assert feed.id is not None
    store.save_articles(
        feed.id,
        [
            Article(
                guid="boats",
                title=TITLE,
                blocks=(Block(BlockKind.PARAGRAPH, "The boats left before sunrise."),),
                published=datetime(2030, 5, 1, 9, 0, tzinfo=UTC),
                images=(ImageRef(server.url("/boats.png"), alt="Three boats", position=1),),
            )
        ],
    )
    store.close()
    config = tmp_path / "config.toml"
    config.write_text(f'[ui]\nimages = "{images}"\n', encoding="utf-8")
    env = reader_environment()
    for name in ("COLORTERM", "TEXTUAL_COLOR_SYSTEM", "KITTY_WINDOW_ID", "TERM_PROGRAM"):
        env.pop(name, None)
    env["NEWSREADER_IMAGE_CACHE_DIR"] = str(tmp_path / "pictures")
    command = [str(installed_command()), "--db", str(db), "--config", str(config), *options]
    return Terminal(command, env)


def no_protocol_bytes(raw: bytes) -> None:
    assert KITTY_APC not in raw
    assert SIXEL_DCS.search(raw) is None


def test_auto_without_true_colour_shows_a_placeholder_and_fetches_nothing(
    tmp_path: Path, server: FeedServer
) -> None:
    terminal = reader(tmp_path, server, "auto")
    try:
        terminal.wait_for(TITLE, "[image: Three boats · 127.0.0.1]", timeout=STARTUP_TIMEOUT)
        terminal.pump(0.5)
        assert "▀" not in terminal.text()
        no_protocol_bytes(bytes(terminal.raw))
        assert server.hits["/boats.png"] == 0
    finally:
        terminal.close()


def test_on_draws_half_blocks_and_nothing_else(tmp_path: Path, server: FeedServer) -> None:
    kept = tmp_path / "kept-pictures"
    terminal = reader(tmp_path, server, "on", "--image-cache", str(kept))
    try:
        terminal.wait_for(TITLE, timeout=STARTUP_TIMEOUT)
        terminal.wait_until("the picture", lambda _: "▀▀▀▀" in terminal.text(), STARTUP_TIMEOUT)
        no_protocol_bytes(bytes(terminal.raw))
        assert server.hits["/boats.png"] == 1
    finally:
        terminal.close()
    # --image-cache wins over the environment: the picture was kept there.
    assert [path.suffix for path in kept.iterdir()] == [".img"]
    assert not (tmp_path / "pictures").exists()
