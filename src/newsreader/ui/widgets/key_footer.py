"""The footer: Textual's, rebuilt only when the keys it shows have changed.

Textual's Footer rebuilds all its key widgets on every request to refresh the bindings.
The reading screen asks for that whenever the highlight moves or an article opens (so
that keys which cannot act are hidden), which made the footer a large part of the cost of
starting up and of every keypress in the lists. Here the requests of one moment are
handled once, and only a change in what the footer shows rebuilds it.

The app's own keys (help and quit) come first: a narrow terminal cuts the footer off at
the right, and those two must stay in sight whatever else there is to show.
"""

from __future__ import annotations

from typing import Any, Final

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

FIRST_ACTIONS: Final = ("help", "quit")

Shown = tuple[tuple[str, str, bool, str], ...]


def shown_keys(screen: Screen[Any]) -> Shown:
    """The keys a footer on ``screen`` shows now: key, description, enabled, tooltip."""
    return tuple(
        (binding.key, binding.description, enabled, tooltip)
        for _node, binding, enabled, tooltip in screen.active_bindings.values()
        if binding.show
    )


class KeyFooter(Footer):
    """A Footer that skips rebuilding itself when nothing it shows has changed."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._shown: Shown | None = None
        self._check_pending = False

    def compose(self) -> ComposeResult:
        keys: list[Widget] = list(super().compose())
        first = [key for key in keys if isinstance(key, FooterKey) and key.action in FIRST_ACTIONS]
        first.sort(key=lambda key: FIRST_ACTIONS.index(key.action))
        yield from first
        yield from (key for key in keys if key not in first)

    def bindings_changed(self, screen: Screen[Any]) -> None:
        if not self._check_pending:
            self._check_pending = True
            self.call_after_refresh(self._follow_bindings, screen)

    def _follow_bindings(self, screen: Screen[Any]) -> None:
        self._check_pending = False
        shown = shown_keys(screen)
        if shown != self._shown:
            self._shown = shown
            super().bindings_changed(screen)
