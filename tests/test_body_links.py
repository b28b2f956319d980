"""An article's body links are kept, in order, http(s) only, on both parsing paths."""

from __future__ import annotations

from newsreader.feeds.ingest import parse_feed
from newsreader.feeds.subscriptions import import_feed_bytes
from newsreader.models import Link
from newsreader.store.database import Store

FEED = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Links</title><link>https://example.org/</link>
<item><title>One</title><link>https://example.org/one</link><guid>one</guid>
<description>&lt;p&gt;See &lt;a href="/docs"&gt;the &lt;b&gt;docs&lt;/b&gt;&lt;/a&gt;,
&lt;a href="javascript:alert(1)"&gt;a trap&lt;/a&gt;,
&lt;a href='https://other.org/x?a=1&amp;amp;b=2'&gt;another site&lt;/a&gt;,
&lt;a href="https://user@evil.org/"&gt;credentials&lt;/a&gt;
and &lt;a href="/docs"&gt;the docs again&lt;/a&gt;.&lt;/p&gt;</description></item>
</channel></rss>"""
EXPECTED = (
    Link("the docs", "https://example.org/docs"),
    Link("another site", "https://other.org/x?a=1&b=2"),
)


def test_links_are_resolved_checked_and_listed_once() -> None:
    (article,) = parse_feed(FEED, "https://example.org/feed.xml").articles
    assert article.links == EXPECTED


def test_the_feedparser_path_finds_the_same_links() -> None:
    # A DOCTYPE keeps the fast path out, so feedparser reads the same entry.
    with_doctype = FEED.replace(b"<rss", b"<!DOCTYPE rss>\n<rss", 1)
    (article,) = parse_feed(with_doctype, "https://example.org/feed.xml").articles
    assert article.links == EXPECTED


def test_links_survive_the_store(store: Store) -> None:
    import_feed_bytes(store, FEED, "https://example.org/feed.xml")
    stored = store.article(store.articles()[0].id)
    assert stored is not None and stored.links == EXPECTED
