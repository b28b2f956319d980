"""The newsreader application: global keys, settings, the stylesheet and the reading screen."""

from __future__ import annotations

import gc
import os
import signal
import sys
import threading
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import App
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.theme import Theme

from newsreader.config import Config
from newsreader.store.database import Store
from newsreader.ui import first_screen
from newsreader.ui.commands import NewsreaderCommands
from newsreader.ui.labels import Labels, key_display, labels_for, labels_of, localise_node
from newsreader.ui.render import palette_from_theme
from newsreader.ui.screens.main import MainScreen
from newsreader.ui.screens.panes import ZoomChanged
from newsreader.ui.settings import problems_notice
from newsreader.ui.ui_state import load_state, save_state, start_theme, state_path

if TYPE_CHECKING:
    from newsreader.feeds.fetch import FetchSettings
    from newsreader.feeds.images import ImageLoader

# Seconds after which the cycle collector runs again even if no first screen came.
START_UP_COLLECTOR_PAUSE = 3.0
# Seconds between checks that the terminal is still there (see ``_leave_a_closed_terminal``).
TERMINAL_CHECK_INTERVAL = 1.0


class NewsreaderApp(App[None]):
    """Thin on purpose: the screens do the work, on the store they are given."""

    CSS_PATH = "app.tcss"
    TITLE = "newsreader"
    COMMANDS: ClassVar = {NewsreaderCommands}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("question_mark", "help", "Help", id="help"),
        Binding("q", "quit", "Quit", id="quit"),
        Binding(
            "ctrl+p", "command_palette", "Commands", show=False, priority=True, id="command-palette"
        ),
    ]

    def __init__(
        self,
        store: Store,
        fetch_settings: FetchSettings | None = None,
        config: Config | None = None,
        config_problems: Sequence[str] = (),
        image_loader: ImageLoader | None = None,
        graphics: bool = False,
        image_cache: Path | None = None,
    ) -> None:
        """``fetch_settings`` is how ``r`` refreshes; None means the config's (or defaults).

        A bad config never stops the app: ``config_problems`` are shown once it is up.
        ``image_loader`` fetches the articles' pictures; by default one is made when the
        first picture is wanted, with the cache in the user cache directory. ``graphics``
        says the terminal shows the Kitty graphics protocol (``graphics.probe_graphics``);
        ``image_cache`` is ``--image-cache``, where fetched pictures are kept.
        """
        super().__init__()
        self._image_loader = image_loader
        self.graphics = graphics
        self._image_cache = image_cache
        self.store = store
        self.config = config if config is not None else Config()
        self.labels: Labels = labels_for(self.config.language)
        self.fetch_settings = (
            fetch_settings
            if fetch_settings is not None
            else (self.config.fetch_settings() if config is not None else None)
        )
        self._problems = list(config_problems)
        self._state_lock = threading.Lock()
        # The newest articles, read while Textual loads and starts, for the first screen.
        self._first_screen = first_screen.for_store(store)
        self._apply_settings()
        localise_node(self, self.labels)

    def _apply_settings(self) -> None:
        """Theme and keymap from the config; what cannot apply is told, not fatal."""
        state = load_state(state_path())
        self._zoomed = state.zoomed
        start = start_theme(
            self.config.ui.theme, state.theme, self.available_themes, state.theme_config
        )
        if start.unknown is not None:
            self._problems.append(
                self.labels.unknown_theme.format(name=start.unknown, default=start.name)
            )
        self.theme = start.name
        self._saved_theme = start.name
        keymap = dict(self.config.keymap)
        if keymap:  # checking it imports every screen, which the first screen does without
            from newsreader.ui.keymap_check import keymap_problems

            self._problems += keymap_problems(keymap, self.BINDINGS, self.labels)
        self.set_keymap(keymap)

    def get_key_display(self, binding: Binding) -> str:
        """Key names in the reader's language (Leertaste, Bild↓), wherever keys are shown."""
        return key_display(labels_of(self), super().get_key_display(binding))

    def image_loader(self) -> ImageLoader:
        """The loader of the articles' pictures, made on first use."""
        if self._image_loader is None:
            from newsreader.config import MIB
            from newsreader.feeds.image_cache import ImageCache
            from newsreader.feeds.images import ImageLoader
            from newsreader.paths import image_cache_dir

            directory = image_cache_dir(self._image_cache)
            cache = ImageCache(directory, self.config.ui.image_cache_mib * MIB)
            self._image_loader = ImageLoader(cache, self.fetch_settings)
        return self._image_loader

    async def on_unmount(self) -> None:
        if self._image_loader is not None:
            await self._image_loader.aclose()

    def get_default_screen(self) -> Screen[None]:
        return MainScreen(
            self.store,
            self.fetch_settings,
            first_screen=self._first_screen,
            config=self.config,
            zoomed=self._zoomed,
        )

    def on_mount(self) -> None:
        self.theme_changed_signal.subscribe(self, self._remember_theme)
        # The main screen turns the collector back on after the first screen; should that
        # never come (a store that cannot be read), it is on again shortly all the same.
        self.set_timer(START_UP_COLLECTOR_PAUSE, gc.enable)
        if not self.is_headless and _terminal_open():
            self.set_interval(TERMINAL_CHECK_INTERVAL, self._leave_a_closed_terminal)
        if self._problems:
            self.notify(
                problems_notice(self._problems, self.labels),
                title=self.labels.settings_ignored,
                severity="warning",
                timeout=20,
                markup=False,
            )

    def _leave_a_closed_terminal(self) -> None:
        """End the reader once its terminal is gone (the window closed, the connection
        dropped), as the terminal's hang-up signal would have.

        That signal does not always reach the reader (under ``make run``, say), and then
        Textual's input thread reads the end of the closed terminal again and again, at
        full speed, for good. The end is as abrupt as the signal's: nothing can be shown
        or restored any more, and a quit in the usual way would wait for ever on writes
        to the closed terminal. The store is safe, as after any interruption.
        """
        if not _terminal_open():
            signal.signal(signal.SIGHUP, signal.SIG_DFL)
            os.kill(os.getpid(), signal.SIGHUP)

    def _remember_theme(self, theme: Theme) -> None:
        """A theme the reader switches to is kept for the next start (see ``ui_state``)."""
        if theme.name != self._saved_theme:
            self._saved_theme = theme.name
            self._save_state(theme=theme.name)

    @on(ZoomChanged)
    def _remember_zoom(self, message: ZoomChanged) -> None:
        self._save_state(zoomed=message.zoomed)

    @work(thread=True, group="ui-state", exit_on_error=False)
    def _save_state(self, *, theme: str | None = None, zoomed: bool | None = None) -> None:
        """Keep one choice, the others as they were (one writer at a time)."""
        try:
            with self._state_lock:
                state = load_state(state_path())
                if theme is not None:
                    state = replace(state, theme=theme, theme_config=self.config.ui.theme)
                if zoomed is not None:
                    state = replace(state, zoomed=zoomed)
                save_state(state_path(), state)
        except OSError as error:
            self.call_from_thread(
                self.notify,
                self.labels.state_not_saved.format(error=error),
                severity="warning",
                markup=False,
            )

    def action_help(self) -> None:
        """Document the keys of the screen the reader is on, as they are bound right now."""
        # The dialogs are imported when first opened: starting up does not need them.
        from newsreader.ui.screens.add_feed import AddFeedScreen
        from newsreader.ui.screens.confirm import ConfirmScreen
        from newsreader.ui.screens.help import HelpScreen, collect_help
        from newsreader.ui.screens.links import LinkList, LinksScreen
        from newsreader.ui.screens.save_search import SaveSearchScreen
        from newsreader.ui.screens.search import SearchResults, SearchScreen

        if isinstance(self.screen, HelpScreen):
            self.screen.dismiss(None)
            return
        elsewhere = [
            ("Search", [*SearchScreen.BINDINGS, *SearchResults.BINDINGS]),
            ("Save search", SaveSearchScreen.BINDINGS),
            ("Links", [*LinksScreen.BINDINGS, *LinkList.BINDINGS]),
            ("Add feed", AddFeedScreen.BINDINGS),
            ("Confirm", ConfirmScreen.BINDINGS),
            ("Help", HelpScreen.BINDINGS),
        ]
        entries = collect_help(self, self.screen, elsewhere)
        self.push_screen(HelpScreen(entries, palette_from_theme(self.theme_variables)))


def known_binding_ids() -> set[str]:
    """Every binding id of the app, its screens and widgets: what the keymap may name."""
    from newsreader.ui.keymap_check import all_binding_ids

    return all_binding_ids(NewsreaderApp.BINDINGS)


def _terminal_open() -> bool:
    """Whether the terminal the reader reads its keys from is still there."""
    stdin = sys.__stdin__
    try:
        return stdin is not None and os.isatty(stdin.fileno())
    except (OSError, ValueError):  # closed, or not a real file
        return False
