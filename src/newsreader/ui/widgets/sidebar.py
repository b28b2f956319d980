"""The right pane: related stories, broadcasts and media, headed the way the source heads them.

One OptionList holds all three sections; the headings are disabled options, so the
cursor keys skip them and only the items can be highlighted and chosen. Under the related
stories the source names come the ones the store finds alike ("More on this"); they are
looked up in a thread worker once the article is shown, and added when they arrive.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option
from textual.worker import Worker, WorkerState

from newsreader.models import Article, MediaItem, ProgrammeSlot, RelatedItem
from newsreader.store.database import Store
from newsreader.text.sanitize import openable_url
from newsreader.ui.labels import labels_of
from newsreader.ui.render import (
    Palette,
    heading_option,
    media_prompt,
    programme_prompt,
    related_prompt,
    similar_prompt,
    subheading_option,
)

SIMILAR_LIMIT = 8  # computed related stories listed


def _sections_key(article: Article) -> tuple[object, ...]:
    """What the sidebar shows of an article; the read flag and body do not matter here."""
    return (
        article.id,
        article.language,
        article.labels,
        article.related,
        article.programme,
        article.media,
    )


class Sidebar(OptionList):
    """Posts a typed message for whichever kind of item the reader chooses."""

    HELP_SECTION: ClassVar[str] = "Sidebar"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down,j", "cursor_down", "Next item", show=False, id="sidebar-next"),
        Binding("up,k", "cursor_up", "Previous item", show=False, id="sidebar-previous"),
        Binding("enter", "select", "Open item", id="sidebar-open"),
    ]

    @dataclass
    class RelatedChosen(Message):
        """A related item of ``article`` was chosen."""

        article: Article
        position: int

    @dataclass
    class SimilarChosen(Message):
        """A related story the store found was chosen: a stored article."""

        article_id: int

    @dataclass
    class ProgrammeChosen(Message):
        slot: ProgrammeSlot
        language: str | None

    @dataclass
    class MediaChosen(Message):
        item: MediaItem

    @dataclass
    class SimilarFound(Message):
        """The related stories the store found for the article ``article_id``."""

        article_id: int
        items: list[RelatedItem]

    def __init__(self, store: Store, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._store = store
        self._article: Article | None = None
        self._key: tuple[object, ...] | None = None
        self._palette = Palette()
        # The related stories the store found, and for which article.
        self._similar: tuple[int | None, tuple[RelatedItem, ...]] = (None, ())

    def on_mount(self) -> None:
        self.border_title = labels_of(self.app).more

    def show_article(
        self, article: Article | None, palette: Palette, *, keep_highlight: bool = False
    ) -> None:
        """List the article's sections at once; the store's related stories follow.

        Unchanged sections keep the reader's highlight; so do changed ones with
        ``keep_highlight`` (the same article, with what its web page added).
        """
        self._palette = palette
        if article is None or article.id != self._similar[0]:
            self._similar = (None, ())
            if article is not None and article.id is not None:
                # Once the article is on screen: the lookup is Python work that would hold
                # the frame back (the first frame most of all), and its items come later
                # anyway.
                self.call_after_refresh(self._look_for_similar, article.id)
        self._show(article, palette, keep_highlight=keep_highlight)

    def _look_for_similar(self, article_id: int) -> None:
        if self._article is not None and self._article.id == article_id:  # still shown
            self._find_similar(article_id)

    @work(thread=True, exclusive=True, group="similar", exit_on_error=False)
    def _find_similar(self, article_id: int) -> None:
        items = self._store.similar_articles(article_id, limit=SIMILAR_LIMIT)
        self.post_message(self.SimilarFound(article_id, items))

    @on(SimilarFound)
    def _show_similar(self, message: SimilarFound) -> None:
        """Add the related stories the store found, if that article is still shown."""
        message.stop()
        article = self._article
        if article is None or article.id != message.article_id:
            return
        found = tuple(item for item in message.items if item.article_id is not None)
        self._similar = (message.article_id, found)
        self._show(article, self._palette, keep_highlight=True)

    @on(Worker.StateChanged)
    def _report_failed_lookup(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.ERROR:
            event.stop()
            error = labels_of(self.app).store_failed.format(error=event.worker.error)
            self.notify(error, severity="error", markup=False)

    def _show(self, article: Article | None, palette: Palette, *, keep_highlight: bool) -> None:
        similar = self._similar[1]
        key = None if article is None else (*_sections_key(article), similar, palette)
        if key == self._key:
            self._article = article
            return
        self._article, self._key = article, key
        highlighted = self.highlighted_option
        previous = highlighted.id if keep_highlight and highlighted is not None else None
        scroll_y = self.scroll_y
        self.clear_options()
        if article is None:
            return
        options = self._section_options(article, similar, palette)
        self.add_options(options)
        if previous is not None and any(o is not None and o.id == previous for o in options):
            self.highlighted = self.get_option_index(previous)
            self.scroll_to(y=scroll_y, animate=False, immediate=True)
        else:
            self.action_first()

    def _section_options(
        self, article: Article, similar: tuple[RelatedItem, ...], palette: Palette
    ) -> list[Option | None]:
        labels, language = article.labels, article.language
        ui = labels_of(self.app)  # the reader's words, where the feed names no heading
        options: list[Option | None] = []
        if article.related or similar:
            heading = heading_option(labels.related or ui.related, palette)
            options.append(Option(heading, disabled=True))
            last = len(article.related) - 1
            options += [
                Option(related_prompt(item, language, palette, gap=n < last), f"related-{n}")
                for n, item in enumerate(article.related)
            ]
        if similar:
            if article.related:
                options.append(Option(Text(), disabled=True))
            options.append(Option(subheading_option(ui.more_on_this), disabled=True))
            last = len(similar) - 1
            options += [
                Option(similar_prompt(item, language, palette, gap=n < last), f"similar-{n}")
                for n, item in enumerate(similar)
            ]
        if article.programme:
            if options:
                options.append(None)
            label = labels.programme or ui.on_air
            options.append(Option(heading_option(label, palette), disabled=True))
            options += [
                Option(programme_prompt(slot, language), id=f"programme-{n}")
                for n, slot in enumerate(article.programme)
            ]
        if article.media:
            if options:
                options.append(None)
            heading = heading_option(labels.media or ui.more_media, palette)
            options.append(Option(heading, disabled=True))
            options += [
                Option(media_prompt(item, palette), id=f"media-{n}")
                for n, item in enumerate(article.media)
            ]
        return options

    def media_to_play(self, article: Article) -> MediaItem | None:
        """The media item highlighted here, else the article's first with an http(s) link."""
        option = self.highlighted_option
        shown = self._article
        if (
            shown is not None
            and shown.id == article.id
            and option is not None
            and option.id is not None
            and option.id.startswith("media-")
        ):
            return article.media[int(option.id.removeprefix("media-"))]
        playable = [item for item in article.media if openable_url(item.url) is not None]
        return playable[0] if playable else None

    @on(OptionList.OptionSelected)
    def _announce_choice(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        article, option_id = self._article, event.option.id
        if article is None or option_id is None:
            return
        kind, _, number = option_id.partition("-")
        position = int(number)
        if kind == "related":
            self.post_message(self.RelatedChosen(article, position))
        elif kind == "similar":
            article_id = self._similar[1][position].article_id
            if article_id is not None:
                self.post_message(self.SimilarChosen(article_id))
        elif kind == "programme":
            self.post_message(self.ProgrammeChosen(article.programme[position], article.language))
        elif kind == "media":
            self.post_message(self.MediaChosen(article.media[position]))
