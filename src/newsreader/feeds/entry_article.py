"""How one parsed entry becomes an ``Article``: the steps both parse paths share.

The feedparser path (``ingest``) and the fast path (``fastparse``) differ only in how they
turn a title, a body and a teaser into text, and in how they read a time; they pass those
as ``Converters`` and take every other step from here, so the two cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from newsreader.feeds.entries import (
    best_content,
    entry_guid,
    entry_images,
    entry_links,
    entry_media,
    entry_tags,
    fallback_title,
    link_of,
)
from newsreader.feeds.extension import EntryExtension
from newsreader.models import Article, Block
from newsreader.text.sanitize import clean_line


@dataclass(frozen=True, slots=True)
class Converters:
    """A parse path's own ways of reading an entry's text and times."""

    title_of: Callable[[Mapping[str, Any]], str]
    blocks_of: Callable[[str, str | None], tuple[Block, ...]]
    teaser_of: Callable[[str, str | None], str]
    time_of: Callable[[Mapping[str, Any], str], datetime | None]


def build_article(
    entry: Mapping[str, Any],
    extension: EntryExtension,
    feed_language: str | None,
    source: str,
    convert: Converters,
) -> Article:
    """The entry as an article: body or summary, teaser, times, links, pictures, media."""
    title = convert.title_of(entry)
    summary = entry.get("summary") or ""
    summary_type = (entry.get("summary_detail") or {}).get("type")
    content = best_content(entry)
    if content is not None:
        body = content.get("value") or ""
        blocks = convert.blocks_of(body, content.get("type"))
        links = entry_links(body, content.get("type"), source)
        images = entry_images(entry, body, content.get("type"), source)
        # feedparser copies the content into the summary when there is none.
        teaser = "" if summary == body else convert.teaser_of(summary, summary_type)
    else:
        blocks = convert.blocks_of(summary, summary_type)
        links = entry_links(summary, summary_type, source)
        images = entry_images(entry, summary, summary_type, source)
        teaser = ""
    published = convert.time_of(entry, "published")
    updated = convert.time_of(entry, "updated")
    url = link_of(entry, source)
    language = (content or {}).get("language") or feed_language
    shown_title = title or fallback_title(teaser, blocks)
    media = entry_media(entry, shown_title, source)
    article = Article(
        guid=entry_guid(entry, title, published or updated, url),
        title=shown_title,
        teaser=teaser,
        blocks=blocks,
        kicker=extension.kicker,
        url=url,
        author=clean_line(entry.get("author"), limit=200) or None,
        language=clean_line(language, limit=20) or None,
        published=published,
        updated=updated,
        related=extension.related,
        programme=extension.programme,
        media=extension.media + media if media else extension.media,
        labels=extension.labels,
        links=links,
        tags=entry_tags(entry),
        images=images,
    )
    if article.kicker and not article.title.startswith(article.kicker):
        article = replace(article, kicker=None)
    return article
