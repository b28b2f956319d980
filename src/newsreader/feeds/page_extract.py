"""A web page to an article: its body as our blocks and links, and its sidebar material.

The page is parsed once with lxml (no network, no huge trees, no entities from a DTD),
its structured data and link boxes are read (``page_meta``, ``page_related``), the boxes
are cut out, and trafilatura finds the article in what is left. Its output becomes
``Block``s and ``Link``s through the sanitiser, so page text reaches the store and the
screen exactly as feed text does. Nothing here touches the network or the UI; importing
it imports lxml and trafilatura, so only workers import it.
"""

from __future__ import annotations

import re

from lxml import etree
from lxml import html as lxml_html

from newsreader.feeds.page_error import PageError
from newsreader.feeds.page_meta import open_graph, page_link, read_meta
from newsreader.feeds.page_related import take_boxes
from newsreader.models import Block, BlockKind, Link, PageArticle, SectionLabels
from newsreader.text.htmltext import MAX_BLOCKS, text_to_blocks
from newsreader.text.sanitize import clean_line, clean_text

MIN_BODY_WORDS = 40  # less than this is not an article, whatever the extractor says
MAX_PAGE_CHARS = 8_000_000
MAX_LINKS = 500


_BINARY_STARTS = (b"%PDF", b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"PK\x03\x04", b"\x1f\x8b")
_HTML_SIGN = re.compile(rb"<(?:!doctype\s+html|html|head|body|p|div|article|h1)\b", re.I)
_FEED_SIGN = re.compile(rb"<(?:rss|feed|rdf:RDF)\b")
_META_CHARSET = re.compile(
    rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{1,40})""", re.I
)


def looks_like_html(data: bytes) -> bool:
    """Whether the bytes are an HTML page (and not a feed, an image or a PDF)."""
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(_BINARY_STARTS) or b"\x00" in head[:512]:
        return False
    if _FEED_SIGN.search(head) and not re.search(rb"<html\b", head, re.I):
        return False
    return _HTML_SIGN.search(data[:65536]) is not None


def _encoding_of(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return "utf-8"
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return "utf-8"
    if match := _META_CHARSET.search(data[:8192]):
        name = match.group(1).decode("ascii").lower()
        try:
            "".encode(name)
        except LookupError:
            return "cp1252"
        return "cp1252" if name in ("iso-8859-1", "latin1", "us-ascii", "ascii") else name
    return "cp1252"  # what browsers assume for an undeclared page


def parse_page(data: bytes) -> lxml_html.HtmlElement:
    """The page as a tree: no network, no huge-tree mode, comments and PIs dropped.

    libxml2's HTML parser knows no DTD entities, so an entity bomb stays text; without
    huge-tree mode it stops descending at its depth limit instead of recursing on.
    """
    if not looks_like_html(data):
        raise PageError("not an HTML page")
    encoding = _encoding_of(data)
    parser = lxml_html.HTMLParser(
        encoding=encoding,
        huge_tree=False,
        no_network=True,
        remove_comments=True,
        remove_pis=True,
        collect_ids=False,
        default_doctype=False,
    )
    try:
        tree = lxml_html.document_fromstring(data, parser=parser)
    except (etree.ParserError, ValueError, LookupError):
        raise PageError("the page could not be read as HTML") from None
    if tree is None:
        raise PageError("the page could not be read as HTML")
    for element in tree.xpath("//script[not(contains(@type, 'ld+json'))]|//style|//template"):
        element.drop_tree()
    _drop_controls(tree)
    return tree


# C0 controls but tab and line breaks, DEL and C1: XML cannot hold them, so the extractor
# would lose the whole text over one; the sanitiser removes them (and more) later anyway.
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _drop_controls(tree: lxml_html.HtmlElement) -> None:
    if not _CONTROLS.search(tree.text_content()):
        return  # the common case: one pass over the text, no changes
    for element in tree.iter():
        if element.text and _CONTROLS.search(element.text):
            element.text = _CONTROLS.sub("", element.text)
        if element.tail and _CONTROLS.search(element.tail):
            element.tail = _CONTROLS.sub("", element.tail)
        for name, value in element.attrib.items():
            if _CONTROLS.search(value):
                element.set(name, _CONTROLS.sub("", value))


def extract_page(data: bytes, url: str) -> PageArticle:
    """The article on the page at ``url`` (its final address, for relative links)."""
    tree = parse_page(data)
    meta = read_meta(tree, url)
    media_urls = frozenset(item.url for item in meta.media if item.url)
    boxes = take_boxes(tree, url, media_urls)
    titles = (
        meta.title,
        open_graph(tree).get("og:title", ""),
        clean_line(tree.findtext(".//title"), limit=500),
    )
    blocks, links = _body(tree, url)
    blocks = without_headline(blocks, titles)
    if meta.article_body and _words(blocks) < len(meta.article_body.split()) // 2:
        # The markup gave less than half of what the page's own data calls the body
        # (a page drawn by scripts): the data's plain text is the better article.
        blocks, links = text_to_blocks(meta.article_body), ()
    if _words(blocks) < MIN_BODY_WORDS:
        raise PageError("nothing article-like found on the page")
    return PageArticle(
        url=url,
        blocks=blocks,
        links=links,
        title=meta.title,
        published=meta.published,
        modified=meta.modified,
        related=boxes.related,
        programme=meta.programme,
        media=meta.media,
        labels=SectionLabels(
            related=boxes.related_label,
            programme=boxes.programme_label if meta.programme else None,
            media=boxes.media_label if meta.media else None,
        ),
    )


_WORD = re.compile(r"\w+")


def word_set(text: str) -> set[str]:
    return set(_WORD.findall(text.casefold()))


def without_headline(blocks: tuple[Block, ...], titles: tuple[str, ...]) -> tuple[Block, ...]:
    """The body without a first heading that is the page's headline (shown above it)."""
    title_words = [word_set(title) for title in titles if title]
    for n, block in enumerate(blocks[:2]):
        words = word_set(block.text)
        if block.kind is BlockKind.HEADING and words and any(words <= t for t in title_words):
            return blocks[:n] + blocks[n + 1 :]
    return blocks


