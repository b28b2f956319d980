"""feedparser's reading of the elements the fast path accepts, step by step.

Every function here does what feedparser (6.0, strict mode) does with an element, as far
as it matters for what ``ingest`` reads, or raises ``Refused`` where that is not certain.
feedparser's own code is called where it can be: its date parser, its HTML guess, its
content types and its author bookkeeping.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
from collections.abc import Callable
from typing import Any

from feedparser.datetimes import _parse_date
from feedparser.html import _cp1252
from feedparser.mixin import _FeedParserMixin
from feedparser.namespaces._base import Namespace
from feedparser.urls import _urljoin
from feedparser.util import FeedParserDict

from newsreader.feeds.extension import NAMESPACE as EXTENSION

ATOM = "{http://www.w3.org/2005/Atom}"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}"
DC = "{http://purl.org/dc/elements/1.1/}"
EXT = "{" + EXTENSION + "}"
ITUNES = "{http://www.itunes.com/dtds/podcast-1.0.dtd}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# RFC 822 as email.utils writes it, and ISO 8601 with seconds and an offset.
COMMON_DATE = re.compile(
    r"(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d\d (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)"
    r" \d{4} \d\d:\d\d:\d\d (?:[+-]\d{4}|GMT)"
    r"|\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,6})?(?:[+-]\d\d:\d\d|Z))\Z"
)
LATER = object()  # feedparser's parse of a date, left until it is needed
parse_date: Callable[[str], Any] = _parse_date

_TEXT_TYPES = frozenset({"text/plain", "text/html"})
_FEEDPARSER_HTML_TYPES: frozenset[str] = frozenset(_FeedParserMixin.html_types)
_C1 = re.compile("[\x80-\x9f]")
_C1_BYTES = bytes(range(0x80, 0xA0))
_QUERY_REFERENCE = re.compile("&([A-Za-z0-9_]+);")
_looks_like_html: Callable[[str], bool] = _FeedParserMixin.looks_like_html
_map_type: Callable[[str], str] = _FeedParserMixin.map_content_type


class Refused(Exception):
    """The document holds something the fast path does not vouch for."""


def repaired(value: str) -> str:
    """feedparser's last steps for every text value: UTF-8 read as Latin-1, windows-1252.

    Both leave ASCII as it is. Latin-1 text is checked for C1 characters in its bytes,
    which is quicker than reading it as a string.
    """
    if value.isascii():
        return value
    try:
        latin = value.encode("iso-8859-1")
    except UnicodeEncodeError:
        repaired = value  # beyond Latin-1: not UTF-8 in disguise
    else:
        try:
            repaired = latin.decode("utf-8")
        except UnicodeDecodeError:
            if len(latin.translate(None, _C1_BYTES)) == len(latin):
                return value  # the usual case
            repaired = value
    if not repaired.isprintable() and _C1.search(repaired):
        repaired = repaired.translate(_cp1252)
    return repaired


def resolved(uri: str) -> str:
    """feedparser's ``_urljoin("", uri)``: only slashes after "scheme://" go."""
    return _urljoin("", uri) if ":///" in uri else uri


def text_of(element: ElementTree.Element) -> str:
    """The text of an element that must hold nothing but text."""
    if len(element):
        raise Refused  # markup where feedparser expects text
    return element.text or ""


def uri_of(element: ElementTree.Element) -> str:
    """feedparser's value of an element that may hold a relative URI."""
    value = text_of(element).strip()
    return repaired(resolved(value))


def construct(element: ElementTree.Element, default: str, *, guess: bool) -> dict[str, str]:
    """A text construct (title, summary, content) as feedparser's details describe it."""
    given = element.get("type")
    kind = default if given is None else _map_type(given)
    value = text_of(element).strip()
    if kind not in _TEXT_TYPES:
        raise Refused
    # feedparser's guess needs a close tag or a reference, so most titles skip it.
    if (
        guess
        and kind == "text/plain"
        and ("&" in value or "</" in value)
        and _looks_like_html(value)
    ):
        kind = "text/html"
    return {"type": kind, "value": repaired(value)}


def date(element: ElementTree.Element) -> tuple[str, Any]:
    """The date's text and, unless it is in a common format, what feedparser parses from it.

    feedparser parses every date it meets, and an exception there would fail the whole
    feed. In the common formats ingest reads the text itself, and _parse_date is only
    needed (see ``fastparse._stamp``) when that fails; the tests check it never raises on them.
    """
    value = repaired(text_of(element).strip())
    if COMMON_DATE.match(value):
        return value, LATER
    try:
        return value, _parse_date(value)
    except Exception as error:  # feedparser would fail on the whole feed
        raise Refused from error


def checked(element: ElementTree.Element, *attributes: str) -> ElementTree.Element:
    """The element, if it carries no attribute but ``attributes`` and xml:lang."""
    for name in element.attrib:
        if name not in attributes and name != XML_LANG:
            raise Refused
    return element


