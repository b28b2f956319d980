"""HTML to paragraph blocks, for showing feed bodies as plain terminal text.

The tokenizer is our own, deliberately small and linear: every construct ends at the
first place its terminator is found, and once a terminator does not occur any more the
rest of the input is read as text without searching again. The standard library's
``HTMLParser`` (Python 3.11) takes quadratic time on inputs such as "<a<a<a..." or
"<!--<!--..." and raises AssertionError on "<![<![...", so it is not used. Nothing
recurses, so HTML nested a hundred thousand levels deep costs time proportional to its
length. Every block leaves through the sanitiser, so control characters that appear only
after entity decoding are removed too.
"""

from __future__ import annotations

import html
import re

from newsreader.models import Block, BlockKind
from newsreader.text.sanitize import clean_line, clean_text

MAX_BLOCKS = 5_000

HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
BREAK_TAGS = frozenset(
    {
        "p",
        "div",
        "section",
        "article",
        "header",
        "footer",
        "aside",
        "figure",
        "figcaption",
        "table",
        "tr",
        "ul",
        "ol",
        "dl",
        "dt",
        "dd",
        "hr",
        "main",
        "nav",
        "form",
        "address",
        "details",
        "summary",
    }
)
_CONTAINERS = frozenset({"li", "blockquote", "pre"})
# Elements whose content is never shown. The raw-text ones end only at their own end tag.
RAW_SKIPPED_TAGS = frozenset({"script", "style", "title", "textarea", "xmp", "iframe", "noembed"})
SKIPPED_TAGS = frozenset({"template", "noscript", "head"})

_RAW_END = {name: re.compile(rf"</{name}\b", re.IGNORECASE) for name in RAW_SKIPPED_TAGS}
_TAG_NAME = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9:_.-]*)")
_TAG_STOP = re.compile(r""">|=\s*(["'])""")


class _BlockCollector:
    """Collects text into blocks, switching block kind at block-level tags."""

    def __init__(self, *, images: bool = False) -> None:
        self.images = images
        self.blocks: list[Block] = []
        self._buffer: list[str | None] = []  # None is a line break (<br>)
        self._heading_depth = 0
        self._quote_depth = 0
        self._pre_depth = 0
        self._list_item_depth = 0
        self._skip_depth = 0

    @property
    def full(self) -> bool:
        return len(self.blocks) >= MAX_BLOCKS

    def _kind(self) -> BlockKind:
        if self._pre_depth:
            return BlockKind.PREFORMATTED
        if self._heading_depth:
            return BlockKind.HEADING
        if self._list_item_depth:
            return BlockKind.LIST_ITEM
        if self._quote_depth:
            return BlockKind.QUOTE
        return BlockKind.PARAGRAPH

    def flush(self) -> None:
        pieces = self._buffer
        self._buffer = []
        if self.full or not pieces:
            return
        kind = self._kind()
        if kind is BlockKind.PREFORMATTED:
            raw = "".join("\n" if piece is None else piece for piece in pieces)
            text = clean_text(raw, keep_spaces=True)
        else:
            # Outside <pre> whitespace, line breaks in the source included, is insignificant:
            # only <br> (a None piece) starts a new line.
            lines = split_lines(pieces)
            cleaned = (clean_line(text, limit=len(text) + 1) for text in lines)
            text = clean_text("\n".join(text for text in cleaned if text))
        if text:
            self.blocks.append(Block(kind, text))

    def text(self, data: str, *, decoded: bool = False) -> None:
        """Text between tags; character references are decoded unless ``decoded``."""
        if not self._skip_depth and data:
            self._buffer.append(data if decoded else html.unescape(data))

    def start(self, tag: str, self_closing: bool) -> None:
        if tag == "body":
            self._skip_depth = 0  # a <head> left open ends where the body starts
            return
        if tag in SKIPPED_TAGS:
            if not self_closing:
                self._skip_depth += 1
            return
        if tag == "br":
            self._buffer.append(None)
            return
        if tag in HEADING_TAGS or tag in BREAK_TAGS or tag in _CONTAINERS:
            self.flush()
        if self_closing:
            return
        if tag in HEADING_TAGS:
            self._heading_depth += 1
        elif tag == "li":
            self._list_item_depth += 1
        elif tag == "blockquote":
            self._quote_depth += 1
        elif tag == "pre":
            self._pre_depth += 1
        elif tag in {"td", "th"}:
            self._buffer.append(" ")

    def end(self, tag: str) -> None:
        if tag in SKIPPED_TAGS:
            self._skip_depth = max(0, self._skip_depth - 1)
            return
        if tag == "br":  # "</br>" is read as "<br>" by browsers too
            self._buffer.append(None)
            return
        if tag in HEADING_TAGS or tag in BREAK_TAGS or tag in _CONTAINERS:
            self.flush()
        if tag in HEADING_TAGS:
            self._heading_depth = max(0, self._heading_depth - 1)
        elif tag == "li":
            self._list_item_depth = max(0, self._list_item_depth - 1)
        elif tag == "blockquote":
            self._quote_depth = max(0, self._quote_depth - 1)
        elif tag == "pre":
            self._pre_depth = max(0, self._pre_depth - 1)


