"""RSS 2.0 and Atom 1.0 documents read into the mappings feedparser would make of them.

Only the keys ``ingest`` reads are filled in: the feed's title, link and language; each
entry's title, summary, content, links, id, author and dates. An element that is not
listed here, a duplicate where feedparser's choice between the two is subtle, or markup
where text belongs raises ``Refused``.
"""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree
from typing import Any

from newsreader.feeds.fastparse.elements import (
    ATOM,
    CONTENT,
    DC,
    EXT,
    ITUNES,
    Refused,
    author,
    category,
    checked,
    construct,
    content,
    date,
    enclosure,
    extension,
    guid,
    ignored,
    language_of,
    link,
    person,
    repaired,
    text_of,
)

Entry = dict[str, Any]

_SY = "{http://purl.org/rss/1.0/modules/syndication/}"
_RSS_CHANNEL_IGNORED = frozenset(
    {"description", "copyright", "managingEditor", "webMaster", "generator", "docs", "ttl"}
    | {_SY + "updatePeriod", _SY + "updateFrequency", _SY + "updateBase"}
)
_RSS_IMAGE_PARTS = frozenset({"title", "url", "link", "width", "height", "description"})
_RSS_ITEM_IGNORED = frozenset(
    {"comments", "{http://wellformedweb.org/CommentAPI/}commentRss"}
    | {"{http://purl.org/rss/1.0/modules/slash/}comments"}
)
_RSS_ITEM_ONCE = frozenset({"title", "description", CONTENT + "encoded", "pubDate", DC + "date"})
_ATOM_ENTRY_ONCE = frozenset({"title", "summary", "content", "published", "updated", "id"})


def read_rss(root: ElementTree.Element) -> tuple[Entry, list[Entry]]:
    """The feed and its entries from an ``rss`` root (version 2.0 or none)."""
    version = checked(root, "version").get("version")
    if version not in (None, "2.0") or len(root) != 1 or root[0].tag != "channel":
        raise Refused
    channel = checked(root[0])
    meta: Entry = {}
    if lang := language_of(root):
        meta["language"] = lang.replace("_", "-")
    entries: list[Entry] = []
    seen: set[str] = set()
    for child in channel:
        tag = child.tag
        if tag == "item":
            entries.append(_rss_item(checked(child), (root, channel, child)))
            continue
        if tag in seen and tag in ("title", "link"):
            raise Refused
        seen.add(tag)
        if tag == "title":
            detail = construct(checked(child), "text/plain", guess=True)
            meta["title"], meta["title_detail"] = detail["value"], detail
        elif tag in ("link", ATOM + "link"):
            link(meta, child, entry=False)
        elif tag == "language":
            meta["language"] = repaired(text_of(checked(child)).strip())
        elif tag in ("pubDate", "lastBuildDate"):
            date(checked(child))
        elif tag == "image":
            for part in checked(child):
                if part.tag not in _RSS_IMAGE_PARTS:
                    raise Refused
                ignored(part)
        elif tag == "category":
            ignored(child, "domain")
        elif tag == "cloud":
            ignored(child, "domain", "port", "path", "registerProcedure", "protocol")
        elif tag in _RSS_CHANNEL_IGNORED:
            ignored(child)
        elif tag.startswith(EXT):
            extension(child)
        else:
            raise Refused
    return meta, entries