def link(context: dict[str, Any], element: ElementTree.Element, *, entry: bool) -> None:
    """feedparser's ``_start_link`` and, for a link given as text, its ``pop``."""
    if len(checked(element, "href", "rel", "type", "hreflang", "title", "length")):
        raise Refused
    attrs = {name: value for name, value in element.items() if name != XML_LANG}
    for name in ("rel", "type"):
        if name in attrs:
            attrs[name] = attrs[name].lower()
    rel = attrs.setdefault("rel", "alternate")
    attrs.setdefault("type", "application/atom+xml" if rel == "self" else "text/html")
    links = context.setdefault("links", [])
    links.append(attrs)
    if "href" in attrs:
        attrs["href"] = href = resolved(attrs["href"])
        if rel == "alternate" and _map_type(attrs["type"]) in _FEEDPARSER_HTML_TYPES:
            context["link"] = href
        return
    value = uri_of(element)
    if "&" in value:  # feedparser's repair of "?a=1&b;=2" style query strings
        if entry:
            value = value.replace("&amp;", "&")
        value = _QUERY_REFERENCE.sub(r"&\g<1>", value)
    context["link"] = value
    if value:
        attrs["href"] = value


def enclosure(context: dict[str, Any], element: ElementTree.Element) -> None:
    """feedparser's ``_start_enclosure``: one more link, rel "enclosure", "url" as "href"."""
    text_of(checked(element, "url", "length", "type"))
    attrs = {name: value for name, value in element.items() if name != XML_LANG}
    if "type" in attrs:
        attrs["type"] = attrs["type"].lower()
    if attrs.get("url"):
        attrs["href"] = attrs.pop("url")
    attrs["rel"] = "enclosure"
    context.setdefault("links", []).append(attrs)


def guid(context: dict[str, Any], element: ElementTree.Element, permalink: bool) -> None:
    """feedparser's ``_end_guid``: the id, and the link it stands for when none came first."""
    value = text_of(element).strip()
    value = repaired(resolved(value) if permalink else value)
    context["id"] = value
    context.setdefault("guidislink", permalink and "link" not in context)
    if permalink:
        context.setdefault("link", value)


class _AuthorState:
    """Just enough of feedparser's parser for its own author bookkeeping, run on our entry.

    feedparser derives an entry's author from every author element in turn, carrying
    details from one to the next; its methods do that here exactly as they do there.
    """

    def __init__(self, context: dict[str, Any]) -> None:
        self._context = context

    def _get_context(self) -> dict[str, Any]:
        return self._context

    _sync_author_detail = _FeedParserMixin._sync_author_detail
    _save_author = _FeedParserMixin._save_author


def author(context: dict[str, Any], element: ElementTree.Element, *, atom: bool) -> None:
    """feedparser's ``_start_author`` ... ``_end_author`` for an author element."""
    state = _AuthorState(context)
    context.setdefault("authors", []).append(FeedParserDict())
    if atom:
        if (element.text or "").strip() or any((child.tail or "").strip() for child in element):
            raise Refused
        for child in checked(element):
            tag = child.tag[len(ATOM) :] if child.tag.startswith(ATOM) else ""
            if tag in ("name", "email"):
                state._save_author(tag, text_of(checked(child)).strip())
            elif tag == "uri":
                state._save_author("href", uri_of(checked(child)))
            else:
                raise Refused
        context["author"] = ""
    else:
        context["author"] = repaired(text_of(checked(element)).strip())
    state._sync_author_detail()


class _TagState:
    """Just enough of feedparser's parser for its own category handling, on our entry.

    A category's attributes and its text both make tags, and text fills in the term of
    the last tag when that has none; feedparser's methods do that here as they do there.
    """

    def __init__(self, context: dict[str, Any], text: str) -> None:
        self._context = context
        self._text = text

    def _get_context(self) -> dict[str, Any]:
        return self._context

    def push(self, element: str, expecting_text: int) -> None:
        pass

    def pop(self, element: str) -> str:
        return self._text

    _add_tag = _FeedParserMixin._add_tag
    _start_category = Namespace._start_category
    _end_category = Namespace._end_category


def category(context: dict[str, Any], element: ElementTree.Element, *attributes: str) -> None:
    """feedparser's ``_start_category`` and ``_end_category`` (also for dc:subject)."""
    text = repaired(text_of(checked(element, *attributes)).strip())
    attrs = {name: value for name, value in element.items() if name != XML_LANG}
    state = _TagState(context, text)
    state._start_category(attrs)
    state._end_category()


def person(element: ElementTree.Element) -> None:
    """An Atom person that changes nothing ingest reads (a contributor, a feed's author)."""
    author({}, element, atom=True)


def extension(element: ElementTree.Element) -> None:
    """Our own elements: feedparser ignores them if none of their kin is anything else."""
    for node in element.iter():
        if not node.tag.startswith(EXT) or any(name in ("base", "lang") for name in node.attrib):
            raise Refused
        if any(name.startswith("{") for name in node.attrib):
            raise Refused


def ignored(element: ElementTree.Element, *attributes: str) -> None:
    """An element feedparser keeps somewhere ingest never looks."""
    text_of(checked(element, *attributes))


def content(
    entry: dict[str, Any],
    element: ElementTree.Element,
    default: str,
    chain: tuple[ElementTree.Element, ...],
) -> None:
    """feedparser's ``_start_content`` to ``_end_content``: one more content, a summary."""
    detail: dict[str, Any] = construct(element, default, guess=False)
    lang = language_of(*chain)
    detail["language"] = lang.replace("_", "-") if lang else None
    entry.setdefault("content", []).append(detail)
    entry.setdefault("summary", detail["value"])


def language_of(*chain: ElementTree.Element) -> str | None:
    """The xml:lang in force on the last element of ``chain``, "" cancelling inheritance."""
    lang: str | None = None
    for element in chain:
        value = element.get(XML_LANG)
        if value is not None:
            lang = value or None
    return lang
