"""What a refresh's parse worker process runs: parse a feed and prepare its articles.

It lives apart from the refresh so that a worker imports only the parser and the
preparing, never the fetcher or the store's database.
"""

from __future__ import annotations

from dataclasses import replace

from newsreader.feeds.entries import ParsedFeed
from newsreader.feeds.ingest import parse_feed
from newsreader.store.prepare import PreparedArticle, prepare_articles


def parse_and_prepare(data: bytes, source: str) -> tuple[ParsedFeed, list[PreparedArticle]]:
    """Parse feed bytes and prepare their articles for storing, in one worker call.

    The articles come back without their blocks: what the store keeps of them travels
    once, in the prepared form (body text and layout), rather than twice between
    processes, and a body's blocks are the most costly part to send.
    """
    parsed = parse_feed(data, source)
    prepared = prepare_articles(parsed.articles)
    light = [replace(article, blocks=()) for article in parsed.articles]
    return replace(parsed, articles=light), prepared
