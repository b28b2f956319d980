"""The newsreader application: global keys, the stylesheet and the reading screen."""

from __future__ import annotations

from typing import ClassVar

from textual.app import App
from textual.binding import Binding, BindingType
from textual.screen import Screen

from newsreader.fetch import FetchSettings
from newsreader.store import Store
from newsreader.ui.render import palette_from_theme
from newsreader.ui.screens.help import HelpScreen, collect_help
from newsreader.ui.screens.main import MainScreen
from newsreader.ui.screens.search import SearchResults, SearchScreen


def _start_resource_tracker(settings: FetchSettings) -> None:
    """Start multiprocessing's resource tracker now, while stderr is still the terminal's.

    While the app runs, Textual replaces ``sys.stderr`` with an object whose ``fileno()`` is
    -1. The tracker starts lazily with the first parser process pool and hands that
    descriptor to its child, which fails ("bad value(s) in fds_to_keep"), and with it the
    parsing of every feed. Started early, it is simply reused.
    """
    if settings.parse_in == "process":
        from multiprocessing import resource_tracker

        resource_tracker.ensure_running()


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
        _start_resource_tracker(fetch_settings or FetchSettings())

    def get_default_screen(self) -> Screen[None]:
        return MainScreen(self.store, self.fetch_settings)

    def action_help(self) -> None:
        """Document the keys of the screen the reader is on, as they are bound right now."""
        if isinstance(self.screen, HelpScreen):
            self.screen.dismiss(None)
            return
        elsewhere = [
            ("Search", [*SearchScreen.BINDINGS, *SearchResults.BINDINGS]),
            ("Help", HelpScreen.BINDINGS),
        ]
        entries = collect_help(self, self.screen, elsewhere)
        self.push_screen(HelpScreen(entries, palette_from_theme(self.theme_variables)))
