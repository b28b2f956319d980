"""The feeds a web page names (``<link rel="alternate" type="application/rss+xml">``).

Someone who adds a site's address instead of its feed's gets the feed the page points
to. The page is outside input like any feed: only http(s) addresses are taken from it,
resolved against the page, and titles pass the sanitiser.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urljoin

from newsreader.feeds.feedfile import looks_like_html
from newsreader.feeds.fetch import fetch_url
from newsreader.feeds.fetch_settings import FetchSettings
from newsreader.text.htmltext import attributes
from newsreader.text.sanitize import clean_line, link_url

FEED_TYPES = frozenset(
    {"application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/xml"}
    | {"text/xml", "application/x-rss+xml"}
)
MAX_FEEDS = 20
_LINK = re.compile(r"<link\b([^<>]{0,4000})>", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class FeedLink:
    """A feed a page names: its address and the title the page gives it (maybe "")."""

    url: str
    title: str


def feed_links(page: bytes, base: str) -> list[FeedLink]:
    """The feeds the page's ``<link rel="alternate">`` elements name, each address once."""
    text = page[:2_000_000].decode("utf-8", errors="replace")
    found: dict[str, FeedLink] = {}
    for match in _LINK.finditer(text):
        values = attributes(match.group(1))
        rels = values.get("rel", "").lower().split()
        kind = values.get("type", "").lower().partition(";")[0].strip()
        if "alternate" not in rels or kind not in FEED_TYPES or not values.get("href"):
            continue
        try:
            url = link_url(urljoin(base, values["href"].strip()))
        except ValueError:
            continue
        if url is not None and url not in found:
            found[url] = FeedLink(url, clean_line(values.get("title", ""), limit=200))
            if len(found) >= MAX_FEEDS:
                break
    return list(found.values())


async def discover_feeds(url: str, settings: FetchSettings | None = None) -> list[FeedLink]:
    """The feeds the web page at ``url`` names; [] if it is not a page or names none.

    Raises ``fetch.FetchError`` when the page cannot be fetched.
    """
    result = await fetch_url(url, settings=settings)
    if not looks_like_html(result.body):
        return []
    return feed_links(result.body, result.url)
