"""The reading screen's panes: which show at the terminal's width, moving between them
with ``tab``, and the zoom (``z``) that gives the focused pane the whole width.

A base of ``MainScreen``; the rules themselves are in ``pane_layout``. The zoom is told
to the app, which remembers it for the next start like the theme.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import events
from textual.message import Message
from textual.widget import Widget

from newsreader.ui.pane_layout import NARROW_BELOW, Pane, pane_layout
from newsreader.ui.screens.subscribing import SubscriptionActions
from newsreader.ui.widgets.article_list import ArticleList
from newsreader.ui.widgets.article_view import ArticleView
from newsreader.ui.widgets.feed_list import FeedList
from newsreader.ui.widgets.feeds_column import FeedsColumn
from newsreader.ui.widgets.key_footer import KeyFooter
from newsreader.ui.widgets.sidebar import Sidebar


@dataclass
class ZoomChanged(Message):
    """The reader zoomed a pane (or zoomed out again): the app keeps the choice."""

    zoomed: bool


class PaneActions(SubscriptionActions):
    """Lays the panes out after every resize and change of focus."""

    # Textual declares this as an instance variable, so it cannot be annotated as a ClassVar.
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (NARROW_BELOW, "-wide")]  # noqa: RUF012
    zoomed: bool = False

    @property
    def _panes(self) -> list[Widget]:
        """In tab order: feeds, articles, the article, the sidebar."""
        return [
            self.query_one(FeedList),
            self.query_one(ArticleList),
            self.query_one(ArticleView),
            self.query_one(Sidebar),
        ]

    def on_resize(self, event: events.Resize) -> None:
        self.query_one(KeyFooter).compact = event.size.width < NARROW_BELOW
        self._lay_out()

    def on_descendant_focus(self) -> None:
        self._lay_out()

    def _pane_of(self, widget: Widget | None) -> Pane:
        if isinstance(widget, ArticleView):
            return "article"
        return "sidebar" if isinstance(widget, Sidebar) else "left"

    def _lay_out(self, focus: Widget | None = None) -> None:
        """Show the panes that fit beside a readable article (see ``pane_layout``); the
        pane with the focus (or about to get it) always shows."""
        target = focus if focus is not None else self.focused
        layout = pane_layout(
            self.size.width,
            self._pane_of(target),
            zoomed=self.zoomed,
            list_focused=isinstance(target, ArticleList),
        )
        self.set_class(layout.zoomed, "-zoomed")
        self.query_one(FeedsColumn).display = layout.left
        self.query_one(FeedList).display = layout.feed_list
        self.query_one(ArticleView).display = layout.article
        self.query_one(Sidebar).display = layout.sidebar

    def action_zoom(self) -> None:
        """The focused pane takes the whole width, or gives it back; remembered."""
        self.zoomed = not self.zoomed
        self._lay_out()
        self.app.post_message(ZoomChanged(self.zoomed))

    def _cycle_panes(self, step: int) -> None:
        panes = self._panes
        focused = self.focused
        current = next(
            (n for n, pane in enumerate(panes) if focused is not None and focused is pane), -1
        )
        target = panes[(current + step) % len(panes)]
        self._lay_out(target)  # a pane hidden for want of room shows while it has the focus
        self.set_focus(target)  # at once, for fast repeats

    def action_next_pane(self) -> None:
        self._cycle_panes(1)

    def action_previous_pane(self) -> None:
        self._cycle_panes(-1)
