"""Fetching an article's pictures: through the feed fetcher's limits, into the disk cache.

Images are hostile input like feeds: only http(s), each redirect hop checked, timeouts,
and a byte cap of 10 MiB (``feeds.fetch``). A body must look like a picture by its
bytes and its header must pass the checks of ``image_decode`` before it is kept. A
refusal that will not change (SVG, a tracking pixel, a bomb, a page posing as an image)
is remembered in the cache, so that address is never fetched again.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from dataclasses import replace
from types import TracebackType
from typing import TYPE_CHECKING, Self, TypeVar

from newsreader.feeds.fetch import Fetcher, FetchError, FetchSettings
from newsreader.feeds.image_cache import ImageCache
from newsreader.feeds.image_decode import (
    MAX_ROWS,
    HalfBlocks,
    ImageRefused,
    half_blocks,
    open_image,
    rgb_picture,
)
from newsreader.text.sanitize import clean_line

if TYPE_CHECKING:
    from PIL import Image as PILImage

MAX_IMAGE_BYTES = 10 * 1024 * 1024
IMAGE_ACCEPT = "image/webp, image/png, image/jpeg, image/gif;q=0.9, */*;q=0.1"
# Servers label pictures loosely; these say nothing against the bytes being one.
_NEUTRAL_TYPES = frozenset({"", "application/octet-stream", "binary/octet-stream"})


def image_fetch_settings(settings: FetchSettings | None = None) -> FetchSettings:
    """The feed settings with the tighter limits of pictures."""
    base = settings or FetchSettings()
    return replace(
        base,
        max_body_bytes=min(base.max_body_bytes, MAX_IMAGE_BYTES),
        timeout=min(base.timeout, 20.0),
        max_redirects=min(base.max_redirects, 5),
        max_connections=min(base.max_connections, 6),
        max_per_host=min(base.max_per_host, 3),
    )


def check_content_type(value: str | None) -> None:
    """Refuse a body the server itself calls something other than a picture."""
    kind = (value or "").split(";")[0].strip().lower()
    if kind == "image/svg+xml":
        raise ImageRefused("SVG images are never shown")
    if kind.startswith("image/") or kind in _NEUTRAL_TYPES:
        return
    raise ImageRefused(f"not an image (the server says {clean_line(kind, limit=60)})")


class ImageLoader:
    """Loads pictures from the cache, else over HTTP; use it as an async context.

    One fetcher (and its connection pool) serves all the pictures of a session.
    """

    def __init__(self, cache: ImageCache, settings: FetchSettings | None = None) -> None:
        self.cache = cache
        self.settings = image_fetch_settings(settings)
        self._fetcher: Fetcher | None = None
        self._refused: dict[str, str] = {}
        # One fetch per address at a time: whoever asks while it runs waits for it.
        self._pending: dict[str, asyncio.Future[bytes]] = {}
        self._decoding = asyncio.Semaphore(1)
        self._making = asyncio.Lock()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        if self._fetcher is not None:
            await self._fetcher.aclose()
            self._fetcher = None

    def _refuse(self, url: str, refusal: ImageRefused) -> ImageRefused:
        if refusal.permanent:
            self._refused[url] = refusal.reason
            with contextlib.suppress(OSError):  # remembered for this session all the same
                self.cache.refuse(url, refusal.reason)
        return refusal

    async def _the_fetcher(self) -> Fetcher:
        """The one fetcher, made in a thread: importing httpx and loading the certificates
        would hold up the event loop, and so the reader's frames, for a good while."""
        async with self._making:
            if self._fetcher is None:
                self._fetcher = await asyncio.to_thread(
                    Fetcher, self.settings, accept=IMAGE_ACCEPT, noun="image"
                )
            return self._fetcher

    async def data(self, url: str) -> bytes:
        """The bytes of a picture that passed every check; ImageRefused with the reason."""
        pending = self._pending.get(url)
        if pending is None:
            pending = self._pending[url] = asyncio.ensure_future(self._data(url))
            pending.add_done_callback(lambda _: self._pending.pop(url, None))
        return await asyncio.shield(pending)

    async def _data(self, url: str) -> bytes:
        known = self._refused.get(url) or await asyncio.to_thread(self.cache.refusal, url)
        if known is not None:
            self._refused[url] = known
            raise ImageRefused(known)
        cached = await asyncio.to_thread(self.cache.get, url)
        if cached is not None:
            return cached
        fetcher = await self._the_fetcher()
        try:
            result = await fetcher.fetch(url)
        except FetchError as error:
            # The server may answer next time; only what the bytes say is remembered.
            raise ImageRefused(error.message, permanent=False) from None
        try:
            check_content_type(result.content_type)
            await asyncio.to_thread(open_image, result.body)
        except ImageRefused as refusal:
            raise self._refuse(url, refusal) from None
        with contextlib.suppress(OSError):  # a full or read-only disk: shown, only not kept
            await asyncio.to_thread(self.cache.put, url, result.body)
        return result.body

    async def half_blocks(self, url: str, columns: int, max_rows: int = MAX_ROWS) -> HalfBlocks:
        """The picture scaled for half-block cells at most ``columns`` × ``max_rows``."""
        return await self.drawn(url, columns, max_rows, _same)

    async def drawn(
        self, url: str, columns: int, max_rows: int, draw: Callable[[HalfBlocks], T]
    ) -> T:
        """``draw`` of the picture's half-block cells, decoded and drawn in one thread.

        One picture is decoded at a time: the event loop shares the interpreter with the
        decoding thread, and on a small machine several at once would slow its frames.
        """
        data = await self.data(url)
        async with self._decoding:
            try:
                return await asyncio.to_thread(_decode_and_draw, data, columns, max_rows, draw)
            except ImageRefused as refusal:
                raise self._refuse(url, refusal) from None

    async def picture(self, url: str, max_width: int, max_height: int) -> PILImage.Image:
        """The picture as RGB, scaled to fit ``max_width`` × ``max_height`` pixels."""
        data = await self.data(url)
        async with self._decoding:
            try:
                return await asyncio.to_thread(rgb_picture, data, max_width, max_height)
            except ImageRefused as refusal:
                raise self._refuse(url, refusal) from None


T = TypeVar("T")


def _same(cells: HalfBlocks) -> HalfBlocks:
    return cells


def _decode_and_draw(
    data: bytes, columns: int, max_rows: int, draw: Callable[[HalfBlocks], T]
) -> T:
    return draw(half_blocks(data, columns, max_rows))
