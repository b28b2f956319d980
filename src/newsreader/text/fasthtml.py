"""HTML to paragraph blocks exactly as ``htmltext`` makes them, several times faster.

Most feed bodies are simple HTML: every "<" starts a tag, no comment, no script. For those,
one ``re.split`` finds all tags at C speed, a short loop looks only at the tag names that
start or end a block, and text is sanitised with ``newsreader.text.sanitize`` only when it
holds a character the sanitiser changes; otherwise collapsing whitespace is all the
sanitiser would do. Any other body is handed to ``htmltext`` itself, so its reading of
broken markup stays the one reading there is. Tests compare both modules on the feed
corpora and on generated HTML.
"""

from __future__ import annotations

import html
import re

from newsreader.models import Block, BlockKind
from newsreader.text import htmltext
from newsreader.text.htmltext import (
    BREAK_TAGS,
    HEADING_TAGS,
    MAX_BLOCKS,
    RAW_SKIPPED_TAGS,
    SKIPPED_TAGS,
    text_to_blocks,
)
from newsreader.text.marks import has_mark_run
from newsreader.text.sanitize import LINE_TABLE, MAX_LINE_LENGTH, clean_line, clean_text

__all__ = ["fast_clean_line", "html_to_blocks", "html_to_line", "text_to_blocks"]

# Elements whose content htmltext skips: the lane leaves them to it, and <body> as well.
_SKIPPING = RAW_SKIPPED_TAGS | SKIPPED_TAGS | {"body"}
# What each tag that does something does; all others are inline and change nothing.
# The first four count depths, in the order htmltext ranks the kinds of block.
_PRE, _HEADING, _ITEM, _QUOTE, _BREAK, _LINE, _CELL, _SKIP = range(8)
_ACTIONS = (
    dict.fromkeys(BREAK_TAGS, _BREAK)
    | dict.fromkeys(HEADING_TAGS, _HEADING)
    | {"li": _ITEM, "blockquote": _QUOTE, "pre": _PRE, "br": _LINE, "td": _CELL, "th": _CELL}
    | dict.fromkeys(_SKIPPING, _SKIP)
)

# A tag whose end htmltext finds where this expression ends it: a quote opens a value only
# after "=" (and spaces), a value holds no "<" and is closed, and no "<" comes before ">".
_SIMPLE_TAG = re.compile(
    r"""<(/?)([A-Za-z][A-Za-z0-9:_.-]*)((?:[^<>=]|=(?!\s*["'])|=\s*"[^"<]*"|=\s*'[^'<]*')*)>"""
)


def _char_class(codes: list[int]) -> str:
    """A regular-expression class matching exactly the given code points."""
    ranges: list[tuple[int, int]] = []
    for code in sorted(codes):
        if ranges and code == ranges[-1][1] + 1:
            ranges[-1] = (ranges[-1][0], code)
        else:
            ranges.append((code, code))
    parts = (
        f"\\U{low:08x}" if low == high else f"\\U{low:08x}-\\U{high:08x}" for low, high in ranges
    )
    return "[" + "".join(parts) + "]"


# The characters a line loses or has replaced when the sanitiser cleans it. Those it turns
# into a space are whitespace to str.split() as well, so in text without any of the others
# " ".join(text.split()) is exactly what clean_line returns (below its length limit).
_REMOVED_CODES = [
    code for code, to in LINE_TABLE.items() if not (to == " " and chr(code).isspace())
]
_REMOVED = re.compile(_char_class(_REMOVED_CODES))
# The few of them that str.isprintable() accepts (a combining mark and Hangul fillers).
_PRINTABLE_REMOVED = tuple(chr(code) for code in sorted(_REMOVED_CODES) if chr(code).isprintable())


def _untouched(text: str, printable: bool | None = None) -> bool:
    """True if the sanitiser's table changes nothing in ``text`` but whitespace.

    ``isprintable`` and ``isascii`` run at C speed; the regular expression only reads text
    with line breaks, tabs or other characters that are not printable. ``printable`` is
    ``text.isprintable()`` when the caller knows it already.
    """
    if not (text.isprintable() if printable is None else printable):
        if _REMOVED.search(text) is not None:
            return False
    elif not text.isascii():
        for char in _PRINTABLE_REMOVED:
            if char in text:
                return False
    return not has_mark_run(text)  # the sanitiser would cut a run of marks short


# The Latin-1 characters that are not printable or that the sanitiser removes.
_LATIN1_UNSPACED = bytes(
    code for code in range(256) if not chr(code).isprintable() or code in _REMOVED_CODES
)


def _spaced(text: str) -> bool:
    """``text.isprintable() and _untouched(text)``: no whitespace but spaces, nothing removed.

    Latin-1 text is checked in its bytes, which is quicker than reading it as a string.
    """
    try:
        latin = text.encode("latin-1")
    except UnicodeEncodeError:
        return text.isprintable() and _untouched(text, True)
    return len(latin.translate(None, _LATIN1_UNSPACED)) == len(latin)


def fast_clean_line(value: str, limit: int = MAX_LINE_LENGTH) -> str:
    """``sanitize.clean_line(value, limit=limit)``, without its table lookups when unneeded."""
    if len(value) > limit * 4 or not _untouched(value):
        return clean_line(value, limit=limit)
    line = " ".join(value.split())
    return line if len(line) <= limit else clean_line(line, limit=limit)


