"""Fetching an article's web page and extracting it, with the fetcher's limits.

A page is fetched like a feed (``Fetcher``: timeouts, per-host slots, http(s)-only
redirects checked at every hop, a decompressed-size cap, here of a few MiB) and extracted
in a thread, so neither the event loop nor the UI waits for lxml. Every failure becomes a
``PageError`` with one line that says why: the HTTP status, "not an HTML page", "the page
is larger than 5 MiB", "nothing article-like found on the page".
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from newsreader.feeds.fetch_settings import FetchSettings
from newsreader.feeds.page_error import PageError

if TYPE_CHECKING:
    from newsreader.feeds.fetch import Fetcher
    from newsreader.models import PageArticle

PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.1"
MAX_PAGE_BYTES = 5 * 1024 * 1024


def page_settings(settings: FetchSettings | None = None) -> FetchSettings:
    """The feed fetcher's settings with the smaller size cap of a web page."""
    base = settings or FetchSettings()
    return replace(base, max_body_bytes=min(base.max_body_bytes, MAX_PAGE_BYTES))


def page_fetcher(settings: FetchSettings | None = None) -> Fetcher:
    """A fetcher for web pages: HTML asked for, the page size cap, "the page" in messages."""
    from newsreader.feeds.fetch import Fetcher

    return Fetcher(page_settings(settings), accept=PAGE_ACCEPT, noun="page")


async def load_page(
    url: str, *, fetcher: Fetcher | None = None, settings: FetchSettings | None = None
) -> PageArticle:
    """Fetch the page at ``url`` and extract its article; raises ``PageError``.

    A ``fetcher`` given (``page_fetcher``) is shared: prefetching many pages keeps its
    per-host limits; else one is made for this page.
    """
    from newsreader.feeds.fetch import FetchError
    from newsreader.feeds.page_extract import extract_page

    try:
        if fetcher is None:
            async with page_fetcher(settings) as own:
                result = await own.fetch(url)
        else:
            result = await fetcher.fetch(url)
    except FetchError as error:
        raise PageError(error.message) from None
    if not result.body:
        raise PageError("the page is empty")
    return await asyncio.to_thread(_extract, extract_page, result.body, result.url)


def _extract(extract: Callable[[bytes, str], PageArticle], body: bytes, url: str) -> PageArticle:
    """``extract`` on a page, every failure a ``PageError``.

    A page is hostile input for two libraries at once; whatever one of them raises on a
    strange page is that page's fault, told in one line, never a crash of the reader.
    """
    try:
        return extract(body, url)
    except PageError:
        raise
    except Exception as error:  # a strange page, not a broken reader (see above)
        raise PageError(f"the page could not be read ({type(error).__name__})") from None


def load_page_now(url: str, settings: FetchSettings | None = None) -> PageArticle:
    """``load_page`` from code that is not async (a thread worker, the command line)."""
    return asyncio.run(load_page(url, settings=settings))