def _rss_item(item: ElementTree.Element, chain: tuple[ElementTree.Element, ...]) -> Entry:
    entry: Entry = {}
    seen: set[str] = set()
    for child in item:
        tag = child.tag
        if tag in _RSS_ITEM_ONCE:
            if tag in seen:
                raise Refused
            seen.add(tag)
        if tag == "title":
            detail = construct(checked(child), "text/plain", guess=True)
            entry["title"], entry["title_detail"] = detail["value"], detail
        elif tag in ("link", ATOM + "link"):
            link(entry, child, entry=True)
        elif tag == "guid":
            guid(entry, checked(child, "isPermaLink"), child.get("isPermaLink", "true") == "true")
        elif tag == "description":
            detail = construct(checked(child), "text/html", guess=False)
            entry["summary"], entry["summary_detail"] = detail["value"], detail
        elif tag == CONTENT + "encoded":
            content(entry, checked(child), "text/html", (*chain, child))
        elif tag == "pubDate":
            entry["published"], entry["published_parsed"] = date(checked(child))
        elif tag == DC + "date":
            entry["updated"], entry["updated_parsed"] = date(checked(child))
        elif tag in ("author", DC + "creator"):
            author(entry, child, atom=False)
        elif tag == "category":
            category(entry, child, "domain")
        elif tag == DC + "subject":
            category(entry, child)
        elif tag == "enclosure":
            enclosure(entry, child)
        elif tag == ITUNES + "duration":
            entry["itunes_duration"] = repaired(text_of(checked(child)).strip())
        elif tag in _RSS_ITEM_IGNORED:
            ignored(child)
        elif tag.startswith(EXT):
            extension(child)
        else:
            raise Refused
    return entry


def _atom_tag(element: ElementTree.Element) -> str:
    """The local name of an Atom element; feedparser reads unqualified names the same."""
    tag = element.tag
    return tag[len(ATOM) :] if tag.startswith(ATOM) else tag


def read_atom(root: ElementTree.Element) -> tuple[Entry, list[Entry]]:
    """The feed and its entries from an Atom 1.0 ``feed`` root."""
    checked(root)
    meta: Entry = {}
    if lang := language_of(root):
        meta["language"] = lang.replace("_", "-")
    entries: list[Entry] = []
    seen: set[str] = set()
    for child in root:
        tag = _atom_tag(child)
        if tag == "entry":
            entries.append(_atom_entry(checked(child), (root, child)))
            continue
        if tag in seen and tag in ("title", "id"):
            raise Refused
        seen.add(tag)
        if tag == "title":
            detail = construct(checked(child, "type"), "text/plain", guess=False)
            meta["title"], meta["title_detail"] = detail["value"], detail
        elif tag == "link":
            link(meta, child, entry=False)
        elif tag == "id":
            guid(meta, checked(child), True)
        elif tag == "updated":
            date(checked(child))
        elif tag in ("author", "contributor"):
            person(checked(child))
        else:
            _atom_common(child, tag)
    return meta, entries


def _atom_common(element: ElementTree.Element, tag: str) -> None:
    """Elements feed and entry share that change nothing ingest reads."""
    if tag in ("subtitle", "rights"):
        construct(checked(element, "type"), "text/plain", guess=False)
    elif tag in ("icon", "logo"):
        ignored(element)
    elif tag == "generator":
        ignored(element, "uri", "version")
    elif tag == "category":
        ignored(element, "term", "scheme", "label")
    elif tag.startswith(EXT):
        extension(element)
    else:
        raise Refused


def _atom_entry(element: ElementTree.Element, chain: tuple[ElementTree.Element, ...]) -> Entry:
    entry: Entry = {}
    seen: set[str] = set()
    for child in element:
        tag = _atom_tag(child)
        if tag in _ATOM_ENTRY_ONCE:
            if tag in seen:
                raise Refused
            seen.add(tag)
        if tag == "title":
            detail = construct(checked(child, "type"), "text/plain", guess=False)
            entry["title"], entry["title_detail"] = detail["value"], detail
        elif tag == "link":
            link(entry, child, entry=True)
        elif tag == "id":
            guid(entry, checked(child), True)
        elif tag == "summary":
            detail = construct(checked(child, "type"), "text/plain", guess=False)
            entry["summary"], entry["summary_detail"] = detail["value"], detail
        elif tag == "content":
            content(entry, checked(child, "type"), "text/plain", (*chain, child))
        elif tag in ("published", "updated"):
            entry[tag], entry[f"{tag}_parsed"] = date(checked(child))
        elif tag == "author":
            author(entry, child, atom=True)
        elif tag == "contributor":
            person(checked(child))
        elif tag == "category":
            category(entry, child, "term", "scheme", "label")
        else:
            _atom_common(child, tag)
    return entry
