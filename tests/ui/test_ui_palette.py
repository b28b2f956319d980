"""ctrl+p lists what can be done right now; a chosen command does what its key does."""

from __future__ import annotations

from typing import Any

from pilot_helpers import SIZE, VW_TITLE, pane_text, screen_text, settle, wait_until
from textual.command import CommandList, CommandPalette
from textual.pilot import Pilot

from newsreader.config import Config, UiConfig, parse_config
from newsreader.store.database import Store
from newsreader.ui.app import NewsreaderApp
from newsreader.ui.commands import palette_commands
from newsreader.ui.screens.main import MainScreen
from newsreader.ui.ui_state import UiState, load_state, save_state, state_path


def offered(app: NewsreaderApp) -> list[str]:
    return [command.name for command in palette_commands(app, app.screen)]


def vw_starred(store: Store) -> bool:
    article = store.article(next(s.id for s in store.articles() if s.title == VW_TITLE))
    assert article is not None
    return article.starred


async def run_command(pilot: Pilot[Any], typed: str) -> None:
    """Open the palette, type, and choose the first command it lists."""
    await pilot.press("ctrl+p")
    assert isinstance(pilot.app.screen, CommandPalette)
    await pilot.press(*typed)
    await wait_until(
        pilot,
        lambda: pilot.app.screen.query_one(CommandList).option_count > 0,
        f"the palette lists commands for {typed!r}",
    )
    await pilot.press("enter")
    await settle(pilot)


async def test_star_from_the_palette_stars_the_open_article(seeded_store: Store) -> None:
    app = NewsreaderApp(store=seeded_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert not vw_starred(seeded_store)
        await run_command(pilot, "Star")
        assert isinstance(app.screen, MainScreen)
        await wait_until(pilot, lambda: vw_starred(seeded_store), "the star is stored")
        assert "★" in pane_text(app, "#article-list")


async def test_only_commands_that_can_act_now_are_offered(seeded_store: Store) -> None:
    app = NewsreaderApp(store=seeded_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        names = offered(app)
        for available in ("Search", "Refresh", "Read/unread", "Star", "Export programme"):
            assert available in names
        # Nothing to go back to, no links in the bundled story's text, no playable media.
        for unavailable in ("Back", "Forward", "Links", "Play"):
            assert unavailable not in names
        assert "Theme: nord" in names
        assert "Save search" not in " ".join(names)

        # Opening a related item leaves something to go back to; the teaser has no programme.
        await pilot.press("tab", "tab", "enter")
        await settle(pilot)
        names = offered(app)
        assert "Back" in names
        assert "Export programme" not in names


async def test_a_command_shows_its_key_as_remapped(seeded_store: Store) -> None:
    config = parse_config('[keymap]\nrefresh = "f5"\n').config
    app = NewsreaderApp(store=seeded_store, config=config)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        refresh = next(c for c in palette_commands(app, app.screen) if c.name == "Refresh")
        assert refresh.help.endswith("f5")


async def test_a_theme_chosen_in_the_palette_is_there_on_the_next_start(
    seeded_store: Store,
) -> None:
    app = NewsreaderApp(store=seeded_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.theme == "textual-dark"
        await run_command(pilot, "Theme: nord")
        assert app.theme == "nord"
        await wait_until(pilot, lambda: load_state(state_path()).theme == "nord", "it is saved")
        assert VW_TITLE in pane_text(app, "#article-view")

    again = NewsreaderApp(store=seeded_store)
    async with again.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert again.theme == "nord"


async def test_a_theme_chosen_in_the_palette_wins_over_the_config_until_the_config_changes(
    seeded_store: Store,
) -> None:
    gruvbox = Config(ui=UiConfig(theme="gruvbox"))
    app = NewsreaderApp(store=seeded_store, config=gruvbox)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.theme == "gruvbox"
        await run_command(pilot, "Theme: nord")
        await wait_until(pilot, lambda: load_state(state_path()).theme == "nord", "it is saved")

    again = NewsreaderApp(store=seeded_store, config=gruvbox)
    async with again.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert again.theme == "nord"  # as the palette promised

    edited = NewsreaderApp(store=seeded_store, config=Config(ui=UiConfig(theme="dracula")))
    async with edited.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert edited.theme == "dracula"  # written into the config after the choice


async def test_a_theme_written_in_the_config_wins_at_start(seeded_store: Store) -> None:
    save_state(state_path(), UiState(theme="nord"))
    app = NewsreaderApp(store=seeded_store, config=Config(ui=UiConfig(theme="gruvbox")))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.theme == "gruvbox"


async def test_german_palette(seeded_store: Store) -> None:
    app = NewsreaderApp(store=seeded_store, config=Config(ui=UiConfig(language="de")))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        names = offered(app)
        assert "Aktualisieren" in names
        assert "Farbschema: nord" in names
        await pilot.press("ctrl+p")
        await pilot.press(*"Aktual")
        await wait_until(
            pilot,
            lambda: "Alle Feeds im Hintergrund neu laden" in screen_text(app),
            "the German command is listed",
        )