def _paragraph(pieces: list[str | None], checked: bool) -> str:
    """What htmltext makes of a block's pieces outside <pre>; None is a <br>.

    htmltext cleans each line with clean_line and the joined lines with clean_text. A
    line without removed characters comes out of clean_line whitespace-collapsed, and
    clean_text finds nothing left to change in such lines. ``checked`` says the pieces
    hold no removed characters.
    """
    lines = htmltext.split_lines(pieces)
    if checked or all(_untouched(text) for text in lines):
        return "\n".join(text for line in lines if (text := " ".join(line.split())))
    cleaned = (clean_line(line, limit=len(line) + 1) for line in lines)
    return clean_text("\n".join(text for text in cleaned if text))


def _kind(depths: list[int]) -> BlockKind:
    """The kind htmltext gives a block at these depths."""
    if depths[_PRE]:
        return BlockKind.PREFORMATTED
    if depths[_HEADING]:
        return BlockKind.HEADING
    if depths[_ITEM]:
        return BlockKind.LIST_ITEM
    if depths[_QUOTE]:
        return BlockKind.QUOTE
    return BlockKind.PARAGRAPH


def _block(pieces: list[str | None], kind: BlockKind, checked: bool) -> Block | None:
    """htmltext's flush: the block its collector makes of ``pieces``."""
    if kind is BlockKind.PREFORMATTED:
        raw = "".join("\n" if piece is None else piece for piece in pieces)
        text = clean_text(raw, keep_spaces=True)
    else:
        text = _paragraph(pieces, checked)
    return Block(kind, text) if text else None


def _simple_blocks(source: str, images: bool) -> list[Block] | None:
    """The blocks of ``source`` if every "<" in it starts a simple tag, else None.

    The loop keeps htmltext's collector state in local variables: a piece of text, or
    None for a line break, per entry of ``pieces``, and the depth of each kind of block.
    Without character references the text reaches the blocks as it is in the source, so
    one check of the whole source stands for a check of every block; a block of such
    text without line breaks then only needs its spaces collapsed, if even that.
    """
    parts = _SIMPLE_TAG.split(source)
    if source.count("<") != len(parts) // 4:
        return None
    plain = "&" not in source
    spaced = plain and _spaced(source)  # no whitespace but spaces, nothing removed
    checked = spaced or (plain and _untouched(source))  # nothing removed
    unescape = html.unescape
    blocks: list[Block] = []
    pieces: list[str | None] = []
    broken = False  # a <br> in pieces
    depths = [0, 0, 0, 0]
    kind = BlockKind.PARAGRAPH
    tags = zip(parts[0::4], parts[1::4], parts[2::4], parts[3::4], strict=False)
    for text, closing, name, attributes in tags:
        if text:
            pieces.append(text if plain else unescape(text))
        action = _ACTIONS.get(name.lower())
        if action is None:
            if images and name.lower().rpartition(":")[2] == "img":
                return None  # htmltext puts its marker in the text
            if ":" not in name:
                continue  # an inline element: it starts and ends nothing
            action = _ACTIONS.get(name.lower().rpartition(":")[2])  # "html:p" is "p"
            if action is None:
                continue
        if action <= _BREAK:
            if pieces and len(blocks) < MAX_BLOCKS:
                if spaced and not broken and kind is not BlockKind.PREFORMATTED:
                    line = "".join(pieces)  # type: ignore[arg-type]
                    if line[0] == " " or line[-1] == " " or "  " in line:
                        line = " ".join(line.split())
                    if line:
                        blocks.append(Block(kind, line))
                elif block := _block(pieces, kind, checked):
                    blocks.append(block)
            pieces = []
            broken = False
            if action < _BREAK:
                if closing:
                    if depths[action]:
                        depths[action] -= 1
                        kind = _kind(depths)
                elif not attributes.endswith("/"):
                    depths[action] += 1
                    kind = _kind(depths)
        elif action == _LINE:
            pieces.append(None)
            broken = True
        elif action == _SKIP:
            return None
        elif not closing and not attributes.endswith("/"):
            pieces.append(" ")  # the start of a table cell
    if last := parts[-1]:
        pieces.append(last if plain else unescape(last))
    if pieces and len(blocks) < MAX_BLOCKS and (block := _block(pieces, kind, checked)):
        blocks.append(block)
    return blocks


def html_to_blocks(html_text: str, *, images: bool = True) -> tuple[Block, ...]:
    """Split an HTML fragment into sanitised paragraph-level blocks (see htmltext's)."""
    blocks = _simple_blocks(html_text, images)
    if blocks is None:
        return htmltext.html_to_blocks(html_text, images=images)
    return tuple(blocks)


def html_to_line(html_text: str) -> str:
    """An HTML fragment flattened to one clean line, for titles and teasers."""
    if (
        len(html_text) <= MAX_LINE_LENGTH
        and "<" not in html_text
        and "&" not in html_text
        and (_spaced(html_text) or _untouched(html_text))
    ):
        # Plain text: one paragraph, its whitespace collapsed, and nothing else to do.
        return " ".join(html_text.split())
    blocks = html_to_blocks(html_text, images=False)
    return fast_clean_line(" ".join(block.text for block in blocks))
