"""OPML import and export: subscriptions in and out, folders included.

An OPML file is untrusted input. It is parsed with expat directly so that a DOCTYPE or an
entity declaration stops the parse (no entity expansion, no external fetches), its size
and outline count are bounded, and only http(s) ``xmlUrl`` values become subscriptions:
anything else (``file:``, ``javascript:``, newsboat's ``|command`` and ``filtercmd``) is
ignored and reported, never opened or run. Importing subscribes only; fetching is
``refresh``'s job.
"""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime
from xml.parsers import expat

from newsreader.feeds import fetchstate
from newsreader.feeds.fetchstate import Folder, clean_folder
from newsreader.models import Feed
from newsreader.store.database import Store
from newsreader.text.sanitize import clean_line, openable_url

MAX_OPML_BYTES = 8 * 1024 * 1024
MAX_OUTLINES = 20_000
MAX_DEPTH = 64
TITLE_LIMIT = 200
EXPORT_TITLE = "newsreader subscriptions"


class OpmlError(Exception):
    """An OPML file that cannot be imported. The message is one sanitised line."""

    def __init__(self, message: str) -> None:
        super().__init__(clean_line(message, limit=300))


@dataclass(frozen=True, slots=True)
class OpmlEntry:
    """A feed the OPML file lists: an http(s) URL, a title and its folder path."""

    url: str
    title: str
    folder: Folder = ()


@dataclass(frozen=True, slots=True)
class IgnoredOutline:
    """An outline that was not imported, and why (all sanitised)."""

    title: str
    url: str
    reason: str


@dataclass(frozen=True, slots=True)
class OpmlDocument:
    title: str
    entries: tuple[OpmlEntry, ...]
    ignored: tuple[IgnoredOutline, ...]


@dataclass(frozen=True, slots=True)
class OpmlImport:
    """What an import did: every listed feed now subscribed, how many were new, what was not."""

    feeds: list[Feed]
    added: int
    ignored: tuple[IgnoredOutline, ...]
    # Feeds subscribed before that the file put in another folder: (feed, from, to).
    moved: tuple[tuple[Feed, Folder, Folder], ...] = ()


class _Refused(Exception):
    """Raised inside expat handlers to stop the parse."""


def _attribute(attributes: Mapping[str, str], name: str) -> str:
    """An attribute by name, whatever its case (``xmlUrl``, ``xmlurl``...)."""
    wanted = name.lower()
    for key, value in attributes.items():
        if key.lower() == wanted:
            return value
    return ""


class _Reader:
    """Turns expat events into entries; tracks folders as a stack of outline frames."""

    def __init__(self) -> None:
        self.elements: list[str] = []
        self.folders: list[str | None] = []  # per open outline: its folder name, or None
        self.entries: list[OpmlEntry] = []
        self.ignored: list[IgnoredOutline] = []
        self.seen: set[str] = set()
        self.outlines = 0
        self.title_parts: list[str] = []
        self.has_body = False

    def start(self, name: str, attributes: dict[str, str]) -> None:
        if not self.elements and name != "opml":
            raise _Refused("not an OPML file (the root element is not <opml>)")
        self.elements.append(name)
        if len(self.elements) > MAX_DEPTH:
            raise _Refused(f"nested deeper than {MAX_DEPTH} levels")
        if name == "body" and self.elements[:-1] == ["opml"]:
            self.has_body = True
        if name != "outline" or "body" not in self.elements:
            return
        self.outlines += 1
        if self.outlines > MAX_OUTLINES:
            raise _Refused(f"more than {MAX_OUTLINES} outlines")
        title = clean_line(
            _attribute(attributes, "text") or _attribute(attributes, "title"), limit=TITLE_LIMIT
        )
        raw_url = _attribute(attributes, "xmlUrl")
        if not raw_url:
            self.folders.append(title)  # a folder, if anything is inside it
            return
        self.folders.append(None)
        url = openable_url(raw_url)
        if url is None:
            self.ignored.append(
                IgnoredOutline(
                    title=title,
                    url=clean_line(raw_url, limit=TITLE_LIMIT),
                    reason="only http and https feeds can be imported",
                )
            )
            return
        if url in self.seen:
            return
        self.seen.add(url)
        folder = clean_folder([name for name in self.folders if name])
        self.entries.append(OpmlEntry(url=url, title=title or url, folder=folder))

    def end(self, name: str) -> None:
        self.elements.pop()
        if name == "outline" and "body" in self.elements:
            self.folders.pop()

    def text(self, data: str) -> None:
        if self.elements[-2:] == ["head", "title"] and sum(map(len, self.title_parts)) < 1_000:
            self.title_parts.append(data)


