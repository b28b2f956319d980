"""What a web page says about its article besides the text: schema.org, OpenGraph, <time>.

Read from an already parsed page (``page_html.parse_page``), never from the network, and
never run: JSON-LD is data read with ``json`` within fixed bounds. Every value leaves
through the sanitiser, and links only as http(s) addresses.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from urllib.parse import urljoin

from lxml import html as lxml_html

from newsreader.feeds.extension import parse_duration, parse_timestamp
from newsreader.models import MediaItem, ProgrammeSlot
from newsreader.text.sanitize import clean_line, clean_text, link_url

MAX_SCRIPTS = 20
MAX_SCRIPT_CHARS = 1_000_000
MAX_NODES = 2_000
MAX_ITEMS = 50

ARTICLE_TYPES = frozenset(
    {
        "article",
        "newsarticle",
        "reportagenewsarticle",
        "analysisnewsarticle",
        "opinionnewsarticle",
        "backgroundnewsarticle",
        "reviewnewsarticle",
        "blogposting",
        "liveblogposting",
        "socialmediaposting",
        "techarticle",
        "scholarlyarticle",
        "report",
        "webpage",
    }
)
MEDIA_TYPES = {"videoobject": "video", "audioobject": "audio", "podcastepisode": "audio"}
BROADCAST_TYPES = frozenset({"broadcastevent", "publicationevent"})


@dataclass(frozen=True, slots=True)
class PageMeta:
    """The page's own account of itself; every field sanitised."""

    title: str = ""
    published: datetime | None = None
    modified: datetime | None = None
    article_body: str = ""  # schema.org articleBody: a fallback when no body is found
    media: tuple[MediaItem, ...] = ()
    programme: tuple[ProgrammeSlot, ...] = ()


_SCHEME_LIKE = re.compile(r"^([^/?#]*):")


def page_link(page_url: str, href: object) -> str | None:
    """An address found on a page, made absolute against it, if it is an http(s) link.

    As browsers do, spaces around it and tabs and line breaks in it are dropped first, and
    anything before a colon that could be a scheme is taken as one: " JAVA\tSCRIPT:x" and
    "java script:x" are refused, not read as a relative path on the page's own host.
    """
    text = re.sub(r"[\t\n\r]", "", clean_line(href, limit=4_000) if href else "").strip()
    if not text:
        return None
    scheme = _SCHEME_LIKE.match(text)
    if scheme and "".join(scheme.group(1).split()).lower() not in ("http", "https"):
        return None
    try:
        return link_url(urljoin(page_url, text))
    except ValueError:
        return None


def read_meta(tree: lxml_html.HtmlElement, page_url: str) -> PageMeta:
    """Everything the page's structured data, OpenGraph tags and <time> elements give."""
    nodes = list(json_ld_nodes(tree))
    og = open_graph(tree)
    articles = [node for node in nodes if _types(node) & ARTICLE_TYPES]
    # A WebPage node is the page, not the story: any more specific type comes first.
    articles.sort(key=lambda node: "webpage" in _types(node))
    article = articles[0] if articles else {}
    media: list[MediaItem] = []
    programme: list[ProgrammeSlot] = []
    for node in nodes:
        types = _types(node)
        kind = next((MEDIA_TYPES[name] for name in types if name in MEDIA_TYPES), None)
        if kind is not None and (item := _media(node, kind, page_url)) is not None:
            media.append(item)
        if types & BROADCAST_TYPES and (slot := _broadcast(node)) is not None:
            programme.append(slot)
    published = _time(article.get("datePublished")) or _time(og.get("article:published_time"))
    modified = _time(article.get("dateModified")) or _time(og.get("article:modified_time"))
    if published is None or modified is None:
        found_published, found_modified = page_times(tree)
        published = published or found_published
        modified = modified or found_modified
    title = clean_line(_text(article.get("headline")) or og.get("og:title"), limit=500)
    return PageMeta(
        title=title,
        published=published,
        modified=modified,
        article_body=clean_text(_text(article.get("articleBody")), limit=500_000),
        media=_unique_media(media)[:MAX_ITEMS],
        programme=tuple(dict.fromkeys(programme))[:MAX_ITEMS],
    )


def json_ld_nodes(tree: lxml_html.HtmlElement) -> Iterator[dict[str, Any]]:
    """Every object in the page's JSON-LD in document order, @graph and nesting flattened.

    A stack, not recursion: a page's data may nest deeper than Python recurses.
    """
    scripts = tree.xpath('//script[contains(translate(@type, "LDJSON", "ldjson"), "ld+json")]')
    documents: list[Any] = []
    for script in scripts[:MAX_SCRIPTS]:
        source = (script.text or "")[:MAX_SCRIPT_CHARS]
        try:
            documents.append(json.loads(source))
        except (ValueError, RecursionError):
            continue
    pending = documents[::-1]
    seen = 0
    while pending and seen < MAX_NODES:
        value = pending.pop()
        seen += 1
        if isinstance(value, list):
            pending.extend(reversed(value[:MAX_NODES]))
        elif isinstance(value, dict):
            yield value
            children = [child for child in value.values() if isinstance(child, dict | list)]
            pending.extend(reversed(children))


