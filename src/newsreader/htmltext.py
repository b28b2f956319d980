"""HTML to paragraph blocks, for showing feed bodies as plain terminal text.

The parser is the standard library's event-driven ``HTMLParser``: it never recurses, so
HTML nested a hundred thousand levels deep costs time proportional to its length and
nothing more. Every block leaves through the sanitiser, so control characters that
appear only after entity decoding are removed too.
"""

from __future__ import annotations

from html.parser import HTMLParser

from newsreader.models import Block, BlockKind
from newsreader.sanitize import clean_line, clean_text

MAX_BLOCKS = 5_000

_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_BREAKS = frozenset(
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
    }
)
_SKIPPED = frozenset({"script", "style", "template", "noscript", "head", "title"})
_VOID = frozenset({"br", "hr", "img", "input", "meta", "link", "wbr", "source", "col"})


class _BlockCollector(HTMLParser):
    """Collects text into blocks, switching block kind at block-level tags."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self._buffer: list[str] = []
        self._heading_depth = 0
        self._quote_depth = 0
        self._pre_depth = 0
        self._list_item_depth = 0
        self._skip_depth = 0

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
        raw = "".join(self._buffer)
        self._buffer.clear()
        if len(self.blocks) >= MAX_BLOCKS:
            return
        kind = self._kind()
        if kind is BlockKind.PREFORMATTED:
            text = clean_text(raw)
        else:
            # Outside <pre>, HTML whitespace is insignificant; <br> arrives as "\n".
            lines = (clean_line(line, limit=len(line) + 1) for line in raw.split("\n"))
            text = clean_text("\n".join(line for line in lines if line))
        if text:
            self.blocks.append(Block(kind, text))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED:
            self._skip_depth += 1
            return
        if tag == "br":
            self._buffer.append("\n")
            return
        if tag in _HEADINGS or tag in _BREAKS or tag in {"li", "blockquote", "pre"}:
            self.flush()
        if tag in _HEADINGS:
            self._heading_depth += 1
        elif tag == "li":
            self._list_item_depth += 1
        elif tag == "blockquote":
            self._quote_depth += 1
        elif tag == "pre":
            self._pre_depth += 1
        elif tag in {"td", "th"}:
            self._buffer.append(" ")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self._buffer.append("\n")
        elif tag in _BREAKS:
            self.flush()

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED:
            self._skip_depth = max(0, self._skip_depth - 1)
            return
        if tag in _VOID:
            return
        if tag in _HEADINGS or tag in _BREAKS or tag in {"li", "blockquote", "pre"}:
            self.flush()
        if tag in _HEADINGS:
            self._heading_depth = max(0, self._heading_depth - 1)
        elif tag == "li":
            self._list_item_depth = max(0, self._list_item_depth - 1)
        elif tag == "blockquote":
            self._quote_depth = max(0, self._quote_depth - 1)
        elif tag == "pre":
            self._pre_depth = max(0, self._pre_depth - 1)

    def handle_data(self, data: str) -> None:
        if not self._skip_depth:
            self._buffer.append(data)


def html_to_blocks(html: str) -> tuple[Block, ...]:
    """Split an HTML fragment into sanitised paragraph-level blocks."""
    collector = _BlockCollector()
    collector.feed(html)
    collector.close()
    collector.flush()
    return tuple(collector.blocks)


def text_to_blocks(text: str) -> tuple[Block, ...]:
    """Plain text becomes one paragraph per blank-line-separated chunk."""
    chunks = clean_text(text).split("\n\n")
    return tuple(Block(BlockKind.PARAGRAPH, chunk) for chunk in chunks[:MAX_BLOCKS] if chunk)


def html_to_line(html: str) -> str:
    """An HTML fragment flattened to one clean line, for titles and teasers."""
    return clean_line(" ".join(block.text for block in html_to_blocks(html)))
