"""The small dialog that asks for a feed's address (or a local feed file) to subscribe to."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from newsreader.ui.labels import labels_of, localise_tree
from newsreader.ui.widgets.key_footer import KeyFooter

MAX_SOURCE_LENGTH = 2000


class AddFeedScreen(ModalScreen[str | None]):
    """Dismisses with the address typed (never empty), or None when the reader escapes."""

    HELP_SECTION: ClassVar[str] = "Add feed"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="cancel-add-feed"),
    ]

    def compose(self) -> ComposeResult:
        labels = labels_of(self.app)
        with Vertical(id="add-feed-dialog") as dialog:
            dialog.border_title = labels.add_feed_title
            yield Input(
                placeholder=labels.add_feed_placeholder,
                max_length=MAX_SOURCE_LENGTH,
                id="add-feed-source",
            )
            yield Static(Text(labels.add_feed_hint), id="add-feed-hint")
        yield KeyFooter()

    def on_mount(self) -> None:
        localise_tree(self, labels_of(self.app))
        self.query_one(Input).focus()

    @on(Input.Submitted, "#add-feed-source")
    def _subscribe(self, event: Input.Submitted) -> None:
        event.stop()
        source = event.value.strip()
        if source:
            self.dismiss(source)
        else:
            self.query_one("#add-feed-hint", Static).update(
                Text(labels_of(self.app).add_feed_needed)
            )

    def action_cancel(self) -> None:
        self.dismiss(None)
