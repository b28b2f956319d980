"""Fetching, checking and caching pictures, each limit met by a hostile fixture."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from httpserver import FeedServer, Reply
from imagefiles import SVG, bomb, picture

from newsreader.feeds.fetch import FetchSettings
from newsreader.feeds.image_cache import ImageCache
from newsreader.feeds.image_decode import (
    ImageRefused,
    cells_for,
    half_blocks,
    open_image,
    sniff_format,
)
from newsreader.feeds.images import MAX_IMAGE_BYTES, ImageLoader, image_fetch_settings

SETTINGS = FetchSettings(connect_timeout=0.5, timeout=2.0, trust_env=False)


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with FeedServer() as running:
        yield running


@pytest.fixture
def cache(tmp_path: Path) -> ImageCache:
    return ImageCache(tmp_path / "images")


async def refusal(loader: ImageLoader, url: str) -> str:
    with pytest.raises(ImageRefused) as caught:
        await loader.data(url)
    return caught.value.reason


@pytest.mark.parametrize("kind", ["PNG", "JPEG", "GIF", "WEBP"])
def test_the_four_formats_decode_to_half_blocks(kind: str) -> None:
    cells = half_blocks(picture(kind, (64, 32)), columns=40)
    assert (cells.width, cells.rows) == (40, 10)
    assert len(cells.pixels) == cells.width * cells.rows * 2 * 3
    left, right = cells.pixel(2, 4), cells.pixel(37, 4)
    assert right[0] > 240 and right[1] > 240  # the white half
    assert left[2] > left[0] + 80  # the blue half (the GIF's red second frame is never used)


def test_a_decompression_bomb_is_refused_from_its_header() -> None:
    data = bomb()
    assert len(data) < 1000
    with pytest.raises(ImageRefused, match="too many pixels"):
        open_image(data)


def test_svg_and_pages_and_other_formats_are_refused_with_a_reason() -> None:
    with pytest.raises(ImageRefused, match="SVG"):
        sniff_format(SVG)
    with pytest.raises(ImageRefused, match="page"):
        sniff_format(b"<!DOCTYPE html><html>")
    with pytest.raises(ImageRefused, match="not a PNG"):
        sniff_format(picture("BMP"))
    with pytest.raises(ImageRefused, match=r"damaged|could not be read"):
        half_blocks(picture("PNG")[:60], 40)


def test_tracking_pixels_are_refused() -> None:
    with pytest.raises(ImageRefused, match="tracking pixel"):
        open_image(picture("GIF", (1, 1)))


def test_a_tall_picture_is_held_to_a_number_of_rows_and_small_ones_are_not_blown_up() -> None:
    assert cells_for((100, 5000), 80) == (2, 48)
    assert cells_for((20, 20), 80) == (20, 10)
    assert cells_for((1600, 900), 80) == (80, 22)


def test_the_cache_evicts_the_least_recently_used(tmp_path: Path) -> None:
    cache = ImageCache(tmp_path, max_bytes=2500)
    for name in "abc":
        cache.put(f"https://x.example/{name}", name.encode() * 1000)
    # Only two of 1000 bytes fit: "a" went.
    assert cache.get("https://x.example/a") is None
    past = time.time() - 100
    for entry in tmp_path.iterdir():
        os.utime(entry, (past, past))
    assert cache.get("https://x.example/b") == b"b" * 1000  # used now: "c" is older
    cache.put("https://x.example/d", b"d" * 1000)
    assert cache.get("https://x.example/c") is None
    assert cache.get("https://x.example/b") is not None
    assert cache.size() <= 2500
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".part-")]
    # A fresh cache on the same directory counts what is there.
    assert ImageCache(tmp_path, max_bytes=2500).size() == cache.size()


def test_file_names_never_come_from_the_address(tmp_path: Path) -> None:
    cache = ImageCache(tmp_path)
    cache.put("https://x.example/../../etc/passwd", b"x")
    cache.refuse("https://x.example/p.gif", "tracking\x1b[2J pixel")
    names = sorted(p.name for p in tmp_path.iterdir())
    assert all(len(name.split(".")[0]) == 64 for name in names)
    assert cache.refusal("https://x.example/p.gif") == "tracking[2J pixel"


async def test_a_picture_is_fetched_once_then_read_from_the_disk_cache(
    server: FeedServer, cache: ImageCache
) -> None:
    url = server.route("/p.png", Reply(200, picture("PNG"), {"Content-Type": "image/png"}))
    async with ImageLoader(cache, SETTINGS) as loader:
        cells = await loader.half_blocks(url, 20)
        assert cells.width == 20
    assert "image/" in server.requests_to("/p.png")[0].headers["Accept"]
    async with ImageLoader(cache, SETTINGS) as loader:
        assert await loader.data(url) == picture("PNG")
    assert server.hits["/p.png"] == 1


async def test_a_50_mb_file_is_cut_off_at_the_cap(server: FeedServer, cache: ImageCache) -> None:
    huge = picture("JPEG") + b"\0" * (50 * 1024 * 1024)
    declared = server.route("/big.jpg", Reply(200, huge, {"Content-Type": "image/jpeg"}))
    streamed = server.route(
        "/stream.jpg", Reply(200, huge, {"Content-Type": "image/jpeg"}, send_length=False)
    )
    async with ImageLoader(cache, SETTINGS) as loader:
        assert loader.settings.max_body_bytes == MAX_IMAGE_BYTES
        assert await refusal(loader, declared) == "the image is larger than 10 MiB"
        assert await refusal(loader, streamed) == "the image is larger than 10 MiB"
    assert cache.size() == 0


async def test_hostile_answers_are_refused_and_remembered(
    server: FeedServer, cache: ImageCache
) -> None:
    urls = {
        "bomb": server.route("/bomb.png", Reply(200, bomb(), {"Content-Type": "image/png"})),
        "svg": server.route("/logo.svg", Reply(200, SVG, {"Content-Type": "image/svg+xml"})),
        "svg-as-png": server.route("/fake.png", Reply(200, SVG, {"Content-Type": "image/png"})),
        "html": server.route(
            "/page.jpg", Reply(200, picture("JPEG"), {"Content-Type": "text/html"})
        ),
        "pixel": server.route("/t.gif", Reply(200, picture("GIF", (1, 1)))),
    }
    async with ImageLoader(cache, SETTINGS) as loader:
        reasons = {name: await refusal(loader, url) for name, url in urls.items()}
    assert "too many pixels" in reasons["bomb"]
    assert reasons["svg"] == reasons["svg-as-png"] == "SVG images are never shown"
    assert reasons["html"] == "not an image (the server says text/html)"
    assert "tracking pixel" in reasons["pixel"]
    async with ImageLoader(cache, SETTINGS) as loader:
        for name, url in urls.items():
            assert await refusal(loader, url) == reasons[name]
    assert all(server.hits[path] == 1 for path in server.hits)


async def test_redirects_are_checked_at_every_hop(server: FeedServer, cache: ImageCache) -> None:
    server.route("/real.png", Reply(200, picture("PNG"), {"Content-Type": "image/png"}))
    hop = server.route("/hop", Reply(302, headers={"Location": "/real.png"}))
    to_file = server.route("/evil", Reply(302, headers={"Location": "file:///etc/passwd"}))
    async with ImageLoader(cache, SETTINGS) as loader:
        assert await loader.data(hop) == picture("PNG")
        assert "file: URL refused" in await refusal(loader, to_file)
        with pytest.raises(ImageRefused, match="only http and https"):
            await loader.data("file:///etc/passwd")
    # A failed fetch may work later, so it is not remembered.
    assert cache.refusal(to_file) is None


def test_image_limits_are_tighter_than_feed_limits() -> None:
    settings = image_fetch_settings(FetchSettings(max_body_bytes=64 * 1024 * 1024))
    assert settings.max_body_bytes == MAX_IMAGE_BYTES
    assert settings.max_redirects <= 5


async def test_a_cache_that_cannot_be_written_still_lets_pictures_show(
    server: FeedServer, tmp_path: Path
) -> None:
    blocked = tmp_path / "not-a-directory"
    blocked.write_text("a file where the cache should be")
    url = server.route("/p.png", Reply(200, picture("PNG"), {"Content-Type": "image/png"}))
    pixel = server.route("/t.gif", Reply(200, picture("GIF", (1, 1))))
    async with ImageLoader(ImageCache(blocked / "images"), SETTINGS) as loader:
        assert (await loader.half_blocks(url, 20)).width == 20
        assert "tracking pixel" in await refusal(loader, pixel)
        assert "tracking pixel" in await refusal(loader, pixel)
    assert server.hits["/t.gif"] == 1  # remembered for the session


def test_the_cache_directory_is_the_option_else_the_environment_else_the_cache_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from newsreader.paths import CACHE_ENV, IMAGE_CACHE_ENV, image_cache_dir

    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    monkeypatch.delenv(IMAGE_CACHE_ENV, raising=False)
    assert image_cache_dir() == tmp_path / "cache" / "images"
    monkeypatch.setenv(IMAGE_CACHE_ENV, str(tmp_path / "env"))
    assert image_cache_dir() == tmp_path / "env"
    assert image_cache_dir(tmp_path / "option") == tmp_path / "option"