def _words(blocks: tuple[Block, ...]) -> int:
    return sum(len(block.text.split()) for block in blocks)


def _body(tree: lxml_html.HtmlElement, url: str) -> tuple[tuple[Block, ...], tuple[Link, ...]]:
    from trafilatura import bare_extraction  # heavy: imported by the worker that needs it

    try:
        document = bare_extraction(
            tree,
            url=url,
            with_metadata=False,
            include_comments=False,
            include_links=True,
            include_formatting=False,
            include_images=False,
            include_tables=True,
            deduplicate=False,
        )
    except (ValueError, RecursionError, etree.LxmlError):
        return (), ()
    body = getattr(document, "body", None)
    if body is None:
        return (), ()
    return _blocks_of(body, url)


_KINDS = {"p": BlockKind.PARAGRAPH, "head": BlockKind.HEADING, "quote": BlockKind.QUOTE}


def _blocks_of(body: etree._Element, url: str) -> tuple[tuple[Block, ...], tuple[Link, ...]]:
    """trafilatura's XML body (p, head, list/item, quote, code, table) as blocks."""
    blocks: list[Block] = []
    links: dict[str, Link] = {}
    for element in body:
        if len(blocks) >= MAX_BLOCKS:
            break
        tag = element.tag
        if tag == "list":
            parts = [(BlockKind.LIST_ITEM, item) for item in element.iter("item")]
        elif tag == "code":
            parts = [(BlockKind.PREFORMATTED, element)]
        elif tag == "table":
            parts = [(BlockKind.PARAGRAPH, row) for row in element.iter("row")]
        else:
            parts = [(_KINDS.get(str(tag), BlockKind.PARAGRAPH), element)]
        for kind, part in parts:
            text = _text_of(part, kind)
            pieces = [text] if kind is BlockKind.PREFORMATTED else text.split("\n\n")
            blocks.extend(Block(kind, piece) for piece in pieces if piece)
            _collect_links(part, url, links)
    return tuple(blocks), tuple(links.values())[:MAX_LINKS]


def _text_of(element: etree._Element, kind: BlockKind) -> str:
    for node in element.iter("lb"):
        node.text = "\n"
    if element.tag == "row":
        cells = ("".join(cell.itertext()).strip() for cell in element.iter("cell"))
        raw = " | ".join(cell for cell in cells if cell)
    else:
        raw = "".join(element.itertext())
    if kind is BlockKind.PREFORMATTED:
        return clean_text(raw, keep_spaces=True)
    # Empty lines survive here: a blank line (two line breaks) ends a paragraph.
    lines = (clean_line(line, limit=len(line) + 1) for line in raw.split("\n"))
    return clean_text("\n".join(lines))


def _collect_links(element: etree._Element, url: str, links: dict[str, Link]) -> None:
    for ref in element.iter("ref"):
        target = page_link(url, ref.get("target"))
        if target is not None and target not in links:
            text = clean_line("".join(ref.itertext()), limit=200)
            links[target] = Link(text or target, target)