class _Terminators:
    """``str.find`` that remembers misses: a terminator absent after one position is
    absent after every later one, so no search over the tail is ever repeated."""

    def __init__(self, source: str) -> None:
        self._source = source
        self._missing_after: dict[str, int] = {}

    def find(self, marker: str, pos: int) -> int:
        if pos >= self._missing_after.get(marker, len(self._source) + 1):
            return -1
        found = self._source.find(marker, pos)
        if found < 0:
            self._missing_after[marker] = pos
        return found


def _tokenize(source: str, collector: _BlockCollector) -> None:
    """Feed text and tags of ``source`` to ``collector`` in one left-to-right pass."""
    length = len(source)
    terminators = _Terminators(source)
    pos = 0
    while pos < length and not collector.full:
        lt = source.find("<", pos)
        if lt < 0:
            collector.text(source[pos:])
            return
        if lt > pos:
            collector.text(source[pos:lt])
        pos = lt
        following = source[lt + 1 : lt + 2]
        if source.startswith("<!--", lt):
            close = terminators.find("-->", lt + 4)
            pos = length if close < 0 else close + 3  # an unclosed comment runs to the end
        elif source.startswith("<![CDATA[", lt):
            close = terminators.find("]]>", lt + 9)
            end = length if close < 0 else close
            collector.text(source[lt + 9 : end], decoded=True)
            pos = length if close < 0 else close + 3
        elif following in ("!", "?") or (following == "/" and not _starts_name(source, lt + 2)):
            close = terminators.find(">", lt + 2)
            if close < 0:
                collector.text(source[lt:])  # never closed: more likely text than markup
                return
            pos = close + 1  # a bogus comment, as browsers read it
        elif _starts_name(source, lt + 2 if following == "/" else lt + 1):
            if terminators.find(">", lt) < 0:
                collector.text(source[lt:])  # an unfinished tag: the rest is text
                return
            pos = _tag(source, lt, collector, terminators)
        else:
            collector.text("<")
            pos = lt + 1


def _starts_name(source: str, pos: int) -> bool:
    return pos < len(source) and source[pos].isascii() and source[pos].isalpha()


def _tag(source: str, lt: int, collector: _BlockCollector, terminators: _Terminators) -> int:
    """Handle the tag at ``lt`` (a ">" is known to follow) and return where text resumes."""
    name_match = _TAG_NAME.match(source, lt)
    assert name_match is not None  # the caller saw a letter after "<" or "</"
    end = _tag_end(source, name_match.end(), terminators)
    closing, name = name_match.group(1), name_match.group(2).lower()
    name = name.rpartition(":")[2]  # namespaced XHTML: read "html:p" as "p"
    if closing:
        collector.end(name)
        return end
    self_closing = source[end - 2 : end] == "/>"
    if name in RAW_SKIPPED_TAGS and not self_closing:
        # The content is skipped up to the element's own end tag. Each search starts past
        # the previous one, so all of them together read the input once.
        found = _RAW_END[name].search(source, end)
        if found is None:
            return len(source)
        close = terminators.find(">", found.end())
        return len(source) if close < 0 else close + 1
    if name == "img" and collector.images:
        collector.text(f" {image_marker(source[name_match.end() : end])} ", decoded=True)
        return end
    collector.start(name, self_closing)
    return end


