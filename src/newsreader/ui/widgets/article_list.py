"""The left pane: every stored article, newest first, one line each."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import ClassVar

from textual import on
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from newsreader.models import ArticleSummary
from newsreader.ui.render import Palette, list_row


def _option_id(article_id: int) -> str:
    return f"article-{article_id}"


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
        self._palette = Palette()

    def show_summaries(self, summaries: list[ArticleSummary], palette: Palette) -> None:
        """Replace the rows, keeping the highlighted article where it still exists."""
        previous = self.highlighted_article_id
        self._palette = palette
        self._summaries = {summary.id: summary for summary in summaries}
        self.clear_options()
        self.add_options(
            Option(list_row(summary, palette), id=_option_id(summary.id)) for summary in summaries
        )
        if previous is not None:
            self.highlight_article(previous)
        elif summaries:
            self.highlighted = 0

    @property
    def highlighted_article_id(self) -> int | None:
        option = self.highlighted_option
        if option is None or option.id is None:
            return None
        return int(option.id.removeprefix("article-"))

    def highlight_article(self, article_id: int) -> None:
        """Move the highlight to the article if the list shows it."""
        if article_id in self._summaries:
            self.highlighted = self.get_option_index(_option_id(article_id))

    def mark_read(self, article_id: int) -> None:
        summary = self._summaries.get(article_id)
        if summary is None or summary.read:
            return
        summary = replace(summary, read=True)
        self._summaries[article_id] = summary
        self.replace_option_prompt(_option_id(article_id), list_row(summary, self._palette))

    @on(OptionList.OptionSelected)
    def _announce_choice(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.post_message(self.ArticleChosen(int(event.option.id.removeprefix("article-"))))
