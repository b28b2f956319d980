"""Which panes the reading screen shows at a width: the article keeps a readable width.

Plain values and one function, apart from the screen, so the rules are easy to test. The
left column (feeds and articles) and the sidebar have fixed widths; the article takes the
rest. When not everything fits, the sidebar gives way first, then the left column, but the
pane the reader moved to (with ``tab``) always shows. Zoomed, only the focused pane shows,
at the full width.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

Pane = Literal["left", "article", "sidebar"]

NARROW_BELOW: Final = 100  # columns; narrower terminals get slimmer side panes
ARTICLE_MIN: Final = 52  # the article pane's least width: about 46 columns of text
LEFT_WIDTH: Final = {True: 30, False: 24}  # wide terminal or not
SIDEBAR_WIDTH: Final = {True: 34, False: 28}


@dataclass(frozen=True, slots=True)
class PaneLayout:
    """What shows: each pane's visibility, and whether the feed list shows in its column."""

    left: bool
    article: bool
    sidebar: bool
    feed_list: bool = True
    zoomed: bool = False

    @property
    def visible(self) -> frozenset[Pane]:
        shown: list[Pane] = []
        if self.left:
            shown.append("left")
        if self.article:
            shown.append("article")
        if self.sidebar:
            shown.append("sidebar")
        return frozenset(shown)


def side_width(pane: Pane, width: int) -> int:
    """A side pane's width on a terminal ``width`` columns wide."""
    wide = width >= NARROW_BELOW
    return LEFT_WIDTH[wide] if pane == "left" else SIDEBAR_WIDTH[wide]


def pane_layout(
    width: int, focused: Pane, *, zoomed: bool = False, list_focused: bool = False
) -> PaneLayout:
    """The panes to show at ``width`` with ``focused`` holding the focus.

    ``list_focused`` says the focus is on the article list (not the feed list): zoomed, the
    list then takes the whole column, and the feed list makes way.
    """
    if zoomed:
        return PaneLayout(
            left=focused == "left",
            article=focused == "article",
            sidebar=focused == "sidebar",
            feed_list=not list_focused,
            zoomed=True,
        )
    shown: set[Pane] = {"article", focused}
    used = ARTICLE_MIN + sum(side_width(pane, width) for pane in shown if pane != "article")
    for pane in ("left", "sidebar"):
        if pane not in shown and used + side_width(pane, width) <= width:
            shown.add(pane)
            used += side_width(pane, width)
    return PaneLayout(left="left" in shown, article=True, sidebar="sidebar" in shown)