def _tag_end(source: str, pos: int, terminators: _Terminators) -> int:
    """The index just past the ">" that ends a tag whose attributes start at ``pos``.

    A quoted attribute value may hold ">". As in browsers, a value whose quote never
    closes swallows the rest of the input; nothing is ever searched twice.
    """
    while found := _TAG_STOP.search(source, pos):
        quote = found.group(1)
        if quote is None:
            return found.end()
        close = terminators.find(quote, found.end())
        if close < 0:
            return len(source)
        pos = close + 1
    return len(source)


def split_lines(pieces: list[str | None]) -> list[str]:
    """A block's text pieces as lines: a None piece is a <br> and starts a new one."""
    lines: list[str] = []
    line: list[str] = []
    for piece in pieces:
        if piece is None:
            lines.append("".join(line))
            line = []
        else:
            line.append(piece)
    lines.append("".join(line))
    return lines


def html_to_blocks(html_text: str, *, images: bool = True) -> tuple[Block, ...]:
    """Split an HTML fragment into sanitised paragraph-level blocks.

    With ``images``, an image stands in the text as "[image: alt]" (until images are drawn).
    """
    collector = _BlockCollector(images=images)
    _tokenize(html_text, collector)
    collector.flush()
    return tuple(collector.blocks)


def text_to_blocks(text: str) -> tuple[Block, ...]:
    """Plain text becomes one paragraph per blank-line-separated chunk."""
    chunks = clean_text(text).split("\n\n")
    return tuple(Block(BlockKind.PARAGRAPH, chunk) for chunk in chunks[:MAX_BLOCKS] if chunk)


def html_to_line(html_text: str) -> str:
    """An HTML fragment flattened to one clean line, for titles and teasers."""
    blocks = html_to_blocks(html_text, images=False)
    return clean_line(" ".join(block.text for block in blocks))


_ANCHOR = re.compile(
    r"""<a\b[^>]*?\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))[^>]*>(.{0,2000}?)</a\s*>""",
    re.IGNORECASE | re.DOTALL,
)
_TAG = re.compile(r"<[^>]*>")


def anchors(fragment: str) -> list[tuple[str, str]]:
    """The text and raw address of each ``<a href>`` in an HTML fragment, in order.

    The link text is bounded, so a page of unclosed anchors costs linear time. Addresses
    are returned as written: the caller resolves and checks them.
    """
    found = []
    for match in _ANCHOR.finditer(fragment):
        href = html.unescape(next(group for group in match.groups()[:3] if group is not None))
        text = html.unescape(_TAG.sub(" ", match.group(4)))
        found.append((" ".join(text.split()), href))
    return found


_IMAGE = re.compile(r"<img\b([^<>]{0,4000})>", re.IGNORECASE)
_ATTRIBUTE = re.compile(r"""([^\s"'<>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?""")


def attributes(text: str) -> dict[str, str]:
    """A tag's attributes (the text after its name), names lower-cased, values decoded.

    The first of a repeated attribute counts, as in browsers.
    """
    found: dict[str, str] = {}
    for match in _ATTRIBUTE.finditer(text):
        value = next((group for group in match.groups()[1:] if group is not None), "")
        found.setdefault(match.group(1).lower(), html.unescape(value))
    return found


def image_marker(attribute_text: str) -> str:
    """ "[image: alt]" for an <img> with these attributes, or "[image]" without alt text."""
    alt = clean_line(attributes(attribute_text).get("alt", ""), limit=200)
    return f"[image: {alt}]" if alt else "[image]"


def images(fragment: str) -> list[tuple[str, str]]:
    """The alt text and raw address of each ``<img src>`` in an HTML fragment, in order."""
    found = []
    for match in _IMAGE.finditer(fragment):
        values = attributes(match.group(1))
        if values.get("src"):
            found.append((values.get("alt", ""), values["src"]))
    return found
