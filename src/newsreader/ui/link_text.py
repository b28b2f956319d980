"""An article's body links as numbered lines: "[1] text — url".

The address is a terminal hyperlink (OSC 8) only when ``sanitize.openable_url`` accepts
it, so only http and https ever become clickable; anything else stays plain text. The
link's text and address are data, never markup.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import RenderableType
from rich.style import Style
from rich.text import Text

from newsreader.models import Link
from newsreader.text.sanitize import openable_url

DASH = " — "


def url_text(url: str, style: str = "") -> Text:
    """The address, clickable in terminals that support it when it is http(s)."""
    target = openable_url(url)
    if target is None:
        return Text(url, style=style)
    return Text(url, style=Style.parse(style) + Style(link=target) if style else Style(link=target))


def link_line(number: int, link: Link, muted: str) -> Text:
    """``[n] text — url``; just ``[n] url`` when the text says nothing more than the url."""
    line = Text.assemble((f"[{number}] ", muted))
    text = " ".join(link.text.split())
    if text and text != link.url:
        line.append(text)
        line.append(DASH, style=muted)
    line.append_text(url_text(link.url, f"{muted} underline"))
    return line


def links_section(
    links: Sequence[Link], heading: str, accent: str, muted: str
) -> list[RenderableType]:
    """The end of the article view: a heading and one numbered line per link."""
    if not links:
        return []
    parts: list[RenderableType] = [Text(), Text(heading, style=accent)]
    parts += [link_line(number, link, muted) for number, link in enumerate(links, 1)]
    return parts
