"""The centre pane: one article (or one related item's teaser), wrapped and scrollable.

A Line API view: the article is rendered by Rich once per width into lines, which are
kept, so scrolling, redrawing and coming back to an article cost no wrapping at all.
"""

from __future__ import annotations

from typing import ClassVar

from rich.console import Console, RenderableType
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.geometry import Size, Spacing
from textual.scroll_view import ScrollView
from textual.strip import Strip

from newsreader.models import Article, RelatedItem
from newsreader.text.timefmt import STAMP_FORMAT
from newsreader.ui.labels import labels_of
from newsreader.ui.render import (
    STAR_MARK,
    Palette,
    article_renderable,
    notice_renderable,
    teaser_renderable,
)
from newsreader.ui.settings import config_of

MAX_WIDTH = 90  # columns, padding included: longer lines are hard to read


class RenderedLines:
    """Renderables rendered into lines at a width, the recently used ones kept."""

    def __init__(self, size: int = 32) -> None:
        self._cache: LRUCache[tuple[int, int], tuple[RenderableType, list[Strip]]] = LRUCache(size)

    def get(self, renderable: RenderableType, width: int, console: Console) -> list[Strip]:
        """The lines of ``renderable`` wrapped at ``width``; rendered only on first use.

        Keyed by the renderable's identity (the ones shown are cached values, see
        ``render``); the entry holds the renderable, so the identity cannot be reused.
        """
        key = (id(renderable), width)
        cached = self._cache.get(key)
        if cached is not None and cached[0] is renderable:
            return cached[1]
        options = console.options.update(width=width, height=None, highlight=False)
        rendered = console.render_lines(renderable, options, pad=False)
        lines = [Strip(line).crop_extend(0, width, None) for line in rendered]
        self._cache.set(key, (renderable, lines))
        return lines


class ArticleView(ScrollView, can_focus=True):
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
    # The padding of the text scrolls with it, so it is drawn with the lines (see app.tcss).
    COMPONENT_CLASSES: ClassVar[set[str]] = {"article-view--body"}

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._renderable: RenderableType | None = None
        self._rendered = RenderedLines()
        self._lines: list[Strip] = []
        self._layout: tuple[int, Spacing] | None = None  # the width and padding of the lines
        self._padding: Spacing | None = None

    def _show(self, renderable: RenderableType) -> None:
        self._renderable, self._layout = renderable, None
        self._update_lines()
        self.scroll_to(0, 0, animate=False, immediate=True)
        self.refresh()

    def show_article(self, article: Article, palette: Palette) -> None:
        config = config_of(self.app)
        date_format = config.ui.date_format if config.ui.date_format else STAMP_FORMAT
        labels = labels_of(self.app)
        self._show(article_renderable(article, palette, date_format, labels.links, labels.also_in))
        self.show_starred(article.starred)

    def show_teaser(self, item: RelatedItem, language: str | None, palette: Palette) -> None:
        labels = labels_of(self.app)
        self._show(
            teaser_renderable(item, language, palette, labels.teaser_only, labels.link_prefix)
        )
        self.show_starred(False)

    def show_notice(self, message: str, palette: Palette) -> None:
        self._show(notice_renderable(message, palette))
        self.show_starred(False)

    def show_starred(self, starred: bool) -> None:
        """Mark the open article as starred in the border, without redrawing or scrolling."""
        mark = labels_of(self.app).starred_mark if self.is_attached else "Starred"
        self.border_subtitle = f"{STAR_MARK} {mark}" if starred else ""

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._padding = None  # the padding may have changed (a narrower terminal, say)

    def _update_lines(self) -> Spacing:
        """Take the lines for the current width (rendered now if this width is new)."""
        padding = self._padding
        if padding is None:
            padding = self._padding = self.get_component_styles("article-view--body").padding
        most = config_of(self.app).ui.article_width if self.is_mounted else MAX_WIDTH
        width = min(self.scrollable_content_region.width, most) - padding.width
        layout = (width, padding)
        if layout == self._layout or not self.is_mounted:
            return padding
        self._layout = layout
        if self._renderable is None or width <= 0:
            self._lines = []
        else:
            self._lines = self._rendered.get(self._renderable, width, self.app.console)
        self.virtual_size = Size(width, len(self._lines) + padding.height)
        return padding

    def on_mount(self) -> None:
        self.border_title = labels_of(self.app).article

    def on_resize(self) -> None:
        self._update_lines()

    def render_line(self, y: int) -> Strip:
        padding = self._update_lines()
        width = self.scrollable_content_region.width
        style = self.get_visual_style().rich_style
        index = self.scroll_offset.y + y - padding.top
        if not 0 <= index < len(self._lines):
            return Strip.blank(width, style)
        line = self._lines[index].apply_style(style)
        return Strip.join([Strip.blank(padding.left, style), line]).crop_extend(0, width, style)
