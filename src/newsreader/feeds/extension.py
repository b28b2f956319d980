"""Reading newsreader's own feed extension (documented in ``feeds/README.md``).

feedparser keeps only the last of several unknown elements with the same name, so the
structured sidebar parts (related items, programme slots, media items) are read here, in
a second, small pass over the same bytes. The pass only runs when the document declares
our namespace, and refuses documents with a DTD, so no entity can be expanded or fetched.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass, field
from datetime import date, datetime

from newsreader.models import MediaItem, ProgrammeSlot, RelatedItem, SectionLabels
from newsreader.text.sanitize import clean_datetime, clean_line, link_url

NAMESPACE = "tag:newsreader,2026:feed-extension"
_NS = "{" + NAMESPACE + "}"
_ATOM = "{http://www.w3.org/2005/Atom}"
_ENTRY_TAGS = frozenset({f"{_ATOM}entry", "item", "{http://purl.org/rss/1.0/}item"})
_MAX_ITEMS = 50
_TEASER_LIMIT = 1_000


@dataclass(frozen=True)
class EntryExtension:
    """What our namespace adds to one entry."""

    kicker: str | None = None
    labels: SectionLabels = field(default_factory=SectionLabels)
    related: tuple[RelatedItem, ...] = ()
    programme: tuple[ProgrammeSlot, ...] = ()
    media: tuple[MediaItem, ...] = ()


def declares_extension(data: bytes) -> bool:
    return NAMESPACE.encode() in data


def read_extensions(data: bytes) -> list[EntryExtension] | None:
    """One EntryExtension per entry, in document order; None if the pass cannot run."""
    if not declares_extension(data) or b"<!DOCTYPE" in data.upper():
        return None
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError:
        return None
    return [_read_entry(element) for element in root.iter() if element.tag in _ENTRY_TAGS]


def _text(parent: ElementTree.Element, name: str, *, limit: int = 500) -> str:
    child = parent.find(_NS + name)
    if child is None:
        return ""
    return clean_line("".join(child.itertext()), limit=limit)


def _read_entry(entry: ElementTree.Element) -> EntryExtension:
    related_el = entry.find(_NS + "related")
    programme_el = entry.find(_NS + "programme")
    media_el = entry.find(_NS + "media")
    labels = SectionLabels(
        related=_label(related_el),
        programme=_label(programme_el),
        media=_label(media_el),
        stamp=_text(entry, "stamp-label", limit=80) or None,
    )
    return EntryExtension(
        kicker=_text(entry, "kicker", limit=200) or None,
        labels=labels,
        related=tuple(_related(item) for item in _items(related_el, "item")),
        programme=tuple(_slot(item) for item in _items(programme_el, "slot")),
        media=tuple(_media(item) for item in _items(media_el, "item")),
    )


def _label(section: ElementTree.Element | None) -> str | None:
    if section is None:
        return None
    return clean_line(section.get("label"), limit=120) or None


def _items(section: ElementTree.Element | None, name: str) -> list[ElementTree.Element]:
    if section is None:
        return []
    return section.findall(_NS + name)[:_MAX_ITEMS]


def _related(item: ElementTree.Element) -> RelatedItem:
    return RelatedItem(
        title=_text(item, "title"),
        teaser=_text(item, "teaser", limit=_TEASER_LIMIT),
        date=parse_day(_text(item, "date")),
        url=link_url(_text(item, "link")),
    )


def _slot(item: ElementTree.Element) -> ProgrammeSlot:
    return ProgrammeSlot(
        station=_text(item, "station"),
        programme=_text(item, "show"),
        start=parse_timestamp(_text(item, "start")),
    )


def _media(item: ElementTree.Element) -> MediaItem:
    return MediaItem(
        title=_text(item, "title"),
        duration_seconds=parse_duration(_text(item, "duration")),
        url=link_url(_text(item, "link")),
        kind=clean_line(item.get("kind"), limit=20) or "video",
    )


def parse_day(value: str) -> date | None:
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def parse_timestamp(value: str) -> datetime | None:
    """An ISO 8601 time, or None when it is missing, malformed or cannot be shown."""
    try:
        return clean_datetime(datetime.fromisoformat(value))
    except ValueError:
        return None


_CLOCK = re.compile(r"^(?:(\d{1,3}):)?(\d{1,2}):(\d{2})$", re.ASCII)
_ISO_DURATION = re.compile(r"^PT(?:(\d{1,3})H)?(?:(\d{1,4})M)?(?:(\d{1,6})S)?$", re.ASCII)


def parse_duration(value: str) -> int | None:
    """Seconds from "MM:SS", "HH:MM:SS", "PT2M52S" or a plain number of seconds.

    Only ASCII digits count: "²" is a digit to ``str.isdigit`` but not to ``int``.
    """
    value = value.strip()
    if value.isascii() and value.isdigit() and len(value) <= 7:
        return int(value)
    if match := _CLOCK.match(value):
        hours, minutes, seconds = (int(part or 0) for part in match.groups())
        return hours * 3600 + minutes * 60 + seconds
    if (match := _ISO_DURATION.match(value)) and any(match.groups()):
        hours, minutes, seconds = (int(part or 0) for part in match.groups())
        return hours * 3600 + minutes * 60 + seconds
    return None