def open_graph(tree: lxml_html.HtmlElement) -> dict[str, str]:
    """The first value of each OpenGraph (and article:) property, sanitised."""
    found: dict[str, str] = {}
    for meta in tree.iter("meta"):
        key = (meta.get("property") or meta.get("name") or "").strip().lower()
        if key.startswith(("og:", "article:", "video:")) and key not in found:
            found[key] = clean_line(meta.get("content"), limit=2_000)
    return found


_PUBLISHED_HINT = re.compile(r"publish|created|erschien|veröffentlicht", re.IGNORECASE)
_MODIFIED_HINT = re.compile(r"modif|update|aktualisiert|stand", re.IGNORECASE)


def page_times(tree: lxml_html.HtmlElement) -> tuple[datetime | None, datetime | None]:
    """Publication and modification times from <time datetime> elements.

    An element marked as modified (by itemprop or class) gives the second; the first
    other one with a full time gives the first.
    """
    published: datetime | None = None
    modified: datetime | None = None
    for element in tree.iter("time"):
        moment = _time(element.get("datetime"))
        if moment is None:
            continue
        hint = " ".join(filter(None, (element.get("itemprop"), element.get("class"))))
        parent = element.getparent()
        if parent is not None:
            hint += " " + (parent.get("class") or "")
        if modified is None and _MODIFIED_HINT.search(hint):
            modified = moment
        elif published is None and (_PUBLISHED_HINT.search(hint) or not hint.strip()):
            published = moment
        if published is not None and modified is not None:
            break
    return published, modified


def _types(node: dict[str, Any]) -> set[str]:
    value = node.get("@type")
    names = value if isinstance(value, list) else [value]
    return {name.rpartition("/")[2].lower() for name in names[:10] if isinstance(name, str)}


def _text(value: object) -> str:
    """A JSON-LD value as text: a string, or the name of an object."""
    if isinstance(value, list):
        value = value[0] if value else ""
    if isinstance(value, dict):
        value = value.get("name") or value.get("@value") or ""
    return value if isinstance(value, str) else ""


def _time(value: object) -> datetime | None:
    text = clean_line(_text(value), limit=60)
    if not text:
        return None
    moment = parse_timestamp(text.replace("Z", "+00:00"))
    if moment is not None and moment.tzinfo is None:
        return None  # a time with no offset cannot be placed; better unknown than wrong
    return moment


def day_of(value: str) -> date | None:
    """A date from ISO 8601 (time or day) or the German "27.03.2019"."""
    text = value.strip()
    if match := re.match(r"(\d{4})-(\d{2})-(\d{2})", text):
        parts = int(match[1]), int(match[2]), int(match[3])
    elif match := re.search(r"\b(\d{1,2})\.(\d{1,2})\.(\d{4})\b", text):
        parts = int(match[3]), int(match[2]), int(match[1])
    else:
        return None
    try:
        return date(*parts)
    except ValueError:
        return None


_ISO_DURATION = re.compile(
    r"^P(?:(\d{1,3})D)?(?:T(?:(\d{1,4})H)?(?:(\d{1,5})M)?(?:(\d{1,7})(?:[.,]\d{1,9})?S)?)?$",
    re.ASCII | re.IGNORECASE,
)


def iso_duration(value: str) -> int | None:
    """Seconds from an ISO 8601 duration (``PT2M52S``, ``P0DT1H``, ``PT52.5S``) or the
    forms ``extension.parse_duration`` reads."""
    text = value.strip()
    match = _ISO_DURATION.match(text)
    if match and any(match.groups()):
        days, hours, minutes, seconds = (int(part or 0) for part in match.groups())
        return ((days * 24 + hours) * 60 + minutes) * 60 + seconds
    return parse_duration(text) if len(text) <= 20 else None


def _media(node: dict[str, Any], kind: str, page_url: str) -> MediaItem | None:
    title = clean_line(_text(node.get("name")) or _text(node.get("headline")), limit=500)
    if not title:
        return None
    url = None
    for key in ("url", "contentUrl", "embedUrl"):
        raw = _text(node.get(key))
        if raw and (url := page_link(page_url, raw)):
            break
    duration = iso_duration(clean_line(_text(node.get("duration")), limit=40))
    return MediaItem(title=title, duration_seconds=duration, url=url, kind=kind)


def _unique_media(items: list[MediaItem]) -> tuple[MediaItem, ...]:
    """Items once each: the same address (or, without one, the same title and length)."""
    seen: set[object] = set()
    unique = []
    for item in items:
        key = item.url or (item.title, item.duration_seconds)
        if key not in seen:
            seen.add(key)
            unique.append(item)
    return tuple(unique)


def _broadcast(node: dict[str, Any]) -> ProgrammeSlot | None:
    station = clean_line(
        _text(node.get("publishedOn")) or _text(node.get("broadcastOfEvent")), limit=200
    )
    programme = clean_line(_text(node.get("workPerformed")) or _text(node.get("name")), limit=300)
    start = _time(node.get("startDate"))
    if not (station or programme):
        return None
    return ProgrammeSlot(station=station, programme=programme, start=start)
