"""The small dialog that asks what to call a search before it is saved."""

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

MAX_NAME_LENGTH = 200


class SaveSearchScreen(ModalScreen[str | None]):
    """Dismisses with the name typed (never empty), or None when the reader escapes."""

    HELP_SECTION: ClassVar[str] = "Save search"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="cancel-save-search"),
    ]

    def __init__(self, query: str, name: str) -> None:
        """``query`` is what will be saved; ``name`` is offered to start with."""
        super().__init__()
        self._query = query
        self._name = name

    def compose(self) -> ComposeResult:
        labels = labels_of(self.app)
        with Vertical(id="save-search-dialog") as dialog:
            dialog.border_title = labels.save_search_title
            # The query and the name are the reader's text: shown as written, never markup.
            query = labels.saved_query.format(query=self._query)
            yield Static(Text(query, no_wrap=True, overflow="ellipsis"), id="save-search-query")
            yield Input(
                value=self._name,
                placeholder=labels.save_search_placeholder,
                max_length=MAX_NAME_LENGTH,
                id="save-search-name",
            )
            yield Static(labels.save_search_hint, id="save-search-hint", markup=False)
        yield KeyFooter()

    def on_mount(self) -> None:
        localise_tree(self, labels_of(self.app))
        self.query_one(Input).focus()

    @on(Input.Submitted, "#save-search-name")
    def _save_under_name(self, event: Input.Submitted) -> None:
        event.stop()
        name = event.value.strip()
        if name:
            self.dismiss(name)
        else:
            hint = self.query_one("#save-search-hint", Static)
            hint.update(Text(labels_of(self.app).name_needed))

    def action_cancel(self) -> None:
        self.dismiss(None)
