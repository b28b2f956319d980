"""The links in an article's text, numbered; choosing one returns it to the caller.

Enter opens the highlighted link, and a digit from 1 to 9 the link of that number, as the
article view numbers them. The caller opens the link (in a worker): this screen only lists.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from newsreader.models import Link
from newsreader.ui.labels import labels_of, localise_tree
from newsreader.ui.link_text import link_line
from newsreader.ui.render import palette_from_theme
from newsreader.ui.widgets.key_footer import KeyFooter

DIGITS = "123456789"


class LinkList(OptionList):
    """The links, one option each."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down,j", "cursor_down", "Next link", show=False, id="links-next"),
        Binding("up,k", "cursor_up", "Previous link", show=False, id="links-previous"),
        Binding("enter", "select", "Open link", id="links-open"),
    ]


class LinksScreen(ModalScreen[Link | None]):
    """Dismisses with the chosen link, or None when the reader escapes."""

    HELP_SECTION: ClassVar[str] = "Links"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,l", "close", "Close links", id="close-links"),
    ]

    def __init__(self, links: Sequence[Link]) -> None:
        super().__init__()
        self._links = tuple(links)

    def compose(self) -> ComposeResult:
        labels = labels_of(self.app)
        muted = palette_from_theme(self.app.theme_variables).muted
        with Vertical(id="links-dialog") as dialog:
            dialog.border_title = labels.links_title
            yield Static(labels.links_hint if self._links else labels.no_links, id="links-hint")
            yield LinkList(
                *[
                    Option(link_line(number, link, muted), id=f"link-{number}")
                    for number, link in enumerate(self._links, 1)
                ],
                id="links-list",
            )
        yield KeyFooter()

    def on_mount(self) -> None:
        localise_tree(self, labels_of(self.app))
        links = self.query_one(LinkList)
        links.focus()
        if self._links:
            links.highlighted = 0

    @on(OptionList.OptionSelected, "#links-list")
    def _open_selected_link(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self._choose(int(event.option.id.removeprefix("link-")))

    def on_key(self, event: events.Key) -> None:
        """1 to 9 open the link of that number at once, as the article view numbers them."""
        if event.character is not None and event.character in DIGITS:
            event.stop()
            event.prevent_default()
            self._choose(int(event.character))

    def _choose(self, number: int) -> None:
        if 1 <= number <= len(self._links):
            self.dismiss(self._links[number - 1])

    def action_close(self) -> None:
        self.dismiss(None)
