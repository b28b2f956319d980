"""The left pane under the feeds: the articles of the chosen view, newest first, one line each."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from newsreader.models import ArticleSummary
from newsreader.ui.render import Palette, list_row


def _option_id(article_id: int) -> str:
    return f"article-{article_id}"


def _newest_first(summary: ArticleSummary) -> tuple[bool, float, int]:
    """The store's order: newest first, undated last, ties by id."""
    stamp = summary.published
    return (stamp is None, -stamp.timestamp() if isinstance(stamp, datetime) else 0.0, -summary.id)


class ArticleList(OptionList):
    """Moving the highlight only selects; enter or a click opens."""

    HELP_SECTION: ClassVar[str] = "Article list"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down,j", "cursor_down", "Next article", show=False, id="list-next"),
        Binding("up,k", "cursor_up", "Previous article", show=False, id="list-previous"),
        Binding("enter", "select", "Open", id="list-open"),
        Binding("home", "first", "First article", show=False, id="list-first"),
        Binding("end", "last", "Last article", show=False, id="list-last"),
        Binding("pageup", "page_up", "Page up", show=False, id="list-page-up"),
        Binding("pagedown", "page_down", "Page down", show=False, id="list-page-down"),
    ]

    @dataclass
    class ArticleChosen(Message):
        """The reader asked to open this article."""

        article_id: int

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.border_title = "Articles"
        self._summaries: dict[int, ArticleSummary] = {}
        self._changed: set[int] = set()
        self._palette = Palette()

    def show_summaries(
        self,
        summaries: list[ArticleSummary],
        palette: Palette,
        *,
        same_view: bool,
        prefer: int | None = None,
        empty: str = "",
    ) -> None:
        """Replace the rows, keeping the highlighted article where it still exists.

        Reloading the same view keeps the rows the reader marked since it was chosen, even
        if they no longer belong (a read article in "All unread"), so nothing vanishes from
        under the cursor. A new view highlights ``prefer`` (the open article) if it lists it.
        """
        previous = self.highlighted_article_id if same_view else prefer
        if same_view:
            listed = {summary.id for summary in summaries}
            kept = [
                self._summaries[article_id]
                for article_id in self._changed
                if article_id in self._summaries and article_id not in listed
            ]
            summaries = sorted([*summaries, *kept], key=_newest_first) if kept else summaries
        else:
            self._changed.clear()
        self._palette = palette
        self._summaries = {summary.id: summary for summary in summaries}
        self.clear_options()
        if not summaries and empty:
            self.add_option(Option(Text(empty, style=palette.muted), disabled=True))
            return
        self.add_options(
            Option(list_row(summary, palette), id=_option_id(summary.id)) for summary in summaries
        )
        if previous is not None and previous in self._summaries:
            self.highlight_article(previous)
        elif summaries:
            self.highlighted = 0

    @property
    def highlighted_article_id(self) -> int | None:
        option = self.highlighted_option
        if option is None or option.id is None:
            return None
        return int(option.id.removeprefix("article-"))

    def summary(self, article_id: int) -> ArticleSummary | None:
        """The row's article as listed, with the read and star state the reader sees."""
        return self._summaries.get(article_id)

    def highlight_article(self, article_id: int) -> None:
        """Move the highlight to the article if the list shows it."""
        if article_id in self._summaries:
            self.highlighted = self.get_option_index(_option_id(article_id))

    def update_state(
        self, article_id: int, *, read: bool | None = None, starred: bool | None = None
    ) -> None:
        """Redraw one row after its read or star state changed."""
        summary = self._summaries.get(article_id)
        if summary is None:
            return
        changed = replace(
            summary,
            read=summary.read if read is None else read,
            starred=summary.starred if starred is None else starred,
        )
        if changed == summary:
            return
        self._summaries[article_id] = changed
        self._changed.add(article_id)
        self.replace_option_prompt(_option_id(article_id), list_row(changed, self._palette))

    @on(OptionList.OptionSelected)
    def _announce_choice(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.post_message(self.ArticleChosen(int(event.option.id.removeprefix("article-"))))
