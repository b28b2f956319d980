"""The centre pane: one article (or one related item's teaser), wrapped and scrollable."""

from __future__ import annotations

from typing import ClassVar

from rich.console import RenderableType
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Static

from newsreader.models import Article, RelatedItem
from newsreader.ui.render import (
    STAR_MARK,
    Palette,
    article_renderable,
    notice_renderable,
    teaser_renderable,
)


class ArticleView(VerticalScroll, can_focus=True):
    """Shows prepared Rich renderables; the rendering itself is cached in ``render``."""

    HELP_SECTION: ClassVar[str] = "Article"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down,j", "scroll_down", "Scroll down", show=False, id="article-down"),
        Binding("up,k", "scroll_up", "Scroll up", show=False, id="article-up"),
        Binding("pagedown,space", "page_down", "Page down", show=False, id="article-page-down"),
        Binding("pageup", "page_up", "Page up", show=False, id="article-page-up"),
        Binding("home", "scroll_home", "Top of article", show=False, id="article-top"),
        Binding("end", "scroll_end", "End of article", show=False, id="article-end"),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.border_title = "Article"

    def compose(self) -> ComposeResult:
        yield Static(id="article-body")

    def _show(self, renderable: RenderableType) -> None:
        self.query_one("#article-body", Static).update(renderable)
        self.scroll_home(animate=False)

    def show_article(self, article: Article, palette: Palette) -> None:
        self._show(article_renderable(article, palette))
        self.show_starred(article.starred)

    def show_teaser(self, item: RelatedItem, language: str | None, palette: Palette) -> None:
        self._show(teaser_renderable(item, language, palette))
        self.show_starred(False)

    def show_notice(self, message: str, palette: Palette) -> None:
        self._show(notice_renderable(message, palette))
        self.show_starred(False)

    def show_starred(self, starred: bool) -> None:
        """Mark the open article as starred in the border, without redrawing or scrolling."""
        self.border_subtitle = f"{STAR_MARK} Starred" if starred else ""
