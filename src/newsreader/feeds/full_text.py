"""When an article's web page is fetched for its full text, and doing it.

A feed that sends only a teaser (a body under about 60 words, or one that is its teaser)
gets its article's text from the web page: when it is opened ("on-open", the default),
also ahead of time after a refresh ("prefetch"), or never ("off"), globally or per feed.
This module is light: fetching and extracting (``pages``) are imported only when a page
is really fetched, so the reader's start does not pay for lxml and trafilatura.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from typing import Final, Literal

from newsreader.feeds.fetch_settings import FetchSettings
from newsreader.feeds.page_error import PageError
from newsreader.models import Article, BlockKind, PageArticle
from newsreader.store.database import Store
from newsreader.text.sanitize import link_url

FullTextMode = Literal["on-open", "prefetch", "off"]
FULL_TEXT_MODES: Final = ("on-open", "prefetch", "off")
TEASER_WORDS: Final = 60
PREFETCH_PER_FEED: Final = 20  # the newest unread teasers of a feed, after each refresh
PREFETCH_AT_ONCE: Final = 4
PREFETCH_PER_HOST: Final = 1  # one page at a time from any one site


def teaser_only(article: Article) -> bool:
    """Whether the feed's own text is only a teaser: short, or the teaser again."""
    blocks = article.page.feed_blocks if article.body_source == "page" and article.page else None
    body = "\n\n".join(b.text for b in blocks) if blocks is not None else article.body
    words = body.split()
    if len(words) < TEASER_WORDS:
        return True
    return words == article.teaser.split()


def _plain(text: str) -> list[str]:
    return "".join(c if c.isalnum() else " " for c in text.casefold()).split()


def without_repeats(page: PageArticle, article: Article) -> PageArticle:
    """The page's text without leading blocks that repeat the headline or the teaser,
    which the article view shows above the body already."""
    shown = [_plain(article.title), _plain(article.teaser)]
    if article.kicker:
        shown.append(_plain(f"{article.kicker} {article.title}"))
    blocks = list(page.blocks)
    while blocks and blocks[0].kind is not BlockKind.PREFORMATTED:
        words = _plain(blocks[0].text)
        if not words or not any(words == known or (known and words == known) for known in shown):
            break
        blocks.pop(0)
    return replace(page, blocks=tuple(blocks)) if len(blocks) != len(page.blocks) else page


def wants_page(article: Article, mode: str) -> bool:
    """Whether opening the article should fetch its page now (never twice unasked)."""
    return (
        mode != "off"
        and article.page is None
        and link_url(article.url) is not None
        and teaser_only(article)
    )


def fetch_full_text(
    store: Store, article_id: int, settings: FetchSettings | None = None
) -> Article:
    """Fetch and extract the article's page, store the text, and return the article.

    Raises ``PageError`` with the reason; the failure is stored too, and a text fetched
    before is kept. Blocks: call it from a thread worker or the command line.
    """
    from newsreader.feeds.pages import load_page_now

    article = store.article(article_id)
    if article is None:
        raise PageError("the article is gone")
    url = link_url(article.url)
    if url is None:
        raise PageError("the article has no web page")
    try:
        page = load_page_now(url, settings)
    except PageError as error:
        store.save_page_failure(article_id, url, error.message, datetime.now(UTC))
        raise
    store.save_page_text(article_id, without_repeats(page, article), datetime.now(UTC))
    stored = store.article(article_id)
    assert stored is not None
    return stored


async def prefetch_full_texts(
    store: Store,
    feed_ids: Sequence[int],
    settings: FetchSettings | None = None,
    *,
    claim: Callable[[int], bool] | None = None,
    release: Callable[[int], None] | None = None,
) -> int:
    """Fetch the pages of the feeds' unread teaser-only articles, a few at a time and one
    per host at once; returns how many gained their full text.

    ``claim`` is asked before each page (False: someone else is fetching it, skip it) and
    ``release`` told after, so that a page opened meanwhile is not fetched twice.
    """
    from newsreader.feeds.fetch import Fetcher
    from newsreader.feeds.pages import PAGE_ACCEPT, load_page, page_settings

    wanted: list[tuple[int, str]] = []
    for feed_id in feed_ids:
        for article_id in await asyncio.to_thread(store.pages_to_fetch, feed_id, PREFETCH_PER_FEED):
            article = await asyncio.to_thread(store.article, article_id)
            if article is not None and wants_page(article, "prefetch") and article.url:
                wanted.append((article_id, article.url))
    if not wanted:
        return 0
    polite = replace(
        page_settings(settings), max_per_host=PREFETCH_PER_HOST, max_connections=PREFETCH_AT_ONCE
    )
    gained = 0
    async with Fetcher(polite, accept=PAGE_ACCEPT, noun="page") as fetcher:

        async def one(article_id: int, url: str) -> None:
            nonlocal gained
            if claim is not None and not claim(article_id):
                return
            try:
                if await fetch_one(article_id, url):
                    gained += 1
            finally:
                if release is not None:
                    release(article_id)

        async def fetch_one(article_id: int, url: str) -> bool:
            article = await asyncio.to_thread(store.article, article_id)
            if article is None or article.page is not None:
                return False  # gone, or fetched since it was listed
            try:
                page = await load_page(url, fetcher=fetcher)
            except PageError as error:
                await asyncio.to_thread(
                    store.save_page_failure, article_id, url, error.message, datetime.now(UTC)
                )
                return False
            page = without_repeats(page, article)
            await asyncio.to_thread(store.save_page_text, article_id, page, datetime.now(UTC))
            return True

        await asyncio.gather(*(one(article_id, url) for article_id, url in wanted))
    return gained
