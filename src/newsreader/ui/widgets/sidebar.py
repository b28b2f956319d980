"""The right pane: related stories, broadcasts and media, headed the way the source heads them.

One OptionList holds all three sections; the headings are disabled options, so the
cursor keys skip them and only the items can be highlighted and chosen.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual import on
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from newsreader.models import Article, MediaItem, ProgrammeSlot
from newsreader.ui.labels import labels_of
from newsreader.ui.render import (
    Palette,
    heading_option,
    media_prompt,
    programme_prompt,
    related_prompt,
)


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
    class ProgrammeChosen(Message):
        slot: ProgrammeSlot
        language: str | None

    @dataclass
    class MediaChosen(Message):
        item: MediaItem

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._article: Article | None = None
        self._key: tuple[object, ...] | None = None

    def on_mount(self) -> None:
        self.border_title = labels_of(self.app).more

    def show_article(self, article: Article | None, palette: Palette) -> None:
        """List the article's sections; unchanged sections keep the reader's highlight."""
        key = None if article is None else (*_sections_key(article), palette)
        if key == self._key:
            self._article = article
            return
        self._article, self._key = article, key
        self.clear_options()
        if article is None:
            return
        labels, language = article.labels, article.language
        ui = labels_of(self.app)  # the reader's words, where the feed names no heading
        options: list[Option | None] = []
        if article.related:
            last = len(article.related) - 1
            options.append(
                Option(
                    heading_option(labels.related or ui.related, palette),
                    disabled=True,
                )
            )
            options += [
                Option(
                    related_prompt(item, language, palette, gap=n < last),
                    id=f"related-{n}",
                )
                for n, item in enumerate(article.related)
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
            options.append(
                Option(
                    heading_option(labels.media or ui.more_media, palette),
                    disabled=True,
                )
            )
            options += [
                Option(media_prompt(item, palette), id=f"media-{n}")
                for n, item in enumerate(article.media)
            ]
        self.add_options(options)
        self.action_first()

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
        elif kind == "programme":
            self.post_message(self.ProgrammeChosen(article.programme[position], article.language))
        elif kind == "media":
            self.post_message(self.MediaChosen(article.media[position]))
