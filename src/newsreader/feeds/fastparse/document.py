"""Whether a whole document may take the fast path, and its element tree if so."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree

from newsreader.feeds.entries import MAX_ENTRIES, MAX_FEED_BYTES
from newsreader.feeds.extension import NAMESPACE as EXTENSION
from newsreader.feeds.xmlguard import CHARREF, ENTRY_START, MAX_MARKUP, fix_charref

# The only XML declarations read here: version 1.0, UTF-8 if an encoding is named.
_DECLARATION = re.compile(
    rb"""<\?xml\s+version\s*=\s*(["'])1\.0\1(?:\s+encoding\s*=\s*(["'])(?i:utf-8)\2)?"""
    rb"""(?:\s+standalone\s*=\s*(["'])(?:yes|no)\3)?\s*\?>"""
)
# Markup declarations other than comments and CDATA sections.
_DECLARATIONS = re.compile(r"<!(?!--|\[CDATA\[)")
_REFERENCE_START = re.compile("&#")  # a regular expression finds it faster than str.find
# Declaring these makes feedparser take an Atom document for RSS 1.0 or 0.90.
_VERSION_NAMESPACES = frozenset(
    {"http://purl.org/rss/1.0/", "http://my.netscape.com/rdf/simple/0.9/"}
)
# feedparser looks up handlers by the prefix of an unknown namespace ("media:title" would
# be a title), so our own namespace is only read under prefixes that have none.
_EXTENSION_PREFIXES = frozenset({"nr", "newsreader"})


def defused_as_is(data: bytes) -> bool:
    """True if ``xmlguard.defuse`` would hand feedparser this very text, cutting nothing.

    The guard decodes, drops control characters (expat refuses those anyway), rewrites
    some character references, rebuilds the DOCTYPE and cuts entries beyond the limit.
    """
    if len(data) > MAX_FEED_BYTES or b"\0" in data:
        return False  # too big, or a wide encoding that only looks like UTF-8 with NULs
    if len(data) >= MAX_MARKUP and data.count(b"<") >= MAX_MARKUP:
        return False  # more markup than the guard allows
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if data.startswith(b"<?xml") and data[5:6].isspace() and not _DECLARATION.match(data):
        return False  # another version or encoding: let the full path decide
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    if _DECLARATIONS.search(text):
        return False  # a DOCTYPE, an entity declaration or other DTD markup
    for found in _REFERENCE_START.finditer(text):
        reference = CHARREF.match(text, found.start())
        if reference and fix_charref(reference) != reference.group():
            return False  # the guard would rewrite this character reference
    return len(ENTRY_START.findall(text)) <= MAX_ENTRIES


def parse_xml(data: bytes) -> ElementTree.Element | None:
    """The element tree, if expat finds the document well-formed and its namespaces safe.

    expat is the parser feedparser's strict mode uses too, so control characters,
    undefined entities and broken markup make it fail here exactly as there. No DOCTYPE
    reaches it (see ``defused_as_is``), so no entity can be declared or fetched.
    """
    parser: ElementTree.XMLPullParser[ElementTree.Element] = ElementTree.XMLPullParser(
        events=("start-ns", "start")
    )
    try:
        parser.feed(data)
        parser.close()
    except (ElementTree.ParseError, LookupError, ValueError):
        return None  # expat refuses it, or it declares an encoding expat cannot read
    root: ElementTree.Element | None = None
    prefixes: dict[str, str] = {}
    for event in parser.read_events():
        value = event[-1]
        if isinstance(value, ElementTree.Element):
            root = value if root is None else root
            continue
        if not isinstance(value, tuple):
            return None
        prefix, uri = value
        if prefixes.setdefault(prefix.lower(), uri) != uri or uri.lower() in _VERSION_NAMESPACES:
            return None
        if uri == EXTENSION and prefix not in _EXTENSION_PREFIXES:
            return None
    return root
