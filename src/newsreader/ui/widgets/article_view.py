"""The centre pane: one article (or one related item's teaser), wrapped and scrollable.

A Line API view: the article is rendered by Rich once per width into lines, which are
kept, so scrolling, redrawing and coming back to an article cost no wrapping at all.
Its pictures take boxes of fixed height among the lines (``article_pictures``); the text
shows at once, and the pictures in view or a screen ahead are fetched by workers and fill
their boxes when they come, so the reader's place never moves and scrolling never waits.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar

from rich.console import Console, RenderableType
from rich.segment import Segment
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.content import Content
from textual.geometry import Size, Spacing
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.timer import Timer

from newsreader.models import Article, ImageRef, RelatedItem
from newsreader.text.sanitize import clean_line
from newsreader.text.timefmt import STAMP_FORMAT
from newsreader.ui.article_pictures import (
    Chunk,
    Picture,
    Renderer,
    Slot,
    article_chunks,
    box_message,
    box_rows,
    choose_renderer,
    picture_lines,
    placeholder,
)
from newsreader.ui.labels import labels_of
from newsreader.ui.render import (
    STAR_MARK,
    Palette,
    notice_renderable,
    teaser_renderable,
)
from newsreader.ui.settings import config_of

if TYPE_CHECKING:
    from newsreader.feeds.images import ImageLoader

SCROLL_SETTLE = 0.06  # seconds without scrolling before the pictures in view are fetched
KEPT_PICTURES = 12  # pictures drawn and kept, at most: those on or near the screen

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
        self._chunks: tuple[Chunk, ...] = ()
        self._rendered = RenderedLines()
        self._lines: list[Strip] = []
        self._layout: tuple[int, Spacing] | None = None  # the width and padding of the lines
        self._padding: Spacing | None = None
        self._article: tuple[Article, Palette] | None = None
        self._renderer: Renderer | None = None
        self._on_demand = False  # pictures asked for with ``i`` where they are not by default
        self._slots: list[Slot] = []
        self._slot_lines: dict[int, tuple[Slot, int]] = {}
        # Pictures drawn for a width: (url, width) -> lines; the rest are fetched again
        # from the disk cache when they come back into view.
        self._pictures: LRUCache[tuple[str, int], list[Strip]] = LRUCache(KEPT_PICTURES)
        self._loading: set[tuple[str, int]] = set()
        # Pictures held by the terminal (graphics protocol), freed once they leave the cache.
        self._release: dict[tuple[str, int], Callable[[], None]] = {}
        self._settle: Timer | None = None
        self._refused: dict[str, str] = {}
        self._note = ""  # where the text came from (the web page), in the border
        self._starred = False

    def _show(self, chunks: tuple[Chunk, ...], *, keep_place: bool = False) -> None:
        """Show ``chunks``; from the top, or where the reader was (``keep_place``)."""
        place = self.scroll_offset
        self._chunks, self._layout = chunks, None
        self._update_lines()
        self.scroll_to(0, place.y if keep_place else 0, animate=False, immediate=True)
        self.refresh()
        self.call_after_refresh(self._want_pictures)  # the text's frame goes first

    @property
    def renderer(self) -> Renderer:
        """How pictures are shown in this terminal, with these settings."""
        if self._renderer is None:
            mode = config_of(self.app).ui.images
            graphics = getattr(self.app, "graphics", False) is True
            self._renderer = choose_renderer(mode, graphics, self.app.console.color_system)
        return self._renderer

    @property
    def pictures_shown(self) -> bool:
        return self._on_demand or self.renderer != "placeholders"

    @property
    def images(self) -> tuple[ImageRef, ...]:
        """The pictures of the open article."""
        return self._article[0].images if self._article is not None else ()

    def show_article(self, article: Article, palette: Palette, *, keep_place: bool = False) -> None:
        """Show the article; ``keep_place`` keeps the reader's line (another text swapped in)."""
        self._article, self._on_demand = (article, palette), False
        self._show(self._article_chunks(), keep_place=keep_place)
        self.show_starred(article.starred)

    def _article_chunks(self) -> tuple[Chunk, ...]:
        if self._article is None:
            return ()
        article, palette = self._article
        config = config_of(self.app)
        date_format = config.ui.date_format if config.ui.date_format else STAMP_FORMAT
        labels = labels_of(self.app)
        return article_chunks(article, palette, date_format, labels.links, labels.also_in)

    def load_pictures(self) -> None:
        """Show the open article's pictures now (``i``), keeping the reader's place."""
        if self._article is None or self.pictures_shown:
            self._want_pictures()
            return
        padding = self._update_lines()
        top = self.scroll_offset.y - padding.top
        old = list(self._slots)
        self._on_demand, self._layout = True, None
        self._update_lines()
        # Lines added above the top of the view push it down by as much.
        moved = sum(
            new.span - before.span
            for before, new in zip(old, self._slots, strict=True)
            if before.start + before.span <= top
        )
        if moved:
            self.scroll_to(y=self.scroll_offset.y + moved, animate=False, immediate=True)
        self.refresh()
        self._want_pictures()

    def highlighted_image(self) -> ImageRef | None:
        """The picture the reader is looking at: the first in view, else the next below."""
        padding = self._update_lines()
        top = self.scroll_offset.y - padding.top
        for slot in self._slots:
            if slot.start + slot.span > top:
                return slot.ref
        return self._slots[-1].ref if self._slots else None

    def show_teaser(self, item: RelatedItem, language: str | None, palette: Palette) -> None:
        labels = labels_of(self.app)
        self._article, self._note = None, ""
        self._show(
            (teaser_renderable(item, language, palette, labels.teaser_only, labels.link_prefix),)
        )
        self.show_starred(False)

    def show_notice(self, message: str, palette: Palette) -> None:
        self._article, self._note = None, ""
        self._show((notice_renderable(message, palette),))
        self.show_starred(False)

    @property
    def note(self) -> str:
        return self._note

    def show_note(self, note: str) -> None:
        """A quiet line in the border: where the text came from, or why no full text."""
        self._note = clean_line(note, limit=200)
        self.show_starred(self._starred)

    def show_starred(self, starred: bool) -> None:
        """Mark the open article as starred in the border, without redrawing or scrolling."""
        self._starred = starred
        mark = labels_of(self.app).starred_mark if self.is_attached else "Starred"
        star = f"{STAR_MARK} {mark}" if starred else ""
        # Content, not a string, which would be read as markup: the note names a host.
        self.border_subtitle = Content(" · ".join(part for part in (star, self._note) if part))

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
        self._lay_out(width)
        self.virtual_size = Size(width, len(self._lines) + padding.height)
        if self._slots:
            self.call_later(self._want_pictures)  # boxes at a new width want new pictures
        return padding

    def _lay_out(self, width: int) -> None:
        """The lines of the text runs, with a box (or a placeholder line) per picture."""
        lines: list[Strip] = []
        slots: list[Slot] = []
        if width > 0:
            shown = self.pictures_shown
            rows = box_rows(width) if shown else 1
            blank = Strip.blank(width)
            console = self.app.console
            for chunk in self._chunks:
                if isinstance(chunk, Picture):
                    start = len(lines)
                    lines.extend([blank] * rows)
                    if shown and chunk.caption is not None:
                        lines.extend(self._rendered.get(chunk.caption, width, console))
                    slots.append(Slot(chunk.ref, start, rows, len(lines) - start))
                elif len(self._chunks) == 1:
                    lines = self._rendered.get(chunk, width, console)
                else:
                    lines.extend(self._rendered.get(chunk, width, console))
        self._lines, self._slots = lines, slots
        self._slot_lines = {
            slot.start + row: (slot, row) for slot in slots for row in range(slot.rows)
        }

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        if round(old_value) != round(new_value) and self._slots:
            # Once the view stops: what a glide or a held key passes is not fetched.
            if self._settle is not None:
                self._settle.stop()
            self._settle = self.set_timer(SCROLL_SETTLE, self._want_pictures)

    def _want_pictures(self) -> None:
        """Fetch the pictures in view and a screen ahead that are not here yet, and let
        go of those more than a screen away."""
        if not self._slots or not self.pictures_shown or not self.is_mounted:
            return
        loader = _loader_of(self)
        if loader is None:
            return
        width = self._layout[0] if self._layout else 0
        height = max(1, self.size.height)
        top = self.scroll_offset.y - (self._padding.top if self._padding else 0)
        bottom = top + 2 * height
        near = {
            (slot.ref.url, width)
            for slot in self._slots
            if slot.covers(top - height, bottom + height)
        }
        # Drawn a screen away, or for another width: let go.
        drawn = self._pictures.keys()  # an LRU cache: it has keys, but is not iterable
        gone = [key for key in drawn if key not in near]
        if gone:
            for key in gone:
                self._pictures.discard(key)
            self._release_evicted()
        for slot in self._slots:
            key = (slot.ref.url, width)
            if not slot.covers(top, bottom) or slot.ref.url in self._refused:
                continue
            if key in self._loading or self._pictures.get(key) is not None:
                continue
            self._loading.add(key)
            self.run_worker(
                self._fetch_picture(loader, slot.ref.url, width, slot.rows),
                group="pictures",
                exit_on_error=False,
            )

    async def _fetch_picture(self, loader: ImageLoader, url: str, width: int, rows: int) -> None:
        """Fetch, check and draw one picture off the UI thread; it fills its box after."""
        from newsreader.feeds.image_decode import ImageRefused

        key = (url, width)
        try:
            if self.renderer == "graphics":
                from newsreader.ui.graphics import cell_pixels, kitty_lines

                cell_width, cell_height = cell_pixels()
                image = await loader.picture(url, width * cell_width, rows * cell_height)
                drawn, release = kitty_lines(image, width, rows, self.app.console)
                self._release[key] = release
            else:
                drawn = await loader.drawn(url, width, rows, picture_lines)
        except ImageRefused as refusal:
            self._refused[url] = refusal.reason
        else:
            self._pictures.set(key, drawn)
            self._release_evicted()
        finally:
            self._loading.discard(key)
        self.refresh()

    def _release_evicted(self, everything: bool = False) -> None:
        """Free in the terminal the pictures no longer kept here."""
        kept = set() if everything else set(self._pictures.keys())
        for key in [key for key in self._release if key not in kept]:
            self._release.pop(key)()

    def on_unmount(self) -> None:
        self._release_evicted(everything=True)

    def _picture_line(self, slot: Slot, row: int, width: int) -> tuple[Strip, int] | None:
        """A line of a drawn picture and the columns before it; None if it is not drawn.

        The cells carry their own colours, so the line is drawn as it is: restyling
        hundreds of cells on every frame would cost more than the rest of the frame.
        """
        if not self.pictures_shown:
            return None
        picture = self._pictures.get((slot.ref.url, width))
        if picture is None:
            return None
        inside = row - (slot.rows - len(picture)) // 2
        if not 0 <= inside < len(picture):
            return Strip([]), 0
        line = picture[inside]
        return line, max(0, (width - line.cell_length) // 2)

    def _slot_line(self, slot: Slot, row: int, width: int) -> Strip:
        """One line of a box whose picture is not drawn: a word on how it is going."""
        labels = labels_of(self.app)
        muted = "dim"
        if not self.pictures_shown:
            words = placeholder(slot.ref, labels, width)
            return Strip([Segment(words)]).crop_extend(0, width, None)
        if row != slot.rows // 2:
            return Strip.blank(width)
        reason = self._refused.get(slot.ref.url)
        words = (
            labels.image_refused.format(reason=reason)
            if reason is not None
            else labels.image_loading.format(text=placeholder(slot.ref, labels, width - 10))
        )
        return Strip(box_message(words, width, muted)).crop_extend(0, width, None)

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
        in_slot = self._slot_lines.get(index)
        text_width = self._layout[0] if self._layout else 0
        if in_slot is not None:
            drawn = self._picture_line(*in_slot, text_width)
            if drawn is not None:
                cells, offset = drawn
                before = Strip.blank(padding.left + offset, style)
                return Strip.join([before, cells]).crop_extend(0, width, style)
            line = self._slot_line(*in_slot, text_width).apply_style(style)
        else:
            line = self._lines[index].apply_style(style)
        return Strip.join([Strip.blank(padding.left, style), line]).crop_extend(0, width, style)


def _loader_of(view: ArticleView) -> ImageLoader | None:
    """The app's image loader, if it has one (``NewsreaderApp.image_loader``)."""
    loader = getattr(view.app, "image_loader", None)
    return loader() if callable(loader) else None
