"""Finding an article's pictures in hostile HTML: where they are, what they show, where from.

Only addresses, alt text and captions are taken, each through the sanitiser; nothing is
fetched here. The scans are bounded regular expressions, linear in the input, like the link
finder in ``htmltext``. An image that says it is smaller than 16×16 (a tracking pixel or a
spacer) is never listed, so it is never fetched.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import replace
from urllib.parse import urljoin, urlsplit

from newsreader.models import ImageRef
from newsreader.text.fasthtml import html_to_blocks
from newsreader.text.htmltext import attributes
from newsreader.text.sanitize import clean_line, link_url

MAX_IMAGES = 40  # per article: a page of a thousand images is cut here
MIN_SIDE = 16  # pixels: anything narrower or lower is a tracking pixel or a spacer
MAX_CAPTION = 300

MAX_SCAN = 256 * 1024  # characters of a body searched for pictures
MAX_TAG = 4000
MAX_CANDIDATES = 4 * MAX_IMAGES  # tags looked at, listed or not
_CAPTION = re.compile(r"<figcaption\b[^>]*>(.{0,4000}?)</figcaption\s*>", re.IGNORECASE | re.DOTALL)
_META = re.compile(r"<meta\b([^>]{0,4000})>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]*>")
_SIZE = re.compile(r"\s*(\d{1,6})\s*(?:px)?\s*$", re.IGNORECASE)
_OG_NAMES = ("og:image", "og:image:url", "og:image:secure_url", "twitter:image")
IMAGE_TYPES = frozenset({"image/png", "image/jpeg", "image/jpg", "image/gif", "image/webp"})


def _tags(lower: str, name: str, start: int = 0, stop: int | None = None) -> list[tuple[int, int]]:
    """Where each ``<name`` tag starts and ends (after its ``>``), in linear time: the next
    ``>`` is searched for once and reused, so "<img<img<img..." is not quadratic."""
    found: list[tuple[int, int]] = []
    opener = f"<{name}"
    end = len(lower) if stop is None else stop
    pos = start
    close = -1
    while True:
        at = lower.find(opener, pos, end)
        if at < 0:
            return found
        after = at + len(opener)
        if after < end and (lower[after].isalnum() or lower[after] in "-_:"):
            pos = after  # another element, such as <imgx> or <figures>
            continue
        if close < after:
            close = lower.find(">", after, end)
            if close < 0:
                return found
        if close - at <= MAX_TAG:
            found.append((at, close + 1))
        pos = after


def _too_small(attrs: dict[str, str]) -> bool:
    for name in ("width", "height"):
        size = _SIZE.match(attrs.get(name, ""))
        if size is not None and int(size.group(1)) < MIN_SIDE:
            return True
    return False


def image_url(value: str | None, base: str | None) -> str | None:
    """An address worth fetching: absolute http(s) after resolving against ``base``, no
    credentials; ``data:``, ``javascript:`` and ``file:`` never pass."""
    if not value:
        return None
    raw = value.strip()
    if base and not urlsplit(raw).scheme:
        try:
            raw = urljoin(base, raw)
        except ValueError:
            return None
    return link_url(raw)


def _text(fragment: str) -> str:
    return clean_line(html.unescape(_TAG.sub(" ", fragment)), limit=MAX_CAPTION)


def _ref(attrs: dict[str, str], base: str | None, caption: str, position: int) -> ImageRef | None:
    if _too_small(attrs):
        return None
    url = image_url(attrs.get("src") or attrs.get("data-src"), base)
    if url is None:
        return None
    return ImageRef(
        url=url,
        alt=clean_line(attrs.get("alt", ""), limit=MAX_CAPTION),
        caption=caption,
        title=clean_line(attrs.get("title", ""), limit=MAX_CAPTION),
        position=position,
    )


def find_images(fragment: str, base: str | None = None) -> tuple[ImageRef, ...]:
    """The pictures of an HTML body in order, each placed after the body block it follows.

    A ``<figure>`` gives its first image with the ``<figcaption>`` as caption; other
    ``<img>`` tags stand alone with their alt text.
    """
    fragment = fragment[:MAX_SCAN]
    lower = fragment.lower()
    if "<img" not in lower:
        return ()
    spans: list[tuple[int, int, str, str]] = []  # start, end, tag attributes, caption
    pos = 0
    for start, _ in _tags(lower, "figure"):
        if start < pos:
            continue
        end = lower.find("</figure", start)
        if end < 0:
            break
        pos = end
        imgs = _tags(lower, "img", start, end)
        if imgs:
            img_start, img_end = imgs[0]
            named = _CAPTION.search(fragment, start, end + 20)
            inside = fragment[img_start + 4 : img_end - 1]
            spans.append((start, end, inside, _text(named.group(1)) if named else ""))
            if len(spans) >= MAX_CANDIDATES:
                break
    covered = [(start, end) for start, end, _, _ in spans]
    for img_start, img_end in _tags(lower, "img"):
        if len(spans) >= 2 * MAX_CANDIDATES:
            break
        if not any(start <= img_start < end for start, end in covered):
            spans.append((img_start, img_end, fragment[img_start + 4 : img_end - 1], ""))
    spans.sort()
    found: list[ImageRef] = []
    seen: set[str] = set()
    for start, _end, inside, caption in spans:
        # Blocks before the image: the prefix is converted again, linear each time, and
        # the number of images is bounded.
        ref = _ref(attributes(inside), base, caption, 0)
        if ref is None or ref.url in seen:
            continue
        seen.add(ref.url)
        found.append(replace(ref, position=len(html_to_blocks(fragment[:start]))))
        if len(found) >= MAX_IMAGES:
            break
    return tuple(found)


def lead_image(
    candidates: Iterable[tuple[str | None, str | None]], base: str | None = None
) -> str | None:
    """The first usable image among a feed entry's thumbnails and enclosures, given as
    (address, type or medium); an enclosure that is not a picture is passed over."""
    for url, kind in candidates:
        kind = (kind or "image").lower().split(";")[0].strip()
        if kind != "image" and kind not in IMAGE_TYPES:
            continue
        usable = image_url(url, base)
        if usable is not None:
            return usable
    return None


def og_image(page: str, base: str | None = None) -> str | None:
    """The picture a web page names for itself (``og:image``, else ``twitter:image``)."""
    named: dict[str, str] = {}
    for meta in _META.finditer(page[:500_000]):
        attrs = attributes(meta.group(1))
        key = (attrs.get("property") or attrs.get("name") or "").lower()
        if key in _OG_NAMES and "content" in attrs:
            named.setdefault(key, attrs["content"])
    for key in _OG_NAMES:
        usable = image_url(named.get(key), base)
        if usable is not None:
            return usable
    return None


def with_lead(images: Sequence[ImageRef], lead: str | None, alt: str = "") -> tuple[ImageRef, ...]:
    """The article's pictures with its lead image first, unless the body shows it already."""
    if lead is None or any(ref.url == lead for ref in images):
        return tuple(images[:MAX_IMAGES])
    first = ImageRef(url=lead, alt=clean_line(alt, limit=MAX_CAPTION), position=0, lead=True)
    return (first, *images[: MAX_IMAGES - 1])


def image_host(url: str) -> str:
    """The host an image comes from, as text fit to show."""
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        host = ""
    return clean_line(host, limit=100)
