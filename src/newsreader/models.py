"""Plain data that every layer shares. Nothing here knows about storage or the UI."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum


class BlockKind(StrEnum):
    """The few shapes of body text a terminal can show well."""

    PARAGRAPH = "paragraph"
    HEADING = "heading"
    QUOTE = "quote"
    LIST_ITEM = "list_item"
    PREFORMATTED = "preformatted"


@dataclass(frozen=True, slots=True)
class Block:
    """One paragraph-level piece of an article body, already sanitised."""

    kind: BlockKind
    text: str


@dataclass(frozen=True, slots=True)
class ImageRef:
    """A picture of the article: an http(s) address and its words, already sanitised.

    ``position`` is the number of body blocks before it (0: above the body); ``lead`` marks
    the picture the story leads with (a thumbnail, an image enclosure or ``og:image``).
    """

    url: str
    alt: str = ""
    caption: str = ""
    title: str = ""
    position: int = 0
    lead: bool = False


@dataclass(frozen=True, slots=True)
class Link:
    """A link in an article's body: its text and an http(s) address (``sanitize.link_url``)."""

    text: str
    url: str


@dataclass(frozen=True, slots=True)
class SectionLabels:
    """The sidebar headings, in the words the source itself uses.

    ``None`` means the feed gave no label and the UI picks its own.
    """

    related: str | None = None
    programme: str | None = None
    media: str | None = None
    stamp: str | None = None


@dataclass(frozen=True, slots=True)
class RelatedItem:
    """Another story the source points to; often only its teaser is known."""

    title: str
    teaser: str = ""
    date: date | None = None
    url: str | None = None
    article_id: int | None = None
    # Set on items the store computed as similar (not named by the source): the stored
    # article's feed, so the sidebar can say where the story comes from.
    feed_title: str | None = None
    computed: bool = False
    # A computed item's time: its story's last update, else publication.
    published: datetime | None = None


@dataclass(frozen=True, slots=True)
class ProgrammeSlot:
    """A broadcast on the story's topic: station, programme and start time."""

    station: str
    programme: str
    start: datetime | None


@dataclass(frozen=True, slots=True)
class MediaItem:
    """An audio or video item offered alongside the story."""

    title: str
    duration_seconds: int | None = None
    url: str | None = None
    kind: str = "video"
    # What an enclosure declares about its file: the media type and the size in bytes.
    mime_type: str | None = None
    length: int | None = None


@dataclass(frozen=True, slots=True)
class PageArticle:
    """What an article's web page gave: its text and the sidebar material around it."""

    url: str
    blocks: tuple[Block, ...]
    links: tuple[Link, ...] = ()
    title: str = ""
    published: datetime | None = None
    modified: datetime | None = None
    related: tuple[RelatedItem, ...] = ()
    programme: tuple[ProgrammeSlot, ...] = ()
    media: tuple[MediaItem, ...] = ()
    labels: SectionLabels = field(default_factory=SectionLabels)


@dataclass(frozen=True, slots=True)
class PageSource:
    """An article whose body came from its web page: where, when, and the feed's own text.

    ``error`` is set instead when the page was tried and gave nothing; then the body is
    the feed's, and the page is not fetched again unless the reader asks.
    """

    url: str
    fetched_at: datetime
    error: str | None = None
    feed_blocks: tuple[Block, ...] = ()
    feed_links: tuple[Link, ...] = ()

    @property
    def has_text(self) -> bool:
        return self.error is None


@dataclass(frozen=True, slots=True)
class Feed:
    """A subscription. ``source`` is the URL or local path it is read from."""

    source: str
    title: str
    id: int | None = None
    link: str | None = None
    language: str | None = None
    # Where it lives: the sync account it comes from (None: fetched from its site here)
    # and the group (category) the server files it under.
    account: str | None = None
    group: str | None = None
    hidden: bool = False  # kept out of the feed list (newsboat's "!" tag)


@dataclass(frozen=True, slots=True)
class Article:
    """One story with everything the article view and the sidebar show."""

    guid: str
    title: str
    teaser: str = ""
    blocks: tuple[Block, ...] = ()
    kicker: str | None = None
    url: str | None = None
    author: str | None = None
    language: str | None = None
    published: datetime | None = None
    updated: datetime | None = None
    related: tuple[RelatedItem, ...] = ()
    programme: tuple[ProgrammeSlot, ...] = ()
    media: tuple[MediaItem, ...] = ()
    labels: SectionLabels = field(default_factory=SectionLabels)
    links: tuple[Link, ...] = ()
    tags: tuple[str, ...] = ()  # the feed's categories for the story, sanitised
    images: tuple[ImageRef, ...] = ()
    id: int | None = None
    feed_id: int | None = None
    feed_title: str | None = None
    read: bool = False
    starred: bool = False
    # Titles of the other feeds that carry the same story (same link, or the same title
    # and nearly the same text).
    also_in: tuple[str, ...] = ()
    # When the store first saw it: the time it is listed by if it has no date of its own.
    first_seen: datetime | None = None
    # Set once the article's web page was fetched for it (see ``PageSource``).
    page: PageSource | None = None

    @property
    def body_source(self) -> str:
        """Where ``blocks`` came from: "page" (the web page) or "feed"."""
        return "page" if self.page is not None and self.page.has_text else "feed"

    @property
    def body(self) -> str:
        """The body as plain text, paragraphs separated by blank lines."""
        return "\n\n".join(block.text for block in self.blocks)

    @property
    def subheadings(self) -> list[str]:
        return [block.text for block in self.blocks if block.kind is BlockKind.HEADING]

    @property
    def stamp(self) -> datetime | None:
        """The time a reader cares about: the last update, else publication."""
        return self.updated or self.published


@dataclass(frozen=True, slots=True)
class ArticleSummary:
    """What a list row needs, without the body."""

    id: int
    feed_id: int
    feed_title: str
    title: str
    published: datetime | None
    read: bool = False
    starred: bool = False
    also_in: tuple[str, ...] = ()  # the other feeds carrying the same story
    # True if the article has no date of its own: ``published`` is when it was first seen.
    first_seen: bool = False


@dataclass(frozen=True, slots=True)
class FeedSummary:
    """A feed with the counts shown beside it."""

    feed: Feed
    article_count: int
    unread_count: int


@dataclass(frozen=True, slots=True)
class SavedSearch:
    """A query kept under a name, listed as a live view with its current counts."""

    name: str
    query: str
    total: int = 0
    unread: int = 0


@dataclass(frozen=True, slots=True)
class SearchHit:
    """A search result. ``snippet`` marks matches with HIGHLIGHT_START/END.

    A hit on a related item names the article that lists it and the item's position
    there; ``related_position`` is None for a hit on an article itself.
    """

    article_id: int
    title: str
    feed_title: str
    published: datetime | date | None
    snippet: str
    related_position: int | None = None


# Markers for matched words inside snippets. They are control characters, which the
# sanitiser removes from every stored string, so feed text can never contain them.
HIGHLIGHT_START = "\x02"
HIGHLIGHT_END = "\x03"
