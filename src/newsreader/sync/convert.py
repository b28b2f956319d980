"""Server articles into stored Articles, through the same sanitising path as a feed.

Everything a server sends is hostile: titles, bodies, links and names are cleaned here
(text/sanitize.py, the HTML-to-blocks converter) before anything else sees them.
"""

from __future__ import annotations

from newsreader.models import Article, Link
from newsreader.store.sync_queue import PulledItem
from newsreader.sync.remote import RemoteFeed, RemoteItem
from newsreader.text.fasthtml import html_to_blocks
from newsreader.text.htmltext import anchors
from newsreader.text.sanitize import clean_datetime, clean_line, link_url, openable_url

MAX_LINKS = 200
TITLE_LIMIT = 500


def body_links(html: str) -> tuple[Link, ...]:
    """The http(s) links of a body, in order, each address once."""
    found: dict[str, Link] = {}
    for text, href in anchors(html):
        url = link_url(href)
        if url is not None and url not in found:
            found[url] = Link(clean_line(text, limit=200) or url, url)
            if len(found) >= MAX_LINKS:
                break
    return tuple(found.values())


def to_article(item: RemoteItem) -> Article:
    blocks = html_to_blocks(item.html)
    title = clean_line(item.title, limit=TITLE_LIMIT)
    if not title:
        title = clean_line(blocks[0].text, limit=80) if blocks else "(untitled)"
    published = clean_datetime(item.published)
    return Article(
        guid=clean_line(item.guid, limit=200),
        title=title or "(untitled)",
        blocks=blocks,
        url=link_url(item.url),
        author=clean_line(item.author, limit=200) or None,
        published=published,
        links=body_links(item.html),
    )


def pulled(item: RemoteItem) -> PulledItem:
    return PulledItem(
        remote_id=item.remote_id,
        feed_remote_id=clean_line(item.feed_remote_id, limit=100),
        article=to_article(item),
        read=item.read,
        starred=item.starred,
    )


def feed_row(feed: RemoteFeed) -> tuple[str, str, str, str | None]:
    """(remote id, title, url, group) as the store keeps them, cleaned."""
    url = openable_url(feed.url) or clean_line(feed.url, limit=500)
    title = clean_line(feed.title, limit=200) or clean_line(url, limit=200) or "(untitled)"
    group = clean_line(feed.group, limit=200) if feed.group else None
    return clean_line(feed.remote_id, limit=100), title, url, group or None
