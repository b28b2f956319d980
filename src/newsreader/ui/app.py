"""The newsreader application: global keys, the stylesheet and the reading screen."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.app import App
from textual.binding import Binding, BindingType
from textual.screen import Screen

from newsreader.store import Store
from newsreader.ui import first_screen
from newsreader.ui.render import palette_from_theme
from newsreader.ui.screens.main import MainScreen

if TYPE_CHECKING:
    from newsreader.fetch import FetchSettings


class NewsreaderApp(App[None]):
    """Thin on purpose: the screens do the work, on the store they are given."""

    CSS_PATH = "app.tcss"
    TITLE = "newsreader"
    ENABLE_COMMAND_PALETTE = False
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("question_mark", "help", "Help", id="help"),
        Binding("q", "quit", "Quit", id="quit"),
    ]

    def __init__(self, store: Store, fetch_settings: FetchSettings | None = None) -> None:
        """``fetch_settings`` is how ``r`` refreshes; None means the defaults."""
        super().__init__()
        self.store = store
        self.fetch_settings = fetch_settings
        # The newest articles, read while Textual loads and starts, for the first screen.
        self._first_screen = first_screen.for_store(store)

    def get_default_screen(self) -> Screen[None]:
        return MainScreen(self.store, self.fetch_settings, first_screen=self._first_screen)

    def action_help(self) -> None:
        """Document the keys of the screen the reader is on, as they are bound right now."""
        # The dialogs are imported when first opened: starting up does not need them.
        from newsreader.ui.screens.help import HelpScreen, collect_help
        from newsreader.ui.screens.search import SearchResults, SearchScreen

        if isinstance(self.screen, HelpScreen):
            self.screen.dismiss(None)
            return
        elsewhere = [
            ("Search", [*SearchScreen.BINDINGS, *SearchResults.BINDINGS]),
            ("Help", HelpScreen.BINDINGS),
        ]
        entries = collect_help(self, self.screen, elsewhere)
        self.push_screen(HelpScreen(entries, palette_from_theme(self.theme_variables)))
