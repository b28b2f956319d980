"""The boxes of links a page sets beside its article, found by the heading they carry.

"Weitere Informationen", "Mehr zum Thema", "Related": a box under such a heading lists
other stories, and belongs in the sidebar, not in the body. This module finds those boxes,
reads their stories (title, teaser, date, address), finds the headings the page gives its
broadcasts and media, and takes all of them out of the tree before the body is extracted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlsplit

from lxml import html as lxml_html

from newsreader.feeds.page_meta import day_of, page_link
from newsreader.models import RelatedItem
from newsreader.text.sanitize import clean_line

MAX_BOXES = 6
MAX_ITEMS_PER_BOX = 20
MAX_BOX_CHARS = 6_000  # a "box" with more text than this is the article itself
MIN_LINK_SHARE = 0.12  # of a box's text, in its links (teasers make up the rest)
HEADING_TAGS = ("h2", "h3", "h4", "h5", "h6")

RELATED_HEADING = re.compile(
    r"^(?:weitere informationen|mehr zum thema|mehr zu diesem thema|zum thema|"
    r"mehr dazu|lesen sie auch|lesen sie mehr|auch interessant|das könnte sie auch "
    r"interessieren|das könnte sie interessieren|ähnliche (?:artikel|themen|beiträge)|"
    r"verwandte (?:artikel|themen)|weitere artikel|mehr (?:artikel|beiträge) zum thema|"
    r"related(?: stories| articles| content| coverage| news| links| topics)?|read more|"
    r"more on (?:this|this story|this topic)|more stories|more about this|see also|"
    r"further reading|read also|also read|you (?:may|might) also (?:like|be interested in)|"
    r"recommended(?: stories| articles)?)$"
)
PROGRAMME_HEADING = re.compile(
    r"(?:im programm|sendetermin|sendung(?:en)? zum thema|on air|broadcasts?\b|"
    r"tv-tipp|im fernsehen|im radio|in the programme)"
)
MEDIA_HEADING = re.compile(r"^(?:videos?|audios?|podcasts?|mediathek|mehr (?:videos|audios))\b")
_KICKER_CLASS = re.compile(r"kicker|dachzeile|topline|overline|roofline|eyebrow", re.I)
_TITLE_CLASS = re.compile(r"title|headline|heading", re.I)
_TEASER_CLASS = re.compile(r"teaser|summary|excerpt|description|lead|intro|text", re.I)
_TRAILING_DATE = re.compile(r"\s*\b\d{1,2}\.\d{1,2}\.\d{4}$")
_OUTSIDE = frozenset({"nav", "footer", "header", "form"})


@dataclass(frozen=True, slots=True)
class PageBoxes:
    """The sidebar material of a page's link boxes, with the page's own headings."""

    related: tuple[RelatedItem, ...] = ()
    related_label: str | None = None
    programme_label: str | None = None
    media_label: str | None = None


def heading_key(text: str) -> str:
    """A heading as compared: lower case, one space, no trailing colon or ellipsis."""
    return " ".join(text.lower().split()).rstrip(":.… ").strip()


def take_boxes(tree: lxml_html.HtmlElement, page_url: str, media_urls: frozenset[str]) -> PageBoxes:
    """Read the page's related, programme and media boxes and remove them from ``tree``."""
    related: list[RelatedItem] = []
    labels: dict[str, str] = {}
    boxes: list[lxml_html.HtmlElement] = []
    for heading in _headings(tree):
        text = clean_line(heading.text_content(), limit=120)
        key = heading_key(text)
        if not key or len(key) > 80:
            continue
        kind = (
            "related"
            if RELATED_HEADING.match(key)
            else "programme"
            if PROGRAMME_HEADING.search(key)
            else "media"
            if MEDIA_HEADING.match(key)
            else None
        )
        if kind is None and not media_urls:
            continue  # most headings: no box to look for
        box = _box_of(heading)
        if box is None:
            continue
        if kind == "related":
            items = _stories(box, heading, page_url)
            if not items:
                continue
            related.extend(items)
        elif kind is None:
            if not _links_to(box, page_url, media_urls):
                continue
            kind = "media"
        labels.setdefault(kind, text)
        boxes.append(box)
        if len(boxes) >= MAX_BOXES:
            break
    for box in boxes:
        parent = box.getparent()
        if parent is not None:
            parent.remove(box)  # its tail is text after the box, kept
            if box.tail:
                parent.text = (parent.text or "") + box.tail
    seen: set[str] = set()
    unique = []
    for item in related:
        key = item.url or item.title
        if key not in seen:
            seen.add(key)
            unique.append(item)
    return PageBoxes(
        related=tuple(unique),
        related_label=labels.get("related"),
        programme_label=labels.get("programme"),
        media_label=labels.get("media"),
    )


