"""A small dialog that asks before something is deleted: yes with y or enter, no with n or esc."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from newsreader.ui.labels import labels_of, localise_tree
from newsreader.ui.widgets.key_footer import KeyFooter


class ConfirmScreen(ModalScreen[bool]):
    """Dismisses with True (yes) or False (no); the question is plain text, never markup."""

    HELP_SECTION: ClassVar[str] = "Confirm"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y,enter", "answer(True)", "Yes", id="confirm-yes"),
        Binding("n,escape", "answer(False)", "No", id="confirm-no"),
    ]

    def __init__(self, question: str) -> None:
        super().__init__()
        self._question = question

    def compose(self) -> ComposeResult:
        labels = labels_of(self.app)
        with Vertical(id="confirm-dialog") as dialog:
            dialog.border_title = labels.confirm_title
            yield Static(Text(self._question), id="confirm-question")
            yield Static(Text(labels.confirm_hint), id="confirm-hint")
        yield KeyFooter()

    def on_mount(self) -> None:
        localise_tree(self, labels_of(self.app))

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