def _refuse(*_: object) -> int:
    raise _Refused("DOCTYPE and entity declarations are not allowed in OPML")


def parse_opml(data: bytes) -> OpmlDocument:
    """Read an OPML file without touching the store. Raises OpmlError."""
    if len(data) > MAX_OPML_BYTES:
        raise OpmlError(f"the OPML file is larger than {MAX_OPML_BYTES // (1024 * 1024)} MiB")
    reader = _Reader()
    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartDoctypeDeclHandler = _refuse
    parser.EntityDeclHandler = _refuse
    parser.UnparsedEntityDeclHandler = _refuse
    parser.ExternalEntityRefHandler = _refuse
    parser.StartElementHandler = reader.start
    parser.EndElementHandler = reader.end
    parser.CharacterDataHandler = reader.text
    try:
        parser.Parse(data, True)
    except _Refused as error:
        raise OpmlError(str(error)) from None
    except expat.ExpatError as error:
        reason = expat.ErrorString(error.code) or "invalid XML"
        raise OpmlError(f"not well-formed XML: {reason} (line {error.lineno})") from None
    if not reader.has_body:
        raise OpmlError("the OPML file has no <body>")
    return OpmlDocument(
        title=clean_line("".join(reader.title_parts), limit=TITLE_LIMIT),
        entries=tuple(reader.entries),
        ignored=tuple(reader.ignored),
    )


def import_opml(store: Store, data: bytes) -> OpmlImport:
    """Subscribe to every http(s) feed in an OPML file and file it in its folder.

    Nothing is fetched. A feed already subscribed keeps its title; its folder follows the
    file when the file names one. Raises OpmlError for a file that is not safe OPML.
    """
    document = parse_opml(data)
    known = {summary.feed.source: summary.feed for summary in store.feeds()}
    current = fetchstate.folders(store)
    feeds: list[Feed] = []
    moved: list[tuple[Feed, Folder, Folder]] = []
    added = 0
    for entry in document.entries:
        feed = known.get(entry.url)
        if feed is None:
            feed = store.add_feed(Feed(source=entry.url, title=entry.title))
            added += 1
        assert feed.id is not None
        before = current.get(feed.id, ())
        if entry.folder and before != entry.folder:
            fetchstate.set_folder(store, feed.id, entry.folder)
            if entry.url in known:
                moved.append((feed, before, entry.folder))
        feeds.append(feed)
    return OpmlImport(feeds=feeds, added=added, ignored=document.ignored, moved=tuple(moved))


def _xml_text(value: str) -> str:
    """Sanitised text that XML 1.0 can carry (clean_line leaves U+FFFE and U+FFFF)."""
    return clean_line(value, limit=TITLE_LIMIT).replace("\ufffe", "").replace("\uffff", "")


def export_opml(store: Store) -> bytes:
    """Every http(s) subscription as OPML 2.0, folders as nested outlines.

    Local files and the bundled feed are left out: another reader could not open them.
    """
    root = ElementTree.Element("opml", version="2.0")
    head = ElementTree.SubElement(root, "head")
    ElementTree.SubElement(head, "title").text = EXPORT_TITLE
    ElementTree.SubElement(head, "dateCreated").text = format_datetime(
        datetime.now(UTC), usegmt=True
    )
    body = ElementTree.SubElement(root, "body")
    folder_of = fetchstate.folders(store)
    parents: dict[Folder, ElementTree.Element] = {(): body}

    def parent(folder: Folder) -> ElementTree.Element:
        if folder not in parents:
            outer = parent(folder[:-1])
            name = _xml_text(folder[-1])
            parents[folder] = ElementTree.SubElement(outer, "outline", text=name, title=name)
        return parents[folder]

    # Feeds before subfolders at each level, each sorted by title.
    feeds = sorted(
        (summary.feed for summary in store.feeds()),
        key=lambda feed: (folder_of.get(feed.id or 0, ()), feed.title.casefold()),
    )
    for feed in feeds:
        url = openable_url(feed.source)
        if url is None or feed.id is None:
            continue
        title = _xml_text(feed.title) or url
        attributes = {"type": "rss", "text": title, "title": title, "xmlUrl": url}
        link = openable_url(feed.link)
        if link:
            attributes["htmlUrl"] = link
        folder = tuple(_xml_text(name) for name in folder_of.get(feed.id, ()))
        ElementTree.SubElement(
            parent(tuple(name for name in folder if name)), "outline", attributes
        )
    ElementTree.indent(root)
    document: bytes = ElementTree.tostring(root, encoding="utf-8", xml_declaration=True)
    return document + b"\n"