def _headings(tree: lxml_html.HtmlElement) -> list[lxml_html.HtmlElement]:
    found = tree.xpath("//h2|//h3|//h4|//h5|//h6|//*[@role='heading']")
    return [
        element
        for element in found
        if not any(ancestor.tag in _OUTSIDE for ancestor in element.iterancestors())
    ]


def _box_of(heading: lxml_html.HtmlElement) -> lxml_html.HtmlElement | None:
    """The nearest ancestor of ``heading`` (three levels at most) that holds links besides
    it, if it is small enough to be a box and not the article."""
    element = heading
    for _ in range(3):
        parent = element.getparent()
        if parent is None or parent.tag in ("body", "html", "article", "main"):
            return None
        element = parent
        links = [a for a in element.iter("a") if a.get("href") and not _inside(a, heading)]
        if links:
            return element if _is_link_box(element, links) else None
    return None


def _is_link_box(element: lxml_html.HtmlElement, links: list[lxml_html.HtmlElement]) -> bool:
    """Small, and mostly links: not the article with a heading that happens to match."""
    total = len(" ".join(element.text_content().split()))
    if total > MAX_BOX_CHARS:
        return False
    linked = sum(len(" ".join(a.text_content().split())) for a in links)
    return total == 0 or linked / total >= MIN_LINK_SHARE


def _inside(element: lxml_html.HtmlElement, container: lxml_html.HtmlElement) -> bool:
    return element is container or any(a is container for a in element.iterancestors())


def _links_to(box: lxml_html.HtmlElement, page_url: str, urls: frozenset[str]) -> bool:
    """Whether the box links to one of ``urls``, by path: a site's data and its links
    often name different hosts for the same page (www., m., a CDN)."""
    if not urls:
        return False
    paths = {_path(url) for url in urls}
    for anchor in box.iter("a"):
        url = page_link(page_url, anchor.get("href"))
        if url is not None and _path(url) in paths:
            return True
    return False


def _path(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


def _stories(
    box: lxml_html.HtmlElement, heading: lxml_html.HtmlElement, page_url: str
) -> list[RelatedItem]:
    items: list[RelatedItem] = []
    seen: set[lxml_html.HtmlElement] = set()
    for anchor in box.iter("a"):
        if _inside(anchor, heading) or len(items) >= MAX_ITEMS_PER_BOX:
            continue
        url = page_link(page_url, anchor.get("href"))
        if url is None:
            continue
        container = _item_of(anchor, box)
        if container in seen:
            continue
        seen.add(container)
        title = _title(anchor, container)
        if len(title) < 3:
            continue
        items.append(
            RelatedItem(
                title=title,
                teaser=_teaser(container, anchor),
                date=_date(container),
                url=url,
            )
        )
    return items


def _item_of(anchor: lxml_html.HtmlElement, box: lxml_html.HtmlElement) -> lxml_html.HtmlElement:
    """The element that holds one story: the anchor's list item or card within the box."""
    element = anchor
    for ancestor in anchor.iterancestors():
        if ancestor is box:
            break
        if ancestor.tag in ("li", "article"):
            return ancestor
        element = ancestor
    return element


def _title(anchor: lxml_html.HtmlElement, item: lxml_html.HtmlElement) -> str:
    """The story's title, its kicker in front as the source joins them ("Kicker: Title")."""
    kicker_el = next((e for e in item.iter() if _KICKER_CLASS.search(e.get("class") or "")), None)
    title_el = next(
        (
            e
            for e in item.iter(*HEADING_TAGS, "span", "strong", "div", "p")
            if e is not kicker_el
            and (e.tag in HEADING_TAGS or _TITLE_CLASS.search(e.get("class") or ""))
            and not (kicker_el is not None and _inside(e, kicker_el))
            and not (kicker_el is not None and _inside(kicker_el, e))
        ),
        None,
    )
    kicker = clean_line(kicker_el.text_content(), limit=200) if kicker_el is not None else ""
    if title_el is not None:
        title = clean_line(title_el.text_content(), limit=500)
    else:
        text = clean_line(anchor.text_content(), limit=500)
        title = text.removeprefix(kicker).strip() if kicker else text
    title = _TRAILING_DATE.sub("", title).strip() or title
    if kicker and title and not title.startswith(kicker):
        return f"{kicker}: {title}"
    return title


def _teaser(item: lxml_html.HtmlElement, anchor: lxml_html.HtmlElement) -> str:
    for element in item.iter("p", "div", "span"):
        if _TEASER_CLASS.search(element.get("class") or "") or element.tag == "p":
            if _TITLE_CLASS.search(element.get("class") or "") or _KICKER_CLASS.search(
                element.get("class") or ""
            ):
                continue
            text = clean_line(element.text_content(), limit=1_000)
            if len(text) >= 20:
                return text
    return ""


def _date(item: lxml_html.HtmlElement) -> date | None:
    for element in item.iter("time"):
        found = day_of(element.get("datetime") or element.text_content())
        if found is not None:
            return found
    return day_of(clean_line(item.text_content(), limit=2_000))
